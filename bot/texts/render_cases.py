"""Rendering the follow-up of a handed-over case: one mail per case and action to the collection partner.

Pure, like ``render``: data in, an ``Email`` out. The case id is in the subject, and the mail names the case
mail it follows up (its date and Message-ID) so the partner's case handler finds the case.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from bot.mail.message import Email
from bot.records import Invoice
from bot.texts.render import DEFAULT_LANGUAGE, Recipients, render_parts
from sheets_schema.statuses import CaseAction

_ENGLISH = {
    CaseAction.MESSAGE: "Message to the case handler",
    CaseAction.POSTPONE: "Postponed due date",
    CaseAction.PAUSE: "Pause",
    CaseAction.RESUME: "Resume",
    CaseAction.WITHDRAW: "Withdrawal",
    CaseAction.PAYMENT: "Payment registered",
}


@dataclass(frozen=True)
class CaseRef:
    """The handed-over case a follow-up is about."""

    case_id: str
    customer_number: int
    customer_name: str
    invoice_numbers: tuple[int, ...]
    handed_over_at: date | None = None
    mail_ref: str = ""  # the case mail's Message-ID


@dataclass(frozen=True)
class FollowUp:
    """One action on a case: the bookkeeper's (message, postponed due date, pause, resume, withdrawal) or the
    robot's (a payment found in the ledger: ``payments`` are the case's invoices as the ledger shows them)."""

    action: CaseAction
    text: str = ""
    new_date: date | None = None
    free_days: int = 0
    free_left: int = 0  # days left of the free-withdrawal period (withdrawal)
    payments: tuple[Invoice, ...] = ()
    remaining_before: Decimal | None = None


def render_case_action(client_name: str, case: CaseRef, follow_up: FollowUp, to: Recipients,
                       reply_to: Sequence[str] = (), language: str = DEFAULT_LANGUAGE) -> Email:
    f = follow_up
    if f.action is CaseAction.POSTPONE and f.new_date is None:
        raise ValueError("a postponed due date needs the new date")
    context = {
        "client_name": client_name,
        "case_id": case.case_id,
        "customer_number": case.customer_number,
        "customer_name": case.customer_name,
        "invoices": list(case.invoice_numbers),
        "handed_over_at": case.handed_over_at,
        "mail_ref": case.mail_ref,
        "action": f.action.value,
        "action_en": _ENGLISH[f.action],
        "action_key": f.action.name,
        "text": f.text,
        "new_date": f.new_date,
        "free_days": f.free_days,
        "free_left": f.free_left,
        "payments": list(f.payments),
        "remaining_now": sum((i.remaining for i in f.payments), Decimal(0)),
        "remaining_before": f.remaining_before,
        "currency": f.payments[0].currency if f.payments else "DKK",
    }
    subject, text, html = render_parts("case_action", context, language)
    recipients = (to,) if isinstance(to, str) else tuple(to)
    return Email(to=recipients, subject=subject, text=text, html=html, reply_to=tuple(reply_to),
                 in_reply_to=case.mail_ref)
