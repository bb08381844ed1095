"""The client's inkasso settings on Instruks (proposals on or off, automatic hand-over after N days, the
partner's free-withdrawal days), and the automatic hand-over itself.

Automatic hand-over (off by default): when inkassoforslag writes its proposals, every open one whose customer's
reminder 3 is at least N days old, and whose debtor lacks no master data, is ticked with a comment saying why,
and opret_sager is queued: the same job, with the same checks, as when a person ticks the row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.errors import SettingProblem, SettingsError
from bot.flows.context import FlowContext
from bot.flows.proposal_rows import parse_invoices
from bot.records import InkassoCase
from sheets_schema import INSTRUKS, CaseStatus, JobType, Mode, YesNo

AUTO_NOTE = "Automatisk overdraget"
DEFAULT_FREE_DAYS = 10


@dataclass(frozen=True)
class InkassoSettings:
    proposals: bool  # inkassoforslag runs for this client
    auto_days: int | None  # automatic hand-over this many days after reminder 3; None = off
    free_days: int  # the partner's free-withdrawal period


def inkasso_settings(ctx: FlowContext) -> InkassoSettings:
    values = ctx.store.read_settings(INSTRUKS)
    problems: list[SettingProblem] = []
    proposals = values.get("inkasso_proposals", "").strip() or YesNo.YES.value
    if proposals not in (YesNo.YES.value, YesNo.NO.value):
        problems.append(_problem("inkasso_proposals", f"Skriv «{YesNo.YES.value}» eller «{YesNo.NO.value}»."))
    auto = values.get("auto_handover_days", "").strip()
    if auto and not auto.isdigit():
        problems.append(_problem("auto_handover_days", "Skriv et helt antal dage, f.eks. 14, eller lad feltet stå "
                                                       "tomt for at godkende alle sager selv."))
    free = values.get("free_withdrawal_days", "").strip()
    if free and not free.isdigit():
        problems.append(_problem("free_withdrawal_days", "Skriv et helt antal dage, f.eks. 10."))
    if problems:
        raise SettingsError(problems)
    return InkassoSettings(proposals == YesNo.YES.value, int(auto) if auto else None,
                           int(free) if free else DEFAULT_FREE_DAYS)


def _problem(key: str, message: str) -> SettingProblem:
    return SettingProblem(INSTRUKS.ref(key), INSTRUKS.setting(key).label, message)


def auto_hand_over(ctx: FlowContext, rows: list[dict[str, Any]], listed: Sequence[InkassoCase]) -> str:
    """Tick the open proposals due for automatic hand-over (in ``rows``, before they are written) and queue
    opret_sager; the text to add to the job's summary ("" when off or none)."""
    days = inkasso_settings(ctx).auto_days
    if days is None:
        return ""
    ticked = 0
    for row in rows:
        if row.get("status") != CaseStatus.PROPOSED.value or row.get("approve") is True or row.get("missing"):
            continue
        age = _reminder3_age(row, listed)
        if age is None or age < days:
            continue
        note = f"{AUTO_NOTE}: rykker 3 er {age} dage gammel (grænse {days} dage, {INSTRUKS.ref('auto_handover_days')})"
        comment = str(row.get("comment") or "").strip()
        row.update(approve=True, comment=f"{comment} · {note}" if comment else note)
        ticked += 1
    if not ticked:
        return ""
    ctx.job.enqueue(JobType.OPRET_SAGER)
    return f", {ticked} overdrages automatisk"


def _reminder3_age(row: dict[str, Any], listed: Sequence[InkassoCase]) -> int | None:
    customer, invoices = row.get("customer_number"), set(parse_invoices(row.get("invoices")))
    ages = [line.days_since_reminder3 for line in listed
            if line.customer_number == customer and invoices & set(line.invoice_numbers)]
    return max(ages) if ages else None


def auto_note(comment: str) -> str:
    """The automatic hand-over's note in a case's comment, for the status report ("" if a person approved)."""
    at = comment.find(AUTO_NOTE)
    return comment[at:] if at >= 0 else ""


def chain_proposals(ctx: FlowContext) -> None:
    """Queue inkassoforslag once the reminders went out: after rykkerflow in fully automatic mode (it sends
    them), after send_rykkere ("Send rykkere") in approval mode; never when the client has switched it off."""
    after_send = {JobType.RYKKERFLOW: Mode.FULL_AUTO, JobType.SEND_RYKKERE: Mode.APPROVAL}
    if after_send.get(ctx.job.job.type) is ctx.settings.mode and inkasso_settings(ctx).proposals:
        ctx.job.enqueue(JobType.INKASSOFORSLAG)


def proposals_off(ctx: FlowContext) -> str:
    """The job's summary when inkassoforslag is switched off for this client, else ""."""
    if inkasso_settings(ctx).proposals:
        return ""
    return f"inkassoforslag er slået fra ({INSTRUKS.ref('inkasso_proposals')}); intet læst eller foreslået"
