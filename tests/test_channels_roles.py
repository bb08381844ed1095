"""Role patterns (pure): which contacts get a customer's reminder mail."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.channels.roles import (
    MissingRecipient,
    RecipientChoice,
    choose_recipients,
    matching_contacts,
    parse_patterns,
    role_matches,
)
from bot.records import Contact, Customer


@dataclass(frozen=True)
class LedgerContact(Contact):
    """A contact as a ledger with an active flag would give it."""

    active: bool = True


def customer(email: str = "", contacts: tuple[Contact, ...] = ()) -> Customer:
    return Customer(number=1001, name="Ærø Byg ApS", cvr="12345678", country="DK", email=email, group="Erhverv",
                    payment_term=1, active=True, contacts=contacts)


@pytest.mark.parametrize(("pattern", "role", "expected"), [
    ("Conta", "Contabilitate", True),
    ("Conta", "Conta", True),
    ("conta", "CONTABILITATE", True),
    ("%Manage", "Manager", True),
    ("%Manage", "Management", True),
    ("%Manage", "Project Manager", True),
    ("Manage", "Project Manager", False),
    ("%Manage", "Bogholder", False),
    ("Conta", "Accountant", False),
    ("Bog%holder", "Bogføring og holder", True),
    ("Bog%holder", "Bogføring", False),
    ("Økonomi", "økonomichef", True),
    ("%", "", True),
    ("a.b", "axb", False),  # the pattern is text, not a regular expression
])
def test_role_matches_like_a_prefix_with_percent_as_any_text(pattern: str, role: str, expected: bool) -> None:
    assert role_matches(pattern, role) is expected


def test_patterns_are_comma_separated_trimmed_and_without_duplicates() -> None:
    assert parse_patterns(" Conta, %Manage ,, conta,") == ("Conta", "%Manage")
    assert parse_patterns("") == ()


def test_the_issue_example_picks_accounting_and_managers_only() -> None:
    contacts = (
        Contact("Ana", "Contabilitate", "ana@kunde.ro"),
        Contact("Bo", "Manager", "bo@kunde.ro"),
        Contact("Cy", "Management", "cy@kunde.ro"),
        Contact("Di", "Lager", "di@kunde.ro"),
    )
    choice = choose_recipients(customer("info@kunde.ro", contacts), parse_patterns("Conta, %Manage"))
    assert isinstance(choice, RecipientChoice)
    assert choice.addresses == ("ana@kunde.ro", "bo@kunde.ro", "cy@kunde.ro")
    assert [c.name for c in choice.contacts] == ["Ana", "Bo", "Cy"]
    assert choice.by_role and choice.greeting_name == "Ana"


def test_several_matches_share_an_address_once() -> None:
    contacts = (Contact("Ana", "Bogholder", "Regnskab@Kunde.dk"), Contact("Bo", "Bogholder", "regnskab@kunde.dk"))
    choice = choose_recipients(customer("", contacts), ["bog"])
    assert isinstance(choice, RecipientChoice)
    assert choice.addresses == ("Regnskab@kunde.dk",)  # the first spelling; the same mailbox once


def test_inactive_contacts_are_skipped() -> None:
    contacts = (LedgerContact("Gammel", "Bogholder", "gammel@kunde.dk", active=False),
                LedgerContact("Ny", "Bogholder", "ny@kunde.dk"))
    assert [c.name for c in matching_contacts(contacts, ["Bogholder"])] == ["Ny"]
    only_inactive = choose_recipients(customer("info@kunde.dk", contacts[:1]), ["Bogholder"])
    assert isinstance(only_inactive, RecipientChoice)
    assert only_inactive.addresses == ("info@kunde.dk",) and not only_inactive.by_role


def test_no_match_falls_back_to_the_customers_own_email() -> None:
    choice = choose_recipients(customer("info@kunde.dk", (Contact("Di", "Lager", "di@kunde.dk"),)), ["Conta"])
    assert isinstance(choice, RecipientChoice)
    assert choice.addresses == ("info@kunde.dk",) and choice.contacts == ()


def test_a_matching_contact_without_a_usable_address_is_noted_and_the_customer_email_used() -> None:
    choice = choose_recipients(customer("info@kunde.dk", (Contact("Ana", "Bogholder", "ana@"),)), ["Bog"])
    assert isinstance(choice, RecipientChoice)
    assert choice.addresses == ("info@kunde.dk",)
    assert "Ana ('ana@')" in choice.note


def test_no_match_and_no_customer_email_is_an_error_naming_the_roles() -> None:
    choice = choose_recipients(customer("", (Contact("Di", "Lager", "di@kunde.dk"),)), parse_patterns("Conta, %Manage"))
    assert isinstance(choice, MissingRecipient)
    assert "mangler kontakt med rollen 'Conta' eller '%Manage'" in choice.message


def test_a_malformed_customer_email_is_named_in_the_error() -> None:
    choice = choose_recipients(customer("info(at)kunde.dk"), [])
    assert isinstance(choice, MissingRecipient)
    assert "info(at)kunde.dk" in choice.message and "rollen" not in choice.message


def test_without_patterns_the_customer_email_is_used_even_with_contacts() -> None:
    choice = choose_recipients(customer("info@kunde.dk", (Contact("Ana", "Bogholder", "ana@kunde.dk"),)), [])
    assert isinstance(choice, RecipientChoice)
    assert choice.addresses == ("info@kunde.dk",)
