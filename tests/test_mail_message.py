"""The Email value: recipient checks, MIME, size estimate and splitting (pure, no I/O)."""

from __future__ import annotations

import email
import email.policy
import os
from email.message import EmailMessage

import pytest

from bot.addresses import InvalidRecipient, parse_recipients
from bot.errors import SettingsError
from bot.mail.message import Email, split_by_size, to_mime
from bot.records import Attachment

MB = 1024 * 1024


def parse(msg: EmailMessage) -> EmailMessage:
    parsed = email.message_from_bytes(msg.as_bytes(), policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


@pytest.mark.parametrize(
    "bad",
    [
        "foo@",
        "@firma.dk",
        "foo",
        "a b@firma.dk",
        "a@firma",
        "a@@firma.dk",
        "a@firma..dk",
        "a@firma.dk\nBcc: x@evil.com",
        ".a@firma.dk",
        "a@-firma.dk",
    ],
)
def test_malformed_address_names_the_setting(bad: str) -> None:
    with pytest.raises(InvalidRecipient) as info:
        parse_recipients(bad, "Modtagere af forslag", cell="Instruks!B12")
    assert isinstance(info.value, SettingsError)  # the user's to fix, never retried
    assert "Instruks!B12 (Modtagere af forslag)" in str(info.value)
    assert "er ikke en gyldig e-mailadresse" in str(info.value)


def test_message_reads_like_the_brief() -> None:
    with pytest.raises(InvalidRecipient) as info:
        parse_recipients("bogholder@klient.dk, foo@", "Modtagere af forslag")
    assert str(info.value).startswith("Modtagere af forslag: 'foo@' er ikke en gyldig e-mailadresse")
    assert info.value.problems[0].field == "Modtagere af forslag"


def test_recipient_list_split_trimmed_deduplicated() -> None:
    got = parse_recipients(" a@Firma.DK; b@firma.dk\n a@firma.dk ,c.d+e@sub.firma.dk", "Modtagere")
    assert got == ("a@firma.dk", "b@firma.dk", "c.d+e@sub.firma.dk")
    assert parse_recipients("kasse@ærø.dk", "Modtagere") == ("kasse@" + "ærø".encode("idna").decode() + ".dk",)
    with pytest.raises(InvalidRecipient, match="ingen modtager"):
        parse_recipients(" , ", "Modtagere")
    assert parse_recipients("", "Cc", required=False) == ()


def test_email_checks_recipients_and_strips_line_breaks_from_subject() -> None:
    with pytest.raises(InvalidRecipient, match="Modtager \\(til\\)"):
        Email(to=("foo@",), subject="x", text="x")
    mail = Email(to=("a@firma.dk",), subject="Rykker\r\nBcc: x@evil.com", text="x")
    assert mail.subject == "Rykker Bcc: x@evil.com"
    assert parse(to_mime(mail, "robot@firma.dk"))["Bcc"] is None


def test_mime_has_both_parts_and_danish_filenames() -> None:
    mail = Email(
        to=("a@firma.dk",),
        subject="Sag for Ærø",
        text="Beløb: 1.234,50 kr.",
        html="<p>Beløb: 1.234,50 kr.</p>",
        attachments=(
            Attachment("Rykker 3 - 10234 Ærø Å.pdf", b"%PDF-1.4 x"),
            Attachment("poster.csv", b"a;b\n", "text/csv"),
        ),
        sender_name="Rykkerbot for Ærø ApS",
    )
    msg = parse(to_mime(mail, "robot@firma.dk"))
    assert msg.get_content_type() == "multipart/mixed"
    assert msg["Subject"] == "Sag for Ærø"
    assert msg["From"].addresses[0].display_name == "Rykkerbot for Ærø ApS"
    assert msg["From"].addresses[0].addr_spec == "robot@firma.dk"
    assert "1.234,50 kr." in msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "<p>Beløb" in msg.get_body(("html",)).get_content()  # type: ignore[union-attr]
    files = {a.get_filename(): a.get_content() for a in msg.iter_attachments()}
    assert files == {"Rykker 3 - 10234 Ærø Å.pdf": b"%PDF-1.4 x", "poster.csv": "a;b\n"}
    assert all(b < 128 for b in to_mime(mail, "robot@firma.dk").as_bytes())  # 7-bit clean on the wire


def test_size_estimate_is_an_upper_bound_close_to_the_real_size() -> None:
    mail = Email(
        to=("a@firma.dk",),
        subject="Stor",
        text="æ" * 5000,
        html="<p>ø</p>" * 2000,
        attachments=tuple(Attachment(f"Faktura {n}.pdf", os.urandom(300_000)) for n in range(5)),
    )
    real = len(to_mime(mail, "robot@firma.dk").as_bytes())
    assert real <= mail.size_bytes <= real * 1.1


def test_small_mail_is_not_split() -> None:
    mail = Email(to=("a@firma.dk",), subject="Lille", text="x", attachments=(Attachment("a.pdf", b"x" * 1000),))
    assert split_by_size(mail, 1 * MB) == [mail]


def test_split_into_numbered_parts_keeps_every_attachment_in_order() -> None:
    attachments = tuple(Attachment(f"Faktura {10230 + n}.pdf", os.urandom(400_000 + n * 1000)) for n in range(7))
    mail = Email(
        to=("inkasso@partner.dk",),
        subject="Inkassosager fra Klient A/S",
        text="Sagerne.",
        html="<html><body><p>Sagerne.</p></body></html>",
        attachments=attachments,
    )
    limit = 1 * MB
    parts = split_by_size(mail, limit)

    assert len(parts) > 1
    n = len(parts)
    assert [p.subject for p in parts] == [f"Inkassosager fra Klient A/S (del {i} af {n})" for i in range(1, n + 1)]
    assert tuple(a for p in parts for a in p.attachments) == attachments
    for i, part in enumerate(parts, start=1):
        assert len(to_mime(part, "robot@firma.dk").as_bytes()) <= limit
        assert part.size_bytes <= limit
        assert f"del {i} af {n}" in part.text and "Sagerne." in part.text
        assert f"del {i} af {n}" in part.html and part.html.startswith("<html><body><p style")
        assert all(a.filename in part.text for a in part.attachments)
        assert part.to == mail.to


def test_an_attachment_larger_than_the_limit_gets_its_own_part_and_a_note() -> None:
    small1, huge, small2 = (
        Attachment("Faktura 1.pdf", b"a" * 100_000),
        Attachment("Kontoudtog.pdf", b"b" * 2 * MB),
        Attachment("Faktura 2.pdf", b"c" * 100_000),
    )
    mail = Email(to=("a@firma.dk",), subject="Sag", text="Sagen.", attachments=(small1, huge, small2))
    parts = split_by_size(mail, 1 * MB)
    assert [p.attachments for p in parts] == [(small1,), (huge,), (small2,)]
    assert "'Kontoudtog.pdf'" in parts[1].text and "større end grænsen" in parts[1].text
    assert "større end grænsen" not in parts[0].text


def test_a_single_oversized_attachment_is_sent_alone_with_the_note() -> None:
    huge = Attachment("Kontoudtog.pdf", b"b" * 2 * MB)
    mail = Email(to=("a@firma.dk",), subject="Sag", text="Sagen.", attachments=(huge,))
    [part] = split_by_size(mail, 1 * MB)
    assert part.subject == "Sag" and part.attachments == (huge,)
    assert "større end grænsen" in part.text
