"""Issue 11: a reminder found in the ledger's history after a crash keeps the template version and step of each
invoice in the journal (copied from the intent), so the invoice goes on with its own template next time."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, cast

from bot.dunning.history import SentLine, journal_text, step_records
from bot.dunning.models import ClientSettings
from bot.dunning.templates import StepRecord
from bot.flows.context import FlowContext
from bot.flows.journal import Journal
from bot.flows.proposal_rows import SendTarget
from bot.flows.sending import send_approved
from bot.ledger.models import Reminder
from bot.ledger.port import Ledger
from jobqueue.job import Job
from jobqueue.rows import iso
from sheets_schema import LOG, RYKKERFORSLAG, JobStatus, JobType, LogAction, SettingsTab, Tab

NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


@dataclass
class _Row:
    number: int
    values: Mapping[str, Any]


@dataclass
class _Store:
    tabs: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def read_settings(self, tab: SettingsTab) -> dict[str, str]:
        return {}

    def read_table(self, tab: Tab) -> Sequence[_Row]:
        return [_Row(i + 2, dict(v)) for i, v in enumerate(self.tabs.get(tab.name, [])) if any(v.values())]

    def update_rows(self, tab: Tab, updates: Mapping[int, Mapping[str, Any]]) -> None:
        rows = self.tabs.setdefault(tab.name, [])
        for n, cells in updates.items():
            while len(rows) < n - 1:
                rows.append({})
            rows[n - 2] = {**rows[n - 2], **cells}

    def append_rows(self, tab: Tab, rows: Sequence[Mapping[str, Any]]) -> list[int]:
        mine = self.tabs.setdefault(tab.name, [])
        start = len(mine) + 2
        mine.extend(dict(r) for r in rows)
        return list(range(start, start + len(rows)))

    def replace_rows(self, tab: Tab, rows: Sequence[Mapping[str, Any]]) -> None:
        self.tabs[tab.name] = [dict(r) for r in rows]


class _Ledger:
    def __init__(self, history: list[Reminder]) -> None:
        self.history = history
        self.sends = 0

    def reminders(self, customer_number: int | None = None) -> list[Reminder]:
        return [r for r in self.history if customer_number in (None, r.customer_number)]

    def send_reminders(self, *args: object) -> None:
        self.sends += 1
        raise AssertionError("a reminder the history shows as sent is never sent again")


@dataclass
class _Job:
    job: Job

    def progress(self, text: str) -> None:
        pass

    def enqueue(self, job_type: JobType) -> None:
        pass


def test_a_reminder_confirmed_from_the_history_keeps_each_invoices_template_and_step() -> None:
    key = "R-1001-DKK-2-20001"
    intent = journal_text("Kunde 1001, rykker 2", [(20001, "Kulance v3", 2, Decimal(100), False),
                                                     (20002, "Kulance v3", 1, Decimal(0), False)])
    store = _Store({LOG.name: [{"at": iso(NOW), "job_id": "j1", "job_type": "send_rykkere",
                                "action": LogAction.REMINDER_INTENT.value, "key": key, "details": intent}]})
    ledger = _Ledger([Reminder(77, 1001, 2, date(2026, 11, 25), (20001, 20002), Decimal(100), Decimal(900))])
    job = Job("j2", NOW, "sheet", JobType.SEND_RYKKERE, "test", JobStatus.RUNNING, "w", None, 2, None, "", None, 2)
    ctx = FlowContext(job=_Job(job), store=store, settings=cast(ClientSettings, None), mailer=cast(Any, None),
                      today=date(2026, 11, 25), now=lambda: NOW, sheet_url="", open_ledger=lambda: cast(Ledger, ledger),
                      send_batch=25)
    ctx._ledger = cast(Ledger, ledger)
    target = SendTarget(2, key, 1001, "Kunde", (20001, 20002), Decimal(900), 2, Decimal(100), "Sender")
    journal = Journal(store, "j2", JobType.SEND_RYKKERE, lambda: NOW)
    (outcome,) = send_approved(ctx, journal, [target])
    assert outcome.reminder_number == 77 and ledger.sends == 0
    (sent,) = [e for e in Journal(store, "j3", JobType.RYKKERFLOW, lambda: NOW).entries()
               if e.action == LogAction.REMINDER_SENT.value]
    records = step_records([SentLine(sent.details, date(2026, 11, 25))], ledger.history)
    assert sorted(records, key=lambda r: r.invoice_number) == [
        StepRecord(20001, "Kulance", 3, 2, date(2026, 11, 25), Decimal(100)),
        StepRecord(20002, "Kulance", 3, 1, date(2026, 11, 25), Decimal(0)),
    ]  # not "Standard v1, step 2" as an undescribed ledger reminder would count
    assert store.tabs[RYKKERFORSLAG.name][0]["status"] == "Sendt"
