"""Issue 11: a reminder found in the ledger's history after a crash keeps the template version and step of each
invoice in the journal (copied from the intent), so the invoice goes on with its own template next time."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bot.dunning.history import SentLine, step_records
from bot.dunning.outcomes import SendTarget
from bot.dunning.templates import StepRecord
from bot.flows.journal import Journal
from bot.flows.sending import send_approved
from bot.journal import JournalItem, JournalLine
from bot.records import Reminder
from jobqueue.rows import iso
from sheets_schema import LOG, RYKKERFORSLAG, JobType, LogAction
from tests.flow_fakes import NOW, FakeLedger, FakeStore, flow_context


def _intent_line(key: str, details: str) -> dict[str, str]:
    return {"at": iso(NOW), "job_id": "j1", "job_type": "send_rykkere", "action": LogAction.REMINDER_INTENT.value,
            "key": key, "details": details}


def test_a_reminder_confirmed_from_the_history_keeps_each_invoices_template_and_step() -> None:
    key = "R-1001-DKK-2-20001"
    intent = JournalLine(1001, 2, items=(JournalItem(20001, "Kulance v3", 2, Decimal(100)),
                                         JournalItem(20002, "Kulance v3", 1, Decimal(0)))).text()
    store = FakeStore({LOG.name: [_intent_line(key, intent)]})
    ledger = FakeLedger([Reminder(77, 1001, 2, date(2026, 11, 25), (20001, 20002), Decimal(100), Decimal(900))],
                        refuse_sends=True)
    ctx = flow_context(store, ledger)
    target = SendTarget(2, key, 1001, "Kunde", (20001, 20002), Decimal(900), 2, Decimal(100), "Sender")
    journal = Journal(store, "j2", JobType.SEND_RYKKERE, lambda: NOW)
    (outcome,) = send_approved(ctx, journal, [target])
    assert outcome.reminder_number == 77 and ledger.sends == 0
    (sent,) = [e for e in Journal(store, "j3", JobType.RYKKERFLOW, lambda: NOW).entries()
               if e.action == LogAction.REMINDER_SENT.value]
    assert sent.details == "Rykker-nr 77: kunde 1001, rykker 2 [20001=Kulance v3 trin 2 gebyr 100.00; " \
                           "20002=Kulance v3 trin 1 gebyr 0.00]"  # the intent's bracket, as it was written
    records = step_records([SentLine(sent.details, date(2026, 11, 25))], ledger.history)
    assert sorted(records, key=lambda r: r.invoice_number) == [
        StepRecord(20001, "Kulance", 3, 2, date(2026, 11, 25), Decimal(100)),
        StepRecord(20002, "Kulance", 3, 1, date(2026, 11, 25), Decimal(0)),
    ]  # not "Standard v1, step 2" as an undescribed ledger reminder would count
    assert store.tabs[RYKKERFORSLAG.name][0]["status"] == "Sendt"


def test_a_rerun_reads_the_history_of_every_unconfirmed_intent_in_one_go() -> None:
    """Issue 12: a killed run journalled the intents of its whole send at once; the rerun asks the ledger for the
    history of those customers in one filtered read (not one per customer), and one customer's reminder found
    there is not sent again, however many rows there are."""
    keys = [f"R-{1001 + i}-DKK-1-{20001 + i}" for i in range(40)]
    store = FakeStore({LOG.name: [_intent_line(k, f"Kunde {1001 + i}, rykker 1") for i, k in enumerate(keys)]})
    ledger = FakeLedger([Reminder(500 + i, 1001 + i, 1, date(2026, 11, 25), (20001 + i,), Decimal(0), Decimal(100))
                         for i in range(40)], refuse_sends=True)
    targets = [SendTarget(2 + i, k, 1001 + i, "Kunde", (20001 + i,), Decimal(100), 1, Decimal(0), "Sender")
               for i, k in enumerate(keys)]
    journal = Journal(store, "j2", JobType.SEND_RYKKERE, lambda: NOW)
    outcomes = send_approved(flow_context(store, ledger), journal, targets)
    assert [o.reminder_number for o in outcomes] == [500 + i for i in range(40)] and ledger.sends == 0
    assert ledger.reads == [("reminders", {1001 + i for i in range(40)})]  # the history, once, of all forty
    assert all(r["status"] == "Sendt" for r in store.tabs[RYKKERFORSLAG.name])
