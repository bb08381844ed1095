"""A real SMTP server for tests (aiosmtpd) that keeps what it receives."""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from sandbox.serving import free_port


@dataclass
class Inbox:
    port: int = 0
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd hook
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(msg, EmailMessage)
        self.messages.append(msg)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"

    def subjects(self) -> list[str]:
        return [str(m["Subject"]) for m in self.messages]

    def text_of(self, msg: EmailMessage) -> str:
        part = msg.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""

    def attachments(self, msg: EmailMessage) -> dict[str, bytes]:
        return {str(p.get_filename()): p.get_payload(decode=True) for p in msg.iter_attachments()}


def start_inbox() -> tuple[Inbox, Controller]:
    inbox = Inbox(port=free_port())
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    return inbox, controller
