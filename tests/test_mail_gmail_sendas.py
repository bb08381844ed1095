"""Issue 17.6: the Workspace user a service account acts for (RYKKERBOT_GMAIL_DELEGATE) and the doctor's check of
the From address against that user's send-as list, against a local endpoint that answers as Gmail does."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings
from bot.doctor.mail import check_mailer
from bot.mail.gmail import GmailMailer, gmail_config
from bot.mail.gmail_sendas import SETTINGS_SCOPE
from bot.mail.message import Email
from sandbox.serving import ServerThread, free_port
from tests.gmail_fake import FakeGmail, service_account_key

PRIMARY = {"sendAsEmail": "robot@klient.dk", "displayName": "Robot", "isPrimary": True, "isDefault": True}
ALIAS = {"sendAsEmail": "bogholderi@klient.dk", "displayName": "Klient A/S", "treatAsAlias": True,
         "verificationStatus": "accepted"}
PENDING = {"sendAsEmail": "faktura@klient.dk", "treatAsAlias": True, "verificationStatus": "pending"}


@pytest.fixture
def gmail() -> Iterator[tuple[FakeGmail, str]]:
    app = FakeGmail(send_as=[PRIMARY, ALIAS, PENDING])
    with ServerThread(app, port=free_port()) as server:
        yield app, server.url + "/"


def settings(tmp_path: Path, url: str, mail_from: str, delegate: str = "robot@klient.dk") -> Settings:
    key = tmp_path / "service-account.json"
    service_account_key(key, url + "token")
    env = {"RYKKERBOT_MAILER": "gmail", "RYKKERBOT_MAIL_FROM": mail_from, "GOOGLE_APPLICATION_CREDENTIALS": str(key),
           "RYKKERBOT_GMAIL_ENDPOINT": url, "RYKKERBOT_GMAIL_DELEGATE": delegate,
           "RYKKERBOT_GMAIL_STATE": str(tmp_path / "budget.json")}
    return Settings.from_env(env)


def claims(request: dict[str, Any]) -> dict[str, Any]:
    form = dict(pair.split("=", 1) for pair in request["body"].decode().split("&"))
    result: dict[str, Any] = json.loads(base64.urlsafe_b64decode(form["assertion"].split(".")[1] + "=="))
    return result


def test_the_delegate_is_the_user_the_token_acts_for_and_from_stays_the_alias(
    gmail: tuple[FakeGmail, str], tmp_path: Path
) -> None:
    app, url = gmail
    s = settings(tmp_path, url, "Klient A/S <bogholderi@klient.dk>", delegate=" Robot@Klient.dk ")
    config = gmail_config(s, api_endpoint=s.gmail_endpoint)
    assert (config.delegate, config.from_address) == ("Robot@klient.dk", "bogholderi@klient.dk")
    GmailMailer(config).send(Email(to=("a@firma.dk",), subject="Status", text="x"))
    token, sent = app.requests
    assert claims(token)["sub"] == "Robot@klient.dk"  # not the From address: the alias has no mailbox of its own
    assert b"bogholderi@klient.dk" in base64.urlsafe_b64decode(json.loads(sent["body"])["raw"])


def test_doctor_accepts_a_verified_alias_of_the_delegate(gmail: tuple[FakeGmail, str], tmp_path: Path) -> None:
    app, url = gmail
    check = check_mailer(settings(tmp_path, url, "Klient A/S <bogholderi@klient.dk>"))
    assert check.ok, check.detail
    assert "bogholderi@klient.dk er en bekræftet send-as-adresse for robot@klient.dk" in check.detail
    token, listing = app.requests
    assert claims(token)["sub"] == "robot@klient.dk" and claims(token)["scope"] == SETTINGS_SCOPE
    assert (listing["method"], listing["path"]) == ("GET", "/gmail/v1/users/me/settings/sendAs")
    assert not any(r["path"].endswith("/send") for r in app.requests)  # nothing sent


@pytest.mark.parametrize(("mail_from", "why"), [("kontakt@klient.dk", "er ikke en send-as-adresse"),
                                                ("faktura@klient.dk", "er ikke bekræftet endnu")])
def test_doctor_fails_a_from_gmail_would_replace_and_names_the_addresses_that_work(
    gmail: tuple[FakeGmail, str], tmp_path: Path, mail_from: str, why: str
) -> None:
    _, url = gmail
    check = check_mailer(settings(tmp_path, url, f"Klient A/S <{mail_from}>"))
    assert not check.ok
    assert f"{mail_from} {why} for robot@klient.dk" in check.detail
    assert "Gmail ville sende som robot@klient.dk i stedet" in check.detail
    assert "Adresser der virker: robot@klient.dk, bogholderi@klient.dk" in check.detail
    assert "RYKKERBOT_MAIL_FROM" in check.detail and "RYKKERBOT_GMAIL_DELEGATE" in check.detail


def test_doctor_without_a_delegate_acts_for_the_from_address(gmail: tuple[FakeGmail, str], tmp_path: Path) -> None:
    app, url = gmail
    check = check_mailer(settings(tmp_path, url, "robot@klient.dk", delegate=""))
    assert check.ok and "er selve Gmail-brugeren" in check.detail
    assert app.requests == []  # nothing to look up: the user's own address always works


def test_doctor_says_which_scope_is_missing_when_google_refuses_the_list(
    gmail: tuple[FakeGmail, str], tmp_path: Path
) -> None:
    app, url = gmail
    s = settings(tmp_path, url, "bogholderi@klient.dk")
    app.fail_with = (403, {"error": {"code": 403, "message": "Request had insufficient authentication scopes.",
                                     "status": "PERMISSION_DENIED",
                                     "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
                                                  "reason": "ACCESS_TOKEN_SCOPE_INSUFFICIENT"}]}})
    check = check_mailer(s)
    assert not check.ok
    assert SETTINGS_SCOPE in check.detail and "Domæne-delegering" in check.detail
    assert "PRIVATE KEY" not in check.detail
