"""Rule placement: person, company, foreign, moved customer; minimums per currency; a VIP rule."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.dunning.law import CustomerKind
from bot.dunning.money import Money
from bot.dunning.rulegroups import (
    BUSINESS_RULE,
    PERSON_RULE,
    Placement,
    PlacementStatus,
    Rule,
    RuleBook,
    customer_kind,
    place,
    place_all,
)
from bot.records import Customer

PRIVAT = Rule(PERSON_RULE, "Standard", CustomerKind.PERSON, (Money(Decimal(100), "DKK"),))
ERHVERV = Rule(BUSINESS_RULE, "Erhverv", CustomerKind.BUSINESS, (Money(Decimal(500), "DKK"), Money(Decimal(50), "EUR")))
VIP = Rule("VIP", "VIP", CustomerKind.BUSINESS)  # no fees, more days: its template says so (see the engine test)
BOOK = RuleBook((PRIVAT, ERHVERV, VIP))


def customer(number: int, cvr: str = "", country: str = "DK") -> Customer:
    return Customer(number=number, name=f"Kunde {number}", cvr=cvr, country=country, email=f"k{number}@x.dk",
                    group="", payment_term=1, active=True)


def test_a_person_goes_to_privat() -> None:
    a = place(customer(1), BOOK)
    assert a.rule == PRIVAT and a.status is PlacementStatus.DEFAULT and not a.blocked
    assert customer_kind(customer(1)) is CustomerKind.PERSON


def test_a_company_with_a_cvr_goes_to_erhverv() -> None:
    c = customer(2, cvr="12345678")
    a = place(c, BOOK)
    assert a.rule == ERHVERV and a.status is PlacementStatus.DEFAULT and "med CVR" in a.reason
    assert customer_kind(c) is CustomerKind.BUSINESS
    assert place(customer(3, cvr="   "), BOOK).rule == PRIVAT  # blanks are no CVR


@pytest.mark.parametrize("country", ["DK", "dk", "Danmark", "", " Denmark "])
def test_domestic_spellings_and_an_empty_country_are_danish(country: str) -> None:
    assert place(customer(4, country=country), BOOK).rule == PRIVAT


@pytest.mark.parametrize(("country", "cvr"), [("DE", "DE123"), ("FR", ""), ("Sverige", "")])
def test_a_foreign_customer_is_blocked_with_the_reason(country: str, cvr: str) -> None:
    a = place(customer(5, cvr=cvr, country=country), BOOK)
    assert a.blocked and a.rule is None and a.status is PlacementStatus.BLOCKED
    assert PlacementStatus.BLOCKED.value == "Automatik blokeret"
    assert f"'{country}'" in a.reason and "Placér kunden" in a.reason


def test_a_person_placing_a_foreign_customer_unblocks_it() -> None:
    book = RuleBook(BOOK.rules, (Placement(5, "erhverv"),))
    a = place(customer(5, country="DE"), book)
    assert a.rule == ERHVERV and a.status is PlacementStatus.MOVED


def test_a_moved_customer_follows_the_placement_and_the_last_one_wins() -> None:
    book = RuleBook(BOOK.rules, (Placement(2, "Privat"), Placement(2, "VIP")))
    assert place(customer(2, cvr="12345678"), book).rule == VIP
    assert place(customer(1), book).rule == PRIVAT  # others keep their default


def test_a_placement_in_an_unknown_rule_blocks_and_lists_the_rules() -> None:
    a = place(customer(1), RuleBook(BOOK.rules, (Placement(1, "Guld"),)))
    assert a.blocked and "'Guld'" in a.reason and "Privat, Erhverv, VIP" in a.reason


def test_a_missing_default_rule_blocks() -> None:
    a = place(customer(2, cvr="1"), RuleBook((PRIVAT,)))
    assert a.blocked and f"'{BUSINESS_RULE}'" in a.reason


def test_minimum_per_currency_and_none_where_unset() -> None:
    assert ERHVERV.minimum("EUR") == ERHVERV.minimums[1]
    assert ERHVERV.minimum("DKK") == ERHVERV.minimums[0]
    assert PRIVAT.minimum("EUR") == Money.zero("EUR")


def test_place_all_places_every_customer() -> None:
    customers = [customer(1), customer(2, cvr="1"), customer(3, country="NO")]
    placed = place_all(customers, BOOK)
    assert [placed[c.number].status for c in customers] == [
        PlacementStatus.DEFAULT, PlacementStatus.DEFAULT, PlacementStatus.BLOCKED]
