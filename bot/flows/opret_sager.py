"""opret_sager ("Opret godkendte sager"): for each approved case gather the case file and mail it to the
collection partner, one mail per case or one in all.

Exactly once, as far as mail allows: the intent ("Sender sag") is journalled before the mail and "Sag
overdraget" right after it, so a re-run never sends a handed-over case again. Those two appends are a case's
whole cost in Sheets requests: its row is written with the others at each quarter of the run and at its end. A
mail server cannot be asked what it received, so a case whose run died between the two is not guessed at: its
row says "Tjek afsendelse" with what to check, and a person who finds it was not received sets the status back
to "Foreslået"."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.errors import NotInLedger
from bot.flows.case_followup import add_handed_over
from bot.flows.case_followup_auto import auto_note
from bot.flows.case_rows import CaseTarget, case_target_of, case_targets, require_partner
from bot.flows.casefile import gather_case
from bot.flows.context import FlowContext
from bot.flows.flushing import Flushes, HeldWrites
from bot.flows.journal import Journal
from bot.flows.mails import CaseOutcome, case_mail_parts, mail_case_status
from bot.formats import counted
from bot.inkasso.models import CaseFile
from bot.mail.message import DEFAULT_LIMIT_BYTES
from bot.sheets.cells import sheet_time
from sheets_schema import INKASSOFORSLAG, CaseMailMode, CaseStatus, LogAction, Row

MAIL_LIMIT_BYTES = DEFAULT_LIMIT_BYTES  # a case mail larger than this goes in numbered parts


def run(ctx: FlowContext) -> str:
    table = ctx.store.read_table(INKASSOFORSLAG)
    targets = case_targets(table)
    journal = ctx.journal()
    outcomes = _create(ctx, journal, targets) if targets else []
    # The report covers the job: cases an earlier attempt of it handed over before a crash or an outage count too.
    outcomes = _handed_over_earlier(journal, table, outcomes) + outcomes
    add_handed_over(ctx, journal, table)  # the Sager tab, where the cases are followed up
    if not outcomes:
        return "ingen godkendte inkassosager at oprette"
    mail_case_status(ctx, outcomes)
    created = sum(o.status is CaseStatus.CREATED for o in outcomes)
    failed = len(outcomes) - created
    return (f"{counted(created, 'inkassosag', 'inkassosager')} overdraget"
            + (f", {failed} fejlede (se Inkassoforslag)" if failed else ""))


def _handed_over_earlier(journal: Journal, table: Sequence[Row], outcomes: list[CaseOutcome]) -> list[CaseOutcome]:
    keys = {e.key for e in journal.of_job(LogAction.CASE_HANDED_OVER)} - {o.target.case_id for o in outcomes}
    targets = [case_target_of(r) for r in table if str(r.values.get("case_id") or "") in keys] if keys else []
    return [CaseOutcome(t, CaseStatus.CREATED, "") for t in targets if t is not None]


def _create(ctx: FlowContext, journal: Journal, targets: list[CaseTarget]) -> list[CaseOutcome]:
    require_partner(ctx.settings)
    last = journal.latest([LogAction.CASE_MAILING, LogAction.CASE_HANDED_OVER, LogAction.CASE_CHECK])
    ctx.store.update_rows(INKASSOFORSLAG, {t.row: {"status": CaseStatus.CREATING.value, "message": ""}
                                           for t in targets})
    creditor = ctx.ledger.company()
    outcomes: list[CaseOutcome] = []
    batch: list[tuple[CaseTarget, CaseFile]] = []
    pending = HeldWrites(ctx.store, INKASSOFORSLAG, journal)  # a case's intent and hand-over line are never held
    flushes = Flushes(len(targets), pending.flush)
    try:
        for i, t in enumerate(targets, 1):
            journalled = last.get(t.case_id)
            if journalled is LogAction.CASE_HANDED_OVER:
                outcomes.append(CaseOutcome(t, CaseStatus.CREATED, "Var allerede overdraget"))
                pending.rows[t.row] = _status(ctx, CaseStatus.CREATED, "Var allerede overdraget")
                continue
            if journalled is LogAction.CASE_MAILING:
                message = (f"En tidligere kørsel blev afbrudt, mens sagen blev mailet til "
                           f"{ctx.settings.inkasso_email}; den kan være sendt. Tjek hos modtageren. Er den ikke "
                           f"modtaget, så skriv «{CaseStatus.PROPOSED.value}» i Status og tryk «Opret godkendte "
                           "sager» igen.")
                outcomes.append(CaseOutcome(t, CaseStatus.CHECK, message))
                pending.rows[t.row] = _status(ctx, CaseStatus.CHECK, message)
                pending.log.append((LogAction.CASE_CHECK, t.case_id, "Afbrudt under afsendelse; afventer bogholderen"))
                continue
            try:
                case = gather_case(ctx.ledger, creditor, t)
            except NotInLedger as e:
                outcomes.append(CaseOutcome(t, CaseStatus.FAILED, str(e)))
                pending.rows[t.row] = _status(ctx, CaseStatus.FAILED, str(e))
                pending.log.append((LogAction.CASE_FAILED, t.case_id, str(e)))
                continue
            if ctx.settings.case_mail_mode is CaseMailMode.PER_CASE:
                _hand_over(ctx, pending, [(t, case)], outcomes)
            else:
                batch.append((t, case))
            ctx.job.progress(f"{i}/{len(targets)} sager samlet")
            flushes.advanced(i)
        if batch:
            _hand_over(ctx, pending, batch, outcomes)
    finally:
        pending.flush()
    return outcomes


def _hand_over(ctx: FlowContext, pending: HeldWrites, cases: list[tuple[CaseTarget, CaseFile]],
               outcomes: list[CaseOutcome]) -> None:
    """Mail these cases in one mail, or in its parts when it is too large. A case's intent is journalled right
    before the part that carries its first attachment, and it is handed over right after the part with its
    last, so a crash leaves in doubt only the cases of the part that was going out."""
    parts = case_mail_parts(ctx, [c for _, c in cases], MAIL_LIMIT_BYTES)
    spans = _attachment_spans([c for _, c in cases])
    announced: set[int] = set()
    finished: set[int] = set()
    sent_until = 0
    for number, part in enumerate(parts):
        sent_until += len(part.attachments)
        last_part = number == len(parts) - 1
        starting = [i for i in range(len(cases)) if i not in announced and (last_part or spans[i][0] < sent_until)]
        pending.record([(LogAction.CASE_MAILING, cases[i][0].case_id, f"Kunde {cases[i][0].customer_number}")
                        for i in starting])
        announced.update(starting)
        message_id = ctx.mailer.send(part)
        handed = [cases[i] for i in sorted(announced - finished) if last_part or spans[i][1] <= sent_until]
        finished.update(i for i in announced if last_part or spans[i][1] <= sent_until)
        pending.record([(LogAction.CASE_HANDED_OVER, t.case_id, f"Kunde {t.customer_number}: "
                         f"{len(c.attachments)} bilag til {ctx.settings.inkasso_email}, mail {message_id}")
                        for t, c in handed])
        outcomes.extend(CaseOutcome(t, CaseStatus.CREATED, auto_note(t.comment)) for t, _ in handed)
        pending.rows.update({t.row: _status(ctx, CaseStatus.CREATED, "") for t, _ in handed})
    ctx.mails.extend(parts)


def _attachment_spans(cases: list[CaseFile]) -> list[tuple[int, int]]:
    """Per case, where its attachments start and end in the mail's list (a case without any: the first part)."""
    spans, at = [], 0
    for c in cases:
        n = len(c.attachments)
        spans.append((at, at + n) if n else (0, 0))
        at += n
    return spans


def _status(ctx: FlowContext, status: CaseStatus, message: str) -> dict[str, Any]:
    values: dict[str, Any] = {"status": status.value, "message": message}
    if status is CaseStatus.CREATED:
        values["created_at"] = sheet_time(ctx.now())  # local, as a person reads it
    return values
