"""The journal's actions for customer mails (the Log tab's "Handling" texts).

Kept here until they join ``sheets_schema.LogAction``: the values are the exact Danish texts written to the sheet,
and ``bot.flows.journal.Journal`` only needs their ``.value``.
"""

from __future__ import annotations

from enum import StrEnum


class ChannelAction(StrEnum):
    CUSTOMER_MAIL_SENDING = "Sender kundemail"  # intent: journalled before the mail is handed to the server
    CUSTOMER_MAIL_SENT = "Kundemail sendt"  # the server took it (or the provider found it in the sent mail)
    CUSTOMER_MAIL_CHECK = "Kundemail skal tjekkes"  # a run died in between and nobody can tell: a person checks
    CUSTOMER_MAIL_FAILED = "Kundemail fejlede"  # refused for good (address, size): surely not sent
