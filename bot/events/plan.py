"""The events of what a run decided and the journal does not hold: reminders proposed (one per invoice), customers
left out and why, inkasso cases proposed (one per invoice)."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from bot.dunning.engine import RunPlan
from bot.events.log import EventSink
from bot.events.model import Event
from bot.formats import money
from bot.inkasso.models import CaseProposal


def record_plan(sink: EventSink, plan: RunPlan, fresh: Collection[str]) -> None:
    """The fresh proposals (by proposal id) per invoice, and every skip, in one append."""
    events = []
    for line in plan.lines:
        if line.line_id not in fresh:
            continue
        for i in line.items:
            events.append(Event(
                "Rykker foreslået", line.customer_number, line.customer_name, i.invoice.number, line.rule,
                f"Trin {i.step} ({i.template.label}), gebyr {money(i.fee)}, {line.channel.value.lower()}"))
    for s in plan.skips:
        why = s.reason if s.reason.startswith(s.kind.value) else f"{s.kind.value}: {s.reason}"
        events.append(Event("Ikke rykket", s.customer_number, s.customer_name, details=why))
    sink.add(events)


def record_cases(sink: EventSink, fresh: Sequence[CaseProposal]) -> None:
    """The fresh inkasso proposals, one event per invoice."""
    sink.add([Event("Inkassosag foreslået", p.customer_number, p.customer_name, n,
                             details=f"Sag {p.case_id}: krav {money(p.claim, p.currency)}")
                       for p in fresh for n in p.invoice_numbers])
