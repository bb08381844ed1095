"""A ledger composed of two adapters: everything the robot only reads comes from e-conomic's REST API, the rest
(the ledger's reminder proposals, its reminder history and PDFs, the inkasso list, and sending) through the web
UI, which the API does not offer. The UI is logged in only when a job first needs it.

``page_loads`` is the session's whole cost: UI page loads plus API requests (both also apart).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Protocol

from bot.ledger.port import Ledger
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


class ApiReads(Protocol):
    """The read verbs a ledger's API offers (``bot.ledger.rest.ledger.EconomicLedger``)."""

    @property
    def requests(self) -> int: ...

    def login(self) -> None: ...

    def close(self) -> None: ...

    def company(self) -> Company: ...

    def customers(self, numbers: Collection[int] | None = None) -> list[Customer]: ...

    def customer(self, number: int) -> Customer: ...

    def payment_terms(self) -> list[PaymentTerm]: ...

    def invoices(self, status: InvoiceFilter = InvoiceFilter.OPEN,
                 customers: int | Collection[int] | None = None) -> list[Invoice]: ...

    def invoice_pdf(self, number: int) -> bytes: ...


class UiLedger(Ledger, Protocol):
    """A web-UI session of one job (``PlaywrightLedger``)."""

    def close(self) -> None: ...

    def save_artifacts(self, directory: Path) -> list[Path]: ...


class ComposedLedger:
    def __init__(self, api: ApiReads, ui: UiLedger) -> None:
        self._api = api
        self._ui_session = ui
        self._ui_ready = False

    @property
    def api_requests(self) -> int:
        return self._api.requests

    @property
    def ui_page_loads(self) -> int:
        return self._ui_session.page_loads

    @property
    def page_loads(self) -> int:
        return self.api_requests + self.ui_page_loads

    def _ui(self) -> UiLedger:
        if not self._ui_ready:
            self._ui_session.login()
            self._ui_ready = True
        return self._ui_session

    def login(self) -> None:
        """The API's tokens are checked now; the UI logs in when first used."""
        self._api.login()

    def close(self) -> None:
        try:
            self._api.close()
        finally:
            self._ui_session.close()

    def save_artifacts(self, directory: Path) -> list[Path]:
        return self._ui_session.save_artifacts(directory)

    # -- from the API ------------------------------------------------------------------------------------------
    def company(self) -> Company:
        return self._api.company()

    def customers(self, numbers: Collection[int] | None = None) -> list[Customer]:
        return self._api.customers(numbers)

    def customer(self, number: int) -> Customer:
        return self._api.customer(number)

    def payment_terms(self) -> list[PaymentTerm]:
        return self._api.payment_terms()

    def invoices(
        self, status: InvoiceFilter = InvoiceFilter.OPEN, customers: int | Collection[int] | None = None
    ) -> list[Invoice]:
        return self._api.invoices(status, customers)

    def invoice_pdf(self, number: int) -> bytes:
        return self._api.invoice_pdf(number)

    # -- through the web UI ------------------------------------------------------------------------------------
    def reminder_candidates(self) -> list[ReminderCandidate]:
        return self._ui().reminder_candidates()

    def send_reminders(self, level: int, customer_numbers: Sequence[int] | Mapping[int, Sequence[int]], fee: Decimal,
                       text: str) -> SendResult:
        return self._ui().send_reminders(level, customer_numbers, fee, text)

    def reminders(self, customers: int | Collection[int] | None = None) -> list[Reminder]:
        return self._ui().reminders(customers)

    def inkasso_list(self) -> list[InkassoCase]:
        return self._ui().inkasso_list()

    def reminder_pdf(self, reminder_number: int) -> bytes:
        return self._ui().reminder_pdf(reminder_number)
