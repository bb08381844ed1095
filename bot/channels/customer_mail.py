"""The reminder mail to the customer: composed from the step's templates, with the invoices and the letter attached.

From is the client company (its name and address: a per-client setting; with Gmail a verified send-as alias of
the robot's account, with SMTP an address the server may send as), Reply-To the bookkeeper, and a copy to the
client's finance address, as Cc or Bcc (a setting). Subject and body are the bookkeeper's templates for the step
(the Danish defaults in ``bot/texts/templates/da/customer_reminder.subject.j2`` and ``.body.j2`` when a cell is
empty), rendered sandboxed with the claim's fields (``bot.channels.claim``); the text and HTML parts wrap the body
with the invoice table (``customer_reminder.txt.j2`` / ``.html.j2``, our own autoescaped templates).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from markupsafe import Markup

from bot.addresses import normalize_address
from bot.channels.claim import SAMPLE_FIELDS, Claim
from bot.channels.letter import letters_pdf
from bot.channels.roles import RecipientChoice
from bot.channels.templating import check_user_template, render_user_template, text_to_html
from bot.errors import SettingProblem, SettingsError
from bot.mail.message import Email
from bot.records import Attachment
from bot.texts.render import DEFAULT_LANGUAGE, TEMPLATES, render_parts

__all__ = ["DEFAULT_BODY", "DEFAULT_SUBJECT", "ClientIdentity", "CopyMode", "StepTexts", "check_step_texts",
           "check_template", "compose_customer_mail", "message_id_for"]

DEFAULT_SUBJECT = (TEMPLATES / DEFAULT_LANGUAGE / "customer_reminder.subject.j2").read_text(encoding="utf-8").strip()
DEFAULT_BODY = (TEMPLATES / DEFAULT_LANGUAGE / "customer_reminder.body.j2").read_text(encoding="utf-8").strip()
SUBJECT_FIELD = "Emne"
BODY_FIELD = "Tekst"


class CopyMode(StrEnum):
    """How the client's finance address gets its copy (the sheet's choice)."""

    CC = "Cc"  # the customer sees it
    BCC = "Bcc"  # the customer does not


@dataclass(frozen=True)
class ClientIdentity:
    """Who a customer mail is from: a per-client setting."""

    name: str  # "Klient A/S"
    address: str  # "bogholderi@klient.dk"
    reply_to: tuple[str, ...] = ()  # the bookkeeper
    finance: tuple[str, ...] = ()  # the client's finance address, copied on every mail
    copy: CopyMode = CopyMode.BCC


@dataclass(frozen=True)
class StepTexts:
    """A step's subject and body templates as typed in the sheet ("" = the Danish default) and their cells."""

    subject: str = ""
    body: str = ""
    subject_cell: str = ""
    body_cell: str = ""

    @property
    def subject_template(self) -> str:
        return self.subject.strip() or DEFAULT_SUBJECT

    @property
    def body_template(self) -> str:
        return self.body.strip() or DEFAULT_BODY


def check_template(text: str, cell: str, field: str = BODY_FIELD) -> None:
    """``SettingsError`` naming ``cell`` when ``text`` names an unknown field, tries to reach past the fields
    (``{{ ''.__class__ }}``) or cannot be parsed; None when it renders with every field."""
    check_user_template(text, cell, field, SAMPLE_FIELDS)


def check_step_texts(texts: Mapping[int, StepTexts]) -> None:
    """Check every step's subject and body before anything is sent: one ``SettingsError`` with all problems."""
    problems: list[SettingProblem] = []
    for step in sorted(texts):
        t = texts[step]
        for text, cell, field in ((t.subject_template, t.subject_cell, f"Trin {step}: {SUBJECT_FIELD}"),
                                  (t.body_template, t.body_cell, f"Trin {step}: {BODY_FIELD}")):
            try:
                check_template(text, cell, field)
            except SettingsError as e:
                problems.extend(e.problems)
    if problems:
        raise SettingsError(problems)


_ID_UNSAFE = re.compile(r"[^A-Za-z0-9.-]+")


def message_id_for(job_id: str, line_id: str, sender_address: str) -> str:
    """The same ``<...@domain>`` for the same job and reminder line (customer, currency, step, first invoice), so
    a rerun can ask the provider whether it went out."""
    domain = normalize_address(sender_address, "Afsender").rsplit("@", 1)[1]
    left = ".".join(_ID_UNSAFE.sub("-", part).strip("-") or "x" for part in ("rykker", job_id, line_id))
    return f"<{left}@{domain}>"


def attachments_for(claim: Claim, invoice_pdfs: Mapping[int, bytes], letter: bytes) -> tuple[Attachment, ...]:
    """The invoices' PDFs (every invoice of the claim: ``KeyError`` if one is missing) and the letter last."""
    invoices = tuple(Attachment(f"Faktura {i.number}.pdf", invoice_pdfs[i.number]) for i in claim.invoices)
    return (*invoices, Attachment(f"Rykker {claim.step} - kundenr. {claim.customer.number}.pdf", letter))


def compose_customer_mail(claim: Claim, recipients: RecipientChoice, identity: ClientIdentity, texts: StepTexts,
                          invoice_pdfs: Mapping[int, bytes], message_id: str = "") -> Email:
    """The reminder mail for ``claim``. ``invoice_pdfs``: the PDF of every invoice in the claim, by number (the
    flow fetches them with ``ledger.invoice_pdf``; a missing one is a ``KeyError``: report it, do not send).
    Templates are rendered sandboxed; a problem is a ``SettingsError`` naming the cell (check them first with
    ``check_step_texts``)."""
    fields = claim.fields()
    subject = " ".join(render_user_template(texts.subject_template, fields, texts.subject_cell,
                                            f"Trin {claim.step}: {SUBJECT_FIELD}").split())
    if not subject:
        raise SettingsError(SettingProblem(texts.subject_cell, f"Trin {claim.step}: {SUBJECT_FIELD}",
                                           "Emnet bliver tomt. Skriv et emne, fx Rykker {{ trin }}."))
    body = render_user_template(texts.body_template, fields, texts.body_cell, f"Trin {claim.step}: {BODY_FIELD}")
    body = body.strip() + "\n"
    letter = letters_pdf([claim.letter(body)], title=f"Rykker {claim.step} - {claim.customer.name}")
    attachments = attachments_for(claim, invoice_pdfs, letter)
    sender_lines = [s for s in claim.letter("").sender]
    context = {
        "client_name": identity.name,
        "subject_line": subject,
        "body_text": body.rstrip(),
        "body_html": Markup(text_to_html(body)),  # noqa: S704 - escaped as a whole by text_to_html
        "c": fields,
        "totals": [(label, m.text()) for label, m in claim.totals()],
        "attachments": [a.filename for a in attachments],
        "sender_lines": sender_lines,
    }
    _, text, html = render_parts("customer_reminder", context)
    copy = tuple(a for a in identity.finance if a not in recipients.addresses)
    return Email(
        to=recipients.addresses,
        subject=subject,
        text=text,
        html=html,
        cc=copy if identity.copy is CopyMode.CC else (),
        bcc=copy if identity.copy is CopyMode.BCC else (),
        reply_to=identity.reply_to,
        attachments=attachments,
        sender_name=identity.name,
        from_address=identity.address,
        message_id=message_id,
    )
