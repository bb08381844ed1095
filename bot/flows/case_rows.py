"""Inkassoforslag rows: a case proposal written as a row, and a ticked row read back as a case to create."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.dunning.models import ClientSettings
from bot.errors import SettingProblem, SettingsError
from bot.flows.context import FlowContext
from bot.flows.merge import merge
from bot.flows.proposal_rows import invoices_text, parse_invoices
from bot.inkasso.masterdata import gaps_text, master_data_gaps
from bot.inkasso.models import CaseProposal
from bot.inkasso.rules import reminders_summary
from bot.records import Customer
from sheets_schema import INKASSOFORSLAG, INSTRUKS, CaseStatus, Row

KEPT = {CaseStatus.CREATED.value, CaseStatus.CREATING.value, CaseStatus.REJECTED.value, CaseStatus.CHECK.value}


def case_row(p: CaseProposal, today: date, approve: bool = False, comment: str = "", missing: str = "",
             send_anyway: bool = False) -> dict[str, Any]:
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
        "missing": missing,
        "send_anyway": send_anyway,
        "currency": p.currency,
    }


def merge_cases(
    existing: Sequence[Row], proposals: Sequence[CaseProposal], today: date, gaps: Mapping[int, str] | None = None
) -> tuple[list[dict[str, Any]], list[CaseProposal]]:
    """The tab's rows; ``gaps``: per customer, the master data the ledger lacks (written in "Mangler stamdata").
    The bookkeeper's "Send trods mangler" stays with a proposal that comes again, as its tick does."""
    anyway = {str(r.values.get("case_id")) for r in existing if r.values.get("send_anyway") is True}
    missing = gaps or {}
    return merge(existing, proposals, "case_id", lambda p: p.case_id, KEPT,
                 lambda p, approve, comment: case_row(p, today, approve, comment, missing.get(p.customer_number, ""),
                                                      p.case_id in anyway))


@dataclass(frozen=True)
class CaseTarget:
    row: int
    case_id: str
    customer_number: int
    customer_name: str
    invoice_numbers: tuple[int, ...]
    comment: str
    send_anyway: bool = False  # the bookkeeper confirmed sending it although master data is missing


def case_target_of(row: Row) -> CaseTarget | None:
    """A row as a case, whatever its status and tick; None if it can no longer be read as one."""
    try:
        return _target(row)
    except (KeyError, ValueError, TypeError):
        return None


def _target(r: Row) -> CaseTarget:
    v = r.values
    return CaseTarget(r.number, str(v["case_id"]), int(v["customer_number"]), str(v.get("customer_name") or ""),
                      parse_invoices(v.get("invoices")), str(v.get("comment") or "").strip(),
                      v.get("send_anyway") is True)


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


def debtor_gaps(ctx: FlowContext, proposals: Sequence[CaseProposal],
                customers: Sequence[Customer] | None = None) -> dict[int, str]:
    """Per proposed customer, the master data the partner needs and the ledger lacks (one customer list read,
    none when the caller has read it)."""
    if not proposals:
        return {}
    wanted = {p.customer_number for p in proposals}
    return {c.number: gaps_text(gaps) for c in (ctx.ledger.customers() if customers is None else customers)
            if c.number in wanted and (gaps := master_data_gaps(c))}
