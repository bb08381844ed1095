"""Send approved reminders exactly once.

Reminders of the same level and fee go out in batches (``send_batch``, default 25), one Send in the ledger
each, as a bookkeeper ticks many rows and presses Send once. Before each batch the intents are journalled in
the Log tab. A run that finds an intent without a confirmed send (the worker died in between) looks in the
ledger's reminder history before sending: a reminder for that customer at that level, dated on or after the
intent, covering the invoices, means it went out. Row updates and the "sent" journal lines are buffered and
flushed every few seconds and when the run ends, so 40 reminders of one level cost two Sends, two intent
appends and a handful of row writes.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from bot.flows.context import FlowContext
from bot.flows.journal import Journal
from bot.flows.proposal_rows import SendTarget, target_of
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
        """The journal first: a row that says Sendt always has its "Rykker sendt" line, so a later attempt that
        no longer sends it still finds it for the job's report."""
        nonlocal last_flush
        journal.record_many(list(pending_log))
        pending_log.clear()
        if pending:
            store.update_rows(RYKKERFORSLAG, dict(pending))
            pending.clear()
        last_flush = time.monotonic()

    try:
        for batch in batches(targets, ctx.send_batch):
            for outcome in _send_batch(ctx, journal, batch):
                t = outcome.target
                outcomes.append(outcome)
                pending[t.row] = {
                    "status": outcome.status.value,
                    "message": outcome.message,
                    "reminder_number": outcome.reminder_number or "",
                    "updated_at": iso(ctx.now()),
                }
                if journal.find(LogAction.REMINDER_SENT, t.proposal_id) is None:
                    sent = outcome.status is ProposalStatus.SENT
                    pending_log.append((LogAction.REMINDER_SENT if sent else LogAction.REMINDER_FAILED,
                                        t.proposal_id, _details(t, outcome)))
            ctx.job.progress(f"{len(outcomes)}/{len(targets)} sendt")
            if time.monotonic() - last_flush >= FLUSH_SECONDS:
                flush()
    finally:
        flush()
    return outcomes


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
            found.append(SendOutcome(target, ProposalStatus.FAILED, None, entry.details.partition(": ")[2]))
    return found + outcomes


def batches(targets: Sequence[SendTarget], size: int) -> list[list[SendTarget]]:
    """Targets that can go in one Send (same level and fee, each customer once), at most ``size`` each,
    in the order of the sheet."""
    groups: dict[tuple[int, Decimal], list[list[SendTarget]]] = {}
    for t in targets:
        chunks = groups.setdefault((t.level, t.fee), [[]])
        if len(chunks[-1]) >= max(1, size) or any(o.customer_number == t.customer_number for o in chunks[-1]):
            chunks.append([])
        chunks[-1].append(t)
    return [chunk for chunks in groups.values() for chunk in chunks]


def _send_batch(ctx: FlowContext, journal: Journal, batch: list[SendTarget]) -> list[SendOutcome]:
    """Send one batch: what the journal or the ledger's history shows as sent is not sent again; the rest
    is journalled as intended (one request) and sent in one go."""
    found: dict[int, SendOutcome] = {}
    fresh: list[SendTarget] = []
    for t in batch:
        done = journal.find(LogAction.REMINDER_SENT, t.proposal_id)
        if done is not None:
            found[t.row] = SendOutcome(t, ProposalStatus.SENT, _number_in(done.details), "Var allerede sendt")
            continue
        intent = journal.find(LogAction.REMINDER_INTENT, t.proposal_id)
        if intent is not None:
            since = (parse_iso(intent.at) or ctx.now()).date()
            earlier = _in_history(ctx.ledger.reminders(t.customer_number), t, since)
            if earlier is not None:
                found[t.row] = SendOutcome(t, ProposalStatus.SENT, earlier.number,
                                           "Sendt (bekræftet i rykkerhistorikken)")
                continue
        fresh.append(t)
    if fresh:
        journal.record_many([(LogAction.REMINDER_INTENT, t.proposal_id,
                              f"Kunde {t.customer_number}, rykker {t.level}") for t in fresh])
        level, fee = fresh[0].level, fresh[0].fee
        result = ctx.ledger.send_reminders(level, [t.customer_number for t in fresh], fee,
                                           ctx.settings.policy.level(level).text)
        for t in fresh:
            reminder = result.sent.get(t.customer_number)
            found[t.row] = (SendOutcome(t, ProposalStatus.SENT, reminder.number, "") if reminder is not None else
                            SendOutcome(t, ProposalStatus.FAILED, None,
                                        result.refused.get(t.customer_number, "Regnskabet sendte den ikke")))
    return [found[t.row] for t in batch]


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
