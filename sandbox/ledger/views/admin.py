"""Test and demo controls: fault injection, forced logout, a JSON view of sent reminders. No login."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from flask import Blueprint, jsonify, request
from werkzeug.wrappers import Response

from sandbox.ledger import db
from sandbox.ledger.faults import FaultSpec
from sandbox.ledger.state import conn, state

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/faults", methods=["GET", "POST"])
def faults() -> Response | tuple[Response, int]:
    st = state()
    if request.method == "POST":
        try:
            st.faults.set(FaultSpec.from_json(request.get_json(force=True) or {}))
        except (ValueError, TypeError) as e:
            return jsonify({"error": str(e)}), 400
    return jsonify(st.faults.spec.to_json())


@bp.route("/logout-all", methods=["POST"])
def logout_all() -> Response:
    return jsonify({"ended": state().end_all_sessions()})


@bp.route("/state")
def snapshot() -> Response:
    st = state()
    sent = [r for r in db.reminders(conn()) if r.date == st.config.today]
    def plain(r: Any) -> dict[str, Any]:
        return {"number": r.number, "customer_number": r.customer_number, "level": r.level,
                "date": r.date.isoformat(), "invoice_numbers": list(r.invoice_numbers), "fee": str(r.fee),
                "amount": str(r.amount), "text": r.text}
    return jsonify({
        "today": st.config.today.isoformat(),
        "reminders_total": len(db.reminders(conn())),
        "reminders_sent_today": len(sent),
        "sent_today": [plain(r) for r in sent],
        "faults": st.faults.spec.to_json(),
        "faults_injected": st.faults.injected,
    })


@bp.route("/payment", methods=["POST"])
def payment() -> Response | tuple[Response, int]:
    """Register a payment (or a credit) on an invoice: ``{"invoice": 10234, "amount": "500.00"}``; without an
    amount the whole remaining amount is paid. Answers the invoice as it now stands."""
    body = request.get_json(force=True) or {}
    try:
        number = int(body["invoice"])
        found = db.invoice(conn(), number)
        if found is None:
            return jsonify({"error": f"no invoice {number}"}), 404
        amount = Decimal(str(body["amount"])) if body.get("amount") not in (None, "") else found.remaining
    except (KeyError, ValueError, TypeError, InvalidOperation) as e:
        return jsonify({"error": f"bad payment: {e}"}), 400
    remaining = found.remaining - amount
    conn().execute("UPDATE invoices SET remaining = ? WHERE number = ?", (str(remaining), number))
    return jsonify({"invoice": number, "amount": str(found.amount), "remaining": str(remaining)})


_CUSTOMER_FIELDS = ("name", "cvr", "email", "address", "postal_code", "city", "phone")


@bp.route("/customer/<int:number>", methods=["POST"])
def customer(number: int) -> Response | tuple[Response, int]:
    """Change a customer's master data, e.g. ``{"address": ""}`` (a debtor the partner cannot reach)."""
    body = request.get_json(force=True) or {}
    fields = {k: str(v) for k, v in body.items() if k in _CUSTOMER_FIELDS}
    if not fields or set(body) - set(fields):
        return jsonify({"error": f"fields: {', '.join(_CUSTOMER_FIELDS)}"}), 400
    if db.customer(conn(), number) is None:
        return jsonify({"error": f"no customer {number}"}), 404
    conn().execute(f"UPDATE customers SET {', '.join(f'{k} = ?' for k in fields)} WHERE number = ?",
                   (*fields.values(), number))
    return jsonify({"customer": number, **fields})
