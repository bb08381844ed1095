"""send_sagsaendringer ("Send ændringer til inkasso"): mail each pending action of the Sager tab to the
collection partner, one mail per case, and update the case's state.

Exactly once, as opret_sager: the action's key is ``<case id>/<n>``, n being the row's "Sendte ændringer" + 1.
The intent is journalled before the mail and "sent" after it; the row is then cleared and counted. A re-run
that finds "sent" only updates the row; one that finds an intent alone (the run died in between) sends
nothing and marks the row "Tjek afsendelse" for a person, who sets "Sagsstatus" back to send it again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.flows.case_followup import CLOSED, OpenCase, free_days, refresh_warnings, send_once
from bot.flows.case_rows import require_partner
from bot.flows.context import FlowContext
from bot.flows.journal import Journal
from bot.sheets.cells import sheet_time
from bot.texts.render_cases import FollowUp, render_case_action
from sheets_schema import SAGER, CaseAction, CaseState, LogAction, Row

NEXT_STATE = {
    CaseAction.POSTPONE: CaseState.POSTPONED,
    CaseAction.PAUSE: CaseState.PAUSED,
    CaseAction.RESUME: CaseState.OPEN,
    CaseAction.WITHDRAW: CaseState.WITHDRAWN,
}


@dataclass(frozen=True)
class Pending:
    case: OpenCase
    action: CaseAction
    text: str
    new_date: date | None

    @property
    def key(self) -> str:
        return f"{self.case.case_id}/{self.case.actions_sent + 1}"


def run(ctx: FlowContext) -> str:
    rows = ctx.store.read_table(SAGER)
    days = free_days(ctx)
    refresh_warnings(ctx, rows, days)
    pending, problems = _pending(rows)
    if problems:
        ctx.store.update_rows(SAGER, problems)
    if not pending:
        return "ingen ændringer at sende til inkasso" + (f" ({len(problems)} rækker skal rettes)" if problems else "")
    partner = require_partner(ctx.settings)
    journal = ctx.journal()
    latest = journal.latest([LogAction.CASE_ACTION_SENDING, LogAction.CASE_ACTION_SENT, LogAction.CASE_ACTION_CHECK])
    sent = checks = 0
    for p in pending:
        done = latest.get(p.key)
        if done is LogAction.CASE_ACTION_SENDING:
            _mark_check(ctx, journal, p, partner)
            checks += 1
            continue
        if done is not LogAction.CASE_ACTION_SENT:  # never journalled, or a person cleared a "check"
            email = render_case_action(ctx.settings.client_name, p.case.ref(), _follow_up(p, days, ctx.today),
                                       partner, reply_to=ctx.settings.proposal_recipients)
            send_once(ctx, journal, p.key, f"{p.action.value} ({p.case.case_id})", email)
        ctx.store.update_rows(SAGER, {p.case.row: _sent_values(ctx, p)})
        sent += 1
        ctx.job.progress(f"{sent}/{len(pending)} ændringer sendt")
    return f"{sent} ændringer sendt til inkasso" + (f", {checks} skal tjekkes (se Sager)" if checks else "")


def _pending(rows: Sequence[Row]) -> tuple[list[Pending], dict[int, dict[str, Any]]]:
    """The rows with an action to send, and a message for each row whose action cannot be sent as it is."""
    pending: list[Pending] = []
    problems: dict[int, dict[str, Any]] = {}
    for r in rows:
        v = r.values
        chosen = str(v.get("action") or "").strip()
        case = OpenCase.of(r)
        if not chosen or case is None or case.state == CaseState.CHECK.value:
            continue  # nothing to do, not a case row, or waiting for a person
        text = str(v.get("action_text") or "").strip()
        new_date = v.get("action_date") if isinstance(v.get("action_date"), date) else None
        problem = _problem(chosen, text, new_date, case)
        if problem:
            problems[r.number] = {"message": problem}
            continue
        pending.append(Pending(case, CaseAction(chosen), text, new_date))
    return pending, problems


def _problem(chosen: str, text: str, new_date: date | None, case: OpenCase) -> str:
    if chosen not in {a.value for a in CaseAction.chosen()}:
        names = ", ".join(f"«{a.value}»" for a in CaseAction.chosen())
        return f"Ukendt handling «{chosen}». Vælg en af {names}."
    if case.state in CLOSED:
        return f"Sagen er «{case.state}»; der sendes ikke flere ændringer. Slet handlingen."
    if chosen == CaseAction.MESSAGE.value and not text:
        return f"Skriv beskeden i «{SAGER.column('action_text').header}», og tryk igen."
    if chosen == CaseAction.POSTPONE.value and new_date is None:
        return f"Skriv den nye forfaldsdato (åååå-mm-dd) i «{SAGER.column('action_date').header}», og tryk igen."
    return ""


def _follow_up(p: Pending, days: int, today: date) -> FollowUp:
    at = p.case.handed_over_at
    left = days - (today - at.date()).days if at else 0
    return FollowUp(p.action, p.text, p.new_date, free_days=days, free_left=left)


def _sent_values(ctx: FlowContext, p: Pending) -> dict[str, Any]:
    what = p.action.value + (f" {p.new_date:%d-%m-%Y}" if p.new_date else "")
    values: dict[str, Any] = {
        "last_action": f"{what}: sendt {ctx.today:%d-%m-%Y}",
        "action": "", "action_text": "", "action_date": "", "message": "",
        "actions_sent": p.case.actions_sent + 1, "updated_at": sheet_time(ctx.now()),
    }
    if p.action in NEXT_STATE:
        values["state"] = NEXT_STATE[p.action].value
    elif p.case.state not in {s.value for s in CaseState}:
        values["state"] = CaseState.OPEN.value
    if p.action is CaseAction.WITHDRAW:
        values["free_withdrawal"] = ""
    return values


def _mark_check(ctx: FlowContext, journal: Journal, p: Pending, partner: str) -> None:
    message = (f"En tidligere kørsel blev afbrudt, mens «{p.action.value}» blev mailet til {partner}; den kan være "
               "sendt. Tjek hos inkassopartneren. Er den modtaget, så slet handlingen og skriv «"
               f"{CaseState.OPEN.value}» i Sagsstatus. Er den ikke, så skriv «{CaseState.OPEN.value}» i Sagsstatus "
               "og tryk «Send ændringer til inkasso» igen.")
    ctx.store.update_rows(SAGER, {p.case.row: {"state": CaseState.CHECK.value, "message": message,
                                               "updated_at": sheet_time(ctx.now())}})
    journal.record(LogAction.CASE_ACTION_CHECK, p.key, "Afbrudt under afsendelse; afventer bogholderen")

