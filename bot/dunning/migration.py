"""A client's first dunning rules, made from its Instruks tab (the fixed levels it had before templates).

The three fixed levels in Instruks rows 7-19 become the template "Standard v1" (one row per step: days, fee,
text as typed, the ledger's own reminder as channel); the minimum amount becomes the DKK minimum of the
"Privat" and "Erhverv" rules, both on "Standard". Every value is copied as the bookkeeper typed it (a cell
the new tabs cannot read is named by the rule parser, not dropped). Instruks keeps its rows: exclusions,
recipients and the rest are read from there as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.dunning.law import CustomerKind
from bot.dunning.rulegroups import BUSINESS_RULE, PERSON_RULE
from bot.dunning.templates import Channel

__all__ = ["FIRST_TEMPLATE", "first_rules", "first_template"]

FIRST_TEMPLATE = "Standard"


def first_template(instruks: Mapping[str, str]) -> list[dict[str, Any]]:
    """Skabeloner rows for "Standard v1" from the Instruks levels."""
    return [{
        "template": f"{FIRST_TEMPLATE} v1", "step": level,
        "days": instruks.get(f"level{level}_days", ""), "fee": instruks.get(f"level{level}_fee", ""),
        "channel": Channel.LEDGER.value, "compensation": "Nej", "text": instruks.get(f"level{level}_text", ""),
    } for level in (1, 2, 3)]


def first_rules(instruks: Mapping[str, str]) -> list[dict[str, Any]]:
    """Regler rows: persons and companies on "Standard" with the Instruks minimum in DKK."""
    minimum = instruks.get("minimum_amount", "")
    return [{"rule": name, "template": FIRST_TEMPLATE, "kind": kind.value, "minimum_dkk": minimum,
             "minimum_eur": "", "minimum_other": ""}
            for name, kind in ((PERSON_RULE, CustomerKind.PERSON), (BUSINESS_RULE, CustomerKind.BUSINESS))]
