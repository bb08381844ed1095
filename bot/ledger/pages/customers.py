"""Kunder: the paged customer list."""

from __future__ import annotations

from playwright.sync_api import Page

from bot.ledger.pages._table import next_page_href, table_rows


class CustomersPage:
    PATH = "/kunder"

    def __init__(self, page: Page) -> None:
        self._page = page

    def rows(self) -> list[dict[str, str]]:
        return table_rows(self._page, "customers-table")

    def payment_term_numbers(self) -> list[str]:
        """The payment term's number per row (the cell shows its name)."""
        cells = self._page.get_by_test_id("customers-table").locator("td[data-col=payment_term]")
        return [c or "" for c in cells.evaluate_all("(tds) => tds.map(td => td.dataset.term)")]

    def next_page(self) -> str | None:
        return next_page_href(self._page)
