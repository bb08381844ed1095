"""Inkasso domain types: a proposed case and the case file handed to the collection partner."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from bot.ledger.models import Company, Customer, Invoice, Reminder


@dataclass(frozen=True)
class CaseProposal:
    case_id: str  # stable: f"I-{customer_number}-{'-'.join(invoice numbers)}"
    customer_number: int
    customer_name: str
    invoice_numbers: tuple[int, ...]
    original_amount: Decimal
    remaining: Decimal
    reminders: tuple[Reminder, ...]
    claim: Decimal  # remaining + reminder fees


@dataclass(frozen=True)
class Attachment:
    filename: str  # e.g. "Faktura 10234.pdf", "Rykker 3 - 10234.pdf"
    content: bytes
    mime_type: str = "application/pdf"


@dataclass(frozen=True)
class CaseFile:
    """Everything a collection partner needs to act on a case without asking back."""

    case_id: str
    creditor: Company
    debtor: Customer  # full master data, contacts included
    invoices: tuple[Invoice, ...]
    reminders: tuple[Reminder, ...]
    comment: str  # the approver's comment from the sheet
    attachments: tuple[Attachment, ...]

    @property
    def remaining(self) -> Decimal:
        return sum((i.remaining for i in self.invoices), Decimal(0))

    @property
    def fees(self) -> Decimal:
        return sum((r.fee for r in self.reminders), Decimal(0))

    @property
    def claim(self) -> Decimal:
        return self.remaining + self.fees
