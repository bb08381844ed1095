"""Batching reminders for the ledger's Send (pure): same step and fee together, each customer once, in sheet
order, never more than the batch size; and what a whole send costs in Sheets requests (fake store and ledger)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from bot.dunning.engine import plan_run
from bot.dunning.law import CustomerKind, load_laws
from bot.dunning.outcomes import SendTarget
from bot.dunning.rulegroups import Rule, RuleBook
from bot.dunning.templates import Channel, Step, Template, TemplateBook
from bot.flows import flushing, sending
from bot.flows.journal import Journal
from bot.flows.sending import batches
from bot.records import Customer, Invoice
from sheets_schema import LOG, RYKKERFORSLAG, JobType, LogAction, ProposalStatus
from tests.flow_fakes import NOW, TODAY, FakeLedger, FakeStore, flow_context


def target(row: int, customer: int, step: int, fee: str = "100") -> SendTarget:
    return SendTarget(row=row, proposal_id=f"{customer}-{step}", customer_number=customer, customer_name="K",
                      invoice_numbers=(row,), amount=Decimal("10"), step=step, fee=Decimal(fee), status="")


def rows(groups: list[list[SendTarget]]) -> list[list[int]]:
    return [[t.row for t in g] for g in groups]


def test_steps_and_fees_are_kept_apart_in_sheet_order() -> None:
    ts = [target(2, 10, 1), target(3, 11, 2), target(4, 12, 1), target(5, 13, 2, "0"), target(6, 14, 2)]
    assert rows(batches(ts, 25)) == [[2, 4], [3, 6], [5]]


def test_a_batch_never_exceeds_the_size() -> None:
    ts = [target(r, 100 + r, 3) for r in range(2, 9)]
    assert rows(batches(ts, 3)) == [[2, 3, 4], [5, 6, 7], [8]]
    assert rows(batches(ts, 0)) == [[r] for r in range(2, 9)]  # a size below one means one at a time


def test_the_same_customer_twice_goes_in_two_sends() -> None:
    ts = [target(2, 10, 1), target(3, 10, 1), target(4, 11, 1)]
    assert rows(batches(ts, 25)) == [[2], [3, 4]]
    assert sum(len(g) for g in batches(ts, 25)) == len(ts)


# -- what a send costs in Sheets requests ----------------------------------------------------------------------
LAW = load_laws()["DK"]
BOOK = TemplateBook((Template("Standard", 1, (Step(5, Decimal(0), Channel.LEDGER, "Påmindelse"),)),))
RULES = RuleBook((Rule("Privat", "Standard", CustomerKind.PERSON),))


def _send(customers: int, flush_seconds: float, monkeypatch: pytest.MonkeyPatch) -> tuple[FakeStore, FakeLedger]:
    """``customers`` customers, each with one invoice due step 1, all ticked; sent in batches of 25."""
    monkeypatch.setattr(flushing, "FLUSH_SECONDS", flush_seconds)
    people = [Customer(n, f"Kunde {n}", "", "DK", f"k{n}@x.dk", "", 1, True) for n in range(1, customers + 1)]
    invoices = [Invoice(10_000 + n, n, TODAY - timedelta(days=38), TODAY - timedelta(days=30), Decimal(500),
                        Decimal(500)) for n in range(1, customers + 1)]
    plan = plan_run(people, invoices, [], BOOK, RULES, [], LAW, TODAY)
    targets = [SendTarget(row=line.customer_number + 1, proposal_id=f"R-{line.customer_number}",
                          customer_number=line.customer_number, customer_name="K", invoice_numbers=line.invoice_numbers,
                          amount=line.amount.amount, step=line.step, fee=line.fee.amount, status="Foreslået")
               for line in plan.lines]
    store, ledger = FakeStore(), FakeLedger([])
    ctx = flow_context(store, ledger)
    outcomes = sending.send_approved(ctx, Journal(store, "j2", JobType.SEND_RYKKERE, lambda: NOW), targets, plan)
    assert len(outcomes) == customers and all(o.status is ProposalStatus.SENT for o in outcomes)
    assert ledger.sends == -(-customers // 25)
    return store, ledger


def test_a_send_costs_the_same_sheets_requests_for_40_reminders_as_for_1000(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 12: the intents of the whole run are one append and rows and "sent" lines are flushed at each
    quarter of the run at most, so the Sheets requests do not grow with the reminders: 2 Sends or 40, the same
    count."""
    small, _ = _send(40, flushing.FLUSH_SECONDS, monkeypatch)
    large, _ = _send(1000, flushing.FLUSH_SECONDS, monkeypatch)
    assert small.requests == large.requests == 5  # read the Log; intents; rows Sender; the last flush (2)
    log = large.tabs[LOG.name]
    assert [r["action"] for r in log[:1000]] == [LogAction.REMINDER_INTENT.value] * 1000  # before any Send
    assert sum(r["action"] == LogAction.REMINDER_SENT.value for r in log) == 1000


@pytest.mark.parametrize("customers", [40, 1000, 4000])
def test_a_long_send_flushes_at_each_quarter_at_most(customers: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """However slow the ledger (no pause needed between two flushes here), rows and "sent" lines are written at
    most at each quarter of the run: at most four flushes of two requests, whatever the number of reminders."""
    store, _ = _send(customers, 0.0, monkeypatch)
    assert store.requests <= 3 + 2 * flushing.FLUSH_PARTS
    assert all(r["status"] == ProposalStatus.SENT.value for r in store.tabs[RYKKERFORSLAG.name])
