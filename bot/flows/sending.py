"""The ledger's channel of a send: the rows ``send_plan`` gave the ledger, ticked and Sent exactly once.

Reminders of the same step, fee and text go out in batches (``send_batch``, default 25), one Send in the ledger
each, as a bookkeeper ticks many rows and presses Send once. Before the first Send the intents of the whole run are
journalled in the Log tab (one append): a later run that finds an intent without a confirmed send asks the ledger's
history (``send_plan``). Row updates and the "sent" journal lines are buffered and flushed at a quarter, half and
three quarters of the run (never twice within 15 seconds) and at its end, so the Sheets requests of a send do not
grow with the number of reminders: 1,300 reminders cost one intent append and at most four flushes, as 40 do.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import Decimal

from bot.dunning.engine import ReminderLine, RunPlan
from bot.dunning.outcomes import SendOutcome, SendTarget
from bot.flows.context import FlowContext
from bot.flows.flushing import Flushes, HeldWrites
from bot.flows.journal import Journal
from bot.flows.proposal_rows import target_of
from bot.flows.send_plan import Approved, SendDecision, decide_send, journal_items, reminder_number
from bot.journal import JournalLine
from bot.sheets.cells import sheet_time
from sheets_schema import RYKKERFORSLAG, LogAction, ProposalStatus


def send_approved(ctx: FlowContext, journal: Journal, targets: Sequence[SendTarget],
                  plan: RunPlan | None = None) -> list[SendOutcome]:
    """Send the ticked rows through the ledger alone, as today's plan (``plan``, or planned now) allows them."""
    return send_ledger(ctx, journal, decide_send(ctx, journal, targets, plan))


def send_ledger(ctx: FlowContext, journal: Journal, decision: SendDecision) -> list[SendOutcome]:
    """The ledger's rows of ``decision``: its settled rows noted, then its approved rows sent in batches; every
    outcome journalled and written to its row."""
    outcomes: list[SendOutcome] = []
    held = HeldWrites(ctx.store, RYKKERFORSLAG, journal)
    for outcome in decision.settled:
        _note(ctx, journal, outcome, None, outcomes, held)
    fresh = {a.target.row: a for a in decision.ledger}
    # One append: what earlier attempts settled, then the intent of every reminder this run will send.
    held.record([_intent(a) for a in decision.ledger])
    held.rows.update({row: {"status": ProposalStatus.SENDING.value, "message": "", "updated_at": sheet_time(
        ctx.now())} for row in fresh})
    held.flush()
    flushes = Flushes(decision.ledger_rows, held.flush)
    try:
        for batch in batches([a.sent_as for a in decision.ledger], ctx.send_batch):
            for outcome in _send_batch(ctx, batch, fresh):
                _note(ctx, journal, outcome, fresh[outcome.target.row].line, outcomes, held)
            ctx.job.progress(f"{len(outcomes)}/{decision.ledger_rows} sendt")
            flushes.advanced(len(outcomes))
    finally:
        held.flush()
    return outcomes


def _note(ctx: FlowContext, journal: Journal, outcome: SendOutcome, line: ReminderLine | None,
          outcomes: list[SendOutcome], held: HeldWrites) -> None:
    """Keep ``outcome``: its row's update and (unless journalled already) its "sent" or "failed" line."""
    t = outcome.target
    outcomes.append(outcome)
    held.rows[t.row] = {
        "status": outcome.status.value,
        "message": outcome.message,
        "reminder_number": outcome.reminder_number or "",
        "updated_at": sheet_time(ctx.now()),
    }
    if journal.find(LogAction.REMINDER_SENT, t.proposal_id) is not None:
        return
    sent = outcome.status is ProposalStatus.SENT
    details = _details(t, outcome)
    if sent and line is not None:
        details = replace(details, items=journal_items(line))
    elif sent:  # found in the ledger's history after a crash: the intent holds what each invoice got
        intent = journal.find(LogAction.REMINDER_INTENT, t.proposal_id)
        known = JournalLine.parse(intent.details) if intent is not None else None
        if known is not None and known.items is not None:
            details = replace(details, items=known.items)
    held.log.append((LogAction.REMINDER_SENT if sent else LogAction.REMINDER_FAILED, t.proposal_id, details.text()))


def _intent(a: Approved) -> tuple[LogAction, str, str]:
    t = a.sent_as
    line = JournalLine(t.customer_number, t.step, items=journal_items(a.line))
    return LogAction.REMINDER_INTENT, t.proposal_id, line.text()


def job_outcomes(ctx: FlowContext, journal: Journal, outcomes: list[SendOutcome]) -> list[SendOutcome]:
    """What the whole job did, for its report: the reminders earlier attempts of this job (the same job id,
    before a crash or an outage) journalled as sent or failed and this attempt did not touch, then this one's."""
    seen = {o.target.proposal_id for o in outcomes}
    earlier = {e.key: e for e in journal.of_job(LogAction.REMINDER_FAILED) + journal.of_job(LogAction.REMINDER_SENT)
               if e.key not in seen}
    if not earlier:
        return outcomes
    found: list[SendOutcome] = []
    for r in ctx.store.read_table(RYKKERFORSLAG):
        entry = earlier.get(str(r.values.get("proposal_id") or ""))
        target = target_of(r) if entry is not None else None
        if entry is None or target is None:
            continue
        if entry.action == LogAction.REMINDER_SENT.value:
            found.append(SendOutcome(target, ProposalStatus.SENT, reminder_number(entry.details), ""))
        else:
            found.append(SendOutcome(target, ProposalStatus.FAILED, None, _message_in(entry.details)))
    return found + outcomes


def batches(targets: Sequence[SendTarget], size: int) -> list[list[SendTarget]]:
    """Targets that can go in one Send (same step, fee and text, each customer once), at most ``size`` each,
    in the order of the sheet."""
    groups: dict[tuple[int, Decimal, str], list[list[SendTarget]]] = {}
    for t in targets:
        chunks = groups.setdefault((t.step, t.fee, t.text), [[]])
        if len(chunks[-1]) >= max(1, size) or any(o.customer_number == t.customer_number for o in chunks[-1]):
            chunks.append([])
        chunks[-1].append(t)
    return [chunk for chunks in groups.values() for chunk in chunks]


def _send_batch(ctx: FlowContext, batch: list[SendTarget], fresh: Mapping[int, Approved]) -> list[SendOutcome]:
    """Send one batch in one go (its intents are journalled already), each reminder naming exactly its
    invoices."""
    step, fee, text = batch[0].step, batch[0].fee, batch[0].text
    invoices = {t.customer_number: fresh[t.row].line.invoice_numbers for t in batch}
    result = ctx.ledger.send_reminders(step, invoices, fee, text)
    outcomes: list[SendOutcome] = []
    for t in batch:
        reminder = result.sent.get(t.customer_number)
        outcomes.append(SendOutcome(t, ProposalStatus.SENT, reminder.number, "") if reminder is not None else
                        SendOutcome(t, ProposalStatus.FAILED, None,
                                    result.refused.get(t.customer_number, "Regnskabet sendte den ikke")))
    return outcomes


def _details(t: SendTarget, o: SendOutcome) -> JournalLine:
    if o.reminder_number is not None:
        return JournalLine(t.customer_number, t.step, o.reminder_number)
    return JournalLine(t.customer_number, t.step, message=o.message)


def _message_in(details: str) -> str:
    line = JournalLine.parse(details)
    return (line.message or "") if line is not None else ""
