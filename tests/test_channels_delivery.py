"""Exactly once for customer mails: the journal in the client's Log tab (Sheets emulator) and a real SMTP server.

A worker killed between journalling a mail's intent and its "sent" is simulated by a mailer that dies (a
BaseException, like the process ending) right after, or right before, the server takes the mail. The rerun is the
same job (its id kept) with a fresh Journal read back from the sheet.
"""

from __future__ import annotations

import io
from collections import Counter
from datetime import UTC, datetime

import gspread
import pytest
from pypdf import PdfReader

from bot.channels.delivery import DeliveryStatus, deliver, mail_parts
from bot.channels.dispatch import send_customer_mails
from bot.doctor.bootstrap import bootstrap_client
from bot.flows.journal import Journal
from bot.mail.message import Email
from bot.mail.port import Mailer
from bot.records import Attachment
from bot.sheets.store import SheetsRetry, SheetStore
from bot.texts.report import ChannelReport, Outcome
from sheets_schema import LOG, JobType, LogAction
from tests.inbox import Inbox
from tests.mail_samples import make_pdf
from tests.test_channels_customer_mail import (
    NO_PDF,
    OWN_EMAIL,
    ROLES,
    TODAY,
    Ledger,
    line,
    mail_run,
    smtp,
)

FAST = SheetsRetry(attempts=4, base=0.001, cap=0.01)
CUSTOMERS = (ROLES, OWN_EMAIL, NO_PDF)
LINES = [line(ROLES, [10101]), line(OWN_EMAIL, [20201]), line(NO_PDF, [40401])]


class Killed(BaseException):
    """The worker process ends here (not an Exception: nothing catches it)."""


class DyingMailer:
    """Sends through ``inner``; on the ``die_at``-th mail the process ends after (or before) the server took it."""

    def __init__(self, inner: Mailer, die_at: int, after_send: bool = True) -> None:
        self.inner, self.die_at, self.after_send, self.calls = inner, die_at, after_send, 0

    def send(self, email: Email) -> str:
        self.calls += 1
        if self.calls == self.die_at and not self.after_send:
            raise Killed
        message_id = self.inner.send(email)
        if self.calls == self.die_at:
            raise Killed
        return message_id


class InboxLookup:
    """The provider's sent mail, asked by Message-ID: here what the SMTP server received."""

    def __init__(self, inbox: Inbox) -> None:
        self.inbox = inbox
        self.asked: list[str] = []

    def was_sent(self, message_id: str) -> bool:
        self.asked.append(message_id)
        return any(str(m["Message-ID"]) == message_id for m in self.inbox.messages)


def clock() -> datetime:
    return datetime(2026, 11, 25, 7, 0, tzinfo=UTC)


@pytest.fixture
def store(gc: gspread.Client) -> SheetStore:
    return SheetStore.open(gc, bootstrap_client(gc, None, "Kanaler test"), retry=FAST)


def journal(store: SheetStore, job_id: str = "job-7") -> Journal:
    return Journal(store, job_id, JobType.SEND_RYKKERE, clock)


def received(inbox: Inbox) -> Counter[str]:
    return Counter(str(m["Message-ID"]) for m in inbox.messages)


def run_batch(store: SheetStore, inbox: Inbox, mailer: Mailer, lookup: InboxLookup | None = None,
              ledger: Ledger | None = None) -> ChannelReport:
    report = ChannelReport("Klient A/S", TODAY)
    send_customer_mails(LINES, ledger or Ledger({c.number: c for c in CUSTOMERS}), mailer, journal(store),
                        mail_run(), report, lookup)
    return report


def test_killed_after_the_hand_over_then_the_rerun_finds_it_in_the_sent_mail(store: SheetStore, inbox: Inbox) -> None:
    with pytest.raises(Killed):
        run_batch(store, inbox, DyingMailer(smtp(inbox), die_at=2))
    assert len(inbox.messages) == 2  # the second mail went out; its "sent" was never journalled
    lookup = InboxLookup(inbox)
    ledger = Ledger({c.number: c for c in CUSTOMERS})
    report = run_batch(store, inbox, smtp(inbox), lookup, ledger)

    assert len(inbox.messages) == 3 and set(received(inbox).values()) == {1}  # nobody got a mail twice
    assert len(lookup.asked) == 1  # only the mail in doubt was looked up
    assert 10101 not in ledger.pdf_reads  # the first customer's mail was sent: not even its PDFs are read again
    notified = {e.customer_number: e.detail for e in report.of(Outcome.NOTIFIED)}
    assert sorted(notified) == [1001, 1002, 1004]
    assert "fundet i sendt post" in notified[1002]
    actions = [(r.values["action"], r.values["key"]) for r in store.read_table(LOG)]
    keys = [k for a, k in actions if a == LogAction.CUSTOMER_MAIL_SENT.value]
    assert len(keys) == 3 and len(set(keys)) == 3


def test_killed_before_the_hand_over_then_the_rerun_sends_it_once_with_the_same_id(
    store: SheetStore, inbox: Inbox
) -> None:
    with pytest.raises(Killed):
        run_batch(store, inbox, DyingMailer(smtp(inbox), die_at=2, after_send=False))
    assert len(inbox.messages) == 1
    intents = [r.values["details"] for r in store.read_table(LOG)
               if r.values["action"] == LogAction.CUSTOMER_MAIL_SENDING.value]
    report = run_batch(store, inbox, smtp(inbox), InboxLookup(inbox))
    assert len(inbox.messages) == 3 and set(received(inbox).values()) == {1}
    assert str(inbox.messages[1]["Message-ID"]) in str(intents[1])  # the id journalled before the crash
    assert len(report.of(Outcome.NOTIFIED)) == 3


def test_without_a_lookup_the_mail_in_doubt_is_left_for_a_person(store: SheetStore, inbox: Inbox) -> None:
    with pytest.raises(Killed):
        run_batch(store, inbox, DyingMailer(smtp(inbox), die_at=2))
    report = run_batch(store, inbox, smtp(inbox))  # SMTP: nobody to ask
    again = run_batch(store, inbox, smtp(inbox))  # and a third attempt still does not guess

    assert len(inbox.messages) == 3 and set(received(inbox).values()) == {1}
    for r in (report, again):
        check, = r.of(Outcome.CHECK)
        assert check.customer_number == 1002 and "kan være sendt" in check.detail and check.todo
        assert "regnskab@solo.dk" in check.detail
    actions = [r.values["action"] for r in store.read_table(LOG)]
    assert actions.count(LogAction.CUSTOMER_MAIL_CHECK.value) == 1


def test_another_job_is_another_mail(store: SheetStore, inbox: Inbox) -> None:
    run_batch(store, inbox, smtp(inbox))
    report = ChannelReport("Klient A/S", TODAY)
    send_customer_mails(LINES[:1], Ledger({1001: ROLES}), smtp(inbox), journal(store, "job-8"),
                        mail_run(job_id="job-8"), report)
    assert len(inbox.messages) == 4 and set(received(inbox).values()) == {1}


def big_mail(sizes: list[int]) -> Email:
    pdfs = tuple(Attachment(f"Faktura {i}.pdf", make_pdf(f"F{i}") + b"%" + b"x" * n) for i, n in enumerate(sizes))
    return Email(to=("regnskab@solo.dk",), subject="Rykker 1", text="Se vedhæftede.", attachments=pdfs,
                 from_address="bogholderi@klient.dk", message_id="<rykker.job-7.R-1002@klient.dk>")


def test_a_mail_over_the_limit_goes_in_parts_each_with_its_own_id(store: SheetStore, inbox: Inbox) -> None:
    limit = 60_000
    result = deliver("R-1002@job-7", big_mail([30_000, 30_000, 30_000]), smtp(inbox), journal(store),
                     limit_bytes=limit)
    assert result.status is DeliveryStatus.SENT and len(result.message_ids) == len(inbox.messages) > 1
    assert [str(m["Message-ID"]) for m in inbox.messages] == list(result.message_ids)
    assert all(".del" in i for i in result.message_ids)
    names = [n for m in inbox.messages for n in inbox.attachments(m)]
    assert sorted(names) == ["Faktura 0.pdf", "Faktura 1.pdf", "Faktura 2.pdf"]
    for m in inbox.messages:
        assert len(m.as_bytes()) <= limit
        for content in inbox.attachments(m).values():
            assert len(PdfReader(io.BytesIO(content)).pages) == 1


def test_an_attachment_over_the_limit_on_its_own_is_refused_and_nothing_sent(store: SheetStore, inbox: Inbox) -> None:
    mail = big_mail([10_000, 80_000])
    problem = mail_parts(mail, 60_000)
    assert isinstance(problem, str) and "'Faktura 1.pdf'" in problem and "Intet er sendt" in problem
    result = deliver("R-1002@job-7", mail, smtp(inbox), journal(store), limit_bytes=60_000)
    assert result.status is DeliveryStatus.REFUSED and not result.sent
    assert inbox.messages == []
    assert [r.values["action"] for r in store.read_table(LOG)] == [LogAction.CUSTOMER_MAIL_FAILED.value]
