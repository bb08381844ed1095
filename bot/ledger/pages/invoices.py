"""Fakturaer: the paged, filtered invoice list (?status=open|overdue|all&kunde=N)."""

from __future__ import annotations

from urllib.parse import urlencode

from playwright.sync_api import Page

from bot.ledger.pages._table import next_page_href, table_rows


class InvoicesPage:
    @staticmethod
    def path(status: str, customer_number: int | None) -> str:
        query = {"status": status, **({"kunde": str(customer_number)} if customer_number is not None else {})}
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
