"""The client's "Robot status" cell: it mirrors the job, in Danish."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from sheets_schema import JobStatus

LOCAL = ZoneInfo("Europe/Copenhagen")


class StatusBoard(Protocol):
    def show(self, client_sheet: str, text: str) -> None: ...


def status_text(
    status: JobStatus, message: str = "", attempt: int | None = None, next_at: datetime | None = None,
    at: datetime | None = None,
) -> str:
    """E.g. "Færdig: 12 rykkerforslag (23-11-2026 10:15)", "Genforsøger (forsøg 2): ... Næste forsøg kl. 10:20"."""
    head = status.value
    if status is JobStatus.RETRYING and attempt is not None:
        head = f"{head} (forsøg {attempt})"
    text = f"{head}: {message}" if message else head
    if next_at is not None:
        text += f". Næste forsøg kl. {next_at.astimezone(LOCAL):%H:%M}"
    if at is not None:
        text += f" ({at.astimezone(LOCAL):%d-%m-%Y %H:%M})"
    return text
