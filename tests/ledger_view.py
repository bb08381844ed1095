"""The ledger as the robot sees it, for tests that check the robot's work against the sandbox."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Browser

from bot.ledger.playwright_ledger import LedgerConfig, PlaywrightLedger
from sandbox.stack import LocalStack


@contextmanager
def ledger_session(stack: LocalStack, browser: Browser) -> Iterator[PlaywrightLedger]:
    ledger = PlaywrightLedger(browser, LedgerConfig(base_url=stack.ledger.url, username="demo", password="demo",
                                                    agreement_number="123456"))
    try:
        ledger.login()
        yield ledger
    finally:
        ledger.close()
