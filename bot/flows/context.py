"""What a flow gets: the job, the client's sheets, its settings, the ledger, the mailer, the clock, and where its
journals and events go (the runner's event log and usage tally; nowhere for a flow run outside the runner)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from bot.channels.delivery import SentLookup
from bot.dunning.models import ClientSettings
from bot.events.log import NO_EVENTS, EventSink
from bot.flows.journal import Journal
from bot.journal import JournalObserver
from bot.ledger.port import Ledger
from bot.mail.message import Email
from bot.mail.port import Mailer
from jobqueue.worker import JobContext
from sheets_schema import Row, SettingsTab, Tab


class ClientStore(Protocol):
    """The client's spreadsheet, as the flows use it (implemented by ``bot.sheets.store.SheetStore``)."""

    def read_settings(self, tab: SettingsTab) -> dict[str, str]: ...

    def read_table(self, tab: Tab) -> Sequence[Row]: ...

    def update_rows(self, tab: Tab, updates: Mapping[int, Mapping[str, Any]]) -> None: ...

    def append_rows(self, tab: Tab, rows: Sequence[Mapping[str, Any]]) -> list[int]: ...

    def replace_rows(self, tab: Tab, rows: Sequence[Mapping[str, Any]]) -> None: ...


@dataclass
class FlowContext:
    job: JobContext
    store: ClientStore
    settings: ClientSettings
    mailer: Mailer
    today: date
    now: Callable[[], datetime]
    sheet_url: str
    open_ledger: Callable[[], Ledger]
    send_batch: int  # reminders per Send in the ledger (Settings.send_batch)
    mails: list[Email] = field(default_factory=list)  # what this job has sent, for summaries
    sent_lookup: Callable[[], SentLookup | None] = lambda: None  # Gmail: did a dead run send it?
    events: EventSink = NO_EVENTS  # what the flow decided and the journal does not hold (proposals, skips)
    journal_observers: Sequence[JournalObserver] = ()  # told of every line the job's journals append
    _ledger: Ledger | None = None

    def journal(self) -> Journal:
        """The client's journal as this job writes it, its lines told to the job's observers."""
        return Journal(self.store, self.job.job.id, self.job.job.type, self.now, self.journal_observers)

    @property
    def ledger(self) -> Ledger:
        """The ledger, logged in on first use (a job that needs no ledger never opens a browser)."""
        if self._ledger is None:
            self._ledger = self.open_ledger()
            self._ledger.login()
        return self._ledger

    def send_mail(self, email: Email) -> None:
        self.mailer.send(email)
        self.mails.append(email)
