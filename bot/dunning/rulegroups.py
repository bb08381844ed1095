"""Rule groups (Netvisor): which rule, and so which template and minimums, a customer is reminded by.

By default a person goes to the "Privat" rule and a company (a customer with a CVR number) to "Erhverv",
because the law differs (only a business owes the compensation). A customer outside Denmark is not placed:
it is "Automatik blokeret" with the reason until a person places it. A placement typed by a person always
wins over the default, for any customer. A customer with no country is taken as domestic (Danish ledgers
often leave it empty for Danish customers).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from bot.dunning.law import CustomerKind
from bot.dunning.money import Money
from bot.records import Customer

__all__ = [
    "BUSINESS_RULE", "PERSON_RULE", "Assignment", "Placement", "PlacementStatus", "Rule", "RuleBook",
    "customer_kind", "is_domestic", "place", "place_all",
]

PERSON_RULE = "Privat"
BUSINESS_RULE = "Erhverv"
_DOMESTIC = {"", "dk", "dnk", "danmark", "denmark"}


class PlacementStatus(StrEnum):
    DEFAULT = "Standardplacering"
    MOVED = "Flyttet af bruger"
    BLOCKED = "Automatik blokeret"


@dataclass(frozen=True)
class Rule:
    name: str  # e.g. "Privat", "Erhverv", "VIP"
    template: str  # template name; new invoices start on its latest version
    kind: CustomerKind = CustomerKind.PERSON  # whose law its template is checked against
    minimums: tuple[Money, ...] = ()  # one per currency; a currency without one has no minimum

    def minimum(self, currency: str) -> Money:
        """The smallest balance reminded in ``currency`` (equal is reminded); zero when none is set."""
        return next((m for m in self.minimums if m.currency == currency), Money.zero(currency))


@dataclass(frozen=True)
class Placement:
    """A person's choice: ``customer_number`` is reminded by the rule named ``rule``."""

    customer_number: int
    rule: str


@dataclass(frozen=True)
class RuleBook:
    rules: tuple[Rule, ...]
    placements: tuple[Placement, ...] = ()

    def rule(self, name: str) -> Rule | None:
        return next((r for r in self.rules if r.name.casefold() == name.strip().casefold()), None)

    def placement(self, customer_number: int) -> Placement | None:
        """The last placement a person made for the customer (a later row overrides an earlier one)."""
        found = [p for p in self.placements if p.customer_number == customer_number]
        return found[-1] if found else None


@dataclass(frozen=True)
class Assignment:
    customer_number: int
    status: PlacementStatus
    rule: Rule | None  # None when blocked
    reason: str  # Danish; why blocked, or how placed

    @property
    def blocked(self) -> bool:
        return self.rule is None


def customer_kind(customer: Customer) -> CustomerKind:
    """A customer with a CVR number is a business, everyone else a person."""
    return CustomerKind.BUSINESS if customer.cvr.strip() else CustomerKind.PERSON


def is_domestic(customer: Customer) -> bool:
    return customer.country.strip().casefold() in _DOMESTIC


def place(customer: Customer, book: RuleBook) -> Assignment:
    """The rule ``customer`` is reminded by: a person's placement, else the default by kind; blocked (with the
    reason) when abroad and not placed by a person, or when the rule named does not exist."""
    number = customer.number
    chosen = book.placement(number)
    if chosen is not None:
        rule = book.rule(chosen.rule)
        if rule is None:
            known = ", ".join(r.name for r in book.rules)
            return Assignment(number, PlacementStatus.BLOCKED, None,
                              f"Kunden er placeret i reglen '{chosen.rule}', som ikke findes. Vælg en af: {known}.")
        return Assignment(number, PlacementStatus.MOVED, rule, f"Placeret i '{rule.name}' af en bruger.")
    if not is_domestic(customer):
        return Assignment(number, PlacementStatus.BLOCKED, None,
                          f"Kunden har land '{customer.country.strip()}' (ikke Danmark) og rykkes ikke automatisk. "
                          "Placér kunden i en regel, hvis den skal rykkes.")
    kind = customer_kind(customer)
    name = BUSINESS_RULE if kind is CustomerKind.BUSINESS else PERSON_RULE
    rule = book.rule(name)
    if rule is None:
        return Assignment(number, PlacementStatus.BLOCKED, None,
                          f"Standardreglen '{name}' for {kind.value.lower()}er findes ikke. Opret den, "
                          "eller placér kunden i en anden regel.")
    return Assignment(number, PlacementStatus.DEFAULT, rule,
                      f"{kind.value} ({'med' if kind is CustomerKind.BUSINESS else 'uden'} CVR): '{rule.name}'.")


def place_all(customers: Iterable[Customer], book: RuleBook) -> Mapping[int, Assignment]:
    """``place`` for every customer, by customer number (for the placement tab)."""
    return {c.number: place(c, book) for c in customers}
