"""OutboxMailer writes parseable .eml files; read_outbox reads them back."""

from __future__ import annotations

import dataclasses
import email
import email.policy
from pathlib import Path

from bot.app import build_mailer
from bot.config import Settings
from bot.mail.message import Email, split_by_size
from bot.mail.outbox import OutboxMailer, read_outbox, slug
from bot.mail.port import Mailer
from bot.records import Attachment


def test_outbox_writes_one_parseable_eml_per_mail(tmp_path: Path) -> None:
    outbox = tmp_path / "outbox"
    mailer: Mailer = OutboxMailer(outbox, from_address="robot@klient.dk")
    first = Email(
        to=("bogholder@klient.dk",),
        subject="Rykkerforslag for Ærø ApS: 3 rykkere klar til godkendelse",
        text="Tre rykkere.",
        html="<p>Tre rykkere.</p>",
    )
    second = Email(
        to=("inkasso@partner.dk",),
        cc=("bogholder@klient.dk",),
        subject="Inkassosag: Ærø ApS",
        text="Sagen.",
        html="<p>Sagen.</p>",
        attachments=(Attachment("Faktura 10234.pdf", b"%PDF-1.4 a"),),
    )
    id1 = mailer.send(first)
    id2 = mailer.send(second)

    files = sorted(outbox.glob("*.eml"))
    assert len(files) == 2
    assert files[0].name.endswith("-rykkerforslag-for-aeroe-aps-3-rykkere-klar-til-godkendelse.eml")
    raw = email.message_from_bytes(files[1].read_bytes(), policy=email.policy.default)
    assert raw["Message-ID"] == id2 and id1 != id2

    got = read_outbox(outbox)
    assert [m.subject for m in got] == [first.subject, second.subject]
    assert got[0].to == ("bogholder@klient.dk",)
    assert got[0].text.strip() == "Tre rykkere." and got[0].html.strip() == "<p>Tre rykkere.</p>"
    assert got[1].attachments == {"Faktura 10234.pdf": b"%PDF-1.4 a"}
    assert str(got[1].message["Cc"]) == "bogholder@klient.dk"
    assert got[1].message["From"].addresses[0].addr_spec == "robot@klient.dk"
    assert not list(outbox.glob("*.tmp"))


def test_same_subject_twice_gives_two_files(tmp_path: Path) -> None:
    mailer = OutboxMailer(tmp_path)
    mail = Email(to=("a@firma.dk",), subject="Samme", text="x")
    for _ in range(3):
        mailer.send(mail)
    assert len(read_outbox(tmp_path)) == 3


def test_each_part_of_a_split_mail_is_written(tmp_path: Path) -> None:
    mailer = OutboxMailer(tmp_path)
    attachments = tuple(Attachment(f"Faktura {n}.pdf", bytes([n]) * 300_000) for n in range(4))
    email = Email(to=("a@firma.dk",), subject="Sager", text="x", attachments=attachments)
    ids = [mailer.send(part) for part in split_by_size(email, limit_bytes=700_000)]
    got = read_outbox(tmp_path)
    assert len(ids) == len(got) > 1
    assert [name for m in got for name in m.attachments] == [a.filename for a in attachments]
    assert b"".join(b for m in got for b in m.attachments.values()) == b"".join(a.content for a in attachments)


def test_read_outbox_of_missing_folder_is_empty(tmp_path: Path) -> None:
    assert read_outbox(tmp_path / "none") == []
    assert slug("  ") == "mail"


def test_the_outbox_sends_from_the_configured_sender(tmp_path: Path) -> None:
    """The demo's mails come from RYKKERBOT_MAIL_FROM, not rykkerbot@localhost (issue 14)."""
    settings = dataclasses.replace(Settings(), outbox_dir=tmp_path, mail_from="Demo Byg ApS <rykker@demo-byg.dk>")
    build_mailer(settings).send(Email(to=("bogholder@klient.dk",), subject="Status", text="Hej", html="<p>Hej</p>"))
    (sent,) = read_outbox(tmp_path)
    (sender,) = sent.message["From"].addresses
    assert (sender.display_name, sender.addr_spec) == ("Demo Byg ApS", "rykker@demo-byg.dk")
