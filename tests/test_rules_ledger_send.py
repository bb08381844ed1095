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


def test_one_letter_for_invoices_the_ledger_lists_at_different_levels(own_site: Site, browser: Browser) -> None:
    """The robot's step and the ledger's own level part ways when one letter covers invoices at different steps:
    the customer's row at the robot's step is ticked if the ledger lists one, else its other row, and the
    reminder covers exactly the approved invoices."""
    with own_site.ledger(browser) as ledger:
        ledger.login()
        listed = ledger.reminder_candidates()
        by_customer: dict[int, list[int]] = {}
        for c in listed:
            by_customer.setdefault(c.customer_number, []).append(c.level)
        two = next(n for n, levels in by_customer.items() if len(levels) >= 2)
        rows = [c for c in listed if c.customer_number == two]
        everything = tuple(sorted(n for c in rows for n in c.invoice_numbers))
        lone = next(c for c in listed if len(by_customer[c.customer_number]) == 1)
        other_step = 1 if lone.level != 1 else 2  # a step the ledger does not list this customer at
        result = ledger.send_reminders(min(c.level for c in rows), {two: everything, lone.customer_number:
                                                                    lone.invoice_numbers}, Decimal(0), "Husk")
        assert not result.refused and result.sent[two].invoice_numbers == everything
        again = ledger.send_reminders(other_step, {lone.customer_number: lone.invoice_numbers}, Decimal(0), "x")
    assert "frister" in again.refused[lone.customer_number]  # reminded just now: the ledger lists it no longer
    recorded = db.reminders(own_site.conn(), number=result.sent[two].number)
    assert [r.invoice_numbers for r in recorded] == [everything]


def test_a_step_the_ledger_lists_at_another_level_ticks_that_row(own_site: Site, browser: Browser) -> None:
    with own_site.ledger(browser) as ledger:
        ledger.login()
        listed = ledger.reminder_candidates()
        levels: dict[int, set[int]] = {}
        for c in listed:
            levels.setdefault(c.customer_number, set()).add(c.level)
        lone = next(c for c in listed if levels[c.customer_number] == {c.level})
        step = 1 if lone.level != 1 else 2
        result = ledger.send_reminders(step, {lone.customer_number: lone.invoice_numbers}, Decimal(0), "Husk")
        plain = ledger.send_reminders(step, [c.customer_number for c in listed
                                             if c.customer_number != lone.customer_number
                                             and levels[c.customer_number] == {c.level} and c.level != step][:1],
                                      Decimal(0), "Husk")
    sent = result.sent[lone.customer_number]
    assert (sent.level, sent.invoice_numbers) == (lone.level, lone.invoice_numbers)
    assert not plain.sent and plain.refused  # without invoices named, the level must match as before
