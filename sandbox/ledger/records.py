"""The sandbox ledger's own records and the JSON dataset format (see docs/sandbox-data.md)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any


class DataError(ValueError):
    """The dataset JSON is malformed; the message names the record and field."""


@dataclass(frozen=True)
class Company:
    name: str
    cvr: str
    address: str
    postal_code: str
    city: str
    email: str
    phone: str
    bank_account: str


@dataclass(frozen=True)
class Term:
    number: int
    name: str
    days: int
    kind: str = "net"  # "net": invoice date + days; "current_month": end of invoice month + days


@dataclass(frozen=True)
class Contact:
    name: str
    role: str
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Customer:
    number: int
    name: str
    cvr: str
    country: str
    email: str
    group: str
    payment_term: int
    active: bool = True
    address: str = ""
    postal_code: str = ""
    city: str = ""
    phone: str = ""
    contacts: tuple[Contact, ...] = ()


@dataclass(frozen=True)
class Invoice:
    number: int
    customer_number: int
    date: dt.date
    due_date: dt.date
    amount: Decimal
    remaining: Decimal
    currency: str = "DKK"


@dataclass(frozen=True)
class Reminder:
    number: int
    customer_number: int
    level: int
    date: dt.date
    invoice_numbers: tuple[int, ...]
    fee: Decimal
    amount: Decimal
    text: str = ""


@dataclass(frozen=True)
class Dataset:
    company: Company
    payment_terms: tuple[Term, ...]
    customers: tuple[Customer, ...]
    invoices: tuple[Invoice, ...]
    reminders: tuple[Reminder, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {
            "company": _plain(self.company),
            "payment_terms": [_plain(t) for t in self.payment_terms],
            "customers": [
                {**_plain(c), "contacts": [_plain(k) for k in c.contacts]} for c in self.customers
            ],
            "invoices": [_plain(i) for i in self.invoices],
            "reminders": [{**_plain(r), "invoice_numbers": list(r.invoice_numbers)} for r in self.reminders],
        }

    @staticmethod
    def from_json(data: dict[str, Any]) -> Dataset:
        if not isinstance(data, dict):
            raise DataError("the dataset must be a JSON object with company, payment_terms, customers, invoices")
        company = Company(**_fields(data, "company", Company.__dataclass_fields__, "company"))
        terms = tuple(
            Term(
                number=_int(t, "number", f"payment_terms[{i}]"),
                name=_str(t, "name", f"payment_terms[{i}]"),
                days=_int(t, "days", f"payment_terms[{i}]"),
                kind=str(t.get("kind", "net")),
            )
            for i, t in enumerate(_list(data, "payment_terms"))
        )
        customers = []
        for i, c in enumerate(_list(data, "customers")):
            where = f"customers[{i}]"
            contacts = tuple(
                Contact(
                    name=_str(k, "name", f"{where}.contacts[{j}]"),
                    role=_str(k, "role", f"{where}.contacts[{j}]"),
                    email=str(k.get("email", "")),
                    phone=str(k.get("phone", "")),
                )
                for j, k in enumerate(_list(c, "contacts", where, optional=True))
            )
            customers.append(
                Customer(
                    number=_int(c, "number", where),
                    name=_str(c, "name", where),
                    cvr=str(c.get("cvr", "")),
                    country=str(c.get("country", "DK")),
                    email=str(c.get("email", "")),
                    group=str(c.get("group", "")),
                    payment_term=_int(c, "payment_term", where),
                    active=_bool(c, "active", where, default=True),
                    address=str(c.get("address", "")),
                    postal_code=str(c.get("postal_code", "")),
                    city=str(c.get("city", "")),
                    phone=str(c.get("phone", "")),
                    contacts=contacts,
                )
            )
        invoices = tuple(
            Invoice(
                number=_int(v, "number", f"invoices[{i}]"),
                customer_number=_int(v, "customer_number", f"invoices[{i}]"),
                date=_date(v, "date", f"invoices[{i}]"),
                due_date=_date(v, "due_date", f"invoices[{i}]"),
                amount=_dec(v, "amount", f"invoices[{i}]"),
                remaining=_dec(v, "remaining", f"invoices[{i}]"),
                currency=str(v.get("currency", "DKK")),
            )
            for i, v in enumerate(_list(data, "invoices"))
        )
        reminders = tuple(
            Reminder(
                number=_int(r, "number", f"reminders[{i}]"),
                customer_number=_int(r, "customer_number", f"reminders[{i}]"),
                level=_int(r, "level", f"reminders[{i}]"),
                date=_date(r, "date", f"reminders[{i}]"),
                invoice_numbers=_ints(r, "invoice_numbers", f"reminders[{i}]"),
                fee=_dec(r, "fee", f"reminders[{i}]"),
                amount=_dec(r, "amount", f"reminders[{i}]"),
                text=str(r.get("text", "")),
            )
            for i, r in enumerate(_list(data, "reminders", optional=True))
        )
        ds = Dataset(company, terms, tuple(customers), invoices, reminders)
        ds.check()
        return ds

    def check(self) -> None:
        for key, numbers in (
            ("payment_terms", [t.number for t in self.payment_terms]),
            ("customers", [c.number for c in self.customers]),
            ("invoices", [i.number for i in self.invoices]),
            ("reminders", [r.number for r in self.reminders]),
        ):
            twice = sorted(n for n, k in Counter(numbers).items() if k > 1)
            if twice:
                raise DataError(f"{key}: number {twice[0]} is used more than once; numbers must be unique")
        terms = {t.number for t in self.payment_terms}
        custs = {c.number for c in self.customers}
        invs = {i.number for i in self.invoices}
        for c in self.customers:
            if c.payment_term not in terms:
                raise DataError(f"customer {c.number}: payment_term {c.payment_term} is not in payment_terms")
        for i in self.invoices:
            if i.customer_number not in custs:
                raise DataError(f"invoice {i.number}: customer_number {i.customer_number} is not in customers")
        for r in self.reminders:
            if r.customer_number not in custs:
                raise DataError(f"reminder {r.number}: customer_number {r.customer_number} is not in customers")
            if r.level not in (1, 2, 3):
                raise DataError(f"reminder {r.number}: level must be 1, 2 or 3")
            missing = [n for n in r.invoice_numbers if n not in invs]
            if missing:
                raise DataError(f"reminder {r.number}: invoice_numbers {missing} are not in invoices")


def _plain(obj: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in obj.__dataclass_fields__:
        value = getattr(obj, name)
        if name == "contacts":
            continue
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        out[name] = value
    return out


def _list(data: dict[str, Any], key: str, where: str = "", optional: bool = False) -> list[dict[str, Any]]:
    """The list of objects under ``key`` (``[]`` when optional and absent)."""
    name = f"{where}.{key}" if where else key
    value = data.get(key, [] if optional else None)
    if not isinstance(value, list):
        raise DataError(f"'{name}' must be a list")
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            raise DataError(f"{name}[{i}] must be an object")
    return value


def _fields(data: dict[str, Any], key: str, names: Any, where: str) -> dict[str, str]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise DataError(f"'{key}' must be an object")
    return {n: _str(value, n, where) for n in names}


def _get(obj: Any, key: str, where: str) -> Any:
    if not isinstance(obj, dict) or key not in obj:
        raise DataError(f"{where}: missing field '{key}'")
    return obj[key]


def _str(obj: Any, key: str, where: str) -> str:
    return str(_get(obj, key, where))


def _int(obj: Any, key: str, where: str) -> int:
    value = _get(obj, key, where)
    try:
        return int(value)
    except (TypeError, ValueError) as e:
        raise DataError(f"{where}.{key}: not a whole number") from e


def _dec(obj: Any, key: str, where: str) -> Decimal:
    value = _get(obj, key, where)
    try:
        amount = Decimal(str(value))
    except InvalidOperation as e:
        raise DataError(f"{where}.{key}: not an amount like \"1234.50\"") from e
    if not amount.is_finite():
        raise DataError(f"{where}.{key}: not an amount like \"1234.50\"")
    return amount


def _date(obj: Any, key: str, where: str) -> date:
    value = _get(obj, key, where)
    try:
        return date.fromisoformat(str(value))
    except ValueError as e:
        raise DataError(f"{where}.{key}: not a date like \"2026-01-31\"") from e


def _bool(obj: dict[str, Any], key: str, where: str, default: bool) -> bool:
    value = obj.get(key, default)
    if not isinstance(value, bool):
        raise DataError(f"{where}.{key}: must be true or false")
    return value


def _ints(obj: dict[str, Any], key: str, where: str) -> tuple[int, ...]:
    value = obj.get(key, [])
    try:
        if not isinstance(value, list):
            raise TypeError(key)
        return tuple(int(n) for n in value)
    except (TypeError, ValueError) as e:
        raise DataError(f"{where}.{key}: must be a list of invoice numbers like [10001, 10002]") from e
