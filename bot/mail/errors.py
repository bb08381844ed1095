"""Mail errors, saying whose fault they are (see ``bot/errors.py``).

- ``MailUnavailable`` and ``MailBudgetExceeded`` are in ``bot.errors``, beside the ledger's and Sheets' unavailable.
- ``RecipientRefused``: the server refused an address for good (5xx). Tell the user, never retry.
- ``MailRejected``: the server refused the message itself for good (too large, policy). Never retry.
- ``MailAuthError``: the server refused the robot's own credentials. The operator's to fix (environment), not the
  bookkeeper's: a ``MailUnavailable``, retried with backoff, so the job goes on by itself once it is fixed.
Messages never hold a password or a token.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.errors import BusinessError, MailUnavailable


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
