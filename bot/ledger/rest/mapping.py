"""From e-conomic's JSON resources to the domain types (field names as in the REST API's schemas).

A customer's group comes as a number (``customerGroup.customerGroupNumber``): its name is looked up in the
customer groups. A contact's role is what e-conomic keeps in the contact's ``notes``. An invoice's amount is its
``grossAmount`` (VAT included, negative for a credit note), what is left of it its ``remainder``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from bot.records import Company, Contact, Customer, Invoice, PaymentTerm

Json = Mapping[str, Any]


def _text(j: Json, key: str) -> str:
    value = j.get(key)
    return "" if value is None else str(value)


def _number(j: Json, key: str) -> int:
    value = j.get(key)
    return int(value) if isinstance(value, int | Decimal) else 0


def _ref(j: Json, obj: str, key: str) -> int:
    inner = j.get(obj)
    return _number(inner, key) if isinstance(inner, Mapping) else 0


def _money(j: Json, key: str) -> Decimal:
    return Decimal(str(j.get(key) or 0))


def group_names(groups: Sequence[Json]) -> dict[int, str]:
    return {int(g["customerGroupNumber"]): _text(g, "name") for g in groups}


def customer(j: Json, groups: Mapping[int, str], contacts: tuple[Contact, ...] = ()) -> Customer:
    return Customer(
        number=int(j["customerNumber"]), name=_text(j, "name"), cvr=_text(j, "corporateIdentificationNumber"),
        country=_text(j, "country"), email=_text(j, "email"),
        group=groups.get(_ref(j, "customerGroup", "customerGroupNumber"), ""),
        payment_term=_ref(j, "paymentTerms", "paymentTermsNumber"), active=not j.get("barred", False),
        address=_text(j, "address"), postal_code=_text(j, "zip"), city=_text(j, "city"),
        phone=_text(j, "telephoneAndFaxNumber"), contacts=contacts,
    )


def contact(j: Json) -> Contact:
    return Contact(name=_text(j, "name"), role=_text(j, "notes"), email=_text(j, "email"), phone=_text(j, "phone"))


def term(j: Json) -> PaymentTerm:
    return PaymentTerm(number=int(j["paymentTermsNumber"]), name=_text(j, "name"), days=_number(j, "daysOfCredit"))


def invoice(j: Json) -> Invoice:
    return Invoice(
        number=int(j["bookedInvoiceNumber"]), customer_number=_ref(j, "customer", "customerNumber"),
        date=date.fromisoformat(_text(j, "date")), due_date=date.fromisoformat(_text(j, "dueDate")),
        amount=_money(j, "grossAmount"), remaining=_money(j, "remainder"), currency=_text(j, "currency") or "DKK",
    )


def company(j: Json) -> Company:
    c: Json = j.get("company") or {}
    bank: Json = j.get("bankInformation") or {}
    return Company(
        name=_text(c, "name"), cvr=_text(c, "companyIdentificationNumber"), address=_text(c, "addressLine1"),
        postal_code=_text(c, "zip"), city=_text(c, "city"), email=_text(c, "email"), phone=_text(c, "phoneNumber"),
        bank_account=_text(bank, "bankAccountNumber"),
    )
