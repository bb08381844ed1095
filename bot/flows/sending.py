"""Send approved reminders exactly once, and exactly what the rules allow today.

At send time the run is planned again for the customers of the ticked rows (``dunning_plan``, reading only their
part of the ledger) and each ticked row is sent as ``approved_line`` makes it: the row's invoices that are still due
a step, with step, text, fee and amount from the rule and the law, never from a cell. A row whose robot-owned cells
were changed by hand, or whose invoices are no longer due, is refused with the reason and nothing is sent for it.

Reminders of the same step, fee and text go out in batches (``send_batch``, default 25), one Send in the ledger
each, as a bookkeeper ticks many rows and presses Send once. Before the first Send the intents of the whole run are
journalled in the Log tab (one append). A run that finds intents without a confirmed send (the worker died in
between) reads the ledger's reminder history of those customers in one filtered list before sending: a reminder for
that customer, dated on or after the intent, covering the invoices, means it went out. Row updates and the "sent"
journal lines are buffered and flushed at a quarter, half and three quarters of the run (never twice within 15
seconds) and at its end, so the Sheets requests of a send do not grow with the number of reminders: 1,300 reminders
cost one intent append and at most four flushes, as 40 do.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from bot.dunning.engine import ReminderLine, RunPlan, approved_line
from bot.flows.context import FlowContext
from bot.flows.dunning_plan import plan_today
from bot.flows.flushing import Flushes, HeldWrites
from bot.flows.journal import Journal
from bot.flows.proposal_rows import SendTarget, changed_message, target_of
from bot.journal import JournalItem, JournalLine
from bot.records import Reminder
from bot.sheets.cells import sheet_time
from jobqueue.rows import parse_iso
from sheets_schema import RYKKERFORSLAG, LogAction, ProposalStatus


@dataclass(frozen=True)
class SendOutcome:
    target: SendTarget
    status: ProposalStatus  # SENT or FAILED
    reminder_number: int | None
    message: str


def send_approved(ctx: FlowContext, journal: Journal, targets: list[SendTarget],
                  plan: RunPlan | None = None) -> list[SendOutcome]:
    """Send the ticked rows as today's plan (``plan``, or planned now) allows them."""
    if not targets:
        return []
    fresh, settled, lines = _decide(ctx, journal, targets, plan)
    outcomes: list[SendOutcome] = []
    held = HeldWrites(ctx.store, RYKKERFORSLAG, journal)
    for outcome in settled:
        _note(ctx, journal, outcome, lines, outcomes, held)
    # One append: what earlier attempts settled, then the intent of every reminder this run will send.
    held.record([_intent(t, lines[t.row]) for t in fresh])
    held.rows.update({t.row: {"status": ProposalStatus.SENDING.value, "message": "", "updated_at": sheet_time(
        ctx.now())} for t in fresh})
    held.flush()
    flushes = Flushes(len(targets), held.flush)
    try:
        for batch in batches(fresh, ctx.send_batch):
            for outcome in _send_batch(ctx, batch, lines):
                _note(ctx, journal, outcome, lines, outcomes, held)
            ctx.job.progress(f"{len(outcomes)}/{len(targets)} sendt")
            flushes.advanced(len(outcomes))
    finally:
        held.flush()
    return outcomes


def _note(ctx: FlowContext, journal: Journal, outcome: SendOutcome, lines: Mapping[int, ReminderLine],
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
    line = lines.get(t.row)
    details = _details(t, outcome)
    if sent and line is not None:
        details = replace(details, items=_items(line))
    elif sent:  # found in the ledger's history after a crash: the intent holds what each invoice got
        intent = journal.find(LogAction.REMINDER_INTENT, t.proposal_id)
        known = JournalLine.parse(intent.details) if intent is not None else None
        if known is not None and known.items is not None:
            details = replace(details, items=known.items)
    held.log.append((LogAction.REMINDER_SENT if sent else LogAction.REMINDER_FAILED, t.proposal_id, details.text()))


def _intent(t: SendTarget, line: ReminderLine) -> tuple[LogAction, str, str]:
    return LogAction.REMINDER_INTENT, t.proposal_id, JournalLine(t.customer_number, t.level,
                                                                  items=_items(line)).text()


def _decide(ctx: FlowContext, journal: Journal, targets: list[SendTarget], plan: RunPlan | None
            ) -> tuple[list[SendTarget], list[SendOutcome], dict[int, ReminderLine]]:
    """The targets to send (as the send-time plan makes them, each with its approved line), and the outcomes of
    the rest without sending: a refused row with the reason, and a row the journal or the ledger's history shows
    an earlier run or attempt sent (the history of all rows with an unconfirmed intent is read in one go)."""
    fresh: list[SendTarget] = []
    settled: list[SendOutcome] = []
    lines: dict[int, ReminderLine] = {}
    earlier = _sent_earlier(ctx, journal, [t for t in targets if not t.changed])
    to_plan = {t.customer_number for t in targets if not t.changed and t.row not in earlier}
    for t in targets:
        if t.changed:
            settled.append(SendOutcome(t, ProposalStatus.FAILED, None, changed_message(t)))
            continue
        if t.row in earlier:
            settled.append(earlier[t.row])
            continue
        plan = plan or plan_today(ctx, journal, only=to_plan)
        line = approved_line(plan, t.customer_number, t.currency, t.invoice_numbers)
        if isinstance(line, str):
            settled.append(SendOutcome(t, ProposalStatus.FAILED, None, f"Ikke sendt: {line}"))
            continue
        lines[t.row] = line
        fresh.append(replace(t, invoice_numbers=line.invoice_numbers, amount=line.amount.amount, level=line.step,
                             fee=line.fee.amount, template=line.template.label, text=line.text))
    return fresh, settled, lines


def _sent_earlier(ctx: FlowContext, journal: Journal, targets: Sequence[SendTarget]) -> dict[int, SendOutcome]:
    """Per row, what the journal or the ledger's history shows went out for it in an earlier run or attempt: a
    "sent" line, or an intent whose reminder is in the history (one filtered read for all such customers)."""
    found: dict[int, SendOutcome] = {}
    unconfirmed: list[tuple[SendTarget, date]] = []
    for t in targets:
        done = journal.find(LogAction.REMINDER_SENT, t.proposal_id)
        intent = journal.find(LogAction.REMINDER_INTENT, t.proposal_id) if done is None else None
        if done is not None:
            found[t.row] = SendOutcome(t, ProposalStatus.SENT, _number_in(done.details), "Var allerede sendt")
        elif intent is not None:
            unconfirmed.append((t, (parse_iso(intent.at) or ctx.now()).date()))
    if unconfirmed:
        history = ctx.ledger.reminders({t.customer_number for t, _ in unconfirmed})
        for t, since in unconfirmed:
            earlier = _in_history(history, t, since)
            if earlier is not None:
                found[t.row] = SendOutcome(t, ProposalStatus.SENT, earlier.number,
                                           "Sendt (bekræftet i rykkerhistorikken)")
    return found


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
            found.append(SendOutcome(target, ProposalStatus.SENT, _number_in(entry.details), ""))
        else:
            found.append(SendOutcome(target, ProposalStatus.FAILED, None, _message_in(entry.details)))
    return found + outcomes


def batches(targets: Sequence[SendTarget], size: int) -> list[list[SendTarget]]:
    """Targets that can go in one Send (same step, fee and text, each customer once), at most ``size`` each,
    in the order of the sheet."""
    groups: dict[tuple[int, Decimal, str], list[list[SendTarget]]] = {}
    for t in targets:
        chunks = groups.setdefault((t.level, t.fee, t.text), [[]])
        if len(chunks[-1]) >= max(1, size) or any(o.customer_number == t.customer_number for o in chunks[-1]):
            chunks.append([])
        chunks[-1].append(t)
    return [chunk for chunks in groups.values() for chunk in chunks]


def _send_batch(ctx: FlowContext, batch: list[SendTarget], lines: Mapping[int, ReminderLine]) -> list[SendOutcome]:
    """Send one batch in one go (its intents are journalled already), each reminder naming exactly its
    invoices."""
    level, fee, text = batch[0].level, batch[0].fee, batch[0].text
    result = ctx.ledger.send_reminders(level, {t.customer_number: lines[t.row].invoice_numbers for t in batch}, fee,
                                       text)
    outcomes: list[SendOutcome] = []
    for t in batch:
        reminder = result.sent.get(t.customer_number)
        outcomes.append(SendOutcome(t, ProposalStatus.SENT, reminder.number, "") if reminder is not None else
                        SendOutcome(t, ProposalStatus.FAILED, None,
                                    result.refused.get(t.customer_number, "Regnskabet sendte den ikke")))
    return outcomes


def _items(line: ReminderLine) -> tuple[JournalItem, ...]:
    """Per invoice: the template version, step and fee this letter gives it (for the journal)."""
    return tuple(JournalItem(i.invoice.number, i.template.label, i.step, i.fee, i.compensation > 0)
                 for i in line.items)


def _in_history(history: list[Reminder], t: SendTarget, since: date) -> Reminder | None:
    for r in history:
        if r.customer_number == t.customer_number and r.date >= since and (
                set(r.invoice_numbers) & set(t.invoice_numbers)):
            return r
    return None


def _details(t: SendTarget, o: SendOutcome) -> JournalLine:
    if o.reminder_number is not None:
        return JournalLine(t.customer_number, t.level, o.reminder_number)
    return JournalLine(t.customer_number, t.level, message=o.message)


def _number_in(details: str) -> int | None:
    line = JournalLine.parse(details)
    return line.reminder_number if line is not None else None


def _message_in(details: str) -> str:
    line = JournalLine.parse(details)
    return (line.message or "") if line is not None else ""
