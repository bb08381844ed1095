"""inkassoforslag: list the ledger's inkasso cases, drop those already handed over (the robot's own log),
write the proposals with approval checkboxes, and mail the overview."""

from __future__ import annotations

from bot.events.plan import record_cases
from bot.flows.case_followup_auto import auto_hand_over, proposals_off
from bot.flows.case_rows import debtor_gaps, merge_cases
from bot.flows.context import FlowContext
from bot.flows.mails import mail_inkasso_overview
from bot.inkasso.rules import customers_to_read, propose_cases
from bot.records import InvoiceFilter
from sheets_schema import INKASSOFORSLAG, LogAction


def run(ctx: FlowContext) -> str:
    if off := proposals_off(ctx):  # switched off on Instruks: nothing is proposed
        return off
    ledger = ctx.ledger
    journal = ctx.journal()
    handed_over = journal.keys(LogAction.CASE_HANDED_OVER)
    ctx.job.progress("læser inkassolisten")
    listed = ledger.inkasso_list()
    customers = customers_to_read(listed, handed_over)
    ctx.job.progress(f"læser fakturaer og rykkere for {len(customers)} kunder")
    # All customers at once, from list pages filtered to them: a page per 50 rows, not two per customer (the
    # invoices over the API where the client has one; the history is only in the UI).
    invoices = ledger.invoices(InvoiceFilter.OVERDUE, customers) if customers else []
    reminders = ledger.reminders(customers) if customers else []
    # Inactive customers get no case (nobody to collect from); the master data the partner needs: theirs only, in bulk.
    everyone = ledger.customers(customers) if customers else []
    proposals = propose_cases(listed, invoices, reminders, handed_over, {c.number: c for c in everyone})
    rows, fresh = merge_cases(ctx.store.read_table(INKASSOFORSLAG), proposals, ctx.today,
                              debtor_gaps(ctx, proposals, everyone))
    auto = auto_hand_over(ctx, rows, listed)  # rows due for automatic hand-over ticked, opret_sager queued
    ctx.store.replace_rows(INKASSOFORSLAG, rows)
    record_cases(ctx.events, fresh)  # the event log, one line per invoice
    journal.record(LogAction.CASES_PROPOSED, "", f"{len(fresh)} forslag")
    mail_inkasso_overview(ctx, fresh)
    return (f"{len(fresh)} inkassoforslag klar til godkendelse" if fresh else "ingen nye inkassoforslag") + auto
