"""Reading a whole table page in one round trip (not one per cell), and following the pager."""

from __future__ import annotations

from typing import cast

from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from bot.errors import LedgerPageChanged

_ROWS_JS = """(table) => Array.from(table.querySelectorAll('tbody tr')).map(tr =>
  Object.fromEntries(Array.from(tr.querySelectorAll('td[data-col]')).map(td =>
    [td.dataset.col, (td.innerText || '').trim()])))"""

_FIELDS_JS = """(dl) => Object.fromEntries(Array.from(dl.querySelectorAll('dd[data-field]')).map(dd =>
    [dd.dataset.field, (dd.innerText || '').trim()]))"""


APPEAR_MS = 3000  # how long a loaded page may take to render what a page object reads


def required(page: Page, testid: str) -> Locator:
    """The element a page object reads. The page has loaded, so it is there within a moment (a site that
    renders with script gets ``APPEAR_MS``) or the site has changed: then fail as a bug, not as a timeout that
    would look like a slow site and be retried for days."""
    found = page.get_by_test_id(testid)
    try:
        found.first.wait_for(state="attached", timeout=APPEAR_MS)
    except PlaywrightTimeoutError:
        path = page.url.split("//", 1)[-1].split("/", 1)[-1]
        raise LedgerPageChanged(f"Siden /{path} har ikke længere elementet {testid!r}: regnskabets side er "
                                "ændret, og robottens sidebeskrivelse (bot/ledger/pages) skal opdateres") from None
    return found


def table_rows(page: Page, testid: str) -> list[dict[str, str]]:
    return cast(list[dict[str, str]], required(page, testid).evaluate(_ROWS_JS))


def fields(page: Page, testid: str) -> dict[str, str]:
    return cast(dict[str, str], required(page, testid).evaluate(_FIELDS_JS))


def next_page_href(page: Page) -> str | None:
    link = page.get_by_test_id("next-page")
    return link.get_attribute("href") if link.count() else None
