"""Mail errors, saying whose fault they are (see ``bot/errors.py``).

- ``MailUnavailable``: the mail server or API is down, busy or answered 4xx. Retry the job later.
- ``MailBudgetExceeded``: our own daily send budget is used up. A ``MailUnavailable``: retry after ``retry_after``.
- ``InvalidRecipient``: an address in a setting is malformed. A ``SettingsError``: tell the user, never retry.
- ``RecipientRefused``: the server refused an address for good (5xx). Tell the user, never retry.
- ``MailRejected``: the server refused the message itself for good (too large, policy). Never retry.
- ``MailAuthError``: the server refused the robot's own credentials. The operator's to fix (environment), not the
  bookkeeper's: a ``MailUnavailable``, retried with backoff, so the job goes on by itself once it is fixed.
Messages never hold a password or a token.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from bot.errors import BusinessError, SettingProblem, SettingsError


class MailUnavailable(Exception):
    """The mail server or API could not take the message now (connection refused, timeout, 4xx, 5xx API)."""


class MailBudgetExceeded(MailUnavailable):
    """Sending one more mail would pass the configured daily budget. Nothing was sent."""

    def __init__(self, message: str, retry_after: datetime) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class InvalidRecipient(SettingsError):
    """A malformed e-mail address, named with the setting (field) and cell it came from."""

    def __init__(self, field: str, address: str, cell: str = "") -> None:
        self.address = address
        self.field = field
        if address.strip():
            message = f"'{address}' er ikke en gyldig e-mailadresse. Ret adressen, fx navn@firma.dk."
        else:
            message = "Der er ingen modtager. Skriv mindst én e-mailadresse, fx navn@firma.dk."
        super().__init__(SettingProblem(cell=cell, field=field, message=message))

    def summary(self) -> str:
        p = self.problems[0]
        where = f"{p.cell} ({p.field})" if p.cell else p.field
        return f"{where}: {p.message}"


class RecipientRefused(BusinessError):
    """The server refused one or more recipients permanently. ``delivered`` says if others got the mail."""

    def __init__(self, refused: Mapping[str, str], delivered: bool = False) -> None:
        self.refused = dict(refused)
        self.delivered = delivered
        parts = [f"'{addr}' ({reason})" if reason else f"'{addr}'" for addr, reason in self.refused.items()]
        tail = " Mailen er sendt til de øvrige modtagere." if delivered else " Intet er sendt."
        super().__init__(
            "Mailserveren afviste modtageren " + ", ".join(parts) + ". Ret e-mailadressen og prøv igen." + tail
        )


class MailRejected(BusinessError):
    """The server refused the message for good (size, content policy). Nothing was sent."""


class MailAuthError(MailUnavailable):
    """The mail server or API refused the robot's credentials (``settings`` names what the operator must fix).

    The message is written to the queue row and the status cell: it tells the bookkeeper the robot is waiting for
    the mail server, and the operator which variables to fix. It never holds a password or a token."""

    def __init__(self, problem: str, settings: str) -> None:
        self.problem = problem
        self.settings = settings
        super().__init__(f"Robotten venter på mailserveren: {problem} Driften skal rette {settings}; "
                         "robotten prøver selv igen.")
