"""The sandbox's e-conomic REST API against the documented schemas (tests/fixtures/economic_schemas/): every
collection page by page, single resources, and the error bodies of 400, 401, 404, 429 and 503."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import requests

from sandbox.ledger import create_app
from sandbox.ledger.config import SandboxConfig
from sandbox.serving import ServerThread

SCHEMAS = Path(__file__).parent / "fixtures" / "economic_schemas"
TOKENS = {"X-AppSecretToken": "demo", "X-AgreementGrantToken": "demo"}
COLLECTIONS = {
    "/customers": "customer",
    "/customer-groups": "customer-group",
    "/payment-terms": "payment-terms",
    "/invoices/booked": "booked-invoice",
    "/invoices/unpaid": "booked-invoice",
    "/invoices/overdue": "booked-invoice",
    "/customers/1/contacts": "customer-contact",
}


def schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    return loaded


def validate(document: Any, name: str) -> None:
    jsonschema.Draft7Validator(schema(name), format_checker=jsonschema.FormatChecker()).validate(document)


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    config = SandboxConfig(today=date(2026, 11, 23), db_path=tmp_path_factory.mktemp("api") / "ledger.db")
    with ServerThread(create_app(config)) as srv:
        yield srv.url


def get(url: str, headers: dict[str, str] | None = None, **params: Any) -> requests.Response:
    return requests.get(url, headers=TOKENS if headers is None else headers, params=params, timeout=30)


def test_every_schema_file_is_a_valid_schema() -> None:
    files = sorted(SCHEMAS.glob("*.schema.json"))
    assert len(files) == 8
    for f in files:
        jsonschema.Draft7Validator.check_schema(json.loads(f.read_text(encoding="utf-8")))


@pytest.mark.parametrize("path", sorted(COLLECTIONS))
def test_every_page_of_each_collection_matches_the_schemas(api: str, path: str) -> None:
    url, pages, items = f"{api}/restapi{path}?skippages=0&pagesize=400", 0, 0
    total = None
    while url:
        response = get(url)
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith("application/json")
        body = response.json()
        validate(body, "collection")
        for item in body["collection"]:
            validate(item, COLLECTIONS[path])
        pages += 1
        items += len(body["collection"])
        total = body["pagination"]["results"]
        url = body["pagination"].get("nextPage", "")
    assert total is not None and items == total
    assert pages == max(1, -(-total // 400))


@pytest.mark.parametrize(("path", "name"), [
    ("/self", "self"), ("/customers/1", "customer"), ("/customer-groups/1", "customer-group"),
    ("/payment-terms/1", "payment-terms"), ("/invoices/booked/10001", "booked-invoice"),
])
def test_single_resources_match_the_schemas(api: str, path: str, name: str) -> None:
    response = get(f"{api}/restapi{path}")
    assert response.status_code == 200
    validate(response.json(), name)
    assert response.json()["self"] == f"{api}/restapi{path}"


def test_default_page_is_20_and_pagesize_above_1000_is_refused(api: str) -> None:
    body = get(f"{api}/restapi/invoices/booked").json()
    assert len(body["collection"]) == 20
    assert body["pagination"]["pageSize"] == 20
    refused = get(f"{api}/restapi/invoices/booked", pagesize=1001)
    assert refused.status_code == 400
    validate(refused.json(), "error")


@pytest.mark.parametrize(("headers", "path", "status"), [
    ({"X-AppSecretToken": "demo", "X-AgreementGrantToken": "wrong"}, "/customers", 401),
    ({}, "/self", 401),
    (TOKENS, "/customers/999999", 404),
    (TOKENS, "/invoices/booked?filter=heading$eq:x", 400),
    (TOKENS, "/no-such-collection", 404),
])
def test_errors_have_e_conomics_error_body(api: str, headers: dict[str, str], path: str, status: int) -> None:
    response = get(f"{api}/restapi{path}", headers=headers)
    assert response.status_code == status
    validate(response.json(), "error")
    assert response.json()["httpStatusCode"] == status
    assert "wrong" not in response.text  # a token is never echoed


@pytest.mark.parametrize(("mode", "status"), [("ratelimit", 429), ("down", 503)])
def test_faults_answer_with_error_bodies(api: str, mode: str, status: int) -> None:
    requests.post(f"{api}/admin/faults", json={"mode": mode, "seconds": 2, "count": 1}, timeout=10)
    try:
        failed, then = get(f"{api}/restapi/self"), get(f"{api}/restapi/self")
    finally:
        requests.post(f"{api}/admin/faults", json={"mode": "none"}, timeout=10)
    assert failed.status_code == status
    validate(failed.json(), "error")
    assert (failed.headers.get("Retry-After") == "2") == (status == 429)
    assert then.status_code == 200
