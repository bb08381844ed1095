"""The client-side Sheets rate limiter: requests through the store to the emulator over HTTP, a fake clock.

Each HTTP request the emulator answers is stamped with the fake time it was sent at (a response hook on
gspread's session), so the tests count requests per 60-s window; they never measure real time.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import gspread
import pytest
import requests

from bot.app import Sheets
from bot.config import Settings
from bot.doctor.bootstrap import bootstrap_queue
from bot.sheets.client import open_client
from bot.sheets.ratelimit import RateLimiter
from bot.sheets.store import RequestCounter, SheetStore
from sandbox.serving import ServerThread
from sandbox.sheets.app import create_app
from sheets_schema import QUEUE

BUDGET = 50


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture(scope="module")
def server() -> Iterator[ServerThread]:
    with ServerThread(create_app()) as srv:
        yield srv


def stamped_client(server: ServerThread, time: FakeTime) -> tuple[gspread.Client, list[float]]:
    """A gspread client that notes the fake time of every request the emulator answered."""
    client = open_client(server.url, None)
    sent: list[float] = []

    def note(response: requests.Response, *args: Any, **kwargs: Any) -> None:
        sent.append(time.now)

    client.http_client.session.hooks["response"].append(note)
    return client, sent


def most_in_a_window(times: list[float], window: float = 60.0) -> int:
    """The most requests in any half-open window (t - window, t]."""
    return max(sum(1 for s in times if t - window < s <= t) for t in times)


def run_130(store: SheetStore, between: float, time: FakeTime) -> None:
    """128 store calls (a write and a read, over and over) after the open and the first read: 130 requests."""
    store.read_table(QUEUE)
    for i in range(64):
        store.update_rows(QUEUE, {2: {"message": f"skridt {i}"}})
        time.now += between
        store.read_table(QUEUE)
        time.now += between


def open_store(server: ServerThread, time: FakeTime, limiter: RateLimiter | None) -> tuple[SheetStore, list[float]]:
    key = bootstrap_queue(open_client(server.url, None), None, "Kø")
    client, sent = stamped_client(server, time)
    return SheetStore.open(client, key, counter=RequestCounter(limiter)), sent


def test_a_burst_of_130_requests_waits_for_room_in_the_window(server: ServerThread) -> None:
    time = FakeTime()
    store, sent = open_store(server, time, RateLimiter(BUDGET, clock=time, sleep=time.sleep))
    run_130(store, 0.0, time)
    assert len(sent) == store.requests == 130
    assert most_in_a_window(sent) == BUDGET
    # 50 at once, the next 50 when the first 50 have left the window, the last 30 a minute later: two waits
    # of exactly a minute, nothing more.
    assert time.sleeps == [60.0, 60.0]
    assert [sent.count(1000.0), sent.count(1060.0), sent.count(1120.0)] == [50, 50, 30]


def test_without_a_limiter_the_same_burst_is_130_in_one_minute(server: ServerThread) -> None:
    time = FakeTime()
    store, sent = open_store(server, time, None)
    run_130(store, 0.0, time)
    assert len(sent) == 130 and most_in_a_window(sent) == 130 and time.sleeps == []


def test_steady_requests_wait_only_what_the_window_requires(server: ServerThread) -> None:
    """Two requests a second (120 a minute without a limit): each wait ends the moment the 50th latest request
    leaves the window, and a request that did not wait had room."""
    time = FakeTime()
    limiter = RateLimiter(BUDGET, clock=time, sleep=time.sleep)
    store, sent = open_store(server, time, limiter)
    run_130(store, 0.5, time)
    assert len(sent) == 130
    assert most_in_a_window(sent) == BUDGET
    # The schedule the window requires: each request goes when the script asks for it, or the moment the 50th
    # latest request leaves the window, whichever is later; nothing waits longer than that.
    gaps = [0.0, 0.0, 0.0] + [0.5] * 127  # open, first read, first write; then half a second between calls
    expected: list[float] = []
    for i, gap in enumerate(gaps):
        asked = expected[-1] + gap if expected else 1000.0
        expected.append(max(asked, expected[i - BUDGET] + 60) if i >= BUDGET else asked)
    assert sent == expected
    assert limiter.waits == len(time.sleeps) > 0
    assert sum(time.sleeps) == pytest.approx(limiter.waited) == pytest.approx(sent[-1] - 1000.0 - 0.5 * 127)
    assert sent[-1] > 1120.0  # 130 requests at 50 a minute take more than two minutes


def test_a_worker_shares_one_limiter_with_its_heartbeat(server: ServerThread) -> None:
    settings = Settings(sheets_endpoint=server.url)
    sheets = Sheets(settings)
    beat = Sheets(settings, counter=sheets.counter)  # as build_worker makes the heartbeat's
    assert sheets.counter.limiter is not None and beat.counter.limiter is sheets.counter.limiter
    assert sheets.counter.limiter.per_minute == 50
    assert Sheets(Settings(sheets_endpoint=server.url, sheets_per_minute=0)).counter.limiter is None
