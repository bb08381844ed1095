"""The ledger's records as every layer sees them (customers, invoices, reminders, contacts, the company) and the
files the robot attaches to mails (invoice PDFs, letters, case files). Money is Decimal, dates are ``datetime.date``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class InvoiceFilter(StrEnum):
    OPEN = "open"  # remaining amount != 0
    OVERDUE = "overdue"  # open and past due date
    ALL = "all"


@dataclass(frozen=True)
class Contact:
    name: str
    role: str  # e.g. "Bogholder", "Direktør"
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class PaymentTerm:
    number: int
    name: str  # e.g. "Netto 8 dage"
    days: int


@dataclass(frozen=True)
class Customer:
    number: int
    name: str
    cvr: str  # CVR number, or "" for a private person
    country: str  # ISO code, e.g. "DK"
    email: str
    group: str  # customer group name, e.g. "Erhverv"
    payment_term: int  # PaymentTerm.number
    active: bool
    address: str = ""
    postal_code: str = ""
    city: str = ""
    phone: str = ""
    contacts: tuple[Contact, ...] = field(default=())  # only filled by Ledger.customer()


@dataclass(frozen=True)
class Company:
    """The ledger's own company: the creditor in an inkasso case."""

    name: str
    cvr: str
    address: str
    postal_code: str
    city: str
    email: str
    phone: str
    bank_account: str


@dataclass(frozen=True)
class Invoice:
    number: int
    customer_number: int
    date: dt.date
    due_date: dt.date
    amount: Decimal  # negative for a credit note
    remaining: Decimal
    currency: str = "DKK"

    @property
    def is_credit_note(self) -> bool:
        return self.amount < 0

    @property
    def paid(self) -> Decimal:
        return self.amount - self.remaining


@dataclass(frozen=True)
class ReminderCandidate:
    """One line of the ledger's reminder page: a customer due reminder ``level`` for some invoices."""

    customer_number: int
    customer_name: str
    level: int  # 1, 2 or 3
    invoice_numbers: tuple[int, ...]
    amount: Decimal  # sum of remaining amounts of the invoices
    oldest_due_date: dt.date
    days_overdue: int  # of the oldest invoice, as the ledger counts it
    last_reminder_date: dt.date | None  # date of the previous level's reminder, None for level 1


@dataclass(frozen=True)
class Reminder:
    """A reminder the ledger has recorded as sent."""

    number: int  # the ledger's reminder id
    customer_number: int
    level: int
    date: dt.date
    invoice_numbers: tuple[int, ...]
    fee: Decimal
    amount: Decimal  # remaining amount reminded of, fee excluded
    text: str = ""


@dataclass(frozen=True)
class SendResult:
    """What one Send did: the reminders the ledger recorded, and why the others were not sent, by customer."""

    sent: Mapping[int, Reminder]
    refused: Mapping[int, str]


@dataclass(frozen=True)
class InkassoCase:
    """One line of the ledger's inkasso list: reminder 3 sent and still unpaid."""

    customer_number: int
    customer_name: str
    invoice_numbers: tuple[int, ...]
    remaining: Decimal
    reminder3_date: dt.date
    days_since_reminder3: int


@dataclass(frozen=True)
class Attachment:
    filename: str  # e.g. "Faktura 10234.pdf", "Rykker 3 - 10234.pdf"
    content: bytes
    mime_type: str = "application/pdf"
