"""Settings checked against the ledger: unknown exclusions are all reported, with their cells."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from bot.dunning.models import ClientSettings, LevelPolicy, Policy, Schedule
from bot.dunning.validation import check_against_ledger
from bot.errors import SettingsError
from bot.records import Customer, PaymentTerm
from sheets_schema.statuses import CaseMailMode, Mode

TERMS = (PaymentTerm(1, "Netto 8 dage", 8), PaymentTerm(2, "Løbende måned + 30", 30))


def customer(number: int, group: str, active: bool = True) -> Customer:
    return Customer(number=number, name=f"Kunde {number}", cvr="", country="DK", email="", group=group,
                    payment_term=1, active=active)


CUSTOMERS = (customer(1001, "Erhverv"), customer(1002, "Koncern"), customer(1003, "Privat", active=False))


def settings(customers: frozenset[int] = frozenset(), groups: frozenset[str] = frozenset(),
             terms: frozenset[str] = frozenset()) -> ClientSettings:
    levels = tuple(LevelPolicy(n, 10, Decimal(0), f"T{n}") for n in (1, 2, 3))
    return ClientSettings(
        client_name="K", login_ref="l", agreement_number="1", mode=Mode.APPROVAL,
        policy=Policy(levels=levels, exclude_customers=customers, exclude_groups=groups, exclude_terms=terms),
        proposal_recipients=("a@b.dk",), status_mail=False, status_recipients=(), inkasso_email="",
        case_mail_mode=CaseMailMode.PER_CASE, schedule=Schedule(False, (), ()),
    )


@pytest.mark.parametrize("s", [
    settings(),
    settings(customers=frozenset({1001, 1003})),  # an inactive customer still exists
    settings(groups=frozenset({" koncern ", "PRIVAT"})),  # names compare case-insensitively, trimmed
    settings(terms=frozenset({"netto  8 DAGE", "Løbende måned + 30"})),
])
def test_known_values_pass(s: ClientSettings) -> None:
    check_against_ledger(s, CUSTOMERS, TERMS)


def test_every_unknown_value_is_reported_at_once_with_its_cell() -> None:
    s = settings(customers=frozenset({99999, 1001, 5}), groups=frozenset({"Offentlig", "erhverv"}),
                 terms=frozenset({"Netto 14 dage"}))
    with pytest.raises(SettingsError) as info:
        check_against_ledger(s, CUSTOMERS, TERMS)
    assert [(p.cell, p.field, p.message) for p in info.value.problems] == [
        ("Instruks!B16", "Undtagne kundenumre",
         "Kundenummer 5 findes ikke i regnskabet. Ret eller fjern det i Instruks!B16."),
        ("Instruks!B16", "Undtagne kundenumre",
         "Kundenummer 99999 findes ikke i regnskabet. Ret eller fjern det i Instruks!B16."),
        ("Instruks!B17", "Undtagne kundegrupper",
         "Kundegruppen 'Offentlig' har ingen kunder i regnskabet. Ret eller fjern den i Instruks!B17. "
         "Kendte: Erhverv, Koncern, Privat."),
        ("Instruks!B18", "Undtagne betalingsbetingelser",
         "Betalingsbetingelsen 'Netto 14 dage' findes ikke i regnskabet. Ret eller fjern den i Instruks!B18. "
         "Kendte: Løbende måned + 30, Netto 8 dage."),
    ]


def test_empty_ledger() -> None:
    s = settings(customers=frozenset({1}), groups=frozenset({"A"}), terms=frozenset({"B"}))
    with pytest.raises(SettingsError) as info:
        check_against_ledger(s, [], [])
    assert [p.message.split(". ")[-1] for p in info.value.problems] == [
        "Ret eller fjern det i Instruks!B16.", "Regnskabet har ingen.", "Regnskabet har ingen."]


def test_long_lists_of_known_names_are_cut() -> None:
    many = [customer(n, f"Gruppe {n:02d}") for n in range(15)]
    with pytest.raises(SettingsError) as info:
        check_against_ledger(replace(settings(), policy=replace(settings().policy,
                                                                exclude_groups=frozenset({"X"}))), many, TERMS)
    assert info.value.problems[0].message.endswith("Gruppe 08, Gruppe 09 m.fl. (15 i alt).")
