"""Firma: the ledger's own company data."""

from __future__ import annotations

from playwright.sync_api import Page

from bot.ledger.pages._table import fields


class CompanyPage:
    PATH = "/firma"

    def __init__(self, page: Page) -> None:
        self._page = page

    def details(self) -> dict[str, str]:
        return fields(self._page, "company")
