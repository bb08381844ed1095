"""send_rykkere ("Send rykkere"): send exactly the ticked reminders, mark the rows, report who got what (in every
attempt of the job)."""

from __future__ import annotations

from bot.flows.case_followup_auto import chain_proposals
from bot.flows.channel_send import send_by_channel
from bot.flows.context import FlowContext
from bot.flows.mails import mail_send_report
from bot.flows.proposal_rows import send_targets
from bot.flows.sending import job_outcomes
from bot.formats import counted
from sheets_schema import RYKKERFORSLAG, ProposalStatus


def run(ctx: FlowContext) -> str:
    targets = send_targets(ctx.store.read_table(RYKKERFORSLAG))
    journal = ctx.journal()
    # The report covers the job: what an earlier attempt of it sent before a crash or an outage counts too.
    outcomes = job_outcomes(ctx, journal, send_by_channel(ctx, journal, targets))  # each by its channel
    chain_proposals(ctx)  # in approval mode inkassoforslag follows the send as its own job, unless switched off
    if not outcomes:
        return "ingen godkendte rykkere at sende"
    mail_send_report(ctx, outcomes)
    sent = sum(o.status is ProposalStatus.SENT for o in outcomes)
    failed = len(outcomes) - sent
    return f"{counted(sent, 'rykker', 'rykkere')} sendt" + (f", {failed} fejlede (se Rykkerforslag)" if failed else "")
