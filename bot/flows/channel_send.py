"""Send the ticked reminders each by its step's channel, then mail the run report.

Every row is decided once (``send_plan``: refused, already sent, or approved with today's line), then each goes
by its step's channel:
- "Regnskabets rykker": tick and Send in the ledger (``sending.send_ledger``).
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
from datetime import date

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
from bot.dunning.engine import ReminderLine, RunPlan, Skip
from bot.dunning.outcomes import SendOutcome, SendTarget
from bot.dunning.templates import Channel
from bot.flows.context import FlowContext
from bot.flows.journal import Journal
from bot.flows.send_plan import Approved, decide_send, journal_items
from bot.flows.sending import send_ledger
from bot.journal import JournalLine
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
    checked e-mail and letter steps, when the flow has them already.

    In order: every row decided once (``send_plan``), the e-mail and letter steps' sender checked, the ledger's rows
    sent, then the mails, then the report (with the letters' PDF: a letter is sent when the report with it is), and
    last the e-mail and letter rows journalled and written."""
    templates = None
    if book is None:
        templates = ctx.store.read_table(SKABELONER)
        book = check_channel_steps(templates)  # SettingsError before anything is sent
    decision = decide_send(ctx, journal, targets, plan, templates, by_channel=bool(book))
    run = _mail_run(ctx, book, decision.by_channel)  # SettingsError (the Instruks cells) before anything is sent
    outcomes = send_ledger(ctx, journal, decision)
    if not book:
        return outcomes
    report = _report(journal, decision.done_by_channel, outcomes, ctx.settings.client_name, ctx.today, skips)
    mine = decision.by_channel
    letters: bytes | None = None
    if mine and run is not None:
        ctx.store.update_rows(RYKKERFORSLAG, {a.target.row: {"status": ProposalStatus.SENDING.value, "message": "",
                                                             "updated_at": sheet_time(ctx.now())} for a in mine})
        lines = [a.line for a in mine]
        steps = {mail_key(ctx.job.job.id, a.line.line_id): (a.target.proposal_id, _step_text(a)) for a in mine}
        send_customer_mails(lines, ctx.ledger, _FlowMailer(ctx), _StepJournal(journal, steps), run, report,
                            ctx.sent_lookup())
        letters = collect_letters(lines, ctx.ledger, run, report)
    recipients = ctx.settings.status_recipients
    if recipients:
        ctx.send_mail(render_channel_report(report, recipients, letters, ctx.sheet_url))
    done = [SendOutcome(t, ProposalStatus.SENT, None, "Var allerede sendt") for t in decision.done_by_channel]
    return outcomes + _settle(ctx, journal, mine, report, letters is not None and bool(recipients), done)


def _report(journal: Journal, done: Sequence[SendTarget], outcomes: Sequence[SendOutcome], client_name: str,
            today: date, skips: Sequence[Skip]) -> ChannelReport:
    """The run report as far as the ledger's rows and the rows an earlier attempt sent by their channel go."""
    report = ChannelReport(client_name, today)
    report.add_skips(skips)
    for t in done:
        entry = journal.find(LogAction.CHANNEL_STEP_SENT, t.proposal_id)
        parsed = JournalLine.parse(entry.details) if entry is not None else None
        channel = next((c.value for c in Channel if parsed is not None and parsed.channel == c.value), "")
        report.notified(t.customer_number, t.customer_name, channel, t.step, "sendt i et tidligere forsøg")
    for o in outcomes:
        _report_ledger(report, o)
    return report


def _mail_run(ctx: FlowContext, book: StepBook, mine: Sequence[Approved]) -> MailRun | None:
    if not mine:
        return None

    def texts(line: ReminderLine) -> StepTexts:
        return book.get((line.template.name.casefold(), line.template.version, line.step), StepTexts())

    values = ctx.store.read_settings(INSTRUKS)
    identity = client_identity(values, ctx.settings.client_name, ctx.settings.proposal_recipients) \
        if any(a.line.channel is Channel.EMAIL for a in mine) else None
    company = ctx.ledger.company()
    if identity is None:  # letters only: the sender is the company
        identity = ClientIdentity(ctx.settings.client_name, company.email or "robot@example.invalid")
    return MailRun(job_id=ctx.job.job.id, today=ctx.today, company=company, identity=identity,
                   patterns=role_patterns(values), line_texts=texts)


def _report_ledger(report: ChannelReport, o: SendOutcome) -> None:
    t = o.target
    if o.status is ProposalStatus.SENT:
        detail = f"rykker-nr. {o.reminder_number}" if o.reminder_number else o.message
        report.notified(t.customer_number, t.customer_name, Channel.LEDGER.value, t.step, detail)
    else:
        report.error(t.customer_number, t.customer_name, ErrorKind.NOT_SENT, o.message, step=t.step)


def _step_text(a: Approved) -> str:
    """ "Kunde 1001, rykker 1 (E-mail til kunden) [20001=Standard v1 trin 1 gebyr 0.00]": as a ledger send's."""
    return JournalLine(a.target.customer_number, a.line.step, channel=a.line.channel.value,
                       items=journal_items(a.line)).text()


def _settle(ctx: FlowContext, journal: Journal, mine: Sequence[Approved], report: ChannelReport,
            letters_mailed: bool, done: Sequence[SendOutcome] = ()) -> list[SendOutcome]:
    """Each e-mail and letter row's outcome: journalled ("Rykker sendt" with each invoice's step, so the engine's
    history advances) and written to its row."""
    if not mine and not done:
        return []
    mails = journal.latest(_MAIL_ACTIONS)
    outcomes: list[SendOutcome] = list(done)  # sent by an earlier attempt of the job (or an earlier job)
    log: list[tuple[LogAction, str, str]] = []
    for a in mine:
        t, line = a.target, a.line
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
                log.append((LogAction.CHANNEL_STEP_SENT, t.proposal_id, _step_text(a)))
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
