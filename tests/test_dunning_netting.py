"""Netting per customer and currency: credit notes and part payments first, currencies never summed."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from bot.dunning.money import CurrencyMismatch, Money, total
from bot.dunning.netting import Balance, balances, currency_of, meets_minimum
from bot.records import Invoice

DUE = date(2026, 10, 1)


def inv(number: int, amount: str, remaining: str | None = None, customer: int = 1001, currency: str = "DKK",
        due: date = DUE) -> Invoice:
    return Invoice(number=number, customer_number=customer, date=due - timedelta(days=14), due_date=due,
                   amount=Decimal(amount), remaining=Decimal(amount if remaining is None else remaining),
                   currency=currency)


def one(*invoices: Invoice) -> Balance:
    [balance] = balances(invoices)
    return balance


def test_an_invoice_fully_covered_by_an_unused_credit_note_is_owed_nothing() -> None:
    b = one(inv(1, "1000"), inv(2, "-1000"))
    assert b.total == Money.zero("DKK") and not b.owes
    assert not b.net_of(b.debts).positive


def test_a_credit_note_larger_than_the_invoice_leaves_nothing_to_remind() -> None:
    b = one(inv(1, "300"), inv(2, "-900"))
    assert b.total.amount == Decimal(300) - Decimal(900) and not b.owes


def test_a_part_paid_invoice_is_owed_its_remainder() -> None:
    b = one(inv(1, "1000", remaining="400"))
    assert b.total == Money(Decimal(400), "DKK") and b.net_of(b.debts) == b.total


def test_a_fully_paid_or_matched_invoice_is_not_an_open_item() -> None:
    assert balances([inv(1, "1000", remaining="0"), inv(2, "-1000", remaining="0")]) == []


def test_an_overpaid_invoice_counts_as_credit() -> None:
    b = one(inv(1, "500", remaining="-50"), inv(2, "200"))
    assert b.credits == (inv(1, "500", remaining="-50"),) and b.total.amount == Decimal(150)


def test_credit_is_applied_to_the_reminded_invoices_first() -> None:
    overdue, later, credit = inv(1, "300"), inv(2, "1000", due=DUE + timedelta(days=30)), inv(3, "-500")
    b = one(overdue, later, credit)
    assert b.owes  # the customer owes 800 in all ...
    assert b.net_of([overdue]).amount == Decimal(300) - Decimal(500)  # ... but nothing that is overdue
    assert b.net_of([overdue, later]) == b.total
    with pytest.raises(ValueError, match="Faktura 3 er ikke en åben post"):
        b.net_of([credit])


def test_eur_and_dkk_are_separate_balances_never_summed() -> None:
    found = balances([inv(1, "4000", currency="EUR"), inv(2, "300"), inv(3, "-300", currency="EUR"),
                      inv(4, "50", customer=1002, currency="eur")])
    assert [(b.customer_number, b.currency, b.total.amount) for b in found] == [
        (1001, "DKK", Decimal(300)), (1001, "EUR", Decimal(4000) - Decimal(300)), (1002, "EUR", Decimal(50))]
    assert found[1].total.text() == "3.700,00 EUR"
    with pytest.raises(CurrencyMismatch):
        _ = found[0].total + found[1].total


def test_money_refuses_mixed_currencies_in_every_operation() -> None:
    dkk, eur = Money(Decimal(1), "DKK"), Money(Decimal(1), "EUR")
    for operation in (lambda: dkk + eur, lambda: dkk - eur, lambda: dkk < eur, lambda: dkk >= eur,
                      lambda: total([dkk, eur], "DKK")):
        with pytest.raises(CurrencyMismatch):
            operation()
    with pytest.raises(ValueError, match="valutakode"):
        Money(Decimal(1), "kr.")
    assert (dkk + dkk).amount == 2 and (-dkk).amount == -1 and (dkk * 3).amount == 3


def test_an_empty_currency_is_the_home_currency() -> None:
    assert currency_of(inv(1, "1", currency="")) == "DKK" and currency_of(inv(1, "1", currency=" eur")) == "EUR"


@pytest.mark.parametrize(("amount", "expected"), [("99.99", False), ("100", True), ("100.01", True)])
def test_minimum_is_inclusive_and_per_currency(amount: str, expected: bool) -> None:
    minimum = Money(Decimal(100), "EUR")
    assert meets_minimum(Money(Decimal(amount), "EUR"), minimum) is expected
    with pytest.raises(CurrencyMismatch):
        meets_minimum(Money(Decimal(amount), "DKK"), minimum)


def test_a_zero_minimum_still_needs_something_owed() -> None:
    assert not meets_minimum(Money.zero("DKK"), Money.zero("DKK"))
