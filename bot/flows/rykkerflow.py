"""rykkerflow: check the settings against the ledger, propose who is due reminder 1, 2 or 3, and mail the
overview; in fully automatic mode send them at once. Then the inkasso proposals follow as their own job."""

from __future__ import annotations

from bot.dunning.rules import propose_reminders
from bot.dunning.validation import check_against_ledger
from bot.flows.context import FlowContext
from bot.flows.journal import Journal
from bot.flows.mails import mail_overview, mail_send_report
from bot.flows.proposal_rows import merge_proposals, send_targets
from bot.flows.sending import send_approved
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
        fresh_ids = {p.proposal_id for p in fresh}
        targets = [t for t in send_targets(ctx.store.read_table(RYKKERFORSLAG))
                   if t.proposal_id in fresh_ids and t.status == ProposalStatus.PROPOSED.value]
        outcomes = send_approved(ctx, journal, targets)
        mail_send_report(ctx, outcomes)
        sent = sum(o.status is ProposalStatus.SENT for o in outcomes)
        summary = f"fuldautomatisk: {sent} rykkere sendt"
    else:
        mail_overview(ctx, fresh)
        summary = f"{len(fresh)} rykkerforslag klar til godkendelse" if fresh else "ingen nye rykkerforslag"
    ctx.job.enqueue(JobType.INKASSOFORSLAG)
    return summary
