"""One event of the Hændelser tab, and the cells of its row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.formats import TIME_ZONE, clock, day_and_time, local
from sheets_schema import JobType

_SERIAL_EPOCH = date(1899, 12, 30)  # Sheets' day 0: a date written as a number is a real date in the sheet

JOB_NAMES = {
    JobType.RYKKERFLOW: "Rykkerflow",
    JobType.SEND_RYKKERE: "Send rykkere",
    JobType.INKASSOFORSLAG: "Inkassoforslag",
    JobType.OPRET_SAGER: "Opret sager",
    JobType.SEND_SAGSAENDRINGER: "Send sagsændringer",
}


@dataclass(frozen=True)
class Event:
    event: str  # what happened, "Rykker sendt"
    customer_number: int | None = None
    customer_name: str = ""
    invoice: int | None = None
    rule: str = ""
    details: str = ""


def job_label(job_type: JobType, started: datetime, zone: ZoneInfo = TIME_ZONE) -> str:
    """The job as a person reads it: "Rykkerflow 25-11-2026 09:14" (its type, when it was ordered, local time)."""
    return f"{JOB_NAMES.get(job_type, job_type.value)} {day_and_time(started, zone)}"


def serial(day: date) -> int:
    """A date as Sheets keeps one (days since 30-12-1899): shown dd-mm-yyyy by the column's format."""
    return (day - _SERIAL_EPOCH).days


def event_row(e: Event, at: datetime, job: str, zone: ZoneInfo = TIME_ZONE) -> dict[str, Any]:
    """The row's cells (strings from the ledger stay text: the store writes RAW)."""
    return {
        "date": serial(local(at, zone).date()),
        "time": clock(at, zone),
        "event": e.event,
        "customer_number": e.customer_number if e.customer_number is not None else "",
        "customer_name": e.customer_name,
        "invoice": e.invoice if e.invoice is not None else "",
        "rule": e.rule,
        "details": e.details,
        "job": job,
    }
