"""Times a person reads in the sheet (Oprettet, Overdraget, Opdateret): local "dd-mm-yyyy hh:mm", read back as
the moment they were written; rows written before in ISO UTC still read (issue 14)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.sheets.cells import parse_sheet_time, sheet_time


def test_a_moment_is_written_in_the_clients_time_zone_and_read_back() -> None:
    moment = datetime(2026, 11, 25, 4, 6, tzinfo=UTC)
    assert sheet_time(moment) == "25-11-2026 05:06"  # not "2026-11-25T04:06:57Z"
    assert parse_sheet_time(sheet_time(moment)) == moment
    summer = datetime(2026, 7, 1, 22, 30, tzinfo=UTC)
    assert sheet_time(summer) == "02-07-2026 00:30" and parse_sheet_time(sheet_time(summer)) == summer


def test_older_iso_cells_and_bad_text_are_read_as_before() -> None:
    assert parse_sheet_time("2026-11-25T04:06:57Z") == datetime(2026, 11, 25, 4, 6, 57, tzinfo=UTC)
    assert parse_sheet_time("") is None and parse_sheet_time("i går") is None
    assert parse_sheet_time("31-02-2026 10:00") is None
