"""Test and demo controls: fault injection, forced logout, a JSON view of sent reminders. No login."""

from __future__ import annotations

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
