"""Parsing the Instruks tab: every rule, every message, all problems at once."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.dunning.instructions import parse_money, parse_recipients, parse_settings, parse_times, parse_weekdays
from bot.errors import SettingsError
from sheets_schema.schema import INSTRUKS
from sheets_schema.statuses import CaseMailMode, Mode


def valid(**changes: str) -> dict[str, str]:
    """The bootstrap defaults plus the fields a user must fill in, then ``changes``."""
    values = {s.key: s.default for s in INSTRUKS.settings}
    values.update(
        client_name="Tømrer Hansen ApS",
        login_ref="hansen-robot",
        agreement_number="123456",
        proposal_recipients="bogholder@hansen.dk",
        status_recipients="chef@hansen.dk",
    )
    values.update(changes)
    return values


def problems(values: dict[str, str]) -> list[tuple[str, str, str]]:
    with pytest.raises(SettingsError) as info:
        parse_settings(values)
    return [(p.cell, p.field, p.message) for p in info.value.problems]


def only_problem(values: dict[str, str]) -> tuple[str, str]:
    found = problems(values)
    assert len(found) == 1, found
    cell, _field, message = found[0]
    return cell, message


def test_defaults_plus_required_fields_parse() -> None:
    s = parse_settings(valid())
    assert s.client_name == "Tømrer Hansen ApS"
    assert s.login_ref == "hansen-robot"
    assert s.agreement_number == "123456"
    assert s.mode is Mode.APPROVAL
    assert [(lv.level, lv.days, lv.fee) for lv in s.policy.levels] == [
        (1, 10, Decimal("0")), (2, 10, Decimal("100")), (3, 10, Decimal("100"))]
    assert s.policy.level(3).text.startswith("Sidste rykker")
    assert s.policy.minimum_amount == Decimal("100")
    assert s.policy.exclude_customers == frozenset()
    assert s.proposal_recipients == ("bogholder@hansen.dk",)
    assert s.status_mail is True
    assert s.status_recipients == ("chef@hansen.dk",)
    assert s.inkasso_email == ""
    assert s.case_mail_mode is CaseMailMode.PER_CASE
    assert (s.schedule.enabled, s.schedule.weekdays, s.schedule.times) == (False, (0, 1, 2, 3, 4), ("08:00",))


def test_missing_keys_count_as_empty_cells() -> None:
    found = problems({})
    cells = {c for c, _f, _m in found}
    for key in ("login_ref", "agreement_number", "mode", "level1_days", "level1_fee", "level1_text",
                "level2_days", "level3_fee", "minimum_amount", "proposal_recipients", "status_mail",
                "case_mail_mode", "schedule_on"):
        assert INSTRUKS.ref(key) in cells, key
    assert all(m.startswith("Feltet er tomt. Skriv ") for _c, _f, m in found)


def test_all_problems_are_reported_at_once_with_cell_and_label() -> None:
    found = problems(valid(
        login_ref=" ",
        agreement_number="",
        mode="Automatisk",
        level2_days="9",
        level1_fee="150",
        level3_text="",
        exclude_customers="1001, abc",
        minimum_amount="-1",
        proposal_recipients="ikke-en-adresse",
        inkasso_email="a@b.dk, c@d.dk",
        case_mail_mode="Hver dag",
        schedule_days="man,fredag,xyz",
        schedule_times="25:00",
    ))
    assert [c for c, _f, _m in found] == [
        "Instruks!B4", "Instruks!B5", "Instruks!B6", "Instruks!B8", "Instruks!B10", "Instruks!B15",
        "Instruks!B16", "Instruks!B19", "Instruks!B20", "Instruks!B23", "Instruks!B24", "Instruks!B26",
        "Instruks!B27",
    ]
    assert found[0][1] == "Login-reference"
    assert found[4][1] == "Rykker 2: dage efter rykker 1"
    with pytest.raises(SettingsError) as info:
        parse_settings(valid(level2_days="9", level3_days="9"))
    assert str(info.value).startswith("Instruks!B10 (Rykker 2: dage efter rykker 1): Der skal gå mindst 10 dage")
    assert "; Instruks!B13 (Rykker 3: dage efter rykker 2): " in str(info.value)


@pytest.mark.parametrize(("changes", "cell", "message"), [
    ({"login_ref": ""}, "Instruks!B4",
     "Feltet er tomt. Skriv navnet på det login robotten har fået udleveret (aldrig adgangskoden)."),
    ({"agreement_number": "  "}, "Instruks!B5", "Feltet er tomt. Skriv aftalenummeret fra regnskabssystemet."),
    ({"mode": "auto"}, "Instruks!B6",
     "'auto' er ikke et gyldigt valg. Skriv 'Forslag med godkendelse' eller 'Fuldautomatisk'."),
    ({"level1_days": "-1"}, "Instruks!B7",
     "Antal dage kan ikke være negativt. Skriv et helt antal dage efter forfald, f.eks. 10."),
    ({"level1_days": "10,5"}, "Instruks!B7",
     "'10,5' er ikke et helt tal. Skriv et helt antal dage efter forfald, f.eks. 10."),
    ({"level1_days": "ti"}, "Instruks!B7", "'ti' er ikke et tal. Skriv et helt antal dage efter forfald, f.eks. 10."),
    ({"level1_fee": "100,01"}, "Instruks!B8",
     "Gebyret må efter loven højst være 100 kr. pr. rykker. Skriv et gebyr mellem 0 og 100 kroner."),
    ({"level2_fee": "-5"}, "Instruks!B11",
     "Gebyret kan ikke være negativt. Skriv et gebyr mellem 0 og 100 kroner."),
    ({"level3_fee": "12,3456"}, "Instruks!B14",
     "'12,3456' har mere end 2 decimaler. Skriv et gebyr mellem 0 og 100 kroner."),
    # a lone separator before three digits is a thousands separator: 12.345 kr., far above the cap
    ({"level3_fee": "12,345"}, "Instruks!B14",
     "Gebyret må efter loven højst være 100 kr. pr. rykker. Skriv et gebyr mellem 0 og 100 kroner."),
    ({"level2_days": "9"}, "Instruks!B10",
     "Der skal gå mindst 10 dage mellem to rykkere. Skriv et helt antal dage efter rykker 1, mindst 10."),
    ({"level3_days": "0"}, "Instruks!B13",
     "Der skal gå mindst 10 dage mellem to rykkere. Skriv et helt antal dage efter rykker 2, mindst 10."),
    ({"level1_text": ""}, "Instruks!B9", "Feltet er tomt. Skriv den tekst rykker 1 skal indeholde."),
    ({"level2_text": " "}, "Instruks!B12", "Feltet er tomt. Skriv den tekst rykker 2 skal indeholde."),
    ({"exclude_customers": "1001;x2"}, "Instruks!B16",
     "'x2' er ikke et kundenummer. Skriv kundenumre adskilt af komma, f.eks. 1001, 1002."),
    ({"minimum_amount": "-0,01"}, "Instruks!B19",
     "Minimumsbeløbet kan ikke være negativt. Skriv et beløb på 0 kr. eller mere, f.eks. 100."),
    ({"minimum_amount": ""}, "Instruks!B19", "Feltet er tomt. Skriv et beløb på 0 kr. eller mere, f.eks. 100."),
    ({"proposal_recipients": ""}, "Instruks!B20",
     "Feltet er tomt. Skriv mindst én e-mailadresse, f.eks. bogholderi@firma.dk."),
    ({"proposal_recipients": "a@b"}, "Instruks!B20",
     "'a@b' er ikke en gyldig e-mailadresse. Skriv adresser som navn@firma.dk adskilt af komma."),
    ({"status_mail": "Måske"}, "Instruks!B21", "'Måske' er ikke et gyldigt valg. Skriv 'Ja' eller 'Nej'."),
    ({"status_recipients": ""}, "Instruks!B22",
     "Feltet er tomt. Skriv mindst én e-mailadresse, f.eks. bogholderi@firma.dk."),
    ({"inkasso_email": "a@b.dk; c@d.dk"}, "Instruks!B23", "Skriv kun én e-mailadresse til inkassopartneren."),
    ({"inkasso_email": "inkasso"}, "Instruks!B23",
     "'inkasso' er ikke en gyldig e-mailadresse. Skriv adresser som navn@firma.dk adskilt af komma."),
    ({"case_mail_mode": ""}, "Instruks!B24", "Feltet er tomt. Skriv 'Én mail pr. sag' eller 'Én samlet mail'."),
    ({"schedule_on": "ja", "schedule_days": ""}, "Instruks!B26",
     "Feltet er tomt, men automatisk kørsel er slået til. Skriv ugedage som man,tir,ons,tor,fre."),
    ({"schedule_on": "Ja", "schedule_times": " "}, "Instruks!B27",
     "Feltet er tomt, men automatisk kørsel er slået til. Skriv klokkeslæt som 08:00,13:00."),
    ({"schedule_days": "fre-man"}, "Instruks!B26",
     "'fre-man': ugedagene skal stå i rækkefølge (man-fre). Skriv ugedage som man,tir,ons,tor,fre."),
    ({"schedule_times": "8"}, "Instruks!B27", "'8' er ikke et klokkeslæt. Skriv klokkeslæt som 08:00,13:00."),
    ({"schedule_on": ""}, "Instruks!B25", "Feltet er tomt. Skriv 'Ja' eller 'Nej'."),
])
def test_each_rule_has_its_message(changes: dict[str, str], cell: str, message: str) -> None:
    assert only_problem(valid(**changes)) == (cell, message)


@pytest.mark.parametrize(("key", "text", "expected"), [
    ("level1_days", "0", 0),  # level 1 may be due on the due date
    ("level1_days", "10.0", 10),  # a number cell as the Sheets API returns it
    ("level1_days", "14,0", 14),
    ("level2_days", "10", 10),  # exactly the legal minimum
    ("level3_days", "30", 30),
])
def test_level_days_boundaries(key: str, text: str, expected: int) -> None:
    level = int(key[5])
    assert parse_settings(valid(**{key: text})).policy.level(level).days == expected


@pytest.mark.parametrize(("text", "expected"), [("100", "100"), ("100,00", "100"), ("100.0", "100"),
                                                ("0", "0"), ("65,50", "65.5"), ("kr. 100", "100")])
def test_fees_up_to_exactly_100_are_accepted(text: str, expected: str) -> None:
    assert parse_settings(valid(level2_fee=text)).policy.level(2).fee == Decimal(expected)


def test_status_recipients_may_be_empty_when_status_mail_is_off() -> None:
    s = parse_settings(valid(status_mail="nej", status_recipients=""))
    assert (s.status_mail, s.status_recipients) == (False, ())


def test_choices_are_case_and_space_insensitive() -> None:
    s = parse_settings(valid(mode=" fuldautomatisk ", case_mail_mode="én  SAMLET mail", schedule_on="JA"))
    assert (s.mode, s.case_mail_mode, s.schedule.enabled) == (Mode.FULL_AUTO, CaseMailMode.ALL_IN_ONE, True)


def test_lists_and_names() -> None:
    s = parse_settings(valid(
        exclude_customers="1001, 1002;1003 1004\n1005.0",
        exclude_groups=" Koncern , Offentlig,, ",
        exclude_terms="Netto  8 dage;Kontant",
        minimum_amount="1.000,50",
        proposal_recipients="a@hansen.dk; B@hansen.dk,a@HANSEN.dk\nc.d+e@sub.hansen-vvs.dk",
        inkasso_email=" inkasso@partner.dk ",
        agreement_number="123456.0",
    ))
    assert s.policy.exclude_customers == frozenset({1001, 1002, 1003, 1004, 1005})
    assert s.policy.exclude_groups == frozenset({"Koncern", "Offentlig"})
    assert s.policy.exclude_terms == frozenset({"Netto 8 dage", "Kontant"})
    assert s.policy.minimum_amount == Decimal("1000.50")
    assert s.proposal_recipients == ("a@hansen.dk", "B@hansen.dk", "c.d+e@sub.hansen-vvs.dk")
    assert s.inkasso_email == "inkasso@partner.dk"
    assert s.agreement_number == "123456"


def test_empty_exclusions_are_fine() -> None:
    s = parse_settings(valid(exclude_customers="", exclude_groups=" ", exclude_terms=""))
    assert (s.policy.exclude_customers, s.policy.exclude_groups, s.policy.exclude_terms) == (
        frozenset(), frozenset(), frozenset())


@pytest.mark.parametrize(("text", "expected"), [
    ("100", "100"), ("10.0", "10"), ("100,00", "100"), ("1.000,50", "1000.5"), ("1000.50", "1000.5"),
    ("1000,5", "1000.5"), ("1 000,50", "1000.5"), ("1\u00a0000,50", "1000.5"), ("1.000", "1000"),
    ("1.000.000", "1000000"), ("1,000,000.25", "1000000.25"), ("2,500", "2500"), ("0.500", "0.5"),
    ("0,120000", "0.12"), ("-12,5", "-12.5"), ("100 kr.", "100"), ("DKK 7,25", "7.25"), ("0", "0"),
])
def test_parse_money_accepts_danish_and_plain_formats(text: str, expected: str) -> None:
    assert parse_money(text) == Decimal(expected)


def test_parse_money_returns_two_decimals() -> None:
    assert str(parse_money("100")) == "100.00"
    assert str(parse_money("1.000,5")) == "1000.50"


@pytest.mark.parametrize(("text", "message"), [
    ("", "'' er ikke et tal"), ("abc", "'abc' er ikke et tal"), ("1.2.3", "'1.2.3' er ikke et tal"),
    ("1,00.0", "'1,00.0' er ikke et tal"), (",5", "',5' er ikke et tal"),
    ("10.5555", "'10.5555' har mere end 2 decimaler"), ("1 0", "'1 0' er ikke et tal"),
    ("12.34,5", "'12.34,5' er ikke et tal"),
])
def test_parse_money_rejects_garbage(text: str, message: str) -> None:
    with pytest.raises(ValueError, match="^" + message.replace(".", r"\.") + "$"):
        parse_money(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("man,tir,ons,tor,fre", (0, 1, 2, 3, 4)),
    ("Mandag, Onsdag; FREDAG", (0, 2, 4)),
    ("lør søn", (5, 6)),
    ("lørdag,søndag", (5, 6)),
    ("loer,soen,lor,son", (5, 6)),
    ("man-fre", (0, 1, 2, 3, 4)),
    ("tirsdag-torsdag,søn", (1, 2, 3, 6)),
    ("fre,man,fre", (0, 4)),
    ("man.,tir.", (0, 1)),
    ("", ()),
])
def test_parse_weekdays(text: str, expected: tuple[int, ...]) -> None:
    assert parse_weekdays(text) == expected


@pytest.mark.parametrize("text", ["monday", "ma", "man-tir-ons", "fre-man", "1"])
def test_parse_weekdays_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_weekdays(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("08:00", ("08:00",)), ("8:00, 13:30", ("08:00", "13:30")), ("13.30;08.00", ("08:00", "13:30")),
    ("23:59 00:00", ("00:00", "23:59")), ("08:00:00,08:00", ("08:00",)), ("", ()),
])
def test_parse_times(text: str, expected: tuple[str, ...]) -> None:
    assert parse_times(text) == expected


@pytest.mark.parametrize("text", ["24:00", "12:60", "8", "08:0", "kl 8", "08:00:30"])
def test_parse_times_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_times(text)


def test_parse_recipients_reports_every_bad_address() -> None:
    with pytest.raises(SettingsError) as info:
        parse_recipients("ok@firma.dk, dårlig, @firma.dk; a..b@firma.dk, x@firma", "Instruks!B20", "Modtagere")
    bad = [(p.cell, p.field, p.message.split(" ")[0]) for p in info.value.problems]
    assert bad == [("Instruks!B20", "Modtagere", f"'{a}'") for a in ("dårlig", "@firma.dk", "a..b@firma.dk",
                                                                       "x@firma")]


@pytest.mark.parametrize("address", ["a@b.dk", "fornavn.efternavn@firma.dk", "x+tag@sub.domæne.dk",
                                     "A_B-c@X-Y.COM", "inkasso@ærø-vvs.dk"])
def test_parse_recipients_accepts_sane_addresses(address: str) -> None:
    assert parse_recipients(address, "Instruks!B20", "Modtagere") == (address,)


def test_parse_recipients_empty() -> None:
    assert parse_recipients("  ", "Instruks!B23", "Inkasso") == ()
    with pytest.raises(SettingsError) as info:
        parse_recipients("", "Instruks!B20", "Modtagere", required=True)
    assert info.value.problems[0].cell == "Instruks!B20"
