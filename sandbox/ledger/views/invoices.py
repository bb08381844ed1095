"""Invoices: the filtered, paged list and each invoice as a PDF."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request

from sandbox.ledger import db, pdf
from sandbox.ledger.records import Invoice
from sandbox.ledger.state import conn, state
from sandbox.ledger.views.filters import customer_filter
from sandbox.ledger.views.paging import paging

bp = Blueprint("invoices", __name__)
STATUSES = {"open": "Åbne", "overdue": "Forfaldne", "all": "Alle"}


def _keep(inv: Invoice, status: str) -> bool:
    if status == "all":
        return True
    if status == "overdue":
        return inv.remaining > 0 and inv.due_date < state().config.today
    return inv.remaining != 0


@bp.route("/fakturaer")
def listing() -> str:
    status = request.args.get("status", "open")
    if status not in STATUSES:
        status = "open"
    customers, kunde = customer_filter()  # one or more customer numbers ("1001, 1002")
    found = db.invoices(conn()) if customers is None else sorted(
        (i for c in customers for i in db.invoices(conn(), c)), key=lambda i: i.number)
    rows = [i for i in found if _keep(i, status)]
    pg = paging("invoices.listing", len(rows), status=status, kunde=kunde)
    names = db.customer_names(conn(), customers)
    return render_template(
        "invoices.html", rows=rows[pg.offset : pg.offset + pg.size], paging=pg, status=status, statuses=STATUSES,
        kunde=kunde, names=names,
    )


@bp.route("/fakturaer/<int:number>.pdf")
def invoice_pdf(number: int) -> Response:
    inv = db.invoice(conn(), number)
    if inv is None:
        abort(404)
    customer = db.customer(conn(), inv.customer_number)
    assert customer is not None
    body = pdf.invoice_pdf(db.company(conn()), customer, inv)
    return Response(body, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="faktura-{number}.pdf"'})
