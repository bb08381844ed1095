"""The e-conomic REST adapter against the sandbox's API over HTTP: every read verb agrees with the site's own
database, paging costs ceil(n / pagesize) requests (counted by the client and by the server), 429 waits what
Retry-After says, 503 for a while then back, and a wrong token is a settings error tried once, never leaked."""

from __future__ import annotations

import io
import logging
import math
import sqlite3
import time
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import requests
from pypdf import PdfReader

from bot.errors import LedgerAuthError, LedgerUnavailable, NotInLedger
from bot.ledger.rest.client import ApiConfig, EconomicApiError, EconomicClient
from bot.ledger.rest.ledger import EconomicLedger
from bot.records import InvoiceFilter
from sandbox.ledger import create_app, db
from sandbox.ledger.config import SandboxConfig
from sandbox.ledger.restapi import stats
from sandbox.serving import ServerThread

TODAY = date(2026, 11, 23)
WRONG = "forkert-hemmelighed-4f9e2"
DEMO_TOKEN = "demo"


class Api:
    def __init__(self, tmp: Path) -> None:
        self.config = SandboxConfig(today=TODAY, db_path=tmp / "ledger.db")
        self.app = create_app(self.config)
        self.server = ServerThread(self.app).start()
        self.url = f"{self.server.url}/restapi"
        self.waits: list[float] = []

    def conn(self) -> sqlite3.Connection:
        return db.connect(self.config.db_path or Path())

    @property
    def served(self) -> int:
        return stats(self.app).requests

    def faults(self, **spec: object) -> None:
        requests.post(f"{self.server.url}/admin/faults", json=spec, timeout=10).raise_for_status()

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        time.sleep(seconds)

    def ledger(self, secret: str = DEMO_TOKEN, agreement: str = "123456", **config: object) -> EconomicLedger:
        options: dict[str, object] = {"attempts": 4, "initial": 0.05, "cap": 0.5, **config}
        api = ApiConfig(app_secret_token=secret, agreement_grant_token="demo", login_ref="demo",  # type: ignore[arg-type]
                        base_url=self.url, **options)
        return EconomicLedger(EconomicClient(api, sleep=self.sleep), agreement)


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    a = Api(tmp_path_factory.mktemp("restapi"))
    yield a
    a.server.stop()


@pytest.fixture
def own_api(tmp_path: Path) -> Iterator[Api]:
    """An API of the test's own, for fault injection."""
    a = Api(tmp_path)
    yield a
    a.server.stop()


def test_customers_terms_and_company_match_the_database(api: Api) -> None:
    ledger = api.ledger()
    ledger.login()
    conn = api.conn()
    expected, _ = db.customers(conn)
    got = ledger.customers()
    assert [(c.number, c.name, c.cvr, c.country, c.email, c.group, c.payment_term, c.active, c.address,
             c.postal_code, c.city, c.phone) for c in got] == [
        (c.number, c.name, c.cvr, c.country, c.email, c.group, c.payment_term, c.active, c.address, c.postal_code,
         c.city, c.phone) for c in expected]
    assert any(not c.active for c in got)  # barred customers come through as inactive
    assert [(t.number, t.name, t.days) for t in ledger.payment_terms()] == [
        (t.number, t.name, t.days) for t in db.terms(conn)]
    company = db.company(conn)
    assert ledger.company().__dict__ == company.__dict__
    assert ledger.requests == 5  # /self twice, /customer-groups, /customers (300 < 1000), /payment-terms


def test_some_customers_in_filtered_requests_of_at_most_200_numbers(api: Api) -> None:
    """e-conomic takes at most 200 values in an ``$in:`` list: 250 customers asked for are two filtered reads."""
    everyone, _ = db.customers(api.conn())
    wanted = [c.number for c in everyone[:250]] + [999_999]  # one the ledger does not have
    ledger = api.ledger()
    got = ledger.customers(wanted)
    assert [c.number for c in got] == [c.number for c in everyone[:250]]
    assert ledger.requests == 1 + 2  # /customer-groups, then two filtered pages of /customers


def test_one_customer_with_contacts(api: Api) -> None:
    ledger = api.ledger()
    conn = api.conn()
    with_contacts = next(c for c in db.customers(conn)[0] if len(db.customer(conn, c.number).contacts) >= 2)  # type: ignore[union-attr]
    full = db.customer(conn, with_contacts.number)
    assert full is not None
    got = ledger.customer(with_contacts.number)
    assert [(k.name, k.role, k.email, k.phone) for k in got.contacts] == [
        (k.name, k.role, k.email, k.phone) for k in full.contacts]
    assert (got.number, got.name, got.group) == (full.number, full.name, full.group)
    with pytest.raises(NotInLedger):
        ledger.customer(999_999)


@pytest.mark.parametrize("status", list(InvoiceFilter))
def test_invoices_by_status_match_the_database(api: Api, status: InvoiceFilter) -> None:
    keep = {InvoiceFilter.ALL: lambda i: True, InvoiceFilter.OPEN: lambda i: i.remaining != 0,
            InvoiceFilter.OVERDUE: lambda i: i.remaining > 0 and i.due_date < TODAY}[status]
    expected = [i for i in db.invoices(api.conn()) if keep(i)]
    got = api.ledger().invoices(status)
    assert [(i.number, i.customer_number, i.date, i.due_date, i.amount, i.remaining, i.currency) for i in got] == [
        (i.number, i.customer_number, i.date, i.due_date, i.amount, i.remaining, i.currency) for i in expected]
    assert any(i.amount < 0 for i in db.invoices(api.conn())) and (status is not InvoiceFilter.ALL or any(
        i.is_credit_note for i in got))


def test_invoices_of_one_customer_use_the_filter(api: Api) -> None:
    number = db.invoices(api.conn())[0].customer_number
    ledger = api.ledger()
    before = api.served
    got = ledger.invoices(InvoiceFilter.ALL, customers=number)
    assert got and {i.customer_number for i in got} == {number}
    assert [i.number for i in got] == [i.number for i in db.invoices(api.conn(), number)]
    assert api.served - before == 1 and ledger.requests == 1


def test_invoice_pdf(api: Api) -> None:
    number = db.invoices(api.conn())[0].number
    body = api.ledger().invoice_pdf(number)
    assert body.startswith(b"%PDF")
    assert str(number) in "".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)


@pytest.mark.parametrize("page_size", [100, 250, 1000])
def test_paging_1500_invoices_costs_ceil_n_over_pagesize_requests(api: Api, page_size: int) -> None:
    n = len(db.invoices(api.conn()))
    assert n >= 1500
    ledger = api.ledger(page_size=page_size)
    before = api.served
    got = ledger.invoices(InvoiceFilter.ALL)
    assert len(got) == n and len({i.number for i in got}) == n
    assert ledger.requests == math.ceil(n / page_size)
    assert api.served - before == ledger.requests  # the server saw exactly as many


def test_429_waits_what_retry_after_says(own_api: Api) -> None:
    own_api.faults(mode="ratelimit", seconds=1, count=2)
    ledger = own_api.ledger()
    terms = ledger.payment_terms()
    assert [t.number for t in terms] == [t.number for t in db.terms(own_api.conn())]
    assert own_api.waits == [1.0, 1.0]  # Retry-After, not the adapter's own 0.05 s backoff
    assert ledger.requests == 3 and own_api.served == 3


def test_503_for_a_while_then_back(own_api: Api) -> None:
    own_api.faults(mode="down", count=3)
    ledger = own_api.ledger(attempts=5)
    assert len(ledger.customers()) == 300
    assert len(own_api.waits) == 3 and all(0.05 <= w <= 0.5 for w in own_api.waits)
    assert own_api.waits[2] > own_api.waits[0]  # exponential backoff
    assert ledger.requests == 5  # groups: 3 refused + 1; customers: 1


def test_503_that_lasts_is_ledger_unavailable_after_the_attempts(own_api: Api) -> None:
    own_api.faults(mode="down")
    ledger = own_api.ledger(attempts=3)
    with pytest.raises(LedgerUnavailable, match="3 forsøg"):
        ledger.payment_terms()
    assert ledger.requests == 3


def test_wrong_token_is_a_settings_error_tried_once_and_never_leaked(
    own_api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    ledger = own_api.ledger(secret=WRONG)
    with pytest.raises(LedgerAuthError) as raised:
        ledger.login()
    text = str(raised.value)
    assert "RYKKERBOT_ECONOMIC_DEMO_APP_SECRET" in text and "401" in text
    assert WRONG not in text and WRONG not in caplog.text and WRONG not in repr(ledger._client._config)
    assert ledger.requests == 1 and own_api.served == 1 and own_api.waits == []


def test_tokens_of_another_agreement_are_a_settings_error(api: Api) -> None:
    with pytest.raises(LedgerAuthError, match="hører til aftale 123456, men Instruks-fanen siger aftale 999999") as e:
        api.ledger(agreement="999999").login()
    assert e.value.problems[0].field == "Aftalenummer"


def test_a_malformed_request_is_a_bug_not_a_retry(api: Api) -> None:
    client = EconomicClient(ApiConfig("demo", "demo", "demo", base_url=api.url), sleep=api.sleep)
    with pytest.raises(EconomicApiError, match="not filterable"):
        client.collection("/invoices/booked", "heading$eq:x")
    assert client.requests == 1
    assert Decimal(str(client.get("/invoices/booked/10001")["remainder"])) >= 0
