"""The building blocks of the schema: columns, buttons, table tabs and settings tabs (no tab is declared here), and
the row a table tab is read as."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from sheets_schema.statuses import JobType


class ColumnKind(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    MONEY = "money"
    DATE = "date"  # ISO yyyy-mm-dd text
    DATETIME = "datetime"  # ISO yyyy-mm-ddTHH:MM:SS text (UTC)
    CHECKBOX = "checkbox"


@dataclass(frozen=True)
class Column:
    key: str  # stable identifier used by code
    header: str  # exact Danish header text in row 1
    kind: ColumnKind = ColumnKind.TEXT
    user_editable: bool = False  # the user may edit it (Godkend, Kommentar); others are the robot's
    choices: tuple[str, ...] = ()  # a dropdown of exactly these values (bootstrap sets the validation)
    help: str = ""  # shown as the header cell's note (bootstrap writes it)


@dataclass(frozen=True)
class Button:
    label: str
    job_type: JobType | None  # None: the button acts in the sheet itself and queues no job ("Godkend alle")
    function: str  # Apps Script function name assigned to the drawing


@dataclass(frozen=True)
class Tab:
    """A table tab: header row 1, one record per row from row 2."""

    name: str
    columns: tuple[Column, ...]
    buttons: tuple[Button, ...] = ()
    frozen_rows: int = 1

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(f"{self.name}: no column with key {key!r}")

    def index(self, key: str) -> int:
        """0-based position of a column."""
        return [c.key for c in self.columns].index(key)

    def letter(self, key: str) -> str:
        return column_letter(self.index(key))

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    @property
    def checkbox_keys(self) -> list[str]:
        return [c.key for c in self.columns if c.kind is ColumnKind.CHECKBOX]

    @property
    def choice_keys(self) -> list[str]:
        return [c.key for c in self.columns if c.choices]


@dataclass(frozen=True)
class Setting:
    key: str
    label: str  # column A
    default: str = ""  # value written by bootstrap into column B
    help: str = ""  # column C
    choices: tuple[str, ...] = ()  # allowed values (dropdown), empty = free text


@dataclass(frozen=True)
class SettingsTab:
    """The Instruks tab: header row, then one setting per row; label A, value B, help C."""

    name: str
    settings: tuple[Setting, ...]
    buttons: tuple[Button, ...] = ()
    header: tuple[str, str, str] = ("Indstilling", "Værdi", "Forklaring")
    frozen_rows: int = 1

    def row(self, key: str) -> int:
        """1-based sheet row of a setting."""
        for i, s in enumerate(self.settings):
            if s.key == key:
                return i + 2
        raise KeyError(f"{self.name}: no setting with key {key!r}")

    def cell(self, key: str) -> str:
        """A1 cell of a setting's value, e.g. "B7"."""
        return f"B{self.row(key)}"

    def ref(self, key: str) -> str:
        """Cell with tab name, e.g. "Instruks!B7", as error messages name it."""
        return f"{self.name}!{self.cell(key)}"

    def setting(self, key: str) -> Setting:
        return self.settings[self.row(key) - 2]


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


class Row(Protocol):
    """A row of a table tab as read: its sheet row number and its values by column key."""

    @property
    def number(self) -> int: ...

    @property
    def values(self) -> Mapping[str, Any]: ...
