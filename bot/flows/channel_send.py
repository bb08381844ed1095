"""Send the ticked reminders each by its step's channel (issue 15), then mail the run report.

- "Regnskabets rykker": tick and Send in the ledger (``sending.send_approved``), as before.
- "E-mail til kunden": the robot mails the customer (``bot.channels.dispatch.send_customer_mails``: exactly once
  through the journal; a mail a killed run may have sent is asked of Gmail, or left for a person to check).
- "Brev": one print-ready PDF with every letter, attached to the report mail.

Before anything is sent, every e-mail and letter step of the Skabeloner tab is checked (its templates, and no fee:
see ``bot.channels.sheet_settings``). Each sent mail or letter is journalled as "Rykker sendt (e-mail/brev)" with
what each invoice got (the text of a ledger send's "Rykker sendt"), so the engine's history advances and the step
is never sent again (the usage counter counts the mail by its "Kundemail sendt" line, not twice).
A client whose templates use a channel besides the ledger's gets the run report after every send, also one where
nothing was sent; a client on the ledger's channel alone keeps today's send report only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.channels.customer_mail import ClientIdentity, StepTexts
from bot.channels.delivery import mail_key
from bot.channels.dispatch import MailRun, collect_letters, send_customer_mails
from bot.channels.sheet_settings import (
    StepBook,
    check_channel_steps,
    client_identity,
    role_patterns,
    uses_email,
)
from bot.dunning.engine import ReminderLine, RunPlan, Skip, approved_line
from bot.dunning.templates import Channel
from bot.flows.context import FlowContext
from bot.flows.dunning_plan import load_rules, plan_today
from bot.flows.journal import Journal
from bot.flows.proposal_rows import SendTarget
from bot.flows.sending import SendOutcome, send_approved
from bot.journal import JournalItem, JournalLine
from bot.mail.message import Email
from bot.sheets.cells import sheet_time
from bot.texts.report import ChannelReport, ErrorKind, Outcome, render_channel_report
from sheets_schema import INSTRUKS, RYKKERFORSLAG, SKABELONER, LogAction, ProposalStatus, Row

__all__ = ["check_channels", "send_by_channel"]

_MAIL_ACTIONS = (LogAction.CUSTOMER_MAIL_SENDING, LogAction.CUSTOMER_MAIL_SENT,
                 LogAction.CUSTOMER_MAIL_CHECK, LogAction.CUSTOMER_MAIL_FAILED)
CHECK_PREFIX = "Tjek afsendelse: "


class _FlowMailer:
    """The flow's mailer, counting what this job sent (``ctx.mails``)."""

    def __init__(self, ctx: FlowContext) -> None:
        self._ctx = ctx

    def send(self, email: Email) -> str:
        message_id = self._ctx.mailer.send(email)
        self._ctx.mails.append(email)
        return message_id


class _StepJournal:
    """The journal for ``send_customer_mails``: a mail's "sent" line and its step's history line (per invoice) go
    in one append, so no run can die between them (a later job would not know the step was sent)."""

    def __init__(self, journal: Journal, steps: Mapping[str, tuple[str, str]]) -> None:
        self._journal = journal
        self._steps = steps  # mail key -> (proposal id, step text)

    def record(self, action: LogAction, key: str = "", details: str = "") -> None:
        step = self._steps.get(key) if action is LogAction.CUSTOMER_MAIL_SENT else None
        extra = [(LogAction.CHANNEL_STEP_SENT, *step)] if step is not None else []
        self._journal.record_many([(action, key, details), *extra])

    def latest(self, actions: Sequence[LogAction]) -> dict[str, LogAction]:
        return self._journal.latest(actions)


def check_channels(ctx: FlowContext, templates: Sequence[Row]) -> StepBook:
    """Everything the channels need from the sheet, checked before anything is proposed or sent: the e-mail and
    letter steps (``check_channel_steps``) and, when a step goes by e-mail, the Instruks cells of customer mails
    (one more read then). ``SettingsError`` naming every cell."""
    book = check_channel_steps(templates)
    if uses_email(templates):
        client_identity(ctx.store.read_settings(INSTRUKS), ctx.settings.client_name, ctx.settings.proposal_recipients)
    return book


def send_by_channel(ctx: FlowContext, journal: Journal, targets: list[SendTarget], plan: RunPlan | None = None,
                    skips: Sequence[Skip] = (), book: StepBook | None = None) -> list[SendOutcome]:
    """Send ``targets`` each by its channel; the outcomes of all channels (``SendOutcome`` per row). ``book``: the
    checked e-mail and letter steps, when the flow has them already."""
    rows = None
    if book is None:
        rows = ctx.store.read_table(SKABELONER)
        book = check_channel_steps(rows)  # SettingsError before anything is sent
    if not book:
        return send_approved(ctx, journal, targets, plan)
    done = [SendOutcome(t, ProposalStatus.SENT, None, "Var allerede sendt") for t in targets
            if journal.find(LogAction.CHANNEL_STEP_SENT, t.proposal_id) is not None]
    targets = [t for t in targets if t not in {o.target for o in done}]
    ledger_targets: list[SendTarget] = targets
    mine: list[tuple[SendTarget, ReminderLine]] = []
    if targets:
        plan = plan or plan_today(ctx, journal, load_rules(ctx.store, rows), only={t.customer_number for t in targets})
        ledger_targets, mine = _split(journal, targets, plan)
    run = _mail_run(ctx, book, mine)  # SettingsError (the Instruks cells) before anything is sent
    outcomes = send_approved(ctx, journal, ledger_targets, plan)
    report = ChannelReport(ctx.settings.client_name, ctx.today)
    report.add_skips(skips)
    for o in done:
        entry = journal.find(LogAction.CHANNEL_STEP_SENT, o.target.proposal_id)
        parsed = JournalLine.parse(entry.details) if entry is not None else None
        channel = next((c.value for c in Channel if parsed is not None and parsed.channel == c.value), "")
        report.notified(o.target.customer_number, o.target.customer_name, channel, o.target.level,
                        "sendt i et tidligere forsøg")
    for o in outcomes:
        _report_ledger(report, o)
    letters: bytes | None = None
    if mine and run is not None:
        ctx.store.update_rows(RYKKERFORSLAG, {t.row: {"status": ProposalStatus.SENDING.value, "message": "",
                                                      "updated_at": sheet_time(ctx.now())} for t, _ in mine})
        lines = [line for _, line in mine]
        steps = {mail_key(ctx.job.job.id, line.line_id): (t.proposal_id, _step_text(t, line)) for t, line in mine}
        send_customer_mails(lines, ctx.ledger, _FlowMailer(ctx), _StepJournal(journal, steps), run, report,
                            ctx.sent_lookup())
        letters = collect_letters(lines, ctx.ledger, run, report)
    recipients = ctx.settings.status_recipients
    if recipients:
        ctx.send_mail(render_channel_report(report, recipients, letters, ctx.sheet_url))
    return outcomes + _settle(ctx, journal, mine, report, letters is not None and bool(recipients), done)


def _split(journal: Journal, targets: list[SendTarget], plan: RunPlan
           ) -> tuple[list[SendTarget], list[tuple[SendTarget, ReminderLine]]]:
    """The ledger's rows (and every row the ledger path decides: refused, or already sent) and the rows of an
    e-mail or letter step with their approved line."""
    ledger: list[SendTarget] = []
    mine: list[tuple[SendTarget, ReminderLine]] = []
    for t in targets:
        if t.changed or not t.sealed or journal.find(LogAction.REMINDER_SENT, t.proposal_id) is not None \
                or journal.find(LogAction.REMINDER_INTENT, t.proposal_id) is not None:
            ledger.append(t)
            continue
        line = approved_line(plan, t.customer_number, t.currency, t.invoice_numbers)
        if isinstance(line, str) or line.channel is Channel.LEDGER:
            ledger.append(t)
        else:
            mine.append((t, line))
    return ledger, mine


def _mail_run(ctx: FlowContext, book: StepBook, mine: Sequence[tuple[SendTarget, ReminderLine]]) -> MailRun | None:
    if not mine:
        return None

    def texts(line: ReminderLine) -> StepTexts:
        return book.get((line.template.name.casefold(), line.template.version, line.step), StepTexts())

    values = ctx.store.read_settings(INSTRUKS)
    identity = client_identity(values, ctx.settings.client_name, ctx.settings.proposal_recipients) \
        if any(line.channel is Channel.EMAIL for _, line in mine) else None
    company = ctx.ledger.company()
    if identity is None:  # letters only: the sender is the company
        identity = ClientIdentity(ctx.settings.client_name, company.email or "robot@example.invalid")
    return MailRun(job_id=ctx.job.job.id, today=ctx.today, company=company, identity=identity,
                   patterns=role_patterns(values), line_texts=texts)


def _report_ledger(report: ChannelReport, o: SendOutcome) -> None:
    t = o.target
    if o.status is ProposalStatus.SENT:
        detail = f"rykker-nr. {o.reminder_number}" if o.reminder_number else o.message
        report.notified(t.customer_number, t.customer_name, Channel.LEDGER.value, t.level, detail)
    else:
        report.error(t.customer_number, t.customer_name, ErrorKind.NOT_SENT, o.message, step=t.level)


def _step_text(t: SendTarget, line: ReminderLine) -> str:
    """ "Kunde 1001, rykker 1 (E-mail til kunden) [20001=Standard v1 trin 1 gebyr 0.00]": as a ledger send's."""
    items = tuple(JournalItem(i.invoice.number, i.template.label, i.step, i.fee, i.compensation > 0)
                  for i in line.items)
    return JournalLine(t.customer_number, line.step, channel=line.channel.value, items=items).text()


def _settle(ctx: FlowContext, journal: Journal, mine: Sequence[tuple[SendTarget, ReminderLine]],
            report: ChannelReport, letters_mailed: bool, done: Sequence[SendOutcome] = ()) -> list[SendOutcome]:
    """Each e-mail and letter row's outcome: journalled ("Rykker sendt" with each invoice's step, so the engine's
    history advances) and written to its row."""
    if not mine and not done:
        return []
    mails = journal.latest(_MAIL_ACTIONS)
    outcomes: list[SendOutcome] = list(done)  # sent by an earlier attempt of the job (or an earlier job)
    log: list[tuple[LogAction, str, str]] = []
    for t, line in mine:
        entry = next((e for e in report.entries if e.customer_number == t.customer_number
                      and e.channel == line.channel.value and e.step == line.step), None)
        detail = entry.detail if entry is not None else ""
        if line.channel is Channel.EMAIL:
            state = mails.get(mail_key(ctx.job.job.id, line.line_id))
            sent = state == LogAction.CUSTOMER_MAIL_SENT
            check = state == LogAction.CUSTOMER_MAIL_CHECK
        else:
            sent = letters_mailed and entry is not None and entry.outcome is Outcome.NOTIFIED
            check = False
        head = f"Kunde {t.customer_number}, rykker {line.step} ({line.channel.value})"
        if sent:
            message = f"{line.channel.value}: {detail}".rstrip(": ")
            outcomes.append(SendOutcome(t, ProposalStatus.SENT, None, message))
            if journal.find(LogAction.CHANNEL_STEP_SENT, t.proposal_id) is None:  # letters; mails journal it
                log.append((LogAction.CHANNEL_STEP_SENT, t.proposal_id, _step_text(t, line)))
        else:
            message = (CHECK_PREFIX if check else "") + (entry.todo if entry is not None and not detail else detail)
            message = message or "Ikke sendt; se rapporten"
            outcomes.append(SendOutcome(t, ProposalStatus.FAILED, None, message))
            if not check:
                log.append((LogAction.REMINDER_FAILED, t.proposal_id, f"{head}: {message}"))
    journal.record_many(log)
    ctx.store.update_rows(RYKKERFORSLAG, {o.target.row: {"status": o.status.value, "message": o.message,
                                                         "updated_at": sheet_time(ctx.now())} for o in outcomes})
    return outcomes
