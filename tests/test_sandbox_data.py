"""The sandbox dataset JSON (docs/sandbox-data.md): the documented example, dump and reload, clear errors."""

from __future__ import annotations

import copy
import dataclasses
import json
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from sandbox.ledger import create_app, fmt, rules
from sandbox.ledger.__main__ import main as cli_main
from sandbox.ledger.config import SandboxConfig
from sandbox.ledger.records import Company, Contact, Customer, DataError, Dataset, Invoice, Reminder, Term

DOC = Path(__file__).resolve().parent.parent / "docs" / "sandbox-data.md"
TODAY = date(2026, 3, 2)


def doc_text() -> str:
    return DOC.read_text(encoding="utf-8")


def doc_example() -> dict[str, Any]:
    """The first ```json block of the doc."""
    found = re.search(r"```json\n(.*?)```", doc_text(), re.S)
    assert found, "docs/sandbox-data.md has no ```json block"
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def doc_today() -> date:
    """The --today the doc tells the reader to start the example with."""
    found = re.search(r"--data small\.json --today (\d{4}-\d\d-\d\d)", doc_text())
    assert found, "the doc no longer says which --today the example is meant for"
    return date.fromisoformat(found.group(1))


def make_app(tmp_path: Path, data: dict[str, Any] | None, today: date = TODAY, name: str = "site", **kw: Any) -> Flask:
    folder = tmp_path / name
    folder.mkdir()
    path = None
    if data is not None:
        path = folder / "data.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return create_app(SandboxConfig(today=today, data_path=path, db_path=folder / "db.sqlite", **kw))


def logged_in(app: Flask) -> FlaskClient:
    c = app.test_client()
    cfg = SandboxConfig()  # the demo login of the config (README: demo / demo / 123456)
    r = c.post("/login", data={"username": cfg.username, "password": cfg.password, "agreement": cfg.agreement_number})
    assert r.status_code == 302
    return c


def cells(html: str, col: str) -> list[str]:
    return [c.strip() for c in re.findall(rf'data-col="{col}"[^>]*>(?:<a [^>]*>)?([^<]*)<', html)]


def total(html: str) -> int:
    return int(re.findall(r'data-testid="total">(\d+)<', html)[0])


def candidate_rows(c: FlaskClient) -> list[tuple[str, str, str, str]]:
    html = c.get("/rykkere").text
    keys = re.findall(r'data-customer="(\d+)" data-level="(\d)"', html)
    return [(cu, lv, inv, amt) for (cu, lv), inv, amt in zip(keys, cells(html, "invoices"), cells(html, "amount"),
                                                              strict=True)]


# (a) the documented example


def test_doc_example_is_complete_and_loads() -> None:
    data = doc_example()
    ds = Dataset.from_json(data)
    # it shows what the doc promises: every kind of record and the optional fields left out
    assert any(t.kind == "current_month" for t in ds.payment_terms) and any("kind" not in t for t in
                                                                             data["payment_terms"])
    assert any(len(c.contacts) >= 2 for c in ds.customers) and any(not c.active for c in ds.customers)
    bare = [k for k, raw in zip(ds.customers, data["customers"], strict=True) if "country" not in raw]
    assert bare and all(k.country == "DK" and k.active and k.contacts == () for k in bare)  # defaults filled in
    assert any(i.amount < 0 for i in ds.invoices)  # a credit note
    assert any(0 < i.remaining < i.amount for i in ds.invoices)  # partly paid
    assert any(i.remaining == 0 for i in ds.invoices) and any(i.currency != "DKK" for i in ds.invoices)
    assert {r.level for r in ds.reminders} == {1, 2, 3} and any(r.text for r in ds.reminders)
    # every field of every record type is documented
    text = doc_text()
    for record in (Company, Term, Customer, Contact, Invoice, Reminder):
        for f in dataclasses.fields(record):
            assert f"`{f.name}`" in text, f"{record.__name__}.{f.name} is not documented"


def test_doc_example_appears_on_the_site(tmp_path: Path) -> None:
    data, today = doc_example(), doc_today()
    ds = Dataset.from_json(data)
    c = logged_in(make_app(tmp_path, data, today))

    customers = c.get("/kunder").text
    assert cells(customers, "number") == [str(k.number) for k in ds.customers]
    assert cells(customers, "name") == [k.name for k in ds.customers]
    assert cells(customers, "active") == ["Ja" if k.active else "Nej" for k in ds.customers]
    for k in ds.customers:
        detail = c.get(f"/kunder/{k.number}").text
        assert cells(detail, "name") == [p.name for p in k.contacts]
        assert cells(detail, "role") == [p.role for p in k.contacts]
    terms = c.get("/betalingsbetingelser").text
    assert cells(terms, "name") == [t.name for t in ds.payment_terms]
    assert ds.company.bank_account in c.get("/firma").text

    every = c.get("/fakturaer?status=all").text
    assert cells(every, "number") == [str(i.number) for i in sorted(ds.invoices, key=lambda i: i.number)]
    by_number = {i.number: i for i in ds.invoices}
    assert cells(every, "remaining") == [fmt.amount(by_number[int(n)].remaining) for n in cells(every, "number")]
    assert cells(every, "currency") == [by_number[int(n)].currency for n in cells(every, "number")]
    assert cells(every, "customer_name") == [
        next(k.name for k in ds.customers if k.number == by_number[int(n)].customer_number)
        for n in cells(every, "number")
    ]
    opened = cells(c.get("/fakturaer").text, "number")
    assert opened == [str(i.number) for i in sorted(ds.invoices, key=lambda i: i.number) if i.remaining != 0]
    assert c.get(f"/fakturaer/{min(i.number for i in ds.invoices if i.amount < 0)}.pdf").data.startswith(b"%PDF")

    history = c.get("/rykkere/historik").text
    assert sorted(map(int, cells(history, "number"))) == sorted(r.number for r in ds.reminders)

    # what the doc says the example shows on its day
    assert [(cu, lv, inv) for cu, lv, inv, _ in candidate_rows(c)] == [("1", "1", "1002"), ("1", "3", "1001")]
    assert cells(c.get("/inkasso").text, "customer_number") == ["3"]
    expected = rules.candidates(ds.invoices, ds.reminders, rules.ReminderSettings(), today)
    assert [r[3] for r in candidate_rows(c)] == [fmt.amount(x.amount) for x in expected]


# (b) dump the demo company and load it back


def test_dumped_demo_company_loads_back_with_the_same_candidates(tmp_path: Path) -> None:
    dump = tmp_path / "demo.json"
    assert cli_main(["--dump-data", str(dump), "--today", TODAY.isoformat(), "--seed", "2024"]) == 0
    data = json.loads(dump.read_text(encoding="utf-8"))

    generated = logged_in(make_app(tmp_path, None, name="generated", seed=2024))
    loaded = logged_in(create_app(SandboxConfig(today=TODAY, data_path=dump, db_path=tmp_path / "loaded.sqlite")))

    for url in ("/kunder", "/fakturaer?status=all", "/fakturaer", "/fakturaer?status=overdue", "/rykkere/historik"):
        assert total(loaded.get(url).text) == total(generated.get(url).text), url
    assert total(loaded.get("/kunder").text) == len(data["customers"]) == 300
    assert total(loaded.get("/fakturaer?status=all").text) == len(data["invoices"])

    rows = candidate_rows(loaded)
    assert rows == candidate_rows(generated)
    assert {lv for _, lv, _, _ in rows} == {"1", "2", "3"}
    assert cells(loaded.get("/inkasso").text, "customer_number") == cells(
        generated.get("/inkasso").text, "customer_number") != []

    # --data with --dump-data writes the same file back: nothing is lost or changed on the way
    again = tmp_path / "again.json"
    assert cli_main(["--data", str(dump), "--dump-data", str(again)]) == 0
    assert json.loads(again.read_text(encoding="utf-8")) == data


# (c) malformed datasets


_DELETE = object()


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """A mutation that sets e.g. ``invoices.3.due_date`` (a missing value deletes the key)."""
    *parents, last = path.split(".")

    def apply(data: dict[str, Any]) -> None:
        obj: Any = data
        for p in parents:
            obj = obj[int(p)] if p.isdigit() else obj[p]
        key: Any = int(last) if last.isdigit() else last
        if value is _DELETE:
            del obj[key]
        else:
            obj[key] = value

    return apply


# Each produces one of the example messages listed in the doc's "Errors" section.
DOCUMENTED_ERRORS: list[tuple[str, Any]] = [
    ("invoices.3.due_date", _DELETE),
    ("invoices.3.due_date", "05-03-2026"),
    ("invoices.0.amount", "2.500,00"),
    ("customers.1.active", "false"),
    ("customers.0.contacts.1", "Lene Jensen"),
    ("invoices", {}),
    ("invoices.3.customer_number", 9),
    ("customers.1.payment_term", 7),
    ("reminders.5.invoice_numbers", [1099]),
    ("reminders.5.level", 4),
    ("customers.2.number", 2),
]


@pytest.mark.parametrize(("path", "value"), DOCUMENTED_ERRORS, ids=[p for p, _ in DOCUMENTED_ERRORS])
def test_documented_errors_are_the_real_ones(tmp_path: Path, path: str, value: Any) -> None:
    data = doc_example()
    _set(path, value)(data)
    with pytest.raises(DataError) as err:
        make_app(tmp_path, data)
    block = re.search(r"## Errors.*?```text\n(.*?)```", doc_text(), re.S)
    assert block and str(err.value) in block.group(1).splitlines()
    assert not (tmp_path / "site" / "db.sqlite").exists()  # refused before the database is written


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("invoices.3.customer_number", 9, "invoice 1004: customer_number 9 is not in customers"),
        ("invoices.0.number", _DELETE, "invoices[0]: missing field 'number'"),
        ("reminders.0.date", _DELETE, "reminders[0]: missing field 'date'"),
        ("customers.1.name", _DELETE, "customers[1]: missing field 'name'"),
        ("customers.0.contacts.1.role", _DELETE, "customers[0].contacts[1]: missing field 'role'"),
        ("company.bank_account", _DELETE, "company: missing field 'bank_account'"),
        ("payment_terms.0.days", "otte", "payment_terms[0].days: not a whole number"),
        ("invoices.1.remaining", "NaN", "invoices[1].remaining: not an amount"),
        ("reminders.0.invoice_numbers", ["1005x"], "reminders[0].invoice_numbers: must be a list of invoice numbers"),
        ("reminders", None, "'reminders' must be a list"),
        ("customers.1", "Mette Hansen", "customers[1] must be an object"),
        ("invoices.5.number", 1001, "invoices: number 1001 is used more than once"),
    ],
)
def test_malformed_dataset_names_record_and_field(tmp_path: Path, path: str, value: Any, message: str) -> None:
    data = doc_example()
    _set(path, value)(data)
    with pytest.raises(DataError, match=re.escape(message)):
        Dataset.from_json(copy.deepcopy(data))
    # the command line refuses it with the same message, and writes nothing
    bad, out = tmp_path / "bad.json", tmp_path / "out.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DataError, match=re.escape(message)):
        cli_main(["--data", str(bad), "--dump-data", str(out)])
    assert not out.exists()


def test_a_refused_dataset_leaves_no_database_behind(tmp_path: Path) -> None:
    data = doc_example()
    data["customers"].append(copy.deepcopy(data["customers"][0]))  # customer 1 twice
    with pytest.raises(DataError, match="customers: number 1 is used more than once"):
        make_app(tmp_path, data)
    db_path = tmp_path / "site" / "db.sqlite"
    assert not db_path.exists()
    # once fixed, the same --db path loads the dataset (it is not an empty leftover)
    del data["customers"][-1]
    (tmp_path / "site" / "data.json").write_text(json.dumps(data), encoding="utf-8")
    app = create_app(SandboxConfig(today=TODAY, data_path=tmp_path / "site" / "data.json", db_path=db_path))
    assert total(logged_in(app).get("/kunder").text) == len(data["customers"])


def test_amounts_and_numbers_accept_json_numbers() -> None:
    data = doc_example()
    data["invoices"][0].update(amount=2500.5, remaining=2500.5, number="1001")
    data["customers"][1]["postal_code"] = 8000
    ds = Dataset.from_json(data)
    assert ds.invoices[0].amount == Decimal("2500.5") and ds.invoices[0].number == 1001
    assert ds.customers[1].postal_code == "8000"


def test_the_demo_ledgers_company_is_the_demo_client() -> None:
    """The creditor in the demo's case mails and PDFs is the client the Instruks tab names (issue 14: the ledger
    said "Demo Handel ApS" while the client was "Demo Byg ApS")."""
    from sandbox.ledger.data import generate
    from sandbox.stack import DEMO_CLIENT

    assert generate(date(2026, 11, 25)).company.name == DEMO_CLIENT["client_name"]
