"""The Gmail send budget kept in the queue spreadsheet, so every worker on every machine counts against one limit.

Google's daily sending limit is per Google user, however many workers send as that user. A file per worker
(``SendBudget``) lets three workers send three times the limit; here the count lives in the queue spreadsheet's
tab *Mailforbrug* (``sheets_schema.usage_tabs``), which all workers reach.

Why a reservation row per send, and not a counter cell: two workers reading a counter "399" at the same moment
would both write "400" and both send. Sheets has no compare-and-set, but ``values.append`` is atomic per request:
two appends never land on the same row, and the row numbers give one order that every worker sees the same. So
``reserve()`` first appends its row (Reserveret, 1 mail) and only then reads the rows up to and including its own;
it may send only if the rows *above* it that are still Reserveret for the same Gmail user within the last 24 hours
leave room. Rows below it are ignored: they were appended later and must make room for this one, not the other
way round. A row that came too late is marked *Over grænsen* and counts for nobody (a worker that dies before
marking it leaves it counting for 24 hours: the safe side). ``refund()`` marks the latest own row *Ikke sendt*.
Two workers can therefore never both take the last slot, whatever the timing; at worst a worker is refused a slot
an earlier row was about to give back.

Cost: per mail one append and one ranged read (the rows since the window opened, read back from the own row a page
at a time, rarely more than one page); one more write on a refund or a refusal; the first mail of a worker adds
two reads (header, and column A to find the end of the table). Rows are never deleted, so row numbers stay valid;
the tab grows by at most the daily limit (plus refusals) a day. Timestamps are each worker's UTC clock (keep the
machines on NTP).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from gspread.exceptions import APIError
from gspread.utils import absolute_range_name

from bot.errors import MailUnavailable, SettingsError
from bot.mail.budget import WINDOW, budget_exceeded
from bot.sheets.cells import as_text
from bot.sheets.retry import call_with_retry
from bot.sheets.store import SheetStore
from sheets_schema import column_letter
from sheets_schema.usage_tabs import MAILFORBRUG, MailUsageStatus

SKEW = timedelta(minutes=10)  # rows this much older than the window still end the scan back (clock drift)


def _utcnow() -> datetime:
    return datetime.now(UTC)


class SheetBudget:
    """At most ``limit`` Gmail sends as ``user`` in any 24 hours, counted in the queue spreadsheet's Mailforbrug tab.

    ``open_store``: opens the queue spreadsheet (called at the first use, so building a mailer costs no request).
    """

    def __init__(self, open_store: Callable[[], SheetStore], limit: int, user: str, worker: str,
                 clock: Callable[[], datetime] = _utcnow, page_rows: int | None = None) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self._limit = limit
        self._open = open_store
        self._user = user.strip().lower()
        self._worker = worker
        self._clock = clock
        self._page = page_rows or limit + 50
        self._store: SheetStore | None = None
        self._mine: list[int] = []  # own reservation rows still Reserveret, oldest first

    @property
    def limit(self) -> int:
        return self._limit

    def used(self) -> int:
        """The sends counted for this user within the last 24 hours (one whole-tab read)."""
        store = self._sheet()
        cutoff = self._clock() - WINDOW
        rows = self._guard(lambda: store.read_table(MAILFORBRUG, lenient=True))
        return sum(self._counted(r.values, cutoff) for r in rows)

    def reserve(self) -> None:
        store = self._sheet()
        now = self._clock()
        record = {"reserved_at": now, "user": self._user, "worker": self._worker, "count": 1,
                  "reservation": uuid.uuid4().hex[:12], "status": MailUsageStatus.RESERVED}
        [row] = self._guard(lambda: store.append_rows(MAILFORBRUG, [record]))
        before, oldest = self._count_before(store, row, now - WINDOW)
        if before + 1 > self._limit:
            self._guard(lambda: store.update_rows(MAILFORBRUG, {row: {"status": MailUsageStatus.OVER_LIMIT,
                                                                      "count": 0}}))
            raise budget_exceeded(before, self._limit, oldest or now)
        self._mine.append(row)

    def refund(self) -> None:
        if not self._mine:
            return
        row = self._mine.pop()
        store = self._sheet()
        self._guard(lambda: store.update_rows(MAILFORBRUG, {row: {"status": MailUsageStatus.NOT_SENT, "count": 0}}))

    # --- internals ------------------------------------------------------------------------------------------
    def _count_before(self, store: SheetStore, row: int, cutoff: datetime) -> tuple[int, datetime | None]:
        """(mails counted in rows 2..row-1, the time of the oldest counted row when they fill the limit), reading
        back from ``row`` a page at a time until the window's start, the header, or the limit is reached."""
        counted, oldest = 0, None
        last = row - 1
        while last >= 2:
            first = max(2, last - self._page + 1)
            header, records = self._read(store, first, last)
            for values in reversed([self._record(header, cells) for cells in records]):
                n = self._counted(values, cutoff)
                if n:
                    counted += n
                    oldest = self._time(values) or oldest
                    if counted >= self._limit:
                        return counted, oldest
                elif (t := self._time(values)) is not None and t < cutoff - SKEW:
                    return counted, oldest
            last = first - 1
        return counted, oldest

    def _read(self, store: SheetStore, first: int, last: int) -> tuple[list[str], list[list[Any]]]:
        """The header and rows ``first..last`` in one values.batchGet (unformatted), counted and retried."""
        end = column_letter(len(MAILFORBRUG.columns) + 5)
        ranges = [absolute_range_name(MAILFORBRUG.name, f"A1:{end}1"),
                  absolute_range_name(MAILFORBRUG.name, f"A{first}:{end}{last}")]
        data = self._guard(lambda: call_with_retry(
            lambda: store.spreadsheet.values_batch_get(ranges, {"valueRenderOption": "UNFORMATTED_VALUE"}),
            store.counter, store.retry))
        head, body = (vr.get("values", []) for vr in data.get("valueRanges", [{}, {}]))
        header = [as_text(h).strip() for h in (head[0] if head else [])]
        rows: list[list[Any]] = list(body) + [[] for _ in range(last - first + 1 - len(body))]
        return header, rows

    @staticmethod
    def _record(header: list[str], cells: list[Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for c in MAILFORBRUG.columns:
            i = header.index(c.header) if c.header in header else -1
            out[c.key] = cells[i] if 0 <= i < len(cells) else ""
        return out

    def _counted(self, values: Any, cutoff: datetime) -> int:
        """Mails a row counts for this user within the window (0 for other users, given back, or refused)."""
        if as_text(values.get("user")).strip().lower() != self._user:
            return 0
        if as_text(values.get("status")).strip() != MailUsageStatus.RESERVED:
            return 0
        t = self._time(values)
        if t is not None and t <= cutoff:
            return 0
        try:
            return max(1, int(float(as_text(values.get("count")) or 1)))
        except ValueError:
            return 1  # a damaged count still counts: rather one mail too few than Google's block

    @staticmethod
    def _time(values: Any) -> datetime | None:
        """The row's time; None when unreadable (the row then counts as recent: the safe side)."""
        try:
            t = datetime.fromisoformat(as_text(values.get("reserved_at")).strip())
        except ValueError:
            return None
        return t if t.tzinfo else t.replace(tzinfo=UTC)

    def _sheet(self) -> SheetStore:
        if self._store is None:
            self._store = self._guard(self._open)
        return self._store

    def _guard(self, fn: Callable[[], Any]) -> Any:
        """Run a Sheets call; a missing Mailforbrug tab is the operator's to fix (bootstrap), so the job waits."""
        try:
            return fn()
        except (SettingsError, APIError) as e:
            if isinstance(e, APIError) and not (e.code == 400 and "Unable to parse range" in str(e)):
                raise
            problem = e.summary() if isinstance(e, SettingsError) else f"fanen «{MAILFORBRUG.name}» findes ikke"
            raise MailUnavailable(
                f"Robotten venter: kø-arket kan ikke tælle dagens mails ({problem}). Driften skal køre "
                "worker.py bootstrap --queue --spreadsheet <kø-arkets id>, som opretter fanen "
                f"«{MAILFORBRUG.name}»; robotten prøver selv igen.") from None
