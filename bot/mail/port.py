"""The mail port: one verb. Adapters: ``SmtpMailer``, ``GmailMailer``, ``OutboxMailer``."""

from __future__ import annotations

from typing import Protocol

from bot.mail.message import Email


class Mailer(Protocol):
    def send(self, email: Email) -> str:
        """Send one mail as it is; return its Message-ID.

        Raises ``MailUnavailable`` (retry later), ``RecipientRefused`` / ``MailRejected`` / ``MailAuthError``
        (tell the user, never retry).
        """
        ...
