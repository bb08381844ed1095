"""GmailMailer at the HTTP level: a local server stands in for gmail.googleapis.com."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from google.auth.credentials import AnonymousCredentials

from bot.errors import MailBudgetExceeded, MailUnavailable, SettingsError
from bot.mail.budget import SendBudget
from bot.mail.errors import MailAuthError, MailRejected
from bot.mail.gmail import GmailConfig, GmailMailer, gmail_config
from bot.mail.message import Email
from sandbox.serving import free_port
from tests.gmail_fake import FakeCredentials, FakeGmail, case_mail, decoded, service_account_key
from tests.mail_samples import make_pdf


def test_send_posts_raw_mime_as_the_company_address(gmail: tuple[FakeGmail, str], tmp_path: Path) -> None:
    app, url = gmail
    config = GmailConfig(
        from_address="bogholderi@klient.dk",
        from_name="Klient A/S",
        api_endpoint=url,
        budget_file=tmp_path / "budget.json",
        timeout=10,
    )
    pdf = make_pdf("Rykker 3")
    message_id = GmailMailer(config, AnonymousCredentials()).send(case_mail(pdf))

    [request] = app.requests
    assert request["method"] == "POST"
    assert request["path"] == "/gmail/v1/users/me/messages/send"
    assert request["auth"] is None  # anonymous credentials: no token, and never one in the body
    msg = decoded(request)
    assert msg["Message-ID"] == message_id
    assert msg["Subject"] == "Inkassosag: Ærø Byg ApS"
    assert msg["From"].addresses[0].addr_spec == "bogholderi@klient.dk"
    assert msg["From"].addresses[0].display_name == "Klient A/S"
    assert str(msg["To"]) == "inkasso@partner.dk" and str(msg["Cc"]) == "bogholder@klient.dk"
    assert "12.345,00 kr." in msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    [attachment] = list(msg.iter_attachments())
    assert attachment.get_filename() == "Rykker 3 - 10234 Ærø.pdf"
    assert attachment.get_content() == pdf
    assert json.loads((tmp_path / "budget.json").read_text())["sent"]  # the send was counted on disk


def test_budget_stops_sending_before_the_limit(gmail: tuple[FakeGmail, str], tmp_path: Path) -> None:
    app, url = gmail
    now = [datetime(2026, 11, 23, 9, 0, tzinfo=UTC)]
    budget = SendBudget(3, tmp_path / "budget.json", clock=lambda: now[0])
    config = GmailConfig(from_address="bogholderi@klient.dk", api_endpoint=url, timeout=10)
    mailer = GmailMailer(config, AnonymousCredentials(), budget=budget)
    mail = Email(to=("a@firma.dk",), subject="Status", text="x")
    for _ in range(3):
        mailer.send(mail)
        now[0] += timedelta(hours=1)
    with pytest.raises(MailBudgetExceeded) as info:
        mailer.send(mail)
    assert "3 af 3" in str(info.value) and "Intet er sendt" in str(info.value)
    assert info.value.retry_after == datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    assert isinstance(info.value, MailUnavailable)  # the worker retries it later
    assert len(app.requests) == 3  # the fourth never left

    # A second mailer (another worker process) shares the same file and is stopped too.
    other = GmailMailer(
        config, AnonymousCredentials(), budget=SendBudget(3, tmp_path / "budget.json", clock=lambda: now[0])
    )
    with pytest.raises(MailBudgetExceeded):
        other.send(mail)
    # 24 hours after the first send, one slot is free again.
    now[0] = datetime(2026, 11, 24, 9, 0, 1, tzinfo=UTC)
    mailer.send(mail)
    assert len(app.requests) == 4


@pytest.mark.parametrize(
    ("status", "payload", "error"),
    [
        (
            429,
            {"error": {"code": 429, "message": "Too many", "errors": [{"reason": "rateLimitExceeded"}]}},
            MailUnavailable,
        ),
        (503, {"error": {"code": 503, "message": "Backend error"}}, MailUnavailable),
        (401, {"error": {"code": 401, "message": "Invalid Credentials"}}, MailAuthError),
        (
            403,
            {
                "error": {
                    "code": 403,
                    "message": "Mail service not enabled",
                    "errors": [{"reason": "failedPrecondition"}],
                }
            },
            MailAuthError,
        ),
        (
            400,
            {"error": {"code": 400, "message": "Invalid To header", "errors": [{"reason": "invalidArgument"}]}},
            MailRejected,
        ),
    ],
)
def test_api_errors_say_whose_fault(
    gmail: tuple[FakeGmail, str], status: int, payload: dict[str, Any], error: type[Exception]
) -> None:
    app, url = gmail
    app.fail_with = (status, payload)
    budget = SendBudget(10)
    mailer = GmailMailer(
        GmailConfig(from_address="bogholderi@klient.dk", api_endpoint=url, timeout=10),
        FakeCredentials("ya29.fake-token"),
        budget=budget,
    )
    with pytest.raises(error) as info:
        mailer.send(Email(to=("a@firma.dk",), subject="Status", text="x"))
    assert str(status) in str(info.value) or status == 401  # 401: the refresh after it is what fails
    assert "fake-token" not in str(info.value)
    assert app.requests[0]["auth"] == "Bearer ya29.fake-token"
    assert budget.used() == (1 if error is MailUnavailable else 0)  # refused outright: not counted


def test_unreachable_api_is_retryable_and_not_counted() -> None:
    budget = SendBudget(10)
    config = GmailConfig(
        from_address="bogholderi@klient.dk", api_endpoint=f"http://127.0.0.1:{free_port()}/", timeout=5
    )
    with pytest.raises(MailUnavailable):
        GmailMailer(config, AnonymousCredentials(), budget=budget).send(
            Email(to=("a@firma.dk",), subject="x", text="x")
        )
    assert budget.used() == 0


def test_damaged_budget_file_counts_as_full(tmp_path: Path) -> None:
    path = tmp_path / "budget.json"
    path.write_text("{not json")
    with pytest.raises(MailBudgetExceeded):
        SendBudget(5, path).reserve()


@dataclass(frozen=True)
class WorkerSettings:
    """The fields of the worker's Settings that gmail_config reads."""

    mail_from: str
    google_credentials: str
    gmail_daily_limit: int
    gmail_state_file: Path
    gmail_delegate: str = ""


def test_settings_to_sent_mail_with_a_service_account(gmail: tuple[FakeGmail, str], tmp_path: Path) -> None:
    """gmail_config(settings) -> GmailMailer(config): reads the key, gets a token acting for the company address
    (domain-wide delegation), sends as From, and keeps to the budget from the settings."""
    app, url = gmail
    key = tmp_path / "service-account.json"
    service_account_key(key, url + "token")
    settings = WorkerSettings("Klient A/S <Bogholderi@Klient.dk>", str(key), 2, tmp_path / "gmail-budget.json")
    config = gmail_config(settings, api_endpoint=url)
    assert (config.from_address, config.from_name, config.daily_limit) == ("Bogholderi@klient.dk", "Klient A/S", 2)
    mailer = GmailMailer(config)
    mailer.send(Email(to=("a@firma.dk",), subject="Status", text="x"))

    token_request, send_request = app.requests
    assert token_request["path"] == "/token"
    form = dict(pair.split("=", 1) for pair in token_request["body"].decode().split("&"))
    assert form["grant_type"] == "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer"
    claims = json.loads(base64.urlsafe_b64decode(form["assertion"].split(".")[1] + "=="))
    assert claims["sub"] == "Bogholderi@klient.dk"
    assert claims["scope"] == "https://www.googleapis.com/auth/gmail.send"
    assert send_request["path"] == "/gmail/v1/users/me/messages/send"
    assert send_request["auth"] == "Bearer ya29.refreshed"
    assert decoded(send_request)["From"].addresses[0].display_name == "Klient A/S"
    assert b"PRIVATE KEY" not in send_request["body"]

    mailer.send(Email(to=("a@firma.dk",), subject="Status 2", text="x"))
    with pytest.raises(MailBudgetExceeded):
        mailer.send(Email(to=("a@firma.dk",), subject="Status 3", text="x"))
    assert len(json.loads(settings.gmail_state_file.read_text())["sent"]) == 2


def test_unreadable_key_file_is_a_settings_error(tmp_path: Path) -> None:
    key = tmp_path / "broken.json"
    key.write_text('{"type": "service_account", "private_key": "-----BEGIN hemmelig')
    config = GmailConfig(from_address="bogholderi@klient.dk", credentials_file=str(key))
    with pytest.raises(SettingsError) as info:  # at start-up: worker.py names it and exits with status 2
        GmailMailer(config)
    assert not isinstance(info.value, MailAuthError)
    assert "GOOGLE_APPLICATION_CREDENTIALS" in str(info.value)
    assert "hemmelig" not in str(info.value)
