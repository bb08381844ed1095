"""The run report mail: sent after every run (also when nothing was sent), with the skipped and every error."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from bot.channels.dispatch import send_customer_mails
from bot.dunning.engine import Skip, SkipKind
from bot.dunning.templates import Channel
from bot.texts.report import ChannelReport, ErrorKind, Outcome, render_channel_report
from sandbox.serving import free_port
from tests.inbox import Inbox
from tests.test_channels_customer_mail import OWN_EMAIL, ROLES, TODAY, Ledger, MemoryJournal, line, mail_run, smtp


def test_a_run_where_nothing_was_sent_still_gets_its_report(inbox: Inbox) -> None:
    report = ChannelReport("Klient A/S", TODAY)
    smtp(inbox).send(render_channel_report(report, "bogholder@bureau.dk"))
    msg, = inbox.messages
    assert str(msg["Subject"]) == "Rykkerkørsel 25-11-2026 for Klient A/S: intet at gøre"
    assert "Ingen kunder skulle rykkes i dag, og intet er sendt." in inbox.text_of(msg)
    assert list(msg.iter_attachments()) == []


def test_skipped_customers_are_listed_with_the_reason_and_names_are_escaped(inbox: Inbox) -> None:
    report = ChannelReport("Klient <A/S>", TODAY)
    report.add_skips([
        Skip(2001, "Pause & Co", "", SkipKind.PAUSED, "Kunden er sat på pause til 01-12-2026."),
        Skip(2002, "Euro GmbH", "EUR", SkipKind.BELOW_MINIMUM, "Beløbet 10,00 EUR er under minimumsbeløbet."),
    ])
    report.notified(1002, "Solo ApS", Channel.LEDGER.value, 1, "via regnskabet")
    email = render_channel_report(report, "bogholder@bureau.dk", sheet_url="https://sheets.example/d/1")
    smtp(inbox).send(email)
    text = inbox.text_of(inbox.messages[0])
    assert "Pause & Co (kundenr. 2001): Pause. Kunden er sat på pause til 01-12-2026." in text
    assert "Euro GmbH (EUR) (kundenr. 2002): Under minimumsbeløb." in text
    assert "Regnskabets rykker, trin 1: 1" in text
    assert "1 underrettet, 2 sprunget over" in str(inbox.messages[0]["Subject"])
    assert "Pause &amp; Co" in email.html and "Klient &lt;A/S&gt;" in email.html


class RefusingInbox(Inbox):
    """A mail server that refuses some recipients for good (550), as for a mailbox that does not exist."""

    refuse: frozenset[str] = frozenset()

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,  # noqa: N802 - aiosmtpd
                          rcpt_options: list[str]) -> str:
        if address in self.refuse:
            return "550 5.1.1 Mailbox does not exist"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def refusing() -> Iterator[RefusingInbox]:
    box = RefusingInbox(port=free_port())
    box.refuse = frozenset({"regnskab@solo.dk"})
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    yield box
    controller.stop()


def test_an_address_the_server_refuses_is_an_error_with_what_to_do(refusing: RefusingInbox) -> None:
    report = ChannelReport("Klient A/S", TODAY)
    journal = MemoryJournal()
    sent = send_customer_mails([line(OWN_EMAIL, [20201]), line(ROLES, [10101])],
                               Ledger({1001: ROLES, 1002: OWN_EMAIL}), smtp(refusing), journal, mail_run(), report)
    assert sent == 1  # the other customer still got theirs
    assert [rcpt for _, rcpt in refusing.envelopes] == [["finans@klient.dk"],
                                                         ["ana@aeroe.dk", "bo@aeroe.dk", "finans@klient.dk"]]
    error, = report.of(Outcome.ERROR)  # a copy to finance alone did not notify the customer
    assert (error.customer_number, error.kind) == (1002, ErrorKind.MAIL_REFUSED.value)
    assert "regnskab@solo.dk" in error.detail and "kun kopien (finans@klient.dk) er sendt" in error.detail
    assert error.todo.startswith("Ret adressen")
    assert [a for a, _, _ in journal.lines][:2] == ["Sender kundemail", "Kundemail fejlede"]
    # A later attempt of the job may try again: a refusal is journalled as surely not sent.
    refusing.refuse = frozenset()
    retry = ChannelReport("Klient A/S", TODAY)
    send_customer_mails([line(OWN_EMAIL, [20201])], Ledger({1002: OWN_EMAIL}), smtp(refusing), journal, mail_run(),
                        retry)
    assert refusing.envelopes[-1][1] == ["regnskab@solo.dk", "finans@klient.dk"]
    assert [e.customer_number for e in retry.of(Outcome.NOTIFIED)] == [1002]
