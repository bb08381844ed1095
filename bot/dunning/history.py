"""Each invoice's dunning history as ``StepRecord``s: the robot's journal first, the ledger's reminders for the rest.

The robot journals every reminder it sends ("Rykker sendt") with, per invoice, the template version, the step
and the fee that letter charged for it (``journal_text``). A ledger reminder the journal already describes (same
reminder number) is not counted twice; any other ledger reminder (sent by hand, or before the robot kept these
details) of level n counts as step n of "Standard v1", the template migrated from the old fixed levels.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from bot.dunning.migration import FIRST_TEMPLATE
from bot.dunning.templates import StepRecord, parse_label
from bot.records import Reminder

__all__ = ["SentLine", "journal_text", "reminder_number", "step_records"]

_ITEM = re.compile(r"(\d+)=(.+?) trin (\d+) gebyr (-?\d+(?:\.\d+)?)( komp)?")


@dataclass(frozen=True)
class SentLine:
    """A "Rykker sendt" line of the journal: its details text and the day it was written."""

    details: str
    sent_on: date


def journal_text(head: str, items: Sequence[tuple[int, str, int, Decimal, bool]]) -> str:
    """ "Rykker-nr 57: kunde 1001, rykker 2 [20001=Standard v1 trin 2 gebyr 100.00; 20002=…]": the head as
    before, then per invoice (number, template label, step, fee, compensation claimed)."""
    parts = [f"{n}={label} trin {step} gebyr {fee:.2f}" + (" komp" if comp else "")
             for n, label, step, fee, comp in items]
    return f"{head} [{'; '.join(parts)}]"


def reminder_number(details: str) -> int | None:
    head = details.split(":", 1)[0].removeprefix("Rykker-nr ").strip()
    return int(head) if head.isdigit() else None


def _journalled(line: SentLine) -> list[StepRecord]:
    inside = line.details.rpartition("[")[2].rstrip("]") if line.details.endswith("]") else ""
    records = []
    for part in (p.strip() for p in inside.split(";") if p.strip()):
        m = _ITEM.fullmatch(part)
        if m is None:
            continue
        name, version = parse_label(m[2])
        records.append(StepRecord(int(m[1]), name, version, int(m[3]), line.sent_on, Decimal(m[4]), bool(m[5])))
    return records


def step_records(journal: Iterable[SentLine], ledger_reminders: Iterable[Reminder]) -> list[StepRecord]:
    """Every step sent, per invoice: the journal's details, and the ledger's reminders it does not describe."""
    records: list[StepRecord] = []
    described: set[int] = set()
    for line in journal:
        found = _journalled(line)
        number = reminder_number(line.details)
        if found and number is not None:
            described.add(number)
        records.extend(found)
    for r in ledger_reminders:
        if r.number in described:
            continue
        records.extend(StepRecord(n, FIRST_TEMPLATE, 1, r.level, r.date, r.fee) for n in r.invoice_numbers)
    return records
