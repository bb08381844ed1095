"""Customer mails end to end through a real SMTP server (aiosmtpd): recipients by role, the client as sender, the
bookkeeper as Reply-To, finance copied, the invoice PDFs and the letter attached; the report lists the errors."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from email.message import EmailMessage
from typing import Any

import pytest
from pypdf import PdfReader

from bot.channels.customer_mail import ClientIdentity, CopyMode, StepTexts, message_id_for
from bot.channels.dispatch import MailRun, collect_letters, send_customer_mails
from bot.channels.roles import parse_patterns
from bot.dunning.engine import InvoiceStep, ReminderLine
from bot.dunning.money import Money
from bot.dunning.templates import Channel, Step, Template
from bot.errors import NotInLedger, SettingsError
from bot.mail.smtp import SmtpConfig, SmtpMailer, SmtpSecurity
from bot.records import Company, Contact, Customer, Invoice
from bot.texts.report import ChannelReport, ErrorKind, Outcome, render_channel_report
from sheets_schema import LogAction
from tests.inbox import Inbox
from tests.mail_samples import make_pdf

TODAY = date(2026, 11, 25)
COMPANY = Company(name="Klient A/S", cvr="87654321", address="Hovedgaden 2", postal_code="1000", city="København K",
                  email="bogholderi@klient.dk", phone="12 34 56 78", bank_account="Reg. 1234 konto 0001234567")
IDENTITY = ClientIdentity(name="Klient A/S", address="bogholderi@klient.dk", reply_to=("bogholder@bureau.dk",),
                          finance=("finans@klient.dk",), copy=CopyMode.CC)
TEMPLATE = Template("Standard", 1, (Step(10, Decimal(100), Channel.EMAIL), Step(10, Decimal(100), Channel.LETTER)))


def customer(number: int, name: str, email: str = "", contacts: tuple[Contact, ...] = (),
             address: str = "Søndergade 1") -> Customer:
    return Customer(number=number, name=name, cvr="12345678", country="DK", email=email, group="Erhverv",
                    payment_term=1, active=True, address=address, postal_code="8000", city="Aarhus C",
                    contacts=contacts)


def line(c: Customer, invoice_numbers: Sequence[int], step: int = 1, channel: Channel = Channel.EMAIL
         ) -> ReminderLine:
    invoices = [Invoice(n, c.number, TODAY - timedelta(days=40), TODAY - timedelta(days=25 + i),
                        Decimal("1000.00") + i, Decimal("1000.00") + i) for i, n in enumerate(invoice_numbers)]
    items = tuple(InvoiceStep(inv, TEMPLATE, step, TODAY, Decimal(100), Decimal(0)) for inv in invoices)
    return ReminderLine(customer_number=c.number, customer_name=c.name, currency="DKK", rule="Erhverv", items=items,
                        credits=(), amount=Money(sum((i.remaining for i in invoices), Decimal(0)), "DKK"),
                        fee=Money(Decimal(100), "DKK"), compensation=Money(Decimal(0), "DKK"), step=step,
                        template=TEMPLATE, channel=channel, text="", recipients=(c.email,) if c.email else (),
                        notes=())


@dataclass
class Ledger:
    """The customer and PDF reads of the ledger port, over fixed data (real PDFs made with fpdf2)."""

    customers: Mapping[int, Customer]
    withheld: set[int] = field(default_factory=set)  # invoices whose PDF the ledger will not give
    pdf_reads: list[int] = field(default_factory=list)

    def customer(self, number: int) -> Customer:
        if number not in self.customers:
            raise NotInLedger(f"Kunde {number} findes ikke i regnskabet")
        return self.customers[number]

    def invoice_pdf(self, number: int) -> bytes:
        self.pdf_reads.append(number)
        if number in self.withheld:
            raise NotInLedger(f"Faktura {number} kan ikke hentes som PDF")
        return make_pdf(f"Faktura {number}")


@dataclass
class MemoryJournal:
    """The journal's record/latest over a list (the Log tab itself is exercised in test_channels_delivery)."""

    lines: list[tuple[str, str, str]] = field(default_factory=list)

    def record(self, action: Any, key: str = "", details: str = "") -> None:
        self.lines.append((action.value, key, details))

    def latest(self, actions: Sequence[Any]) -> dict[str, Any]:
        wanted = {a.value: a for a in actions}
        return {k: wanted[a] for a, k, _ in self.lines if a in wanted}


def smtp(inbox: Inbox) -> SmtpMailer:
    return SmtpMailer(SmtpConfig(host="127.0.0.1", port=inbox.port, from_address="robot@bureau.dk",
                                 security=SmtpSecurity.PLAIN, timeout=10))


def mail_run(identity: ClientIdentity = IDENTITY, job_id: str = "job-7", **kwargs: Any) -> MailRun:
    return MailRun(job_id=job_id, today=TODAY, company=COMPANY, identity=identity,
                   patterns=parse_patterns("Conta, %Manage"), **kwargs)


ROLES = customer(1001, "Ærø Byg ApS", "info@aeroe.dk", (
    Contact("Ana Ionescu", "Contabilitate", "ana@aeroe.dk"),
    Contact("Bo Berg", "Project Manager", "bo@aeroe.dk"),
    Contact("Di Dam", "Lager", "di@aeroe.dk"),
))
OWN_EMAIL = customer(1002, "Solo ApS", "regnskab@solo.dk")
NOBODY = customer(1003, "Ingen Kontakt ApS", "", (Contact("Di Dam", "Lager", "di@ingen.dk"),))
NO_PDF = customer(1004, "Papirløs ApS", "post@papirloes.dk")
LETTER = customer(1005, "Brev Hansen", "")


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def attachments(msg: EmailMessage) -> dict[str, bytes]:
    return {str(p.get_filename()): bytes(p.get_payload(decode=True)) for p in msg.iter_attachments()}


def test_three_customers_get_exactly_the_expected_mails_and_the_report_lists_the_errors(inbox: Inbox) -> None:
    ledger = Ledger({c.number: c for c in (ROLES, OWN_EMAIL, NOBODY, NO_PDF, LETTER)}, withheld={40401})
    lines = [line(ROLES, [10101, 10102]), line(OWN_EMAIL, [20201]), line(NOBODY, [30301]), line(NO_PDF, [40401]),
             line(LETTER, [50501], step=2, channel=Channel.LETTER)]
    report = ChannelReport("Klient A/S", TODAY)
    journal = MemoryJournal()
    run = mail_run()

    sent = send_customer_mails(lines, ledger, smtp(inbox), journal, run, report)
    letters = collect_letters(lines, ledger, run, report)

    assert sent == 2 and len(inbox.messages) == 2
    to_roles, to_own = inbox.messages
    assert to_roles["To"].addresses[0].addr_spec == "ana@aeroe.dk"
    assert [a.addr_spec for a in to_roles["To"].addresses] == ["ana@aeroe.dk", "bo@aeroe.dk"]  # not Di (Lager)
    assert [a.addr_spec for a in to_own["To"].addresses] == ["regnskab@solo.dk"]
    for msg, c in ((to_roles, ROLES), (to_own, OWN_EMAIL)):
        sender = msg["From"].addresses[0]
        assert (sender.display_name, sender.addr_spec) == ("Klient A/S", "bogholderi@klient.dk")
        assert str(msg["Reply-To"]) == "bogholder@bureau.dk"
        assert str(msg["Cc"]) == "finans@klient.dk"
        assert msg["Bcc"] is None
        assert str(msg["Message-ID"]) == message_id_for("job-7", lines[[ROLES, OWN_EMAIL].index(c)].line_id,
                                                        "bogholderi@klient.dk")
        assert msg.get_body(preferencelist=("html",)) is not None
    envelopes = {tuple(rcpt) for _, rcpt in inbox.envelopes}
    assert ("ana@aeroe.dk", "bo@aeroe.dk", "finans@klient.dk") in envelopes
    assert ("regnskab@solo.dk", "finans@klient.dk") in envelopes

    files = attachments(to_roles)
    assert sorted(files) == ["Faktura 10101.pdf", "Faktura 10102.pdf", "Rykker 1 - kundenr. 1001.pdf"]
    assert "Faktura 10101" in pdf_text(files["Faktura 10101.pdf"])
    assert "Faktura 10102" in pdf_text(files["Faktura 10102.pdf"])
    letter_text = pdf_text(files["Rykker 1 - kundenr. 1001.pdf"])
    assert "Att. Ana Ionescu" in letter_text and "10102" in letter_text
    assert "Kære Ana Ionescu" in inbox.text_of(to_roles)
    assert str(to_roles["Subject"]) == "Rykker 1: fakturaer 10101, 10102 fra Klient A/S"

    errors = {e.customer_number: e for e in report.of(Outcome.ERROR)}
    assert sorted(errors) == [1003, 1004]
    assert "mangler kontakt med rollen 'Conta' eller '%Manage'" in errors[1003].detail
    assert errors[1004].kind == ErrorKind.PDF_MISSING and "40401" in errors[1004].detail
    assert errors[1003].todo and errors[1004].todo
    assert [(e.customer_number, e.channel, e.step) for e in report.of(Outcome.NOTIFIED)] == [
        (1005, Channel.LETTER.value, 2), (1001, Channel.EMAIL.value, 1), (1002, Channel.EMAIL.value, 1)]
    assert [a for a, _, _ in journal.lines] == [LogAction.CUSTOMER_MAIL_SENDING.value,
                                                LogAction.CUSTOMER_MAIL_SENT.value] * 2

    assert letters is not None and report.letters == 1
    assert "Brev Hansen" in pdf_text(letters)
    smtp(inbox).send(render_channel_report(report, "bogholder@bureau.dk", letters))
    report_mail = inbox.messages[2]
    text = inbox.text_of(report_mail)
    assert "2 fejl" in str(report_mail["Subject"]) and "3 underrettet" in str(report_mail["Subject"])
    assert "Ingen Kontakt ApS (kundenr. 1003)" in text and "mangler kontakt med rollen" in text
    assert "Papirløs ApS (kundenr. 1004)" in text and "Hvad gør jeg" in text
    assert "E-mail til kunden, trin 1: 2" in text and "Brev, trin 2: 1" in text
    assert len(PdfReader(io.BytesIO(attachments(report_mail)["Breve 2026-11-25.pdf"])).pages) >= 1


def test_bcc_reaches_finance_without_the_customer_seeing_it(inbox: Inbox) -> None:
    identity = ClientIdentity(name="Klient A/S", address="bogholderi@klient.dk", reply_to=("bogholder@bureau.dk",),
                              finance=("finans@klient.dk",), copy=CopyMode.BCC)
    send_customer_mails([line(OWN_EMAIL, [20201])], Ledger({1002: OWN_EMAIL}), smtp(inbox), MemoryJournal(),
                        mail_run(identity), ChannelReport("Klient A/S", TODAY))
    msg, = inbox.messages
    assert msg["Bcc"] is None and msg["Cc"] is None
    assert inbox.envelopes[0][1] == ["regnskab@solo.dk", "finans@klient.dk"]


def test_a_bad_template_stops_the_run_before_any_mail(inbox: Inbox) -> None:
    run = mail_run(texts={1: StepTexts(subject="Rykker til {{ kunde.navn.__class__ }}", subject_cell="Skabeloner!B2")})
    ledger = Ledger({1002: OWN_EMAIL})
    with pytest.raises(SettingsError) as info:
        send_customer_mails([line(OWN_EMAIL, [20201])], ledger, smtp(inbox), MemoryJournal(), run,
                            ChannelReport("Klient A/S", TODAY))
    assert info.value.problems[0].cell == "Skabeloner!B2"
    assert inbox.messages == [] and ledger.pdf_reads == []


def test_the_step_templates_from_the_sheet_are_used(inbox: Inbox) -> None:
    texts = {1: StepTexts(subject="Betaling mangler – {{ kunde.navn }} ({{ antal_fakturaer }})",
                          body="Hej {{ kunde.kontakt }}\n\nI skylder {{ i_alt }}.{% for f in fakturaer %}\n"
                               "Faktura {{ f.nummer }}: {{ f.restbeloeb }}{% endfor %}")}
    send_customer_mails([line(OWN_EMAIL, [20201])], Ledger({1002: OWN_EMAIL}), smtp(inbox), MemoryJournal(),
                        mail_run(texts=texts), ChannelReport("Klient A/S", TODAY))
    msg, = inbox.messages
    assert str(msg["Subject"]) == "Betaling mangler – Solo ApS (1)"
    text = inbox.text_of(msg)
    assert "Hej Solo ApS" in text and "I skylder 1.100,00 kr." in text and "Faktura 20201: 1.000,00 kr." in text
