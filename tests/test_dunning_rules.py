"""The helpers left in bot.dunning.rules (the decision itself is the engine's, tests/test_dunning_engine.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.dunning.rules import kroner, name_key


@pytest.mark.parametrize(("a", "b"), [("Netto 8 dage", " netto  8 DAGE "), ("Løbende", "LØBENDE")])
def test_name_key(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(("amount", "text"), [("0", "0,00 kr."), ("1234.5", "1.234,50 kr."),
                                              ("1000000", "1.000.000,00 kr."), ("-12.3", "-12,30 kr.")])
def test_kroner(amount: str, text: str) -> None:
    assert kroner(Decimal(amount)) == text
