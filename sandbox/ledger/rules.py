"""The ledger's own reminder eligibility and inkasso list. Pure: records in, rows out.

- Level 1: an open invoice (remaining > 0) with no reminder, at least ``level1_days`` past its due date.
- Level n+1 (n = 1, 2): an open invoice whose last reminder was level n, sent at least ``next_level_days`` ago.
- Inkasso: an open invoice whose last reminder was level 3, sent at least ``inkasso_days`` ago.
Rows are grouped per (customer, level), resp. per customer, and sorted by customer number then level.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sandbox.ledger.records import Invoice, Reminder


@dataclass(frozen=True)
class ReminderSettings:
    level1_days: int = 5
    next_level_days: int = 7
    inkasso_days: int = 10
    fees: tuple[Decimal, Decimal, Decimal] = (Decimal(100), Decimal(100), Decimal(100))


@dataclass(frozen=True)
class Candidate:
    customer_number: int
    level: int
    invoice_numbers: tuple[int, ...]
    amount: Decimal
    oldest_due_date: date
    days_overdue: int
    last_reminder_date: date | None


@dataclass(frozen=True)
class InkassoRow:
    customer_number: int
    invoice_numbers: tuple[int, ...]
    remaining: Decimal
    reminder3_date: date
    days_since: int


def last_reminders(reminders: Iterable[Reminder]) -> dict[int, tuple[int, date]]:
    """Invoice number -> (level, date) of the latest reminder naming it (highest level wins on a tie)."""
    last: dict[int, tuple[int, date]] = {}
    for r in reminders:
        for n in r.invoice_numbers:
            prev = last.get(n)
            if prev is None or (r.date, r.level) > (prev[1], prev[0]):
                last[n] = (r.level, r.date)
    return last


def candidates(
    invoices: Iterable[Invoice], reminders: Iterable[Reminder], settings: ReminderSettings, today: date
) -> list[Candidate]:
    last = last_reminders(reminders)
    groups: dict[tuple[int, int], list[tuple[Invoice, date | None]]] = defaultdict(list)
    for inv in invoices:
        if inv.remaining <= 0:
            continue
        prev = last.get(inv.number)
        if prev is None:
            if (today - inv.due_date).days >= settings.level1_days:
                groups[(inv.customer_number, 1)].append((inv, None))
        elif prev[0] < 3 and (today - prev[1]).days >= settings.next_level_days:
            groups[(inv.customer_number, prev[0] + 1)].append((inv, prev[1]))
    out = []
    for (customer, level), items in sorted(groups.items()):
        items.sort(key=lambda x: x[0].number)
        oldest = min(i.due_date for i, _ in items)
        dates = [d for _, d in items if d is not None]
        out.append(
            Candidate(
                customer_number=customer,
                level=level,
                invoice_numbers=tuple(i.number for i, _ in items),
                amount=sum((i.remaining for i, _ in items), Decimal(0)),
                oldest_due_date=oldest,
                days_overdue=(today - oldest).days,
                last_reminder_date=max(dates) if dates else None,
            )
        )
    return out


def inkasso(
    invoices: Iterable[Invoice], reminders: Iterable[Reminder], settings: ReminderSettings, today: date
) -> list[InkassoRow]:
    last = last_reminders(reminders)
    groups: dict[int, list[tuple[Invoice, date]]] = defaultdict(list)
    for inv in invoices:
        prev = last.get(inv.number)
        if inv.remaining > 0 and prev is not None and prev[0] == 3 and (today - prev[1]).days >= settings.inkasso_days:
            groups[inv.customer_number].append((inv, prev[1]))
    out = []
    for customer, items in sorted(groups.items()):
        items.sort(key=lambda x: x[0].number)
        first = min(d for _, d in items)
        out.append(
            InkassoRow(
                customer_number=customer,
                invoice_numbers=tuple(i.number for i, _ in items),
                remaining=sum((i.remaining for i, _ in items), Decimal(0)),
                reminder3_date=first,
                days_since=(today - first).days,
            )
        )
    return out
