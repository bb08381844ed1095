"""Paging arguments shared by the list pages (``?side=N``, 1-based)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import request, url_for

from sandbox.ledger.state import state


@dataclass(frozen=True)
class Paging:
    page: int
    size: int
    total: int
    endpoint: str
    args: dict[str, str]

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    def url(self, page: int) -> str:
        values: dict[str, Any] = {**self.args, "side": str(page)}
        return url_for(self.endpoint, **values)

    @property
    def next_url(self) -> str | None:
        return self.url(self.page + 1) if self.page < self.pages else None

    @property
    def prev_url(self) -> str | None:
        return self.url(self.page - 1) if self.page > 1 else None


def paging(endpoint: str, total: int, **args: str) -> Paging:
    try:
        page = max(1, int(request.args.get("side", "1")))
    except ValueError:
        page = 1
    return Paging(page, state().config.page_size, total, endpoint, {k: v for k, v in args.items() if v})
