"""The Sheets API v4 (and the few Drive v3 file calls gspread makes) over HTTP.

Paths are dispatched by hand from the raw request URI: ranges arrive percent-encoded (gspread quotes "/",
":" and "'" in them), and the method suffix (":append", ":batchUpdate") follows a literal colon.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

from flask import Flask, Response, jsonify, request

from sandbox.sheets.book import ApiError, Book
from sandbox.sheets.grid import batch_update, spreadsheet_resource
from sandbox.sheets.state import EmulatorState
from sandbox.sheets.values import FORMATTED, RENDER_OPTIONS

_PREFIX = "/v4/spreadsheets"
_DRIVE = "/drive/v3/files"


def _error(err: ApiError) -> Response:
    resp = jsonify(err.body())
    resp.status_code = err.code
    return resp


def _raw_path() -> str:
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI") or request.full_path
    path = str(raw).split("?", 1)[0]
    if "://" in path:  # absolute-form request target
        path = "/" + path.split("://", 1)[1].split("/", 1)[1]
    return path


def _json() -> dict[str, Any]:
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else {}


def _flag(name: str) -> bool:
    return str(request.args.get(name, "")).lower() == "true"


def _major(value: Any) -> str:
    return "COLUMNS" if str(value or "ROWS").upper() == "COLUMNS" else "ROWS"


def _render(value: Any) -> str:
    option = str(value or FORMATTED)
    if option not in RENDER_OPTIONS:
        raise ApiError(400, f"Invalid value at 'value_render_option' ({option})")
    return option


def _input_option(value: Any) -> bool:
    """True for USER_ENTERED, False for RAW."""
    if not value:
        raise ApiError(400, "'valueInputOption' is required but not specified")
    if value not in ("RAW", "USER_ENTERED"):
        raise ApiError(400, f"Invalid value at 'value_input_option' ({value})")
    return bool(value == "USER_ENTERED")


def register_api(app: Flask, state: EmulatorState) -> None:
    def guarded(book_id: str | None, method: str) -> None:
        state.count(book_id, method)
        fault = state.take_fault(request.path)
        if fault is not None:
            raise fault

    @app.errorhandler(ApiError)
    def api_error(err: ApiError) -> Response:
        return _error(err)

    @app.post(_PREFIX)
    def create_spreadsheet() -> Any:
        guarded(None, "spreadsheets.create")
        state.refuse_service_account()
        body = _json()
        title = (body.get("properties") or {}).get("title") or "Untitled spreadsheet"
        doc = state.create(str(title))
        book = Book(doc)
        asked = {k: v for k, v in (body.get("properties") or {}).items() if k in ("locale", "timeZone") and v}
        if asked:
            doc["properties"] = asked
        wanted = body.get("sheets") or []
        for i, sheet in enumerate(wanted):
            props = dict(sheet.get("properties") or {})
            if i == 0:
                book.update_sheet_properties({"sheetId": 0, "title": props.get("title") or "Sheet1"}, "title")
            else:
                book.add_sheet(props)
        state.save(book)
        state.attribute(doc["id"])
        return spreadsheet_resource(book, request.host_url, include_grid=False, ranges=[])

    @app.route(f"{_PREFIX}/<path:rest>", methods=["GET", "POST", "PUT"])
    def spreadsheet_call(rest: str) -> Any:
        path = _raw_path()[len(_PREFIX) + 1 :]
        head, _, tail = path.partition("/")
        book_id, _, verb = unquote(head).partition(":")
        if not tail:
            if request.method == "GET" and not verb:
                guarded(book_id, "spreadsheets.get")
                book = state.book(book_id)
                return spreadsheet_resource(book, request.host_url, include_grid=_flag("includeGridData"),
                                            ranges=request.args.getlist("ranges"))
            if request.method == "POST" and verb == "batchUpdate":
                guarded(book_id, "spreadsheets.batchUpdate")
                with state.db.locked():
                    book = state.book(book_id)
                    replies = batch_update(book, _json().get("requests") or [])
                    state.save(book)
                return {"spreadsheetId": book_id, "replies": replies}
            raise ApiError(404, f"Unknown method: {path}")
        if tail.startswith("values:"):
            return _values_batch(book_id, tail[len("values:") :])
        if tail.startswith("values/"):
            target = tail[len("values/") :]
            method = ""
            m = re.match(r"^(.*):(append|clear)$", target)
            if m:
                target, method = m.group(1), m.group(2)
            return _values_one(book_id, unquote(target), method)
        raise ApiError(404, f"Unknown method: {path}")

    def _values_one(book_id: str, rng: str, method: str) -> Any:
        if request.method == "GET" and not method:
            guarded(book_id, "values.get")
            book = state.book(book_id)
            major = _major(request.args.get("majorDimension"))
            echoed, values = book.read(rng, major, _render(request.args.get("valueRenderOption")))
            out: dict[str, Any] = {"range": echoed, "majorDimension": major}
            if values:
                out["values"] = values
            return out
        if request.method == "PUT" and not method:
            guarded(book_id, "values.update")
            body = _json()
            with state.db.locked():
                book = state.book(book_id)
                result = book.write(rng, body.get("values") or [], _major(body.get("majorDimension")),
                                    _input_option(request.args.get("valueInputOption")))
                state.save(book)
            return _with_values(book, result, "updatedRange", _flag("includeValuesInResponse"))
        if request.method == "POST" and method == "append":
            guarded(book_id, "values.append")
            body = _json()
            insert = str(request.args.get("insertDataOption") or "OVERWRITE") == "INSERT_ROWS"
            with state.db.locked():
                book = state.book(book_id)
                result = book.append(rng, body.get("values") or [],
                                     _input_option(request.args.get("valueInputOption")), insert)
                state.save(book)
            if _flag("includeValuesInResponse"):
                result["updates"] = _with_values(book, result["updates"], "updatedRange", True)
            return result
        if request.method == "POST" and method == "clear":
            guarded(book_id, "values.clear")
            with state.db.locked():
                book = state.book(book_id)
                cleared = book.clear(rng)
                state.save(book)
            return {"spreadsheetId": book_id, "clearedRange": cleared}
        raise ApiError(404, "Unknown values method")

    def _values_batch(book_id: str, method: str) -> Any:
        if request.method == "GET" and method == "batchGet":
            guarded(book_id, "values.batchGet")
            book = state.book(book_id)
            major = _major(request.args.get("majorDimension"))
            option = _render(request.args.get("valueRenderOption"))
            ranges = []
            for rng in request.args.getlist("ranges"):
                echoed, values = book.read(rng, major, option)
                vr: dict[str, Any] = {"range": echoed, "majorDimension": major}
                if values:
                    vr["values"] = values
                ranges.append(vr)
            return {"spreadsheetId": book_id, "valueRanges": ranges}
        if request.method == "POST" and method == "batchUpdate":
            guarded(book_id, "values.batchUpdate")
            body = _json()
            user_entered = _input_option(body.get("valueInputOption"))
            with state.db.locked():
                book = state.book(book_id)
                responses = [book.write(d.get("range", ""), d.get("values") or [], _major(d.get("majorDimension")),
                                        user_entered) for d in body.get("data") or []]
                state.save(book)
            sheets = {r["updatedRange"].rsplit("!", 1)[0] for r in responses}
            return {"spreadsheetId": book_id,
                    "totalUpdatedRows": sum(r["updatedRows"] for r in responses),
                    "totalUpdatedColumns": sum(r["updatedColumns"] for r in responses),
                    "totalUpdatedCells": sum(r["updatedCells"] for r in responses),
                    "totalUpdatedSheets": len(sheets),
                    "responses": responses}
        if request.method == "POST" and method == "batchClear":
            guarded(book_id, "values.batchClear")
            with state.db.locked():
                book = state.book(book_id)
                cleared = [book.clear(r) for r in _json().get("ranges") or []]
                state.save(book)
            return {"spreadsheetId": book_id, "clearedRanges": cleared}
        raise ApiError(404, "Unknown values method")

    def _with_values(book: Book, result: dict[str, Any], key: str, include: bool) -> dict[str, Any]:
        if include:
            echoed, values = book.read(result[key], "ROWS", _render(request.args.get("responseValueRenderOption")))
            result["updatedData"] = {"range": echoed, "majorDimension": "ROWS", "values": values}
        return result

    # --- Drive v3 files: what gspread's Client.create / open / list / del_spreadsheet call ---------------------
    def _file(doc: dict[str, Any]) -> dict[str, Any]:
        return {"kind": "drive#file", "id": doc["id"], "name": doc["title"],
                "mimeType": "application/vnd.google-apps.spreadsheet",
                "createdTime": doc["createdTime"], "modifiedTime": doc["modifiedTime"]}

    @app.post(_DRIVE)
    def drive_create() -> Any:
        guarded(None, "drive.files.create")
        state.refuse_service_account()
        doc = state.create(str(_json().get("name") or "Untitled spreadsheet"))
        state.attribute(doc["id"])
        return _file(doc)

    @app.get(_DRIVE)
    def drive_list() -> Any:
        guarded(None, "drive.files.list")
        m = re.search(r'name\s*=\s*"((?:[^"\\]|\\.)*)"', request.args.get("q", ""))
        docs = state.db.all()
        if m:
            docs = [d for d in docs if d["title"] == m.group(1)]
        return {"kind": "drive#fileList", "files": [_file(d) for d in docs]}

    @app.route(f"{_DRIVE}/<file_id>", methods=["GET", "DELETE"])
    def drive_file(file_id: str) -> Any:
        guarded(file_id, f"drive.files.{request.method.lower()}")
        if request.method == "DELETE":
            if not state.db.delete(file_id):
                raise ApiError(404, f"File not found: {file_id}.")
            return Response(status=204)
        doc = state.db.load(file_id)
        if doc is None:
            raise ApiError(404, f"File not found: {file_id}.")
        return _file(doc)

