"""The local outbox: one ``.eml`` file per mail in a folder. The demo's mailer; open the files in any mail client."""

from __future__ import annotations

import email
import email.policy
import os
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path

from bot.mail.message import Email, to_mime

_SLUG_KEEP = re.compile(r"[^a-z0-9]+")
_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})


def slug(text: str, max_length: int = 60) -> str:
    """'Rykkerforslag for Ærø ApS: 3 rykkere' -> 'rykkerforslag-for-aeroe-aps-3-rykkere'."""
    ascii_text = unicodedata.normalize("NFKD", text.lower().translate(_DANISH)).encode("ascii", "ignore").decode()
    return _SLUG_KEEP.sub("-", ascii_text).strip("-")[:max_length].rstrip("-") or "mail"


class OutboxMailer:
    """Writes each mail to ``directory/<timestamp>-<slug>.eml`` instead of sending it."""

    def __init__(
        self, directory: Path, from_address: str = "rykkerbot@localhost.localdomain", from_name: str = "Rykkerbot"
    ) -> None:
        self._directory = directory
        self._from_address = from_address
        self._from_name = from_name

    def send(self, email: Email) -> str:
        if not email.sender_name and self._from_name:
            email = replace(email, sender_name=self._from_name)
        msg = to_mime(email, self._from_address)
        self._directory.mkdir(parents=True, exist_ok=True)
        stem = f"{datetime.now():%Y%m%d-%H%M%S-%f}-{slug(email.subject)}"
        path = self._directory / f"{stem}.eml"
        n = 1
        while path.exists():
            n += 1
            path = self._directory / f"{stem}-{n}.eml"
        tmp = path.with_suffix(".eml.tmp")
        tmp.write_bytes(msg.as_bytes())
        os.replace(tmp, path)  # a reader never sees half a file
        return str(msg["Message-ID"])


@dataclass(frozen=True)
class OutboxMessage:
    path: Path
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def to(self) -> tuple[str, ...]:
        return tuple(a.addr_spec for a in self.message["To"].addresses)

    @property
    def text(self) -> str:
        return _part(self.message, "plain")

    @property
    def html(self) -> str:
        return _part(self.message, "html")

    @property
    def attachments(self) -> dict[str, bytes]:
        result: dict[str, bytes] = {}
        for part in self.message.iter_attachments():
            assert isinstance(part, EmailMessage)
            content = part.get_content()
            result[part.get_filename() or ""] = content if isinstance(content, bytes) else str(content).encode()
        return result


def _part(msg: EmailMessage, subtype: str) -> str:
    body = msg.get_body(preferencelist=(subtype,))
    return str(body.get_content()) if body is not None and body.get_content_subtype() == subtype else ""


def read_outbox(directory: Path) -> list[OutboxMessage]:
    """The mails in ``directory``, oldest first (file names start with the time they were written)."""
    if not directory.exists():
        return []
    result = []
    for path in sorted(directory.glob("*.eml")):
        msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert isinstance(msg, EmailMessage)
        result.append(OutboxMessage(path, msg))
    return result
