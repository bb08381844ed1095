"""Kunder: the paged customer list, of every customer or filtered to some (?kunde=N or "N, M, ...")."""

from __future__ import annotations

from collections.abc import Collection
from urllib.parse import urlencode

from playwright.sync_api import Page

from bot.ledger.pages._table import next_page_href, table_rows
from bot.ledger.pages.reminders import customers_query


class CustomersPage:
    PATH = "/kunder"

    @staticmethod
    def path(customers: Collection[int] | None = None) -> str:
        """The list of every customer (None), or of these customers only."""
        return CustomersPage.PATH + (f"?{urlencode({'kunde': customers_query(customers)})}" if customers else "")

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
