"""One line of the Log tab, and what is told of the lines a journal appends."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class LogEntry:
    at: str
    job_id: str
    job_type: str
    action: str  # the Handling text (a ``LogAction`` value)
    key: str
    details: str


class JournalObserver(Protocol):
    """Told of the lines a journal appended, once the append is written (e.g. the event log, the usage tally)."""

    def journalled(self, entries: Sequence[LogEntry]) -> None: ...
