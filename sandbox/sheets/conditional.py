"""Conditional formatting as Google keeps it: ``addConditionalFormatRule`` / ``deleteConditionalFormatRule`` store
``ConditionalFormatRule`` objects in the sheet's ``conditionalFormats`` list (returned by spreadsheets.get), and
the first boolean rule whose ranges hold a cell and whose condition the cell's formatted value meets gives the
cell its format. The sheet view shows that format (background and text colour)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sandbox.sheets.book import ApiError, Book

_TEXT_CONDITIONS: dict[str, Callable[[str, str], bool]] = {
    "TEXT_CONTAINS": lambda text, arg: arg in text,
    "TEXT_NOT_CONTAINS": lambda text, arg: arg not in text,
    "TEXT_STARTS_WITH": lambda text, arg: text.startswith(arg),
    "TEXT_ENDS_WITH": lambda text, arg: text.endswith(arg),
    "TEXT_EQ": lambda text, arg: text == arg,
}


def add_rule(book: Book, body: dict[str, Any], i: int) -> dict[str, Any]:
    rule = body.get("rule") or {}
    ranges = rule.get("ranges") or []
    if not ranges:
        raise ApiError(400, f"Invalid requests[{i}].addConditionalFormatRule: A conditional format rule must "
                            "have at least one range.")
    if ("booleanRule" in rule) == ("gradientRule" in rule):
        raise ApiError(400, f"Invalid requests[{i}].addConditionalFormatRule: Exactly one of booleanRule or "
                            "gradientRule must be set.")
    sheet_ids = {int(r.get("sheetId", 0)) for r in ranges}
    if len(sheet_ids) != 1:
        raise ApiError(400, f"Invalid requests[{i}].addConditionalFormatRule: All ranges must be on the same "
                            "sheet.")
    sheet = book.sheet_by_id(sheet_ids.pop())
    rules: list[dict[str, Any]] = sheet.setdefault("conditionalFormats", [])
    index = int(body.get("index", 0))
    if index < 0 or index > len(rules):
        raise ApiError(400, f"Invalid requests[{i}].addConditionalFormatRule: Invalid index {index}.")
    rules.insert(index, rule)
    return {}


def delete_rule(book: Book, body: dict[str, Any], i: int) -> dict[str, Any]:
    sheet = book.sheet_by_id(int(body.get("sheetId", 0)))
    rules: list[dict[str, Any]] = sheet.get("conditionalFormats") or []
    index = int(body.get("index", 0))
    if not 0 <= index < len(rules):
        raise ApiError(400, f"Invalid requests[{i}].deleteConditionalFormatRule: No conditional format on sheet "
                            f"{sheet['properties']['sheetId']} at index {index}.")
    return {"deleteConditionalFormatRule": {"rule": rules.pop(index)}}


def _holds(rng: dict[str, Any], r: int, c: int) -> bool:
    return (int(rng.get("startRowIndex", 0)) <= r < int(rng.get("endRowIndex", 10**9))
            and int(rng.get("startColumnIndex", 0)) <= c < int(rng.get("endColumnIndex", 10**9)))


def _meets(condition: dict[str, Any], text: str) -> bool:
    kind = str(condition.get("type", ""))
    values = condition.get("values") or [{}]
    arg = str(values[0].get("userEnteredValue", ""))
    if kind in _TEXT_CONDITIONS:
        return _TEXT_CONDITIONS[kind](text, arg)
    if kind == "BLANK":
        return text == ""
    if kind == "NOT_BLANK":
        return text != ""
    return False  # number, date and formula conditions are not modelled


def cell_format(sheet: dict[str, Any], r: int, c: int, text: str) -> dict[str, Any]:
    """The format the first matching boolean rule gives the cell ({} when none does)."""
    for rule in sheet.get("conditionalFormats") or []:
        boolean = rule.get("booleanRule")
        if boolean and any(_holds(g, r, c) for g in rule.get("ranges", [])) and \
                _meets(boolean.get("condition") or {}, text):
            return dict(boolean.get("format") or {})
    return {}


def css_colour(colour: dict[str, Any] | None) -> str:
    """Google's Color (red, green, blue in 0..1; a missing part is 0) as "#rrggbb"; "" for none."""
    if not colour:
        return ""
    return "#" + "".join(f"{round(float(colour.get(k, 0)) * 255):02x}" for k in ("red", "green", "blue"))


def view_style(fmt: dict[str, Any]) -> dict[str, str]:
    style = {"bg": css_colour(fmt.get("backgroundColor")),
             "fg": css_colour((fmt.get("textFormat") or {}).get("foregroundColor"))}
    return {k: v for k, v in style.items() if v}
