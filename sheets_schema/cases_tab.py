"""The "Sager" tab: every case handed over to the collection partner, followed to its end.

The robot writes a row when it hands a case over (opret_sager) and keeps its state; the bookkeeper picks an
action in the dropdown (with a text, and a new due date for "Udsat forfald") and presses "Send ændringer til
inkasso". The robot mails each pending action to the partner once, then clears the action cells and counts it
in "Sendte ændringer", which keys the next action in the journal (``case_id/<n>``).
"""

from __future__ import annotations

from sheets_schema.model import Button, Column, ColumnKind, Tab
from sheets_schema.statuses import CaseAction, CaseState, JobType

__all__ = ["SAGER"]

_C = Column
_K = ColumnKind

SAGER: Tab = Tab(
    name="Sager",
    columns=(
        _C("case_id", "Sag-id"),
        _C("customer_number", "Kundenr", _K.NUMBER),
        _C("customer_name", "Kundenavn"),
        _C("invoices", "Fakturaer"),
        _C("claim", "Samlet krav", _K.MONEY),
        _C("remaining", "Restbeløb", _K.MONEY),  # of the case's invoices, as last reported to the partner
        _C("handed_over_at", "Overdraget", _K.DATETIME),
        _C("state", "Sagsstatus", user_editable=True,  # a person resolves "Tjek afsendelse" with Overdraget
           choices=(CaseState.OPEN.value,)),  # the robot writes the rest
        _C("last_action", "Seneste handling"),
        _C("action", "Handling", user_editable=True, choices=tuple(a.value for a in CaseAction.chosen())),
        _C("action_text", "Tekst til sagsbehandler", user_editable=True),
        _C("action_date", "Ny forfaldsdato", _K.DATE, user_editable=True),
        _C("free_withdrawal", "Gratis tilbagetrækning"),
        _C("message", "Besked"),
        _C("actions_sent", "Sendte ændringer", _K.NUMBER),
        _C("mail_ref", "Sagsmail"),  # the case mail's Message-ID, referenced by every follow-up mail
        _C("updated_at", "Opdateret", _K.DATETIME),
    ),
    buttons=(Button("Send ændringer til inkasso", JobType.SEND_SAGSAENDRINGER, "sendSagsaendringer"),),
)
