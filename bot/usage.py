"""Usage per client: what each job cost (robot time, ledger page loads and API requests, Sheets requests,
reminders per channel, cases handed over, mails), priced with the operator's prices, one row per job attempt in
the queue spreadsheet's *Forbrug* tab (one append), and summed per client and month for the invoice.

The counts come from what the runner already sees, never from inside a flow: the ledger sessions' counters, the
Sheets request counter, the mails that go through the mailer, and the journal lines the job appends to the Log
tab (a sent reminder, a case handed over: ``UsageTally``, an observer the runner hands to the job's journals).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from bot import formats
from bot.dunning.templates import Channel
from bot.journal import LogEntry
from bot.mail.message import Email
from bot.mail.port import Mailer
from sheets_schema import LogAction, Tab
from sheets_schema.usage_report import FORBRUG, FORBRUG_MAANED

log = logging.getLogger(__name__)
CENT = Decimal("0.01")
# Journal lines that are a reminder sent, and its channel: the ledger's own reminder (tick and Send), the robot's
# mail to the customer (one line per mail, bot.channels.delivery).
SENT_LINES = {LogAction.REMINDER_SENT.value: Channel.LEDGER.value,
              LogAction.CUSTOMER_MAIL_SENT.value: Channel.EMAIL.value}
SUMMED = [c.key for c in FORBRUG.columns if c.key not in ("month", "finished", "client_sheet", "client_name",
                                                               "job_type", "outcome", "channels", "job_id")]


@dataclass(frozen=True)
class Prices:
    per_reminder: Decimal = Decimal(0)
    per_robot_hour: Decimal = Decimal(0)


@dataclass
class JobUsage:
    job_id: str
    client_sheet: str
    job_type: str
    client_name: str = ""
    outcome: str = ""
    seconds: float = 0.0
    page_loads: int = 0
    api_requests: int = 0
    sheets_requests: int = 0
    channels: Counter[str] = field(default_factory=Counter)  # reminders sent per channel
    cases_handed_over: int = 0
    mails: int = 0

    @property
    def reminders_sent(self) -> int:
        return sum(self.channels.values())


def usage_row(u: JobUsage, prices: Prices, finished: datetime, zone: ZoneInfo = formats.TIME_ZONE) -> dict[str, Any]:
    """The *Forbrug* row of one job attempt; times in the client's time zone, prices rounded to øre."""
    at = formats.local(finished, zone)
    reminders = (prices.per_reminder * u.reminders_sent).quantize(CENT, ROUND_HALF_UP)
    robot_time = (prices.per_robot_hour * Decimal(str(round(u.seconds, 1))) / 3600).quantize(CENT, ROUND_HALF_UP)
    return {
        "month": f"{at:%Y-%m}", "finished": formats.day_and_time(finished, zone), "client_sheet": u.client_sheet,
        "client_name": u.client_name, "job_type": u.job_type, "outcome": u.outcome,
        "robot_seconds": round(u.seconds), "page_loads": u.page_loads, "api_requests": u.api_requests,
        "sheets_requests": u.sheets_requests, "reminders_sent": u.reminders_sent,
        "channels": ", ".join(f"{name}: {n}" for name, n in sorted(u.channels.items())),
        "cases_handed_over": u.cases_handed_over, "mails": u.mails, "price_reminders": reminders,
        "price_robot_time": robot_time, "price_total": reminders + robot_time, "job_id": u.job_id,
    }


def monthly(rows: Iterable[Mapping[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    """The rows summed per (client sheet, month): jobs, every count and price; the client's name as last seen."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rows:
        key = (str(r.get("client_sheet") or ""), str(r.get("month") or ""))
        total = out.setdefault(key, {"client_sheet": key[0], "month": key[1], "client_name": "", "jobs": 0,
                                     **{k: 0 for k in SUMMED}})
        total["jobs"] += 1
        total["client_name"] = r.get("client_name") or total["client_name"]
        for k in SUMMED:
            total[k] += r.get(k) or 0
    return out


class UsageStore(Protocol):
    def append_rows(self, tab: Tab, rows: Sequence[Mapping[str, Any]]) -> list[int]: ...


class UsageLog:
    """Writes one *Forbrug* row per job attempt to the queue spreadsheet; best effort (a usage row that cannot be
    written is logged, never fails the job)."""

    def __init__(self, open_store: Callable[[], UsageStore], sheets_requests: Callable[[], int], prices: Prices,
                 clock: Callable[[], datetime] = lambda: datetime.now().astimezone()) -> None:
        self._open_store = open_store
        self.sheets_requests = sheets_requests
        self._prices = prices
        self._clock = clock
        self.written = 0  # rows this worker has written (the monthly summary is rewritten after new ones)

    def write(self, usage: JobUsage) -> None:
        row = usage_row(usage, self._prices, self._clock())
        try:
            self._open_store().append_rows(FORBRUG, [row])
            self.written += 1
        except Exception:  # noqa: BLE001 - the job's outcome matters more than its bill line
            log.warning("job %s: its usage row could not be written: %s", usage.job_id, row, exc_info=True)


class SummaryStore(UsageStore, Protocol):
    def read_table(self, tab: Tab) -> Sequence[Any]: ...

    def replace_rows(self, tab: Tab, rows: Sequence[Mapping[str, Any]]) -> None: ...


class UsageSummary:
    """Rewrites *Forbrug pr. måned* from *Forbrug* when the worker is idle: only after this worker wrote usage rows,
    at most every ``every`` (one read and one rewrite), so the operator's monthly totals are minutes old at most."""

    def __init__(self, open_store: Callable[[], SummaryStore], log_: UsageLog, every: timedelta = timedelta(minutes=10),
                 clock: Callable[[], datetime] = lambda: datetime.now().astimezone()) -> None:
        self._open_store = open_store
        self._log = log_
        self._every = every
        self._clock = clock
        self._seen = 0  # UsageLog.written at the last rewrite
        self._last: datetime | None = None

    def when_idle(self) -> bool:
        """Rewrite if due; True when it did."""
        now = self._clock()
        if self._log.written == self._seen or (self._last is not None and now - self._last < self._every):
            return False
        store = self._open_store()
        sums = monthly(r.values for r in store.read_table(FORBRUG))
        stamp = formats.day_and_time(now)
        by_name = sorted(sums.values(), key=lambda v: str(v["client_name"]).casefold())
        newest_first = sorted(by_name, key=lambda v: str(v["month"]), reverse=True)
        rows = [{**v, "updated": stamp} for v in newest_first]
        store.replace_rows(FORBRUG_MAANED, rows)
        self._seen, self._last = self._log.written, now
        return True


class CountingMailer(Mailer):
    """The mailer, counting what goes out through it."""

    def __init__(self, inner: Mailer) -> None:
        self.inner = inner
        self.sent = 0

    def send(self, email: Email) -> str:
        message_id = self.inner.send(email)
        self.sent += 1
        return message_id


class UsageTally:
    """Tallies the journal lines a job appends into its usage: reminders sent (per channel) and cases handed
    over (the ``JournalObserver`` of the job's journals)."""

    def __init__(self, usage: JobUsage) -> None:
        self._usage = usage

    def journalled(self, entries: Sequence[LogEntry]) -> None:
        for e in entries:
            if e.action in SENT_LINES:
                self._usage.channels[SENT_LINES[e.action]] += 1
            elif e.action == LogAction.CASE_HANDED_OVER.value:
                self._usage.cases_handed_over += 1


class UsageReader(Protocol):
    def read_table(self, tab: Tab) -> Sequence[Any]: ...


def client_month(store: UsageReader, client_sheet: str, month: str | None = None) -> dict[str, Any]:
    """A client's usage summed for one month (the latest it has when None), as plain JSON values (one read)."""
    sums = {k: v for k, v in monthly(r.values for r in store.read_table(FORBRUG)).items() if k[0] == client_sheet}
    if not sums:
        return {}
    chosen = sums.get((client_sheet, month or max(m for _, m in sums)), {})
    return {k: (float(v) if isinstance(v, Decimal) else v) for k, v in chosen.items()}
