"""Rykkerhistorik (?kunde=N or "N, M, ...", paged) and the receipt page after Send: tables of sent reminders."""

from __future__ import annotations

from collections.abc import Collection
from urllib.parse import urlencode

from playwright.sync_api import Page

from bot.ledger.pages._table import next_page_href, table_rows
from bot.ledger.pages.reminders import customers_query


class ReminderHistoryPage:
    @staticmethod
    def path(customers: int | Collection[int] | None) -> str:
        """The history of one customer, of several, or of all (None)."""
        numbers = [customers] if isinstance(customers, int) else customers
        return "/rykkere/historik" + (f"?{urlencode({'kunde': customers_query(numbers)})}" if numbers else "")

    @staticmethod
    def pdf_path(number: int) -> str:
        return f"/rykkere/{number}.pdf"

    def __init__(self, page: Page) -> None:
        self._page = page

    def rows(self) -> list[dict[str, str]]:
        return table_rows(self._page, "reminders-table")

    def next_page(self) -> str | None:
        return next_page_href(self._page)

    def is_receipt(self) -> bool:
        """The page shown right after Send."""
        return self._page.get_by_test_id("sent-summary").count() > 0

    def not_sent(self) -> str | None:
        box = self._page.get_by_test_id("not-sent")
        return box.inner_text().strip() if box.count() else None
