"""Sheets API calls with retry: every attempt counted, transient failures retried with backoff.

Two schedules. A 429 means the per-minute quota (60 requests per minute per user, shared by every worker of the
service account) is used up; it refills within a minute, so 429s are retried for ``quota_seconds`` in all (90 s:
past a whole quota minute), waiting what a ``Retry-After`` header says or a growing wait (2, 4, 8, 16, 30 s...).
A 5xx, 408, timeout or dropped connection is retried ``attempts`` times with capped exponential backoff and full
jitter. When either is used up the call raises ``SheetsUnavailable`` (the job is retried later). Anything else
(a 400, a 403) is raised at once. Every attempt first passes the counter's ``RateLimiter`` when it has one
(``bot.sheets.ratelimit``), so a burst waits for room in the quota instead of collecting 429s.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import requests
from google.auth.exceptions import TransportError
from gspread.exceptions import APIError

from bot.errors import SheetsUnavailable
from bot.sheets.ratelimit import RateLimiter

T = TypeVar("T")


class RequestCounter:
    """How many Sheets API requests were made (every attempt counts), shared across stores; with a ``limiter``,
    every request first waits for room in the per-minute quota."""

    def __init__(self, limiter: RateLimiter | None = None) -> None:
        self._lock = threading.Lock()
        self.count = 0
        self.limiter = limiter

    def add(self, n: int = 1) -> None:
        with self._lock:
            self.count += n


@dataclass(frozen=True)
class SheetsRetry:
    attempts: int = 6  # tries for a 5xx, 408, timeout or connection error
    base: float = 1.0  # seconds; the wait before attempt n is random in [0, min(cap, base * 2**n)]
    cap: float = 32.0
    sleep: Callable[[float], None] | None = None  # None = time.sleep
    quota_seconds: float = 90.0  # how long 429s may keep one call waiting in all
    quota_base: float = 2.0  # the n-th 429 waits min(quota_cap, quota_base * 2**n), less up to a quarter (jitter)
    quota_cap: float = 30.0


def _status(exc: BaseException) -> int | None:
    if isinstance(exc, APIError):
        return exc.response.status_code if exc.response is not None else exc.code
    return None


def is_transient(exc: BaseException) -> bool:
    status = _status(exc)
    if status is not None:
        return status in (408, 429) or status >= 500
    # a stalled or dropped connection, also while google-auth refreshes the token
    return isinstance(exc, requests.ConnectionError | requests.Timeout | TransportError)


def retry_after(exc: BaseException) -> float | None:
    """The seconds a ``Retry-After`` header asks for, if the answer had one."""
    response = exc.response if isinstance(exc, APIError) else None
    value = response.headers.get("Retry-After") if response is not None else None
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


def call_with_retry(fn: Callable[[], T], counter: RequestCounter, policy: SheetsRetry) -> T:
    """Run one API call, counting every attempt; retry transient failures, then raise SheetsUnavailable."""
    sleep = policy.sleep or time.sleep
    failures = quotas = 0
    quota_waited = 0.0
    while True:
        if counter.limiter is not None:
            counter.limiter.acquire()
        counter.add()
        try:
            return fn()
        except Exception as e:
            if not is_transient(e):
                raise
            if _status(e) == 429:
                left = policy.quota_seconds - quota_waited
                if left <= 0:
                    raise SheetsUnavailable(
                        f"Google Sheets afviste robotten i {quota_waited:.0f} s, fordi kvoten af forespørgsler "
                        f"pr. minut var brugt op ({e}). Jobbet prøves igen senere.") from e
                asked = retry_after(e)
                step = min(policy.quota_cap, policy.quota_base * 2**quotas) * (1 - random.random() / 4)
                wait = min(left, asked if asked is not None else step)
                quotas += 1
                quota_waited += wait
            else:
                failures += 1
                if failures >= policy.attempts:
                    raise SheetsUnavailable(
                        f"Google Sheets svarede ikke efter {failures} forsøg ({e}). Jobbet prøves igen senere."
                    ) from e
                wait = random.uniform(0, min(policy.cap, policy.base * 2**failures))
            sleep(wait)
