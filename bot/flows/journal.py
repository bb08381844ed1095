"""The robot's own journal in the client's Log tab: what it did, read back so nothing is done twice.

It lives in the client's spreadsheet (not on the worker's disk), so it survives worker machines.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.flows.context import ClientStore
from jobqueue.rows import iso
from sheets_schema import LOG, JobType, LogAction


@dataclass(frozen=True)
class LogEntry:
    at: str
    job_id: str
    job_type: str
    action: str
    key: str
    details: str


class Journal:
    def __init__(self, store: ClientStore, job_id: str, job_type: JobType, clock: Callable[[], datetime]) -> None:
        self._store = store
        self._job_id = job_id
        self._job_type = job_type
        self._clock = clock
        self._entries: list[LogEntry] | None = None

    def entries(self) -> list[LogEntry]:
        if self._entries is None:
            self._entries = [
                LogEntry(*(str(r.values.get(k) or "") for k in ("at", "job_id", "job_type", "action", "key",
                                                                 "details")))
                for r in self._store.read_table(LOG)
            ]
        return self._entries

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
        at = iso(self._clock())
        rows = [{"at": at, "job_id": self._job_id, "job_type": self._job_type.value, "action": a.value, "key": k,
                 "details": d} for a, k, d in items]
        self._store.append_rows(LOG, rows)
        if self._entries is not None:
            self._entries.extend(LogEntry(at, self._job_id, self._job_type.value, a.value, k, d) for a, k, d in items)
