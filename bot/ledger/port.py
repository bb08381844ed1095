"""The Ledger port: the few domain verbs the flows need from an accounting system."""

from __future__ import annotations

from decimal import Decimal
from typing import Protocol

from bot.ledger.models import (
    Company,
    Customer,
    InkassoCase,
    Invoice,
    InvoiceFilter,
    PaymentTerm,
    Reminder,
    ReminderCandidate,
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

    def customers(self) -> list[Customer]: ...

    def customer(self, number: int) -> Customer:
        """Full master data, contacts included."""
        ...

    def payment_terms(self) -> list[PaymentTerm]: ...

    def invoices(
        self, status: InvoiceFilter = InvoiceFilter.OPEN, customer_number: int | None = None
    ) -> list[Invoice]: ...

    def reminder_candidates(self) -> list[ReminderCandidate]: ...

    def send_reminder(self, customer_number: int, level: int, fee: Decimal, text: str) -> Reminder:
        """Send the reminder the ledger proposes for this customer at this level, with this fee and text."""
        ...

    def reminders(self, customer_number: int | None = None) -> list[Reminder]:
        """Sent reminders (history), newest first."""
        ...

    def inkasso_list(self) -> list[InkassoCase]: ...

    def invoice_pdf(self, number: int) -> bytes: ...

    def reminder_pdf(self, reminder_number: int) -> bytes: ...
