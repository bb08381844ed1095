"""Reminders: today's candidates and sending, the history, reminder PDFs, and the inkasso list."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from sandbox.ledger import db, fmt, pdf, rules
from sandbox.ledger.records import Reminder
from sandbox.ledger.state import conn, state
from sandbox.ledger.views.paging import paging

bp = Blueprint("reminders", __name__)


def _candidates() -> list[rules.Candidate]:
    cfg = state().config
    return rules.candidates(db.invoices(conn()), db.reminders(conn()), cfg.reminders, cfg.today)


def _page(error: str = "", fee: str = "", text: str = "", status: int = 200) -> tuple[str, int]:
    cfg = state().config
    html = render_template(
        "reminders.html", rows=_candidates(), names=db.customer_names(conn()), error=error,
        fee=fee or fmt.amount(cfg.reminders.fees[0]), text=text,
    )
    return html, status


@bp.route("/rykkere")
def candidates() -> tuple[str, int]:
    return _page()


@bp.route("/rykkere/send", methods=["POST"])
def send() -> BaseResponse | tuple[str, int]:
    cfg = state().config
    fee_text, text = request.form.get("fee", ""), request.form.get("text", "").strip()
    selected = set(request.form.getlist("select"))
    try:
        fee = fmt.parse_amount(fee_text)
    except InvalidOperation:
        return _page("Gebyr skal være et beløb, fx 100,00.", fee_text, text, 400)
    if fee < 0:
        return _page("Gebyr kan ikke være negativt.", fee_text, text, 400)
    if not selected:
        return _page("Vælg mindst én rykker.", fee_text, text, 400)
    todo, found = [], set()
    for c in _candidates():
        key = f"{c.customer_number}-{c.level}"
        if key in selected:
            found.add(key)
            todo.append(Reminder(0, c.customer_number, c.level, cfg.today, c.invoice_numbers, fee, c.amount, text))
    numbers = db.add_reminders(conn(), todo) if todo else []
    missing = sorted(selected - found)
    return redirect(url_for("reminders.sent", numre=",".join(map(str, numbers)), mangler=",".join(missing)))


@bp.route("/rykkere/sendt")
def sent() -> str:
    numbers = [int(n) for n in request.args.get("numre", "").split(",") if n.isdigit()]
    missing = [m for m in request.args.get("mangler", "").split(",") if m]
    rows = [r for n in numbers for r in db.reminders(conn(), number=n)]
    return render_template("reminder_sent.html", rows=rows, missing=missing, names=db.customer_names(conn()))


@bp.route("/rykkere/historik")
def history() -> str:
    raw = request.args.get("kunde", "").strip()
    customer = int(raw) if raw.isdigit() else None
    rows = db.reminders(conn(), customer=customer)
    pg = paging("reminders.history", len(rows), kunde=raw if customer else "")
    return render_template(
        "history.html", rows=rows[pg.offset : pg.offset + pg.size], paging=pg, kunde=raw if customer else "",
        names=db.customer_names(conn()),
    )


@bp.route("/rykkere/<int:number>.pdf")
def reminder_pdf(number: int) -> Response:
    found = db.reminders(conn(), number=number)
    if not found:
        abort(404)
    r = found[0]
    customer = db.customer(conn(), r.customer_number)
    assert customer is not None
    invoices = [i for i in (db.invoice(conn(), n) for n in r.invoice_numbers) if i is not None]
    body = pdf.reminder_pdf(db.company(conn()), customer, r, invoices)
    return Response(body, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="rykker-{number}.pdf"'})


@bp.route("/inkasso")
def inkasso() -> str:
    cfg = state().config
    rows = rules.inkasso(db.invoices(conn()), db.reminders(conn()), cfg.reminders, cfg.today)
    total = sum((r.remaining for r in rows), Decimal(0))
    return render_template("inkasso.html", rows=rows, names=db.customer_names(conn()), total=total)
