"""A local stand-in for gmail.googleapis.com and the helpers the Gmail tests share (as ``tests.inbox`` is
for SMTP)."""


from __future__ import annotations

import base64
import email
import email.policy
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from google.auth.credentials import Credentials
from google.auth.exceptions import RefreshError

from bot.mail.message import Email
from bot.records import Attachment


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
