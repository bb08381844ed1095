"""The "Sager" tab: the handed-over cases, written from the robot's journal, and the shared steps of following
them up (the free-withdrawal warning, mailing one follow-up exactly once).

A case enters the tab from its "Sag overdraget" line in the Log, so a case whose run died after the mail but
before the tab was written is added by the next run of opret_sager (and cases handed over before the tab
existed are added too).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from bot.errors import SettingsError
from bot.flows.case_followup_auto import inkasso_settings
from bot.flows.context import FlowContext
from bot.flows.journal import Journal, LogEntry
from bot.flows.proposal_rows import invoices_text, parse_invoices
from bot.inkasso.rules import parse_case_id
from bot.mail.message import Email
from bot.sheets.cells import parse_sheet_time, sheet_time
from bot.texts.render_cases import CaseRef
from jobqueue.rows import parse_iso
from sheets_schema import SAGER, CaseState, LogAction, Row

_MESSAGE_ID = re.compile(r"<[^<>\s]+@[^<>\s]+>")
log = logging.getLogger(__name__)
CLOSED = {CaseState.WITHDRAWN.value, CaseState.PAID.value}


@dataclass(frozen=True)
class OpenCase:
    """One row of the Sager tab, as the follow-up flows read it."""

    row: int
    case_id: str
    customer_number: int
    customer_name: str
    invoice_numbers: tuple[int, ...]
    remaining: Decimal | None
    handed_over_at: datetime | None
    state: str
    actions_sent: int
    mail_ref: str

    @classmethod
    def of(cls, r: Row) -> OpenCase | None:
        v = r.values
        parsed = parse_case_id(str(v.get("case_id") or ""))
        if parsed is None:
            return None
        remaining = v.get("remaining")
        return cls(r.number, str(v["case_id"]), parsed[0], str(v.get("customer_name") or ""),
                   parse_invoices(v.get("invoices")) or parsed[1],
                   Decimal(str(remaining)) if remaining not in (None, "") else None,
                   parse_sheet_time(str(v.get("handed_over_at") or "")), str(v.get("state") or ""),
                   int(v.get("actions_sent") or 0), str(v.get("mail_ref") or ""))

    def ref(self) -> CaseRef:
        """The case as a follow-up mail names it."""
        at = self.handed_over_at.date() if self.handed_over_at else None
        return CaseRef(self.case_id, self.customer_number, self.customer_name, self.invoice_numbers, at,
                       self.mail_ref)


def message_id_in(details: str) -> str:
    """The Message-ID journalled with a handed-over case ("… mail <id@host>"), or ""."""
    match = _MESSAGE_ID.search(details)
    return match.group(0) if match else ""


def free_days(ctx: FlowContext) -> int:
    """Instruks: days from the hand-over in which the partner takes a case back at no cost (default 10)."""
    return inkasso_settings(ctx).free_days


def withdrawal_warning(handed_over_at: datetime | None, days: int, today: date) -> str:
    """The text of the "Gratis tilbagetrækning" column on ``today``."""
    if handed_over_at is None:
        return ""
    left = days - (today - handed_over_at.date()).days
    if left > 0:
        return f"{left} dage tilbage"
    return "Udløbet: tilbagetrækning kan koste gebyrer og renter hos inkassopartneren"


def add_handed_over(ctx: FlowContext, journal: Journal, proposals: Sequence[Row]) -> int:
    """Write every case the journal says was handed over, and the Sager tab lacks, into the tab. Returns how
    many were added."""
    handed = {e.key: e for e in journal.entries() if e.action == LogAction.CASE_HANDED_OVER.value and e.key}
    if not handed:
        return 0
    try:
        have = {str(r.values.get("case_id") or "") for r in ctx.store.read_table(SAGER)}
    except SettingsError:  # a cell typed wrong there (named by the follow-up jobs): added by a later run
        log.warning("Sager could not be read; the handed-over cases are added by a later run", exc_info=True)
        return 0
    new = [e for key, e in handed.items() if key not in have and parse_case_id(key) is not None]
    if not new:
        return 0
    by_id = {str(r.values.get("case_id") or ""): r.values for r in proposals}
    days = free_days(ctx)
    ctx.store.append_rows(SAGER, [_row(e, by_id.get(e.key, {}), days, ctx.today, ctx.now()) for e in new])
    return len(new)


def _row(entry: LogEntry, proposal: Any, days: int, today: date, now: datetime) -> dict[str, Any]:
    customer, invoices = parse_case_id(entry.key) or (0, ())
    at = parse_iso(entry.at)
    return {
        "case_id": entry.key,
        "customer_number": customer,
        "customer_name": str(proposal.get("customer_name") or ""),
        "invoices": invoices_text(invoices),
        "claim": proposal.get("claim"),
        "remaining": proposal.get("remaining"),
        "handed_over_at": sheet_time(at) if at else entry.at,  # local, as a person reads it
        "state": CaseState.OPEN.value,
        "last_action": f"Overdraget {at:%d-%m-%Y}" if at else "Overdraget",
        "free_withdrawal": withdrawal_warning(at, days, today),
        "actions_sent": 0,
        "mail_ref": message_id_in(entry.details),
        "updated_at": sheet_time(now),
    }


def refresh_warnings(ctx: FlowContext, rows: Sequence[Row], days: int) -> None:
    """The free-withdrawal warning as of today, on every case still open (only rows whose text changes)."""
    updates = {}
    for r in rows:
        case = OpenCase.of(r)
        if case is None or case.state in CLOSED:
            continue
        text = withdrawal_warning(case.handed_over_at, days, ctx.today)
        if text != str(r.values.get("free_withdrawal") or ""):
            updates[r.number] = {"free_withdrawal": text}
    if updates:
        ctx.store.update_rows(SAGER, updates)


def send_once(ctx: FlowContext, journal: Journal, key: str, what: str, email: Email) -> None:
    """The intent journalled, the mail, then "sent": a run that dies in between leaves the intent for the next
    run to find (and mark for a person), never a second mail."""
    journal.record(LogAction.CASE_ACTION_SENDING, key, what)
    ctx.send_mail(email)
    journal.record(LogAction.CASE_ACTION_SENT, key, f"{what} til {', '.join(email.to)}")
