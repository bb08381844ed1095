"""A client-side limit on Sheets API requests: a sliding window over the last 60 seconds.

Google allows 60 read and 60 write requests per minute per user, and every worker of one service account is
the same user. A burst over the quota collects 429s and waits them out (``bot.sheets.retry``); the limiter
makes the burst wait before it asks instead. One limiter per worker process, shared by its stores and its
heartbeat thread (it rides on the shared ``RequestCounter``). The default budget, 50 a minute for reads and
writes together, leaves room for Apps Script and a second worker's idle polls.

A caller reserves the earliest moment at which its request keeps every 60-s window at or under the budget,
then sleeps until then outside the lock, so the heartbeat thread is never stuck behind a waiting job thread
for longer than its own turn. Clock and sleep are injected (tests use a fake clock: counts, never times).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

WINDOW_SECONDS = 60.0
DEFAULT_PER_MINUTE = 50


class RateLimiter:
    """At most ``per_minute`` requests in any ``window`` seconds; ``acquire`` before each request."""

    def __init__(self, per_minute: int = DEFAULT_PER_MINUTE, window: float = WINDOW_SECONDS,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> None:
        if per_minute < 1:
            raise ValueError(f"a rate limit needs at least one request per window, not {per_minute}")
        self.per_minute = per_minute
        self.window = window
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._starts: deque[float] = deque()  # reserved start times, ascending
        self.waits = 0  # how many requests had to wait
        self.waited = 0.0  # seconds waited in all

    def acquire(self) -> float:
        """Wait until one more request fits the window, and count it in; returns the seconds waited."""
        with self._lock:
            now = self._clock()
            while self._starts and self._starts[0] <= now - self.window:
                self._starts.popleft()
            at = now
            if len(self._starts) >= self.per_minute:  # the budget-th latest start must leave the window first
                at = max(now, self._starts[-self.per_minute] + self.window)
            self._starts.append(at)
            wait = at - now
            if wait > 0:
                self.waits += 1
                self.waited += wait
        if wait > 0:
            self._sleep(wait)
        return wait
