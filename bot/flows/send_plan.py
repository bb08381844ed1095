"""What a send does with each ticked row, decided once, before anything is sent.

Each row gets one decision:
- **settled**: its outcome is known without sending: refused (its robot-owned cells were changed by hand, or the
  send-time plan no longer has its invoices due a step, with the reason), or sent by an earlier run or attempt (a
  "sent" line in the journal, or an intent whose reminder the ledger's history holds: the history of every such
  customer is read in one filtered list);
- **ledger**: ticked and Sent in the ledger;
- **by channel**: mailed to the customer or printed as a letter (an e-mail or letter step of its template);
- **done by channel**: an e-mail or letter step an earlier attempt journalled as sent.

The plan is today's, for the customers of the rows still to decide alone (``dunning_plan.plan_today`` reads only
their part of the ledger), and each row is sent as ``approved_line`` makes it: the row's invoices that are still
due a step, with step, text, fee and amount from the rule and the law, never from a cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from bot.dunning.engine import ReminderLine, RunPlan, approved_line
from bot.dunning.outcomes import SendOutcome, SendTarget
from bot.dunning.templates import Channel
from bot.flows.context import FlowContext
from bot.flows.dunning_plan import load_rules, plan_today
from bot.flows.journal import Journal
from bot.flows.proposal_rows import changed_message
from bot.journal import JournalItem, JournalLine
from bot.records import Reminder
from jobqueue.rows import parse_iso
from sheets_schema import LogAction, ProposalStatus, Row


@dataclass(frozen=True)
class Approved:
    """A row to send, and the line today's plan makes of it."""

    target: SendTarget  # as the row reads
    line: ReminderLine

    @property
    def sent_as(self) -> SendTarget:
        """The row as its line sends it: the invoices still due, and the step, fee, text and amount of the rule."""
        line = self.line
        return replace(self.target, invoice_numbers=line.invoice_numbers, amount=line.amount.amount, step=line.step,
                       fee=line.fee.amount, template=line.template.label, text=line.text)


@dataclass
class SendDecision:
    settled: list[SendOutcome] = field(default_factory=list)
    ledger: list[Approved] = field(default_factory=list)
    by_channel: list[Approved] = field(default_factory=list)
    done_by_channel: list[SendTarget] = field(default_factory=list)

    @property
    def ledger_rows(self) -> int:
        """The rows the ledger's channel settles: for its progress."""
        return len(self.settled) + len(self.ledger)


def decide_send(ctx: FlowContext, journal: Journal, targets: Sequence[SendTarget], plan: RunPlan | None = None,
                templates: Sequence[Row] | None = None, by_channel: bool = False) -> SendDecision:
    """Each target's decision. ``plan``: today's plan when the flow has it (else planned here, for the rows that
    need it, with the rules read from the sheet: ``templates`` when the Skabeloner rows are read already);
    ``by_channel``: the client has e-mail or letter steps (else every row goes through the ledger)."""
    decision = SendDecision()
    if by_channel:
        decision.done_by_channel = [t for t in targets
                                    if journal.find(LogAction.CHANNEL_STEP_SENT, t.proposal_id) is not None]
        done = {t.row for t in decision.done_by_channel}
        targets = [t for t in targets if t.row not in done]
    earlier = _sent_earlier(ctx, journal, [t for t in targets if not t.changed])
    to_plan = {t.customer_number for t in targets if not t.changed and t.row not in earlier}
    for t in targets:
        if t.changed:
            decision.settled.append(SendOutcome(t, ProposalStatus.FAILED, None, changed_message(t)))
            continue
        if t.row in earlier:
            decision.settled.append(earlier[t.row])
            continue
        plan = plan or plan_today(ctx, journal, load_rules(ctx.store, templates), only=to_plan)
        line = approved_line(plan, t.customer_number, t.currency, t.invoice_numbers)
        if isinstance(line, str):
            decision.settled.append(SendOutcome(t, ProposalStatus.FAILED, None, f"Ikke sendt: {line}"))
        elif not by_channel or line.channel is Channel.LEDGER or _journalled(journal, t):
            decision.ledger.append(Approved(t, line))
        else:
            decision.by_channel.append(Approved(t, line))
    return decision


def _journalled(journal: Journal, t: SendTarget) -> bool:
    """The ledger's channel intended or sent this row before: it stays the ledger's, whatever the step says now."""
    return any(journal.find(a, t.proposal_id) is not None for a in (LogAction.REMINDER_SENT, LogAction.REMINDER_INTENT))


def _sent_earlier(ctx: FlowContext, journal: Journal, targets: Sequence[SendTarget]) -> dict[int, SendOutcome]:
    """Per row, what the journal or the ledger's history shows went out for it in an earlier run or attempt: a
    "sent" line, or an intent whose reminder is in the history (one filtered read for all such customers)."""
    found: dict[int, SendOutcome] = {}
    unconfirmed: list[tuple[SendTarget, date]] = []
    for t in targets:
        done = journal.find(LogAction.REMINDER_SENT, t.proposal_id)
        intent = journal.find(LogAction.REMINDER_INTENT, t.proposal_id) if done is None else None
        if done is not None:
            found[t.row] = SendOutcome(t, ProposalStatus.SENT, reminder_number(done.details), "Var allerede sendt")
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


def _in_history(history: list[Reminder], t: SendTarget, since: date) -> Reminder | None:
    for r in history:
        if r.customer_number == t.customer_number and r.date >= since and (
                set(r.invoice_numbers) & set(t.invoice_numbers)):
            return r
    return None


def reminder_number(details: str) -> int | None:
    """The ledger's reminder number a "sent" line of the journal names, if any."""
    line = JournalLine.parse(details)
    return line.reminder_number if line is not None else None


def journal_items(line: ReminderLine) -> tuple[JournalItem, ...]:
    """Per invoice: the template version, step and fee the line's letter gives it, as the journal keeps them."""
    return tuple(JournalItem(i.invoice.number, i.template.label, i.step, i.fee, i.compensation > 0)
                 for i in line.items)
