"""Templates typed in the sheet (pure): rendered sandboxed, and refused with the cell named before a send."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.channels.claim import SAMPLE_FIELDS, sample_claim
from bot.channels.customer_mail import (
    DEFAULT_BODY,
    DEFAULT_SUBJECT,
    ClientIdentity,
    StepTexts,
    check_step_texts,
    check_template,
    compose_customer_mail,
)
from bot.channels.roles import RecipientChoice
from bot.channels.templating import render_user_template, text_to_html
from bot.errors import SettingsError
from bot.records import Contact

ESCAPES = [
    "{{ ''.__class__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ kunde['__class__'] }}",
    "{{ kunde|attr('__class__') }}",
    "{{ fakturaer.__len__() }}",
    "{% for f in fakturaer %}{{ f._private }}{% endfor %}",
    "{{ 'x' * 100000 }}",
    "{{ 9 ** 9 ** 9 }}",
    "{{ fakturaer.append(1) }}",
    "{% for c in ''.__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
]


@pytest.mark.parametrize("text", ESCAPES)
def test_escapes_from_the_sandbox_are_refused_with_the_cell(text: str) -> None:
    with pytest.raises(SettingsError) as info:
        check_template(text, "Skabeloner!C7")
    problem = info.value.problems[0]
    assert problem.cell == "Skabeloner!C7"
    assert "Skabeloner!C7" in str(info.value)
    assert "<class" not in str(info.value)


@pytest.mark.parametrize(("text", "name"), [
    ("Kære {{ kundenavn }}", "kundenavn"),
    ("{{ kunde.telefonnummer }}", "kunde.telefonnummer"),
    ("{% if trin > 5 %}{{ kunde.fax }}{% endif %}", "kunde.fax"),  # a branch the sample does not take
    ("{% for f in fakturaer %}{{ f.moms }}{% endfor %}", "moms"),
])
def test_an_unknown_field_is_named_with_the_fields_there_are(text: str, name: str) -> None:
    with pytest.raises(SettingsError) as info:
        check_template(text, "Skabeloner!D3", "Trin 2: Emne")
    problem = info.value.problems[0]
    assert (problem.cell, problem.field) == ("Skabeloner!D3", "Trin 2: Emne")
    assert f"'{name}'" in problem.message and "kunde.navn" in problem.message


def test_a_syntax_error_names_the_line() -> None:
    with pytest.raises(SettingsError) as info:
        check_template("Hej\n{{ kunde.navn ", "Skabeloner!C4")
    assert "linje 2" in info.value.problems[0].message


def test_every_known_field_renders() -> None:
    text = " ".join(f"{{{{ {k}.{s} }}}}" if isinstance(v, dict) else f"{{{{ {k} }}}}"
                    for k, v in SAMPLE_FIELDS.items() for s in (v if isinstance(v, dict) else [None]))
    check_template(text, "Skabeloner!C2")
    rendered = render_user_template(text, SAMPLE_FIELDS, "Skabeloner!C2", "Tekst")
    assert SAMPLE_FIELDS["kunde"]["navn"] in rendered and SAMPLE_FIELDS["i_alt"] in rendered


def test_the_danish_defaults_pass_their_own_check() -> None:
    check_template(DEFAULT_SUBJECT, "", "Emne")
    check_template(DEFAULT_BODY, "", "Tekst")
    assert "Rykker" in render_user_template(DEFAULT_SUBJECT, SAMPLE_FIELDS, "", "Emne")


def test_all_problems_of_all_steps_come_in_one_error() -> None:
    texts = {1: StepTexts(subject="Rykker {{ trin }}", body="{{ ''.__class__ }}", body_cell="Skabeloner!C3"),
             2: StepTexts(subject="{{ foo }}", subject_cell="Skabeloner!B4")}
    with pytest.raises(SettingsError) as info:
        check_step_texts(texts)
    assert [p.cell for p in info.value.problems] == ["Skabeloner!C3", "Skabeloner!B4"]
    check_step_texts({1: StepTexts(), 2: StepTexts(subject="Rykker {{ trin }} til {{ kunde.navn }}")})


def test_html_of_a_typed_text_escapes_the_text_and_the_fields() -> None:
    fields = {**SAMPLE_FIELDS, "kunde": {**SAMPLE_FIELDS["kunde"], "navn": "<b>Ærø</b> & Co"}}
    text = render_user_template("<script>x</script>\nKære {{ kunde.navn }}\n\nHilsen", fields, "", "Tekst")
    html = text_to_html(text)
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;b&gt;Ærø&lt;/b&gt; &amp; Co" in html
    assert html.count("<p>") == 2 and "<br>" in html


def test_the_customer_mail_escapes_ledger_text_in_both_body_and_table() -> None:
    claim = sample_claim()
    claim = replace(claim, customer=replace(claim.customer, name="<img src=x onerror=alert(1)> ApS"),
                    contact_name="<b>Eva</b>")
    email = compose_customer_mail(
        claim, RecipientChoice(("eva@kunde.dk",), (Contact("<b>Eva</b>", "Bogholder", "eva@kunde.dk"),)),
        ClientIdentity("Klient A/S", "bogholderi@klient.dk"), StepTexts(body="Kære {{ kunde.kontakt }}, "
                                                                         "{{ kunde.navn }}"),
        {10234: b"%PDF-1.4 test"})
    assert "<img" not in email.html and "<b>Eva" not in email.html
    assert "&lt;b&gt;Eva&lt;/b&gt;" in email.html
    assert "Kære <b>Eva</b>, <img src=x onerror=alert(1)> ApS" in email.text  # the text part is plain text
