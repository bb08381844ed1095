"""The Instruks exclusions (customer numbers, customer groups, payment terms) as reasons per customer, so the
engine leaves those customers out and the overview says why."""

from __future__ import annotations

from collections.abc import Iterable

from bot.dunning.models import Policy
from bot.records import Customer, PaymentTerm

__all__ = ["excluded_customers", "name_key"]


def name_key(name: str) -> str:
    """How names from the sheet and the ledger are compared: case-insensitive, trimmed, single spaces."""
    return " ".join(name.split()).casefold()


def excluded_customers(customers: Iterable[Customer], terms: Iterable[PaymentTerm], policy: Policy) -> dict[int, str]:
    """Customer number -> the Danish reason it is excluded, for each customer an Instruks exclusion covers."""
    groups = {name_key(g) for g in policy.exclude_groups}
    excluded_terms = {name_key(t) for t in policy.exclude_terms}
    term_names = {t.number: name_key(t.name) for t in terms}
    found: dict[int, str] = {}
    for c in customers:
        if c.number in policy.exclude_customers:
            found[c.number] = "Kundenummeret er undtaget i Instruks."
        elif name_key(c.group) in groups:
            found[c.number] = f"Kundegruppen '{c.group}' er undtaget i Instruks."
        elif term_names.get(c.payment_term) in excluded_terms:
            found[c.number] = "Kundens betalingsbetingelse er undtaget i Instruks."
    return found
