"""The "Hændelser" tab: the robot's event log for a person, beside the machine-read Log.

One row per thing the robot did or decided (proposed, skipped and why, sent, failed, handed over, paused, a run
refused for its settings), one row per invoice where an action covers several, so the sheet's own filter finds
everything that happened to an invoice or a customer. Dates are real dates (shown dd-mm-yyyy), times local.
The Log tab stays the robot's journal (read back for exactly-once work); this tab is only written.
"""

from __future__ import annotations

from sheets_schema.model import Column, ColumnKind, Tab

__all__ = ["HAENDELSER"]

_C = Column
_K = ColumnKind

HAENDELSER: Tab = Tab(
    name="Hændelser",
    columns=(
        _C("date", "Dato", _K.DATE),
        _C("time", "Kl.", help="Klokkeslæt i klientens tidszone."),
        _C("event", "Hændelse"),
        _C("customer_number", "Kundenr", _K.NUMBER),
        _C("customer_name", "Kundenavn"),
        _C("invoice", "Faktura", _K.NUMBER),
        _C("rule", "Regel"),
        _C("details", "Detaljer"),
        _C("job", "Job", help="Jobbet som det blev bestilt: type, dato og klokkeslæt."),
    ),
)
