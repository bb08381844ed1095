"""Reading a whole table page in one round trip (not one per cell), and following the pager."""

from __future__ import annotations

from typing import cast

from playwright.sync_api import Page

_ROWS_JS = """(table) => Array.from(table.querySelectorAll('tbody tr')).map(tr =>
  Object.fromEntries(Array.from(tr.querySelectorAll('td[data-col]')).map(td =>
    [td.dataset.col, (td.innerText || '').trim()])))"""

_FIELDS_JS = """(dl) => Object.fromEntries(Array.from(dl.querySelectorAll('dd[data-field]')).map(dd =>
    [dd.dataset.field, (dd.innerText || '').trim()]))"""


def table_rows(page: Page, testid: str) -> list[dict[str, str]]:
    table = page.get_by_test_id(testid)
    return cast(list[dict[str, str]], table.evaluate(_ROWS_JS))


def fields(page: Page, testid: str) -> dict[str, str]:
    return cast(dict[str, str], page.get_by_test_id(testid).evaluate(_FIELDS_JS))


def next_page_href(page: Page) -> str | None:
    link = page.get_by_test_id("next-page")
    return link.get_attribute("href") if link.count() else None
