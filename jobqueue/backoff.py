"""How long a job waits before its next attempt: capped exponential backoff with full jitter; and calling
something patiently with it."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")


def retry_delay(attempt: int, base_seconds: float, cap_seconds: float, rng: random.Random | None = None) -> timedelta:
    """attempt 1 waits about ``base``, each further attempt doubles, never above ``cap``; jitter in [50%, 100%]."""
    ceiling = min(cap_seconds, base_seconds * (2 ** max(attempt - 1, 0)))
    r = (rng or random).uniform(0.5, 1.0)
    return timedelta(seconds=ceiling * r)


def patiently(
    fn: Callable[[], T], transient: tuple[type[BaseException], ...], what: str, base_seconds: float,
    cap_seconds: float = 300.0, sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Call ``fn`` until it does not raise one of ``transient``, waiting with capped backoff and logging each
    failure: a worker that starts while Sheets is down waits for it instead of exiting."""
    failures = 0
    while True:
        try:
            return fn()
        except transient as e:
            failures += 1
            delay = retry_delay(failures, base_seconds, cap_seconds).total_seconds()
            log.warning("%s failed (%d times), next try in %.0f s: %s", what, failures, delay, e)
            sleep(delay)
