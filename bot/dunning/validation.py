"""Check the Instruks settings against the ledger: every excluded customer, group and payment term must exist.

A typo in an exclusion silently reminds a customer the user meant to spare, so an unknown value stops the
run with a ``SettingsError`` naming each value and its cell. Names compare like the rules compare them
(``bot.dunning.exclusions.name_key``: case-insensitive, trimmed, single spaces). A group exists when at least one
customer (active or not) has it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.dunning.exclusions import name_key
from bot.dunning.models import ClientSettings
from bot.errors import SettingProblem, SettingsError
from bot.records import Customer, PaymentTerm
from sheets_schema.schema import INSTRUKS

__all__ = ["check_against_ledger"]

_MAX_LISTED = 10  # known names shown in a message, so a long list does not drown the sheet


def _known(names: Iterable[str]) -> str:
    unique = sorted({" ".join(n.split()) for n in names if n.strip()}, key=str.casefold)
    if not unique:
        return "Regnskabet har ingen."
    shown = ", ".join(unique[:_MAX_LISTED])
    return f"Kendte: {shown}." if len(unique) <= _MAX_LISTED else f"Kendte: {shown} m.fl. ({len(unique)} i alt)."


def _problem(key: str, message: str) -> SettingProblem:
    return SettingProblem(INSTRUKS.ref(key), INSTRUKS.setting(key).label, message)


def check_against_ledger(settings: ClientSettings, customers: Sequence[Customer],
                         terms: Sequence[PaymentTerm]) -> None:
    """Raise one ``SettingsError`` listing every excluded customer number, customer group and payment-term
    name the ledger does not know; return None when all exist."""
    policy = settings.policy
    problems: list[SettingProblem] = []

    cell = INSTRUKS.ref("exclude_customers")
    numbers = {c.number for c in customers}
    for number in sorted(policy.exclude_customers - numbers):
        problems.append(_problem("exclude_customers", f"Kundenummer {number} findes ikke i regnskabet. "
                                                      f"Ret eller fjern det i {cell}."))

    cell = INSTRUKS.ref("exclude_groups")
    groups = {name_key(c.group) for c in customers}
    for group in sorted(policy.exclude_groups, key=name_key):
        if name_key(group) not in groups:
            problems.append(_problem("exclude_groups", f"Kundegruppen '{group}' har ingen kunder i regnskabet. "
                                                       f"Ret eller fjern den i {cell}. "
                                                       f"{_known(c.group for c in customers)}"))

    cell = INSTRUKS.ref("exclude_terms")
    term_names = {name_key(t.name) for t in terms}
    for term in sorted(policy.exclude_terms, key=name_key):
        if name_key(term) not in term_names:
            problems.append(_problem("exclude_terms", f"Betalingsbetingelsen '{term}' findes ikke i regnskabet. "
                                                      f"Ret eller fjern den i {cell}. "
                                                      f"{_known(t.name for t in terms)}"))
    if problems:
        raise SettingsError(problems)
