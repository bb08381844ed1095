"""A ticked reminder proposal to send, and what became of it: the one pair of types the send's planning, its
channels, the sheet rows, the journal and the report all speak."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sheets_schema import ProposalStatus


@dataclass(frozen=True)
class SendTarget:
    """A ticked row to send."""

    row: int
    proposal_id: str
    customer_number: int
    customer_name: str
    invoice_numbers: tuple[int, ...]
    amount: Decimal
    step: int
    fee: Decimal
    status: str
    currency: str = "DKK"
    template: str = ""
    changed: bool = False  # the robot's cells were edited: refused, never sent
    sealed: bool = True  # False: written before rows were sealed (refused too, with that reason)
    text: str = ""  # the step's text, once the send-time plan has decided the line
    comment: str = ""  # the bookkeeper's Kommentar, repeated in the report's Bemærkning


@dataclass(frozen=True)
class SendOutcome:
    target: SendTarget
    status: ProposalStatus  # SENT or FAILED
    reminder_number: int | None  # the ledger's reminder id when the ledger sent it
    message: str  # why it failed, or a note

    @property
    def sent(self) -> bool:
        return self.status is ProposalStatus.SENT
