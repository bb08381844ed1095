"""Fakturaer: the paged, filtered invoice list (?status=open|overdue|all&kunde=N or "N, M, ...")."""

from __future__ import annotations

from collections.abc import Collection
from urllib.parse import urlencode

from playwright.sync_api import Page

from bot.ledger.pages._table import next_page_href, table_rows
from bot.ledger.pages.reminders import customers_query


class InvoicesPage:
    @staticmethod
    def path(status: str, customers: int | Collection[int] | None) -> str:
        """The list of this status, of one customer, of several, or of all (None)."""
        numbers = [customers] if isinstance(customers, int) else customers
        query = {"status": status, **({"kunde": customers_query(numbers)} if numbers is not None else {})}
        return f"/fakturaer?{urlencode(query)}"

    @staticmethod
    def pdf_path(number: int) -> str:
        return f"/fakturaer/{number}.pdf"

    def __init__(self, page: Page) -> None:
        self._page = page

    def rows(self) -> list[dict[str, str]]:
        return table_rows(self._page, "invoices-table")

    def next_page(self) -> str | None:
        return next_page_href(self._page)
