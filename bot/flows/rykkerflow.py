"""rykkerflow: read the rule tabs (checked against the law) and the ledger, propose one reminder per customer
and currency due a step of its rule's template, write who was left out and why (tab Ikke rykket, and the
overview mail); in fully automatic mode send them at once. Then the inkasso proposals follow as their own job."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.dunning.outcomes import SendTarget
from bot.events.plan import record_plan
from bot.flows.case_followup_auto import chain_proposals
from bot.flows.case_payments import report_case_payments
from bot.flows.channel_send import check_channels, send_by_channel
from bot.flows.context import FlowContext
from bot.flows.dunning_plan import load_rules, plan_today, proposal_of, skip_row
from bot.flows.mails import mail_overview, mail_send_report
from bot.flows.proposal_rows import merge_proposals, send_targets
from bot.flows.sending import job_outcomes
from bot.formats import counted
from sheets_schema import IKKE_RYKKET, RYKKERFORSLAG, SKABELONER, LogAction, Mode, ProposalStatus, Row


def run(ctx: FlowContext) -> str:
    settings = ctx.settings
    journal = ctx.journal()
    ctx.job.progress("kontrollerer indstillinger")
    templates = ctx.store.read_table(SKABELONER)
    rules = load_rules(ctx.store, templates)  # the rule tabs and the law, before the ledger is opened
    steps = check_channels(ctx, templates)  # e-mail and letter steps: templates, no fee, the sender

    ctx.job.progress("finder rykkere")
    plan = plan_today(ctx, journal, rules)
    proposals = [proposal_of(line, ctx.today) for line in plan.lines]
    ctx.store.replace_rows(IKKE_RYKKET, [skip_row(s, ctx.today) for s in plan.skips])
    existing = ctx.store.read_table(RYKKERFORSLAG)
    if settings.mode is Mode.FULL_AUTO:
        existing = _reopen_unsent(existing, journal.keys(LogAction.REMINDER_INTENT))
    rows, fresh = merge_proposals(existing, proposals, ctx.today)
    if settings.mode is Mode.FULL_AUTO:
        fresh_ids = {p.proposal_id for p in fresh}
        for r in rows:
            if r["proposal_id"] in fresh_ids:
                r["approve"] = True
    ctx.store.replace_rows(RYKKERFORSLAG, rows)
    record_plan(ctx.events, plan, {p.proposal_id for p in fresh})  # the event log: per invoice, and the skips
    journal.record(LogAction.REMINDERS_PROPOSED, "", f"{len(fresh)} forslag")

    if settings.mode is Mode.FULL_AUTO:
        outcomes = job_outcomes(ctx, journal, send_by_channel(ctx, journal, _robots_to_send(ctx), plan,
                                                              plan.skips, steps))
        mail_send_report(ctx, outcomes, plan.skips)
        sent = sum(o.status is ProposalStatus.SENT for o in outcomes)
        summary = f"fuldautomatisk: {counted(sent, 'rykker', 'rykkere')} sendt"
    else:
        mail_overview(ctx, fresh, plan.skips)
        summary = f"{len(fresh)} rykkerforslag klar til godkendelse" if fresh else "ingen nye rykkerforslag"
    summary += report_case_payments(ctx)  # payments on cases handed over to inkasso
    chain_proposals(ctx)  # inkassoforslag after the send (here in full-auto mode), unless switched off
    return summary


def _reopen_unsent(rows: Sequence[Row], intended: set[str]) -> list[Row]:
    """Rows a killed full-auto run left in Sender with no intent journalled: nothing went out for them (the intent
    comes before the Send), so they are open proposals again. If still due they come back ticked and are sent;
    if no longer due (paid meanwhile) they go, as any open proposal does."""
    return [_Row(r.number, {**r.values, "status": ProposalStatus.PROPOSED.value})
            if r.values.get("status") == ProposalStatus.SENDING.value and r.values.get("proposal_id") not in intended
            else r for r in rows]


def _robots_to_send(ctx: FlowContext) -> list[SendTarget]:
    """In full-auto mode the robot sends every ticked open row: the fresh ones, and those a killed run left in
    Sender after journalling their intent; the check in ``sending`` finds in the ledger's history those that went
    out, so none goes twice."""
    open_ = {ProposalStatus.PROPOSED.value, ProposalStatus.SENDING.value}
    return [t for t in send_targets(ctx.store.read_table(RYKKERFORSLAG)) if t.status in open_]


@dataclass(frozen=True)
class _Row:
    """A row as read, with its status changed: what ``merge_proposals`` reads (a ``sheets_schema.Row``)."""

    number: int
    values: Mapping[str, Any]
