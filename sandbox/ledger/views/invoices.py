"""Invoices: the filtered, paged list and each invoice as a PDF."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request

from sandbox.ledger import db, pdf
from sandbox.ledger.records import Invoice
from sandbox.ledger.state import conn, state
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
    raw_customer = request.args.get("kunde", "").strip()
    customer = int(raw_customer) if raw_customer.isdigit() else None
    rows = [i for i in db.invoices(conn(), customer) if _keep(i, status)]
    pg = paging("invoices.listing", len(rows), status=status, kunde=raw_customer if customer else "")
    names = db.customer_names(conn())
    return render_template(
        "invoices.html", rows=rows[pg.offset : pg.offset + pg.size], paging=pg, status=status, statuses=STATUSES,
        kunde=raw_customer if customer else "", names=names,
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
