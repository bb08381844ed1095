"""The journal's actions for customer mails (the Log tab's "Handling" texts): ``sheets_schema.LogAction``'s
``CUSTOMER_MAIL_*`` members, under the name the channel modules use."""

from __future__ import annotations

from sheets_schema import LogAction

ChannelAction = LogAction  # the customer-mail actions are LogAction members now (CUSTOMER_MAIL_*)
