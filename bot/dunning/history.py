"""Each invoice's dunning history as ``StepRecord``s: the robot's journal first, the ledger's reminders for the rest.

The robot journals every reminder it sends ("Rykker sendt") with, per invoice, the template version, the step
and the fee that letter charged for it (``bot.journal.JournalLine``). A ledger reminder the journal already
describes (same reminder number) is not counted twice; any other ledger reminder (sent by hand, or before the robot
kept these details) of level n counts as step n of "Standard v1", the template migrated from the old fixed levels.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from bot.dunning.migration import FIRST_TEMPLATE
from bot.dunning.templates import StepRecord, parse_label
from bot.journal import JournalLine
from bot.records import Reminder

__all__ = ["SentLine", "step_records"]


@dataclass(frozen=True)
class SentLine:
    """A "Rykker sendt" line of the journal: its details text and the day it was written."""

    details: str
    sent_on: date


def _journalled(parsed: JournalLine | None, sent_on: date) -> list[StepRecord]:
    items = parsed.items if parsed is not None and parsed.items else ()
    return [StepRecord(i.invoice, *parse_label(i.template), i.step, sent_on, i.fee, i.compensation) for i in items]


def step_records(journal: Iterable[SentLine], ledger_reminders: Iterable[Reminder]) -> list[StepRecord]:
    """Every step sent, per invoice: the journal's details, and the ledger's reminders it does not describe."""
    records: list[StepRecord] = []
    described: set[int] = set()
    for line in journal:
        parsed = JournalLine.parse(line.details)
        found = _journalled(parsed, line.sent_on)
        number = parsed.reminder_number if parsed is not None else None
        if found and number is not None:
            described.add(number)
        records.extend(found)
    for r in ledger_reminders:
        if r.number in described:
            continue
        records.extend(StepRecord(n, FIRST_TEMPLATE, 1, r.level, r.date, r.fee) for n in r.invoice_numbers)
    return records
