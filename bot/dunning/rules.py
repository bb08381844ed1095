"""Small helpers kept from the first rules module. The robot's decision of who is due which step is
``bot.dunning.engine.plan_run`` (issue 11); the Instruks exclusions are ``bot.dunning.exclusions``."""

from __future__ import annotations

from decimal import Decimal

from bot.dunning.exclusions import name_key

__all__ = ["kroner", "name_key"]


def kroner(amount: Decimal) -> str:
    """Danish money text: ``Decimal("1234.5")`` -> "1.234,50 kr."."""
    number = f"{amount:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"{number} kr."
