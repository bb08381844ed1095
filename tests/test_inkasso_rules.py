"""Inkasso case proposals: ids, amounts, reminders, claim, and that nothing is proposed twice."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.inkasso.rules import case_id, customers_to_read, parse_case_id, propose_cases, reminders_summary
from bot.records import InkassoCase, Invoice, Reminder

D = Decimal


def inv(number: int, customer: int = 1001, amount: str = "1000", remaining: str | None = None) -> Invoice:
    return Invoice(number=number, customer_number=customer, date=date(2026, 8, 1), due_date=date(2026, 8, 9),
                   amount=D(amount), remaining=D(remaining if remaining is not None else amount))


def rem(number: int, level: int, day: date, invoices: tuple[int, ...], fee: str = "100",
        customer: int = 1001) -> Reminder:
    return Reminder(number=number, customer_number=customer, level=level, date=day, invoice_numbers=invoices,
                    fee=D(fee), amount=D(0))


def line(invoices: tuple[int, ...], customer: int = 1001, remaining: str = "0") -> InkassoCase:
    return InkassoCase(customer_number=customer, customer_name=f"Kunde {customer}", invoice_numbers=invoices,
                       remaining=D(remaining), reminder3_date=date(2026, 10, 29), days_since_reminder3=12)


INVOICES = (inv(5001, amount="1000", remaining="600"), inv(5002, amount="250.50"), inv(5003, amount="400"),
            inv(6001, customer=2002, amount="80"))
R1 = rem(1, 1, date(2026, 10, 1), (5001, 5002), fee="0")
R2 = rem(2, 2, date(2026, 10, 15), (5001, 5002))
R3 = rem(3, 3, date(2026, 10, 29), (5001,))
OTHER_INVOICE = rem(4, 1, date(2026, 9, 1), (5003,), fee="70")
OTHER_CUSTOMER = rem(5, 3, date(2026, 9, 2), (5001,), customer=2002)
REMINDERS = (R3, OTHER_CUSTOMER, R1, OTHER_INVOICE, R2)


def ids(*lines: InkassoCase, handed_over: frozenset[str] = frozenset()) -> list[str]:
    return [p.case_id for p in propose_cases(lines, INVOICES, REMINDERS, handed_over)]


def test_a_case_collects_amounts_reminders_and_claim() -> None:
    [p] = propose_cases([line((5002, 5001), remaining="850.50")], INVOICES, REMINDERS, set())
    assert p.case_id == "I-1001-5001-5002"
    assert (p.customer_number, p.customer_name, p.invoice_numbers) == (1001, "Kunde 1001", (5001, 5002))
    assert p.original_amount == D("1250.50")
    assert p.remaining == D("850.50")
    assert p.reminders == (R1, R2, R3)  # only this customer's, only covering the case's invoices, by date
    assert p.claim == D("850.50") + D("200")


def test_claim_with_no_reminders_is_the_remaining() -> None:
    [p] = propose_cases([line((6001,), customer=2002)], INVOICES, [], set())
    assert (p.reminders, p.remaining, p.claim) == ((), D(80), D(80))


@pytest.mark.parametrize(("lines", "handed_over", "expected"), [
    # the exact case id was handed over earlier
    ([line((5001, 5002))], {"I-1001-5001-5002"}, []),
    # a re-issued list splits the same invoices differently: each invoice was handed over already
    ([line((5001,)), line((5002,))], {"I-1001-5001-5002"}, []),
    ([line((5001, 5002))], {"I-1001-5001", "I-1001-5002"}, []),
    # a new invoice next to handed-over ones becomes a case of the new invoice alone
    ([line((5001, 5002, 5003))], {"I-1001-5001-5002"}, ["I-1001-5003"]),
    # the same invoice numbers handed over for ANOTHER customer do not count
    ([line((5001,))], {"I-2002-5001"}, ["I-1001-5001"]),
    # the robot's log may hold other text: ignored
    ([line((5001,))], {"", "I-x-5001", "R-1001-1-5001", "I-1001"}, ["I-1001-5001"]),
    # the same line twice in one list is proposed once; an overlapping later line keeps its new invoices
    ([line((5001,)), line((5001,))], set(), ["I-1001-5001"]),
    ([line((5001, 5002)), line((5002, 5003))], set(), ["I-1001-5001-5002", "I-1001-5003"]),
    # a line naming no invoices has nothing to collect
    ([line(())], set(), []),
    # sorted by customer, then case id
    ([line((6001,), customer=2002), line((5003,)), line((5001,))], set(),
     ["I-1001-5001", "I-1001-5003", "I-2002-6001"]),
])
def test_dedupe_rules(lines: list[InkassoCase], handed_over: set[str], expected: list[str]) -> None:
    assert ids(*lines, handed_over=frozenset(handed_over)) == expected


def test_a_reminder_whose_fee_went_with_an_earlier_case_is_not_claimed_again() -> None:
    reminders = [R1, R2, rem(9, 1, date(2026, 9, 20), (5003,), fee="65")]
    [p] = propose_cases([line((5001, 5002, 5003))], INVOICES, reminders, {"I-1001-5001"})
    assert p.invoice_numbers == (5002, 5003)
    assert [r.number for r in p.reminders] == [9]  # R1 and R2 also cover 5001, handed over with its fees
    assert p.claim == D("250.50") + D("400") + D("65")


def test_missing_invoices_fall_back_to_the_lines_remaining() -> None:
    [p] = propose_cases([line((5001, 7777), remaining="900")], INVOICES, [], set())
    assert p.remaining == D("900")
    assert p.original_amount == D("1000") + (D("900") - D("600"))  # 7777 counts its unknown amount as remaining
    [q] = propose_cases([line((7777,), remaining="123.45")], INVOICES, [], set())
    assert (q.original_amount, q.remaining, q.claim) == (D("123.45"), D("123.45"), D("123.45"))


def test_an_invoice_of_another_customer_counts_as_missing() -> None:
    [p] = propose_cases([line((6001,), customer=1001, remaining="55")], INVOICES, [], set())
    assert (p.original_amount, p.remaining) == (D("55"), D("55"))


def test_missing_invoice_next_to_a_handed_over_one() -> None:
    [p] = propose_cases([line((5001, 7777), remaining="900")], INVOICES, [], {"I-1001-5001"})
    assert (p.case_id, p.remaining, p.original_amount) == ("I-1001-7777", D("300"), D("300"))


def test_credit_notes_reduce_the_case() -> None:
    invoices = [inv(5001, amount="1000"), inv(5009, amount="-200")]
    [p] = propose_cases([line((5001, 5009))], invoices, [], set())
    assert (p.original_amount, p.remaining) == (D("800"), D("800"))


def test_ids_are_stable_whatever_the_order_of_the_lines() -> None:
    lines = [line((5003, 5001)), line((6001,), customer=2002)]
    assert ids(*lines) == ids(*reversed(lines)) == ["I-1001-5001-5003", "I-2002-6001"]


@pytest.mark.parametrize(("customer", "numbers", "text"), [
    (1001, (7, 5), "I-1001-5-7"), (3, (10, 9, 100), "I-3-9-10-100"), (1, (4,), "I-1-4")])
def test_case_id_round_trip(customer: int, numbers: tuple[int, ...], text: str) -> None:
    assert case_id(customer, numbers) == text
    assert parse_case_id(text) == (customer, tuple(sorted(numbers)))


@pytest.mark.parametrize("text", ["", "I-1001", "R-1-1-1", "I-a-1", "I--1", "i-1-2"])
def test_parse_case_id_rejects(text: str) -> None:
    assert parse_case_id(text) is None


def test_reminders_summary() -> None:
    assert reminders_summary([R3, R1, R2]) == "R1 01-10-2026, R2 15-10-2026, R3 29-10-2026"
    assert reminders_summary([rem(1, 1, date(2026, 1, 5), (1,))]) == "R1 05-01-2026"
    assert reminders_summary([]) == "Ingen fundet i regnskabet"


def test_only_customers_with_something_new_are_read() -> None:
    listed = [InkassoCase(7, "A", (1, 2), Decimal("10"), date(2026, 1, 1), 30),
              InkassoCase(8, "B", (3,), Decimal("10"), date(2026, 1, 1), 30),
              InkassoCase(9, "C", (4, 5), Decimal("10"), date(2026, 1, 1), 30)]
    handed_over = {case_id(8, (3,)), case_id(9, (4,)), "not a case id"}
    assert customers_to_read(listed, handed_over) == [7, 9]  # 9 still has invoice 5 to hand over
    assert customers_to_read(listed, set()) == [7, 8, 9]
