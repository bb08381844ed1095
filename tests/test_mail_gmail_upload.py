"""GmailMailer with large mails and Google's error shapes: the multipart and resumable uploads, the 35 MB limit,
and rate limits told from authentication failures whether Google names them in ``errors`` or ``details``."""


from __future__ import annotations

import email
import email.policy
import json
from email.message import EmailMessage
from typing import Any

import pytest
from google.auth.credentials import AnonymousCredentials

from bot.errors import MailUnavailable
from bot.mail.budget import SendBudget
from bot.mail.errors import MailAuthError, MailRejected
from bot.mail.gmail import GmailConfig, GmailMailer
from bot.mail.message import Email
from bot.records import Attachment
from tests.gmail_fake import FakeGmail, case_mail, decoded
from tests.mail_samples import make_pdf


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


