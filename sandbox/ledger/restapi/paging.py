"""Collections: ``skippages``/``pagesize`` (default 20, at most 1000) and the envelope e-conomic wraps every
collection in: ``collection``, ``pagination`` (first/next/last page links) and ``self``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from flask import request

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 1000


class PagingError(ValueError):
    """skippages or pagesize is not a whole number in range."""


def page_args() -> tuple[int, int]:
    """(skippages, pagesize) from the query string."""
    try:
        skip = int(request.args.get("skippages", "0"))
        size = int(request.args.get("pagesize", str(DEFAULT_PAGE_SIZE)))
    except ValueError:
        raise PagingError("skippages and pagesize must be whole numbers.") from None
    if skip < 0 or not 1 <= size <= MAX_PAGE_SIZE:
        raise PagingError(f"pagesize must be between 1 and {MAX_PAGE_SIZE}, skippages 0 or more.")
    return skip, size


def _url(skip: int, size: int) -> str:
    args = {k: v for k, v in request.args.items() if k not in ("skippages", "pagesize")}
    args.update(skippages=str(skip), pagesize=str(size))
    return f"{request.base_url}?{urlencode(args)}"


def envelope(rows: Sequence[dict[str, Any]], total_without_filter: int) -> dict[str, Any]:
    """One page of ``rows`` (already filtered and sorted) in e-conomic's collection envelope."""
    skip, size = page_args()
    last = max(0, -(-len(rows) // size) - 1)
    pagination: dict[str, Any] = {
        "maxPageSizeAllowed": MAX_PAGE_SIZE,
        "skipPages": skip,
        "pageSize": size,
        "results": len(rows),
        "resultsWithoutFilter": total_without_filter,
        "firstPage": _url(0, size),
        "lastPage": _url(last, size),
    }
    if skip < last:
        pagination["nextPage"] = _url(skip + 1, size)
    if skip > 0:
        pagination["previousPage"] = _url(min(skip - 1, last), size)
    return {
        "collection": list(rows[skip * size:(skip + 1) * size]),
        "pagination": pagination,
        "self": _url(skip, size),
    }
