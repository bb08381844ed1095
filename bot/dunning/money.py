"""Money that keeps its currency: EUR is never added to DKK.

``Money`` refuses arithmetic and comparison across currencies with ``CurrencyMismatch`` (a bug in the
caller: amounts must be grouped per currency first). ``text()`` is the Danish form used in sheets and mails
("1.234,50 kr.", "4.000,00 EUR").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from bot import formats

__all__ = ["CENT", "CurrencyMismatch", "Money", "total"]

CENT = Decimal("0.01")


class CurrencyMismatch(ValueError):
    """Two amounts in different currencies were combined."""


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str  # ISO 4217, upper case: "DKK", "EUR"

    def __post_init__(self) -> None:
        if len(self.currency) != 3 or not self.currency.isalpha() or not self.currency.isupper():
            raise ValueError(f"'{self.currency}' er ikke en valutakode som DKK eller EUR")

    @staticmethod
    def zero(currency: str) -> Money:
        return Money(Decimal(0), currency)

    def _same(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise CurrencyMismatch(f"{self.currency} og {other.currency} kan ikke lægges sammen")
        return other

    def __add__(self, other: Money) -> Money:
        return Money(self.amount + self._same(other).amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        return Money(self.amount - self._same(other).amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __mul__(self, factor: int | Decimal) -> Money:
        return Money(self.amount * factor, self.currency)

    def __lt__(self, other: Money) -> bool:
        return self.amount < self._same(other).amount

    def __le__(self, other: Money) -> bool:
        return self.amount <= self._same(other).amount

    def __gt__(self, other: Money) -> bool:
        return self.amount > self._same(other).amount

    def __ge__(self, other: Money) -> bool:
        return self.amount >= self._same(other).amount

    @property
    def positive(self) -> bool:
        return self.amount > 0

    def text(self) -> str:
        return formats.money(self.amount, self.currency)


def total(amounts: Iterable[Money], currency: str) -> Money:
    """The sum of ``amounts``, all in ``currency`` (zero when empty); ``CurrencyMismatch`` on any other."""
    result = Money.zero(currency)
    for amount in amounts:
        result = result + amount
    return result
