"""The browser view: each spreadsheet's tabs as tables, checkboxes to tick, editable user cells and the buttons.

The buttons do what the Apps Script buttons do in Google: append a job row to the queue spreadsheet (unless
one of the same type for this client is already waiting) and set the client's status cell to "Venter på
robot". The page polls ``/view/<id>/data`` every 2 seconds. View requests are the user's, not the robot's:
they are not counted as API requests and never hit injected faults.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Flask, abort, render_template, request

from jobqueue.rows import has_waiting_job, new_job_row
from sandbox.sheets import a1, conditional
from sandbox.sheets.book import ApiError, Book
from sandbox.sheets.state import EmulatorState
from sandbox.sheets.values import FORMATTED, render
from sheets_schema import (
    CLIENT_TABS,
    INSTRUKS,
    QUEUE,
    STATUS_CELL,
    Button,
    JobStatus,
    ProposalStatus,
    SettingsTab,
    Tab,
    column_letter,
)

REQUESTED_BY = "Arkvisning"
_SCHEMA: dict[str, Tab | SettingsTab] = {t.name: t for t in (*CLIENT_TABS, QUEUE)}


def _buttons(title: str) -> tuple[Button, ...]:
    tab = _SCHEMA.get(title)
    return tab.buttons if tab is not None else ()


def _editable_columns(book: Book, sheet: dict[str, Any]) -> set[int]:
    """0-based columns the user may edit: user_editable columns found by header; Instruks column B."""
    title = sheet["properties"]["title"]
    tab = _SCHEMA.get(title)
    if isinstance(tab, SettingsTab):
        return {1}
    if tab is None:
        return set()
    wanted = {c.header for c in tab.columns if c.user_editable}
    header = sheet["rows"][0] if sheet["rows"] else []
    return {i for i, cell in enumerate(header) if render(cell, FORMATTED) in wanted}


def _editable(sheet: dict[str, Any], columns: set[int], r: int, c: int) -> bool:
    """Data rows of the user's columns; on Instruks not the robot's own status cell."""
    if sheet["properties"]["title"] == INSTRUKS.name and r == INSTRUKS.row("robot_status") - 1:
        return False
    return r > 0 and c in columns


def sheet_data(book: Book) -> dict[str, Any]:
    tabs = []
    for sheet in book.sheets:
        title = sheet["properties"]["title"]
        editable = _editable_columns(book, sheet)
        rows_n = len(sheet["rows"])
        width = max((len(r) for r in sheet["rows"]), default=0)
        checkbox_cols = {v["c0"] for v in sheet["validations"] if (v["rule"] or {}).get("condition", {}).get("type")
                         == "BOOLEAN"}
        width = max([width, *(c + 1 for c in checkbox_cols)])
        rows = []
        for r in range(rows_n):
            cells = []
            for c in range(width):
                cell = book.cell(sheet, r, c)
                condition = (book.validation_at(sheet, r, c) or {}).get("condition", {})
                box = condition.get("type") == "BOOLEAN"
                choices = [str(v.get("userEnteredValue", "")) for v in condition.get("values", [])
                           ] if condition.get("type") == "ONE_OF_LIST" else []
                shown = render(cell, FORMATTED, book.number_format(sheet, r, c))
                style = conditional.view_style(conditional.cell_format(sheet, r, c, str(shown)))
                cells.append({"v": shown if not box else "", "checkbox": box, "choices": choices, "style": style,
                              "checked": cell is True or (isinstance(cell, str) and cell.upper() == "TRUE"),
                              "editable": _editable(sheet, editable, r, c) and not box,
                              "ref": f"{column_letter(c)}{r + 1}"})
            rows.append(cells)
        tabs.append({"name": title, "columns": [column_letter(c) for c in range(width)], "rows": rows,
                     "buttons": [{"label": b.label, "function": b.function} for b in _buttons(title)]})
    status, status_style = "", {}
    instruks = book.sheet_by_title(INSTRUKS.name)
    if instruks is not None:
        r = INSTRUKS.row("robot_status") - 1
        status = render(book.cell(instruks, r, 1), FORMATTED)
        status_style = conditional.view_style(conditional.cell_format(instruks, r, 1, str(status)))
    return {"id": book.doc["id"], "title": book.doc["title"], "modified": book.doc["modifiedTime"],
            "robotStatus": status, "robotStatusStyle": status_style, "tabs": tabs}


def register_view(app: Flask, state: EmulatorState) -> None:
    def book_or_404(book_id: str) -> Book:
        try:
            return state.book(book_id)
        except ApiError:
            abort(404)

    @app.get("/view")
    def view_index() -> Any:
        docs = state.db.all()
        return render_template("index.html", books=docs, queue_id=state.queue_id)

    @app.get("/view/<book_id>")
    def view_page(book_id: str) -> Any:
        book = book_or_404(book_id)
        return render_template("view.html", book=book.doc, is_queue=book_id == state.queue_id)

    @app.get("/view/<book_id>/data")
    def view_data(book_id: str) -> Any:
        return sheet_data(book_or_404(book_id))

    @app.post("/view/<book_id>/cell")
    def view_cell(book_id: str) -> Any:
        body = request.get_json(silent=True) or {}
        with state.db.locked():
            book = book_or_404(book_id)
            sheet = book.sheet_by_title(str(body.get("sheet", "")))
            if sheet is None:
                return {"ok": False, "message": "Fanen findes ikke."}, 404
            r, c = int(body.get("row", 0)), int(body.get("col", 0))
            value = body.get("value")
            if not (book.is_checkbox(sheet, r, c) or _editable(sheet, _editable_columns(book, sheet), r, c)):
                return {"ok": False, "message": "Denne celle skrives af robotten og kan ikke redigeres her."}, 403
            rule = book.validation_at(sheet, r, c) or {}
            condition = rule.get("condition") or {}
            listed = [str(v.get("userEnteredValue", "")) for v in condition.get("values", [])]
            if condition.get("type") == "ONE_OF_LIST" and rule.get("strict") and value not in ("", None, *listed):
                return {"ok": False, "message": f"«{value}» er ikke et af valgene i rullelisten."}, 400
            if isinstance(value, bool):
                book.put(sheet, r, c, value)
            else:
                book.enter(sheet, r, c, str(value or ""))
            state.save(book)
        return {"ok": True}

    def approve_all(book_id: str, title: str) -> dict[str, Any]:
        """Tick Godkend on every open proposal (status Foreslået) of the tab."""
        tab = _SCHEMA.get(title)
        with state.db.locked():
            book = book_or_404(book_id)
            sheet = book.sheet_by_title(title)
            if sheet is None or not isinstance(tab, Tab) or not sheet["rows"]:
                return {"ok": False, "message": "Fanen findes ikke."}
            header = [render(c, FORMATTED) for c in sheet["rows"][0]]
            missing = [tab.column(k).header for k in ("approve", "status") if tab.column(k).header not in header]
            if missing:
                return {"ok": False, "message": f"Kolonnen «{missing[0]}» mangler i række 1 på fanen «{title}»."}
            approve, status = (header.index(tab.column(k).header) for k in ("approve", "status"))
            rows = [r for r in range(1, len(sheet["rows"]))
                    if render(book.cell(sheet, r, status), FORMATTED) == ProposalStatus.PROPOSED.value
                    and book.cell(sheet, r, approve) is not True]
            for r in rows:
                book.put(sheet, r, approve, True)
            state.save(book)
        return {"ok": True, "queued": False, "message": f"{len(rows)} forslag godkendt på fanen «{title}»."}

    @app.post("/view/<book_id>/button")
    def view_button(book_id: str) -> Any:
        body = request.get_json(silent=True) or {}
        button = next((b for b in _buttons(str(body.get("sheet", ""))) if b.function == body.get("function")), None)
        if button is None:
            return {"ok": False, "message": "Ukendt knap."}, 404
        if button.job_type is None:  # "Godkend alle": acts in the sheet, as its Apps Script function does
            return approve_all(book_id, str(body.get("sheet", "")))
        queue_id = state.queue_id
        if not queue_id:
            return {"ok": False, "message": "Emulatoren kender ikke køarket endnu. Kør bootstrap (eller demo), "
                                            "eller start emulatoren med --queue-id."}, 409
        with state.db.locked():
            client = book_or_404(book_id)
            try:
                queue = client if queue_id == book_id else state.book(queue_id)
                _, rows = queue.read(a1.quote_sheet(QUEUE.name), "ROWS", FORMATTED)
            except ApiError:
                return {"ok": False, "message": f"Køarket ({queue_id}) mangler fanen «{QUEUE.name}»."}, 409
            if has_waiting_job(rows[1:], book_id, button.job_type):
                return {"ok": True, "queued": False,
                        "message": f"«{button.label}» venter allerede på robotten. "
                                   "Der blev ikke lagt et job mere i kø."}
            row = new_job_row(str(uuid.uuid4()), datetime.now(UTC), book_id, button.job_type, REQUESTED_BY)
            queue.append(f"{a1.quote_sheet(QUEUE.name)}!A:{column_letter(len(QUEUE.columns) - 1)}", [row],
                         user_entered=False, insert_rows=False)
            state.save(queue)
            if client.sheet_by_title(INSTRUKS.name) is not None:
                client.write(STATUS_CELL, [[JobStatus.WAITING.value]], "ROWS", user_entered=False)
                state.save(client)
        return {"ok": True, "queued": True, "message": f"«{button.label}» er sat i kø. Robotten går i gang om lidt."}
