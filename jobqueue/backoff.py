"""How long a job waits before its next attempt: capped exponential backoff with full jitter."""

from __future__ import annotations

import random
from datetime import timedelta


def retry_delay(attempt: int, base_seconds: float, cap_seconds: float, rng: random.Random | None = None) -> timedelta:
    """attempt 1 waits about ``base``, each further attempt doubles, never above ``cap``; jitter in [50%, 100%]."""
    ceiling = min(cap_seconds, base_seconds * (2 ** max(attempt - 1, 0)))
    r = (rng or random).uniform(0.5, 1.0)
    return timedelta(seconds=ceiling * r)
