"""The Ledger port's read verbs over e-conomic's REST API. What the API cannot give (the reminder proposals,
the reminder history and its PDFs, the inkasso list, sending) is not here: ``bot.ledger.composed`` takes those
from the web UI."""

from __future__ import annotations

from collections.abc import Collection

from bot.errors import LedgerAuthError, SettingProblem
from bot.ledger.rest import mapping
from bot.ledger.rest.client import EconomicClient
from bot.records import Company, Customer, Invoice, InvoiceFilter, PaymentTerm

IN_LIMIT = 200  # values in one $in: list (e-conomic's documented maximum)
PATHS = {InvoiceFilter.OPEN: "/invoices/unpaid", InvoiceFilter.OVERDUE: "/invoices/overdue",
         InvoiceFilter.ALL: "/invoices/booked"}


class EconomicLedger:
    """One job's reads from one agreement. ``requests`` counts the HTTP requests sent (the cost)."""

    def __init__(self, client: EconomicClient, agreement_number: str) -> None:
        self._client = client
        self._agreement = agreement_number.strip()
        self._groups: dict[int, str] | None = None

    @property
    def requests(self) -> int:
        return self._client.requests

    @property
    def page_loads(self) -> int:
        return self._client.requests

    def close(self) -> None:
        self._client.close()

    def login(self) -> None:
        """Check the tokens (GET /self) and that they belong to the agreement the client's sheet names."""
        found = str(self._client.get("/self").get("agreementNumber", ""))
        if self._agreement and found != self._agreement:
            raise LedgerAuthError(SettingProblem(
                cell="", field="Aftalenummer",
                message=(f"Robottens e-conomic API-nøgler hører til aftale {found}, men Instruks-fanen siger aftale "
                         f"{self._agreement}. Ret aftalenummeret, eller bed driftsansvarlig om nøglerne til den "
                         "rigtige aftale."),
            ))

    def company(self) -> Company:
        return mapping.company(self._client.get("/self"))

    def _group_names(self) -> dict[int, str]:
        if self._groups is None:
            self._groups = mapping.group_names(self._client.collection("/customer-groups"))
        return self._groups

    def customers(self, numbers: Collection[int] | None = None) -> list[Customer]:
        """Every customer, or these: ``customerNumber$in:[...]``, at most 200 numbers a filter (e-conomic's limit)."""
        groups = self._group_names()
        if numbers is None:
            return [mapping.customer(j, groups) for j in self._client.collection("/customers")]
        return [mapping.customer(j, groups) for where in _in_filters("customerNumber", numbers)
                for j in self._client.collection("/customers", where)]

    def customer(self, number: int) -> Customer:
        """Full master data with contacts (NotInLedger when e-conomic has no such customer)."""
        found = self._client.get(f"/customers/{number}")
        contacts = tuple(mapping.contact(j) for j in self._client.collection(f"/customers/{number}/contacts"))
        return mapping.customer(found, self._group_names(), contacts)

    def payment_terms(self) -> list[PaymentTerm]:
        return [mapping.term(j) for j in self._client.collection("/payment-terms")]

    def invoices(
        self, status: InvoiceFilter = InvoiceFilter.OPEN, customers: int | Collection[int] | None = None
    ) -> list[Invoice]:
        """Every invoice of this status, one customer's (``$eq:``), or many customers' (``$in:``, 200 a filter)."""
        if customers is None or isinstance(customers, int):
            where = f"customer.customerNumber$eq:{int(customers)}" if customers is not None else ""
            return [mapping.invoice(j) for j in self._client.collection(PATHS[status], where)]
        return [mapping.invoice(j) for where in _in_filters("customer.customerNumber", customers)
                for j in self._client.collection(PATHS[status], where)]

    def invoice_pdf(self, number: int) -> bytes:
        return self._client.get_bytes(f"/invoices/booked/{number}/pdf")


def _in_filters(field: str, numbers: Collection[int]) -> list[str]:
    """``field$in:[...]`` filters for these numbers, at most ``IN_LIMIT`` each (none for no numbers)."""
    wanted = sorted({int(n) for n in numbers})
    return [f"{field}$in:[{','.join(map(str, wanted[start:start + IN_LIMIT]))}]"
            for start in range(0, len(wanted), IN_LIMIT)]
