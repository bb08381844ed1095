"""Inkassoforslag rows: a case proposal written as a row, and a ticked row read back as a case to create."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.dunning.models import ClientSettings
from bot.errors import SettingProblem, SettingsError
from bot.flows.context import Row
from bot.flows.merge import merge
from bot.flows.proposal_rows import invoices_text, parse_invoices
from bot.inkasso.models import CaseProposal
from bot.inkasso.rules import reminders_summary
from sheets_schema import INKASSOFORSLAG, INSTRUKS, CaseStatus

KEPT = {CaseStatus.CREATED.value, CaseStatus.CREATING.value, CaseStatus.REJECTED.value, CaseStatus.CHECK.value}


def case_row(p: CaseProposal, today: date, approve: bool = False, comment: str = "") -> dict[str, Any]:
    return {
        "case_id": p.case_id,
        "proposed_at": today,
        "customer_number": p.customer_number,
        "customer_name": p.customer_name,
        "invoices": invoices_text(p.invoice_numbers),
        "original_amount": p.original_amount,
        "remaining": p.remaining,
        "reminders": reminders_summary(p.reminders),
        "claim": p.claim,
        "approve": approve,
        "comment": comment,
        "status": CaseStatus.PROPOSED.value,
        "message": "",
        "created_at": "",
    }


def merge_cases(
    existing: Sequence[Row], proposals: Sequence[CaseProposal], today: date
) -> tuple[list[dict[str, Any]], list[CaseProposal]]:
    return merge(existing, proposals, "case_id", lambda p: p.case_id, KEPT,
                 lambda p, approve, comment: case_row(p, today, approve, comment))


@dataclass(frozen=True)
class CaseTarget:
    row: int
    case_id: str
    customer_number: int
    customer_name: str
    invoice_numbers: tuple[int, ...]
    comment: str


def case_target_of(row: Row) -> CaseTarget | None:
    """A row as a case, whatever its status and tick; None if it can no longer be read as one."""
    try:
        return _target(row)
    except (KeyError, ValueError, TypeError):
        return None


def _target(r: Row) -> CaseTarget:
    v = r.values
    return CaseTarget(r.number, str(v["case_id"]), int(v["customer_number"]), str(v.get("customer_name") or ""),
                      parse_invoices(v.get("invoices")), str(v.get("comment") or "").strip())


def case_targets(rows: Sequence[Row]) -> list[CaseTarget]:
    """Ticked cases not yet created: Foreslået, Opretter (a crashed run) and Fejl (try again)."""
    wanted = {CaseStatus.PROPOSED.value, CaseStatus.CREATING.value, CaseStatus.FAILED.value}
    targets = []
    for r in rows:
        v = r.values
        if v.get("approve") is not True or str(v.get("status") or "") not in wanted:
            continue
        try:
            targets.append(_target(r))
        except (KeyError, ValueError, TypeError):
            raise SettingsError(SettingProblem(
                cell=f"{INKASSOFORSLAG.name}!A{r.number}:{INKASSOFORSLAG.letter('invoices')}{r.number}",
                field=f"{INKASSOFORSLAG.name} række {r.number}",
                message="Rækken er ændret, så robotten ikke kan læse sag, kundenr og fakturaer. Fjern fluebenet, "
                        "eller tryk 'Hent nye inkasso forslag' for at få rækken skrevet igen.",
            )) from None
    return targets


def require_partner(settings: ClientSettings) -> str:
    if not settings.inkasso_email:
        raise SettingsError(SettingProblem(
            cell=INSTRUKS.ref("inkasso_email"), field=INSTRUKS.setting("inkasso_email").label,
            message="Der er godkendt sager, men ingen modtager. Skriv inkassopartnerens (eller din egen) "
                    "e-mailadresse.",
        ))
    return settings.inkasso_email
