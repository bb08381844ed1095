"""Send approved reminders exactly once.

Before each reminder the intent is journalled in the Log tab. A run that finds an intent without a
confirmed send (the worker died in between) looks in the ledger's reminder history before sending: a
reminder for that customer at that level, dated on or after the intent, covering the invoices, means it went
out. Row updates are batched and flushed every few seconds and when the run ends, so a run of 40 reminders
costs about 40 Log appends and a handful of row writes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.errors import NotInLedger
from bot.flows.context import FlowContext
from bot.flows.journal import Journal
from bot.flows.proposal_rows import SendTarget
from bot.ledger.models import Reminder
from jobqueue.rows import iso, parse_iso
from sheets_schema import RYKKERFORSLAG, LogAction, ProposalStatus

FLUSH_SECONDS = 5.0


@dataclass(frozen=True)
class SendOutcome:
    target: SendTarget
    status: ProposalStatus  # SENT or FAILED
    reminder_number: int | None
    message: str


def send_approved(ctx: FlowContext, journal: Journal, targets: list[SendTarget]) -> list[SendOutcome]:
    if not targets:
        return []
    store = ctx.store
    store.update_rows(RYKKERFORSLAG, {t.row: {"status": ProposalStatus.SENDING.value, "message": "",
                                              "updated_at": iso(ctx.now())} for t in targets})
    outcomes: list[SendOutcome] = []
    pending: dict[int, dict[str, Any]] = {}
    pending_log: list[tuple[LogAction, str, str]] = []
    last_flush = time.monotonic()

    def flush() -> None:
        nonlocal last_flush
        if pending:
            store.update_rows(RYKKERFORSLAG, dict(pending))
            pending.clear()
        journal.record_many(list(pending_log))
        pending_log.clear()
        last_flush = time.monotonic()

    try:
        for i, t in enumerate(targets, 1):
            outcome = _send_one(ctx, journal, t)
            outcomes.append(outcome)
            pending[t.row] = {
                "status": outcome.status.value,
                "message": outcome.message,
                "reminder_number": outcome.reminder_number or "",
                "updated_at": iso(ctx.now()),
            }
            if journal.find(LogAction.REMINDER_SENT, t.proposal_id) is None:
                action = LogAction.REMINDER_SENT if outcome.status is ProposalStatus.SENT else LogAction.REMINDER_FAILED
                pending_log.append((action, t.proposal_id, _details(t, outcome)))
            ctx.job.progress(f"{i}/{len(targets)} sendt")
            if time.monotonic() - last_flush >= FLUSH_SECONDS:
                flush()
    finally:
        flush()
    return outcomes


def _send_one(ctx: FlowContext, journal: Journal, t: SendTarget) -> SendOutcome:
    done = journal.find(LogAction.REMINDER_SENT, t.proposal_id)
    if done is not None:
        return SendOutcome(t, ProposalStatus.SENT, _number_in(done.details), "Var allerede sendt")
    intent = journal.find(LogAction.REMINDER_INTENT, t.proposal_id)
    if intent is not None:
        since = (parse_iso(intent.at) or ctx.now()).date()
        found = _in_history(ctx.ledger.reminders(t.customer_number), t, since)
        if found is not None:
            return SendOutcome(t, ProposalStatus.SENT, found.number, "Sendt (bekræftet i rykkerhistorikken)")
    journal.record(LogAction.REMINDER_INTENT, t.proposal_id, f"Kunde {t.customer_number}, rykker {t.level}")
    try:
        level = ctx.settings.policy.level(t.level)
        reminder = ctx.ledger.send_reminder(t.customer_number, t.level, t.fee, level.text)
    except NotInLedger as e:
        return SendOutcome(t, ProposalStatus.FAILED, None, str(e))
    return SendOutcome(t, ProposalStatus.SENT, reminder.number, "")


def _in_history(history: list[Reminder], t: SendTarget, since: date) -> Reminder | None:
    for r in history:
        if r.level == t.level and r.date >= since and (set(r.invoice_numbers) & set(t.invoice_numbers)):
            return r
    return None


def _details(t: SendTarget, o: SendOutcome) -> str:
    if o.reminder_number is not None:
        return f"Rykker-nr {o.reminder_number}: kunde {t.customer_number}, rykker {t.level}"
    return f"Kunde {t.customer_number}, rykker {t.level}: {o.message}"


def _number_in(details: str) -> int | None:
    head = details.split(":", 1)[0]
    digits = head.removeprefix("Rykker-nr ").strip()
    return int(digits) if digits.isdigit() else None
