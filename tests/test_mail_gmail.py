"""GmailMailer at the HTTP level: a local server stands in for gmail.googleapis.com."""

from __future__ import annotations

import base64
import email
import email.policy
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from fpdf import FPDF
from google.auth.credentials import AnonymousCredentials, Credentials
from google.auth.exceptions import RefreshError

from bot.errors import SettingsError
from bot.mail.budget import SendBudget
from bot.mail.errors import MailAuthError, MailBudgetExceeded, MailRejected, MailUnavailable
from bot.mail.gmail import GmailConfig, GmailMailer, gmail_config
from bot.mail.message import Attachment, Email
from sandbox.serving import ServerThread, free_port


@dataclass
class FakeGmail:
    """A WSGI app that records requests and answers like users.messages.send, including Google's resumable upload
    protocol: a POST with uploadType=resumable opens a session (200, Location header), PUTs with Content-Range carry
    the bytes (308 Resume Incomplete with a Range header until the last chunk, then 200 with the message); chunks
    other than the last must be multiples of 256 KiB."""

    requests: list[dict[str, Any]] = field(default_factory=list)
    fail_with: tuple[int, dict[str, Any]] | None = None
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    uploaded: dict[str, bytes] = field(default_factory=dict)  # session id -> the whole message received
    send_as: list[dict[str, Any]] = field(default_factory=list)  # users.settings.sendAs.list answer

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length)
        headers = {k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")}
        self.requests.append(
            {
                "method": environ["REQUEST_METHOD"],
                "path": environ["PATH_INFO"],
                "query": environ["QUERY_STRING"],
                "content_type": environ.get("CONTENT_TYPE", ""),
                "auth": environ.get("HTTP_AUTHORIZATION"),
                "headers": headers,
                "body": body,
            }
        )

        def answer(status: str, payload: Any, extra: list[tuple[str, str]] | None = None) -> list[bytes]:
            start_response(status, [("Content-Type", "application/json"), *(extra or [])])
            return [json.dumps(payload).encode()]

        if environ["PATH_INFO"] == "/token":  # OAuth refresh for an authorized-user key file
            return answer("200 OK", {"access_token": "ya29.refreshed", "expires_in": 3600, "token_type": "Bearer"})
        if self.fail_with:
            status, payload = self.fail_with
            return answer(f"{status} Error", payload)
        if environ["PATH_INFO"].endswith("/settings/sendAs"):
            return answer("200 OK", {"sendAs": self.send_as})
        query = dict(pair.split("=", 1) for pair in environ["QUERY_STRING"].split("&") if "=" in pair)
        if query.get("uploadType") == "resumable":
            return self._resumable(environ, headers, query, body, answer, start_response)
        return answer("200 OK", {"id": f"msg{len(self.requests)}", "threadId": "t1", "labelIds": ["SENT"]})

    def _resumable(self, environ: dict[str, Any], headers: dict[str, str], query: dict[str, str], body: bytes,
                   answer: Any, start_response: Any) -> list[bytes]:
        if environ["REQUEST_METHOD"] == "POST":  # initiate the session
            if headers.get("x-upload-content-type") != "message/rfc822":
                return answer("400 Bad Request", {"error": {"code": 400, "message": "Media type not allowed"}})
            sid = f"s{len(self.sessions) + 1}"
            self.sessions[sid] = {"total": int(headers["x-upload-content-length"]), "data": b""}
            location = f"http://{environ['HTTP_HOST']}{environ['PATH_INFO']}?uploadType=resumable&upload_id={sid}"
            return answer("200 OK", {}, [("Location", location)])
        session = self.sessions[query["upload_id"]]
        first, last, total = map(int, headers["content-range"].removeprefix("bytes ").replace("/", "-").split("-"))
        assert first == len(session["data"]) and total == session["total"] and last - first + 1 == len(body)
        session["data"] += body
        if last + 1 < total:
            if len(body) % (256 * 1024):
                return answer("400 Bad Request", {"error": {"code": 400, "message": "Chunk not a multiple of 256 KiB"}})
            start_response("308 Resume Incomplete", [("Range", f"bytes=0-{last}"), ("Content-Length", "0")])
            return [b""]
        self.uploaded[query["upload_id"]] = session["data"]
        return answer("200 OK", {"id": f"msg{len(self.requests)}", "threadId": "t1", "labelIds": ["SENT"]})


class FakeCredentials(Credentials):  # type: ignore[misc]
    """A token that is sent as is and cannot be refreshed (as if revoked)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def refresh(self, request: Any) -> None:
        raise RefreshError("invalid_grant: Token has been expired or revoked.")


@pytest.fixture
def gmail() -> Iterator[tuple[FakeGmail, str]]:
    app = FakeGmail()
    with ServerThread(app, port=free_port()) as server:
        yield app, server.url + "/"


def make_pdf(title: str) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.cell(text=title)
    return bytes(pdf.output())


def case_mail(pdf: bytes) -> Email:
    return Email(
        to=("inkasso@partner.dk",),
        cc=("bogholder@klient.dk",),
        subject="Inkassosag: Ærø Byg ApS",
        text="Krav 12.345,00 kr.",
        html="<p>Krav 12.345,00 kr.</p>",
        attachments=(Attachment("Rykker 3 - 10234 Ærø.pdf", pdf),),
    )


def decoded(request: dict[str, Any]) -> EmailMessage:
    if request["content_type"].startswith("application/json"):
        raw = json.loads(request["body"])["raw"]
        data = base64.urlsafe_b64decode(raw)
    else:  # multipart/related upload: JSON metadata, then the message/rfc822 part
        wrapper = email.message_from_bytes(
            f"Content-Type: {request['content_type']}\r\n\r\n".encode() + request["body"], policy=email.policy.default
        )
        parts = list(wrapper.iter_parts())
        assert [p.get_content_type() for p in parts] == ["application/json", "message/rfc822"]
        data = parts[1].get_payload(0).as_bytes()  # type: ignore[union-attr]
    msg = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


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


def test_large_mail_goes_through_the_upload_endpoint(gmail: tuple[FakeGmail, str]) -> None:
    app, url = gmail
    config = GmailConfig(from_address="bogholderi@klient.dk", api_endpoint=url, raw_limit_bytes=1000, timeout=10)
    pdf = make_pdf("Faktura 10234")
    GmailMailer(config, AnonymousCredentials()).send(case_mail(pdf))
    [request] = app.requests
    assert request["path"] == "/upload/gmail/v1/users/me/messages/send"
    assert "uploadType=multipart" in request["query"]
    msg = decoded(request)
    assert msg["Subject"] == "Inkassosag: Ærø Byg ApS"
    assert [(a.get_filename(), a.get_content()) for a in msg.iter_attachments()] == [("Rykker 3 - 10234 Ærø.pdf", pdf)]


def test_mail_over_5_mb_goes_as_a_resumable_upload(gmail: tuple[FakeGmail, str]) -> None:
    """Issue 17.8: above 5 MB Google recommends a resumable upload; the default thresholds take it, in 4 MiB chunks."""
    app, url = gmail
    budget = SendBudget(10)
    config = GmailConfig(from_address="bogholderi@klient.dk", api_endpoint=url, timeout=30)
    scan = bytes(range(256)) * (22 * 1024)  # 5.5 MiB attachment: about 7.6 MB once base64-encoded
    mail = Email(to=("inkasso@partner.dk",), subject="Sagsakter", text="Se bilag.",
                 attachments=(Attachment("sagsakter.pdf", scan, "application/pdf"),))
    message_id = GmailMailer(config, AnonymousCredentials(), budget=budget).send(mail)

    start, *puts = app.requests
    assert (start["method"], start["path"]) == ("POST", "/upload/gmail/v1/users/me/messages/send")
    assert "uploadType=resumable" in start["query"]
    assert start["headers"]["x-upload-content-type"] == "message/rfc822"
    total = int(start["headers"]["x-upload-content-length"])
    assert total > 5 * 1024 * 1024
    assert [r["method"] for r in puts] == ["PUT", "PUT"]  # 4 MiB, then the rest (308 Resume Incomplete between)
    assert all("upload_id=s1" in r["query"] for r in puts)
    assert puts[0]["headers"]["content-range"] == f"bytes 0-{4 * 1024 * 1024 - 1}/{total}"
    data = app.uploaded["s1"]
    assert len(data) == total
    msg = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(msg, EmailMessage) and msg["Message-ID"] == message_id
    assert [(a.get_filename(), a.get_content()) for a in msg.iter_attachments()] == [("sagsakter.pdf", scan)]
    assert budget.used() == 1


def test_resumable_upload_in_small_chunks(gmail: tuple[FakeGmail, str]) -> None:
    app, url = gmail
    config = GmailConfig(from_address="bogholderi@klient.dk", api_endpoint=url, timeout=10, raw_limit_bytes=1000,
                         resumable_above_bytes=2000, upload_chunk_bytes=256 * 1024)
    blob = bytes(range(256)) * 2400  # 600 KiB: base64 makes the mail three 256 KiB chunks and a bit
    GmailMailer(config, AnonymousCredentials()).send(
        Email(to=("a@firma.dk",), subject="Bilag", text="x", attachments=(Attachment("b.bin", blob),)))
    puts = [r for r in app.requests if r["method"] == "PUT"]
    assert len(puts) == 4
    [attachment] = email.message_from_bytes(app.uploaded["s1"], policy=email.policy.default).iter_attachments()
    assert attachment.get_content() == blob


def test_mail_over_35_mb_is_refused_before_anything_is_sent_or_counted(gmail: tuple[FakeGmail, str]) -> None:
    app, url = gmail
    budget = SendBudget(10)
    config = GmailConfig(from_address="bogholderi@klient.dk", api_endpoint=url, timeout=10)
    huge = Attachment("arkiv.zip", bytes(27 * 1000 * 1000))  # 27 MB: about 36.5 MB once base64-encoded
    with pytest.raises(MailRejected) as info:
        GmailMailer(config, AnonymousCredentials(), budget=budget).send(
            Email(to=("a@firma.dk",), subject="Arkiv", text="x", attachments=(huge,)))
    assert "højst 35 MB" in str(info.value) and "Intet er sendt" in str(info.value)
    assert app.requests == [] and budget.used() == 0


def _rate_error(status: int, *, errors: list[str] = (), details: list[str] = (), state: str = "") -> dict[str, Any]:
    error: dict[str, Any] = {"code": status, "message": "User-rate limit exceeded."}
    if errors:
        error["errors"] = [{"domain": "usageLimits", "reason": r, "message": "limit"} for r in errors]
    if details:
        error["details"] = [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": r,
                             "domain": "googleapis.com", "metadata": {"service": "gmail.googleapis.com"}}
                            for r in details]
    if state:
        error["status"] = state
    return {"error": error}


@pytest.mark.parametrize(
    ("status", "payload"),
    [
        (429, _rate_error(429, state="RESOURCE_EXHAUSTED")),
        (403, _rate_error(403, errors=["rateLimitExceeded"])),
        (403, _rate_error(403, errors=["userRateLimitExceeded"], state="PERMISSION_DENIED")),
        (403, _rate_error(403, details=["RATE_LIMIT_EXCEEDED"])),
        (403, _rate_error(403, details=["userRateLimitExceeded"])),
        (403, _rate_error(403, errors=["rateLimitExceeded"], details=["RATE_LIMIT_EXCEEDED"],
                          state="PERMISSION_DENIED")),
        (403, _rate_error(403, errors=["dailyLimitExceeded"], details=["SOMETHING_ELSE"])),
        (403, _rate_error(403, details=["dailyLimitExceeded"])),
    ],
)
def test_a_rate_limit_in_errors_or_details_is_never_an_auth_failure(
    gmail: tuple[FakeGmail, str], status: int, payload: dict[str, Any]
) -> None:
    """Issue 17.8: google-api-python-client keeps only ``details`` when both are there; both are read."""
    app, url = gmail
    app.fail_with = (status, payload)
    mailer = GmailMailer(GmailConfig(from_address="bogholderi@klient.dk", api_endpoint=url, timeout=10),
                         AnonymousCredentials(), budget=SendBudget(10))
    with pytest.raises(MailUnavailable) as info:
        mailer.send(Email(to=("a@firma.dk",), subject="Status", text="x"))
    assert not isinstance(info.value, MailAuthError)
    daily = "dailyLimitExceeded" in json.dumps(payload)
    assert ("daglige sendegrænse" in str(info.value)) == daily and "Prøv igen" in str(info.value)


def test_a_refusal_with_details_stays_an_auth_failure(gmail: tuple[FakeGmail, str]) -> None:
    app, url = gmail
    app.fail_with = (403, _rate_error(403, errors=["forbidden"], details=["ACCESS_TOKEN_SCOPE_INSUFFICIENT"],
                                      state="PERMISSION_DENIED"))
    mailer = GmailMailer(GmailConfig(from_address="bogholderi@klient.dk", api_endpoint=url, timeout=10),
                         AnonymousCredentials(), budget=SendBudget(10))
    with pytest.raises(MailAuthError):
        mailer.send(Email(to=("a@firma.dk",), subject="Status", text="x"))


def test_a_rate_limit_on_the_resumable_session_is_retryable(gmail: tuple[FakeGmail, str]) -> None:
    app, url = gmail
    app.fail_with = (403, _rate_error(403, errors=["rateLimitExceeded"], details=["RATE_LIMIT_EXCEEDED"]))
    config = GmailConfig(from_address="bogholderi@klient.dk", api_endpoint=url, timeout=10, raw_limit_bytes=100,
                         resumable_above_bytes=200)
    with pytest.raises(MailUnavailable) as info:
        GmailMailer(config, AnonymousCredentials(), budget=SendBudget(10)).send(
            Email(to=("a@firma.dk",), subject="Status", text="x" * 500))
    assert not isinstance(info.value, MailAuthError)
    assert "uploadType=resumable" in app.requests[0]["query"]


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


def service_account_key(path: Path, token_uri: str) -> None:
    """A service-account key file with a fresh RSA key whose token endpoint is the local server."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    path.write_text(
        json.dumps(
            {
                "type": "service_account",
                "project_id": "rykkerbot-test",
                "private_key_id": "k1",
                "private_key": pem.decode(),
                "client_email": "robot@rykkerbot-test.iam.gserviceaccount.com",
                "client_id": "1",
                "token_uri": token_uri,
            }
        )
    )


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
