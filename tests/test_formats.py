"""Danish formats from one place (``bot.formats``, Babel's CLDR data): the mail filters, the dunning texts, the
sandbox site and the sheet's money parser agree; bootstrap gives the sheets the same formats, and the emulator
renders them as Google does (numberFormat patterns in the spreadsheet's locale)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation

import gspread
import pytest

from bot import formats
from bot.doctor.bootstrap import bootstrap_client
from bot.sheets.cells import CellValueError, from_cell
from bot.sheets.store import SheetStore
from bot.texts.render import environment
from sandbox.ledger import fmt
from sheets_schema import INSTRUKS, RYKKERFORSLAG, ColumnKind


def test_amounts_dates_and_times_in_danish_and_english() -> None:
    assert formats.number(Decimal("69601.17"), 2) == "69.601,17"
    assert formats.number(-1234) == "-1.234"
    assert formats.number(Decimal("0.005"), 2) == "0,01"  # half up, as a bookkeeper rounds
    assert formats.money(Decimal("1234.5")) == "1.234,50 kr."
    assert formats.money(Decimal("1234.5"), "EUR") == "1.234,50 EUR"
    assert formats.money(Decimal("1234.5"), "DKK", "en_GB") == "DKK 1,234.50"
    assert formats.day(date(2026, 11, 23)) == "23-11-2026" and formats.day(None) == ""
    assert formats.day(date(2026, 11, 23), "en_GB") == "23 Nov 2026"
    moment = datetime(2026, 11, 25, 7, 15, tzinfo=UTC)  # winter: UTC+1
    assert formats.day_and_time(moment) == "25-11-2026 08:15"
    assert formats.clock(datetime(2026, 7, 1, 7, 15, tzinfo=UTC)) == "09:15"  # summer: UTC+2
    with pytest.raises(ValueError):
        formats.local(datetime(2026, 11, 25, 7, 15))


@pytest.mark.parametrize(("amount", "text"), [("0", "0,00 kr."), ("1234.5", "1.234,50 kr."),
                                              ("1000000", "1.000.000,00 kr."), ("-12.3", "-12,30 kr.")])
def test_kroner(amount: str, text: str) -> None:
    assert formats.money(Decimal(amount)) == text


def test_every_formatter_goes_through_the_one_module() -> None:
    value = Decimal("69601.17")
    da, en = environment("da").filters, environment("en").filters  # the mail templates' filters
    assert da["money"](value) == formats.money(value) == "69.601,17 kr."
    assert da["number"](value, 2) == fmt.amount(value) == formats.number(value, 2) == "69.601,17"
    assert da["date"](date(2026, 1, 5)) == fmt.day(date(2026, 1, 5)) == formats.day(date(2026, 1, 5)) == "05-01-2026"
    assert en["money"](value, "DKK") == formats.money(value, "DKK", "en_GB") == "DKK 69,601.17"
    assert en["date"](date(2026, 1, 5)) == "05 Jan 2026"


@pytest.mark.parametrize(("typed", "amount"), [
    ("1.234,50", "1234.50"), ("1234,50", "1234.50"), ("1234.50", "1234.50"), ("1.234.567", "1234567"),
    ("1 234,50 kr.", "1234.50"), ("DKK 99,5", "99.5"), ("-5,25", "-5.25"), ("100", "100"), ("69601.17", "69601.17"),
])
def test_money_typed_as_text_is_read_the_danish_way(typed: str, amount: str) -> None:
    assert from_cell(typed, ColumnKind.MONEY) == Decimal(amount)
    assert formats.parse_amount(typed) == Decimal(amount)


def test_money_cells_that_are_numbers_stay_numbers_and_nonsense_is_named() -> None:
    assert from_cell(69601.17, ColumnKind.MONEY) == Decimal("69601.17")
    assert from_cell(43090, ColumnKind.MONEY) == Decimal(43090)
    with pytest.raises(CellValueError, match="«1,2,3» er ikke et beløb"):
        from_cell("1,2,3", ColumnKind.MONEY)
    with pytest.raises(InvalidOperation):
        fmt.parse_amount("hundrede")
    assert fmt.parse_amount("") == Decimal(0)


def _formatted(gc: gspread.Client, key: str, cell: str) -> str:
    return str(gc.open_by_key(key).values_get(cell, {"valueRenderOption": "FORMATTED_VALUE"})["values"][0][0])


def test_bootstrap_sets_danish_formats_and_the_emulator_renders_them(gc: gspread.Client) -> None:
    key = bootstrap_client(gc, None, "Klient A/S")
    store = SheetStore.open(gc, key)
    store.append_rows(RYKKERFORSLAG, [{"proposal_id": "R-1", "amount": Decimal("69601.17"), "fee": 100}])
    amount = f"{RYKKERFORSLAG.name}!{RYKKERFORSLAG.letter('amount')}2"
    fee = f"{RYKKERFORSLAG.name}!{RYKKERFORSLAG.letter('fee')}2"
    assert _formatted(gc, key, amount) == "69.601,17"
    assert _formatted(gc, key, fee) == "100,00"
    assert store.read_table(RYKKERFORSLAG)[0]["amount"] == Decimal("69601.17")  # the number is read back as is
    # a date a person types into a date column is shown dd-mm-yyyy
    proposed = f"{RYKKERFORSLAG.name}!{RYKKERFORSLAG.letter('proposed_at')}3"
    gc.open_by_key(key).values_update(proposed, {"valueInputOption": "USER_ENTERED"}, {"values": [["24-12-2026"]]})
    assert _formatted(gc, key, proposed) == "24-12-2026"

    meta = gc.open_by_key(key).fetch_sheet_metadata()
    assert meta["properties"]["locale"] == "da_DK" and meta["properties"]["timeZone"] == "Europe/Copenhagen"
    instruks = next(s for s in meta["sheets"] if s["properties"]["title"] == INSTRUKS.name)
    conditions = [r["booleanRule"]["condition"] for r in instruks["conditionalFormats"]]
    assert {"type": "TEXT_STARTS_WITH", "values": [{"userEnteredValue": "Fejl"}]} in conditions
    assert {"type": "TEXT_STARTS_WITH", "values": [{"userEnteredValue": "Færdig"}]} in conditions
    changes: list[str] = []
    bootstrap_client(gc, key, "Klient A/S", changes)
    assert changes == []  # a second run finds the formats and writes nothing


def test_a_spreadsheet_in_another_locale_is_set_to_danish(gc: gspread.Client) -> None:
    key = bootstrap_client(gc, None, "Klient B/S")
    sh = gc.open_by_key(key)
    sh.batch_update({"requests": [{"updateSpreadsheetProperties": {
        "properties": {"locale": "en_US", "timeZone": "America/New_York"}, "fields": "locale,timeZone"}}]})
    SheetStore.open(gc, key).append_rows(RYKKERFORSLAG, [{"proposal_id": "R-1", "amount": Decimal("69601.17")}])
    amount = f"{RYKKERFORSLAG.name}!{RYKKERFORSLAG.letter('amount')}2"
    assert _formatted(gc, key, amount) == "69,601.17"  # the pattern in the spreadsheet's locale, as Google does
    changes: list[str] = []
    bootstrap_client(gc, key, "Klient B/S", changes)
    assert changes == ["Regnearket: locale da_DK, timeZone Europe/Copenhagen"]
    assert _formatted(gc, key, amount) == "69.601,17"
