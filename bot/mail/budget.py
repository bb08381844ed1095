"""A daily send budget: stop before the mail provider's own limit (Gmail: about 500 mails a rolling 24 hours).

``Budget`` is what a mailer needs: ``reserve()`` before a send, ``refund()`` when it surely failed. Where the count
lives is the budget's business: ``SendBudget`` keeps the sends of the last 24 hours as timestamps in a small JSON
file (or in memory), locked while they are read and written, so workers on one machine share it (single-worker
set-ups, tests); ``bot.sheets.mail_budget.SheetBudget`` keeps them in the queue spreadsheet, where the workers of
every machine sending as the same Google user see them.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

from bot.errors import MailBudgetExceeded

WINDOW = timedelta(hours=24)


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Budget(Protocol):
    """A daily send budget shared by whoever sends as one mail account."""

    @property
    def limit(self) -> int: ...

    def used(self) -> int:
        """Sends counted within the last 24 hours."""
        ...

    def reserve(self) -> None:
        """Count one send now, or raise ``MailBudgetExceeded`` (nothing counted) when the budget is used up."""
        ...

    def refund(self) -> None:
        """Give back this budget's latest reservation (the request never reached the provider)."""
        ...


def budget_exceeded(used: int, limit: int, oldest: datetime) -> MailBudgetExceeded:
    """The error for a full budget: a slot frees up 24 hours after ``oldest`` of the counted sends."""
    retry_after = oldest + WINDOW
    return MailBudgetExceeded(
        f"Dagens mailkvote er brugt: {used} af {limit} mails inden for 24 timer. "
        f"Intet er sendt; næste mail kan sendes efter {retry_after.astimezone():%d-%m-%Y %H:%M}.",
        retry_after=retry_after,
    )


class SendBudget:
    """At most ``limit`` sends in any 24 hours. ``reserve()`` before a send, ``refund()`` if it surely failed."""

    def __init__(self, limit: int, path: Path | None = None, clock: Callable[[], datetime] = _utcnow) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self.limit = limit
        self._path = path
        self._clock = clock
        self._memory: list[datetime] = []

    def used(self) -> int:
        with self._sends() as sends:
            return len(sends)

    def reserve(self) -> None:
        """Count one send now, or raise ``MailBudgetExceeded`` (nothing counted) when the budget is used up."""
        with self._sends() as sends:
            if len(sends) >= self.limit:
                raise budget_exceeded(len(sends), self.limit, min(sends))
            sends.append(self._clock())

    def refund(self) -> None:
        """Give back the latest reservation (the request never reached the provider)."""
        with self._sends() as sends:
            if sends:
                sends.remove(max(sends))

    @contextmanager
    def _sends(self) -> Iterator[list[datetime]]:
        """The sends within the window, locked; changes to the list are saved on exit."""
        cutoff = self._clock() - WINDOW
        if self._path is None:
            self._memory = [t for t in self._memory if t > cutoff]
            yield self._memory
            return
        self._path.parent.mkdir(parents=True, exist_ok=True)
        with open(self._path.with_name(self._path.name + ".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            sends = [t for t in self._load() if t > cutoff]
            yield sends
            tmp = self._path.with_name(self._path.name + ".tmp")
            tmp.write_text(json.dumps({"limit": self.limit, "sent": [t.isoformat() for t in sorted(sends)]}, indent=1))
            os.replace(tmp, self._path)

    def _load(self) -> list[datetime]:
        try:
            data = json.loads(self._path.read_text()) if self._path else {}
        except FileNotFoundError:
            return []
        except ValueError:  # a damaged file: count it as full rather than risk the provider's block
            return [self._clock()] * self.limit
        return [datetime.fromisoformat(t) for t in data.get("sent", [])]
