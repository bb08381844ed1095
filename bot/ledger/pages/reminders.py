"""Rykkere: the customers due a reminder now, each with a checkbox, and the Send form. The whole list is paged
(50 a page); it can be filtered by customer numbers and level (``?kunde=1001, 1002&rykker=2``), as a bookkeeper
narrows it before ticking, and a filtered list is shown whole."""

from __future__ import annotations

from collections.abc import Collection
from urllib.parse import urlencode

from playwright.sync_api import Page, Response

from bot.ledger.pages._table import next_page_href, table_rows


def customers_query(customer_numbers: Collection[int]) -> str:
    """The "Kundenr." filter field's text for these customers ("1001, 1002")."""
    return ", ".join(str(n) for n in sorted(set(customer_numbers)))


class RemindersPage:
    PATH = "/rykkere"

    @staticmethod
    def path(customer_numbers: Collection[int] = (), level: int | None = None) -> str:
        """The list filtered to these customers (all when empty) and this level (all when None)."""
        query = {**({"kunde": customers_query(customer_numbers)} if customer_numbers else {}),
                 **({"rykker": str(level)} if level is not None else {})}
        return RemindersPage.PATH + (f"?{urlencode(query)}" if query else "")

    def __init__(self, page: Page) -> None:
        self._page = page

    def rows(self) -> list[dict[str, str]]:
        return table_rows(self._page, "candidates-table")

    def next_page(self) -> str | None:
        """The whole list is paged; a list filtered by customer is shown whole."""
        return next_page_href(self._page)

    def _row(self, customer_number: int, level: int) -> str:
        return f'[data-testid="candidate-row"][data-customer="{customer_number}"][data-level="{level}"]'

    def tick(self, customer_number: int, level: int) -> None:
        self._page.locator(self._row(customer_number, level)).get_by_role("checkbox").check()

    def remind_of(self, customer_number: int, level: int, invoices: str) -> None:
        """Name exactly the invoices this row's reminder covers ("20001, 20002")."""
        self._page.locator(self._row(customer_number, level)).get_by_test_id("candidate-invoices").fill(invoices)

    def send(self, fee: str, text: str, timeout_ms: float | None = None) -> Response | None:
        """Fill fee and text and press Send; returns the response of the page it lands on (the receipt)."""
        self._page.get_by_label("Gebyr").fill(fee)
        self._page.get_by_label("Tekst").fill(text)
        with self._page.expect_navigation(timeout=timeout_ms) as nav:
            self._page.get_by_role("button", name="Send").click()
        return nav.value

    def error(self) -> str | None:
        box = self._page.get_by_test_id("send-error")
        return box.inner_text().strip() if box.count() else None
