"""Issue 17.9: the Gmail send budget shared by every worker through the queue spreadsheet (tab Mailforbrug),
through gspread against the Sheets emulator. Each budget object stands for one worker with its own connection."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import gspread
import pytest
from google.auth.credentials import AnonymousCredentials

from bot.app import build_mailer
from bot.config import ConfigError, Settings
from bot.doctor.bootstrap import bootstrap_queue
from bot.doctor.mail import check_mailer
from bot.errors import MailBudgetExceeded, MailUnavailable
from bot.mail.errors import MailRejected
from bot.mail.gmail import GmailConfig, GmailMailer
from bot.mail.message import Email
from bot.sheets.client import open_client
from bot.sheets.mail_budget import SheetBudget
from bot.sheets.store import SheetStore
from sandbox.serving import ServerThread, free_port
from sheets_schema import CLIENT_TABS, QUEUE_TABS
from sheets_schema.usage_tabs import MAILFORBRUG, MailUsageStatus
from tests.gmail_fake import FakeGmail, service_account_key

USER = "robot@klient.dk"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def queue_id(gc: gspread.Client) -> str:
    return bootstrap_queue(gc, None, "Rykkerbot kø")


def worker(url: str, queue_id: str, name: str, limit: int, clock: Clock, store: type[SheetStore] = SheetStore,
           user: str = USER) -> SheetBudget:
    """A budget as one worker on its own machine has it: its own gspread client and store."""
    client = open_client(url, None)
    return SheetBudget(lambda: store.open(client, queue_id), limit, user, name, clock=clock)


def rows(gc: gspread.Client, queue_id: str) -> list[dict[str, Any]]:
    return [dict(r.values) for r in SheetStore.open(gc, queue_id).read_table(MAILFORBRUG)]


def test_bootstrap_queue_creates_the_usage_tab(gc: gspread.Client, queue_id: str) -> None:
    sh = gc.open_by_key(queue_id)
    titles = [w.title for w in sh.worksheets()]
    assert titles[0] == "Kø" and "Mailforbrug" in titles  # in the queue spreadsheet, beside Kø
    assert MAILFORBRUG.name in [t.name for t in QUEUE_TABS] and MAILFORBRUG.name not in [t.name for t in CLIENT_TABS]
    assert sh.worksheet("Mailforbrug").row_values(1) == MAILFORBRUG.headers


def test_two_workers_together_never_pass_the_limit_within_24_hours(
    sheets_server: ServerThread, gc: gspread.Client, queue_id: str
) -> None:
    clock = Clock()
    a = worker(sheets_server.url, queue_id, "maskine-a", 5, clock)
    b = worker(sheets_server.url, queue_id, "maskine-b", 5, clock)
    first = clock.now
    for budget in (a, b, a, b, a):
        budget.reserve()
        clock.now += timedelta(minutes=30)
    for budget in (a, b):  # each has sent only 2 or 3 of its own: a file per worker would let both go on
        with pytest.raises(MailBudgetExceeded) as info:
            budget.reserve()
        assert "5 af 5" in str(info.value) and "Intet er sendt" in str(info.value)
        assert info.value.retry_after == first + timedelta(hours=24)
    assert a.used() == b.used() == 5
    statuses = [r["status"] for r in rows(gc, queue_id)]
    assert statuses == [MailUsageStatus.RESERVED] * 5 + [MailUsageStatus.OVER_LIMIT] * 2
    clock.now = first + timedelta(hours=24, seconds=1)  # the first send leaves the window: one slot again
    b.reserve()
    with pytest.raises(MailBudgetExceeded):
        a.reserve()


def test_other_gmail_users_have_their_own_count(
    sheets_server: ServerThread, gc: gspread.Client, queue_id: str
) -> None:
    clock = Clock()
    a = worker(sheets_server.url, queue_id, "a", 1, clock)
    other = worker(sheets_server.url, queue_id, "a", 1, clock, user="Faktura@Andet.dk")
    a.reserve()
    other.reserve()  # another Google user: its own daily limit
    with pytest.raises(MailBudgetExceeded):
        a.reserve()


class Interleaved(SheetStore):
    """A store that lets another worker act right after this one's append lands, before it reads the count."""

    between: Callable[[], None] | None = None

    def append_rows(self, tab: Any, records: Any) -> list[int]:
        numbers = super().append_rows(tab, records)
        hook, Interleaved.between = Interleaved.between, None
        if hook:
            hook()
        return numbers


def test_the_race_for_the_last_slot_has_exactly_one_winner(
    sheets_server: ServerThread, gc: gspread.Client, queue_id: str
) -> None:
    """Both workers append before either reads: the row order decides, the same for both."""
    clock = Clock()
    a = worker(sheets_server.url, queue_id, "a", 1, clock, store=Interleaved)
    b = worker(sheets_server.url, queue_id, "b", 1, clock)
    lost: list[Exception] = []

    def b_reserves() -> None:
        try:
            b.reserve()
        except MailBudgetExceeded as e:
            lost.append(e)

    Interleaved.between = b_reserves
    a.reserve()  # a's row is first: a wins, though b read the count before a did
    assert len(lost) == 1
    assert [(r["worker"], r["status"]) for r in rows(gc, queue_id)] == [
        ("a", MailUsageStatus.RESERVED), ("b", MailUsageStatus.OVER_LIMIT)]


def test_concurrent_workers_send_exactly_the_limit(
    sheets_server: ServerThread, gc: gspread.Client, queue_id: str
) -> None:
    clock = Clock()
    budgets = [worker(sheets_server.url, queue_id, f"w{i}", 6, clock) for i in range(3)]
    granted: list[str] = []
    refused: list[str] = []

    def run(budget: SheetBudget, name: str) -> None:
        for _ in range(4):
            try:
                budget.reserve()
                granted.append(name)
            except MailBudgetExceeded:
                refused.append(name)

    threads = [threading.Thread(target=run, args=(b, f"w{i}")) for i, b in enumerate(budgets)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(granted) == 6 and len(refused) == 6
    assert budgets[0].used() == 6


def test_refund_gives_the_slot_back(sheets_server: ServerThread, gc: gspread.Client, queue_id: str) -> None:
    clock = Clock()
    a = worker(sheets_server.url, queue_id, "a", 1, clock)
    a.reserve()
    a.refund()
    assert a.used() == 0
    assert rows(gc, queue_id)[0]["status"] == MailUsageStatus.NOT_SENT
    a.reserve()


def test_a_count_longer_than_a_page_is_read_back_to_the_window(
    sheets_server: ServerThread, gc: gspread.Client, queue_id: str
) -> None:
    clock = Clock()
    client = open_client(sheets_server.url, None)
    small = SheetBudget(lambda: SheetStore.open(client, queue_id), 7, USER, "a", clock=clock, page_rows=2)
    for _ in range(7):
        small.reserve()
    with pytest.raises(MailBudgetExceeded):
        small.reserve()


def test_a_queue_sheet_without_the_tab_makes_the_job_wait_for_the_operator(
    sheets_server: ServerThread, gc: gspread.Client, queue_id: str
) -> None:
    sh = gc.open_by_key(queue_id)
    sh.del_worksheet(sh.worksheet("Mailforbrug"))
    with pytest.raises(MailUnavailable) as info:
        worker(sheets_server.url, queue_id, "a", 5, Clock()).reserve()
    assert "bootstrap --queue" in str(info.value) and "Mailforbrug" in str(info.value)


@pytest.fixture
def fake_gmail() -> Iterator[tuple[FakeGmail, str]]:
    app = FakeGmail()
    with ServerThread(app, port=free_port()) as server:
        yield app, server.url + "/"


def test_gmail_mailers_of_two_workers_share_the_sheet_budget(
    sheets_server: ServerThread, gc: gspread.Client, queue_id: str, fake_gmail: tuple[FakeGmail, str]
) -> None:
    app, url = fake_gmail
    clock = Clock()
    config = GmailConfig(from_address="bogholderi@klient.dk", api_endpoint=url, timeout=10)
    one = GmailMailer(config, AnonymousCredentials(), budget=worker(sheets_server.url, queue_id, "a", 2, clock))
    two = GmailMailer(config, AnonymousCredentials(), budget=worker(sheets_server.url, queue_id, "b", 2, clock))
    mail = Email(to=("a@firma.dk",), subject="Status", text="x")
    app.fail_with = (400, {"error": {"code": 400, "message": "Invalid To header",
                                     "errors": [{"reason": "invalidArgument"}]}})
    with pytest.raises(MailRejected):
        one.send(mail)  # refused outright: its reservation is given back
    app.fail_with = None
    one.send(mail)
    two.send(mail)
    with pytest.raises(MailBudgetExceeded):
        one.send(mail)
    assert len(app.requests) == 3  # the refused one, and two sent; the fourth never left
    assert [r["status"] for r in rows(gc, queue_id)] == [
        MailUsageStatus.NOT_SENT, MailUsageStatus.RESERVED, MailUsageStatus.RESERVED, MailUsageStatus.OVER_LIMIT]


def gmail_settings(tmp_path: Path, sheets_url: str, gmail_url: str, queue_id: str, worker_id: str,
                   **extra: str) -> Settings:
    key = tmp_path / "service-account.json"
    service_account_key(key, gmail_url + "token")
    env = {"RYKKERBOT_MAILER": "gmail", "RYKKERBOT_MAIL_FROM": "Klient A/S <robot@klient.dk>",
           "GOOGLE_APPLICATION_CREDENTIALS": str(key), "RYKKERBOT_GMAIL_ENDPOINT": gmail_url,
           "RYKKERBOT_SHEETS_ENDPOINT": sheets_url, "RYKKERBOT_QUEUE_SPREADSHEET": queue_id,
           "RYKKERBOT_GMAIL_DAILY_LIMIT": "2", "RYKKERBOT_WORKER_ID": worker_id,
           "RYKKERBOT_GMAIL_STATE": str(tmp_path / f"{worker_id}.json"), **extra}
    return Settings.from_env(env)


def test_workers_built_from_settings_count_in_the_queue_sheet(
    sheets_server: ServerThread, gc: gspread.Client, queue_id: str, fake_gmail: tuple[FakeGmail, str],
    tmp_path: Path
) -> None:
    _, url = fake_gmail
    mailers = [build_mailer(gmail_settings(tmp_path, sheets_server.url, url, queue_id, w)) for w in ("a", "b")]
    mail = Email(to=("a@firma.dk",), subject="Status", text="x")
    for m in mailers:
        m.send(mail)
    with pytest.raises(MailBudgetExceeded):
        mailers[0].send(mail)
    assert [(r["worker"], r["user"]) for r in rows(gc, queue_id)][:2] == [("a", USER), ("b", USER)]
    assert not (tmp_path / "a.json").exists()  # no per-machine file


def test_a_file_budget_is_still_there_for_one_worker(
    sheets_server: ServerThread, gc: gspread.Client, queue_id: str, fake_gmail: tuple[FakeGmail, str],
    tmp_path: Path
) -> None:
    _, url = fake_gmail
    settings = gmail_settings(tmp_path, sheets_server.url, url, queue_id, "a", RYKKERBOT_GMAIL_BUDGET="file")
    build_mailer(settings).send(Email(to=("a@firma.dk",), subject="Status", text="x"))
    assert (tmp_path / "a.json").exists() and rows(gc, queue_id) == []
    with pytest.raises(ConfigError) as info:
        Settings.from_env({"RYKKERBOT_GMAIL_BUDGET": "fil"})
    assert "RYKKERBOT_GMAIL_BUDGET" in str(info.value)


def test_doctor_shows_the_shared_count_and_fails_without_the_tab(
    sheets_server: ServerThread, gc: gspread.Client, queue_id: str, fake_gmail: tuple[FakeGmail, str],
    tmp_path: Path
) -> None:
    _, url = fake_gmail
    settings = gmail_settings(tmp_path, sheets_server.url, url, queue_id, "a")
    build_mailer(settings).send(Email(to=("a@firma.dk",), subject="Status", text="x"))
    check = check_mailer(settings)
    assert check.ok and "1 af 2 mails brugt de sidste 24 timer" in check.detail
    sh = gc.open_by_key(queue_id)
    sh.del_worksheet(sh.worksheet("Mailforbrug"))
    check = check_mailer(settings)
    assert not check.ok and "bootstrap --queue" in check.detail
