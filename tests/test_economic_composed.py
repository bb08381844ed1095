"""Reads over e-conomic's REST API, sends through the web UI: the sandbox's API and UI agree verb by verb (the
API at a fraction of the UI's page loads), the composed ledger logs the UI in only when a job needs it, and a
whole rykkerflow with API reads makes the same proposals as UI-only reads and sends through the UI."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from bot.app import build_worker
from bot.config import ApiTokens, LedgerLogin
from bot.ledger.composed import ComposedLedger
from bot.ledger.playwright_ledger import LedgerConfig, PlaywrightLedger
from bot.ledger.rest.client import ApiConfig, EconomicClient
from bot.ledger.rest.ledger import EconomicLedger
from bot.ledger.session import LedgerRetry
from bot.records import InvoiceFilter
from jobqueue.queue import JobQueue
from sandbox.ledger import create_app, db
from sandbox.ledger.config import SandboxConfig
from sandbox.ledger.restapi import stats
from sandbox.serving import ServerThread
from sandbox.stack import LocalStack
from sheets_schema import INKASSOFORSLAG, RYKKERFORSLAG, JobStatus, JobType, ProposalStatus

pytestmark = pytest.mark.e2e
TODAY = date(2026, 11, 23)
DEMO = "demo"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    path = tmp_path_factory.mktemp("composed") / "ledger.db"
    with ServerThread(create_app(SandboxConfig(today=TODAY, db_path=path))) as srv:
        yield srv.url, path


def ui_ledger(browser: Browser, url: str) -> PlaywrightLedger:
    return PlaywrightLedger(browser, LedgerConfig(base_url=url, username=DEMO, password=DEMO,
                                                  agreement_number="123456", retry=LedgerRetry(3, 0.1, 0.5)))


def api_ledger(url: str) -> EconomicLedger:
    return EconomicLedger(EconomicClient(ApiConfig(DEMO, DEMO, DEMO, base_url=f"{url}/restapi")), "123456")


def test_api_and_ui_read_the_same_ledger_at_a_fraction_of_the_cost(
    browser: Browser, site: tuple[str, Path]
) -> None:
    url, path = site
    api, ui = api_ledger(url), ui_ledger(browser, url)
    try:
        api.login()
        ui.login()
        ui_start = ui.page_loads
        assert api.customers() == ui.customers()
        assert api.payment_terms() == ui.payment_terms()
        for status in InvoiceFilter:
            assert api.invoices(status) == ui.invoices(status)
        number = db.invoices(db.connect(path))[0].customer_number
        assert api.customer(number) == ui.customer(number)
        assert api.invoices(InvoiceFilter.OPEN, number) == ui.invoices(InvoiceFilter.OPEN, number)
        assert api.company() == ui.company()
        assert api.invoice_pdf(10001)[:4] == ui.invoice_pdf(10001)[:4] == b"%PDF"
        api_cost, ui_cost = api.requests - 1, ui.page_loads - ui_start  # the logins left out
    finally:
        ui.close()
        api.close()
    assert api_cost * 4 < ui_cost  # 12 requests against 59 page loads on the demo data


def test_composed_ledger_reads_from_the_api_and_sends_through_the_ui(
    browser: Browser, tmp_path: Path
) -> None:
    config = SandboxConfig(today=TODAY, db_path=tmp_path / "ledger.db")
    app = create_app(config)
    with ServerThread(app) as srv:
        ledger = ComposedLedger(api_ledger(srv.url), ui_ledger(browser, srv.url))
        try:
            ledger.login()
            customers = ledger.customers()
            ledger.payment_terms()
            assert len(customers) == 300 and ledger.ui_page_loads == 0  # the browser has not been used
            reads = stats(app).requests
            candidate = ledger.reminder_candidates()[0]  # only the UI has the ledger's reminder proposals
            assert ledger.ui_page_loads >= 2 and stats(app).requests == reads
            result = ledger.send_reminders(candidate.level, [candidate.customer_number], Decimal(100), "Rykker")
            assert list(result.sent) == [candidate.customer_number]
            history = ledger.reminders(candidate.customer_number)
            assert history[0].number == result.sent[candidate.customer_number].number
            assert stats(app).requests == reads  # nothing of the send went over the API
            assert ledger.page_loads == ledger.ui_page_loads + ledger.api_requests
        finally:
            ledger.close()
    recorded = db.reminders(db.connect(tmp_path / "ledger.db"), candidate.customer_number)
    assert recorded[0].level == candidate.level and recorded[0].date == TODAY


def proposals(stack: LocalStack) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    def plain(values: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in values.items() if k not in ("updated_at", "created_at")}

    return ([plain(dict(r.values)) for r in stack.client.read_table(RYKKERFORSLAG)],
            [plain(dict(r.values)) for r in stack.client.read_table(INKASSOFORSLAG)])


def test_rykkerflow_with_api_reads_proposes_the_same_and_sends_through_the_ui(
    stack: LocalStack, browser: Browser, tmp_path: Path
) -> None:
    JobQueue(stack.queue).enqueue(stack.client_id, JobType.RYKKERFLOW, "test")
    JobQueue(stack.queue).enqueue(stack.client_id, JobType.INKASSOFORSLAG, "test")  # approval mode: not chained
    build_worker(stack.settings, browser, sheets=stack.sheets).work(burst=True)
    ui_only = proposals(stack)

    with LocalStack(tmp_path / "api", today=stack.today, mailer="outbox") as api_stack:
        login = LedgerLogin(DEMO, DEMO, ref="DEMO", api=ApiTokens(DEMO, DEMO))
        settings = dataclasses.replace(api_stack.settings, logins={"DEMO": login},
                                       economic_api_url=f"{api_stack.ledger.url}/restapi")
        app = api_stack.ledger._server.app
        queue = JobQueue(api_stack.queue)
        queue.enqueue(api_stack.client_id, JobType.RYKKERFLOW, "test")
        queue.enqueue(api_stack.client_id, JobType.INKASSOFORSLAG, "test")
        build_worker(settings, browser, sheets=api_stack.sheets).work(burst=True)
        assert [j.status for j in queue.jobs()] == [JobStatus.DONE, JobStatus.DONE]  # rykkerflow, inkassoforslag
        with_api = proposals(api_stack)
        api_reads = stats(app).requests

        assert with_api == ui_only
        assert len(with_api[0]) >= 5 and with_api[1]
        assert api_reads >= 4  # /self, groups, customers, payment terms, then the inkasso invoices

        rows = api_stack.client.read_table(RYKKERFORSLAG)[:2]
        api_stack.client.update_rows(RYKKERFORSLAG, {r.number: {"approve": True} for r in rows})
        before = {r["number"] for r in api_stack.ledger_state()["sent_today"]}
        queue.enqueue(api_stack.client_id, JobType.SEND_RYKKERE, "test")
        build_worker(settings, browser, sheets=api_stack.sheets).work(burst=True)
        sent = [r for r in api_stack.ledger_state()["sent_today"] if r["number"] not in before]
        assert sorted((s["customer_number"], s["level"]) for s in sent) == sorted(
            (r.values["customer_number"], r.values["step"]) for r in rows)
        after = {r.number: r.values["status"] for r in api_stack.client.read_table(RYKKERFORSLAG)}
        assert all(after[r.number] == ProposalStatus.SENT.value for r in rows)
