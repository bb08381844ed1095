"""The Ledger port: the few domain verbs the flows need from an accounting system."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from decimal import Decimal
from typing import Protocol

from bot.records import (
    Company,
    Customer,
    InkassoCase,
    Invoice,
    InvoiceFilter,
    PaymentTerm,
    Reminder,
    ReminderCandidate,
    SendResult,
)


class Ledger(Protocol):
    """An accounting system seen through its user interface.

    Every method may raise ``LedgerUnavailable`` (retry later) or ``LedgerAuthError`` (fix settings).
    """

    @property
    def page_loads(self) -> int:
        """How many pages this ledger session has loaded so far (a cost counter)."""
        ...

    def login(self) -> None: ...

    def company(self) -> Company: ...

    def customers(self, numbers: Collection[int] | None = None) -> list[Customer]:
        """Every customer, or only these (read in bulk: the cost grows with the customers found)."""
        ...

    def customer(self, number: int) -> Customer:
        """Full master data, contacts included."""
        ...

    def payment_terms(self) -> list[PaymentTerm]: ...

    def invoices(
        self, status: InvoiceFilter = InvoiceFilter.OPEN, customers: int | Collection[int] | None = None
    ) -> list[Invoice]:
        """The invoices of this status: every customer's, one customer's, or many customers' (read in bulk)."""
        ...

    def reminder_candidates(self) -> list[ReminderCandidate]: ...

    def send_reminders(self, level: int, customer_numbers: Sequence[int] | Mapping[int, Sequence[int]], fee: Decimal,
                       text: str) -> SendResult:
        """Send, in one go, the reminders the ledger proposes at this level for these customers, with this fee
        and text. Given as customer -> invoice numbers, each reminder covers exactly those invoices (none the
        ledger added since); a customer the ledger no longer proposes, or whose invoices it will not remind of,
        is refused with the reason, never sent."""
        ...

    def reminders(self, customers: int | Collection[int] | None = None) -> list[Reminder]:
        """Sent reminders (history), newest first: every one, one customer's, or those of many customers read in
        bulk (the cost grows with the reminders found, not with one read per customer)."""
        ...

    def inkasso_list(self) -> list[InkassoCase]: ...

    def invoice_pdf(self, number: int) -> bytes: ...

    def reminder_pdf(self, reminder_number: int) -> bytes: ...
