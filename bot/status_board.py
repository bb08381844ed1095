"""The "Robot status" cell of each client's Instruks tab, written as the job moves."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from sheets_schema import STATUS_CELL

log = logging.getLogger(__name__)


class CellWriter(Protocol):
    def set_cells(self, cells: Mapping[str, Any]) -> None: ...


class SheetStatusBoard:
    """Best effort: a status write that fails is logged, never fails the job (the queue row holds the truth)."""

    def __init__(self, open_store: Callable[[str], CellWriter]) -> None:
        self._open_store = open_store

    def show(self, client_sheet: str, text: str) -> None:
        try:
            self._open_store(client_sheet).set_cells({STATUS_CELL: text})
        except Exception:  # noqa: BLE001
            log.warning("could not write the status cell of %s: %s", client_sheet, text, exc_info=True)
