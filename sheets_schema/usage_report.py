"""The queue spreadsheet's *Forbrug* tab: what each job cost, per client, so the operator can invoice.

The robot appends one row when a job attempt ends (one request), in the client's time zone. A row prices the job
with the operator's prices (``RYKKERBOT_PRICE_PER_REMINDER``, ``RYKKERBOT_PRICE_PER_ROBOT_HOUR``). *Forbrug pr.
måned* sums the rows per client and month for the invoice; an idle worker rewrites it (``bot.usage.UsageSummary``,
at most every ten minutes, only after jobs wrote rows). No person edits either tab.
"""

from __future__ import annotations

from sheets_schema.model import Column, ColumnKind, Tab

__all__ = ["FORBRUG", "FORBRUG_MAANED"]

_C = Column
_K = ColumnKind

FORBRUG = Tab(
    name="Forbrug",
    columns=(
        _C("month", "Måned"),  # "2026-11", in the client's time zone
        _C("finished", "Afsluttet"),  # "25-11-2026 08:30", local time
        _C("client_sheet", "Klientark"),
        _C("client_name", "Klient"),
        _C("job_type", "Jobtype"),
        _C("outcome", "Udfald"),  # Færdig, Fejl or Genforsøger
        _C("robot_seconds", "Robottid (sek.)", _K.NUMBER),
        _C("page_loads", "Sideindlæsninger", _K.NUMBER),
        _C("api_requests", "API-kald til regnskabet", _K.NUMBER),
        _C("sheets_requests", "Sheets-kald", _K.NUMBER),
        _C("reminders_sent", "Rykkere sendt", _K.NUMBER),
        _C("channels", "Rykkere pr. kanal"),
        _C("cases_handed_over", "Sager overdraget", _K.NUMBER),
        _C("mails", "Mails", _K.NUMBER),
        _C("price_reminders", "Pris rykkere", _K.MONEY),
        _C("price_robot_time", "Pris robottid", _K.MONEY),
        _C("price_total", "Pris i alt", _K.MONEY),
        _C("job_id", "Job-id"),
    ),
)

_SUMS = tuple(c for c in FORBRUG.columns if c.kind in (_K.NUMBER, _K.MONEY))

FORBRUG_MAANED = Tab(
    name="Forbrug pr. måned",
    columns=(
        _C("month", "Måned"),
        _C("client_sheet", "Klientark"),
        _C("client_name", "Klient"),
        _C("jobs", "Job", _K.NUMBER),
        *_SUMS,
        _C("updated", "Opdateret"),  # local time of the rewrite
    ),
)
