"""The debtor's master data a collection partner needs before it can act on a case.

A company (a customer with a CVR number, or in the group "Erhverv" or "Offentlig") needs an address, an e-mail,
a phone number and its CVR number; a person needs a name and an address. An address is street, postal code and
city. A case whose debtor lacks any is proposed with the gap named and not handed over until the data is in the
ledger or the bookkeeper ticks "Send trods mangler" in its row.
"""

from __future__ import annotations

from bot.errors import NotInLedger
from bot.records import Customer

__all__ = ["COMPANY_GROUPS", "MissingMasterData", "gaps_text", "is_company", "master_data_gaps"]

COMPANY_GROUPS = frozenset({"erhverv", "offentlig"})


class MissingMasterData(NotInLedger):
    """The debtor lacks master data the partner needs, and nobody confirmed sending it anyway."""


def is_company(customer: Customer) -> bool:
    return bool(customer.cvr.strip()) or customer.group.strip().lower() in COMPANY_GROUPS


def master_data_gaps(customer: Customer) -> list[str]:
    """What is missing, in Danish words for the sheet ("adresse", "telefon", ...); empty when complete."""
    gaps: list[str] = []
    if not customer.name.strip():
        gaps.append("navn")
    address = [customer.address, customer.postal_code, customer.city]
    if not all(part.strip() for part in address):
        gaps.append("adresse" if not any(part.strip() for part in address) else _address_parts(customer))
    if is_company(customer):
        if not customer.email.strip():
            gaps.append("e-mail")
        if not customer.phone.strip():
            gaps.append("telefon")
        if not customer.cvr.strip():
            gaps.append("CVR-nummer")
    return gaps


def _address_parts(customer: Customer) -> str:
    named = [("vejnavn", customer.address), ("postnummer", customer.postal_code), ("by", customer.city)]
    return "adresse (" + ", ".join(name for name, value in named if not value.strip()) + ")"


def gaps_text(gaps: list[str]) -> str:
    return ", ".join(gaps)
