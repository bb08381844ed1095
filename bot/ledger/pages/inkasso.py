"""Inkasso: customers who have had reminder 3 and still owe."""

from __future__ import annotations

from playwright.sync_api import Page

from bot.ledger.pages._table import table_rows


class InkassoPage:
    PATH = "/inkasso"

    def __init__(self, page: Page) -> None:
        self._page = page

    def rows(self) -> list[dict[str, str]]:
        return table_rows(self._page, "inkasso-table")
