"""The details of a reminder's journal line, written and read back here alone.

The forms written (and the older ones still in clients' Log tabs, read the same way):

- sent by the ledger: "Rykker-nr 57: kunde 1001, rykker 2 [20001=Standard v1 trin 2 gebyr 100.00; 20002=… komp]"
  (before the robot kept what each invoice got: "Rykker-nr 57: kunde 1001, rykker 2")
- the intent before a Send: "Kunde 1001, rykker 2 [20001=Standard v1 trin 2 gebyr 100.00]" (older: no bracket)
- a step sent by another channel: "Kunde 1001, rykker 1 (E-mail til kunden) [20001=Standard v1 trin 1 gebyr 0.00]"
- not sent: "Kunde 1001, rykker 2: Ikke sendt: betalt i mellemtiden"

The bracket is what the engine's history reads back per invoice: the template version, the step and the fee that
letter charged it, and " komp" when it claimed the compensation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

__all__ = ["JournalItem", "JournalLine"]

_ITEM = re.compile(r"(\d+)=(.+?) trin (\d+) gebyr (-?\d+(?:\.\d+)?)( komp)?")
_LINE = re.compile(r"(?:Rykker-nr (?P<number>\d+): kunde|Kunde) (?P<customer>\d+), rykker (?P<step>\d+)"
                   r"(?: \((?P<channel>[^()]+)\))?(?:: (?P<message>.*)| \[(?P<items>.*)\])?", re.DOTALL)


@dataclass(frozen=True)
class JournalItem:
    """What one invoice got from the letter: "20001=Standard v1 trin 2 gebyr 100.00 komp"."""

    invoice: int
    template: str  # the template version's label, "Standard v1"
    step: int
    fee: Decimal
    compensation: bool = False  # the letter claimed the compensation for it

    def text(self) -> str:
        return f"{self.invoice}={self.template} trin {self.step} gebyr {self.fee:.2f}" + (
            " komp" if self.compensation else "")

    @classmethod
    def parse(cls, text: str) -> JournalItem | None:
        m = _ITEM.fullmatch(text.strip())
        return None if m is None else cls(int(m[1]), m[2], int(m[3]), Decimal(m[4]), bool(m[5]))


@dataclass(frozen=True)
class JournalLine:
    """A reminder's journal details: ``text()`` writes them, ``parse`` reads them back (``parse(l.text()) == l``)."""

    customer: int
    step: int
    reminder_number: int | None = None  # the ledger's, once it sent the reminder
    channel: str | None = None  # the step's channel when not the ledger's, "E-mail til kunden"
    items: tuple[JournalItem, ...] | None = None  # None: no bracket (a line not sent, or an old one)
    message: str | None = None  # why it was not sent

    def __post_init__(self) -> None:
        if self.items is not None and self.message is not None:
            raise ValueError("a journal line has either the invoices' items or a message, not both")

    def head(self) -> str:
        """The line as a person reads it: without the bracket of items the robot reads back."""
        head = f"Rykker-nr {self.reminder_number}: kunde" if self.reminder_number is not None else "Kunde"
        head += f" {self.customer}, rykker {self.step}"
        if self.channel is not None:
            head += f" ({self.channel})"
        return head if self.message is None else f"{head}: {self.message}"

    def text(self) -> str:
        if self.items is None:
            return self.head()
        return f"{self.head()} [{'; '.join(i.text() for i in self.items)}]"

    def __str__(self) -> str:
        return self.text()

    @classmethod
    def parse(cls, text: str) -> JournalLine | None:
        """The line of these details; None for details of another form (another action's, or edited by hand). An
        item of the bracket that is not one (edited by hand) is left out, the others are read."""
        m = _LINE.fullmatch(text)
        if m is None:
            return None
        items = None
        if m["items"] is not None:
            found = (JournalItem.parse(p) for p in m["items"].split(";") if p.strip())
            items = tuple(i for i in found if i is not None)
        number = m["number"]
        return cls(int(m["customer"]), int(m["step"]), int(number) if number is not None else None, m["channel"],
                   items, m["message"])
