"""The mail port: one verb. Adapters: ``SmtpMailer``, ``GmailMailer``, ``OutboxMailer``."""

from __future__ import annotations

from typing import Protocol

from bot.mail.message import DEFAULT_LIMIT_BYTES, Email, split_by_size


class Mailer(Protocol):
    def send(self, email: Email) -> str:
        """Send one mail as it is; return its Message-ID.

        Raises ``MailUnavailable`` (retry later), ``RecipientRefused`` / ``MailRejected`` / ``MailAuthError``
        (tell the user, never retry).
        """
        ...


def send_in_parts(mailer: Mailer, email: Email, limit_bytes: int = DEFAULT_LIMIT_BYTES) -> list[str]:
    """Send ``email`` split into numbered parts when it is too large for one mail; the Message-IDs in order."""
    return [mailer.send(part) for part in split_by_size(email, limit_bytes)]
