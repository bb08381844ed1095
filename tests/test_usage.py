"""Usage per client: one Forbrug row per job in the queue spreadsheet, priced with the operator's prices, summed
per client and month; after the demo scenario it agrees with the demo summary's counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from bot.app import build_worker
from bot.flows.journal import Journal
from bot.usage import (
    JobUsage,
    Prices,
    UsageLog,
    UsageSummary,
    UsageTally,
    client_month,
    monthly,
    usage_row,
)
from sandbox.demo import play
from sandbox.stack import LocalStack
from sheets_schema import RYKKERFORSLAG, JobType, LogAction, Tab
from sheets_schema.usage_report import FORBRUG, FORBRUG_MAANED
from tests.flow_fakes import NOW, FakeStore
from tests.inbox import Inbox

PRICES = Prices(per_reminder=Decimal("12.50"), per_robot_hour=Decimal("600"))


def _job(**kw: Any) -> JobUsage:
    u = JobUsage("job-1", "sheet-A", "send_rykkere", client_name="Demo Byg ApS", outcome="Færdig", seconds=90.0,
                 page_loads=20, api_requests=4, sheets_requests=9, cases_handed_over=0, mails=2)
    u.channels.update({"Regnskabets rykker": 3})
    for k, v in kw.items():
        setattr(u, k, v)
    return u


def test_a_job_row_is_priced_and_in_local_time() -> None:
    row = usage_row(_job(), PRICES, datetime(2026, 11, 30, 23, 30, tzinfo=UTC))
    assert row["month"] == "2026-12" and row["finished"] == "01-12-2026 00:30"  # Copenhagen's month, not UTC's
    assert row["reminders_sent"] == 3 and row["channels"] == "Regnskabets rykker: 3"
    assert row["price_reminders"] == Decimal("37.50")  # 3 x 12,50
    assert row["price_robot_time"] == Decimal("15.00")  # 90 s at 600 kr./hour
    assert row["price_total"] == Decimal("52.50") and row["robot_seconds"] == 90
    assert set(row) == {c.key for c in FORBRUG.columns}


def test_rows_are_summed_per_client_and_month() -> None:
    at = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    rows = [usage_row(_job(), PRICES, at), usage_row(_job(job_id="job-2", mails=1), PRICES, at),
            usage_row(_job(client_sheet="sheet-B"), PRICES, at),
            usage_row(_job(), PRICES, datetime(2026, 10, 2, tzinfo=UTC))]
    sums = monthly(rows)
    assert set(sums) == {("sheet-A", "2026-11"), ("sheet-B", "2026-11"), ("sheet-A", "2026-10")}
    november = sums[("sheet-A", "2026-11")]
    assert november["jobs"] == 2 and november["mails"] == 3 and november["reminders_sent"] == 6
    assert november["price_total"] == Decimal("105.00") and november["client_name"] == "Demo Byg ApS"


class Store:
    def __init__(self, fail: bool = False) -> None:
        self.appends: list[tuple[str, list[Mapping[str, Any]]]] = []
        self.fail = fail

    def append_rows(self, tab: Tab, rows: Sequence[Mapping[str, Any]]) -> list[int]:
        if self.fail:
            raise RuntimeError("Sheets er nede")
        self.appends.append((tab.name, list(rows)))
        return [2]


def test_one_append_per_job_and_a_failed_write_never_fails_the_job() -> None:
    store = Store()
    UsageLog(lambda: store, lambda: 0, PRICES).write(_job())
    assert [(name, len(rows)) for name, rows in store.appends] == [("Forbrug", 1)]
    UsageLog(lambda: Store(fail=True), lambda: 0, PRICES).write(_job())  # logged, not raised


def test_the_journal_lines_a_job_appends_are_its_reminders_per_channel_and_its_cases() -> None:
    usage = JobUsage("job-1", "sheet-A", "rykkerflow")
    store = FakeStore()
    journal = Journal(store, "job-1", JobType.RYKKERFLOW, lambda: NOW, [UsageTally(usage)])
    journal.record_many([(a, f"k{i}", "") for i, a in enumerate([
        LogAction.REMINDER_SENT, LogAction.REMINDER_INTENT, LogAction.CUSTOMER_MAIL_SENT,
        LogAction.CUSTOMER_MAIL_SENDING, LogAction.CASE_HANDED_OVER, LogAction.CASE_MAILING])])
    store.append_rows(RYKKERFORSLAG, [{"action": LogAction.REMINDER_SENT.value}])  # not the journal
    assert usage.channels == Counter({"Regnskabets rykker": 1, "E-mail til kunden": 1})
    assert usage.reminders_sent == 2 and usage.cases_handed_over == 1


@pytest.fixture
def priced_stack(tmp_path: Path, inbox: Inbox) -> Iterator[LocalStack]:
    with LocalStack(tmp_path / "stack", mailer="smtp", smtp_host="127.0.0.1", smtp_port=inbox.port,
                    smtp_security="none", price_per_reminder=PRICES.per_reminder,
                    price_per_robot_hour=PRICES.per_robot_hour) as s:
        yield s


def test_the_usage_tab_after_the_demo_scenario_matches_the_demo_summary(priced_stack: LocalStack, browser: Browser,
                                                                      inbox: Inbox) -> None:
    stack = priced_stack
    worker = build_worker(stack.settings, browser, sheets=stack.sheets)
    summary = play(stack, worker, tick=3)
    usage = client_month(stack.queue, stack.client_id)

    rows = [r.values for r in stack.queue.read_table(FORBRUG)]
    assert len(rows) == summary["jobs_run"] == usage["jobs"]  # one row per job
    kinds = Counter(r["job_type"] for r in rows)
    assert all(kinds[k] == 1 for k in ("rykkerflow", "inkassoforslag", "send_rykkere", "opret_sager"))
    assert all(r["outcome"] == "Færdig" and r["client_name"] == "Demo Byg ApS" for r in rows)
    assert usage["reminders_sent"] == summary["reminders_sent"] >= 3
    assert usage["cases_handed_over"] == summary["inkasso_handed_over"] == 2
    assert usage["page_loads"] + usage["api_requests"] == summary["ledger_page_loads"]
    assert usage["mails"] == len(inbox.messages)
    assert usage["price_reminders"] == float(PRICES.per_reminder * summary["reminders_sent"])
    assert usage["robot_seconds"] > 0 and usage["price_robot_time"] > 0
    assert usage["price_total"] == pytest.approx(usage["price_reminders"] + usage["price_robot_time"])
    # the idle worker wrote the monthly tab from the rows it had then (it is rewritten at most every 10 minutes)
    (month_row,) = [r.values for r in stack.queue.read_table(FORBRUG_MAANED) if r.values["client_sheet"] ==
                    stack.client_id]
    assert month_row["month"] == usage["month"] and 0 < month_row["jobs"] <= usage["jobs"]


class SummaryStore(Store):
    def __init__(self, rows: list[dict[str, Any]]) -> None:
        super().__init__()
        self.rows = rows
        self.reads = 0
        self.replaced: list[list[Mapping[str, Any]]] = []

    def read_table(self, tab: Tab) -> list[Any]:
        self.reads += 1
        return [type("Row", (), {"values": r})() for r in self.rows]

    def replace_rows(self, tab: Tab, rows: Sequence[Mapping[str, Any]]) -> None:
        assert tab.name == "Forbrug pr. måned"
        self.replaced.append(list(rows))


def test_the_monthly_tab_is_rewritten_when_idle_after_new_rows_at_most_every_ten_minutes() -> None:
    now = [datetime(2026, 11, 25, 8, 0, tzinfo=UTC)]
    at = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)
    store = SummaryStore([usage_row(_job(client_name="Zeta ApS", client_sheet="Z"), PRICES, at),
                          usage_row(_job(), PRICES, at), usage_row(_job(), PRICES, datetime(2026, 10, 1, tzinfo=UTC))])
    usage_log = UsageLog(lambda: store, lambda: 0, PRICES, clock=lambda: now[0])
    summary = UsageSummary(lambda: store, usage_log, clock=lambda: now[0])
    assert not summary.when_idle() and store.reads == 0  # nothing new from this worker: no request at all
    usage_log.write(_job())
    assert summary.when_idle() and store.reads == 1
    (rows,) = store.replaced
    assert [(r["month"], r["client_name"], r["jobs"]) for r in rows] == [
        ("2026-11", "Demo Byg ApS", 1), ("2026-11", "Zeta ApS", 1), ("2026-10", "Demo Byg ApS", 1)]
    assert rows[0]["price_total"] == Decimal("52.50") and rows[0]["updated"] == "25-11-2026 09:00"
    usage_log.write(_job())
    now[0] += timedelta(minutes=5)
    assert not summary.when_idle()  # too soon: it waits, and is done at a later idle poll
    now[0] += timedelta(minutes=5)
    assert summary.when_idle() and len(store.replaced) == 2
