"""The client's "Robot status" cell: it mirrors the run the bookkeeper started, in Danish.

A run may be several jobs: rykkerflow chains inkassoforslag. The chained job's queue row carries what the run
did so far in its "Bestilt af" cell ("robot (rykkerflow): 78 rykkerforslag klar til godkendelse"), so the cell
at the end says the whole run: "Færdig: 78 rykkerforslag klar til godkendelse · 17 inkassoforslag klar".
The cell holds a short text; the queue row's Besked holds the whole one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from sheets_schema import JobStatus, JobType

LOCAL = ZoneInfo("Europe/Copenhagen")
SEPARATOR = " · "
MAX_MESSAGE = 280  # characters of a message in the cell; the rest is in the queue row
SHORTENED = " … (forkortet; hele teksten står i robotkøen)"
_CHAINED = "robot ("


class StatusBoard(Protocol):
    def show(self, client_sheet: str, text: str) -> None: ...


def chained_by(parent: JobType, done_so_far: str) -> str:
    """The "Bestilt af" of a job chained from ``parent``: who asked, and what the run did before it."""
    who = f"{_CHAINED}{parent.value})"
    return f"{who}: {done_so_far}" if done_so_far else who


def earlier(requested_by: str) -> str:
    """What the run did before this job, from a chained job's "Bestilt af" ("" for a job a person started)."""
    if not requested_by.startswith(_CHAINED):
        return ""
    _, sep, rest = requested_by.partition("): ")
    return rest.strip() if sep else ""


def joined(*parts: str) -> str:
    return SEPARATOR.join(p for p in parts if p)


def shorten(text: str, limit: int = MAX_MESSAGE) -> str:
    """At most ``limit`` characters, cut at a word and marked, so the cell never ends mid-word unexplained."""
    if len(text) <= limit:
        return text
    room = limit - len(SHORTENED)
    cut = text[:room].rsplit(" ", 1)[0].rstrip(" ,;:·")
    return cut + SHORTENED


def status_text(
    status: JobStatus, message: str = "", attempt: int | None = None, next_at: datetime | None = None,
    at: datetime | None = None, before: str = "",
) -> str:
    """E.g. "Færdig: 12 rykkerforslag (23-11-2026 10:15)", "Genforsøger (forsøg 2): ... Næste forsøg kl. 10:20".

    ``before``: what the run did in earlier jobs. A finished run lists it first ("Færdig: 78 rykkerforslag klar
    · 17 inkassoforslag klar"); otherwise it follows ("Fejl: … · Gjort før fejlen: 78 rykkerforslag klar")."""
    head = status.value
    if status is JobStatus.RETRYING and attempt is not None:
        head = f"{head} (forsøg {attempt})"
    if status is JobStatus.DONE:
        message = joined(before, message)
    elif before:
        done = "Gjort før fejlen" if status is JobStatus.FAILED else "Gjort"
        message = joined(message, f"{done}: {before}")
    message = shorten(message)
    text = f"{head}: {message}" if message else head
    if next_at is not None:
        text += f". Næste forsøg kl. {next_at.astimezone(LOCAL):%H:%M}"
    if at is not None:
        text += f" ({at.astimezone(LOCAL):%d-%m-%Y %H:%M})"
    return text


def short_error(error: BaseException) -> str:
    """What the cell says of an error: its ``short()`` when it has one (a settings error with many problems:
    the count and the first), else its text."""
    short = getattr(error, "short", None)
    text = short() if callable(short) else str(error)
    return str(text) or type(error).__name__
