"""Issue 11, inkasso: inactive customers get no case, credit notes are netted and listed, a balance of zero or
less is not handed over, and currencies are never summed (the DKK fees stay apart from a EUR claim)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from bot.inkasso.models import CaseFile
from bot.inkasso.rules import propose_cases
from bot.records import Customer, InkassoCase, Invoice, Reminder
from bot.texts.render import render_case_mail, render_inkasso_overview
from tests.mail_samples import CREDITOR

D = Decimal
DAY = date(2026, 10, 29)


def inv(number: int, amount: str, customer: int = 1001, currency: str = "DKK") -> Invoice:
    return Invoice(number, customer, date(2026, 8, 1), date(2026, 8, 9), D(amount), D(amount), currency)


def rem(number: int, invoices: tuple[int, ...], customer: int = 1001) -> Reminder:
    return Reminder(number, customer, 3, DAY, invoices, D(100), D(0))


def line(invoices: tuple[int, ...], customer: int = 1001) -> InkassoCase:
    return InkassoCase(customer, f"Kunde {customer}", invoices, D(0), DAY, 12)


def customer(number: int, active: bool = True) -> Customer:
    return Customer(number, f"Kunde {number}", "", "DK", "a@b.dk", "", 1, active)


def test_a_credit_note_covering_the_invoice_gives_no_case_and_a_smaller_one_is_netted_and_listed() -> None:
    covered = propose_cases([line((5001,))], [inv(5001, "9000"), inv(5002, "-9000")],
                            [rem(1, (5001,)), rem(2, (5001,)), rem(3, (5001,))], set())
    assert covered == []  # not 9,300 kr.: nothing is owed
    (case,) = propose_cases([line((5001,))], [inv(5001, "1000"), inv(5002, "-400")], [rem(1, (5001,))], set())
    assert case.invoice_numbers == (5001, 5002)  # the credit note goes with the case, for the partner to see
    assert (case.remaining, case.claim) == (D(600), D(700))


def test_an_inactive_customer_gets_no_case() -> None:
    lines, invoices = [line((5001,)), line((6001,), 2002)], [inv(5001, "500"), inv(6001, "700", 2002)]
    cases = propose_cases(lines, invoices, [], set(), {1001: customer(1001, active=False), 2002: customer(2002)})
    assert [c.customer_number for c in cases] == [2002]


def test_currencies_are_never_summed_and_the_case_mail_lists_credit_notes() -> None:
    invoices = [inv(5001, "7000", currency="EUR"), inv(5002, "-1000", currency="EUR"), inv(5003, "300")]
    reminders = [rem(1, (5001,)), rem(2, (5001,)), rem(3, (5001,))]
    by = {c.currency: c for c in propose_cases([line((5001, 5003))], invoices, reminders, set())}
    assert sorted(by) == ["DKK", "EUR"]  # one case per currency
    assert (by["EUR"].invoice_numbers, by["EUR"].remaining, by["EUR"].claim, by["EUR"].fees) == \
        ((5001, 5002), D(6000), D(6000), D(300))
    assert (by["DKK"].invoice_numbers, by["DKK"].remaining, by["DKK"].claim) == ((5003,), D(300), D(300))
    overview = render_inkasso_overview("Klient A/S", list(by.values()), "https://sheet", "a@klient.dk")
    assert "6.000,00 EUR + 300,00 kr." in overview.text and "6.300" not in overview.text
    debtor = replace(customer(1001), country="DE")
    files = [CaseFile(by["EUR"].case_id, CREDITOR, debtor, (invoices[0], invoices[1]), tuple(reminders), "", ())]
    mail = render_case_mail("Klient A/S", files, "sager@partner.dk")
    for part in (mail.text, mail.html):
        assert "Kreditnota" in part and "5002" in part
        assert "6.000,00 EUR + 300,00 kr." in part
        assert "6.300,00" not in part and "6.000,00 kr." not in part
