"""The REST endpoints the robot reads, served from the same SQLite data as the web pages."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection
from decimal import Decimal
from typing import Any

from flask import Blueprint, Response, jsonify, request

from sandbox.ledger import db, pdf
from sandbox.ledger.records import Customer, Invoice
from sandbox.ledger.restapi import filters, resources
from sandbox.ledger.restapi.errors import bad_request, not_found
from sandbox.ledger.restapi.paging import PagingError, envelope
from sandbox.ledger.state import conn, state

Json = dict[str, Any]
CUSTOMER_FILTERS = ("customerNumber", "name", "email", "corporateIdentificationNumber", "barred", "country", "city",
                    "zip", "customerGroup.customerGroupNumber", "paymentTerms.paymentTermsNumber")
INVOICE_FILTERS = ("bookedInvoiceNumber", "date", "dueDate", "currency", "remainder", "grossAmount",
                   "customer.customerNumber")
TERM_FILTERS = ("paymentTermsNumber", "name", "daysOfCredit", "paymentTermsType")
GROUP_FILTERS = ("customerGroupNumber", "name")


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/self", view_func=self_)
    bp.add_url_rule("/customers", view_func=customers)
    bp.add_url_rule("/customers/<int:number>", view_func=customer)
    bp.add_url_rule("/customers/<int:number>/contacts", view_func=contacts)
    bp.add_url_rule("/customer-groups", view_func=groups)
    bp.add_url_rule("/customer-groups/<int:number>", view_func=group)
    bp.add_url_rule("/payment-terms", view_func=terms)
    bp.add_url_rule("/payment-terms/<int:number>", view_func=term)
    bp.add_url_rule("/invoices/booked", view_func=booked)
    bp.add_url_rule("/invoices/booked/<int:number>", view_func=booked_one)
    bp.add_url_rule("/invoices/booked/<int:number>/pdf", view_func=booked_pdf)
    bp.add_url_rule("/invoices/unpaid", view_func=unpaid)
    bp.add_url_rule("/invoices/overdue", view_func=overdue)


def _collection(rows: list[Json], filterable: Collection[str]) -> Response:
    try:
        keep = filters.parse(request.args.get("filter", ""), filterable)
        return jsonify(envelope([r for r in rows if keep(r)], len(rows)))
    except filters.FilterError as e:
        return bad_request(str(e), "Filterable properties: " + ", ".join(filterable) + ".")
    except PagingError as e:
        return bad_request(str(e), "Use skippages=0,1,2... and pagesize up to 1000.")


def self_() -> Response:
    cfg = state().config
    return jsonify(resources.self_resource(db.company(conn()), cfg.agreement_number, cfg.username))


# -- customers -------------------------------------------------------------------------------------------------
def _customer_rows() -> tuple[list[Customer], dict[str, int], dict[int, Decimal]]:
    found, _ = db.customers(conn())
    balances: dict[int, Decimal] = defaultdict(Decimal)
    for v in db.invoices(conn()):
        balances[v.customer_number] += v.remaining
    return found, resources.group_numbers(found), balances


def customers() -> Response:
    found, numbers, balances = _customer_rows()
    return _collection([resources.customer(c, numbers, balances[c.number]) for c in found], CUSTOMER_FILTERS)


def customer(number: int) -> Response:
    found, numbers, balances = _customer_rows()
    match = next((c for c in found if c.number == number), None)
    if match is None:
        return not_found(f"Customer {number}")
    return jsonify(resources.customer(match, numbers, balances[number]))


def contacts(number: int) -> Response:
    found = db.customer(conn(), number)
    if found is None:
        return not_found(f"Customer {number}")
    rows = [resources.contact(number, i, k) for i, k in enumerate(found.contacts, start=1)]
    return _collection(rows, ("customerContactNumber", "name", "email"))


def _groups() -> list[Json]:
    found, _ = db.customers(conn())
    return [resources.customer_group(name, n) for name, n in resources.group_numbers(found).items()]


def groups() -> Response:
    return _collection(_groups(), GROUP_FILTERS)


def group(number: int) -> Response:
    return _one([g for g in _groups() if g["customerGroupNumber"] == number], f"Customer group {number}")


def terms() -> Response:
    return _collection([resources.payment_term(t) for t in db.terms(conn())], TERM_FILTERS)


def term(number: int) -> Response:
    return _one([resources.payment_term(t) for t in db.terms(conn()) if t.number == number],
                f"Payment terms {number}")


def _one(rows: list[Json], what: str) -> Response:
    return jsonify(rows[0]) if rows else not_found(what)


# -- invoices --------------------------------------------------------------------------------------------------
def _invoices(keep: Callable[[Invoice], bool]) -> tuple[list[Json], int]:
    everything = db.invoices(conn())
    found, _ = db.customers(conn())
    by_number = {c.number: c for c in found}
    term_by_number = {t.number: t for t in db.terms(conn())}
    rows = []
    for v in everything:
        if keep(v):
            c = by_number[v.customer_number]
            rows.append(resources.invoice(v, c, term_by_number.get(c.payment_term)))
    return rows, len(everything)


def _invoice_collection(keep: Callable[[Invoice], bool]) -> Response:
    rows, _ = _invoices(keep)
    return _collection(rows, INVOICE_FILTERS)


def booked() -> Response:
    return _invoice_collection(lambda v: True)


def unpaid() -> Response:
    """Booked invoices with something left to settle (credit notes with a remainder too), as the web UI's
    "Åbne"."""
    return _invoice_collection(lambda v: v.remaining != 0)


def overdue() -> Response:
    """Unpaid invoices past their due date, as the web UI's "Forfaldne"."""
    today = state().config.today
    return _invoice_collection(lambda v: v.remaining > 0 and v.due_date < today)


def booked_one(number: int) -> Response:
    rows, _ = _invoices(lambda v: v.number == number)
    return _one(rows, f"Booked invoice {number}")


def booked_pdf(number: int) -> Response:
    inv = db.invoice(conn(), number)
    if inv is None:
        return not_found(f"Booked invoice {number}")
    debtor = db.customer(conn(), inv.customer_number)
    assert debtor is not None
    body = pdf.invoice_pdf(db.company(conn()), debtor, inv)
    return Response(body, mimetype="application/pdf")
