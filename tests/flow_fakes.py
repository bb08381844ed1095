"""In-memory stand-ins for the flows' ports, for pure tests of a flow's bookkeeping: a client store that counts
its Sheets requests, a ledger with a reminder history that records what it is asked to send, and a context."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, cast

from bot.dunning.models import ClientSettings
from bot.flows.context import FlowContext
from bot.ledger.port import Ledger
from bot.records import Customer, Invoice, InvoiceFilter, PaymentTerm, Reminder, SendResult
from jobqueue.job import Job
from sheets_schema import JobStatus, JobType, SettingsTab, Tab

NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
TODAY = NOW.date()


@dataclass
class FakeRow:
    number: int
    values: Mapping[str, Any]


@dataclass
class FakeStore:
    """Tabs as lists of dicts (row 2 first); ``requests`` counts what would be one Sheets request each."""

    tabs: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    requests: int = 0

    def read_settings(self, tab: SettingsTab) -> dict[str, str]:
        self.requests += 1
        return {}

    def read_table(self, tab: Tab) -> Sequence[FakeRow]:
        self.requests += 1
        return [FakeRow(i + 2, dict(v)) for i, v in enumerate(self.tabs.get(tab.name, [])) if any(v.values())]

    def update_rows(self, tab: Tab, updates: Mapping[int, Mapping[str, Any]]) -> None:
        self.requests += 1
        rows = self.tabs.setdefault(tab.name, [])
        for n, cells in updates.items():
            while len(rows) < n - 1:
                rows.append({})
            rows[n - 2] = {**rows[n - 2], **cells}

    def append_rows(self, tab: Tab, rows: Sequence[Mapping[str, Any]]) -> list[int]:
        self.requests += 1
        mine = self.tabs.setdefault(tab.name, [])
        start = len(mine) + 2
        mine.extend(dict(r) for r in rows)
        return list(range(start, start + len(rows)))

    def replace_rows(self, tab: Tab, rows: Sequence[Mapping[str, Any]]) -> None:
        self.requests += 1
        self.tabs[tab.name] = [dict(r) for r in rows]


def _of(customers: int | Collection[int] | None, number: int) -> bool:
    return customers is None or number in ({customers} if isinstance(customers, int) else customers)


class FakeLedger:
    """Customers, open invoices and a reminder history, and a Send that records each reminder in it (``sends``
    counts the presses); with ``refuse_sends`` a Send is a test failure (what the history shows as sent is never
    sent again). ``reads`` notes every read with the customers it was asked for (None: all)."""

    def __init__(self, history: list[Reminder], refuse_sends: bool = False, customers: Sequence[Customer] = (),
                 invoices: Sequence[Invoice] = ()) -> None:
        self.history = history
        self.refuse_sends = refuse_sends
        self.sends = 0
        self.reads: list[tuple[str, int | Collection[int] | None]] = []
        self._customers = list(customers)
        self._invoices = list(invoices)

    def customers(self, numbers: Collection[int] | None = None) -> list[Customer]:
        self.reads.append(("customers", numbers))
        return [c for c in self._customers if _of(numbers, c.number)]

    def payment_terms(self) -> list[PaymentTerm]:
        return [PaymentTerm(1, "Netto 8 dage", 8)]

    def invoices(self, status: InvoiceFilter = InvoiceFilter.OPEN,
                 customers: int | Collection[int] | None = None) -> list[Invoice]:
        self.reads.append(("invoices", customers))
        return [i for i in self._invoices if _of(customers, i.customer_number)]

    def reminders(self, customers: int | Collection[int] | None = None) -> list[Reminder]:
        self.reads.append(("reminders", customers))
        return [r for r in self.history if _of(customers, r.customer_number)]

    def send_reminders(self, level: int, customer_numbers: Mapping[int, Sequence[int]], fee: Decimal,
                       text: str) -> SendResult:
        self.sends += 1
        assert not self.refuse_sends, "a reminder the history shows as sent is never sent again"
        sent = {c: Reminder(1000 + len(self.history) + i, c, level, TODAY, tuple(invoices), fee, Decimal(0))
                for i, (c, invoices) in enumerate(customer_numbers.items())}
        self.history.extend(sent.values())
        return SendResult(sent=sent, refused={})


@dataclass
class FakeJob:
    job: Job

    def progress(self, text: str) -> None:
        pass

    def enqueue(self, job_type: JobType) -> None:
        pass


def flow_context(store: FakeStore, ledger: FakeLedger, today: date = TODAY, send_batch: int = 25,
                 job_type: JobType = JobType.SEND_RYKKERE, settings: ClientSettings | None = None) -> FlowContext:
    job = Job("j2", NOW, "sheet", job_type, "test", JobStatus.RUNNING, "w", None, 2, None, "", None, 2)
    ctx = FlowContext(job=FakeJob(job), store=store, settings=cast(ClientSettings, settings), mailer=cast(Any, None),
                      today=today, now=lambda: NOW, sheet_url="", open_ledger=lambda: cast(Ledger, ledger),
                      send_batch=send_batch)
    ctx._ledger = cast(Ledger, ledger)
    return ctx
