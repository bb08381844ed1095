"""The ledger driver's cost does not grow with the size of the ledger: a Send batch loads the same pages and
renders the same rows at 300 and 1,500 customers (the reminders page is filtered to the batch's customers), and
the inkasso reads cost a list page per 50 rows found, not two pages per customer. Counts only, never times."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import requests
from flask import Flask, request
from playwright.sync_api import Browser
from werkzeug.wrappers import Response

from bot.ledger.playwright_ledger import LedgerConfig, PlaywrightLedger
from bot.ledger.session import LedgerRetry
from bot.records import InvoiceFilter
from sandbox.ledger import create_app, db
from sandbox.ledger.config import SandboxConfig
from sandbox.ledger.rules import ReminderSettings, inkasso
from sandbox.serving import ServerThread

TODAY = date(2026, 11, 23)
QUICK = LedgerRetry(attempts=3, initial=0.1, cap=0.5)
BATCH = 10


@dataclass
class Site:
    """A generated ledger of ``customers`` customers that records, per candidates page served, how many
    candidate rows it rendered."""

    tmp: Path
    customers: int
    rendered: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.db_path = self.tmp / "ledger.db"
        app = create_app(SandboxConfig(today=TODAY, db_path=self.db_path, customers=self.customers))
        self._record(app)
        self.server = ServerThread(app).start()

    def _record(self, app: Flask) -> None:
        @app.after_request
        def count_rows(response: Response) -> Response:
            if request.method == "GET" and request.path == "/rykkere":
                self.rendered.append(len(re.findall(r'data-testid="candidate-row"', response.get_data(True))))
            return response

    def conn(self) -> sqlite3.Connection:
        return db.connect(self.db_path)

    def ledger(self, browser: Browser, timeout_seconds: float = 10.0, retry: LedgerRetry = QUICK) -> PlaywrightLedger:
        return PlaywrightLedger(browser, LedgerConfig(base_url=self.server.url, username="demo", password="demo",
                                                      agreement_number="123456", timeout_seconds=timeout_seconds,
                                                      retry=retry))


@pytest.fixture(scope="module", params=[300, 1500], ids=["300-customers", "1500-customers"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    s = Site(tmp_path_factory.mktemp(f"ledger{request.param}"), request.param)
    yield s
    s.server.stop()


@pytest.fixture
def own_site(tmp_path: Path) -> Iterator[Site]:
    s = Site(tmp_path, 300)
    yield s
    s.server.stop()


def test_a_send_batch_loads_and_renders_the_same_whatever_the_ledger_lists(site: Site, browser: Browser) -> None:
    with site.ledger(browser) as ledger:
        ledger.login()
        start = ledger.page_loads
        listed = ledger.reminder_candidates()
        assert len(listed) >= (90 if site.customers == 300 else 450)  # the whole list grows with the ledger
        assert ledger.page_loads - start == -(-len(listed) // 50) and max(site.rendered) == 50  # read page by page
        batch = [c.customer_number for c in listed if c.level == 1][:BATCH]
        assert len(batch) == BATCH
        site.rendered.clear()
        before_loads, before = ledger.page_loads, len(db.reminders(site.conn()))
        result = ledger.send_reminders(1, [*batch, 999_999], Decimal("100"), "Første rykker")
        loads = ledger.page_loads - before_loads
        again = ledger.send_reminders(1, batch, Decimal("100"), "Første rykker")
    assert loads == 2  # the filtered reminders page and one Send, at 300 as at 1,500 customers
    assert site.rendered[0] == BATCH  # the page showed the batch's rows only, not every candidate
    assert sorted(result.sent) == sorted(batch) and list(result.refused) == [999_999]
    assert not again.sent and sorted(again.refused) == sorted(batch)  # exactly once: refused, never resent
    assert len(db.reminders(site.conn())) == before + BATCH


def test_inkasso_reads_cost_a_page_per_fifty_rows_not_two_per_customer(site: Site, browser: Browser) -> None:
    conn = site.conn()
    lines = inkasso(db.invoices(conn), db.reminders(conn), ReminderSettings(), TODAY)
    customers = sorted({line.customer_number for line in lines})
    assert len(customers) >= (15 if site.customers == 300 else 100)
    with site.ledger(browser) as ledger:
        ledger.login()
        before = ledger.page_loads
        invoices, reminders = ledger.invoices(InvoiceFilter.OVERDUE, customers), ledger.reminders(customers)
        loads = ledger.page_loads - before
        debtors = ledger.customers(customers)
        debtor_loads = ledger.page_loads - before - loads
        one = customers[0]
        assert sorted(i.number for i in invoices if i.customer_number == one) == sorted(
            i.number for i in ledger.invoices(InvoiceFilter.OVERDUE, customers=one))
        assert [r.number for r in reminders if r.customer_number == one] == [r.number for r in ledger.reminders(one)]
    wanted = set(customers)
    truth_invoices = [i for i in db.invoices(conn) if i.customer_number in wanted and i.remaining > 0
                      and i.due_date < TODAY]
    truth_reminders = [r for r in db.reminders(conn) if r.customer_number in wanted]
    assert sorted(i.number for i in invoices) == sorted(i.number for i in truth_invoices)
    assert sorted(r.number for r in reminders) == sorted(r.number for r in truth_reminders)
    assert all(n in {i.number for i in invoices} for line in lines for n in line.invoice_numbers)
    assert [c.number for c in debtors] == customers  # the master data of exactly these, however many there are
    assert [(c.name, c.address, c.active) for c in debtors] == [
        (c.name, c.address, c.active) for c in db.customers(conn, numbers=customers)[0]]
    assert debtor_loads == -(-len(customers) // 50)  # the customer list filtered to them, not the whole list
    assert loads == -(-len(truth_invoices) // 50) + -(-len(truth_reminders) // 50)  # list pages of rows found
    assert loads <= len(customers) / 10 + 2  # vs. two page loads per customer before


def test_a_send_whose_answer_was_lost_is_found_in_the_history_not_sent_again(own_site: Site,
                                                                              browser: Browser) -> None:
    """The Send is recorded but its answer comes after the robot gave up waiting: the retry finds it in the
    history (one read, filtered to the batch) and does not press Send again."""
    with own_site.ledger(browser, timeout_seconds=1.0, retry=LedgerRetry(attempts=4, initial=1.0, cap=1.0)) as ledger:
        ledger.login()
        batch = [c.customer_number for c in ledger.reminder_candidates() if c.level == 2][:3]
        before = len(db.reminders(own_site.conn()))
        requests.post(f"{own_site.server.url}/admin/faults", json={"mode": "slow", "seconds": 1.5,
                                                                   "methods": ["POST"]}, timeout=10)
        result = ledger.send_reminders(2, batch, Decimal("100"), "Anden rykker")
    assert sorted(result.sent) == sorted(batch) and not result.refused
    assert len(db.reminders(own_site.conn())) == before + len(batch)
    assert {r.number for r in result.sent.values()} == {r.number for r in db.reminders(own_site.conn())
                                                        if r.date == TODAY and r.customer_number in batch}
