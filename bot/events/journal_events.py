"""The robot's journal lines (tab Log) as events a person reads: one per invoice where a line covers several.

Intents ("Sender rykker", "Sender sag", ...) and counters ("Rykkerforslag skrevet: 12 forslag") are the machine's
own and give no event; proposals and skips come from the run itself (``bot.events.plan``). Message-IDs and
other ids a person cannot use are left out of the texts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from decimal import Decimal

from bot.dunning.templates import Channel
from bot.events.model import Event
from bot.formats import money
from bot.inkasso.rules import parse_case_id
from sheets_schema import LogAction

_ITEM = re.compile(r"(\d+)=(.+?) trin (\d+) gebyr (-?\d+(?:\.\d+)?)( komp)?")
_PROPOSAL = re.compile(r"^R-(\d+)-")  # "R-{customer}-{currency}-{level}-{lowest invoice}"
_MESSAGE_ID = re.compile(r",?\s*(mail\s+)?<[^<>\s]+@[^<>\s]+>")
_SILENT = {LogAction.REMINDER_INTENT.value, LogAction.CASE_MAILING.value, LogAction.CASE_ACTION_SENDING.value,
           LogAction.REMINDERS_PROPOSED.value, LogAction.CASES_PROPOSED.value, LogAction.MAIL_SENT.value,
           LogAction.CUSTOMER_MAIL_SENT.value}  # a customer mail's send is its step's line (CHANNEL_STEP_SENT)

CASE_EVENTS = {
    LogAction.CASE_HANDED_OVER.value: "Overdraget til inkasso",
    LogAction.CASE_CHECK.value: "Sag skal tjekkes",
    LogAction.CASE_FAILED.value: "Sag ikke overdraget",
    LogAction.CASE_ACTION_SENT.value: "Sagsændring sendt",
    LogAction.CASE_ACTION_CHECK.value: "Sagsændring skal tjekkes",
}


def journal_events(action: str, key: str, details: str,
                   invoices_of: Callable[[str], Sequence[int]] = lambda _: ()) -> list[Event]:
    """The events of one journal line (``action`` is its Handling text). ``invoices_of``: a proposal's invoices by its
    id, for a line that names only the proposal (a reminder not sent)."""
    if action in _SILENT or action.startswith("Sender "):
        return []
    if action in (LogAction.REMINDER_SENT.value, LogAction.CHANNEL_STEP_SENT.value):
        return _sent(key, details)
    if action == LogAction.REMINDER_FAILED.value:
        customer, why = _customer(key, details), _after_colon(details)
        return [Event("Rykker ikke sendt", customer, invoice=n, details=why) for n in invoices_of(key)] or \
            [Event("Rykker ikke sendt", customer, details=why)]
    if action in CASE_EVENTS:
        return _case(action, key, details)
    return [Event(action, _customer(key, details), details=readable(details))]  # e.g. a channel's line


def readable(text: str) -> str:
    """The text without Message-IDs and the bracketed per-invoice details the robot reads back."""
    text = _MESSAGE_ID.sub("", text)
    if text.endswith("]") and " [" in text:
        text = text[: text.rindex(" [")]
    return text.strip()


def _sent(key: str, details: str) -> list[Event]:
    head = readable(details)
    number = head.split(":", 1)[0].removeprefix("Rykker-nr ").strip()
    via = re.search(r"\(([^()]+)\)$", head)  # "Kunde 1001, rykker 2 (E-mail til kunden)": the step's channel
    channel = (via[1] if via else Channel.LEDGER.value).lower()
    customer = _customer(key, details)
    inside = details.rpartition("[")[2].rstrip("]") if details.endswith("]") else ""
    events = []
    for part in (p.strip() for p in inside.split(";") if p.strip()):
        m = _ITEM.fullmatch(part)
        if m is None:
            continue
        text = f"Rykker-nr {number}, trin {m[3]}, gebyr {money(Decimal(m[4]))}" if number.isdigit() else \
            f"Trin {m[3]}, gebyr {money(Decimal(m[4]))}"
        text += f", {channel}" + (", med kompensation" if m[5] else "")
        events.append(Event("Rykker sendt", customer, invoice=int(m[1]), rule=m[2], details=text))
    return events or [Event("Rykker sendt", customer, details=head)]


def _case(action: str, key: str, details: str) -> list[Event]:
    case_key, _, n = key.partition("/")
    parsed = parse_case_id(case_key)
    what = readable(details)
    if action == LogAction.CASE_HANDED_OVER.value:
        what = _after_colon(what)
    event = CASE_EVENTS[action]
    if action == LogAction.CASE_ACTION_SENT.value and what.startswith("Pause"):
        event = "Sag sat på pause"
    text = f"Sag {case_key}: {what}" if what else f"Sag {case_key}"
    if parsed is None:
        return [Event(event, details=text)]
    customer, invoices = parsed
    return [Event(event, customer, invoice=i, details=text) for i in invoices]


def _customer(key: str, details: str) -> int | None:
    m = _PROPOSAL.match(key) or re.search(r"[Kk]unde (\d+)", details)
    return int(m[1]) if m else None


def _after_colon(text: str) -> str:
    head, sep, rest = text.partition(": ")
    return rest if sep and re.search(r"[Kk]unde \d+", head) else text
