"""Issue 11: the ledger's Send takes the invoices to remind, so a reminder covers exactly the approved invoices
(real Chromium against the sandbox site)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from sandbox.ledger import db
from tests.test_playwright_ledger import TODAY, Site


@pytest.fixture
def own_site(tmp_path: Path) -> Iterator[Site]:
    s = Site(tmp_path)
    yield s
    s.server.stop()


def test_a_reminder_covers_exactly_the_invoices_named(own_site: Site, browser: Browser) -> None:
    with own_site.ledger(browser) as ledger:
        ledger.login()
        target = next(c for c in ledger.reminder_candidates() if len(c.invoice_numbers) >= 2)
        approved = target.invoice_numbers[:1]
        result = ledger.send_reminders(target.level, {target.customer_number: approved}, Decimal(0), "Husk")
    assert not result.refused
    sent = result.sent[target.customer_number]
    assert sent.invoice_numbers == approved
    (truth,) = db.reminders(own_site.conn(), number=sent.number)
    assert truth.invoice_numbers == approved  # the ledger recorded only the approved invoice
    invoice = db.invoice(own_site.conn(), approved[0])
    assert invoice is not None and truth.amount == invoice.remaining


def test_an_invoice_the_ledger_will_not_remind_of_refuses_the_row(own_site: Site, browser: Browser) -> None:
    conn = own_site.conn()
    with own_site.ledger(browser) as ledger:
        ledger.login()
        target = ledger.reminder_candidates()[0]
        not_yet_due = next(i for i in db.invoices(conn, target.customer_number) if i.due_date >= TODAY
                           or i.remaining <= 0)
        before = len(db.reminders(conn))
        result = ledger.send_reminders(target.level, {target.customer_number: (*target.invoice_numbers,
                                                                               not_yet_due.number)},
                                       Decimal(0), "Husk")
    assert not result.sent and target.customer_number in result.refused
    assert len(db.reminders(conn)) == before
