"""Rendering is pure: realistic data in, an Email with text and HTML parts out. No I/O. (Inkasso mails:
test_mail_render_inkasso.py.)"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from jinja2 import UndefinedError

from bot.errors import SettingProblem
from bot.formats import day as format_date
from bot.formats import money as format_money
from bot.formats import number as format_number
from bot.texts.render import (
    languages,
    render_case_mail,
    render_parts,
    render_reminder_overview,
    render_send_report,
    render_settings_error,
)
from sheets_schema.statuses import ProposalStatus
from tests.mail_samples import (
    CASE,
    EVIL,
    FORMULA,
    PROPOSALS,
    SHEET,
    assert_in_both,
    outcome,
)

# --- formats ---------------------------------------------------------------------------------------------


def test_danish_money_number_and_date_formats() -> None:
    assert format_money(Decimal("1234.5")) == "1.234,50 kr."
    assert format_money(Decimal("-1234567.005")) == "-1.234.567,01 kr."
    assert format_money(0) == "0,00 kr."
    assert format_money(Decimal("99.5"), "EUR") == "99,50 EUR"
    assert format_number(1234567) == "1.234.567"
    assert format_date(date(2026, 11, 23)) == "23-11-2026"
    assert format_date(None) == ""
    assert format_money(Decimal("1234.5"), locale="en_GB") == "DKK 1,234.50"


# --- reminder overview ------------------------------------------------------------------------------------


def test_reminder_overview_holds_every_proposal_and_totals_per_step() -> None:
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
        "12.595,75 kr.",  # step 2: 12.345,50 + 250,25
        "1.013.095,75 kr.",
        "300,00 kr.",  # all amounts, all fees
    )
    assert SHEET in mail.text
    assert f'href="{SHEET.replace("&", "&amp;")}"' in mail.html
    # Highest step first, so the urgent ones are on top.
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


def test_send_report_lists_sent_steps_and_failures_with_reasons() -> None:
    results = [
        outcome(PROPOSALS[0], ProposalStatus.SENT, reminder_number=5101),
        outcome(PROPOSALS[2], ProposalStatus.SENT, reminder_number=5102),
        outcome(PROPOSALS[1], ProposalStatus.FAILED, None, "Kunden har ingen e-mailadresse i e-conomic."),
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


# --- strictness and languages -----------------------------------------------------------------------------


def test_missing_variable_raises() -> None:
    with pytest.raises(UndefinedError, match="proposals"):
        render_parts("reminder_overview", {"client_name": "Klient A/S", "sheet_url": SHEET, "full_auto_sent": False})


def test_missing_field_on_an_object_raises() -> None:
    @dataclass(frozen=True)
    class Incomplete:  # a proposal without fee, oldest_due, ...
        customer_name: str
        customer_number: int
        step: int

    with pytest.raises(UndefinedError):
        render_parts(
            "reminder_overview",
            {
                "client_name": "Klient A/S",
                "sheet_url": SHEET,
                "full_auto_sent": False,
                "proposals": [Incomplete("Ærø Byg ApS", 1042, 2)],
                "steps": [],
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
