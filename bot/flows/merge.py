"""Rewriting a proposals tab: rows someone acted on stay as they are; open proposals are replaced by this run's,
keeping the user's tick and comment where the same proposal comes again."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any, TypeVar

from sheets_schema import Row

P = TypeVar("P")


def merge(
    existing: Sequence[Row],
    proposals: Sequence[P],
    key_column: str,
    key_of: Callable[[P], str],
    kept_statuses: Collection[str],
    to_row: Callable[[P, bool, str], dict[str, Any]],
) -> tuple[list[dict[str, Any]], list[P]]:
    """The tab's new rows, and the proposals that are new in them."""
    kept = [dict(r.values) for r in existing if str(r.values.get("status") or "") in kept_statuses]
    kept_keys = {str(r[key_column]) for r in kept}
    previous = {str(r.values.get(key_column)): r.values for r in existing
                if str(r.values.get("status") or "") not in kept_statuses}
    fresh = [p for p in proposals if key_of(p) not in kept_keys]
    rows = kept + [to_row(p, bool(previous.get(key_of(p), {}).get("approve")),
                          str(previous.get(key_of(p), {}).get("comment") or "")) for p in fresh]
    return rows, fresh
