"""Rykkerforslag rows: a proposal written as a row, and a row read back as a send target."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from bot.dunning.models import ReminderProposal
from bot.dunning.outcomes import SendTarget
from bot.flows.merge import merge
from sheets_schema import RYKKERFORSLAG, ProposalStatus, Row

# Rows a new run leaves alone: someone acted on them (sent, being sent, or rejected by the user).
KEPT = {ProposalStatus.SENT.value, ProposalStatus.SENDING.value, ProposalStatus.REJECTED.value}


def invoices_text(numbers: Sequence[int]) -> str:
    return ", ".join(str(n) for n in numbers)


def parse_invoices(text: object) -> tuple[int, ...]:
    return tuple(int(float(p)) for p in str(text or "").replace(";", ",").split(",") if p.strip())


def _money_text(value: object) -> str:
    return f"{Decimal(str(value or 0)).quantize(Decimal('0.01'))}"


def seal(v: Mapping[str, Any]) -> str:
    """A short digest of the robot's own cells in a row (id, customer, invoices, amount, currency, step, fee,
    template) as the sheet gives them back; a row whose digest no longer matches was changed by hand."""
    text = "|".join([str(v.get("proposal_id") or ""), str(int(float(v.get("customer_number") or 0))),
                     invoices_text(parse_invoices(v.get("invoices"))), _money_text(v.get("amount")),
                     str(v.get("currency") or ""), str(int(float(v.get("step") or 0))), _money_text(v.get("fee")),
                     str(v.get("template") or "")])
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def proposal_row(p: ReminderProposal, today: date, approve: bool = False, comment: str = "") -> dict[str, Any]:
    row = {
        "proposal_id": p.proposal_id,
        "proposed_at": today,
        "customer_number": p.customer_number,
        "customer_name": p.customer_name,
        "invoices": invoices_text(p.invoice_numbers),
        "amount": p.amount,
        "oldest_due": p.oldest_due,
        "days_overdue": p.days_overdue,
        "step": p.step,
        "fee": p.fee,
        "approve": approve,
        "comment": comment,
        "status": ProposalStatus.PROPOSED.value,
        "message": "",
        "reminder_number": "",
        "updated_at": "",
        "currency": p.currency,
        "template": p.template,
    }
    return {**row, "check": seal(row)}


def merge_proposals(
    existing: Sequence[Row], proposals: Sequence[ReminderProposal], today: date
) -> tuple[list[dict[str, Any]], list[ReminderProposal]]:
    return merge(existing, proposals, "proposal_id", lambda p: p.proposal_id, KEPT,
                 lambda p, approve, comment: proposal_row(p, today, approve, comment))


def send_targets(rows: Sequence[Row]) -> list[SendTarget]:
    """Ticked rows not yet sent: Foreslået, Sender (a crashed run) and Fejl (try again)."""
    wanted = {ProposalStatus.PROPOSED.value, ProposalStatus.SENDING.value, ProposalStatus.FAILED.value}
    targets = []
    for r in rows:
        if r.values.get("approve") is True and str(r.values.get("status") or "") in wanted:
            try:
                targets.append(_target(r.number, r.values))
            except (KeyError, ValueError, TypeError, ArithmeticError):
                targets.append(SendTarget(r.number, str(r.values.get("proposal_id") or ""), 0,
                                          str(r.values.get("customer_name") or ""), (), Decimal(0), 0, Decimal(0),
                                          str(r.values.get("status") or ""), changed=True))
    return targets


def changed_message(target: SendTarget) -> str:
    row = target.row
    again = "Tryk 'Hent nye forslag' for at få rækken skrevet igen, eller skriv 'Afvist' i Status."
    if not target.sealed:
        return (f"Række {row} er skrevet af en ældre udgave af robotten (uden {RYKKERFORSLAG.column('check').header})"
                f", så den er ikke sendt. {again}")
    first, last = RYKKERFORSLAG.letter("proposal_id"), RYKKERFORSLAG.letter("fee")
    return (f"Robottens celler i række {row} ({first}{row}:{last}{row}, Valuta, Skabelon) er ændret i hånden, "
            f"så rækken er ikke sendt. Gebyr og beløb bestemmes af reglen og loven, ikke af arket. {again}")


def target_of(row: Row) -> SendTarget | None:
    """A row as a send target, whatever its status and tick; None if it can no longer be read as one."""
    try:
        return _target(row.number, row.values)
    except (KeyError, ValueError, TypeError, ArithmeticError):
        return None


def _target(number: int, v: Mapping[str, Any]) -> SendTarget:
    return SendTarget(
        row=number,
        proposal_id=str(v.get("proposal_id") or ""),
        customer_number=int(v["customer_number"]),
        customer_name=str(v.get("customer_name") or ""),
        invoice_numbers=parse_invoices(v.get("invoices")),
        amount=Decimal(str(v.get("amount") or 0)),
        step=int(v["step"]),
        fee=Decimal(str(v.get("fee") or 0)),
        status=str(v.get("status") or ""),
        currency=str(v.get("currency") or "DKK"),
        template=str(v.get("template") or ""),
        changed=str(v.get("check") or "") != seal(v),
        sealed=bool(str(v.get("check") or "")),
        comment=str(v.get("comment") or ""),
    )
