"""The ``Email`` value, MIME building and splitting a mail that is too large (addresses are ``bot.addresses``)."""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass, field, replace
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from bot.addresses import normalize_address, parse_recipients
from bot.records import Attachment

__all__ = [
    "DEFAULT_LIMIT_BYTES",
    "Email",
    "estimate_size",
    "split_by_size",
    "to_mime",
]

DEFAULT_LIMIT_BYTES = 25 * 1024 * 1024  # Gmail's and most servers' limit for the whole encoded message

_MESSAGE_ID = re.compile(r"<[^<>\s@]+@[^<>\s@]+>")


@dataclass(frozen=True)
class Email:
    """One mail as rendered: recipients, subject, a text and an HTML part, attachments.

    ``sender_name`` and ``from_address`` may be left empty: the mailer fills in its own.
    """

    to: tuple[str, ...]
    subject: str
    text: str
    html: str = ""
    cc: tuple[str, ...] = ()
    reply_to: tuple[str, ...] = ()
    bcc: tuple[str, ...] = ()  # delivered to, never shown to the other recipients
    message_id: str = ""  # "<id@domain>" fixed by the caller (so a provider can be asked for it); "" = a new one
    in_reply_to: str = ""  # "<id@domain>" of the mail this one follows up: In-Reply-To and References
    attachments: tuple[Attachment, ...] = field(default=(), repr=False)
    sender_name: str = ""
    from_address: str = ""

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "to", parse_recipients(self.to, "Modtager (til)"))
        set_(self, "cc", parse_recipients(self.cc, "Modtager (cc)", required=False))
        set_(self, "reply_to", parse_recipients(self.reply_to, "Svar til", required=False))
        set_(self, "bcc", parse_recipients(self.bcc, "Modtager (bcc)", required=False))
        if self.from_address:
            set_(self, "from_address", normalize_address(self.from_address, "Afsender"))
        set_(self, "attachments", tuple(self.attachments))
        # A header never holds a line break (header injection); names from the ledger can hold anything.
        set_(self, "subject", " ".join(self.subject.split()))
        set_(self, "sender_name", " ".join(self.sender_name.split()))
        if not _MESSAGE_ID.fullmatch(self.in_reply_to):  # from a sheet cell: a header only if it is a Message-ID
            set_(self, "in_reply_to", "")

    @property
    def recipients(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.to + self.cc + self.bcc))

    @property
    def size_bytes(self) -> int:
        return estimate_size(self)


def to_mime(email: Email, sender: str) -> EmailMessage:
    """The MIME message: multipart/alternative (text, HTML) inside multipart/mixed with the attachments.

    ``sender`` is the mailer's address; ``email.from_address`` overrides it. Filenames keep æ, ø, å (RFC 2231).
    """
    from_address = email.from_address or normalize_address(sender, "Afsender")
    local, domain = from_address.rsplit("@", 1)
    msg = EmailMessage()
    msg["From"] = Address(display_name=email.sender_name, username=local, domain=domain)
    msg["To"] = ", ".join(email.to)
    if email.cc:
        msg["Cc"] = ", ".join(email.cc)
    if email.bcc:  # the sender's copy keeps it; smtplib and Gmail strip it from what the recipients get
        msg["Bcc"] = ", ".join(email.bcc)
    if email.reply_to:
        msg["Reply-To"] = ", ".join(email.reply_to)
    msg["Subject"] = email.subject
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = email.message_id or make_msgid(domain=domain)
    if email.in_reply_to:
        msg["In-Reply-To"] = email.in_reply_to
        msg["References"] = email.in_reply_to
    # Quoted-printable keeps the parts 7-bit: safe through any server, readable in an .eml file.
    msg.set_content(email.text, cte="quoted-printable")
    if email.html:
        msg.add_alternative(email.html, subtype="html", cte="quoted-printable")
    for attachment in email.attachments:
        maintype, _, subtype = attachment.mime_type.partition("/")
        msg.add_attachment(
            attachment.content,
            maintype=maintype or "application",
            subtype=subtype or "octet-stream",
            filename=attachment.filename,
        )
    return msg


def _encoded(n: int) -> int:
    """Bytes of ``n`` bytes in base64 with 76-character lines and CRLF."""
    chars = 4 * ((n + 2) // 3)
    return chars + 2 * (chars // 76 + 1)


def _attachment_size(attachment: Attachment) -> int:
    return _encoded(len(attachment.content)) + 300 + 3 * len(attachment.filename.encode())


def _body_size(email: Email) -> int:
    headers = 1000 + 3 * len(email.subject.encode()) + sum(len(a) + 4 for a in email.to + email.cc + email.reply_to)
    # Text parts may be base64 or quoted-printable; base64 is the worst case for non-ASCII text.
    return headers + _encoded(len(email.text.encode())) + _encoded(len(email.html.encode())) + 600


def estimate_size(email: Email) -> int:
    """An upper estimate of the encoded message's size in bytes (as a mail server counts it)."""
    return _body_size(email) + sum(_attachment_size(a) for a in email.attachments)


_NOTE_ROOM = 4096  # the part note added to the text and HTML


def split_by_size(email: Email, limit_bytes: int = DEFAULT_LIMIT_BYTES) -> list[Email]:
    """The mail itself if it fits; else numbered parts ("(del 1 af 3)") that share out the attachments in order.

    Every part carries the whole body plus a note saying which attachments it holds. An attachment that is
    larger than the limit on its own gets a part of its own, and the note says so (the server may refuse it).
    """
    if estimate_size(email) <= limit_bytes:
        return [email]
    room = limit_bytes - _body_size(email) - _NOTE_ROOM
    groups: list[list[Attachment]] = []
    current: list[Attachment] = []
    used = 0
    for attachment in email.attachments:
        size = _attachment_size(attachment)
        if current and used + size > room:
            groups.append(current)
            current, used = [], 0
        current.append(attachment)
        used += size
    if current or not groups:
        groups.append(current)
    total = len(groups)
    if total == 1 and not any(_attachment_size(a) > room for a in groups[0]):
        return [email]
    return [_part(email, group, i, total, room, limit_bytes) for i, group in enumerate(groups, start=1)]


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}".replace(".", ",") + " MB"


def _part(email: Email, group: list[Attachment], number: int, total: int, room: int, limit: int) -> Email:
    names = ", ".join(a.filename for a in group) or "ingen"
    lines = []
    if total > 1:
        lines.append(
            f"Denne mail er delt i {total} dele, fordi vedhæftningerne samlet er for store til én mail "
            f"(grænse {_mb(limit)}). Dette er del {number} af {total} og indeholder: {names}."
        )
    for a in group:
        if _attachment_size(a) > room:
            lines.append(
                f"Bemærk: '{a.filename}' ({_mb(len(a.content))}) er alene større end grænsen og sendes derfor "
                "i sin egen mail. Modtagerens mailserver kan afvise den; kontakt os i så fald, så sender vi "
                "filen på anden vis."
            )
    note_text = "\n".join(lines)
    note_html = "".join(
        f'<p style="background:#fff4d6;padding:8px;border:1px solid #e0c060">{html_lib.escape(line)}</p>'
        for line in lines
    )
    html = email.html
    if html:
        match = re.search(r"<body[^>]*>", html, flags=re.IGNORECASE)
        at = match.end() if match else 0
        html = html[:at] + note_html + html[at:]
    return replace(
        email,
        subject=f"{email.subject} (del {number} af {total})" if total > 1 else email.subject,
        text=f"{note_text}\n\n{email.text}",
        html=html,
        attachments=tuple(group),
    )
