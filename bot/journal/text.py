"""The details of any journal line as a person reads them: without the ids and the bracket the robot reads back,
and the customer they name ("Kunde 1042: 3 bilag til …", "Kunde 1001, rykker 1: …")."""

from __future__ import annotations

import re

__all__ = ["after_customer", "customer_in", "readable"]

_MESSAGE_ID = re.compile(r",?\s*(mail\s+)?<[^<>\s]+@[^<>\s]+>")
_CUSTOMER = re.compile(r"[Kk]unde (\d+)")


def readable(text: str) -> str:
    """The text without Message-IDs and the bracketed per-invoice details the robot reads back."""
    text = _MESSAGE_ID.sub("", text)
    if text.endswith("]") and " [" in text:
        text = text[: text.rindex(" [")]
    return text.strip()


def customer_in(text: str) -> int | None:
    """The customer the details name first, if any."""
    m = _CUSTOMER.search(text)
    return int(m[1]) if m else None


def after_customer(text: str) -> str:
    """What follows "Kunde 1042: " (or "Kunde 1001, rykker 1: "): the text itself when its head names no
    customer."""
    head, sep, rest = text.partition(": ")
    return rest if sep and _CUSTOMER.search(head) else text
