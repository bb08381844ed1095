"""The robot's journal lines (tab Log) as events a person reads: one per invoice where a line covers several.

Intents ("Sender rykker", "Sender sag", ...) and counters ("Rykkerforslag skrevet: 12 forslag") are the machine's
own and give no event; proposals and skips come from the run itself (``bot.events.plan``). Message-IDs and
other ids a person cannot use are left out of the texts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from bot.dunning.templates import Channel
from bot.events.model import Event
from bot.formats import money
from bot.inkasso.rules import parse_case_id
from bot.journal import JournalLine, after_customer, customer_in, readable
from sheets_schema import LogAction

_PROPOSAL = re.compile(r"^R-(\d+)-")  # the key "R-{customer}-{currency}-{step}-{lowest invoice}"
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
        customer, why = _customer(key, details), after_customer(details)
        return [Event("Rykker ikke sendt", customer, invoice=n, details=why) for n in invoices_of(key)] or \
            [Event("Rykker ikke sendt", customer, details=why)]
    if action in CASE_EVENTS:
        return _case(action, key, details)
    return [Event(action, _customer(key, details), details=readable(details))]  # e.g. a channel's line


def _sent(key: str, details: str) -> list[Event]:
    customer = _customer(key, details)
    line = JournalLine.parse(details)
    if line is None or not line.items:
        return [Event("Rykker sendt", customer, details=readable(details))]
    channel = (line.channel or Channel.LEDGER.value).lower()  # "(E-mail til kunden)": the step's channel
    events = []
    for i in line.items:
        text = f"Rykker-nr {line.reminder_number}, trin {i.step}, gebyr {money(i.fee)}" \
            if line.reminder_number is not None else f"Trin {i.step}, gebyr {money(i.fee)}"
        text += f", {channel}" + (", med kompensation" if i.compensation else "")
        events.append(Event("Rykker sendt", customer, invoice=i.invoice, rule=i.template, details=text))
    return events


def _case(action: str, key: str, details: str) -> list[Event]:
    case_key, _, n = key.partition("/")
    parsed = parse_case_id(case_key)
    what = readable(details)
    if action == LogAction.CASE_HANDED_OVER.value:
        what = after_customer(what)
    event = CASE_EVENTS[action]
    if action == LogAction.CASE_ACTION_SENT.value and what.startswith("Pause"):
        event = "Sag sat på pause"
    text = f"Sag {case_key}: {what}" if what else f"Sag {case_key}"
    if parsed is None:
        return [Event(event, details=text)]
    customer, invoices = parsed
    return [Event(event, customer, invoice=i, details=text) for i in invoices]


def _customer(key: str, details: str) -> int | None:
    m = _PROPOSAL.match(key)
    return int(m[1]) if m else customer_in(details)
