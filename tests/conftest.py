"""Shared fixtures: one real headless Chromium per test process, servers per module or test.

Tests that need a browser, or the whole stack (site, emulator, worker), are marked ``e2e`` here, from the
fixtures they ask for, so ``pytest -m "not e2e"`` runs the fast ones alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import gspread
import pytest
from playwright.sync_api import Browser

from bot.browser import launch_browser, started_playwright
from sandbox.serving import ServerThread
from tests.inbox import Inbox, start_inbox

if TYPE_CHECKING:
    from sandbox.stack import LocalStack
    from tests.gmail_fake import FakeGmail


E2E_FIXTURES = {"browser", "stack"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if E2E_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with started_playwright() as pw:
        b = launch_browser(pw)
        yield b
        b.close()


@pytest.fixture(scope="module")
def sheets_server() -> Iterator[ServerThread]:
    """The Sheets API emulator on loopback (one per test module)."""
    from sandbox.sheets import create_app

    with ServerThread(create_app()) as srv:
        yield srv


@pytest.fixture(scope="module")
def gc(sheets_server: ServerThread) -> gspread.Client:
    """Unmodified gspread, pointed at the emulator through its http_client seam."""
    from bot.sheets.client import open_client

    return open_client(sheets_server.url, None)


@pytest.fixture
def gmail() -> Iterator[tuple[FakeGmail, str]]:
    """A local stand-in for gmail.googleapis.com (``tests.gmail_fake``): the app and its API endpoint."""
    from tests.gmail_fake import FakeGmail

    app = FakeGmail()
    with ServerThread(app) as server:
        yield app, server.url + "/"


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    """A real SMTP server on loopback; the robot's mail goes there."""
    box, controller = start_inbox()
    yield box
    controller.stop()


@pytest.fixture
def stack(tmp_path: Path, inbox: Inbox) -> Iterator[LocalStack]:
    """Sandbox site + Sheets emulator + a bootstrapped queue and demo client; mail to the ``inbox``."""
    from sandbox.stack import LocalStack
    with LocalStack(tmp_path / "stack", mailer="smtp", smtp_host="127.0.0.1", smtp_port=inbox.port,
                    smtp_security="none", retry_base_seconds=0.5, retry_cap_seconds=2.0) as s:
        yield s
