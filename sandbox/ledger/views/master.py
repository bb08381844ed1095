"""Master data: customers (list, detail), payment terms, the company itself."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from sandbox.ledger import db
from sandbox.ledger.state import conn, state
from sandbox.ledger.views.filters import customer_filter
from sandbox.ledger.views.paging import paging

bp = Blueprint("master", __name__)


@bp.route("/kunder")
def customers() -> str:
    """The customer list, searched (``q``) and filtered to customer numbers (``kunde``, as the other lists)."""
    search = request.args.get("q", "").strip()
    numbers, kunde = customer_filter()
    size = state().config.page_size
    _, total = db.customers(conn(), search, 0, 0, numbers)
    pg = paging("master.customers", total, q=search, kunde=kunde)
    rows, _ = db.customers(conn(), search, pg.offset, size, numbers)
    terms = {t.number: t.name for t in db.terms(conn())}
    return render_template("customers.html", rows=rows, paging=pg, q=search, kunde=kunde, terms=terms)


@bp.route("/kunder/<int:number>")
def customer(number: int) -> str:
    found = db.customer(conn(), number)
    if found is None:
        abort(404)
    terms = {t.number: t for t in db.terms(conn())}
    return render_template("customer.html", c=found, term=terms.get(found.payment_term))


@bp.route("/betalingsbetingelser")
def terms() -> str:
    return render_template("terms.html", rows=db.terms(conn()))


@bp.route("/firma")
def company() -> str:
    return render_template("company.html", c=db.company(conn()))
