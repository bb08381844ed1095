"""The queue spreadsheet's usage tab: the Gmail sends of every worker, so they share one daily limit.

*Mailforbrug* is the robot's own tab (no person edits it) in the queue spreadsheet, never in a client's. Each send
through the Gmail mailer appends one reservation row before the mail goes out; ``bot.sheets.mail_budget`` counts
the reservations of the last 24 hours that are still *Reserveret* for the same Gmail user. Rows are only appended
and then, at most once, marked (*Ikke sendt*: the send surely failed; *Over grænsen*: the reservation came too
late), so the tab never has gaps and its row order is the order in which the workers reserved.
"""

from __future__ import annotations

from enum import StrEnum

from sheets_schema.model import Column, ColumnKind, Tab

__all__ = ["MAILFORBRUG", "MailUsageStatus"]


class MailUsageStatus(StrEnum):
    RESERVED = "Reserveret"  # counts against the limit for 24 hours
    NOT_SENT = "Ikke sendt"  # given back: the request never reached Gmail or was refused outright
    OVER_LIMIT = "Over grænsen"  # the limit was reached by earlier rows: nothing sent


MAILFORBRUG = Tab(
    name="Mailforbrug",
    columns=(
        Column("reserved_at", "Tidspunkt", ColumnKind.DATETIME),
        Column("user", "Gmail-bruger", help="Kontoen, hvis daglige sendegrænse rækken tæller imod."),
        Column("worker", "Worker"),
        Column("count", "Antal", ColumnKind.NUMBER),
        Column("reservation", "Reservation"),
        Column("status", "Status", help="Reserveret tæller i 24 timer; Ikke sendt og Over grænsen tæller ikke."),
    ),
)
