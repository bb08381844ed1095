"""Rewriting a proposals tab (pure): acted-on rows stay, open ones are replaced, ticks and comments survive."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from bot.dunning.models import ReminderProposal
from bot.flows.proposal_rows import merge_proposals, send_targets


@dataclass(frozen=True)
class R:
    number: int
    values: Mapping[str, Any]


def proposal(customer: int, step: int, invoice: int) -> ReminderProposal:
    return ReminderProposal(f"R-{customer}-{step}-{invoice}", customer, f"Kunde {customer}", (invoice,),
                            Decimal("500.00"), date(2026, 10, 1), 30, step, Decimal(100), "tekst")


TODAY = date(2026, 11, 23)


def test_sent_and_rejected_rows_stay_open_rows_are_replaced_keeping_tick_and_comment() -> None:
    existing = [
        R(2, {"proposal_id": "R-1-1-10", "status": "Sendt", "approve": True, "comment": ""}),
        R(3, {"proposal_id": "R-2-1-20", "status": "Foreslået", "approve": True, "comment": "ring først"}),
        R(4, {"proposal_id": "R-3-1-30", "status": "Foreslået", "approve": False, "comment": ""}),
        R(5, {"proposal_id": "R-4-2-40", "status": "Afvist", "approve": False, "comment": "aftale"}),
    ]
    new = [proposal(2, 1, 20), proposal(4, 2, 40), proposal(5, 1, 50)]
    rows, fresh = merge_proposals(existing, new, TODAY)
    assert [r["proposal_id"] for r in rows] == ["R-1-1-10", "R-4-2-40", "R-2-1-20", "R-5-1-50"]
    assert [p.proposal_id for p in fresh] == ["R-2-1-20", "R-5-1-50"]  # the rejected one is not proposed again
    kept_tick = rows[2]
    assert kept_tick["approve"] is True and kept_tick["comment"] == "ring først" and kept_tick["status"] == "Foreslået"
    assert rows[3]["approve"] is False and rows[3]["proposed_at"] == TODAY


def test_send_targets_are_ticked_rows_not_yet_sent() -> None:
    base = {"customer_name": "X", "invoices": "10, 11", "amount": 10, "step": 2, "fee": 100}
    rows = [R(2, {**base, "proposal_id": "a", "customer_number": 1, "approve": True, "status": "Foreslået"}),
            R(3, {**base, "proposal_id": "b", "customer_number": 2, "approve": True, "status": "Sendt"}),
            R(4, {**base, "proposal_id": "c", "customer_number": 3, "approve": False, "status": "Foreslået"}),
            R(5, {**base, "proposal_id": "d", "customer_number": 4, "approve": True, "status": "Sender"})]
    targets = send_targets(rows)
    assert [(t.row, t.invoice_numbers, t.fee) for t in targets] == [(2, (10, 11), Decimal(100)),
                                                                    (5, (10, 11), Decimal(100))]
