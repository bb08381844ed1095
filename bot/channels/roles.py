"""Who at the customer gets a reminder mail: contacts chosen by role patterns, else the customer's own address.

Patterns are a comma-separated list (``"Conta, %Manage"``). A pattern matches a contact's role like SQL
``LIKE 'pattern%'``, case-insensitively: ``%`` stands for any text (also none), and the pattern is anchored at the
start of the role and open at its end. So "Conta" matches "Contabilitate" and "Conta" itself, "%Manage" matches
"Manager", "Management" and "Project Manager", while "Manage" does not match "Project Manager" (write "%Manage").

A contact counts only when it is active and has a usable address. ``bot.records.Contact`` has no active
flag yet: a contact object with ``active=False`` is skipped, any other counts as active.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from bot.addresses import usable_recipients
from bot.records import Contact, Customer

__all__ = ["MissingRecipient", "RecipientChoice", "choose_recipients", "matching_contacts", "parse_patterns",
           "role_matches"]


def parse_patterns(text: str) -> tuple[str, ...]:
    """ "Conta, %Manage ,," -> ("Conta", "%Manage"): trimmed, empty ones dropped, duplicates (any case) once."""
    seen: dict[str, str] = {}
    for raw in text.split(","):
        pattern = " ".join(raw.split())
        if pattern and pattern.casefold() not in seen:
            seen[pattern.casefold()] = pattern
    return tuple(seen.values())


@cache
def _regex(pattern: str) -> re.Pattern[str]:
    pieces = (re.escape(p) for p in " ".join(pattern.split()).casefold().split("%"))
    return re.compile(".*".join(pieces), re.DOTALL)


def role_matches(pattern: str, role: str) -> bool:
    """Whether ``role`` matches ``pattern`` (see the module docstring: a prefix match where ``%`` is any text)."""
    return _regex(pattern).match(" ".join(role.split()).casefold()) is not None


def _active(contact: Contact) -> bool:
    return bool(getattr(contact, "active", True))


def matching_contacts(contacts: Sequence[Contact], patterns: Sequence[str]) -> tuple[Contact, ...]:
    """The active contacts whose role matches any pattern, in the ledger's order."""
    return tuple(c for c in contacts if _active(c) and any(role_matches(p, c.role) for p in patterns))


@dataclass(frozen=True)
class RecipientChoice:
    addresses: tuple[str, ...]  # checked, duplicates dropped
    contacts: tuple[Contact, ...]  # the matched contacts that gave an address; () when the customer's own address
    note: str = ""  # Danish: matched contacts left out for a bad address, for the report

    @property
    def by_role(self) -> bool:
        return bool(self.contacts)

    @property
    def greeting_name(self) -> str:
        """The first matched contact's name, or "" (the template then greets the company)."""
        return self.contacts[0].name if self.contacts else ""


@dataclass(frozen=True)
class MissingRecipient:
    message: str  # Danish: what is missing and what to do


def _roles_text(patterns: Sequence[str]) -> str:
    quoted = [f"'{p}'" for p in patterns]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " eller " + quoted[-1]


def choose_recipients(customer: Customer, patterns: Sequence[str]) -> RecipientChoice | MissingRecipient:
    """The matching contacts' addresses; if none of them has one, the customer's own e-mail; else what is missing.

    With no patterns at all the customer's own e-mail is used directly.
    """
    matched = matching_contacts(customer.contacts, patterns) if patterns else ()
    addresses: list[str] = []
    used: list[Contact] = []
    unusable: list[str] = []
    for contact in matched:
        found = usable_recipients(contact.email)
        if found:
            used.append(contact)
            addresses.extend(a for a in found if a.lower() not in {b.lower() for b in addresses})
        else:
            unusable.append(f"{contact.name or 'uden navn'} ('{contact.email.strip()}')" if contact.email.strip()
                            else f"{contact.name or 'uden navn'} (ingen e-mail)")
    note = ""
    if unusable:
        note = ("Kontakten " if len(unusable) == 1 else "Kontakterne ") + ", ".join(unusable) + \
            " har rollen, men ingen gyldig e-mailadresse. Ret den i regnskabet."
    if addresses:
        return RecipientChoice(tuple(addresses), tuple(used), note)
    own = usable_recipients(customer.email)
    if own:
        return RecipientChoice(own, (), note)
    written = f" (der står '{customer.email.strip()}')" if customer.email.strip() else ""
    if patterns:
        message = (f"Kunden mangler kontakt med rollen {_roles_text(patterns)} og har ingen gyldig "
                   f"e-mailadresse{written}. Tilføj en kontakt med rollen og en e-mail i regnskabet, eller skriv "
                   "kundens e-mail på kundekortet.")
    else:
        message = (f"Kunden har ingen gyldig e-mailadresse{written}. Skriv kundens e-mail på kundekortet i "
                   "regnskabet.")
    return MissingRecipient(f"{message} {note}".strip())
