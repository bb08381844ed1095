"""The sandbox ledger's reminder rules and dataset generator, without I/O."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pytest

from sandbox.ledger import fmt, rules
from sandbox.ledger.data import cvr_number, generate
from sandbox.ledger.records import DataError, Dataset, Invoice, Reminder

TODAY = date(2026, 3, 2)
S = rules.ReminderSettings(level1_days=5, next_level_days=7, inkasso_days=10)


def inv(number: int, customer: int, due_days_ago: int, remaining: str = "100", amount: str = "100") -> Invoice:
    due = TODAY - timedelta(days=due_days_ago)
    return Invoice(number, customer, due - timedelta(days=14), due, Decimal(amount), Decimal(remaining))


def rem(number: int, customer: int, level: int, days_ago: int, *invoices: int) -> Reminder:
    return Reminder(number, customer, level, TODAY - timedelta(days=days_ago), invoices, Decimal(100), Decimal(0))


def test_level1_needs_n_days_after_due_and_an_open_amount() -> None:
    invoices = [inv(1, 10, 5), inv(2, 10, 4), inv(3, 11, 30, remaining="0"), inv(4, 12, 9, "-50", "-50")]
    got = rules.candidates(invoices, [], S, TODAY)
    assert [(c.customer_number, c.level, c.invoice_numbers) for c in got] == [(10, 1, (1,))]
    assert got[0].days_overdue == 5 and got[0].last_reminder_date is None


def test_next_level_after_m_days_and_grouping_per_customer_and_level() -> None:
    invoices = [inv(1, 10, 40, "60.50"), inv(2, 10, 35), inv(3, 10, 8), inv(4, 20, 30), inv(5, 30, 50)]
    reminders = [rem(1, 10, 1, 7, 1, 2), rem(2, 20, 1, 6, 4), rem(3, 30, 1, 20, 5), rem(4, 30, 2, 9, 5)]
    got = {(c.customer_number, c.level): c for c in rules.candidates(invoices, reminders, S, TODAY)}
    assert set(got) == {(10, 1), (10, 2), (30, 3)}  # customer 20's reminder is only 6 days old
    two = got[(10, 2)]
    assert two.invoice_numbers == (1, 2)
    assert two.amount == Decimal("160.50")
    assert two.oldest_due_date == TODAY - timedelta(days=40) and two.days_overdue == 40
    assert two.last_reminder_date == TODAY - timedelta(days=7)
    assert got[(10, 1)].invoice_numbers == (3,)
    assert got[(30, 3)].last_reminder_date == TODAY - timedelta(days=9)


def test_no_level_after_three_and_inkasso_after_k_days() -> None:
    invoices = [inv(1, 10, 60), inv(2, 20, 60), inv(3, 30, 60, remaining="0"), inv(4, 10, 55, remaining="25")]
    reminders = [rem(1, 10, 3, 10, 1, 4), rem(2, 20, 3, 9, 2), rem(3, 30, 3, 30, 3)]
    assert rules.candidates(invoices, reminders, S, TODAY) == []
    got = rules.inkasso(invoices, reminders, S, TODAY)
    assert len(got) == 1
    assert got[0].customer_number == 10 and got[0].invoice_numbers == (1, 4)
    assert got[0].remaining == Decimal(125) and got[0].days_since == 10


def test_generator_is_deterministic_and_has_the_promised_mix() -> None:
    a, b = generate(TODAY, seed=7), generate(TODAY, seed=7)
    assert a == b
    assert generate(TODAY, seed=8) != a
    assert len(a.customers) == 300 and 1300 <= len(a.invoices) <= 1800
    a.check()
    assert sum(not c.active for c in a.customers) >= 10
    assert sum(c.country != "DK" for c in a.customers) >= 5
    assert sum(c.cvr == "" and c.country == "DK" for c in a.customers) >= 20  # private persons
    assert sum(i.amount < 0 for i in a.invoices) >= 5  # credit notes
    assert sum(0 < i.remaining < i.amount for i in a.invoices) >= 10  # partly paid
    assert sum(i.remaining == 0 for i in a.invoices) >= len(a.invoices) // 2  # mostly paid
    assert any(c.contacts and c.contacts[0].role == "Bogholder" for c in a.customers)
    levels = Counter(c.level for c in rules.candidates(a.invoices, a.reminders, S, TODAY))
    assert all(levels[n] >= 5 for n in (1, 2, 3))
    assert 8 <= len(rules.inkasso(a.invoices, a.reminders, S, TODAY)) <= 25


def test_dataset_round_trips_through_json_and_names_bad_fields() -> None:
    ds = generate(TODAY, seed=3, customers=20)
    assert Dataset.from_json(ds.to_json()) == ds
    data = ds.to_json()
    data["invoices"][2]["due_date"] = "02-03-2026"
    with pytest.raises(DataError, match=r"invoices\[2\]\.due_date"):
        Dataset.from_json(data)
    data = ds.to_json()
    data["invoices"][0]["customer_number"] = 999
    with pytest.raises(DataError, match="customer_number 999"):
        Dataset.from_json(data)


def test_cvr_numbers_pass_modulus_11_and_danish_formats() -> None:
    import random

    rng = random.Random(1)
    for _ in range(50):
        cvr = cvr_number(rng)
        assert len(cvr) == 8
        assert sum(int(d) * w for d, w in zip(cvr, (2, 7, 6, 5, 4, 3, 2, 1), strict=True)) % 11 == 0
    assert fmt.amount(Decimal("1234567.5")) == "1.234.567,50"
    assert fmt.amount(Decimal("-0.5")) == "-0,50"
    assert fmt.parse_amount("1.234,50") == Decimal("1234.50")
    assert fmt.day(date(2026, 1, 5)) == "05-01-2026"
