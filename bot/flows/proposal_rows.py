"""Rykkerforslag rows: a proposal written as a row, and a row read back as a send target."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from bot.dunning.models import ReminderProposal
from bot.errors import SettingProblem, SettingsError
from bot.flows.context import Row
from bot.flows.merge import merge
from sheets_schema import RYKKERFORSLAG, ProposalStatus

# Rows a new run leaves alone: someone acted on them (sent, being sent, or rejected by the user).
KEPT = {ProposalStatus.SENT.value, ProposalStatus.SENDING.value, ProposalStatus.REJECTED.value}


def invoices_text(numbers: Sequence[int]) -> str:
    return ", ".join(str(n) for n in numbers)


def parse_invoices(text: object) -> tuple[int, ...]:
    return tuple(int(float(p)) for p in str(text or "").replace(";", ",").split(",") if p.strip())


def proposal_row(p: ReminderProposal, today: date, approve: bool = False, comment: str = "") -> dict[str, Any]:
    return {
        "proposal_id": p.proposal_id,
        "proposed_at": today,
        "customer_number": p.customer_number,
        "customer_name": p.customer_name,
        "invoices": invoices_text(p.invoice_numbers),
        "amount": p.amount,
        "oldest_due": p.oldest_due,
        "days_overdue": p.days_overdue,
        "level": p.level,
        "fee": p.fee,
        "approve": approve,
        "comment": comment,
        "status": ProposalStatus.PROPOSED.value,
        "message": "",
        "reminder_number": "",
        "updated_at": "",
    }


def merge_proposals(
    existing: Sequence[Row], proposals: Sequence[ReminderProposal], today: date
) -> tuple[list[dict[str, Any]], list[ReminderProposal]]:
    return merge(existing, proposals, "proposal_id", lambda p: p.proposal_id, KEPT,
                 lambda p, approve, comment: proposal_row(p, today, approve, comment))


@dataclass(frozen=True)
class SendTarget:
    """A ticked row to send."""

    row: int
    proposal_id: str
    customer_number: int
    customer_name: str
    invoice_numbers: tuple[int, ...]
    amount: Decimal
    level: int
    fee: Decimal
    status: str


def send_targets(rows: Sequence[Row]) -> list[SendTarget]:
    """Ticked rows not yet sent: Foreslået, Sender (a crashed run) and Fejl (try again)."""
    wanted = {ProposalStatus.PROPOSED.value, ProposalStatus.SENDING.value, ProposalStatus.FAILED.value}
    targets = []
    for r in rows:
        if r.values.get("approve") is True and str(r.values.get("status") or "") in wanted:
            try:
                targets.append(_target(r.number, r.values))
            except (KeyError, ValueError, TypeError, ArithmeticError):
                raise SettingsError(SettingProblem(
                    cell=f"{RYKKERFORSLAG.name}!A{r.number}:{RYKKERFORSLAG.letter('fee')}{r.number}",
                    field=f"{RYKKERFORSLAG.name} række {r.number}",
                    message="Rækken er ændret, så robotten ikke kan læse kundenr, niveau, fakturaer og gebyr. "
                            "Fjern fluebenet, eller tryk 'Hent nye forslag' for at få rækken skrevet igen.",
                )) from None
    return targets


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
        level=int(v["level"]),
        fee=Decimal(str(v.get("fee") or 0)),
        status=str(v.get("status") or ""),
    )
