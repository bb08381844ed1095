"""Pauses (dunning stop): a person pauses a customer or one invoice until a date, with a reason.

The end date itself is still paused ("pause til og med"): a pause until 15 December leaves the customer out
of a run on 15 December and lets it be reminded again from 16 December. A customer pause covers all of the
customer's invoices; when several pauses apply, the one lasting longest is reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot import formats

__all__ = ["Pause", "PauseScope", "active_pause", "is_paused", "pause_text"]


class PauseScope(StrEnum):
    CUSTOMER = "Kunde"
    INVOICE = "Faktura"


@dataclass(frozen=True)
class Pause:
    scope: PauseScope
    number: int  # customer number or invoice number, by scope
    until: date  # paused through this date
    reason: str  # e.g. "Tvist om levering", "Betalingsaftale"


def _covers(pause: Pause, customer_number: int, invoice_number: int | None, today: date) -> bool:
    if today > pause.until:
        return False
    if pause.scope is PauseScope.CUSTOMER:
        return pause.number == customer_number
    return invoice_number is not None and pause.number == invoice_number


def active_pause(pauses: Iterable[Pause], today: date, customer_number: int,
                 invoice_number: int | None = None) -> Pause | None:
    """The pause that keeps the customer (or, given ``invoice_number``, that invoice of the customer) out of a
    run on ``today``, or None. A customer pause covers every invoice of the customer."""
    found = [p for p in pauses if _covers(p, customer_number, invoice_number, today)]
    return max(found, key=lambda p: p.until, default=None)


def is_paused(pauses: Iterable[Pause], today: date, customer_number: int, invoice_number: int | None = None) -> bool:
    return active_pause(pauses, today, customer_number, invoice_number) is not None


def pause_text(pause: Pause) -> str:
    """The overview's reason: "Kunden er sat på pause til og med 15-12-2026: Tvist om levering"."""
    what = "Kunden" if pause.scope is PauseScope.CUSTOMER else f"Faktura {pause.number}"
    reason = pause.reason.strip() or "ingen begrundelse skrevet"
    return f"{what} er sat på pause til og med {formats.day(pause.until)}: {reason}"
