"""A customer's master data page with contacts."""

from __future__ import annotations

from playwright.sync_api import Page

from bot.ledger.pages._table import fields, table_rows


class CustomerPage:
    PATH = "/kunder/{number}"

    def __init__(self, page: Page) -> None:
        self._page = page

    def exists(self) -> bool:
        return self._page.get_by_test_id("customer-master").count() > 0

    def master_data(self) -> dict[str, str]:
        data = fields(self._page, "customer-master")
        term = self._page.get_by_test_id("customer-master").locator("dd[data-field=payment_term]")
        data["payment_term"] = term.get_attribute("data-term") or ""
        return data

    def contacts(self) -> list[dict[str, str]]:
        return table_rows(self._page, "contacts-table")
