"""Netting: what a customer owes in one currency once credit notes and part payments are counted.

Per customer and currency, every open item counts by its remaining amount (``Invoice.remaining``): a part
payment has already lowered it, and an unused credit note (or an overpaid invoice) has a negative remaining
that lowers the balance. Amounts in different currencies are never added (``Money`` refuses it), so a
customer with DKK and EUR invoices has two balances. A balance of zero or less is owed nothing; the amount a
reminder asks for is its invoices' remaining amounts with the unused credit applied to them first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.dunning.money import Money, total
from bot.records import Invoice

__all__ = ["Balance", "balances", "currency_of", "meets_minimum"]


def currency_of(invoice: Invoice) -> str:
    """The invoice's currency code, upper case; an empty one is the ledger's home currency, DKK."""
    return invoice.currency.strip().upper() or "DKK"


@dataclass(frozen=True)
class Balance:
    customer_number: int
    currency: str
    debts: tuple[Invoice, ...]  # remaining > 0, oldest due date first
    credits: tuple[Invoice, ...]  # remaining < 0: unused credit notes and overpaid invoices

    @property
    def credit(self) -> Money:
        """The unused credit, zero or negative."""
        return total((Money(i.remaining, self.currency) for i in self.credits), self.currency)

    @property
    def total(self) -> Money:
        """Everything the customer owes in this currency, credit counted."""
        return total((Money(i.remaining, self.currency) for i in self.debts), self.currency) + self.credit

    @property
    def owes(self) -> bool:
        return self.total.positive

    def net_of(self, invoices: Iterable[Invoice]) -> Money:
        """What a reminder for ``invoices`` (debts of this balance) asks for: their remaining amounts less the
        unused credit. Zero or negative when the credit covers them."""
        chosen = list(invoices)
        for invoice in chosen:
            if invoice not in self.debts:
                raise ValueError(f"Faktura {invoice.number} er ikke en åben post i {self.currency} "
                                 f"for kunde {self.customer_number}")
        return total((Money(i.remaining, self.currency) for i in chosen), self.currency) + self.credit


def balances(invoices: Iterable[Invoice]) -> list[Balance]:
    """The open items grouped per customer and currency (items with nothing remaining left out), sorted by
    customer number, then currency."""
    groups: dict[tuple[int, str], list[Invoice]] = {}
    for invoice in invoices:
        if invoice.remaining != 0:
            groups.setdefault((invoice.customer_number, currency_of(invoice)), []).append(invoice)
    result = []
    for (customer, currency), items in sorted(groups.items()):
        debts = tuple(sorted((i for i in items if i.remaining > 0), key=lambda i: (i.due_date, i.number)))
        credits = tuple(sorted((i for i in items if i.remaining < 0), key=lambda i: (i.date, i.number)))
        result.append(Balance(customer, currency, debts, credits))
    return result


def meets_minimum(amount: Money, minimum: Money) -> bool:
    """A positive amount at or above the minimum of its currency (``CurrencyMismatch`` if they differ)."""
    return amount.positive and amount >= minimum
