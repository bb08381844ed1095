"""Inkasso domain types: a proposed case and the case file handed to the collection partner."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from bot.records import Attachment, Company, Customer, Invoice, Reminder


@dataclass(frozen=True)
class CaseProposal:
    case_id: str  # stable: f"I-{customer_number}-{'-'.join(invoice numbers)}"
    customer_number: int
    customer_name: str
    invoice_numbers: tuple[int, ...]
    original_amount: Decimal
    remaining: Decimal
    reminders: tuple[Reminder, ...]
    claim: Decimal  # remaining + reminder fees; in a foreign currency the remaining only (fees are DKK)
    currency: str = "DKK"  # of the amounts (the fees are the creditor's, DKK)
    fees: Decimal = Decimal(0)  # the reminders' fees, DKK


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
        """The invoices' remaining amounts with the case's credit notes (negative) netted, in ``currency``."""
        return sum((i.remaining for i in self.invoices), Decimal(0))

    @property
    def currency(self) -> str:
        return next((i.currency.strip().upper() for i in self.invoices if i.currency.strip()), "DKK")

    @property
    def fees(self) -> Decimal:
        """The reminders' fees, in the creditor's currency (DKK)."""
        return sum((r.fee for r in self.reminders), Decimal(0))

    @property
    def claim(self) -> Decimal:
        """Remaining plus fees when both are DKK; in a foreign currency the remaining only (never summed with
        the DKK fees: the mail shows them apart)."""
        return self.remaining + self.fees if self.currency == "DKK" else self.remaining
