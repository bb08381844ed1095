"""Sample data and assertions shared by the mail tests (no I/O)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal

from fpdf import FPDF

from bot.dunning.models import ReminderProposal
from bot.dunning.outcomes import SendOutcome, SendTarget
from bot.inkasso.models import CaseFile, CaseProposal
from bot.records import Attachment, Company, Contact, Customer, Invoice, Reminder
from sheets_schema import ProposalStatus

SHEET = "https://docs.google.com/spreadsheets/d/abc/edit?gid=1&range=A1"
EVIL = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://x","klik")'


def make_pdf(title: str) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.cell(text=title)
    return bytes(pdf.output())


def proposal(number: int, name: str, step: int, amount: str, fee: str, days: int) -> ReminderProposal:
    return ReminderProposal(
        proposal_id=f"R-{number}-{step}-{10000 + number}",
        customer_number=number,
        customer_name=name,
        invoice_numbers=(10000 + number, 10100 + number),
        amount=Decimal(amount),
        oldest_due=date(2026, 10, 1),
        days_overdue=days,
        step=step,
        fee=Decimal(fee),
        text="Vi har endnu ikke modtaget betaling.",
    )



def outcome(p: ReminderProposal, status: ProposalStatus, reminder_number: int | None = None,
            message: str = "") -> SendOutcome:
    """What became of proposal ``p`` in a send, as the flow reports it (its row read back as the target)."""
    target = SendTarget(row=2, proposal_id=p.proposal_id, customer_number=p.customer_number,
                        customer_name=p.customer_name, invoice_numbers=p.invoice_numbers, amount=p.amount,
                        step=p.step, fee=p.fee, status=status.value, currency=p.currency, template=p.template)
    return SendOutcome(target, status, reminder_number, message)

PROPOSALS = [
    proposal(1042, "Ærø Byg ApS", 2, "12345.50", "100", 53),
    proposal(7, EVIL, 1, "500", "0", 12),
    proposal(8, FORMULA, 3, "1000000", "100", 90),
    proposal(9, "Hansen & Søn", 2, "250.25", "100", 40),
]

CREDITOR = Company(
    name="Klient A/S",
    cvr="12345678",
    address="Søndergade 1",
    postal_code="8000",
    city="Aarhus C",
    email="bogholderi@klient.dk",
    phone="+45 86 12 34 56",
    bank_account="Reg. 1234 konto 5678901",
)

DEBTOR = Customer(
    number=1042,
    name="Ærø Byg ApS",
    cvr="87654321",
    country="DK",
    email="info@aeroebyg.dk",
    group="Erhverv",
    payment_term=1,
    active=True,
    address="Havnevej 2",
    postal_code="5970",
    city="Ærøskøbing",
    phone="+45 62 52 00 00",
    contacts=(
        Contact("Jens Hansen", "Direktør", "jens@aeroebyg.dk", "+45 20 20 20 20"),
        Contact("Mette Holm", "Bogholder", "mette@aeroebyg.dk"),
    ),
)

INVOICES = (
    Invoice(10234, 1042, date(2026, 8, 1), date(2026, 8, 31), Decimal("10000.00"), Decimal("8000.00")),
    Invoice(10240, 1042, date(2026, 8, 5), date(2026, 9, 4), Decimal("2345.50"), Decimal("2345.50")),
)
REMINDERS = (
    Reminder(5001, 1042, 1, date(2026, 9, 10), (10234,), Decimal("0"), Decimal("8000")),
    Reminder(5002, 1042, 2, date(2026, 9, 20), (10234, 10240), Decimal("100"), Decimal("10345.50")),
    Reminder(5003, 1042, 3, date(2026, 10, 1), (10234, 10240), Decimal("100"), Decimal("10345.50")),
)
CASE = CaseFile(
    case_id="I-1042-10234-10240",
    creditor=CREDITOR,
    debtor=DEBTOR,
    invoices=INVOICES,
    reminders=REMINDERS,
    comment="Kunden har lovet betaling tre gange uden at betale.",
    attachments=(
        Attachment("Faktura 10234.pdf", b"%PDF-1.4 a"),
        Attachment("Faktura 10240.pdf", b"%PDF-1.4 b"),
        Attachment("Rykker 3 - 10234.pdf", b"%PDF-1.4 c"),
    ),
)
PRIVATE = replace(
    CASE,
    case_id="I-77-300",
    comment="",
    debtor=replace(DEBTOR, number=77, name="Bo Ørsted", cvr="", contacts=(), email="", phone=""),
    invoices=(Invoice(300, 77, date(2026, 7, 1), date(2026, 7, 15), Decimal("1500"), Decimal("1500")),),
    reminders=(),
    attachments=(Attachment("Faktura 300.pdf", b"%PDF-1.4 d"),),
)


def visible(html: str) -> str:
    """The HTML's text with tags removed and entities for &, <, >, " undone (what a reader sees)."""
    text = re.sub(r"<[^>]+>", " ", html)
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&#34;", '"'), ("&#39;", "'"), ("&quot;", '"'), ("&amp;", "&")):
        text = text.replace(entity, char)
    return " ".join(text.split())


def assert_in_both(mail_text: str, mail_html: str, *facts: str) -> None:
    seen = visible(mail_html)
    for fact in facts:
        assert fact in mail_text, f"{fact!r} missing from the text part"
        assert fact in seen, f"{fact!r} missing from the HTML part"

def case_proposal(case: CaseFile) -> CaseProposal:
    return CaseProposal(
        case_id=case.case_id,
        customer_number=case.debtor.number,
        customer_name=case.debtor.name,
        invoice_numbers=tuple(i.number for i in case.invoices),
        original_amount=sum((i.amount for i in case.invoices), Decimal(0)),
        remaining=case.remaining,
        reminders=case.reminders,
        claim=case.claim,
    )
