"""Names compared as a bookkeeper types them (the Instruks exclusions and payment terms, ``bot.dunning.exclusions``)."""

from __future__ import annotations

import pytest

from bot.dunning.exclusions import name_key


@pytest.mark.parametrize(("a", "b"), [("Netto 8 dage", " netto  8 DAGE "), ("Løbende", "LØBENDE")])
def test_name_key(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)
