"""Reminders: today's candidates (filtered by customer and level, as in a real accounting UI) and sending,
the history, reminder PDFs, and the inkasso list."""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal, InvalidOperation

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from sandbox.ledger import db, fmt, pdf, rules
from sandbox.ledger.records import Reminder
from sandbox.ledger.state import conn, state
from sandbox.ledger.views.filters import customer_filter, customer_numbers
from sandbox.ledger.views.paging import paging

bp = Blueprint("reminders", __name__)
LEVELS = (1, 2, 3)


def _candidates(customers: Collection[int] | None = None, level: int | None = None) -> list[rules.Candidate]:
    """Today's candidates, of only these customers and this level when given (only their invoices are read:
    a filtered page costs what it shows, not what the ledger holds)."""
    cfg = state().config
    invoices = db.invoices(conn()) if customers is None else [i for c in sorted(set(customers))
                                                               for i in db.invoices(conn(), c)]
    reminders = db.reminders(conn()) if customers is None else db.reminders_of(conn(), customers)
    found = rules.candidates(invoices, reminders, cfg.reminders, cfg.today)
    return [c for c in found if level is None or c.level == level]


def _level(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and int(raw) in LEVELS else None


def _page(customers: list[int] | None, kunde: str, level: int | None, error: str = "", fee: str = "",
          text: str = "", status: int = 200) -> tuple[str, int]:
    """The whole list is paged (50 a page); a list filtered by customer is shown whole, so everything the
    filter found can be ticked and sent at once."""
    cfg = state().config
    rows = _candidates(customers, level)
    pg = None
    if customers is None:
        pg = paging("reminders.candidates", len(rows), rykker=str(level or ""))
        rows = rows[pg.offset : pg.offset + pg.size]
    html = render_template(
        "reminders.html", rows=rows, names=db.customer_names(conn(), {r.customer_number for r in rows}),
        error=error, fee=fee or fmt.amount(cfg.reminders.fees[0]), text=text, kunde=kunde, level=level or "",
        levels=LEVELS, paging=pg,
    )
    return html, status


@bp.route("/rykkere")
def candidates() -> tuple[str, int]:
    customers, kunde = customer_filter()
    return _page(customers, kunde, _level(request.args.get("rykker", "")))


@bp.route("/rykkere/send", methods=["POST"])
def send() -> BaseResponse | tuple[str, int]:
    cfg = state().config
    fee_text, text = request.form.get("fee", ""), request.form.get("text", "").strip()
    selected = set(request.form.getlist("select"))
    customers = sorted({int(k.split("-", 1)[0]) for k in selected if k.split("-", 1)[0].isdigit()})

    def again(error: str) -> tuple[str, int]:  # the same filtered page, with what was typed and the error
        kunde = request.form.get("kunde", "").strip()
        return _page(customer_numbers(kunde), kunde, _level(request.form.get("rykker", "")), error, fee_text,
                     text, 400)

    try:
        fee = fmt.parse_amount(fee_text)
    except InvalidOperation:
        return again("Gebyr skal være et beløb, fx 100,00.")
    if fee < 0:
        return again("Gebyr kan ikke være negativt.")
    if not selected:
        return again("Vælg mindst én rykker.")
    todo, found = [], set()
    for c in _candidates(customers):
        key = f"{c.customer_number}-{c.level}"
        if key in selected:
            covered = _covered(c, request.form.get(f"fakturaer-{key}"))
            if covered is None:
                continue
            found.add(key)
            numbers_, amount = covered
            todo.append(Reminder(0, c.customer_number, c.level, cfg.today, numbers_, fee, amount, text))
    numbers = db.add_reminders(conn(), todo) if todo else []
    missing = sorted(selected - found)
    return redirect(url_for("reminders.sent", numre=",".join(map(str, numbers)), mangler=",".join(missing)))


def _covered(c: rules.Candidate, typed: str | None) -> tuple[tuple[int, ...], Decimal] | None:
    """The invoices a reminder covers and their remaining amount: the row's own when its "Fakturaer" field was
    not sent, else exactly the numbers typed there, each an open, overdue invoice of the row's customer (any
    other, or none, and the row is not sent)."""
    if typed is None:
        return c.invoice_numbers, c.amount
    parts = [p.strip() for p in typed.replace(";", ",").split(",") if p.strip()]
    if not parts or not all(p.isdigit() for p in parts):
        return None
    today = state().config.today
    found = [db.invoice(conn(), int(p)) for p in dict.fromkeys(parts)]
    if any(i is None or i.customer_number != c.customer_number or i.remaining <= 0 or i.due_date >= today
           for i in found):
        return None
    chosen = sorted((i for i in found if i is not None), key=lambda i: i.number)
    return tuple(i.number for i in chosen), sum((i.remaining for i in chosen), Decimal(0))


@bp.route("/rykkere/sendt")
def sent() -> str:
    numbers = [int(n) for n in request.args.get("numre", "").split(",") if n.isdigit()]
    missing = [m for m in request.args.get("mangler", "").split(",") if m]
    by_number = {r.number: r for r in db.reminders_of(conn(), numbers=numbers)}
    rows = [by_number[n] for n in numbers if n in by_number]
    return render_template("reminder_sent.html", rows=rows, missing=missing,
                           names=db.customer_names(conn(), {r.customer_number for r in rows}))


@bp.route("/rykkere/historik")
def history() -> str:
    customers, kunde = customer_filter()  # one or more customer numbers
    rows = db.reminders(conn()) if customers is None else db.reminders_of(conn(), customers)
    pg = paging("reminders.history", len(rows), kunde=kunde)
    return render_template(
        "history.html", rows=rows[pg.offset : pg.offset + pg.size], paging=pg, kunde=kunde,
        names=db.customer_names(conn(), customers),
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
