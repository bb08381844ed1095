"""Gmail API adapter: users.messages.send as the company address, with a daily send budget.

The client is built offline (static discovery) and can point at any endpoint (a local test server).
Mails up to ``raw_limit_bytes`` go as base64url ``raw`` in a JSON body; larger ones through the media upload
endpoint (``/upload/gmail/v1/...``, message/rfc822), since Google refuses large JSON bodies: in one multipart
request up to ``resumable_above_bytes`` (Google: "for quick transfer of smaller files, 5 MB or less"), above it as
a resumable upload (a session POST with ``uploadType=resumable``, then the bytes PUT to the session's Location in
chunks of ``upload_chunk_bytes``), up to Gmail's maximum of 35 MB; a larger mail is refused before anything is
sent or counted (``bot.mail.message.split_by_size`` splits a mail below that).
"""

from __future__ import annotations

import base64
import importlib
import io
import json
import logging
from dataclasses import dataclass, replace
from email.utils import parseaddr
from pathlib import Path
from typing import Any, Protocol

import google.auth
import google.auth.exceptions
from googleapiclient.discovery import build_from_document
from googleapiclient.discovery_cache import get_static_doc
from googleapiclient.errors import HttpError
from googleapiclient.http import MediaIoBaseUpload, build_http

from bot.addresses import normalize_address
from bot.errors import MailUnavailable, SettingProblem, SettingsError
from bot.mail.budget import Budget, SendBudget
from bot.mail.errors import MailAuthError, MailRejected
from bot.mail.gmail_errors import google_error
from bot.mail.message import Email, to_mime

log = logging.getLogger(__name__)

# Untyped libraries (no stubs): loaded as modules of Any so mypy strict stays clean.
_httplib2: Any = importlib.import_module("httplib2")
_google_auth_httplib2: Any = importlib.import_module("google_auth_httplib2")

SCOPES = ("https://www.googleapis.com/auth/gmail.send",)
_ACCESS = "Gmail-adgangen (GOOGLE_APPLICATION_CREDENTIALS, RYKKERBOT_GMAIL_DELEGATE)"
MAX_MAIL_BYTES = 35 * 1000 * 1000  # Gmail's maximum for messages.send (media upload), decimal to be safe


@dataclass(frozen=True)
class GmailConfig:
    from_address: str  # the company address: the account itself or a verified send-as alias
    from_name: str = "Rykkerbot"
    user_id: str = "me"
    daily_limit: int = 400  # below Google's 500 a day for a plain account; 2000 for Workspace
    budget_file: Path | None = None  # None: an in-memory budget (one process)
    api_endpoint: str = "https://gmail.googleapis.com/"
    timeout: float = 60.0
    raw_limit_bytes: int = 3 * 1024 * 1024  # up to this: base64url "raw" in a JSON body
    resumable_above_bytes: int = 5 * 1024 * 1024  # above this: resumable upload; between: one multipart request
    upload_chunk_bytes: int = 4 * 1024 * 1024  # resumable chunks: a multiple of 256 KiB; -1 = all in one PUT
    max_bytes: int = MAX_MAIL_BYTES
    credentials_file: str = ""  # service-account key or authorized-user JSON; "" = application-default
    delegate: str = ""  # the Workspace user a service account acts for; "" = from_address


class GmailSettings(Protocol):
    """The parts of the worker's Settings the Gmail mailer needs."""

    @property
    def mail_from(self) -> str: ...  # "Klient A/S <bogholderi@klient.dk>" or a bare address
    @property
    def google_credentials(self) -> str: ...
    @property
    def gmail_daily_limit(self) -> int: ...
    @property
    def gmail_state_file(self) -> Path: ...
    @property
    def gmail_delegate(self) -> str: ...  # "" = the From address


def gmail_config(settings: GmailSettings, api_endpoint: str = "https://gmail.googleapis.com/") -> GmailConfig:
    """The Gmail configuration from the worker's settings (``RYKKERBOT_MAIL_FROM``, ``GOOGLE_APPLICATION_CREDENTIALS``,
    ``RYKKERBOT_GMAIL_DAILY_LIMIT``, ``RYKKERBOT_GMAIL_STATE``, ``RYKKERBOT_GMAIL_DELEGATE``).

    With a service account the token acts for the delegate (a Workspace user); Gmail then sends as From only if From
    is one of that user's verified send-as addresses, and silently as the user's primary address otherwise
    (``worker.py doctor`` checks it: ``bot.mail.gmail_sendas``)."""
    name, address = parseaddr(settings.mail_from)
    delegate = settings.gmail_delegate.strip()
    return GmailConfig(
        from_address=normalize_address(address or settings.mail_from, "RYKKERBOT_MAIL_FROM"),
        from_name=name or "Rykkerbot",
        daily_limit=settings.gmail_daily_limit,
        budget_file=settings.gmail_state_file,
        api_endpoint=api_endpoint,
        credentials_file=settings.google_credentials,
        delegate=normalize_address(delegate, "RYKKERBOT_GMAIL_DELEGATE") if delegate else "",
    )


def load_credentials(config: GmailConfig, scopes: tuple[str, ...] = SCOPES) -> Any:
    """Credentials with the gmail.send scope (or ``scopes``), read from the key file (no network); a service account
    is set to act for ``delegate`` (domain-wide delegation). Problems name the setting, never the file's content."""
    where = "GOOGLE_APPLICATION_CREDENTIALS"
    auth: Any = google.auth  # partly untyped
    try:
        if config.credentials_file:
            credentials, _ = auth.load_credentials_from_file(config.credentials_file, scopes=list(scopes))
        else:
            credentials, _ = auth.default(scopes=list(scopes))
    except (OSError, ValueError, google.auth.exceptions.GoogleAuthError) as e:
        # Read at start-up: a setting to fix before the worker runs (worker.py names it and exits), not a login
        # refused while a job runs.
        raise SettingsError(
            SettingProblem("", where, f"{where}: Google-nøglen kunne ikke læses ({type(e).__name__}).")
        ) from None
    if hasattr(credentials, "with_subject"):  # a service account: send as the company's Workspace user
        credentials = credentials.with_subject(config.delegate or config.from_address)
    return credentials


class GmailMailer:
    def __init__(self, config: GmailConfig, credentials: Any = None, budget: Budget | None = None) -> None:
        """``credentials``: any google.auth credentials with the gmail.send scope (service account with
        domain-wide delegation, or a user's OAuth token); None: loaded as ``load_credentials`` says."""
        if credentials is None:
            credentials = load_credentials(config)
        self._config = config
        self._from_address = normalize_address(config.from_address, "Gmail afsender")
        self._budget = budget or SendBudget(config.daily_limit, config.budget_file)
        self._service: Any = build_gmail(authorized_http(credentials, config.timeout), config.api_endpoint)

    @property
    def budget(self) -> Budget:
        return self._budget

    def send(self, email: Email) -> str:
        c = self._config
        if not email.sender_name and c.from_name:
            email = replace(email, sender_name=c.from_name)
        msg = to_mime(email, self._from_address)
        data = msg.as_bytes()
        if len(data) > c.max_bytes:  # Gmail would refuse it after the upload: refuse it before, nothing counted
            raise MailRejected(
                f"Mailen '{email.subject}' fylder {len(data) / 1e6:.1f} MB; Gmail sender højst "
                f"{c.max_bytes / 1e6:.0f} MB pr. mail. Intet er sendt. Send færre eller mindre bilag ad gangen.")
        request = self._send_request(data)
        self._budget.reserve()  # raises before anything is sent when the budget is used up
        try:
            response = request.execute(num_retries=0)
        except HttpError as e:
            raise self._map_http_error(e, email) from None
        except google.auth.exceptions.TransportError as e:  # the token endpoint could not be reached
            self._budget.refund()
            raise MailUnavailable(f"Googles login-tjeneste svarer ikke ({type(e).__name__}).") from None
        except google.auth.exceptions.GoogleAuthError as e:  # refresh refused: revoked or wrong key
            self._budget.refund()
            log.error("Gmail refused the robot's credentials (%s): the operator must renew them", type(e).__name__)
            raise MailAuthError(f"Google afviste robottens adgang ({type(e).__name__}).", _ACCESS) from None
        except (OSError, _httplib2.HttpLib2Error) as e:  # refused, DNS, timeout
            if isinstance(e, ConnectionRefusedError | _httplib2.ServerNotFoundError):
                self._budget.refund()  # the request never left
            raise MailUnavailable(f"Gmail API ({c.api_endpoint}) svarer ikke ({type(e).__name__}).") from None
        log.info(
            "mail sent via Gmail: %r to %d recipient(s), id %s",
            email.subject,
            len(email.recipients),
            response.get("id"),
        )
        return str(msg["Message-ID"])

    def _send_request(self, data: bytes) -> Any:
        """The users.messages.send request for these bytes: raw JSON, one multipart upload, or resumable."""
        c = self._config
        messages = self._service.users().messages()
        if len(data) <= c.raw_limit_bytes:
            return messages.send(userId=c.user_id, body={"raw": base64.urlsafe_b64encode(data).decode("ascii")})
        resumable = len(data) > c.resumable_above_bytes
        media = MediaIoBaseUpload(io.BytesIO(data), mimetype="message/rfc822", resumable=resumable,
                                  chunksize=c.upload_chunk_bytes if resumable else -1)
        return messages.send(userId=c.user_id, body={}, media_body=media)

    def _map_http_error(self, e: HttpError, email: Email) -> Exception:
        error = google_error(e)
        status, text = error.status, error.message
        where = f"Gmail API svarede {status}"
        if error.daily_limit:  # Google's own daily sending limit for this user
            return MailUnavailable(f"{where}: Googles daglige sendegrænse er nået ({text}). Prøv igen i morgen.")
        if error.rate_limited or status >= 500:
            return MailUnavailable(f"{where}: {text}. Prøv igen senere.")
        self._budget.refund()  # refused outright: nothing was sent
        if status == 401:
            log.error("%s: the key was refused; the operator must renew %s", where, _ACCESS)
            return MailAuthError(f"{where}: nøglen blev afvist.", _ACCESS)
        if status == 403:
            log.error("%s: the account may not send as %s (%s)", where, self._from_address, text)
            return MailAuthError(f"{where}: kontoen må ikke sende som {self._from_address} ({text}).",
                                 "send-as-adressen og adgangen (scope gmail.send)")
        if status == 413:
            return MailRejected(f"{where}: mailen '{email.subject}' er for stor.")
        return MailRejected(f"{where}: mailen '{email.subject}' blev afvist: {text}")


def authorized_http(credentials: Any, timeout: float) -> Any:
    http = build_http()
    http.timeout = timeout
    return _google_auth_httplib2.AuthorizedHttp(credentials, http=http)


def build_gmail(http: Any, api_endpoint: str) -> Any:
    """The Gmail v1 client from the discovery document shipped with google-api-python-client (no network).

    Same as ``build("gmail", "v1", static_discovery=True, client_options={"api_endpoint": ...})``, except that the
    document's ``rootUrl`` is set too: the library builds media upload URLs from ``rootUrl`` and would otherwise
    send large mails to gmail.googleapis.com whatever the endpoint.
    """
    document = json.loads(get_static_doc("gmail", "v1") or "{}")
    if not document:
        raise RuntimeError("google-api-python-client ships no static discovery document for gmail v1")
    document["rootUrl"] = api_endpoint
    return build_from_document(document, http=http, client_options={"api_endpoint": api_endpoint})
