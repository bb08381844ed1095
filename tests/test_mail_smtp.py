"""SmtpMailer through a real SMTP server (aiosmtpd on 127.0.0.1)."""

from __future__ import annotations

import email
import email.policy
import io
import shutil
import ssl
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from pypdf import PdfReader

from bot.errors import MailUnavailable, SettingsError
from bot.inkasso.models import CaseFile
from bot.mail.errors import MailAuthError, RecipientRefused
from bot.mail.message import Email, split_by_size
from bot.mail.smtp import SmtpConfig, SmtpMailer, SmtpSecurity
from bot.records import Attachment, Company, Customer, Invoice
from bot.texts.render import render_case_mail
from sandbox.serving import free_port
from tests.mail_samples import make_pdf


@dataclass
class Recorder:
    """An aiosmtpd handler that keeps every envelope; refuses addresses listed in ``refuse``."""

    messages: list[Any] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)  # address -> SMTP reply

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:  # noqa: N802
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


def parse(content: bytes) -> EmailMessage:
    msg = email.message_from_bytes(content, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


@pytest.fixture
def server() -> Iterator[tuple[Recorder, int]]:
    handler = Recorder()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


def case_email() -> Email:
    return Email(
        to=("inkasso@partner.dk",),
        cc=("bogholder@klient.dk",),
        reply_to=("bogholder@klient.dk",),
        subject="Inkassosag: Ærø Byg ApS (kundenr. 1042)",
        text="Kravet udgør 12.345,00 kr.",
        html="<p>Kravet udgør <b>12.345,00 kr.</b></p>",
        attachments=(
            Attachment("Faktura 10234.pdf", make_pdf("Faktura 10234")),
            Attachment("Rykker 3 - 10234 Ærø.pdf", make_pdf("Rykker 3")),
        ),
    )


def test_message_arrives_with_recipients_parts_and_pdfs(server: tuple[Recorder, int]) -> None:
    handler, port = server
    mailer = SmtpMailer(SmtpConfig("127.0.0.1", port, "robot@klient.dk", security=SmtpSecurity.PLAIN, timeout=10))
    sent = case_email()

    message_id = mailer.send(sent)

    assert len(handler.messages) == 1
    envelope = handler.messages[0]
    assert envelope.mail_from == "robot@klient.dk"
    assert sorted(envelope.rcpt_tos) == ["bogholder@klient.dk", "inkasso@partner.dk"]
    msg = parse(envelope.content)
    assert msg["Message-ID"] == message_id
    assert msg["Subject"] == "Inkassosag: Ærø Byg ApS (kundenr. 1042)"
    assert msg["To"] == "inkasso@partner.dk"
    assert msg["Cc"] == "bogholder@klient.dk"
    assert msg["Reply-To"] == "bogholder@klient.dk"
    assert msg["From"].addresses[0].display_name == "Rykkerbot"
    text = msg.get_body(preferencelist=("plain",))
    html = msg.get_body(preferencelist=("html",))
    assert text is not None and "12.345,00 kr." in text.get_content()
    assert html is not None and "<b>12.345,00 kr.</b>" in html.get_content()
    attachments = list(msg.iter_attachments())
    assert [a.get_filename() for a in attachments] == ["Faktura 10234.pdf", "Rykker 3 - 10234 Ærø.pdf"]
    titles = ["Faktura 10234", "Rykker 3"]
    for got, original, title in zip(attachments, sent.attachments, titles, strict=True):
        data = got.get_content()
        assert data == original.content
        assert got.get_content_type() == "application/pdf"
        assert PdfReader(io.BytesIO(data)).pages[0].extract_text() == title


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_login_with_credentials(tmp_path: Path) -> None:
    seen: list[tuple[str, bytes, bytes]] = []

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        assert isinstance(auth_data, LoginPassword)
        seen.append((mechanism, auth_data.login, auth_data.password))
        ok = auth_data.login == b"robot" and auth_data.password == b"s3cret-pw"
        return AuthResult(success=ok, handled=False)

    handler = Recorder()
    port = free_port()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=port,
        authenticator=authenticator,
        auth_required=True,
        auth_require_tls=False,
    )
    controller.start()
    try:
        good = SmtpConfig("127.0.0.1", port, "robot@klient.dk", SmtpSecurity.PLAIN, "robot", "s3cret-pw", timeout=10)
        SmtpMailer(good).send(case_email())
        assert len(handler.messages) == 1
        assert seen[-1][1:] == (b"robot", b"s3cret-pw")

        bad = SmtpConfig("127.0.0.1", port, "robot@klient.dk", SmtpSecurity.PLAIN, "robot", "wrong-pw", timeout=10)
        with pytest.raises(MailAuthError) as info:
            SmtpMailer(bad).send(case_email())
        assert "robot" in str(info.value)
        assert "wrong-pw" not in str(info.value)
        assert "wrong-pw" not in repr(bad)
        assert info.value.__cause__ is None and info.value.__suppress_context__
        assert len(handler.messages) == 1  # nothing more was sent
    finally:
        controller.stop()


def test_refused_connection_is_retryable() -> None:
    port = free_port()  # nothing listens here
    mailer = SmtpMailer(SmtpConfig("127.0.0.1", port, "robot@klient.dk", SmtpSecurity.PLAIN, "u", "pw-123", timeout=5))
    with pytest.raises(MailUnavailable) as info:
        mailer.send(case_email())
    assert f"127.0.0.1:{port}" in str(info.value)
    assert "pw-123" not in str(info.value)


def test_permanent_recipient_refusal_names_the_address(server: tuple[Recorder, int]) -> None:
    handler, port = server
    handler.refuse["inkasso@partner.dk"] = "550 5.1.1 No such user"
    handler.refuse["bogholder@klient.dk"] = "550 5.1.1 No such user"
    mailer = SmtpMailer(SmtpConfig("127.0.0.1", port, "robot@klient.dk", SmtpSecurity.PLAIN, timeout=10))
    with pytest.raises(RecipientRefused) as info:
        mailer.send(case_email())
    assert "'inkasso@partner.dk'" in str(info.value)
    assert "550" in str(info.value)
    assert not info.value.delivered
    assert handler.messages == []


def test_partial_refusal_says_the_others_got_it(server: tuple[Recorder, int]) -> None:
    handler, port = server
    handler.refuse["bogholder@klient.dk"] = "550 5.1.1 No such user"
    mailer = SmtpMailer(SmtpConfig("127.0.0.1", port, "robot@klient.dk", SmtpSecurity.PLAIN, timeout=10))
    with pytest.raises(RecipientRefused) as info:
        mailer.send(case_email())
    assert info.value.delivered
    assert list(info.value.refused) == ["bogholder@klient.dk"]
    assert [m.rcpt_tos for m in handler.messages] == [["inkasso@partner.dk"]]


def test_temporary_refusal_is_retryable(server: tuple[Recorder, int]) -> None:
    handler, port = server
    handler.refuse["inkasso@partner.dk"] = "451 4.3.0 Try again later"
    handler.refuse["bogholder@klient.dk"] = "451 4.3.0 Try again later"
    mailer = SmtpMailer(SmtpConfig("127.0.0.1", port, "robot@klient.dk", SmtpSecurity.PLAIN, timeout=10))
    with pytest.raises(MailUnavailable, match="451"):
        mailer.send(case_email())


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl to make a test certificate")
def test_starttls_with_a_trusted_certificate(tmp_path: Path) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_ctx.load_cert_chain(cert, key)
    handler = Recorder()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, tls_context=server_ctx, require_starttls=True)
    controller.start()
    try:
        client_ctx = ssl.create_default_context(cafile=str(cert))
        config = SmtpConfig(
            "127.0.0.1", port, "robot@klient.dk", SmtpSecurity.STARTTLS, timeout=10, tls_context=client_ctx
        )
        SmtpMailer(config).send(case_email())
        assert len(handler.messages) == 1
        # Without trusting the certificate the mailer refuses to talk (a settings problem, not retried).
        untrusted = SmtpConfig("127.0.0.1", port, "robot@klient.dk", SmtpSecurity.STARTTLS, timeout=10)
        with pytest.raises(SettingsError, match="certifikat"):
            SmtpMailer(untrusted).send(case_email())
        assert len(handler.messages) == 1
    finally:
        controller.stop()


def test_config_from_env_names_missing_variables() -> None:
    with pytest.raises(SettingsError) as info:
        SmtpConfig.from_env({"SMTP_PORT": "abc", "SMTP_PASSWORD": "hemmelig", "RYKKERBOT_MAIL_FROM": "Robot <foo@>"})
    text = str(info.value)
    assert "SMTP_HOST mangler" in text and "SMTP_PORT: 'abc'" in text
    assert "RYKKERBOT_MAIL_FROM: 'foo@' er ikke en gyldig e-mailadresse" in text
    assert "hemmelig" not in text
    config = SmtpConfig.from_env(
        {
            "SMTP_HOST": "smtp.firma.dk",
            "RYKKERBOT_MAIL_FROM": "Klient A/S <Robot@Firma.dk>",
            "SMTP_SECURITY": "SSL",
            "SMTP_USERNAME": "robot",
            "SMTP_PASSWORD": "hemmelig",
        }
    )
    assert (config.port, config.security, config.from_address) == (465, SmtpSecurity.SSL, "Robot@firma.dk")
    assert (config.from_name, config.username, config.password) == ("Klient A/S", "robot", "hemmelig")
    assert "hemmelig" not in repr(config)
    plain = SmtpConfig.from_env(
        {
            "SMTP_HOST": "localhost",
            "SMTP_PORT": "2525",
            "SMTP_SECURITY": "none",
            "RYKKERBOT_MAIL_FROM": "robot@firma.dk",
        }
    )
    assert (plain.security, plain.port, plain.from_name) == (SmtpSecurity.PLAIN, 2525, "Rykkerbot")


def test_rendered_case_mail_split_and_sent_arrives_whole(server: tuple[Recorder, int]) -> None:
    """render -> split -> SMTP: the partner gets every PDF exactly once, across numbered parts."""
    handler, port = server
    creditor = Company(
        "Klient A/S",
        "12345678",
        "Søndergade 1",
        "8000",
        "Aarhus C",
        "bogholderi@klient.dk",
        "+45 86 12 34 56",
        "1234-5678901",
    )
    debtor = Customer(1042, "Ærø Byg ApS", "87654321", "DK", "info@aeroebyg.dk", "Erhverv", 1, True)
    invoices = tuple(
        Invoice(10230 + n, 1042, date(2026, 8, 1), date(2026, 8, 31), Decimal("1000"), Decimal("1000"))
        for n in range(4)
    )
    pdfs = tuple(
        Attachment(f"Faktura {i.number}.pdf", make_pdf(f"Faktura {i.number}") + bytes(60_000)) for i in invoices
    )
    case = CaseFile("I-1042", creditor, debtor, invoices, (), "Ring gerne til Jens.", pdfs)
    mail = render_case_mail("Klient A/S", [case], "inkasso@partner.dk")
    mailer = SmtpMailer(SmtpConfig("127.0.0.1", port, "robot@klient.dk", security=SmtpSecurity.PLAIN, timeout=10))

    ids = [mailer.send(part) for part in split_by_size(mail, limit_bytes=180_000)]

    messages = [parse(m.content) for m in handler.messages]
    assert len(ids) == len(messages) > 1
    assert [m["Subject"] for m in messages] == [
        f"{mail.subject} (del {i} af {len(ids)})" for i in range(1, len(ids) + 1)
    ]
    got = [(a.get_filename(), a.get_content()) for m in messages for a in m.iter_attachments()]
    assert got == [(a.filename, a.content) for a in pdfs]
    for m in messages:
        assert "Ring gerne til Jens." in m.get_body(("plain",)).get_content()  # type: ignore[union-attr]
