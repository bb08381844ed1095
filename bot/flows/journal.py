"""The robot's own journal in the client's Log tab: what it did, read back so nothing is done twice.

It lives in the client's spreadsheet (not on the worker's disk), so it survives worker machines.

Writes are idempotent: an append whose answer was lost (the write happened, then a 503) is retried by the store
and lands twice. The journal knows the row its lines must start at; when the answer names a later row it reads
the tail back and writes it again without the copies (an update of known rows, itself safe to repeat).

Its observers (the job's event log and usage tally, handed in by the runner through ``FlowContext.journal``) are
told of the lines of each append once it is written.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from bot.journal import JournalObserver, LogEntry
from jobqueue.rows import iso
from sheets_schema import LOG, JobType, LogAction, Row, Tab

__all__ = ["Journal", "JournalStore", "LogEntry"]


class JournalStore(Protocol):
    """The client's spreadsheet, as the journal uses it (a ``ClientStore``)."""

    def read_table(self, tab: Tab) -> Sequence[Row]: ...

    def update_rows(self, tab: Tab, updates: Mapping[int, Mapping[str, Any]]) -> None: ...

    def append_rows(self, tab: Tab, rows: Sequence[Mapping[str, Any]]) -> list[int]: ...


class Journal:
    def __init__(self, store: JournalStore, job_id: str, job_type: JobType, clock: Callable[[], datetime],
                 observers: Sequence[JournalObserver] = ()) -> None:
        self._store = store
        self._job_id = job_id
        self._job_type = job_type
        self._clock = clock
        self._observers = tuple(observers)
        self._entries: list[LogEntry] | None = None
        self._next_row = 2  # where the next line goes (after the last used row)

    def entries(self) -> list[LogEntry]:
        if self._entries is None:
            rows = self._store.read_table(LOG)
            self._entries = [_entry(r) for r in rows]
            self._next_row = max((r.number for r in rows), default=1) + 1
            self._drop_old_copies(rows)
        return self._entries

    def of_job(self, action: LogAction) -> list[LogEntry]:
        """This job's lines with this action, from every attempt of it (a retried job keeps its id)."""
        return [e for e in self.entries() if e.action == action.value and e.job_id == self._job_id and e.key]

    def latest(self, actions: Sequence[LogAction]) -> dict[str, LogAction]:
        """For each key, the last of these actions journalled for it (the Log tab is in time order)."""
        wanted = {a.value: a for a in actions}
        return {e.key: wanted[e.action] for e in self.entries() if e.action in wanted and e.key}

    def keys(self, action: LogAction) -> set[str]:
        return {e.key for e in self.entries() if e.action == action.value and e.key}

    def find(self, action: LogAction, key: str) -> LogEntry | None:
        return next((e for e in self.entries() if e.action == action.value and e.key == key), None)

    def record(self, action: LogAction, key: str = "", details: str = "") -> None:
        self.record_many([(action, key, details)])

    def record_many(self, items: Sequence[tuple[LogAction, str, str]]) -> None:
        """One request for all of them."""
        if not items:
            return
        entries = self.entries()  # the row the lines must start at
        at = iso(self._clock())
        new = [LogEntry(at, self._job_id, self._job_type.value, a.value, k, d) for a, k, d in items]
        numbers = self._store.append_rows(LOG, [_values(e) for e in new])
        for o in self._observers:  # as soon as the lines are written, whatever cleaning up copies costs after
            o.journalled(new)
        if numbers and numbers[0] != self._next_row:
            numbers = self._drop_copies(new)
        entries.extend(new)
        self._next_row = max([self._next_row + len(new) - 1, *numbers]) + 1

    def _drop_copies(self, new: list[LogEntry]) -> list[int]:
        """The lines landed after other rows: if those are copies of them (an append retried after its answer
        was lost), rewrite the tail without the copies and blank the rows freed at its end."""
        tail = [r for r in self._store.read_table(LOG) if r.number >= self._next_row]
        wanted = Counter(new)
        kept: list[LogEntry] = []
        for r in tail:
            entry = _entry(r)
            if entry in wanted:
                if wanted[entry] == 0:
                    continue  # a copy
                wanted[entry] -= 1
            kept.append(entry)
        if len(kept) == len(tail):
            return [r.number for r in tail]  # someone else wrote in between: nothing to undo
        self._rewrite(self._next_row, kept, tail[-1].number)
        return list(range(self._next_row, self._next_row + len(kept)))

    def _drop_old_copies(self, rows: Sequence[Row]) -> None:
        """Copies left by appends that were retried after a lost answer until Sheets gave up (or before writes
        were idempotent): a line equal to an earlier one in every column, the second included. The Log is
        rewritten from the first copy on, without them (only when there are any)."""
        first = _first_copy([_entry(r) for r in rows])
        if first is None:
            return
        kept = list(dict.fromkeys(_entry(r) for r in rows))  # the lines before ``first`` are all different
        start = rows[first].number
        self._rewrite(start, kept[first:], rows[-1].number)
        self._entries = kept
        self._next_row = start + len(kept) - first

    def _rewrite(self, start: int, lines: Sequence[LogEntry], last: int) -> None:
        """Write these lines from row ``start`` on and blank the rows after them up to ``last`` (rows that
        exist already: an update of known rows, safe to repeat)."""
        updates: dict[int, dict[str, Any]] = {start + i: _values(e) for i, e in enumerate(lines)}
        updates.update({n: dict.fromkeys(_FIELDS, "") for n in range(start + len(lines), last + 1)})
        self._store.update_rows(LOG, updates)


_FIELDS = ("at", "job_id", "job_type", "action", "key", "details")


def _entry(row: Row) -> LogEntry:
    return LogEntry(*(str(row.values.get(k) or "") for k in _FIELDS))


def _first_copy(entries: Sequence[LogEntry]) -> int | None:
    seen: set[LogEntry] = set()
    for i, e in enumerate(entries):
        if e in seen:
            return i
        seen.add(e)
    return None


def _values(e: LogEntry) -> dict[str, Any]:
    return {k: getattr(e, k) for k in _FIELDS}
