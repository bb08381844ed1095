"""Writing the event log (tab Hændelser).

``SheetEvents`` is one job's event log. The runner hands it to every journal the job makes (a ``JournalObserver``):
each append to the journal (tab Log) gives its events (none when the lines give none). It is the flows' event sink
too (``FlowContext.events``), for what the journal does not hold (proposals, skips); the runner adds a failed or
refused run with ``run_failed``. The events are held and written together, one append when the job ends (the
runner's ``flush``) or once a minute has passed since the first one held, so the event log costs a job one or a few
Sheets requests however many journal appends it makes (a case mailed on its own journals two). The log is best
effort: a sheet without the tab (not bootstrapped since), an outage while writing it, or a worker killed while
holding lines costs the person's view a few lines, never the job or its exactly-once work.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from bot.errors import BusinessError, SettingsError
from bot.events.journal_events import journal_events
from bot.events.model import Event, event_row, job_label
from bot.formats import TIME_ZONE
from bot.journal import LogEntry
from jobqueue.job import Job
from sheets_schema import HAENDELSER, RYKKERFORSLAG, Row, Tab

log = logging.getLogger(__name__)


class EventSink(Protocol):
    def add(self, events: Sequence[Event]) -> None: ...


class NoEvents:
    """The sink of a flow run outside the runner (as tests do): its events are not kept."""

    def add(self, events: Sequence[Event]) -> None:
        pass


NO_EVENTS = NoEvents()


class EventStore(Protocol):
    """The client's spreadsheet, as the event log uses it."""

    def append_rows(self, tab: Tab, rows: Sequence[Mapping[str, Any]]) -> list[int]: ...

    def read_table(self, tab: Tab) -> Sequence[Row]: ...


def label_of(job: Job, now: datetime, zone: ZoneInfo = TIME_ZONE) -> str:
    return job_label(job.type, job.created_at or now, zone)


HOLD_SECONDS = 60.0  # events are written at the latest this long after the first one held (or at the job's end)


class SheetEvents:
    """Events for the Hændelser tab of one job's client sheet, each stamped when it happened, held and appended
    together (``flush``): those a flow adds, and those of every line its journals append (``journalled``)."""

    def __init__(self, store: EventStore, job: Job, clock: Callable[[], datetime], zone: ZoneInfo = TIME_ZONE,
                 hold_seconds: float = HOLD_SECONDS) -> None:
        self._store = store
        self._clock = clock
        self._zone = zone
        self._job = label_of(job, clock(), zone)
        self._hold = hold_seconds
        self._held: list[dict[str, Any]] = []
        self._since: datetime | None = None
        self._proposals: dict[str, tuple[int, ...]] | None = None

    def add(self, events: Sequence[Event]) -> None:
        if not events:
            return
        at = self._clock()
        self._held += [event_row(e, at, self._job, self._zone) for e in events]
        self._since = self._since or at
        if (at - self._since).total_seconds() >= self._hold:
            self.flush()

    def flush(self) -> None:
        rows, self._held, self._since = self._held, [], None
        if not rows:
            return
        try:
            self._store.append_rows(HAENDELSER, rows)
        except Exception:  # noqa: BLE001 - the person's view only; the journal is what the robot relies on
            log.warning("the event log (tab %s) could not be written; %d lines lost", HAENDELSER.name, len(rows),
                        exc_info=True)

    def journalled(self, entries: Sequence[LogEntry]) -> None:
        """The events of lines a journal appended (the ``JournalObserver`` of the job's journals)."""
        self.add([e for x in entries for e in journal_events(x.action, x.key, x.details, self._invoices)])

    def _invoices(self, proposal_id: str) -> tuple[int, ...]:
        """A proposal's invoices, from the Rykkerforslag tab (read once, and only when a reminder was not sent)."""
        if self._proposals is None:
            try:
                rows = self._store.read_table(RYKKERFORSLAG)
            except Exception:  # noqa: BLE001 - the event then names the customer only
                log.warning("the event log could not read %s", RYKKERFORSLAG.name, exc_info=True)
                rows = []
            self._proposals = {str(r.values.get("proposal_id") or ""): tuple(
                int(n) for n in re.findall(r"\d+", str(r.values.get("invoices") or ""))) for r in rows}
        return self._proposals.get(proposal_id, ())


def run_failed(sink: EventSink, error: BaseException) -> None:
    """One line for a run that ended Fejl: refused for its settings (every problem named), or stopped."""
    if isinstance(error, SettingsError):
        event = Event("Kørsel afvist: indstillinger skal rettes", details=error.summary())
    elif isinstance(error, BusinessError):
        event = Event("Kørsel fejlede", details=str(error))
    else:  # a bug: its text is the programmer's; the operator has the screenshot and trace
        event = Event("Kørsel fejlede", details="Uventet fejl i robotten; driften har fået besked")
    sink.add([event])
