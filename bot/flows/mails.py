"""The mails a flow sends: render (pure) and hand to the mailer. Recipients come from the Instruks tab."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.addresses import usable_recipients
from bot.dunning.engine import Skip
from bot.dunning.models import ReminderProposal
from bot.dunning.outcomes import SendOutcome
from bot.errors import SettingsError
from bot.flows.case_rows import CaseTarget
from bot.flows.context import FlowContext
from bot.inkasso.models import CaseFile, CaseProposal
from bot.mail.message import Email, split_by_size
from bot.mail.port import Mailer
from bot.texts import render
from sheets_schema import CaseStatus

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CaseOutcome:
    target: CaseTarget
    status: CaseStatus
    message: str


def mail_settings_error(mailer: Mailer, values: Mapping[str, str], error: SettingsError, sheet_url: str) -> None:
    """Tell the proposal recipients which cells to fix; a malformed address among them does not stop the mail
    to the others. With no usable address the status cell is the only channel left (the worker writes it)."""
    to = usable_recipients(values.get("proposal_recipients", ""))
    if not to:
        log.info("settings error not mailed: no usable recipients")
        return
    mailer.send(render.render_settings_error(error.problems, values.get("client_name", "") or "", to, sheet_url))


def mail_overview(ctx: FlowContext, proposals: Sequence[ReminderProposal], skips: Sequence[Skip] = ()) -> None:
    """The new proposals, and the customers left out with the reason (sent when there are new proposals)."""
    if proposals and ctx.settings.proposal_recipients:
        ctx.send_mail(render.render_reminder_overview(ctx.settings.client_name, list(proposals), ctx.sheet_url,
                                                      ctx.settings.proposal_recipients, skips=list(skips)))


def mail_send_report(ctx: FlowContext, outcomes: Sequence[SendOutcome], skips: Sequence[Skip] = ()) -> None:
    s = ctx.settings
    if not (outcomes and s.status_mail and s.status_recipients):
        return
    ctx.send_mail(render.render_send_report(s.client_name, outcomes, s.status_recipients, skips=skips))


def mail_inkasso_overview(ctx: FlowContext, cases: Sequence[CaseProposal]) -> None:
    if cases and ctx.settings.proposal_recipients:
        ctx.send_mail(render.render_inkasso_overview(ctx.settings.client_name, list(cases), ctx.sheet_url,
                                                     ctx.settings.proposal_recipients))


def case_mail_parts(ctx: FlowContext, cases: Sequence[CaseFile], limit_bytes: int) -> list[Email]:
    """One mail with these cases, as the numbered parts it must be split into to stay under the size limit
    (the mail itself if it fits). The attachments are in case order, shared out in that order."""
    email = render.render_case_mail(ctx.settings.client_name, list(cases), (ctx.settings.inkasso_email,),
                                    reply_to=ctx.settings.proposal_recipients)
    return split_by_size(email, limit_bytes)


def mail_case_status(ctx: FlowContext, outcomes: Sequence[CaseOutcome]) -> None:
    s = ctx.settings
    if not (outcomes and s.status_mail and s.status_recipients):
        return
    results = [render.CaseResult(case_id=o.target.case_id, customer_number=o.target.customer_number,
                                 customer_name=o.target.customer_name, status=o.status.value, message=o.message,
                                 invoice_numbers=o.target.invoice_numbers)
               for o in outcomes]
    ctx.send_mail(render.render_case_status_report(s.client_name, results, s.status_recipients, s.inkasso_email))
