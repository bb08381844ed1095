"""Rendering is pure: realistic data in, an Email with text and HTML parts out. No I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

import pytest
from jinja2 import UndefinedError

from bot.dunning.models import ReminderProposal
from bot.errors import SettingProblem
from bot.inkasso.models import Attachment, CaseFile, CaseProposal
from bot.ledger.models import Company, Contact, Customer, Invoice, Reminder
from bot.mail.formatting import STYLES, format_date, format_money, format_number
from bot.mail.render import (
    CaseResult,
    SendResult,
    languages,
    render_case_mail,
    render_case_status_report,
    render_inkasso_overview,
    render_parts,
    render_reminder_overview,
    render_send_report,
    render_settings_error,
)
from sheets_schema.statuses import CaseStatus, ProposalStatus

SHEET = "https://docs.google.com/spreadsheets/d/abc/edit?gid=1&range=A1"
EVIL = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://x","klik")'


def proposal(number: int, name: str, level: int, amount: str, fee: str, days: int) -> ReminderProposal:
    return ReminderProposal(
        proposal_id=f"R-{number}-{level}-{10000 + number}",
        customer_number=number,
        customer_name=name,
        invoice_numbers=(10000 + number, 10100 + number),
        amount=Decimal(amount),
        oldest_due=date(2026, 10, 1),
        days_overdue=days,
        level=level,
        fee=Decimal(fee),
        text="Vi har endnu ikke modtaget betaling.",
    )


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


# --- formats ---------------------------------------------------------------------------------------------


def test_danish_money_number_and_date_formats() -> None:
    assert format_money(Decimal("1234.5")) == "1.234,50 kr."
    assert format_money(Decimal("-1234567.005")) == "-1.234.567,01 kr."
    assert format_money(0) == "0,00 kr."
    assert format_money(Decimal("99.5"), "EUR") == "99,50 EUR"
    assert format_number(1234567) == "1.234.567"
    assert format_date(date(2026, 11, 23)) == "23-11-2026"
    assert format_date(None) == ""
    assert format_money(Decimal("1234.5"), style=STYLES["en"]) == "DKK 1,234.50"


# --- reminder overview ------------------------------------------------------------------------------------


def test_reminder_overview_holds_every_proposal_and_totals_per_level() -> None:
    mail = render_reminder_overview("Klient A/S", PROPOSALS, SHEET, ["bogholder@klient.dk"])
    assert mail.subject == "Rykkerforslag for Klient A/S: 4 rykkere klar til godkendelse"
    assert mail.to == ("bogholder@klient.dk",)
    assert_in_both(
        mail.text,
        mail.html,
        "Ærø Byg ApS",
        "1042",
        "11042, 11142",
        "12.345,50 kr.",
        "01-10-2026",
        "53",
        "1.000.000,00 kr.",
        "Hansen & Søn",
        "Rykker 2",
        "12.595,75 kr.",  # level 2: 12.345,50 + 250,25
        "1.013.095,75 kr.",
        "300,00 kr.",  # all amounts, all fees
    )
    assert SHEET in mail.text
    assert f'href="{SHEET.replace("&", "&amp;")}"' in mail.html
    # Highest level first, so the urgent ones are on top.
    assert mail.text.index(FORMULA) < mail.text.index("Ærø Byg ApS") < mail.text.index(EVIL)


def test_html_escapes_names_from_the_ledger() -> None:
    mail = render_reminder_overview("Klient <b>A/S</b>", PROPOSALS, SHEET, "bogholder@klient.dk")
    assert "<script>" not in mail.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in mail.html
    assert "Klient &lt;b&gt;A/S&lt;/b&gt;" in mail.html
    assert "=HYPERLINK(&#34;http://x&#34;,&#34;klik&#34;)" in mail.html
    assert 'HYPERLINK("' not in mail.html
    assert "Hansen &amp; Søn" in mail.html
    assert EVIL in mail.text  # the text part is plain text: shown as is, never interpreted


def test_reminder_overview_wording_for_one_none_and_full_auto() -> None:
    one = render_reminder_overview("Klient A/S", PROPOSALS[:1], SHEET, "a@klient.dk")
    assert one.subject == "Rykkerforslag for Klient A/S: 1 rykker klar til godkendelse"
    none = render_reminder_overview("Klient A/S", [], SHEET, "a@klient.dk")
    assert none.subject == "Rykkerforslag for Klient A/S: ingen rykkere i dag"
    assert "Ingen kunder" in none.text and "Ingen kunder" in none.html
    auto = render_reminder_overview("Klient A/S", PROPOSALS, SHEET, "a@klient.dk", full_auto_sent=True)
    assert auto.subject == "Rykkere sendt for Klient A/S: 4 rykkere sendt automatisk"
    assert_in_both(auto.text, auto.html, "fuldautomatisk", "12.345,50 kr.")
    assert "godkend" not in auto.text.lower()


def test_rendering_is_pure() -> None:
    first = render_reminder_overview("Klient A/S", PROPOSALS, SHEET, "a@klient.dk")
    assert render_reminder_overview("Klient A/S", PROPOSALS, SHEET, "a@klient.dk") == first


# --- settings error ---------------------------------------------------------------------------------------


def test_settings_error_says_which_cells_to_fix_and_that_nothing_was_sent() -> None:
    problems = [
        SettingProblem("Instruks!B12", "Modtagere af forslag", "'foo@' er ikke en gyldig e-mailadresse."),
        SettingProblem("Instruks!B9", "Undtagne kundenumre", "'12a' er ikke et kundenummer."),
    ]
    mail = render_settings_error(problems, "Klient A/S", "bogholder@klient.dk", sheet_url=SHEET)
    assert mail.subject == "Rykkerbot for Klient A/S: indstillingerne skal rettes – intet er sendt"
    assert_in_both(
        mail.text,
        mail.html,
        "Instruks!B12",
        "Modtagere af forslag",
        "'foo@' er ikke en gyldig",
        "Instruks!B9",
        "Undtagne kundenumre",
        "Intet er sendt",
    )
    assert "Instruks!B12 (Modtagere af forslag): 'foo@'" in mail.text


# --- send report ------------------------------------------------------------------------------------------


def test_send_report_lists_sent_levels_and_failures_with_reasons() -> None:
    results = [
        SendResult.from_proposal(PROPOSALS[0], ProposalStatus.SENT, reminder_number=5101),
        SendResult.from_proposal(PROPOSALS[2], ProposalStatus.SENT.value, reminder_number=5102),
        SendResult.from_proposal(
            PROPOSALS[1], ProposalStatus.FAILED, None, "Kunden har ingen e-mailadresse i e-conomic."
        ),
    ]
    mail = render_send_report("Klient A/S", results, "bogholder@klient.dk")
    assert mail.subject == "Rykkere sendt for Klient A/S: 2 sendt, 1 fejlede"
    assert_in_both(
        mail.text,
        mail.html,
        "5101",
        "5102",
        "Ærø Byg ApS",
        "Rykker 2",
        "Rykker 3",
        "Fejl",
        "Kunden har ingen e-mailadresse i e-conomic.",
        "12.345,50 kr.",
    )
    assert "&lt;script&gt;" in mail.html
    ok = render_send_report("Klient A/S", results[:1], "bogholder@klient.dk")
    assert ok.subject == "Rykkere sendt for Klient A/S: 1 sendt"
    assert "Ikke sendt" not in ok.text


# --- inkasso ----------------------------------------------------------------------------------------------


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


def test_inkasso_overview_lists_cases_with_claims_and_link() -> None:
    mail = render_inkasso_overview(
        "Klient A/S", [case_proposal(PRIVATE), case_proposal(CASE)], SHEET, "bogholder@klient.dk"
    )
    assert mail.subject == "Inkassoforslag for Klient A/S: 2 sager klar til godkendelse"
    assert_in_both(
        mail.text,
        mail.html,
        "Ærø Byg ApS",
        "10234, 10240",
        "12.345,50 kr.",
        "10.345,50 kr.",
        "10.545,50 kr.",
        "01-10-2026",
        "Bo Ørsted",
        "12.045,50 kr.",
    )  # 10.545,50 + 1.500,00
    assert mail.text.index("Ærø Byg ApS") < mail.text.index("Bo Ørsted")  # the largest claim first
    assert render_inkasso_overview("Klient A/S", [], SHEET, "a@klient.dk").subject.endswith("ingen sager i dag")


def test_case_mail_is_a_complete_case_file() -> None:
    mail = render_case_mail("Klient A/S", [CASE], "inkasso@partner.dk", reply_to="bogholderi@klient.dk")
    assert mail.subject == "Inkassosag fra Klient A/S: Ærø Byg ApS (kundenr. 1042), krav 10.545,50 kr."
    assert mail.reply_to == ("bogholderi@klient.dk",)
    assert_in_both(
        mail.text,
        mail.html,
        # creditor
        "Klient A/S",
        "12345678",
        "Søndergade 1",
        "8000 Aarhus C",
        "bogholderi@klient.dk",
        "+45 86 12 34 56",
        "Reg. 1234 konto 5678901",
        # debtor with contacts
        "87654321",
        "Havnevej 2",
        "5970 Ærøskøbing",
        "info@aeroebyg.dk",
        "+45 62 52 00 00",
        "Jens Hansen (Direktør)",
        "jens@aeroebyg.dk",
        "+45 20 20 20 20",
        "Mette Holm (Bogholder)",
        # postings: invoice, date, due, amount, paid, remaining
        "Faktura 10234",
        "01-08-2026",
        "31-08-2026",
        "10.000,00 kr.",
        "2.000,00 kr.",
        "8.000,00 kr.",
        "Faktura 10240",
        "2.345,50 kr.",
        # reminders
        "Rykker 1",
        "Rykker 3",
        "5003",
        "10-09-2026",
        "01-10-2026",
        "100,00 kr.",
        # totals, comment, attachments
        "10.345,50 kr.",
        "200,00 kr.",
        "10.545,50 kr.",
        "Kunden har lovet betaling tre gange uden at betale.",
        "Faktura 10234.pdf",
        "Rykker 3 - 10234.pdf",
    )
    assert mail.attachments == CASE.attachments


def test_case_mail_for_a_private_person_without_reminders() -> None:
    mail = render_case_mail("Klient A/S", [PRIVATE], "inkasso@partner.dk")
    assert_in_both(
        mail.text,
        mail.html,
        "privatperson",
        "Bo Ørsted",
        "Ingen rykkere registreret",
        "(ingen)",
    )
    assert "CVR: privatperson" in mail.text


def test_all_cases_in_one_mail() -> None:
    mail = render_case_mail("Klient A/S", [CASE, PRIVATE], "inkasso@partner.dk")
    assert mail.subject == "Inkassosager fra Klient A/S: 2 sager, samlet krav 12.045,50 kr."
    assert_in_both(mail.text, mail.html, "Sag 1 af 2: Ærø Byg ApS", "Sag 2 af 2: Bo Ørsted", "I-77-300")
    assert mail.attachments == CASE.attachments + PRIVATE.attachments


def test_same_file_name_in_two_cases_is_kept_apart() -> None:
    other = replace(PRIVATE, attachments=(Attachment("Faktura 10234.pdf", b"%PDF other"),))
    mail = render_case_mail("Klient A/S", [CASE, other], "inkasso@partner.dk")
    names = [a.filename for a in mail.attachments]
    assert names == ["Faktura 10234.pdf", "Faktura 10240.pdf", "Rykker 3 - 10234.pdf", "Faktura 10234 (2).pdf"]
    assert "Faktura 10234 (2).pdf" in mail.text


def test_case_status_report_lists_created_and_failed() -> None:
    results = [
        CaseResult.from_case(case_proposal(CASE), CaseStatus.CREATED),
        CaseResult.from_case(case_proposal(PRIVATE), CaseStatus.FAILED, "Faktura 300 kunne ikke hentes som PDF."),
    ]
    mail = render_case_status_report("Klient A/S", results, "bogholder@klient.dk", inkasso_email="inkasso@partner.dk")
    assert mail.subject == "Inkassosager for Klient A/S: 1 oprettet, 1 fejlede"
    assert mail.to == ("bogholder@klient.dk",)
    assert_in_both(
        mail.text,
        mail.html,
        "inkasso@partner.dk",
        "Ærø Byg ApS",
        "10.545,50 kr.",
        "10234, 10240",
        "Bo Ørsted",
        "I-77-300",
        "Faktura 300 kunne ikke hentes som PDF.",
        "Fejl",
    )


def test_case_status_report_from_sheet_rows_without_amounts() -> None:
    """A flow may only know what the sheet row says: no invoices or claim. The report still reads well."""
    results = [
        CaseResult("I-1042-10234", 1042, "Ærø Byg ApS", CaseStatus.CREATED.value),
        CaseResult("I-77-300", 77, "Bo Ørsted", CaseStatus.FAILED.value, "Kunden findes ikke længere."),
    ]
    mail = render_case_status_report("Klient A/S", results, ("bogholder@klient.dk",))
    assert_in_both(mail.text, mail.html, "I-1042-10234", "Bo Ørsted", "Kunden findes ikke længere.")
    assert "krav" not in mail.text.lower().split("oprettet:")[1].split("fejlede:")[0]
    assert "()" not in mail.text


# --- strictness and languages -----------------------------------------------------------------------------


def test_missing_variable_raises() -> None:
    with pytest.raises(UndefinedError, match="proposals"):
        render_parts("reminder_overview", {"client_name": "Klient A/S", "sheet_url": SHEET, "full_auto_sent": False})


def test_missing_field_on_an_object_raises() -> None:
    @dataclass(frozen=True)
    class Incomplete:  # a proposal without fee, oldest_due, ...
        customer_name: str
        customer_number: int
        level: int

    with pytest.raises(UndefinedError):
        render_parts(
            "reminder_overview",
            {
                "client_name": "Klient A/S",
                "sheet_url": SHEET,
                "full_auto_sent": False,
                "proposals": [Incomplete("Ærø Byg ApS", 1042, 2)],
                "levels": [],
                "total_amount": 0,
                "total_fees": 0,
            },
        )


def test_language_folder_with_danish_fallback() -> None:
    assert {"da", "en"} <= set(languages())
    mail = render_case_mail("Klient A/S", [CASE], "inkasso@partner.eu", language="en")
    assert mail.subject == "Debt collection case from Klient A/S: Ærø Byg ApS (customer no. 1042), claim DKK 10,545.50"
    assert_in_both(mail.text, mail.html, "Total claim", "DKK 10,545.50", "01 Oct 2026", "Jens Hansen (Direktør)")
    assert 'lang="en"' in mail.html
    # No English overview template yet: the Danish one is used.
    fallback = render_reminder_overview("Klient A/S", PROPOSALS, SHEET, "a@klient.dk", language="en")
    assert fallback.subject.startswith("Rykkerforslag")
    with pytest.raises(ValueError, match="no mail templates for language 'xx'"):
        render_case_mail("Klient A/S", [CASE], "a@klient.dk", language="xx")
