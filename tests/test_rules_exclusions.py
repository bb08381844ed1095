"""Issue 11: the Instruks exclusions still hold under the engine; an excluded customer is left out with the
reason (it was applied to the ledger's candidates before)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from bot.dunning.engine import SkipKind, plan_run
from bot.dunning.exclusions import excluded_customers
from bot.dunning.models import LevelPolicy, Policy
from bot.records import PaymentTerm
from tests.test_dunning_engine import BOOK, LAW, RULES, TODAY, customer, inv

LEVELS = tuple(LevelPolicy(n, 10, Decimal(0), "x") for n in (1, 2, 3))
TERMS = [PaymentTerm(1, "Netto 8 dage", 8), PaymentTerm(2, "Kontant", 0)]


def test_numbers_groups_and_terms_exclude_with_their_reason() -> None:
    people = [customer(1), replace(customer(2), group="Offentlig"), replace(customer(3), payment_term=2),
              customer(4)]
    policy = Policy(LEVELS, frozenset({1}), frozenset({" offentlig "}), frozenset({"KONTANT"}))
    found = excluded_customers(people, TERMS, policy)
    assert sorted(found) == [1, 2, 3]
    assert "Kundenummeret" in found[1] and "'Offentlig'" in found[2] and "betalingsbetingelse" in found[3]


def test_an_excluded_customer_is_left_out_of_the_plan_with_the_reason() -> None:
    p = plan_run([customer(1), customer(2)], [inv(10, 1, "500", 30), inv(20, 2, "500", 30)], [], BOOK, RULES, [],
                 LAW, TODAY, {1: "Kundenummeret er undtaget i Instruks."})
    assert [line.customer_number for line in p.lines] == [2]
    (skip,) = p.skips
    assert (skip.customer_number, skip.kind, skip.reason) == (1, SkipKind.EXCLUDED,
                                                              "Kundenummeret er undtaget i Instruks.")
