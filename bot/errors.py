"""Errors say whose fault they are.

- ``SettingsError``: the user's settings are wrong. Tell the user what to fix; never retry.
- ``LedgerUnavailable``: the accounting system is down, slow or flaky. Retry with backoff.
- ``LedgerAuthError``: the ledger refused the credentials. A settings problem: never retried.
- ``SheetsUnavailable``, ``MailUnavailable`` (``MailBudgetExceeded``: our own daily send budget is used up): the
  same for Sheets and the mail server or API. ``UNAVAILABLE`` is the three: what the worker retries.
- Anything else is a bug: fail loud, keep a screenshot and a trace.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class SettingProblem:
    """One thing the user must fix, pointing at the sheet cell that holds it."""

    cell: str  # e.g. "Instruks!B9"
    field: str  # the label the user sees, e.g. "Undtagne kundenumre"
    message: str  # Danish, says what is wrong and what to do


class BusinessError(Exception):
    """A problem the user must fix. The job ends as Fejl and is not retried."""


class SettingsError(BusinessError):
    """The instruction sheet holds settings that cannot be used."""

    def __init__(self, problems: list[SettingProblem] | SettingProblem | str) -> None:
        if isinstance(problems, str):
            problems = [SettingProblem(cell="", field="", message=problems)]
        elif isinstance(problems, SettingProblem):
            problems = [problems]
        self.problems: list[SettingProblem] = problems
        super().__init__(self.summary())

    def summary(self) -> str:
        parts = []
        for p in self.problems:
            where = f"{p.cell} ({p.field}): " if p.cell else ""
            parts.append(f"{where}{p.message}")
        return "; ".join(parts)

    def short(self) -> str:
        """For the status cell: one problem whole; several as their count and the first (the mail has all)."""
        if len(self.problems) < 2:
            return self.summary()
        first = self.problems[0]
        where = f"{first.cell} ({first.field}): " if first.cell else ""
        return (f"{len(self.problems)} problemer i indstillingerne. Det første: {where}{first.message} "
                "Alle står i mailen til modtagerne af forslag.")


class LedgerAuthError(SettingsError):
    """The ledger rejected the username, password or agreement number."""


class LedgerUnavailable(Exception):
    """The ledger could not be reached or did not answer in time, after retries. Retry the job later."""


class LedgerPageChanged(Exception):
    """A page loaded but lacks what its page object reads (the vendor changed the site). A bug to fix in
    ``bot/ledger/pages``: never retried, the job fails at once with a screenshot kept."""


class SheetsUnavailable(Exception):
    """The Sheets API kept failing (429/5xx) after retries. Retry the job later."""


class NotInLedger(BusinessError):
    """The ledger has no such thing now (a customer, an invoice, a reminder that is no longer due)."""


class MailUnavailable(Exception):
    """The mail server or API could not take the message now (connection refused, timeout, 4xx, 5xx API)."""


class MailBudgetExceeded(MailUnavailable):
    """Sending one more mail would pass the configured daily budget. Nothing was sent."""

    def __init__(self, message: str, retry_after: datetime) -> None:
        super().__init__(message)
        self.retry_after = retry_after


UNAVAILABLE: tuple[type[Exception], ...] = (LedgerUnavailable, SheetsUnavailable, MailUnavailable)
