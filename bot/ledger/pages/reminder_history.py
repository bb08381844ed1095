"""Rykkerhistorik (?kunde=N, paged) and the receipt page after Send: tables of sent reminders."""

from __future__ import annotations

from urllib.parse import urlencode

from playwright.sync_api import Page

from bot.ledger.pages._table import next_page_href, table_rows


class ReminderHistoryPage:
    @staticmethod
    def path(customer_number: int | None) -> str:
        return "/rykkere/historik" + (f"?{urlencode({'kunde': customer_number})}" if customer_number else "")

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
