"""A daily send budget: stop before the mail provider's own limit (Gmail: about 500 mails a rolling 24 hours).

The sends of the last 24 hours are kept as timestamps in a small JSON file (or in memory), locked while they
are read and written, so two workers on one machine share the budget.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.mail.errors import MailBudgetExceeded

WINDOW = timedelta(hours=24)


def _utcnow() -> datetime:
    return datetime.now(UTC)


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
                retry_after = min(sends) + WINDOW
                raise MailBudgetExceeded(
                    f"Dagens mailkvote er brugt: {len(sends)} af {self.limit} mails inden for 24 timer. "
                    f"Intet er sendt; næste mail kan sendes efter {retry_after.astimezone():%d-%m-%Y %H:%M}.",
                    retry_after=retry_after,
                )
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
