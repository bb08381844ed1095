"""Batching reminders for the ledger's Send (pure): same level and fee together, each customer once, in sheet
order, never more than the batch size."""

from __future__ import annotations

from decimal import Decimal

from bot.flows.proposal_rows import SendTarget
from bot.flows.sending import batches


def target(row: int, customer: int, level: int, fee: str = "100") -> SendTarget:
    return SendTarget(row=row, proposal_id=f"{customer}-{level}", customer_number=customer, customer_name="K",
                      invoice_numbers=(row,), amount=Decimal("10"), level=level, fee=Decimal(fee), status="")


def rows(groups: list[list[SendTarget]]) -> list[list[int]]:
    return [[t.row for t in g] for g in groups]


def test_levels_and_fees_are_kept_apart_in_sheet_order() -> None:
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
