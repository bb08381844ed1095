"""The Playwright ledger driver against the sandbox site in real Chromium: what it reads matches the site's own
database, sending is recorded once, and faults (expired session, 503s, a site that is down or too slow, a wrong
password) end the way the worker expects. Counts (page loads, logins) are asserted, never times."""

from __future__ import annotations

import io
import sqlite3
import threading
import zipfile
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Browser, Page
from pypdf import PdfReader

from bot.errors import LedgerAuthError, LedgerUnavailable, NotInLedger
from bot.ledger import session
from bot.ledger.playwright_ledger import LedgerConfig, PlaywrightLedger
from bot.ledger.session import LOADS_PER_PAGE, LedgerRetry
from bot.records import InvoiceFilter
from sandbox.ledger import create_app, db
from sandbox.ledger.config import SandboxConfig
from sandbox.ledger.rules import ReminderSettings, candidates, inkasso
from sandbox.serving import ServerThread

TODAY = date(2026, 11, 23)
SECRET = "Kodeord-7f3a9-HEMMELIGT"
QUICK = LedgerRetry(attempts=3, initial=0.1, cap=0.5)


class Site:
    def __init__(self, tmp: Path, **config: object) -> None:
        self.db_path = tmp / "ledger.db"
        self.config = SandboxConfig(today=TODAY, db_path=self.db_path, **config)  # type: ignore[arg-type]
        self.server = ServerThread(create_app(self.config)).start()
        self.url = self.server.url

    def conn(self) -> sqlite3.Connection:
        return db.connect(self.db_path)

    def faults(self, **spec: object) -> None:
        requests.post(f"{self.url}/admin/faults", json=spec, timeout=10).raise_for_status()

    def ledger(self, browser: Browser, password: str | None = None, retry: LedgerRetry = QUICK,
               timeout_seconds: float = 10.0, trace_dir: Path | None = None) -> PlaywrightLedger:
        return PlaywrightLedger(browser, LedgerConfig(base_url=self.url, username=self.config.username,
                                                      password=password or self.config.password,
                                                      agreement_number="123456", timeout_seconds=timeout_seconds,
                                                      retry=retry, trace_dir=trace_dir))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """One site for the read-only tests."""
    s = Site(tmp_path_factory.mktemp("ledger"))
    yield s
    s.server.stop()


@pytest.fixture
def own_site(tmp_path: Path) -> Iterator[Site]:
    """A site of the test's own, for tests that send or inject faults."""
    s = Site(tmp_path)
    yield s
    s.server.stop()


@pytest.fixture
def secret_site(tmp_path: Path) -> Iterator[Site]:
    """A site whose password is distinctive enough to look for in every byte the robot keeps."""
    s = Site(tmp_path, password=SECRET)
    yield s
    s.server.stop()


@pytest.fixture
def ledger(site: Site, browser: Browser) -> Iterator[PlaywrightLedger]:
    with site.ledger(browser) as led:
        led.login()
        yield led


def test_customers_match_the_site_in_few_page_loads(site: Site, ledger: PlaywrightLedger) -> None:
    truth, total = db.customers(site.conn())
    before = ledger.page_loads
    found = ledger.customers()
    assert [(c.number, c.name, c.payment_term, c.active, c.group) for c in found] == [
        (c.number, c.name, c.payment_term, c.active, c.group) for c in truth]
    assert len(found) == total >= 200
    assert ledger.page_loads - before == -(-total // site.config.page_size)  # one load per list page


def test_customer_master_data_has_contacts(site: Site, ledger: PlaywrightLedger) -> None:
    conn = site.conn()
    number = next(c.number for c in db.customers(conn)[0] if (db.customer(conn, c.number) or c).contacts)
    truth = db.customer(conn, number)
    assert truth is not None
    got = ledger.customer(number)
    assert (got.name, got.cvr, got.email, got.address, got.city) == (
        truth.name, truth.cvr, truth.email, truth.address, truth.city)
    assert [(c.name, c.role) for c in got.contacts] == [(c.name, c.role) for c in truth.contacts]
    with pytest.raises(NotInLedger):
        ledger.customer(999_999)


def test_open_invoices_and_terms_match(site: Site, ledger: PlaywrightLedger) -> None:
    conn = site.conn()
    truth = {i.number: i for i in db.invoices(conn) if i.remaining != 0}
    got = {i.number: i for i in ledger.invoices(InvoiceFilter.OPEN)}
    assert got.keys() == truth.keys()
    assert all(got[n].remaining == truth[n].remaining and got[n].due_date == truth[n].due_date for n in got)
    assert any(i.is_credit_note for i in got.values())
    assert {t.number for t in ledger.payment_terms()} == {t.number for t in db.terms(conn)}


def test_all_invoices_are_read_page_by_page_in_one_login(site: Site, ledger: PlaywrightLedger) -> None:
    truth = db.invoices(site.conn())
    before = ledger.page_loads
    got = ledger.invoices(InvoiceFilter.ALL)
    assert sorted(i.number for i in got) == sorted(i.number for i in truth) and len(got) >= 1400
    assert ledger.page_loads - before == -(-len(truth) // site.config.page_size)  # list pages, not invoices
    assert ledger.logins == 1


def test_inkasso_list_company_and_history_match(site: Site, ledger: PlaywrightLedger) -> None:
    conn = site.conn()
    truth = inkasso(db.invoices(conn), db.reminders(conn), ReminderSettings(), TODAY)
    got = ledger.inkasso_list()
    assert sorted((c.customer_number, tuple(sorted(c.invoice_numbers)), c.remaining) for c in got) == sorted(
        (c.customer_number, tuple(sorted(c.invoice_numbers)), c.remaining) for c in truth)
    assert got and all(c.reminder3_date < TODAY for c in got)
    company = db.company(conn)
    assert ledger.company().name == company.name and ledger.company().cvr == company.cvr
    assert sorted(r.number for r in ledger.reminders()) == sorted(r.number for r in db.reminders(conn))


def test_reminder_candidates_are_the_sites_rule(site: Site, ledger: PlaywrightLedger) -> None:
    conn = site.conn()
    truth = candidates(db.invoices(conn), db.reminders(conn), ReminderSettings(), TODAY)
    got = ledger.reminder_candidates()
    assert sorted((c.customer_number, c.level, tuple(sorted(c.invoice_numbers))) for c in got) == sorted(
        (c.customer_number, c.level, tuple(sorted(c.invoice_numbers))) for c in truth)
    assert {c.level for c in got} == {1, 2, 3}


def test_invoice_pdf_is_a_real_pdf(site: Site, ledger: PlaywrightLedger) -> None:
    number = db.invoices(site.conn())[0].number
    pdf = ledger.invoice_pdf(number)
    assert pdf.startswith(b"%PDF")
    assert str(number) in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_send_is_recorded_once_and_has_a_pdf(own_site: Site, browser: Browser) -> None:
    with own_site.ledger(browser) as ledger:
        ledger.login()
        target = ledger.reminder_candidates()[0]
        result = ledger.send_reminders(target.level, [target.customer_number], Decimal("100"), "Husk at betale")
        assert not result.refused
        sent = result.sent[target.customer_number]
        assert (sent.customer_number, sent.level, sent.fee) == (target.customer_number, target.level, Decimal("100"))
        assert set(sent.invoice_numbers) == set(target.invoice_numbers)
        history = ledger.reminders(target.customer_number)
        assert [r for r in history if r.number == sent.number] == [sent]
        truth = db.reminders(own_site.conn(), number=sent.number)
        assert len(truth) == 1 and truth[0].text == "Husk at betale"
        assert ledger.reminder_pdf(sent.number).startswith(b"%PDF")
        again = ledger.send_reminders(target.level, [target.customer_number], Decimal("100"), "Husk at betale")
        assert not again.sent and "står ikke længere til rykker" in again.refused[target.customer_number]
    assert len([r for r in db.reminders(own_site.conn(), target.customer_number)
                if r.date == TODAY and r.level == target.level]) == 1


def test_many_reminders_go_in_one_send(own_site: Site, browser: Browser) -> None:
    with own_site.ledger(browser) as ledger:
        ledger.login()
        level2 = [c for c in ledger.reminder_candidates() if c.level == 2][:5]
        assert len(level2) == 5
        numbers = [c.customer_number for c in level2]
        before_loads, before = ledger.page_loads, len(db.reminders(own_site.conn()))
        result = ledger.send_reminders(2, [*numbers, 999_999], Decimal("100"), "Anden rykker")
        assert ledger.page_loads - before_loads == 2  # the reminders page and one Send
    assert sorted(result.sent) == sorted(numbers) and list(result.refused) == [999_999]
    assert all(result.sent[c.customer_number].invoice_numbers == c.invoice_numbers for c in level2)
    assert len(db.reminders(own_site.conn())) == before + 5


def test_expired_session_is_renewed_without_failing(own_site: Site, browser: Browser) -> None:
    with own_site.ledger(browser) as ledger:
        ledger.login()
        first = ledger.payment_terms()
        assert requests.post(f"{own_site.url}/admin/logout-all", timeout=10).json()["ended"] >= 1
        assert ledger.payment_terms() == first
        assert ledger.logins == 2


def test_flaky_site_still_gives_the_whole_list(own_site: Site, browser: Browser) -> None:
    own_site.faults(mode="flaky", rate=0.3, seed=7)
    retry = LedgerRetry(attempts=8, initial=0.05, cap=0.2)
    with own_site.ledger(browser, retry=retry) as ledger:
        ledger.login()
        assert len(ledger.customers()) == db.customers(own_site.conn())[1]
    assert requests.get(f"{own_site.url}/admin/state", timeout=10).json()["faults_injected"] > 0


def test_down_for_a_while_then_back_the_call_succeeds(own_site: Site, browser: Browser) -> None:
    own_site.faults(mode="down")
    refused: list[int] = []

    def come_back() -> None:
        refused.append(requests.get(f"{own_site.url}/admin/state", timeout=10).json()["faults_injected"])
        own_site.faults(mode="none")

    threading.Timer(1.5, come_back).start()
    with own_site.ledger(browser, retry=LedgerRetry(attempts=10, initial=0.3, cap=1.0)) as ledger:
        ledger.login()
        assert {t.number for t in ledger.payment_terms()} == {t.number for t in db.terms(own_site.conn())}
    assert refused and refused[0] > 0  # it was answered 503 before it came back


def test_site_down_raises_ledger_unavailable_after_the_retries(own_site: Site, browser: Browser) -> None:
    own_site.faults(mode="down")
    with own_site.ledger(browser) as ledger, pytest.raises(LedgerUnavailable, match="3 forsøg"):
        ledger.login()


def test_too_slow_is_unavailable_too(own_site: Site, browser: Browser) -> None:
    own_site.faults(mode="slow", seconds=2.0)
    with own_site.ledger(browser, retry=LedgerRetry(attempts=2, initial=0.1, cap=0.1),
                         timeout_seconds=0.5) as ledger, pytest.raises(LedgerUnavailable):
        ledger.login()


def test_wrong_password_is_a_settings_error_tried_once(own_site: Site, browser: Browser) -> None:
    with own_site.ledger(browser, password="forkert") as ledger:
        with pytest.raises(LedgerAuthError) as info:
            ledger.login()
        assert ledger.logins <= 1
    assert "forkert" not in str(info.value)


def test_evidence_has_a_trace_but_never_the_password(secret_site: Site, browser: Browser, tmp_path: Path) -> None:
    traces = tmp_path / "traces"
    with secret_site.ledger(browser, password=SECRET, trace_dir=traces) as ledger:
        ledger.login()
        ledger.payment_terms()
        requests.post(f"{secret_site.url}/admin/logout-all", timeout=10).raise_for_status()
        ledger.payment_terms()  # logs in again mid-job: that login is not traced either
        assert ledger.logins == 2
        kept = ledger.save_artifacts(tmp_path / "evidence")
    zips = [p for p in kept if p.suffix == ".zip"]
    assert len(zips) >= 2 and all(zipfile.is_zipfile(p) for p in zips)
    assert any(name.endswith(".trace") for p in zips for name in zipfile.ZipFile(p).namelist())
    for path in kept:
        blobs = [zipfile.ZipFile(path).read(n) for n in zipfile.ZipFile(path).namelist()] if path in zips else [
            path.read_bytes()]
        assert all(SECRET.encode() not in blob for blob in blobs), path.name
        assert all(b'"frame-snapshot"' not in blob for blob in blobs), path.name  # no DOM copies: memory
    assert not list(traces.glob("*.zip"))  # moved into the evidence folder


def test_a_long_job_keeps_the_trace_of_its_last_pages_only(own_site: Site, browser: Browser, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 12: the trace is saved in parts of TRACE_LOADS page loads and only the last TRACE_PARTS are kept, so
    what Playwright's driver holds for the trace does not grow with the job; the evidence is the last pages."""
    monkeypatch.setattr(session, "TRACE_LOADS", 3)
    traces = tmp_path / "traces"
    with own_site.ledger(browser, trace_dir=traces) as ledger:
        ledger.login()
        for _ in range(10):
            ledger.payment_terms()
        assert len(list(traces.glob("*.zip"))) == session.TRACE_PARTS  # older parts deleted as the job goes
        kept = [p for p in ledger.save_artifacts(tmp_path / "evidence") if p.suffix == ".zip"]
    assert len(kept) == session.TRACE_PARTS and all(zipfile.is_zipfile(p) for p in kept)
    assert [p.name for p in kept] == sorted(p.name for p in kept)  # the last parts, in order
    last = zipfile.ZipFile(kept[-1])
    assert any("/betalingsbetingelser" in last.read(n).decode(errors="replace") for n in last.namelist()
               if n.endswith((".trace", ".network")))


def test_a_job_that_went_well_leaves_no_trace(own_site: Site, browser: Browser, tmp_path: Path) -> None:
    traces = tmp_path / "traces"
    with own_site.ledger(browser, trace_dir=traces) as ledger:
        ledger.login()
        ledger.payment_terms()
    assert not traces.exists() or not any(traces.iterdir())


def test_a_long_job_reads_in_fresh_tabs_closing_the_old(own_site: Site, browser: Browser) -> None:
    """A tab's renderer only grows while it lives: after every ``LOADS_PER_PAGE`` loads the tab is closed and
    a new one opened (the session cookie is the context's), so a 5,000-customer job stays within its memory."""
    with own_site.ledger(browser) as ledger:
        ledger.login()
        context = browser.contexts[-1]
        opened: list[Page] = []
        context.on("page", lambda page: opened.append(page))
        before = ledger.page_loads
        for _ in range(4):
            assert len(ledger.customers()) == db.customers(own_site.conn())[1]
        loads = ledger.page_loads - before
        assert loads >= 2 * LOADS_PER_PAGE and len(opened) >= 2  # a new tab after every LOADS_PER_PAGE loads
        assert len(context.pages) == 1 and all(p.is_closed() for p in opened[:-1])
        assert ledger.logins == 1


def test_the_tab_keeps_no_documents_of_the_pages_it_has_left(own_site: Site, browser: Browser) -> None:
    """Issue 12: the renderer frees a left page's document only at a garbage collection, which the session runs
    after each load; without it the documents pile up (20 list pages: 21 documents, 140 MiB)."""
    with own_site.ledger(browser) as ledger:
        ledger.login()
        context = browser.contexts[-1]
        for _ in range(LOADS_PER_PAGE - 2):  # all in the one tab
            ledger.payment_terms()
        (page,) = context.pages
        cdp = context.new_cdp_session(page)
        documents = cdp.send("Memory.getDOMCounters")["documents"]
        cdp.detach()
    assert documents <= 3, documents  # the page shown (and its frames), not the ones before it
