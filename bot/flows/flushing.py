"""When a long run writes its buffered rows and journal lines: at each quarter of the run at most, and never twice
within ``FLUSH_SECONDS`` (and, by the flow, at its end). The Sheets requests of a run then do not grow with the
number of rows it handles; what a crash loses in between, the flow recovers from its intents."""

from __future__ import annotations

import time
from collections.abc import Callable

FLUSH_SECONDS = 15.0  # never two flushes closer than this
FLUSH_PARTS = 4  # a flush at each quarter of the run at most


class Flushes:
    """Calls ``write`` as a run of ``total`` items advances (``done``), at each ``1/parts`` of it at most."""

    def __init__(self, total: int, write: Callable[[], None], parts: int = FLUSH_PARTS,
                 seconds: float | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self._total = max(1, total)
        self._write = write
        self._parts = parts
        self._seconds = FLUSH_SECONDS if seconds is None else seconds
        self._clock = clock
        self._last = clock()
        self._flushed = 0  # parts written so far

    def advanced(self, done: int) -> None:
        part = done * self._parts // self._total
        if part > self._flushed and self._clock() - self._last >= self._seconds:
            self._write()
            self._last, self._flushed = self._clock(), part
