"""Rendering the inkasso mails: the overview, the case file for the collection partner and the status
report. Pure, no I/O."""

from __future__ import annotations

from dataclasses import replace

from bot.records import Attachment
from bot.texts.render import CaseResult, render_case_mail, render_case_status_report, render_inkasso_overview
from sheets_schema.statuses import CaseStatus
from tests.mail_samples import (
    CASE,
    PRIVATE,
    SHEET,
    assert_in_both,
    case_proposal,
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
