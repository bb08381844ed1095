"""All settings problems at once: when the Instruks form has problems, the exclusions are still checked against
the ledger (if the login and agreement can be used), so one run names every cell to fix instead of one per run.

The ledger check needs only the three exclusion cells; ``exclusions_probe`` reads them through ``parse_settings``
with every other setting at a harmless stand-in, so a broken fee does not hide an unknown customer number.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.dunning.instructions import parse_settings
from bot.dunning.models import ClientSettings
from bot.dunning.validation import check_against_ledger
from bot.errors import SettingProblem, SettingsError
from bot.records import Customer, PaymentTerm
from sheets_schema import INSTRUKS

EXCLUSIONS = ("exclude_customers", "exclude_groups", "exclude_terms")
LEDGER_KEYS = ("login_ref", "agreement_number")  # a problem here: the ledger cannot be opened, no ledger check
_STAND_INS = {"proposal_recipients": "robot@example.invalid", "status_recipients": "robot@example.invalid",
              "inkasso_email": "", "client_name": "-"}


def exclusions_probe(values: Mapping[str, str]) -> ClientSettings | None:
    """Settings holding the sheet's exclusions, login and agreement and defaults for the rest; None when the
    exclusions themselves (or the login cells) cannot be read: their form problems are reported already."""
    probe = {s.key: s.default for s in INSTRUKS.settings}
    probe.update(_STAND_INS)
    for key in (*EXCLUSIONS, *LEDGER_KEYS):
        probe[key] = str(values.get(key, "") or "")
    try:
        return parse_settings(probe)
    except SettingsError:
        return None


def ledger_usable(problems: Sequence[SettingProblem]) -> bool:
    """No form problem in the login reference or the agreement number."""
    cells = {INSTRUKS.ref(k) for k in LEDGER_KEYS}
    return not any(p.cell in cells for p in problems)


def ledger_problems(settings: ClientSettings, customers: Sequence[Customer],
                    terms: Sequence[PaymentTerm]) -> list[SettingProblem]:
    try:
        check_against_ledger(settings, customers, terms)
    except SettingsError as e:
        return list(e.problems)
    return []
