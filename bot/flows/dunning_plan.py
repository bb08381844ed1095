"""Today's run plan from the client's sheet and ledger: the rule tabs (checked against the law), the ledger's
customers and open items, and each invoice's history (the robot's journal and the ledger's reminders)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from typing import Any

from bot.dunning.engine import ReminderLine, RunPlan, Skip, plan_run
from bot.dunning.exclusions import excluded_customers
from bot.dunning.history import SentLine, step_records
from bot.dunning.law import Law, load_laws
from bot.dunning.models import ReminderProposal
from bot.dunning.sheet_rules import DunningRules, parse_rules
from bot.dunning.validation import check_against_ledger
from bot.flows.context import ClientStore, FlowContext
from bot.flows.journal import Journal
from bot.records import InvoiceFilter
from jobqueue.rows import parse_iso
from sheets_schema import KUNDEPLACERING, PAUSER, REGLER, SKABELONER, LogAction, Row

__all__ = ["CREDITOR_COUNTRY", "law", "load_rules", "plan_today", "proposal_of", "skip_row"]

CREDITOR_COUNTRY = "DK"  # the law table row the clients' templates are checked against


def law() -> Law:
    return load_laws()[CREDITOR_COUNTRY]


def load_rules(store: ClientStore, templates: Sequence[Row] | None = None) -> DunningRules:
    """The rule tabs (``templates``: the Skabeloner rows when read already); ``SettingsError`` naming every cell
    to fix (the law's checks included)."""
    templates = store.read_table(SKABELONER) if templates is None else templates
    return parse_rules(templates, store.read_table(REGLER), store.read_table(KUNDEPLACERING),
                       store.read_table(PAUSER), law())


def plan_today(ctx: FlowContext, journal: Journal, rules: DunningRules | None = None,
               only: Collection[int] | None = None) -> RunPlan:
    """Who is due which step today, and why the others are not (the rules read from the sheet unless given).

    ``only``: plan these customers alone, reading only their part of the ledger (a send plans the customers of the
    rows it sends: it costs what it sends, not what the ledger holds). Each customer is planned on its own data,
    so their lines are the ones a whole plan has; the Instruks exclusions are then not checked against the whole
    ledger (rykkerflow does that before anything is proposed)."""
    rules = rules or load_rules(ctx.store)
    ledger = ctx.ledger
    customers = ledger.customers(only)
    terms = ledger.payment_terms()
    if only is None:
        check_against_ledger(ctx.settings, customers, terms)
    invoices = ledger.invoices(InvoiceFilter.OPEN, only)
    overdue = {i.customer_number for i in invoices if i.remaining > 0 and i.due_date < ctx.today}
    reminders = ledger.reminders(overdue) if overdue else []
    sent = [SentLine(e.details, (parse_iso(e.at) or ctx.now()).date())
            for e in journal.entries()
            if e.action in (LogAction.REMINDER_SENT.value, LogAction.CHANNEL_STEP_SENT.value)]
    history = step_records(sent, reminders)
    plan = plan_run(customers, invoices, history, rules.templates, rules.rules, rules.pauses, law(), ctx.today,
                    excluded_customers(customers, terms, ctx.settings.policy))
    used = {(r.template, r.version) for r in history}
    used |= {(i.template.name, i.template.version) for line in plan.lines for i in line.items}
    lock = rules.to_lock(used)  # a version that was or is about to be used is never edited in place
    if lock:
        ctx.store.update_rows(SKABELONER, {row: {"locked": seal} for row, seal in lock.items()})
    return plan


def proposal_of(line: ReminderLine, today: date) -> ReminderProposal:
    oldest = min(i.invoice.due_date for i in line.items)
    return ReminderProposal(
        proposal_id=line.line_id, customer_number=line.customer_number, customer_name=line.customer_name,
        invoice_numbers=tuple(sorted(line.invoice_numbers)), amount=line.amount.amount, oldest_due=oldest,
        days_overdue=(today - oldest).days, step=line.step, fee=line.fee.amount, text=line.text,
        currency=line.currency, template=line.template.label)


def skip_row(skip: Skip, today: date) -> dict[str, Any]:
    return {"run_date": today, "customer_number": skip.customer_number, "customer_name": skip.customer_name,
            "currency": skip.currency, "kind": skip.kind.value, "reason": skip.reason}
