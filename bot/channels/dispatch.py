"""A run's channel work: the customer mails of the e-mail steps and the letters of the letter steps, each outcome
written into the run report. The flow calls these with the engine's ``ReminderLine``s for the two channels (the
ledger channel stays the flow's own tick-and-Send).

Order per customer mail: the customer (contacts included) -> recipients by role -> the invoice PDFs -> the mail
-> ``deliver`` (exactly once). A customer without a recipient or with a PDF the ledger will not give is an error
in the report and gets nothing. Every step's templates are checked before the first mail goes out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from bot.channels.claim import Claim, claim_from_line
from bot.channels.customer_mail import (
    BODY_FIELD,
    ClientIdentity,
    StepTexts,
    check_step_texts,
    compose_customer_mail,
    message_id_for,
)
from bot.channels.delivery import DeliveryJournal, DeliveryStatus, SentLookup, deliver, mail_key
from bot.channels.letter import Letter, letters_pdf
from bot.channels.roles import MissingRecipient, choose_recipients
from bot.channels.templating import render_user_template
from bot.dunning.engine import ReminderLine
from bot.dunning.money import Money
from bot.dunning.templates import Channel
from bot.errors import NotInLedger
from bot.mail.message import DEFAULT_LIMIT_BYTES
from bot.mail.port import Mailer
from bot.records import Company, Customer
from bot.texts.report import ChannelReport, ErrorKind
from sheets_schema import LogAction

__all__ = ["CustomerSource", "MailRun", "collect_letters", "send_customer_mails"]


class CustomerSource(Protocol):
    """The parts of ``bot.ledger.port.Ledger`` the channels need."""

    def customer(self, number: int) -> Customer: ...

    def invoice_pdf(self, number: int) -> bytes: ...


@dataclass(frozen=True)
class MailRun:
    """One run's settings for the channels (from the client's sheet and the job)."""

    job_id: str
    today: date
    company: Company  # the client company (``ledger.company()``): letters, bank details
    identity: ClientIdentity
    patterns: tuple[str, ...]  # contact roles, ``roles.parse_patterns`` of the setting
    texts: Mapping[int, StepTexts] = field(default_factory=dict)  # per step; a missing step uses the defaults
    limit_bytes: int = DEFAULT_LIMIT_BYTES
    interest: Callable[[ReminderLine], Money] | None = None  # the flow's interest per line; None: no interest
    line_texts: Callable[[ReminderLine], StepTexts] | None = None  # per line (its template's step); wins

    def texts_for(self, step: int) -> StepTexts:
        return self.texts.get(step, StepTexts())

    def texts_of(self, line: ReminderLine) -> StepTexts:
        """The texts of the line's step of its own template (``line_texts``), else of its step number."""
        return self.line_texts(line) if self.line_texts else self.texts_for(line.step)


def _claim(line: ReminderLine, customer: Customer, run: MailRun, contact: str = "") -> Claim:
    interest = run.interest(line) if run.interest else None
    return claim_from_line(line, customer, run.company, run.today, interest, contact)


def _customer(source: CustomerSource, line: ReminderLine, report: ChannelReport) -> Customer | None:
    try:
        return source.customer(line.customer_number)
    except NotInLedger as e:
        report.error(line.customer_number, line.customer_name, ErrorKind.NOT_IN_LEDGER, str(e), line.channel.value,
                     line.step)
        return None


def send_customer_mails(lines: Sequence[ReminderLine], source: CustomerSource, mailer: Mailer,
                        journal: DeliveryJournal, run: MailRun, report: ChannelReport,
                        lookup: SentLookup | None = None) -> int:
    """Mail every ``Channel.EMAIL`` line to its customer exactly once; the number of mails that went out now.

    Raises ``SettingsError`` (naming the cells) before anything is sent when a step's template cannot be used;
    ``LedgerUnavailable`` / ``MailUnavailable`` propagate (the job is retried; the journal keeps what was sent)."""
    wanted = [line for line in lines if line.channel is Channel.EMAIL]
    check_step_texts({line.step: run.texts_of(line) for line in wanted})
    sent_now = 0
    done = journal.latest([LogAction.CUSTOMER_MAIL_SENT])
    for line in wanted:
        channel, key = line.channel.value, mail_key(run.job_id, line.line_id)
        if key in done:  # an earlier attempt of this job sent it: no ledger reads, no mail
            report.notified(line.customer_number, line.customer_name, channel, line.step,
                            "sendt i et tidligere forsøg af kørslen")
            continue
        customer = _customer(source, line, report)
        if customer is None:
            continue
        choice = choose_recipients(customer, run.patterns)
        if isinstance(choice, MissingRecipient):
            report.error(customer.number, customer.name, ErrorKind.MISSING_CONTACT, choice.message, channel,
                         line.step)
            continue
        pdfs: dict[int, bytes] = {}
        try:
            for item in line.items:
                pdfs[item.invoice.number] = source.invoice_pdf(item.invoice.number)
        except NotInLedger as e:
            report.error(customer.number, customer.name, ErrorKind.PDF_MISSING,
                         f"Regnskabet ville ikke give PDF'en af faktura {item.invoice.number}: {e}", channel,
                         line.step)
            continue
        claim = _claim(line, customer, run, choice.greeting_name)
        email = compose_customer_mail(claim, choice, run.identity, run.texts_of(line), pdfs,
                                      message_id_for(run.job_id, line.line_id, run.identity.address))
        delivery = deliver(key, email, mailer, journal, lookup, run.limit_bytes)
        if delivery.status is DeliveryStatus.SENT:
            sent_now += 1
        if delivery.sent:
            detail = ", ".join(email.to) + (" (fundet i sendt post)" if delivery.status is DeliveryStatus.FOUND
                                             else "")
            report.notified(customer.number, customer.name, channel, line.step,
                            " ".join(s for s in (detail, choice.note, delivery.message) if s))
        elif delivery.status is DeliveryStatus.CHECK:
            report.check(customer.number, customer.name, channel, line.step, delivery.message)
        else:
            report.error(customer.number, customer.name, ErrorKind.MAIL_REFUSED, delivery.message, channel,
                         line.step)
    return sent_now


def collect_letters(lines: Sequence[ReminderLine], source: CustomerSource, run: MailRun,
                    report: ChannelReport) -> bytes | None:
    """One print-ready PDF with a letter for every ``Channel.LETTER`` line (None when there is none); each letter
    is in the report, a customer without a full postal address is an error there instead."""
    wanted = [line for line in lines if line.channel is Channel.LETTER]
    check_step_texts({line.step: run.texts_of(line) for line in wanted})
    letters: list[Letter] = []
    for line in wanted:
        customer = _customer(source, line, report)
        if customer is None:
            continue
        if not (customer.address.strip() and customer.postal_code.strip() and customer.city.strip()):
            report.error(customer.number, customer.name, ErrorKind.MISSING_ADDRESS,
                         "Kunden har ingen fuld postadresse i regnskabet.", line.channel.value, line.step)
            continue
        claim = _claim(line, customer, run)
        texts = run.texts_of(line)
        body = render_user_template(texts.body_template, claim.fields(), texts.body_cell,
                                    f"Trin {line.step}: {BODY_FIELD}")
        letters.append(claim.letter(body.strip()))
        report.notified(customer.number, customer.name, line.channel.value, line.step,
                        f"{customer.address}, {customer.postal_code} {customer.city}")
    report.letters = len(letters)
    return letters_pdf(letters, title=f"Rykkerbreve {run.today.isoformat()}") if letters else None
