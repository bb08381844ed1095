"""The emulator's Flask app: the Sheets API, the admin endpoints and the browser view.

Admin endpoints (not part of Google's API, never counted as API requests):

- ``POST /emulator/faults {"status": 429, "count": 2, "message"?: str, "match"?: str}``: the next ``count``
  API requests (whose path contains ``match``, if given) fail with that status and a Google-shaped error body.
  ``DELETE /emulator/faults`` drops pending faults. ``"after_write": true``: the request is carried out first and
  only its answer is the error (a write that happened although the client was told it failed).
- ``GET /emulator/stats``: ``{"total", "faulted", "spreadsheets": {id: n}, "methods": {name: n}}``;
  ``DELETE /emulator/stats`` resets the counts.
- ``GET|POST /emulator/config {"queue_spreadsheet_id": ..., "service_account": bool}``: which spreadsheet the
  view's buttons enqueue to; ``service_account``: the API callers are a service account, so creating a
  spreadsheet (Drive files.create, spreadsheets.create) is refused with Google's 403 "The user's Drive storage
  quota has been exceeded." (default false, so the demo can create its sheets).
- ``POST /emulator/spreadsheets {"title": ...}``: a spreadsheet a person created in Google Sheets (first tab
  "Ark1", as in a Danish account), to share with the robot; answers ``{"id", "title"}``. Not an API request.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify, request

from sandbox.sheets.api import register_api
from sandbox.sheets.db import Database
from sandbox.sheets.state import EmulatorState
from sandbox.sheets.view import register_view


def create_app(db_path: str = ":memory:", queue_spreadsheet_id: str | None = None) -> Flask:
    app = Flask(__name__)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]
    state = EmulatorState(Database(db_path))
    if queue_spreadsheet_id:
        state.queue_id = queue_spreadsheet_id
    app.extensions["sheets_emulator"] = state
    register_api(app, state)
    register_admin(app, state)
    register_view(app, state)
    return app


def emulator_state(app: Flask) -> EmulatorState:
    state: EmulatorState = app.extensions["sheets_emulator"]
    return state


def register_admin(app: Flask, state: EmulatorState) -> None:
    @app.route("/emulator/faults", methods=["POST", "DELETE"])
    def faults() -> Any:
        if request.method == "DELETE":
            state.faults.clear()
            return {"ok": True}
        body = request.get_json(silent=True) or {}
        try:
            status, count = int(body["status"]), int(body.get("count", 1))
        except (KeyError, TypeError, ValueError):
            resp: Response = jsonify({"error": 'Send {"status": 429, "count": 2}'})
            resp.status_code = 400
            return resp
        state.add_fault(status, count, body.get("message"), str(body.get("match") or ""),
                        after_write=bool(body.get("after_write")))
        return {"ok": True, "pending": sum(f.remaining for f in state.faults)}

    @app.after_request
    def lose_answer(response: Response) -> Response:
        if not request.path.startswith("/v4/") or response.status_code >= 300:
            return response
        fault = state.take_lost_answer(request.path)
        if fault is None:
            return response
        lost: Response = jsonify(fault.body())
        lost.status_code = fault.code
        return lost

    @app.route("/emulator/stats", methods=["GET", "DELETE"])
    def stats() -> Any:
        if request.method == "DELETE":
            state.reset_stats()
        return state.stats()

    @app.route("/emulator/config", methods=["GET", "POST"])
    def config() -> Any:
        if request.method == "POST":
            body = request.get_json(silent=True) or {}
            if "queue_spreadsheet_id" in body:
                state.queue_id = body["queue_spreadsheet_id"] or None
            if "service_account" in body:
                state.service_account = bool(body["service_account"])
        return {"queue_spreadsheet_id": state.queue_id, "service_account": state.service_account}

    @app.post("/emulator/spreadsheets")
    def person_creates() -> Any:
        body = request.get_json(silent=True) or {}
        doc = state.create(str(body.get("title") or "Unavngivet regneark"), first_sheet="Ark1")
        return {"id": doc["id"], "title": doc["title"]}

    @app.get("/")
    def root() -> Any:
        return app.redirect("/view")
