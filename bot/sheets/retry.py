"""Sheets API calls with retry: every attempt counted, transient failures retried with backoff.

Google's 429/5xx, 408 and connection errors are transient; when the attempts are used up the call raises
``SheetsUnavailable``. Anything else (a 400, a 403) is raised at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import requests
from gspread.exceptions import APIError
from tenacity import RetryError, Retrying, retry_if_exception, stop_after_attempt, wait_random_exponential

from bot.errors import SheetsUnavailable

T = TypeVar("T")


class RequestCounter:
    """How many Sheets API requests were made (every attempt counts), shared across stores."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.count = 0

    def add(self, n: int = 1) -> None:
        with self._lock:
            self.count += n


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 6
    base: float = 1.0  # seconds; the wait before attempt n is random in [0, min(cap, base * 2**n)]
    cap: float = 32.0
    sleep: Callable[[float], None] | None = None  # None = time.sleep


def is_transient(exc: BaseException) -> bool:
    if isinstance(exc, APIError):
        status = exc.response.status_code if exc.response is not None else exc.code
        return status in (408, 429) or status >= 500
    return isinstance(exc, requests.ConnectionError | requests.Timeout)


def call_with_retry(fn: Callable[[], T], counter: RequestCounter, policy: RetryPolicy) -> T:
    """Run one API call, counting every attempt; retry transient failures, then raise SheetsUnavailable."""
    retrying = Retrying(
        stop=stop_after_attempt(policy.attempts),
        wait=wait_random_exponential(multiplier=policy.base, max=policy.cap),
        retry=retry_if_exception(is_transient),
        sleep=policy.sleep or time.sleep,
    )

    def attempt() -> T:
        counter.add()
        return fn()

    try:
        return retrying(attempt)
    except RetryError as e:
        last = e.last_attempt.exception()
        raise SheetsUnavailable(
            f"Google Sheets svarede ikke efter {policy.attempts} forsøg ({last}). Jobbet prøves igen senere."
        ) from last
