"""The sandbox's records as e-conomic's REST resources: field names, nesting and self links as the API has them
(``_customers.md``, ``_customer-groups.md``, ``_payment-terms.md``, ``_invoices.md``, ``_self.md``).

Money is a JSON number with two decimals; a boolean that is false is left out, as e-conomic does. The sandbox
keeps a customer group by name only, so group numbers are the groups' places in name order (1, 2, ...).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from flask import request

from sandbox.ledger.records import Company, Contact, Customer, Invoice, Term

VAT_RATE = Decimal("0.25")
TERM_TYPES = {"net": "net", "current_month": "invoiceMonth"}
Json = dict[str, Any]


def url(path: str) -> str:
    """An absolute link into the API (what e-conomic calls a self link)."""
    return f"{request.host_url.rstrip('/')}/restapi{path}"


def money(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.01")))


def group_numbers(customers: Iterable[Customer]) -> dict[str, int]:
    names = sorted({c.group for c in customers if c.group})
    return {name: i for i, name in enumerate(names, start=1)}


def customer_group(name: str, number: int) -> Json:
    return {"customerGroupNumber": number, "name": name, "self": url(f"/customer-groups/{number}")}


def payment_term(t: Term) -> Json:
    return {"paymentTermsNumber": t.number, "name": t.name, "daysOfCredit": t.days,
            "paymentTermsType": TERM_TYPES.get(t.kind, "net"), "description": t.name,
            "self": url(f"/payment-terms/{t.number}")}


def customer(c: Customer, groups: dict[str, int], balance: Decimal) -> Json:
    out: Json = {
        "customerNumber": c.number,
        "name": c.name,
        "currency": "DKK",
        "email": c.email,
        "address": c.address,
        "zip": c.postal_code,
        "city": c.city,
        "country": c.country,
        "telephoneAndFaxNumber": c.phone,
        "balance": money(balance),
        "paymentTerms": {"paymentTermsNumber": c.payment_term, "self": url(f"/payment-terms/{c.payment_term}")},
        "vatZone": {"vatZoneNumber": 1 if c.country == "DK" else 3,
                    "self": url(f"/vat-zones/{1 if c.country == 'DK' else 3}")},
        "contacts": url(f"/customers/{c.number}/contacts"),
        "self": url(f"/customers/{c.number}"),
    }
    if c.cvr:
        out["corporateIdentificationNumber"] = c.cvr
    if c.group in groups:
        number = groups[c.group]
        out["customerGroup"] = {"customerGroupNumber": number, "self": url(f"/customer-groups/{number}")}
    if not c.active:
        out["barred"] = True
    return out


def contact(customer_number: int, number: int, k: Contact) -> Json:
    """A customer contact; the sandbox's contact role is what e-conomic keeps in the contact's notes."""
    return {
        "customerContactNumber": number,
        "name": k.name,
        "email": k.email,
        "phone": k.phone,
        "notes": k.role,
        "sortKey": number,
        "customer": {"customerNumber": customer_number, "self": url(f"/customers/{customer_number}")},
        "self": url(f"/customers/{customer_number}/contacts/{number}"),
    }


def invoice(v: Invoice, c: Customer, term: Term | None) -> Json:
    net = (v.amount / (1 + VAT_RATE)).quantize(Decimal("0.01"))
    out: Json = {
        "bookedInvoiceNumber": v.number,
        "date": v.date.isoformat(),
        "dueDate": v.due_date.isoformat(),
        "currency": v.currency,
        "exchangeRate": 100.0,
        "netAmount": money(net),
        "netAmountInBaseCurrency": money(net),
        "grossAmount": money(v.amount),
        "grossAmountInBaseCurrency": money(v.amount),
        "vatAmount": money(v.amount - net),
        "roundingAmount": 0.0,
        "remainder": money(v.remaining),
        "remainderInBaseCurrency": money(v.remaining),
        "customer": {"customerNumber": c.number, "self": url(f"/customers/{c.number}")},
        "recipient": {"name": c.name, "address": c.address, "zip": c.postal_code, "city": c.city,
                      "country": c.country},
        "pdf": {"download": url(f"/invoices/booked/{v.number}/pdf")},
        "self": url(f"/invoices/booked/{v.number}"),
    }
    if term is not None:
        out["paymentTerms"] = payment_term(term)
    return out


def self_resource(company: Company, agreement_number: str, username: str) -> Json:
    return {
        "agreementNumber": int(agreement_number),
        "userName": username,
        "companyAffiliation": "Self",
        "company": {
            "name": company.name,
            "addressLine1": company.address,
            "zip": company.postal_code,
            "city": company.city,
            "country": "Danmark",
            "companyIdentificationNumber": company.cvr,
            "vatNumber": company.cvr,
            "email": company.email,
            "phoneNumber": company.phone,
        },
        "bankInformation": {"bankAccountNumber": company.bank_account},
        "self": url("/self"),
    }
