"""The sandbox accounting site over plain HTTP (Flask test client): login, paging, rules, PDFs, faults."""

from __future__ import annotations

import io
import json
import re
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader

from sandbox.ledger import create_app, state
from sandbox.ledger.__main__ import main as cli_main
from sandbox.ledger.config import SandboxConfig

TODAY = date(2026, 3, 2)
SMALL: dict[str, Any] = {
    "company": {"name": "Lille Firma ApS", "cvr": "12345674", "address": "Torvet 1", "postal_code": "8000",
                "city": "Aarhus C", "email": "a@b.dk", "phone": "12345678", "bank_account": "1234 0000123456"},
    "payment_terms": [{"number": 1, "name": "Netto 8 dage", "days": 8},
                      {"number": 2, "name": "Løbende måned + 30 dage", "days": 30, "kind": "current_month"}],
    "customers": [
        {"number": 1, "name": "Jensen Tømrer ApS", "cvr": "87654321", "country": "DK", "email": "j@t.dk",
         "group": "Erhverv", "payment_term": 1, "active": True,
         "contacts": [{"name": "Ole Jensen", "role": "Bogholder", "email": "ole@t.dk", "phone": "11"}]},
        {"number": 2, "name": "Mette Hansen", "cvr": "", "country": "DK", "email": "m@h.dk", "group": "Privat",
         "payment_term": 1, "active": True},
        {"number": 3, "name": "Nordwind GmbH", "cvr": "", "country": "DE", "email": "n@w.de", "group": "Udland",
         "payment_term": 2, "active": False},
    ],
    "invoices": [
        {"number": 101, "customer_number": 1, "date": "2026-01-01", "due_date": "2026-01-09", "amount": "1234.50",
         "remaining": "1234.50"},
        {"number": 102, "customer_number": 1, "date": "2026-02-10", "due_date": "2026-02-18", "amount": "500",
         "remaining": "200"},
        {"number": 103, "customer_number": 2, "date": "2026-02-01", "due_date": "2026-02-09", "amount": "800",
         "remaining": "800"},
        {"number": 104, "customer_number": 2, "date": "2026-02-26", "due_date": "2026-03-06", "amount": "90",
         "remaining": "90"},
        {"number": 105, "customer_number": 3, "date": "2025-11-01", "due_date": "2025-12-30", "amount": "4000",
         "remaining": "4000", "currency": "EUR"},
        {"number": 106, "customer_number": 1, "date": "2025-12-01", "due_date": "2025-12-09", "amount": "-300",
         "remaining": "0"},
    ],
    "reminders": [
        {"number": 1, "customer_number": 1, "level": 1, "date": "2026-01-15", "invoice_numbers": [101],
         "fee": "100", "amount": "1234.50"},
        {"number": 2, "customer_number": 1, "level": 2, "date": "2026-01-25", "invoice_numbers": [101],
         "fee": "100", "amount": "1234.50"},
        {"number": 3, "customer_number": 3, "level": 1, "date": "2026-01-05", "invoice_numbers": [105],
         "fee": "100", "amount": "4000"},
        {"number": 4, "customer_number": 3, "level": 2, "date": "2026-01-12", "invoice_numbers": [105],
         "fee": "100", "amount": "4000"},
        {"number": 5, "customer_number": 3, "level": 3, "date": "2026-02-10", "invoice_numbers": [105],
         "fee": "100", "amount": "4000", "text": "Sidste rykker"},
    ],
}


def make_app(tmp_path: Path, data: dict[str, Any] | None = SMALL, **kw: Any) -> Flask:
    path = None
    if data is not None:
        path = tmp_path / "data.json"
        path.write_text(json.dumps(data), encoding="utf-8")
    return create_app(SandboxConfig(today=TODAY, data_path=path, db_path=tmp_path / "db.sqlite", **kw))


def login(client: FlaskClient, pw: str = "demo") -> Any:
    return client.post("/login", data={"username": "demo", "password": pw, "agreement": "123456"})


def cells(html: str, col: str) -> list[str]:
    return [c.strip() for c in re.findall(rf'data-col="{col}"[^>]*>(?:<a [^>]*>)?([^<]*)<', html)]


@pytest.fixture()
def client(tmp_path: Path) -> FlaskClient:
    c = make_app(tmp_path).test_client()
    assert login(c).status_code == 302
    return c


def test_login_required_and_wrong_credentials(tmp_path: Path) -> None:
    c = make_app(tmp_path).test_client()
    r = c.get("/fakturaer?status=all")
    assert r.status_code == 302 and r.headers["Location"] == "/login?next=/fakturaer?status%3Dall"
    bad = login(c, "wrong")
    assert bad.status_code == 200 and "Forkert brugernavn" in bad.text
    assert c.get("/kunder").status_code == 302
    ok = c.post("/login", data={"username": "demo", "password": "demo", "agreement": "123456",
                                "next": "/kunder"})
    assert ok.headers["Location"] == "/kunder"
    assert c.get("/kunder").status_code == 200
    c.get("/logout")
    assert c.get("/kunder").status_code == 302


def test_idle_session_expires(tmp_path: Path) -> None:
    c = make_app(tmp_path, session_idle_seconds=0.0).test_client()
    login(c)
    time.sleep(0.05)
    assert c.get("/kunder").headers["Location"].startswith("/login?next=")


def test_forced_logout_and_faults(client: FlaskClient) -> None:
    assert client.post("/admin/logout-all").json == {"ended": 1}
    assert client.get("/kunder").status_code == 302
    login(client)
    client.post("/admin/faults", json={"mode": "down"})
    assert client.get("/kunder").status_code == 503
    assert client.get("/admin/state").status_code == 200
    client.post("/admin/faults", json={"mode": "flaky", "rate": 0.5, "seed": 3})
    codes = [client.get("/firma").status_code for _ in range(40)]
    assert 5 <= codes.count(503) <= 35 and set(codes) == {200, 503}
    client.post("/admin/faults", json={"mode": "flaky", "rate": 0.5, "seed": 3})
    assert [client.get("/firma").status_code for _ in range(40)] == codes  # deterministic
    assert client.post("/admin/faults", json={"mode": "bogus"}).status_code == 400
    client.post("/admin/faults", json={"mode": "none"})
    assert client.get("/firma").status_code == 200


def test_a_held_request_waits_until_the_faults_change_and_then_never_reaches_its_page(client: FlaskClient) -> None:
    """Fault "hold": the first ``after`` matching requests pass, the next one hangs until the faults are set
    again and is then answered 503 without its view running (a kill test's deterministic stop)."""
    other = client.application.test_client()  # the held request's own browser (a client is not thread-safe)
    login(other)
    client.post("/admin/faults", json={"mode": "hold", "paths": ["/firma"], "after": 1})
    assert client.get("/firma").status_code == 200  # let through
    assert client.get("/kunder").status_code == 200  # another path: not matched
    answers: list[int] = []
    held = threading.Thread(target=lambda: answers.append(other.get("/firma").status_code))
    held.start()
    deadline = time.monotonic() + 10
    while client.get("/admin/state").json["faults_injected"] < 1:  # type: ignore[index]
        assert time.monotonic() < deadline, "the request was not held"
        time.sleep(0.01)
    held.join(0.3)
    assert held.is_alive() and not answers  # still hanging
    client.post("/admin/faults", json={"mode": "none"})
    held.join(10)
    assert answers == [503]
    assert client.get("/firma").status_code == 200


def test_the_customer_list_filtered_to_customer_numbers(client: FlaskClient) -> None:
    html = client.get("/kunder?kunde=3, 1, x").text
    assert cells(html, "number") == ["1", "3"]  # sorted, each once; text matches no customer
    assert 'name="kunde" value="1, 3"' in html
    assert cells(client.get("/kunder?kunde=").text, "number") == ["1", "2", "3"]  # an empty field: no filter


def test_master_data_pages(client: FlaskClient) -> None:
    html = client.get("/kunder").text
    assert cells(html, "number") == ["1", "2", "3"]
    assert cells(html, "active") == ["Ja", "Ja", "Nej"]
    assert cells(client.get("/kunder?q=hansen").text, "name") == ["Mette Hansen"]
    detail = client.get("/kunder/1").text
    assert "Ole Jensen" in detail and "Bogholder" in detail
    assert client.get("/kunder/99").status_code == 404
    assert cells(client.get("/betalingsbetingelser").text, "days") == ["8", "30"]
    assert "1234 0000123456" in client.get("/firma").text


def test_invoice_filters_and_danish_formats(client: FlaskClient) -> None:
    assert cells(client.get("/fakturaer").text, "number") == ["101", "102", "103", "104", "105"]
    assert cells(client.get("/fakturaer?status=overdue").text, "number") == ["101", "102", "103", "105"]
    every = client.get("/fakturaer?status=all&kunde=1").text
    assert cells(every, "number") == ["101", "102", "106"]
    assert cells(every, "amount") == ["1.234,50", "500,00", "-300,00"]
    assert cells(every, "due_date")[0] == "09-01-2026"


def test_paging_of_the_generated_company(tmp_path: Path) -> None:
    c = make_app(tmp_path, data=None, page_size=50).test_client()
    login(c)
    first = c.get("/kunder").text
    assert len(cells(first, "number")) == 50 and 'rel="next"' in first and "Næste" in first
    last = c.get("/kunder?side=6").text
    assert cells(last, "number")[-1] == "300" and 'rel="next"' not in last
    total = int(re.findall(r'data-testid="total">(\d+)<', c.get("/fakturaer?status=all").text)[0])
    seen = []
    page = 1
    while True:
        html = c.get(f"/fakturaer?status=all&side={page}").text
        seen += cells(html, "number")
        if 'rel="next"' not in html:
            break
        page += 1
    assert len(seen) == len(set(seen)) == total and page == -(-total // 50)


def test_candidates_send_history_and_inkasso(client: FlaskClient, tmp_path: Path) -> None:
    html = client.get("/rykkere").text
    rows = re.findall(r'data-customer="(\d+)" data-level="(\d)"', html)
    assert rows == [("1", "1"), ("1", "3"), ("2", "1")]  # 102 and 103 are new; 101 had level 2 on 25-01
    assert cells(client.get("/inkasso").text, "customer_number") == ["3"]
    assert client.post("/rykkere/send", data={"fee": "100,00", "text": "x"}).status_code == 400
    r = client.post("/rykkere/send", data={"select": ["1-3", "2-2"], "fee": "65,50", "text": "Betal venligst"})
    sent = client.get(r.headers["Location"]).text
    assert re.findall(r'data-testid="sent-number">(\d+)<', sent) == ["6"]
    assert "Ikke længere aktuelle: 2-2" in sent
    after = re.findall(r'data-customer="(\d+)" data-level="(\d)"', client.get("/rykkere").text)
    assert after == [("1", "1"), ("2", "1")]
    hist = client.get("/rykkere/historik?kunde=1").text
    assert cells(hist, "number") == ["6", "2", "1"] and cells(hist, "fee")[0] == "65,50"
    st = client.get("/admin/state").json
    assert st["reminders_sent_today"] == 1 and st["sent_today"][0]["invoice_numbers"] == [101]
    assert state(client.application).config.today == TODAY


def test_pdfs_are_real(client: FlaskClient) -> None:
    body = client.get("/fakturaer/101.pdf").data
    assert body.startswith(b"%PDF")
    text = PdfReader(io.BytesIO(body)).pages[0].extract_text()
    assert "101" in text and "1.234,50" in text and "Jensen Tømrer ApS" in text
    rem = client.get("/rykkere/5.pdf").data
    assert "Rykker 3" in PdfReader(io.BytesIO(rem)).pages[0].extract_text()
    assert client.get("/fakturaer/999.pdf").status_code == 404


def test_cli_dumps_a_loadable_dataset(tmp_path: Path) -> None:
    out = tmp_path / "dump.json"
    assert cli_main(["--dump-data", str(out), "--today", "2026-03-02", "--seed", "5"]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["customers"]) == 300 and data["invoices"][0]["number"] == 10001
    app = make_app(tmp_path, data=data)
    c = app.test_client()
    login(c)
    assert cells(c.get("/kunder").text, "number")[:3] == ["1", "2", "3"]


def test_lists_filter_by_several_customers_and_level(client: FlaskClient) -> None:
    def candidates(query: str) -> list[tuple[str, str]]:
        return re.findall(r'data-customer="(\d+)" data-level="(\d)"', client.get(f"/rykkere{query}").text)

    assert candidates("?kunde=1") == [("1", "1"), ("1", "3")]
    assert candidates("?kunde=2,+1&rykker=1") == [("1", "1"), ("2", "1")]
    assert candidates("?kunde=3") == [] and candidates("?kunde=abc") == []
    assert 'value="1, 2"' in client.get("/rykkere?kunde=2,1").text  # the field shows the filter it applied
    assert sorted(cells(client.get("/fakturaer?status=all&kunde=1;+3").text, "number")) == ["101", "102", "105", "106"]
    assert cells(client.get("/fakturaer?status=overdue&kunde=1,2").text, "number") == ["101", "102", "103"]
    assert cells(client.get("/rykkere/historik?kunde=3,1").text, "number") == ["5", "2", "1", "4", "3"]  # newest first
    r = client.post("/rykkere/send", data={"select": ["2-1"], "fee": "x", "kunde": "2", "rykker": "1"})
    assert r.status_code == 400 and re.findall(r'data-customer="(\d+)" data-level="(\d)"', r.text) == [("2", "1")]
