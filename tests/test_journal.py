"""The journal in the Log tab, against the Sheets emulator: a write whose answer was lost leaves one line, not two."""

from __future__ import annotations

from datetime import UTC, datetime

import gspread
import pytest
import requests

from bot.doctor.bootstrap import bootstrap_client
from bot.flows.journal import Journal
from bot.sheets.store import SheetsRetry, SheetStore
from sandbox.serving import ServerThread
from sheets_schema import LOG, JobType, LogAction

FAST = SheetsRetry(attempts=4, base=0.001, cap=0.01)


def clock() -> datetime:
    return datetime(2026, 11, 25, 7, 0, tzinfo=UTC)


@pytest.fixture
def store(gc: gspread.Client) -> SheetStore:
    return SheetStore.open(gc, bootstrap_client(gc, None, "Journal test"), retry=FAST)


def lose_answers(server: ServerThread, count: int) -> None:
    """The next ``count`` appends are carried out, and then answered 503."""
    requests.post(f"{server.url}/emulator/faults", json={"status": 503, "count": count, "match": ":append",
                                                         "after_write": True}, timeout=5).raise_for_status()


def log_lines(store: SheetStore) -> list[tuple[int, str, str, str]]:
    return [(r.number, str(r.values["job_id"]), str(r.values["action"]), str(r.values["key"]))
            for r in store.read_table(LOG)]


def test_the_emulator_can_carry_out_a_write_and_lose_its_answer(
    sheets_server: ServerThread, store: SheetStore
) -> None:
    lose_answers(sheets_server, 1)
    ws = store.spreadsheet.worksheet(LOG.name)
    with pytest.raises(gspread.exceptions.APIError) as info:
        ws.append_rows([["2026-11-25T07:00:00Z", "j", "rykkerflow", "x", "k", ""]], value_input_option="RAW")
    assert info.value.response.status_code == 503
    assert len(log_lines(store)) == 1  # written all the same


@pytest.mark.parametrize("lost", [1, 2])
def test_an_append_whose_answer_was_lost_leaves_each_line_once(
    sheets_server: ServerThread, store: SheetStore, lost: int
) -> None:
    journal = Journal(store, "job-1", JobType.SEND_RYKKERE, clock)
    journal.record(LogAction.REMINDERS_PROPOSED, "", "3 forslag")
    lose_answers(sheets_server, lost)
    journal.record_many([(LogAction.REMINDER_INTENT, f"R{i}", f"Kunde {i}, rykker 1") for i in range(3)])
    journal.record(LogAction.REMINDER_SENT, "R0", "Rykker-nr 7: kunde 0, rykker 1")

    expected = [(2, "job-1", LogAction.REMINDERS_PROPOSED.value, ""),
                *[(3 + i, "job-1", LogAction.REMINDER_INTENT.value, f"R{i}") for i in range(3)],
                (6, "job-1", LogAction.REMINDER_SENT.value, "R0")]
    assert log_lines(store) == expected
    fresh = Journal(store, "job-1", JobType.SEND_RYKKERE, clock)  # a later run reads the same
    assert [(e.action, e.key) for e in fresh.entries()] == [(a, k) for _, _, a, k in expected]
    assert len(journal.entries()) == len(expected)


def test_someone_elses_line_in_between_is_kept(sheets_server: ServerThread, store: SheetStore) -> None:
    journal = Journal(store, "job-1", JobType.SEND_RYKKERE, clock)
    journal.record(LogAction.REMINDERS_PROPOSED, "", "1 forslag")
    store.append_rows(LOG, [{"at": "2026-11-25T07:00:00Z", "job_id": "person", "action": "note", "key": "n"}])
    journal.record(LogAction.REMINDER_INTENT, "R0", "Kunde 0, rykker 1")
    journal.record(LogAction.REMINDER_SENT, "R0", "Rykker-nr 7")
    assert [(n, k) for n, _, _, k in log_lines(store)] == [(2, ""), (3, "n"), (4, "R0"), (5, "R0")]


def test_copies_left_in_the_log_are_dropped_when_it_is_read(store: SheetStore) -> None:
    """Copies an append left when Sheets gave up (or written before journal writes were idempotent) go the
    next time a job reads the Log; lines that differ in any column stay, and new lines follow right after."""
    line = {"at": "2026-11-25T06:00:00Z", "job_id": "old", "job_type": "send_rykkere",
            "action": LogAction.REMINDER_SENT.value, "key": "R1", "details": "Rykker-nr 7"}
    other = dict(line, key="R2")
    later = dict(line, at="2026-11-25T06:00:01Z")  # the same words a second later: a line of its own
    store.append_rows(LOG, [line, other, line, line, later, other])
    journal = Journal(store, "job-2", JobType.SEND_RYKKERE, clock)
    assert [e.key for e in journal.entries()] == ["R1", "R2", "R1"]
    journal.record(LogAction.REMINDER_INTENT, "R3", "Kunde 3, rykker 1")
    assert log_lines(store) == [(2, "old", LogAction.REMINDER_SENT.value, "R1"),
                                (3, "old", LogAction.REMINDER_SENT.value, "R2"),
                                (4, "old", LogAction.REMINDER_SENT.value, "R1"),
                                (5, "job-2", LogAction.REMINDER_INTENT.value, "R3")]
    assert Journal(store, "job-3", JobType.SEND_RYKKERE, clock).entries() == journal.entries()
