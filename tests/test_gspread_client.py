"""The one seam into gspread: an HTTPClient subclass that sends Google's URLs to the emulator."""

from __future__ import annotations

import json
from pathlib import Path

import gspread
import pytest
import requests
from gspread.http_client import HTTPClient

from bot.sheets.client import EndpointHTTPClient, open_client, rewrite_url
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
    assert gc.http_client.auth.service_account_email == "robot@p.iam.gserviceaccount.com"
    assert "https://www.googleapis.com/auth/spreadsheets" in gc.http_client.auth.scopes
    assert isinstance(gc, gspread.Client)
