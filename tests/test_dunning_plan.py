"""Today's plan from the ledger (fake ledger and store): a send plans only the customers it sends, reading only
their part of the ledger, and gets the lines a whole plan has for them."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import cast

import pytest

from bot.dunning.engine import RunPlan
from bot.dunning.law import CustomerKind
from bot.dunning.models import ClientSettings, LevelPolicy, Policy
from bot.dunning.rulegroups import Rule, RuleBook
from bot.dunning.sheet_rules import DunningRules
from bot.dunning.templates import Channel, Step, Template, TemplateBook
from bot.errors import SettingsError
from bot.flows.dunning_plan import plan_today
from bot.flows.journal import Journal
from bot.records import Customer, Invoice, Reminder
from sheets_schema import JobType
from tests.flow_fakes import NOW, TODAY, FakeLedger, FakeStore, flow_context

RULES = DunningRules(TemplateBook((Template("Standard", 1, (Step(5, Decimal(0), Channel.LEDGER, "Påmindelse"),
                                                           Step(10, Decimal(100), Channel.LEDGER, "Rykker"))),)),
                     RuleBook((Rule("Privat", "Standard", CustomerKind.PERSON),)), ())
LEVELS = tuple(LevelPolicy(n, 10, Decimal(0), "") for n in (1, 2, 3))


def _ledger(customers: int) -> FakeLedger:
    people = [Customer(n, f"Kunde {n}", "", "DK", f"k{n}@x.dk", "", 1, True) for n in range(1, customers + 1)]
    invoices = [Invoice(10_000 + n, n, TODAY - timedelta(days=38 + n), TODAY - timedelta(days=30 + n),
                        Decimal(500), Decimal(500)) for n in range(1, customers + 1)]
    history = [Reminder(900 + n, n, 1, TODAY - timedelta(days=12), (10_000 + n,), Decimal(0), Decimal(500))
               for n in range(1, customers + 1, 2)]  # the odd ones had step 1: they are due step 2
    return FakeLedger(history, customers=people, invoices=invoices)


def _plan(ledger: FakeLedger, only: set[int] | None, policy: Policy | None = None) -> RunPlan:
    settings = cast(ClientSettings, SimpleNamespace(policy=policy or Policy(LEVELS)))
    store = FakeStore()
    ctx = flow_context(store, ledger, settings=settings)
    return plan_today(ctx, Journal(store, "j2", JobType.SEND_RYKKERE, lambda: NOW), RULES, only=only)


def test_a_plan_of_some_customers_reads_only_theirs_and_has_their_lines_of_the_whole_plan() -> None:
    whole = _plan(_ledger(40), None)
    ledger = _ledger(40)
    some = _plan(ledger, {3, 4, 17})
    assert [(x.customer_number, x.step, x.invoice_numbers) for x in some.lines] == [
        (x.customer_number, x.step, x.invoice_numbers) for x in whole.lines if x.customer_number in {3, 4, 17}]
    assert {x.step for x in some.lines} == {1, 2}
    assert ledger.reads == [("customers", {3, 4, 17}), ("invoices", {3, 4, 17}), ("reminders", {3, 4, 17})]


def test_the_whole_plan_checks_the_exclusions_against_the_ledger_a_send_does_not() -> None:
    typo = Policy(LEVELS, exclude_customers=frozenset({999}))
    with pytest.raises(SettingsError, match="999"):
        _plan(_ledger(5), None, typo)
    assert [x.customer_number for x in _plan(_ledger(5), {2}, typo).lines] == [2]  # the approved row still goes
