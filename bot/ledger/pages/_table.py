"""Reading a whole table page in one round trip (not one per cell), and following the pager."""

from __future__ import annotations

from typing import cast

from playwright.sync_api import Locator, Page

from bot.errors import LedgerPageChanged

_ROWS_JS = """(table) => Array.from(table.querySelectorAll('tbody tr')).map(tr =>
  Object.fromEntries(Array.from(tr.querySelectorAll('td[data-col]')).map(td =>
    [td.dataset.col, (td.innerText || '').trim()])))"""

_FIELDS_JS = """(dl) => Object.fromEntries(Array.from(dl.querySelectorAll('dd[data-field]')).map(dd =>
    [dd.dataset.field, (dd.innerText || '').trim()]))"""


def required(page: Page, testid: str) -> Locator:
    """The element a page object reads. The page has loaded (server-rendered), so it is there now or the site
    has changed: then fail at once as a bug instead of waiting for a timeout that would look like a slow site."""
    found = page.get_by_test_id(testid)
    if found.count() == 0:
        path = page.url.split("//", 1)[-1].split("/", 1)[-1]
        raise LedgerPageChanged(f"Siden /{path} har ikke længere elementet {testid!r}: regnskabets side er "
                                "ændret, og robottens sidebeskrivelse (bot/ledger/pages) skal opdateres")
    return found


def table_rows(page: Page, testid: str) -> list[dict[str, str]]:
    return cast(list[dict[str, str]], required(page, testid).evaluate(_ROWS_JS))


def fields(page: Page, testid: str) -> dict[str, str]:
    return cast(dict[str, str], required(page, testid).evaluate(_FIELDS_JS))


def next_page_href(page: Page) -> str | None:
    link = page.get_by_test_id("next-page")
    return link.get_attribute("href") if link.count() else None
