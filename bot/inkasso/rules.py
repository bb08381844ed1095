"""Inkasso case proposals from the ledger's inkasso list, never proposing the same claim twice.

Rules, applied to the inkasso list's lines in order:

1. ``case_id`` is ``I-{customer}-{invoice numbers sorted, joined by "-"}`` (``case_id()``).
2. A line whose case id is in ``handed_over`` (the robot's log of cases approved and handed over) is dropped.
3. Invoices already handed over are removed from a line: an invoice counts as handed over when it appears in
   any handed-over case id of the same customer (``parse_case_id``; ids of another form are ignored). A line
   left with no invoices is dropped, so a re-issued list with the same invoices proposes nothing; a line
   with some new invoices becomes a case of only the new ones (the partner already holds the others).
   Invoices proposed by an earlier line of the same list count the same way, so a repeated line is dropped.
4. ``original_amount`` and ``remaining`` sum the case's invoices from ``invoices`` (matched by number and
   customer). If any is not found, ``remaining`` is the line's remaining less the remaining of the line's
   found invoices that rule 3 removed, and each missing invoice counts its unknown amount as its remaining.
5. ``reminders`` are the customer's reminders that cover any of the case's invoices and none of the
   customer's handed-over invoices (their fee was claimed with the earlier case), sorted by date then level;
   ``claim`` is ``remaining`` plus their fees (in a foreign currency ``remaining`` only: the fees are DKK).
6. A customer the ledger marks inactive gets no case. A line's invoices are split per currency
   (EUR and DKK are never summed): one case per currency. The customer's unused credit notes in that
   currency (open items with a negative remaining, not yet handed over) are part of the case: netted into
   ``remaining`` and listed with the invoices, so the partner sees them. A balance of zero or less after
   them gets no case.

The proposals are sorted by customer number, then case id.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from decimal import Decimal

from bot.inkasso.models import CaseProposal
from bot.records import Customer, InkassoCase, Invoice, Reminder

__all__ = ["case_id", "parse_case_id", "propose_cases", "reminders_summary"]

_ZERO = Decimal(0)


def case_id(customer_number: int, invoice_numbers: Iterable[int]) -> str:
    return f"I-{customer_number}-{'-'.join(str(n) for n in sorted(invoice_numbers))}"


def parse_case_id(text: str) -> tuple[int, tuple[int, ...]] | None:
    """``"I-1001-5-7"`` -> ``(1001, (5, 7))``; None for anything else."""
    parts = text.strip().split("-")
    if len(parts) < 3 or parts[0] != "I" or not all(p.isdigit() for p in parts[1:]):
        return None
    return int(parts[1]), tuple(int(p) for p in parts[2:])


def _handed_over_invoices(handed_over: Collection[str]) -> dict[int, set[int]]:
    taken: dict[int, set[int]] = {}
    for text in handed_over:
        parsed = parse_case_id(text)
        if parsed is not None:
            taken.setdefault(parsed[0], set()).update(parsed[1])
    return taken


def _amounts(line: InkassoCase, numbers: tuple[int, ...], found: dict[int, Invoice]) -> tuple[Decimal, Decimal]:
    """(original_amount, remaining) of the case's invoices ``numbers`` out of ``line``."""
    mine = [found[n] for n in numbers if n in found]
    original = sum((i.amount for i in mine), _ZERO)
    remaining = sum((i.remaining for i in mine), _ZERO)
    if len(mine) == len(numbers):
        return original, remaining
    removed = sum((found[n].remaining for n in set(line.invoice_numbers) - set(numbers) if n in found), _ZERO)
    missing = line.remaining - removed - remaining
    return original + missing, line.remaining - removed


def customers_to_read(inkasso_list: Sequence[InkassoCase], handed_over: Collection[str]) -> list[int]:
    """The customers whose invoices and reminders a run must read: those with an invoice on the inkasso list
    not yet handed over. (A re-run after most cases went out reads little.)"""
    taken = _handed_over_invoices(handed_over)
    return sorted({line.customer_number for line in inkasso_list
                   if set(line.invoice_numbers) - taken.get(line.customer_number, set())})


def _currency(invoice: Invoice | None) -> str:
    return (invoice.currency.strip().upper() or "DKK") if invoice is not None else "DKK"


def _by_currency(numbers: Sequence[int], found: Mapping[int, Invoice]) -> dict[str, tuple[int, ...]]:
    groups: dict[str, list[int]] = {}
    for n in numbers:
        groups.setdefault(_currency(found.get(n)), []).append(n)
    return {c: tuple(ns) for c, ns in sorted(groups.items(), key=lambda g: (g[0] != "DKK", g[0]))}


def propose_cases(inkasso_list: Sequence[InkassoCase], invoices: Sequence[Invoice], reminders: Sequence[Reminder],
                  handed_over: Collection[str], customers: Mapping[int, Customer] | None = None
                  ) -> list[CaseProposal]:
    """One proposal per inkasso line and currency not yet handed over (see the module's rules); ``customers``
    (by number) leaves out the inactive ones."""
    earlier = _handed_over_invoices(handed_over)
    taken = {customer: set(numbers) for customer, numbers in earlier.items()}
    proposals: list[CaseProposal] = []
    for line in inkasso_list:
        customer = line.customer_number
        known = customers.get(customer) if customers is not None else None
        if known is not None and not known.active:
            continue
        if case_id(customer, line.invoice_numbers) in handed_over:
            continue
        done = taken.setdefault(customer, set())
        numbers = tuple(sorted(set(line.invoice_numbers) - done))
        if not numbers:
            continue
        done.update(numbers)
        found = {i.number: i for i in invoices if i.customer_number == customer and i.number in line.invoice_numbers}
        for currency, debts in _by_currency(numbers, found).items():
            proposal = _case(line, debts, currency, found, invoices, reminders, earlier.get(customer, set()), done)
            if proposal is not None:
                proposals.append(proposal)
    proposals.sort(key=lambda p: (p.customer_number, p.case_id))
    return proposals


def _case(line: InkassoCase, debts: tuple[int, ...], currency: str, found: Mapping[int, Invoice],
          invoices: Sequence[Invoice], reminders: Sequence[Reminder], old: set[int], done: set[int]
          ) -> CaseProposal | None:
    customer = line.customer_number
    credits = [i for i in invoices if i.customer_number == customer and i.remaining < 0 and _currency(i) == currency
               and i.number not in done and i.number not in old]
    single = len(_by_currency(line.invoice_numbers, found)) == 1  # the line's total may stand in for a missing one
    original, remaining = _amounts(line, debts, dict(found)) if single else _amounts_of(debts, found)
    remaining += sum((c.remaining for c in credits), _ZERO)
    if remaining <= 0:
        return None
    done.update(c.number for c in credits)
    numbers = tuple(sorted([*debts, *(c.number for c in credits)]))
    covering = sorted(
        (r for r in reminders if r.customer_number == customer
         and not old.intersection(r.invoice_numbers) and set(debts).intersection(r.invoice_numbers)),
        key=lambda r: (r.date, r.level, r.number),
    )
    fees = sum((r.fee for r in covering), _ZERO)
    return CaseProposal(
        case_id=case_id(customer, numbers),
        customer_number=customer,
        customer_name=line.customer_name,
        invoice_numbers=numbers,
        original_amount=original + sum((c.amount for c in credits), _ZERO),
        remaining=remaining,
        reminders=tuple(covering),
        claim=remaining + fees if currency == "DKK" else remaining,
        currency=currency,
        fees=fees,
    )


def _amounts_of(numbers: tuple[int, ...], found: Mapping[int, Invoice]) -> tuple[Decimal, Decimal]:
    mine = [found[n] for n in numbers if n in found]
    return sum((i.amount for i in mine), _ZERO), sum((i.remaining for i in mine), _ZERO)


def reminders_summary(reminders: Iterable[Reminder]) -> str:
    """Short Danish text for the sheet: "R1 01-10-2026, R2 15-10-2026, R3 29-10-2026" (by date)."""
    ordered = sorted(reminders, key=lambda r: (r.date, r.level, r.number))
    if not ordered:
        return "Ingen fundet i regnskabet"
    return ", ".join(f"R{r.level} {r.date:%d-%m-%Y}" for r in ordered)
