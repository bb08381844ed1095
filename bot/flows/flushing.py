"""What a long run holds back, and when it writes it: row updates and journal lines (``HeldWrites``), written at
each quarter of the run at most and never twice within ``FLUSH_SECONDS`` (``Flushes``), and, by the flow, at its
end. The Sheets requests of a run then do not grow with the number of rows it handles; what a crash loses in
between, the flow recovers from its intents, which are never held back."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from bot.flows.context import ClientStore
from bot.flows.journal import Journal
from sheets_schema import LogAction, Tab

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


class HeldWrites:
    """Row updates of one tab and journal lines held back until the next ``flush`` (the lines ride along with the
    next ``record`` too). The journal is written first: a row that says done always has its line in the journal,
    so a later attempt that no longer does the work still finds it for the job's report."""

    def __init__(self, store: ClientStore, tab: Tab, journal: Journal) -> None:
        self._store, self._tab, self._journal = store, tab, journal
        self.rows: dict[int, dict[str, Any]] = {}
        self.log: list[tuple[LogAction, str, str]] = []

    def record(self, lines: Sequence[tuple[LogAction, str, str]]) -> None:
        """Journal these lines now, after the ones held back (one append; none when there is nothing)."""
        self._journal.record_many([*self.log, *lines])
        self.log.clear()

    def flush(self) -> None:
        self.record([])
        if self.rows:
            self._store.update_rows(self._tab, dict(self.rows))
            self.rows.clear()
