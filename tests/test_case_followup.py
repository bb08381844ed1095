"""After the hand-over (issue 16): the Sager tab, follow-up actions mailed to the partner once, end to end with a
real SMTP server."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from email.message import EmailMessage
from typing import Any

import pytest
from playwright.sync_api import Browser

from bot.app import build_worker
from bot.flows import send_sagsaendringer
from bot.flows.case_followup import message_id_in, withdrawal_warning
from bot.records import Invoice
from bot.texts.render_cases import CaseRef, FollowUp, render_case_action
from jobqueue.queue import JobQueue
from sandbox.stack import LocalStack
from sheets_schema import INKASSOFORSLAG, SAGER, CaseAction, CaseState, JobStatus, JobType
from tests.inbox import Inbox
from tests.test_opret_sager import PARTNER, case_mails, propose_and_approve
from tests.worker_process import kill, running_worker, wait_until, worker_env


def hand_over(stack: LocalStack, browser: Browser, how_many: int = 2) -> list[dict[str, object]]:
    rows = propose_and_approve(stack, browser, how_many)
    JobQueue(stack.queue).enqueue(stack.client_id, JobType.OPRET_SAGER, "test")
    build_worker(stack.settings, browser, sheets=stack.sheets).work(burst=True)
    return rows


def press_send_changes(stack: LocalStack, browser: Browser) -> None:
    JobQueue(stack.queue).enqueue(stack.client_id, JobType.SEND_SAGSAENDRINGER, "test")
    build_worker(stack.settings, browser, sheets=stack.sheets).work(burst=True)


def follow_ups(inbox: Inbox) -> list[EmailMessage]:
    return [m for m in case_mails(inbox) if "inkassosag I-" in str(m["Subject"])]


def test_handed_over_cases_are_listed_then_a_message_and_a_withdrawal_go_out_once(
    stack: LocalStack, browser: Browser, inbox: Inbox
) -> None:
    handed = hand_over(stack, browser)
    case_ids = [str(r["case_id"]) for r in handed]
    cases = stack.client.read_table(SAGER)
    assert [r.values["case_id"] for r in cases] == case_ids
    originals = case_mails(inbox)
    assert len(originals) == 2
    for r, mail in zip(cases, originals, strict=True):
        v = r.values
        assert v["state"] == CaseState.OPEN.value and v["actions_sent"] == 0
        assert v["mail_ref"] == str(mail["Message-ID"])  # the case mail the follow-ups refer to
        assert v["free_withdrawal"] == "10 dage tilbage"
        assert v["claim"] == next(h["claim"] for h in handed if h["case_id"] == v["case_id"])

    first, second = cases
    stack.client.update_rows(SAGER, {
        first.number: {"action": CaseAction.MESSAGE.value, "action_text": "Skyldner har ringet og lovet betaling."},
        second.number: {"action": CaseAction.WITHDRAW.value},
    })
    press_send_changes(stack, browser)

    mails = follow_ups(inbox)
    assert len(mails) == 2
    message, withdrawal = mails
    assert str(message["Subject"]).startswith(f"{CaseAction.MESSAGE.value}: inkassosag {case_ids[0]} ")
    assert "Skyldner har ringet og lovet betaling." in inbox.text_of(message)
    assert str(first.values["mail_ref"]) in inbox.text_of(message)
    for mail, case in ((message, first), (withdrawal, second)):  # threaded under the case mail
        assert mail["In-Reply-To"] == mail["References"] == case.values["mail_ref"]
    assert str(withdrawal["Subject"]).startswith(f"{CaseAction.WITHDRAW.value}: inkassosag {case_ids[1]} ")
    assert "inden for den gratis periode" in inbox.text_of(withdrawal)
    after = {r.values["case_id"]: r.values for r in stack.client.read_table(SAGER)}
    assert after[case_ids[0]]["state"] == CaseState.OPEN.value
    assert after[case_ids[1]]["state"] == CaseState.WITHDRAWN.value
    for v in after.values():
        assert v["action"] == "" and v["actions_sent"] == 1
        assert str(v["last_action"]).endswith(f"sendt {stack.today:%d-%m-%Y}")

    press_send_changes(stack, browser)  # pressed again: nothing pending, nothing sent
    assert len(follow_ups(inbox)) == 2
    job = [j for j in JobQueue(stack.queue).jobs() if j.type is JobType.SEND_SAGSAENDRINGER][-1]
    assert job.status is JobStatus.DONE and job.message == "ingen ændringer at sende til inkasso"


def test_an_action_that_cannot_be_sent_as_it_is_is_named_in_its_row_and_not_sent(
    stack: LocalStack, browser: Browser, inbox: Inbox
) -> None:
    hand_over(stack, browser, how_many=1)
    (case,) = stack.client.read_table(SAGER)
    stack.client.update_rows(SAGER, {case.number: {"action": CaseAction.POSTPONE.value}})  # no new date
    press_send_changes(stack, browser)
    assert follow_ups(inbox) == []
    (after,) = stack.client.read_table(SAGER)
    assert "Ny forfaldsdato" in str(after.values["message"]) and after.values["action"] == CaseAction.POSTPONE.value

    stack.client.update_rows(SAGER, {case.number: {"action_date": "2027-01-15"}})
    press_send_changes(stack, browser)
    (mail,) = follow_ups(inbox)
    assert "Ny forfaldsdato: 15-01-2027" in inbox.text_of(mail)
    (after,) = stack.client.read_table(SAGER)
    assert after.values["state"] == CaseState.POSTPONED.value and after.values["message"] == ""


def test_the_free_withdrawal_warning_counts_down_from_the_hand_over() -> None:
    at = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    assert withdrawal_warning(at, 10, date(2026, 11, 20)) == "10 dage tilbage"
    assert withdrawal_warning(at, 10, date(2026, 11, 29)) == "1 dage tilbage"
    assert withdrawal_warning(at, 10, date(2026, 11, 30)).startswith("Udløbet")
    assert withdrawal_warning(None, 10, date(2026, 11, 30)) == ""
    assert message_id_in("Kunde 5: 3 bilag til x@y.dk, mail <abc.1@demo.dk>") == "<abc.1@demo.dk>"
    assert message_id_in("Kunde 5: 3 bilag til x@y.dk") == ""


def test_a_payment_report_states_what_the_ledger_shows() -> None:
    case = CaseRef("I-1001-5-7", 1001, "Kunde A/S", (5, 7), date(2026, 11, 1), "<m1@demo.dk>")
    paid = (Invoice(5, 1001, date(2026, 8, 1), date(2026, 8, 15), Decimal("1000"), Decimal("0")),
            Invoice(7, 1001, date(2026, 8, 2), date(2026, 8, 16), Decimal("500"), Decimal("200")))
    email = render_case_action("Demo ApS", case, FollowUp(CaseAction.PAYMENT, payments=paid,
                                                          remaining_before=Decimal("1500")), PARTNER)
    assert email.subject.startswith("Betaling registreret: inkassosag I-1001-5-7 ")
    assert "Faktura 7: beløb 500,00 kr., betalt eller krediteret 300,00 kr., restbeløb 200,00 kr." in email.text
    assert "Restbeløb i alt: 200,00 kr. (var 1.500,00 kr. ved sidste meddelelse)" in email.text
    english = render_case_action("Demo ApS", case, FollowUp(CaseAction.PAUSE), PARTNER, language="en")
    assert english.subject.startswith("Pause: collection case I-1001-5-7 ") and "<m1@demo.dk>" in english.text
    assert english.in_reply_to == "<m1@demo.dk>"
    eur = tuple(dataclasses.replace(i, currency="EUR") for i in paid)
    in_eur = render_case_action("Demo ApS", case, FollowUp(CaseAction.PAYMENT, payments=eur,
                                                           remaining_before=Decimal("1500")), PARTNER)
    assert "Restbeløb i alt: 200,00 EUR (var 1.500,00 EUR ved sidste meddelelse)" in in_eur.text  # never kr.
    edited = CaseRef("I-1001-5-7", 1001, "Kunde A/S", (5, 7), None, "<m1@demo.dk>\r\nBcc: x@y.dk")
    assert render_case_action("Demo ApS", edited, FollowUp(CaseAction.PAUSE), PARTNER).in_reply_to == ""


def test_worker_killed_between_two_follow_up_mails_the_rerun_sends_only_the_other_and_marks_the_first(
    stack: LocalStack, browser: Browser, inbox: Inbox
) -> None:
    hand_over(stack, browser)
    first, second = stack.client.read_table(SAGER)
    stack.client.update_rows(SAGER, {
        first.number: {"action": CaseAction.PAUSE.value},
        second.number: {"action": CaseAction.MESSAGE.value, "action_text": "Ny adresse: Havnegade 1, 8000 Aarhus"},
    })

    async def slow(server: Any, session: Any, envelope: Any) -> str:  # the mail lands, the answer takes long
        answer = await Inbox.handle_DATA(inbox, server, session, envelope)
        await asyncio.sleep(4)
        return answer

    setattr(inbox, "handle_DATA", slow)  # noqa: B010 - one test's server, read per connection by aiosmtpd
    JobQueue(stack.queue).enqueue(stack.client_id, JobType.SEND_SAGSAENDRINGER, "test")
    with running_worker(worker_env(stack, inbox)) as proc:
        wait_until(proc, lambda: bool(follow_ups(inbox)), seconds=120, what="the first follow-up mail")
        kill(proc)  # the first mail is in, its answer not yet back
    del inbox.handle_DATA
    assert len(follow_ups(inbox)) == 1

    build_worker(stack.settings, browser, sheets=stack.sheets).work(burst=True)  # the job again, after its lease
    mails = follow_ups(inbox)
    assert [str(first.values["case_id"]) in str(m["Subject"]) for m in mails] == [True, False]
    assert len(mails) == 2 and str(second.values["case_id"]) in str(mails[1]["Subject"])
    after = {r.number: r.values for r in stack.client.read_table(SAGER)}
    assert after[first.number]["state"] == CaseState.CHECK.value and PARTNER in str(after[first.number]["message"])
    assert after[first.number]["action"] == CaseAction.PAUSE.value  # kept for the person to decide
    assert after[second.number]["actions_sent"] == 1 and after[second.number]["action"] == ""
    job = next(j for j in JobQueue(stack.queue).jobs() if j.type is JobType.SEND_SAGSAENDRINGER)
    assert job.status is JobStatus.DONE and job.attempt == 2

    press_send_changes(stack, browser)  # left alone until a person decides
    assert len(follow_ups(inbox)) == 2

    # The partner never got it: the bookkeeper sets the state back and presses again.
    stack.client.update_rows(SAGER, {first.number: {"state": CaseState.OPEN.value}})
    press_send_changes(stack, browser)
    assert len(follow_ups(inbox)) == 3 and str(first.values["case_id"]) in str(follow_ups(inbox)[2]["Subject"])
    final = {r.number: r.values for r in stack.client.read_table(SAGER)}[first.number]
    assert final["state"] == CaseState.PAUSED.value and final["actions_sent"] == 1


def test_the_free_withdrawal_countdown_moves_with_each_rykkerflow(stack: LocalStack, browser: Browser) -> None:
    hand_over(stack, browser, how_many=1)
    for days_later, expected in ((4, "6 dage tilbage"), (12, "Udløbet")):
        later = dataclasses.replace(stack.settings, today=stack.today + timedelta(days=days_later))
        JobQueue(stack.queue).enqueue(stack.client_id, JobType.RYKKERFLOW, "test")
        build_worker(later, browser, sheets=stack.sheets).work(burst=True)
        (case,) = stack.client.read_table(SAGER)
        assert str(case.values["free_withdrawal"]).startswith(expected)


class Crash(BaseException):
    """The worker process dies (not an exception any handler catches)."""


def test_a_run_that_died_after_the_mail_was_journalled_sent_never_sends_it_again(
    stack: LocalStack, browser: Browser, inbox: Inbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    hand_over(stack, browser, how_many=1)
    (case,) = stack.client.read_table(SAGER)
    stack.client.update_rows(SAGER, {case.number: {"action": CaseAction.RESUME.value}})
    real = send_sagsaendringer._sent_values

    def dies(*args: Any, **kwargs: Any) -> Any:  # the mail went, "sent" is journalled, the row not yet written
        raise Crash()

    monkeypatch.setattr(send_sagsaendringer, "_sent_values", dies)
    settings = dataclasses.replace(stack.settings, lease_seconds=2.0)
    JobQueue(stack.queue).enqueue(stack.client_id, JobType.SEND_SAGSAENDRINGER, "test")
    with pytest.raises(Crash):
        build_worker(settings, browser, sheets=stack.sheets).work(burst=True)
    monkeypatch.setattr(send_sagsaendringer, "_sent_values", real)
    assert len(follow_ups(inbox)) == 1

    build_worker(dataclasses.replace(settings, worker_id="rescuer"), browser, sheets=stack.sheets).work(burst=True)
    assert len(follow_ups(inbox)) == 1  # the journal says sent: only the row is brought up to date
    (after,) = stack.client.read_table(SAGER)
    assert after.values["action"] == "" and after.values["actions_sent"] == 1
    assert after.values["state"] == CaseState.OPEN.value and "Genoptag: sendt" in str(after.values["last_action"])


def test_a_date_typed_wrong_in_sager_is_named_and_does_not_stop_the_reminders(
    stack: LocalStack, browser: Browser, inbox: Inbox
) -> None:
    hand_over(stack, browser, how_many=1)
    (case,) = stack.client.read_table(SAGER)
    stack.client.update_rows(SAGER, {case.number: {"action": CaseAction.POSTPONE.value,
                                                   "action_date": "næste fredag"}})
    cell = f"{SAGER.name}!{SAGER.letter('action_date')}{case.number}"
    queue = JobQueue(stack.queue)
    queue.enqueue(stack.client_id, JobType.SEND_SAGSAENDRINGER, "test")
    build_worker(stack.settings, browser, sheets=stack.sheets).work(burst=True)
    job = queue.jobs()[-1]
    assert job.status is JobStatus.FAILED and cell in job.message
    assert follow_ups(inbox) == []

    queue.enqueue(stack.client_id, JobType.RYKKERFLOW, "test")
    build_worker(stack.settings, browser, sheets=stack.sheets).work(burst=True)
    job = next(j for j in queue.jobs() if j.type is JobType.RYKKERFLOW)
    assert job.status is JobStatus.DONE and f"betalinger på inkassosager ikke tjekket: {cell}" in job.message


def test_a_typo_in_sager_does_not_fail_a_hand_over_its_case_is_listed_once_the_cell_is_fixed(
    stack: LocalStack, browser: Browser, inbox: Inbox
) -> None:
    first, second = propose_and_approve(stack, browser, how_many=2)
    stack.client.update_rows(INKASSOFORSLAG, {int(str(second["_row"])): {"approve": False}})
    queue = JobQueue(stack.queue)
    queue.enqueue(stack.client_id, JobType.OPRET_SAGER, "test")
    build_worker(stack.settings, browser, sheets=stack.sheets).work(burst=True)
    (case,) = stack.client.read_table(SAGER)
    stack.client.update_rows(SAGER, {case.number: {"action_date": "næste fredag"}})

    stack.client.update_rows(INKASSOFORSLAG, {int(str(second["_row"])): {"approve": True}})
    queue.enqueue(stack.client_id, JobType.OPRET_SAGER, "test")
    build_worker(stack.settings, browser, sheets=stack.sheets).work(burst=True)
    assert queue.jobs()[-1].status is JobStatus.DONE and len(case_mails(inbox)) == 2  # handed over, reported

    stack.client.update_rows(SAGER, {case.number: {"action_date": ""}})
    queue.enqueue(stack.client_id, JobType.OPRET_SAGER, "test")  # nothing to hand over: the tab catches up
    build_worker(stack.settings, browser, sheets=stack.sheets).work(burst=True)
    assert [r.values["case_id"] for r in stack.client.read_table(SAGER)] == [first["case_id"], second["case_id"]]
    assert len(case_mails(inbox)) == 2
