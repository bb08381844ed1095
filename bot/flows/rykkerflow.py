"""rykkerflow: check the settings against the ledger, propose who is due reminder 1, 2 or 3, and mail the
overview; in fully automatic mode send them at once. Then the inkasso proposals follow as their own job."""

from __future__ import annotations

from collections.abc import Sequence

from bot.dunning.models import ReminderProposal
from bot.dunning.rules import propose_reminders
from bot.dunning.validation import check_against_ledger
from bot.flows.context import FlowContext
from bot.flows.journal import Journal
from bot.flows.mails import mail_overview, mail_send_report
from bot.flows.proposal_rows import SendTarget, merge_proposals, send_targets
from bot.flows.sending import job_outcomes, send_approved
from sheets_schema import RYKKERFORSLAG, JobType, LogAction, Mode, ProposalStatus


def run(ctx: FlowContext) -> str:
    settings, ledger = ctx.settings, ctx.ledger
    journal = Journal(ctx.store, ctx.job.job.id, ctx.job.job.type, ctx.now)
    ctx.job.progress("kontrollerer indstillinger")
    customers = ledger.customers()
    terms = ledger.payment_terms()
    check_against_ledger(settings, customers, terms)

    ctx.job.progress("finder rykkere")
    proposals = propose_reminders(ledger.reminder_candidates(), customers, terms, settings.policy, ctx.today)
    rows, fresh = merge_proposals(ctx.store.read_table(RYKKERFORSLAG), proposals, ctx.today)
    if settings.mode is Mode.FULL_AUTO:
        fresh_ids = {p.proposal_id for p in fresh}
        for r in rows:
            if r["proposal_id"] in fresh_ids:
                r["approve"] = True
    ctx.store.replace_rows(RYKKERFORSLAG, rows)
    journal.record(LogAction.REMINDERS_PROPOSED, "", f"{len(fresh)} forslag")

    if settings.mode is Mode.FULL_AUTO:
        outcomes = job_outcomes(ctx, journal, send_approved(ctx, journal, _robots_to_send(ctx, journal, proposals)))
        mail_send_report(ctx, outcomes)
        sent = sum(o.status is ProposalStatus.SENT for o in outcomes)
        summary = f"fuldautomatisk: {sent} rykkere sendt"
    else:
        mail_overview(ctx, fresh)
        summary = f"{len(fresh)} rykkerforslag klar til godkendelse" if fresh else "ingen nye rykkerforslag"
    ctx.job.enqueue(JobType.INKASSOFORSLAG)
    return summary


def _robots_to_send(ctx: FlowContext, journal: Journal, proposals: Sequence[ReminderProposal]) -> list[SendTarget]:
    """In full-auto mode the robot sends every ticked row that is still due (the fresh ones, and those a run
    that died left in Sender), and finishes the rows of which a run journalled the intent: the check in
    ``sending`` finds in the ledger's history those that went out, so none goes twice."""
    due = {p.proposal_id for p in proposals}
    intended = journal.keys(LogAction.REMINDER_INTENT)
    open_ = {ProposalStatus.PROPOSED.value, ProposalStatus.SENDING.value}
    return [t for t in send_targets(ctx.store.read_table(RYKKERFORSLAG))
            if t.status in open_ and (t.proposal_id in due or t.proposal_id in intended)]
