"""The one seam into gspread: an HTTPClient subclass that sends Google's URLs to the emulator."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import gspread
import pytest
import requests
from gspread.http_client import HTTPClient

from bot.errors import SheetsUnavailable
from bot.sheets.client import TIMEOUT, EndpointHTTPClient, open_client, rewrite_url
from bot.sheets.store import RequestCounter, SheetsRetry, SheetStore
from sandbox.serving import ServerThread
from sandbox.sheets import create_app


def test_rewrite_url() -> None:
    end = "http://127.0.0.1:9/"
    assert rewrite_url("https://sheets.googleapis.com/v4/spreadsheets/x/values/%27K%C3%B8%27", end) == (
        "http://127.0.0.1:9/v4/spreadsheets/x/values/%27K%C3%B8%27")
    assert rewrite_url("https://www.googleapis.com/drive/v3/files", end) == "http://127.0.0.1:9/drive/v3/files"
    assert rewrite_url("https://example.com/other", end) == "https://example.com/other"


def test_endpoint_client_reaches_the_emulator_unauthenticated() -> None:
    with ServerThread(create_app()) as srv:
        gc = open_client(srv.url, None)
        assert isinstance(gc.http_client, EndpointHTTPClient) and gc.http_client.endpoint == srv.url
        assert "Authorization" not in gc.http_client.session.headers
        sh = gc.create("Seam")  # Drive files.create + spreadsheets.get, both rewritten
        sh.sheet1.update([["ok"]], "A1")  # .sheet1 fetches the metadata once more
        stats = requests.get(f"{srv.url}/emulator/stats", timeout=5).json()
        assert stats["methods"] == {"drive.files.create": 1, "spreadsheets.get": 2, "values.update": 1}
        # two clients for two endpoints do not share the binding
        other = open_client("http://127.0.0.1:1", None)
        assert other.http_client.endpoint == "http://127.0.0.1:1" and gc.http_client.endpoint == srv.url


def test_production_path_uses_plain_gspread_with_service_account(tmp_path: Path) -> None:
    rsa = pytest.importorskip("cryptography.hazmat.primitives.asymmetric.rsa")
    serialization = pytest.importorskip("cryptography.hazmat.primitives.serialization")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    info = {"type": "service_account", "project_id": "p", "private_key_id": "k", "private_key": pem,
            "client_email": "robot@p.iam.gserviceaccount.com", "client_id": "1",
            "token_uri": "https://oauth2.googleapis.com/token"}
    path = tmp_path / "sa.json"
    path.write_text(json.dumps(info))
    gc = open_client(None, str(path))
    assert type(gc.http_client) is HTTPClient
    assert gc.http_client.timeout == TIMEOUT  # gspread's own default is none
    assert gc.http_client.auth.service_account_email == "robot@p.iam.gserviceaccount.com"
    assert "https://www.googleapis.com/auth/spreadsheets" in gc.http_client.auth.scopes
    assert isinstance(gc, gspread.Client)


def test_a_stalled_connection_times_out_and_is_retried_as_transient() -> None:
    """Issue 17.5: a server that takes the connection and never answers; without a timeout this never returns."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)  # the kernel completes the handshakes; nobody ever reads or answers
        gc = open_client(f"http://127.0.0.1:{listener.getsockname()[1]}", None, timeout=(2.0, 0.2))
        assert gc.http_client.timeout == (2.0, 0.2)
        counter, waits = RequestCounter(), list[float]()
        started = time.monotonic()
        with pytest.raises(SheetsUnavailable, match="3 forsøg") as err:
            SheetStore.open(gc, "hænger", counter, SheetsRetry(attempts=3, sleep=waits.append))
        assert isinstance(err.value.__cause__, requests.Timeout)
        assert counter.count == 3 and len(waits) == 2
        assert time.monotonic() - started < 60  # bounded (a generous bound: the machine is shared)


def _quota_refusals(app: Any, count: int, seconds: str) -> Callable[..., Iterable[bytes]]:
    """The emulator behind a front that answers the next ``count`` API requests 429 with a Retry-After."""
    left = [count]

    def front(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if left[0] and str(environ.get("PATH_INFO", "")).startswith("/v4/"):
            left[0] -= 1
            start_response("429 Too Many Requests", [("Content-Type", "application/json"), ("Retry-After", seconds)])
            return [json.dumps({"error": {"code": 429, "message": "Quota exceeded", "status": "RESOURCE_EXHAUSTED"}})
                    .encode()]
        result: Iterable[bytes] = app(environ, start_response)
        return result

    return front


def test_a_429_waits_what_retry_after_says() -> None:
    emulator = create_app()
    with ServerThread(emulator) as plain:
        sheet_id = open_client(plain.url, None).create("Kvote").id
        with ServerThread(_quota_refusals(emulator, 2, "7")) as srv:
            waits: list[float] = []
            store = SheetStore.open(open_client(srv.url, None), sheet_id, retry=SheetsRetry(sleep=waits.append))
            assert store.id == sheet_id and waits == [7.0, 7.0] and store.requests == 3
