"""Payments after the hand-over, looked for by every rykkerflow: the invoices of each open case in the Sager tab
are read from the ledger; when their remaining amount has fallen since it was last reported (paid or credited
after the hand-over), the partner gets one mail saying what the ledger shows, and the case's row says so.

Each report is journalled under ``<case id>/betaling/<remaining now>`` (intent before the mail, sent after), so a
payment is reported once, and a run that died in between leaves the row "Tjek afsendelse" for a person.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from bot import formats
from bot.errors import SettingsError
from bot.flows.case_followup import CLOSED, OpenCase, free_days, refresh_warnings, send_once
from bot.flows.context import FlowContext
from bot.flows.journal import Journal
from bot.records import Invoice, InvoiceFilter
from bot.sheets.cells import sheet_time
from bot.texts.render_cases import FollowUp, render_case_action
from sheets_schema import SAGER, CaseAction, CaseState, LogAction


def report_case_payments(ctx: FlowContext) -> str:
    """Report the payments found on open cases; the text to add to the job's summary ("" when none)."""
    try:
        rows = ctx.store.read_table(SAGER)
    except SettingsError as e:  # a cell typed wrong in Sager must not stop the reminders: said, not raised
        return f"; betalinger på inkassosager ikke tjekket: {e.summary()}"
    if not rows:
        return ""
    refresh_warnings(ctx, rows, free_days(ctx))  # the view's countdown, day by day
    cases = [c for c in (OpenCase.of(r) for r in rows)
             if c is not None and c.state not in CLOSED and c.state != CaseState.CHECK.value]
    if not cases or not ctx.settings.inkasso_email:
        return ""
    ctx.job.progress(f"ser efter betalinger på {len(cases)} sager hos inkasso")
    ledger_invoices: dict[int, dict[int, Invoice]] = {}
    for customer in sorted({c.customer_number for c in cases}):
        found = ctx.ledger.invoices(InvoiceFilter.ALL, customers=customer)
        ledger_invoices[customer] = {i.number: i for i in found}
    journal = ctx.journal()
    latest = journal.latest([LogAction.CASE_ACTION_SENDING, LogAction.CASE_ACTION_SENT, LogAction.CASE_ACTION_CHECK])
    reported = checks = 0
    for case in cases:
        mine = ledger_invoices[case.customer_number]
        invoices = tuple(mine[n] for n in case.invoice_numbers if n in mine)
        if len(invoices) != len(case.invoice_numbers):
            continue  # an invoice gone from the ledger: nothing to state for sure
        now = sum((i.remaining for i in invoices), Decimal(0))
        if case.remaining is None:
            ctx.store.update_rows(SAGER, {case.row: {"remaining": now}})  # a baseline, nothing to compare with
            continue
        if now >= case.remaining:
            continue
        key = f"{case.case_id}/betaling/{now}"
        done = latest.get(key)
        if done is LogAction.CASE_ACTION_SENDING:
            _mark_check(ctx, journal, case, key)
            checks += 1
            continue
        if done is not LogAction.CASE_ACTION_SENT:
            email = render_case_action(
                ctx.settings.client_name, case.ref(),
                FollowUp(CaseAction.PAYMENT, payments=invoices, remaining_before=case.remaining),
                ctx.settings.inkasso_email, reply_to=ctx.settings.proposal_recipients)
            send_once(ctx, journal, key, f"{CaseAction.PAYMENT.value} ({case.case_id})", email)
        ctx.store.update_rows(SAGER, {case.row: _reported(ctx, case, now, invoices[0].currency)})
        reported += 1
    text = f", {reported} betalinger meldt til inkasso" if reported else ""
    return text + (f", {checks} skal tjekkes (se Sager)" if checks else "")


def _reported(ctx: FlowContext, case: OpenCase, now: Decimal, currency: str) -> dict[str, Any]:
    state = CaseState.PAID if now <= 0 else CaseState.PAYMENT
    return {
        "remaining": now,
        "state": state.value,
        "last_action": (f"{CaseAction.PAYMENT.value}: restbeløb {formats.money(now, currency)} "
                        f"(var {formats.money(case.remaining or Decimal(0), currency)}), sendt {ctx.today:%d-%m-%Y}"),
        "message": "",
        "updated_at": sheet_time(ctx.now()),
    } | ({"free_withdrawal": ""} if now <= 0 else {})


def _mark_check(ctx: FlowContext, journal: Journal, case: OpenCase, key: str) -> None:
    message = (f"En tidligere kørsel blev afbrudt, mens en betaling blev meldt til {ctx.settings.inkasso_email}; den "
               "kan være sendt. Tjek hos inkassopartneren, og skriv så «"
               f"{CaseState.OPEN.value}» i Sagsstatus (er den ikke modtaget, meldes den igen ved næste kørsel).")
    ctx.store.update_rows(SAGER, {case.row: {"state": CaseState.CHECK.value, "message": message}})
    journal.record(LogAction.CASE_ACTION_CHECK, key, "Afbrudt under afsendelse; afventer bogholderen")
