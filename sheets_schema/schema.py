"""The sheets: tabs, columns, settings rows, checkboxes and buttons.

Two spreadsheets exist:
- the **client spreadsheet** (one per client): tabs Instruks, Rykkerforslag, Inkassoforslag, Log, and the tabs
  declared in their own modules: Sager (``cases_tab``), the rule tabs (``rules_tabs``), Hændelser (``events_tab``);
- the **queue spreadsheet** (one per robot installation): tabs Kø and Kø-arkiv, Mailforbrug (``usage_tabs``),
  Forbrug and Forbrug pr. måned (``usage_report``).

The building blocks (``Column``, ``Tab``, ``SettingsTab`` …) are in ``sheets_schema.model``; ``CLIENT_TABS`` and
``QUEUE_TABS`` below list every tab once, in the order bootstrap creates them.

The Instruks tab has a fixed layout: row 1 is a header, each setting sits on its own row with the label in
column A, the value in column B and a help text in column C. Fixed rows give every setting a stable cell
("Instruks!B7") that error messages and Apps Script can name.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from enum import StrEnum
from typing import Any

from sheets_schema.cases_tab import SAGER
from sheets_schema.events_tab import HAENDELSER
from sheets_schema.model import Button, Column, ColumnKind, Row, Setting, SettingsTab, Tab, column_letter
from sheets_schema.rules_tabs import RULES_TABS
from sheets_schema.statuses import (
    CaseAction,
    CaseMailMode,
    CaseState,
    CaseStatus,
    JobStatus,
    JobType,
    LogAction,
    Mode,
    ProposalStatus,
    YesNo,
)
from sheets_schema.usage_report import FORBRUG, FORBRUG_MAANED
from sheets_schema.usage_tabs import MAILFORBRUG

__all__ = [
    "ColumnKind",
    "Column",
    "Button",
    "Tab",
    "Row",
    "Setting",
    "SettingsTab",
    "INSTRUKS",
    "RYKKERFORSLAG",
    "INKASSOFORSLAG",
    "LOG",
    "SAGER",
    "QUEUE",
    "QUEUE_ARCHIVE",
    "CLIENT_TABS",
    "QUEUE_TABS",
    "STATUS_CELL",
    "column_letter",
    "export_json",
]



_YES_NO = (YesNo.YES.value, YesNo.NO.value)

INSTRUKS = SettingsTab(
    name="Instruks",
    settings=(
        Setting("robot_status", "Robot status", "", "Skrives af robotten. Viser hvor det seneste job er."),
        Setting("client_name", "Klient", "", "Klientens navn, bruges i mails."),
        Setting(
            "login_ref",
            "Login-reference",
            "",
            "Navnet på det login robotten har fået udleveret. Skriv aldrig adgangskoden her.",
        ),
        Setting("agreement_number", "Aftalenummer", "", "Aftalenummeret i regnskabssystemet."),
        Setting("mode", "Tilstand", Mode.APPROVAL.value, "Forslag med godkendelse eller fuldautomatisk.",
                tuple(m.value for m in Mode)),
        Setting("level1_days", "Rykker 1: dage efter forfald", "10", "Antal dage efter forfald."),
        Setting("level1_fee", "Rykker 1: gebyr (DKK)", "0", "Højst 100 kr."),
        Setting("level1_text", "Rykker 1: tekst", "Vi har endnu ikke modtaget betaling for nedenstående."),
        Setting("level2_days", "Rykker 2: dage efter rykker 1", "10", "Mindst 10 dage."),
        Setting("level2_fee", "Rykker 2: gebyr (DKK)", "100", "Højst 100 kr."),
        Setting("level2_text", "Rykker 2: tekst", "Vi har fortsat ikke modtaget betaling. Betal venligst straks."),
        Setting("level3_days", "Rykker 3: dage efter rykker 2", "10", "Mindst 10 dage."),
        Setting("level3_fee", "Rykker 3: gebyr (DKK)", "100", "Højst 100 kr."),
        Setting(
            "level3_text",
            "Rykker 3: tekst",
            "Sidste rykker. Betales beløbet ikke inden 10 dage, overgår sagen til inkasso.",
        ),
        Setting("exclude_customers", "Undtagne kundenumre", "", "Kundenumre adskilt af komma."),
        Setting("exclude_groups", "Undtagne kundegrupper", "", "Kundegrupper adskilt af komma."),
        Setting(
            "exclude_terms", "Undtagne betalingsbetingelser", "", "Navne på betalingsbetingelser adskilt af komma."
        ),
        Setting("minimum_amount", "Minimumsbeløb (DKK)", "100", "Der rykkes ikke for mindre beløb."),
        Setting("proposal_recipients", "Modtagere af forslag", "", "E-mailadresser adskilt af komma."),
        Setting("status_mail", "Statusmail", YesNo.YES.value, "Send en statusmail efter hver kørsel.", _YES_NO),
        Setting("status_recipients", "Modtagere af statusmail", "", "E-mailadresser adskilt af komma."),
        Setting("inkasso_email", "Inkassopartner e-mail", "", "Modtager af godkendte sager. Kan være din egen."),
        Setting("case_mail_mode", "Inkassomail", CaseMailMode.PER_CASE.value, "",
                tuple(m.value for m in CaseMailMode)),
        Setting("schedule_on", "Kørsel indstillinger: automatisk kørsel", YesNo.NO.value, "", _YES_NO),
        Setting("schedule_days", "Kørsel indstillinger: ugedage", "man,tir,ons,tor,fre", "F.eks. man,ons,fre"),
        Setting("schedule_times", "Kørsel indstillinger: tidspunkter", "08:00", "F.eks. 08:00,13:00"),
        Setting("free_withdrawal_days", "Inkasso: dage med gratis tilbagetrækning", "10",
                "Dage fra overdragelsen, hvor en sag kan trækkes tilbage uden omkostninger hos inkassopartneren."),
        Setting("inkasso_proposals", "Inkasso: inkassoforslag", YesNo.YES.value,
                "Nej = robotten foreslår ingen inkassosager for denne klient.", _YES_NO),
        Setting("auto_handover_days", "Inkasso: automatisk overdragelse efter dage", "",
                "Tomt = slået fra: sager godkendes i Inkassoforslag. Et tal N: en kunde, hvis rykker 3 er mindst N "
                "dage gammel, overdrages uden godkendelse, når stamdata er i orden."),
        Setting("mail_sender_name", "Kundemail: afsendernavn", "",
                "Navnet kunden ser som afsender af rykkere på e-mail. Tomt = klientens navn."),
        Setting("mail_sender_address", "Kundemail: afsenderadresse", "",
                "Klientens adresse, rykkere på e-mail sendes fra. Skal udfyldes, når et trin bruger kanalen "
                "'E-mail til kunden'."),
        Setting("mail_reply_to", "Kundemail: svar til", "",
                "Bogholderens adresse, kundens svar går til. Tomt = modtagerne af forslag."),
        Setting("mail_finance", "Kundemail: kopi til økonomi", "",
                "Klientens økonomiadresse, der får en kopi af hver rykker på e-mail. Tomt = ingen kopi."),
        Setting("mail_copy_mode", "Kundemail: kopi som", "Bcc", "Cc: kunden ser kopien. Bcc: kunden ser den ikke.",
                ("Cc", "Bcc")),
        Setting("mail_roles", "Kundemail: kontaktroller", "",
                "Roller hos kunden, der får rykkeren, adskilt af komma; % står for vilkårlig tekst, fx "
                "'Bogholder, %Regnskab'. Ingen match: kundens egen e-mail."),
    ),
    buttons=(Button("Start rykkerflow nu", JobType.RYKKERFLOW, "startRykkerflow"),),
)

STATUS_CELL = INSTRUKS.ref("robot_status")

_C = Column
_K = ColumnKind

RYKKERFORSLAG = Tab(
    name="Rykkerforslag",
    columns=(
        _C("proposal_id", "Forslag-id"),
        _C("proposed_at", "Foreslået", _K.DATE),
        _C("customer_number", "Kundenr", _K.NUMBER),
        _C("customer_name", "Kundenavn"),
        _C("invoices", "Fakturaer"),
        _C("amount", "Beløb", _K.MONEY),
        _C("oldest_due", "Ældste forfald", _K.DATE),
        _C("days_overdue", "Dage over forfald", _K.NUMBER),
        _C("step", "Rykkerniveau", _K.NUMBER),
        _C("fee", "Gebyr", _K.MONEY),
        _C("approve", "Godkend", _K.CHECKBOX, user_editable=True),
        _C("comment", "Kommentar", user_editable=True),
        _C("status", "Status", user_editable=True,  # the bookkeeper may write Afvist, or Foreslået to retry
           choices=(ProposalStatus.PROPOSED.value, ProposalStatus.REJECTED.value)),  # the robot writes the rest
        _C("message", "Besked"),
        _C("reminder_number", "Rykker-nr", _K.NUMBER),
        _C("updated_at", "Opdateret", _K.DATETIME),
        _C("currency", "Valuta"),  # of Beløb (Gebyr is always the creditor's, DKK)
        _C("template", "Skabelon"),  # the template version the step is of, "Standard v1"
        _C("check", "Kontrol"),  # the robot's seal over its own cells: a row changed by hand is not sent
    ),
    buttons=(
        Button("Send rykkere", JobType.SEND_RYKKERE, "sendRykkere"),
        Button("Godkend alle", None, "godkendAlleRykkere"),  # ticks every open proposal
        Button("Hent nye forslag", JobType.RYKKERFLOW, "hentNyeForslag"),
    ),
)

INKASSOFORSLAG = Tab(
    name="Inkassoforslag",
    columns=(
        _C("case_id", "Sag-id"),
        _C("proposed_at", "Foreslået", _K.DATE),
        _C("customer_number", "Kundenr", _K.NUMBER),
        _C("customer_name", "Kundenavn"),
        _C("invoices", "Fakturaer"),
        _C("original_amount", "Oprindeligt beløb", _K.MONEY),
        _C("remaining", "Restbeløb", _K.MONEY),
        _C("reminders", "Rykkere sendt"),
        _C("claim", "Samlet krav", _K.MONEY),
        _C("approve", "Godkend", _K.CHECKBOX, user_editable=True),
        _C("comment", "Kommentar", user_editable=True),
        _C("status", "Status", user_editable=True,  # the bookkeeper may write Afvist, or Foreslået to retry
           choices=(CaseStatus.PROPOSED.value, CaseStatus.REJECTED.value)),  # the robot writes the rest
        _C("message", "Besked"),
        _C("created_at", "Oprettet", _K.DATETIME),
        _C("missing", "Mangler stamdata"),  # what the partner needs of the debtor and the ledger lacks
        _C("send_anyway", "Send trods mangler", _K.CHECKBOX, user_editable=True),
        _C("currency", "Valuta"),  # of the amounts; Samlet krav adds the DKK fees only to a DKK case
    ),
    buttons=(
        Button("Opret godkendte sager", JobType.OPRET_SAGER, "opretGodkendteSager"),
        Button("Godkend alle", None, "godkendAlleSager"),  # ticks every open proposal
        Button("Hent nye inkasso forslag", JobType.INKASSOFORSLAG, "hentNyeInkassoForslag"),
    ),
)

LOG = Tab(
    name="Log",
    columns=(
        _C("at", "Tidspunkt", _K.DATETIME, help="UTC. Robottens egen journal; fanen Hændelser er den læsbare."),
        _C("job_id", "Job-id", help="Robottens id for jobbet, som den læser tilbage. Se fanen Hændelser."),
        _C("job_type", "Jobtype"),
        _C("action", "Handling"),
        _C("key", "Nøgle"),
        _C("details", "Detaljer"),
    ),
)

QUEUE = Tab(
    name="Kø",
    columns=(
        _C("job_id", "Job-id"),
        _C("created_at", "Oprettet", _K.DATETIME),
        _C("client_sheet", "Klientark"),
        _C("job_type", "Jobtype"),
        _C("requested_by", "Bestilt af"),
        _C("status", "Status"),
        _C("worker", "Worker"),
        _C("lease_until", "Lease til", _K.DATETIME),
        _C("attempt", "Forsøg", _K.NUMBER),
        _C("not_before", "Næste forsøg", _K.DATETIME),
        _C("message", "Besked"),
        _C("finished_at", "Afsluttet", _K.DATETIME),
    ),
)
# Finished jobs moved out of Kø when they are old, so an idle poll reads a small tab (jobqueue/archive.py).
QUEUE_ARCHIVE = Tab(name="Kø-arkiv", columns=QUEUE.columns)

# Tabs declared in their own modules (cases, rules, events, usage) join the client's or the queue's spreadsheet here.
CLIENT_TABS: tuple[SettingsTab | Tab, ...] = (
    INSTRUKS, RYKKERFORSLAG, INKASSOFORSLAG, LOG, SAGER,
    *RULES_TABS,
    HAENDELSER,  # the person's event log, beside the robot's Log
)
QUEUE_TABS: tuple[Tab, ...] = (
    QUEUE, QUEUE_ARCHIVE,
    MAILFORBRUG,  # the workers' shared Gmail send count; never in a client sheet
    FORBRUG, FORBRUG_MAANED,  # what each job cost per client, and per month: for invoices
)


def export_json() -> str:
    """The whole schema as JSON, for the Apps Script generator and anyone else."""

    def enum_map(e: type[StrEnum]) -> dict[str, str]:
        return {m.name: m.value for m in e}

    data: dict[str, Any] = {
        "statusCell": {"tab": INSTRUKS.name, "cell": INSTRUKS.cell("robot_status")},
        "instruks": {
            "name": INSTRUKS.name,
            "header": list(INSTRUKS.header),
            "settings": [dict(asdict(s), row=INSTRUKS.row(s.key), cell=INSTRUKS.cell(s.key))
                         for s in INSTRUKS.settings],
            "buttons": [asdict(b) for b in INSTRUKS.buttons],
        },
        "tabs": {
            t.name: {
                "columns": [asdict(c) for c in t.columns],
                "headers": t.headers,
                "buttons": [asdict(b) for b in t.buttons],
            }
            for t in (RYKKERFORSLAG, INKASSOFORSLAG, LOG, QUEUE, SAGER)
        },
        "ruleTabs": {t.name: {"columns": [asdict(c) for c in t.columns], "headers": t.headers}
                     for t in RULES_TABS},
        "queueTab": QUEUE.name,
        "jobTypes": enum_map(JobType),
        "jobStatus": enum_map(JobStatus),
        "proposalStatus": enum_map(ProposalStatus),
        "caseStatus": enum_map(CaseStatus),
        "caseStates": enum_map(CaseState),
        "caseActions": enum_map(CaseAction),
        "logActions": enum_map(LogAction),
        "modes": enum_map(Mode),
        "caseMailModes": enum_map(CaseMailMode),
        "yesNo": enum_map(YesNo),
    }
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=str)


