"""Step templates (CUBS): a named, versioned list of dunning steps.

Step 1 is due ``days`` after the invoice's due date, each later step ``days`` after the date the previous
step was actually sent; a step is due on that date and after (equal is due). A step's actions are its fee,
the channel that carries it, its text, and whether it claims the business compensation (renteloven § 9 a).

A template that has been used is never edited in place: ``revise`` makes the next version (``Standard v2``)
and every version stays in the book. An invoice finishes its dunning on the template version it started
with: ``version_for`` reads that from the invoice's history (the ledger's reminders and the robot's journal,
as ``StepRecord``s).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

__all__ = [
    "Channel", "StepField", "Step", "StepRecord", "Template", "TemplateBook", "UnknownTemplate",
    "due_step", "next_step", "parse_label", "revise", "step_due", "version_for",
]


class Channel(StrEnum):
    """How a step reaches the customer."""

    LEDGER = "Regnskabets rykker"  # the ledger's own reminder (it mails the customer)
    EMAIL = "E-mail til kunden"  # the robot mails the customer
    LETTER = "Brev"  # printed and posted


class StepField(StrEnum):
    """The columns of a step in the sheet; with a step number they key the cell references."""

    DAYS = "Dage"
    FEE = "Gebyr"
    CHANNEL = "Kanal"
    TEXT = "Tekst"
    COMPENSATION = "Kompensation"


@dataclass(frozen=True)
class Step:
    days: int  # step 1: days after the due date; later steps: days after the previous step was sent
    fee: Decimal = Decimal(0)  # in the creditor's currency
    channel: Channel = Channel.LEDGER
    text: str = ""
    compensation: bool = False  # claim the one-time business compensation with this step


@dataclass(frozen=True)
class Template:
    name: str  # e.g. "Standard"
    version: int  # 1, 2, ...
    steps: tuple[Step, ...]

    @property
    def label(self) -> str:
        """How the sheet shows it: "Standard v2"."""
        return f"{self.name} v{self.version}"

    def step(self, number: int) -> Step:
        """Step ``number`` (1-based)."""
        return self.steps[number - 1]


@dataclass(frozen=True)
class StepRecord:
    """One step sent for one invoice: from the ledger's reminder history or the robot's journal."""

    invoice_number: int
    template: str  # template name
    version: int
    step: int  # 1-based
    sent_on: date
    fee: Decimal = Decimal(0)  # fee charged on the letter that carried this step
    compensation: bool = False  # the business compensation was claimed for this invoice


class UnknownTemplate(LookupError):
    """A history record or a rule names a template version the book does not hold."""


_LABEL = re.compile(r"\s*(.*?\S)\s+v(\d+)\s*", re.IGNORECASE)


def parse_label(label: str) -> tuple[str, int]:
    """ "Standard v2" -> ("Standard", 2); a label without a version is version 1. ``ValueError`` on empty."""
    m = _LABEL.fullmatch(label)
    if m:
        return m[1], int(m[2])
    if not label.strip():
        raise ValueError("Skabelonnavnet er tomt")
    return label.strip(), 1


@dataclass(frozen=True)
class TemplateBook:
    """Every version of every template; versions are never removed."""

    templates: tuple[Template, ...] = ()

    def get(self, name: str, version: int) -> Template:
        for t in self.templates:
            if t.name.casefold() == name.casefold() and t.version == version:
                return t
        raise UnknownTemplate(f"Skabelonen '{name} v{version}' findes ikke")

    def versions(self, name: str) -> tuple[Template, ...]:
        return tuple(sorted((t for t in self.templates if t.name.casefold() == name.casefold()),
                            key=lambda t: t.version))

    def latest(self, name: str) -> Template:
        """The newest version of ``name``: the one new invoices start on."""
        versions = self.versions(name)
        if not versions:
            raise UnknownTemplate(f"Skabelonen '{name}' findes ikke")
        return versions[-1]

    def add(self, template: Template) -> TemplateBook:
        """A book with ``template`` added; ``ValueError`` if that name and version already exist."""
        if any(t.name.casefold() == template.name.casefold() and t.version == template.version
               for t in self.templates):
            raise ValueError(f"'{template.label}' findes allerede; en brugt skabelon ændres ikke, "
                             "der laves en ny version")
        return TemplateBook((*self.templates, template))


def revise(template: Template, steps: Sequence[Step], book: TemplateBook = TemplateBook()) -> Template:
    """A new version of ``template`` with ``steps``: the version after the newest one of that name in ``book``
    (or after ``template`` itself), so revising an old version never overwrites a newer one."""
    newest = max([template.version, *(t.version for t in book.versions(template.name))])
    return Template(template.name, newest + 1, tuple(steps))


def version_for(invoice_history: Iterable[StepRecord], templates: TemplateBook) -> Template | None:
    """The template version an invoice started its dunning on (its earliest step record), or None when it has
    no history yet (it will start on its rule's latest version). ``UnknownTemplate`` if that version is gone."""
    records = sorted(invoice_history, key=lambda r: (r.sent_on, r.step))
    if not records:
        return None
    first = records[0]
    return templates.get(first.template, first.version)


def step_due(template: Template, number: int, due_date: date, previous_sent: date | None) -> date:
    """The date step ``number`` falls due: step 1 counts from ``due_date``, later steps from ``previous_sent``
    (the date the previous step was sent; ``ValueError`` when it is None)."""
    step = template.step(number)
    if number == 1:
        return due_date + timedelta(days=step.days)
    if previous_sent is None:
        raise ValueError(f"Trin {number - 1} er ikke sendt, så trin {number} kan ikke beregnes")
    return previous_sent + timedelta(days=step.days)


def next_step(template: Template, due_date: date, invoice_history: Iterable[StepRecord]) -> tuple[int, date] | None:
    """The invoice's next step on ``template`` and the date it falls due, or None when every step is sent."""
    records = [r for r in invoice_history if (r.template.casefold(), r.version)
               == (template.name.casefold(), template.version)]
    done = max((r.step for r in records), default=0)
    if done >= len(template.steps):
        return None
    previous = max((r.sent_on for r in records if r.step == done), default=None)
    return done + 1, step_due(template, done + 1, due_date, previous)


def due_step(template: Template, due_date: date, invoice_history: Iterable[StepRecord], today: date) -> int | None:
    """The step the invoice is due on ``today`` (its next step, when that falls due on or before today)."""
    upcoming = next_step(template, due_date, invoice_history)
    return upcoming[0] if upcoming is not None and upcoming[1] <= today else None
