"""opret_sager end to end: approved cases mailed to the collection partner with real PDFs, exactly once."""

from __future__ import annotations

import dataclasses
import io
from email.message import EmailMessage
from typing import Any

import pytest
import requests
from playwright.sync_api import Browser
from pypdf import PdfReader

from bot import formats
from bot.app import build_mailer, build_worker
from bot.flows import opret_sager
from bot.flows.casefile import gather_case
from bot.mail.message import Email
from bot.mail.port import Mailer
from jobqueue.queue import JobQueue
from sandbox.stack import LocalStack
from sheets_schema import INKASSOFORSLAG, INSTRUKS, LOG, CaseMailMode, CaseStatus, JobStatus, JobType, LogAction
from tests.inbox import Inbox
from tests.ledger_view import ledger_session

PARTNER = "sager@demo-inkasso.dk"


def propose_and_approve(stack: LocalStack, browser: Browser, how_many: int = 2) -> list[dict[str, object]]:
    JobQueue(stack.queue).enqueue(stack.client_id, JobType.INKASSOFORSLAG, "test")
    build_worker(stack.settings, browser, sheets=stack.sheets).work(burst=True)
    rows = stack.client.read_table(INKASSOFORSLAG)[:how_many]
    assert len(rows) == how_many
    stack.client.update_rows(INKASSOFORSLAG, {r.number: {"approve": True, "comment": f"Kommentar {i}"}
                                              for i, r in enumerate(rows, 1)})
    return [dict(r.values, _row=r.number) for r in rows]


def case_mails(inbox: Inbox) -> list[EmailMessage]:
    return [m for m, (_, to) in zip(inbox.messages, inbox.envelopes, strict=True) if PARTNER in to]


def check_case(stack: LocalStack, browser: Browser, inbox: Inbox, mail: EmailMessage, row: dict[str, object]) -> None:
    text = inbox.text_of(mail)
    files = inbox.attachments(mail)
    invoices = [int(n) for n in str(row["invoices"]).split(", ")]
    with ledger_session(stack, browser) as ledger:
        debtor = ledger.customer(int(str(row["customer_number"])))
        reminders = [r for r in ledger.reminders(debtor.number) if set(r.invoice_numbers) & set(invoices)]
    for n in invoices:
        pdf = files[f"Faktura {n}.pdf"]
        assert pdf.startswith(b"%PDF") and str(n) in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert {r.level for r in reminders} == {1, 2, 3}
    for r in reminders:
        assert any(name.startswith(f"Rykker {r.level} - ") for name in files)
    assert row["comment"] in text
    assert debtor.name in text and debtor.address in text and debtor.city in text
    assert (debtor.cvr or "privatperson") in text
    assert all(c.name in text for c in debtor.contacts)
    assert formats.money(row["remaining"]) in text  # type: ignore[arg-type]
    assert formats.money(row["claim"]) in text  # type: ignore[arg-type]


def test_two_approved_cases_one_mail_each(stack: LocalStack, browser: Browser, inbox: Inbox) -> None:
    rows = propose_and_approve(stack, browser)
    JobQueue(stack.queue).enqueue(stack.client_id, JobType.OPRET_SAGER, "test")
    build_worker(stack.settings, browser, sheets=stack.sheets).work(burst=True)

    mails = case_mails(inbox)
    assert len(mails) == 2
    for mail, row in zip(mails, rows, strict=True):
        assert str(row["customer_name"]) in str(mail["Subject"])
        check_case(stack, browser, inbox, mail, row)
    after = {r.number: r.values for r in stack.client.read_table(INKASSOFORSLAG)}
    assert all(after[int(str(r["_row"]))]["status"] == CaseStatus.CREATED.value for r in rows)
    report = [m for m in inbox.messages if str(m["Subject"]).startswith("Inkassosager for") and m not in mails]
    assert len(report) == 1

    JobQueue(stack.queue).enqueue(stack.client_id, JobType.INKASSOFORSLAG, "test")
    build_worker(stack.settings, browser, sheets=stack.sheets).work(burst=True)
    again = stack.client.read_table(INKASSOFORSLAG)
    handed = {str(r["case_id"]) for r in rows}
    assert [r.values["status"] for r in again if r.values["case_id"] in handed] == [CaseStatus.CREATED.value] * 2
    proposed_customers = {r.values["customer_number"] for r in again if r.values["status"] == "Foreslået"}
    assert not proposed_customers & {r["customer_number"] for r in rows}


def test_two_approved_cases_in_one_mail(stack: LocalStack, browser: Browser, inbox: Inbox) -> None:
    stack.client.set_cells({INSTRUKS.ref("case_mail_mode"): CaseMailMode.ALL_IN_ONE.value})
    rows = propose_and_approve(stack, browser)
    JobQueue(stack.queue).enqueue(stack.client_id, JobType.OPRET_SAGER, "test")
    build_worker(stack.settings, browser, sheets=stack.sheets).work(burst=True)

    (mail,) = case_mails(inbox)
    for row in rows:
        check_case(stack, browser, inbox, mail, row)


class Crash(BaseException):
    """The worker process dies (not an exception any handler catches)."""


def test_rerun_after_a_crash_between_two_cases_sends_the_remaining_case_only(
    stack: LocalStack, browser: Browser, inbox: Inbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = propose_and_approve(stack, browser)
    settings = dataclasses.replace(stack.settings, lease_seconds=2.0)
    JobQueue(stack.queue).enqueue(stack.client_id, JobType.OPRET_SAGER, "test")
    gathered: list[int] = []

    def dies_on_the_second_case(*args: Any, **kwargs: Any) -> Any:  # the process dies after case 1 went out
        gathered.append(1)
        if len(gathered) == 2:
            raise Crash()
        return gather_case(*args, **kwargs)

    monkeypatch.setattr(opret_sager, "gather_case", dies_on_the_second_case)
    with pytest.raises(Crash):
        build_worker(settings, browser, sheets=stack.sheets).work(burst=True)
    monkeypatch.undo()
    assert len(case_mails(inbox)) == 1

    build_worker(dataclasses.replace(settings, worker_id="rescuer"), browser, sheets=stack.sheets).work(burst=True)
    mails = case_mails(inbox)
    assert len(mails) == 2
    assert [str(r["customer_name"]) in str(m["Subject"]) for m, r in zip(mails, rows, strict=True)] == [True, True]
    job = next(j for j in JobQueue(stack.queue).jobs() if j.type is JobType.OPRET_SAGER)
    assert job.status is JobStatus.DONE and job.attempt == 2
    assert job.message == "2 inkassosager overdraget"  # the job's report: the killed attempt's case counts too
    (report,) = [m for m in inbox.messages if str(m["Subject"]).startswith("Inkassosager for")]
    assert str(report["Subject"]).endswith(": 2 oprettet")
    assert all(f"sag {r['case_id']}" in inbox.text_of(report) for r in rows)
    log = [r.values for r in stack.client.read_table(INKASSOFORSLAG)]
    assert [v["status"] for v in log[:2]] == [CaseStatus.CREATED.value] * 2
    handed = [r for r in stack.client.read_table(LOG)
              if r.values["action"] == LogAction.CASE_HANDED_OVER.value]
    assert sorted(str(r.values["key"]) for r in handed) == sorted(str(r["case_id"]) for r in rows)


class DyingAfterSendMailer:
    """The mail server accepted the case mail, then the worker died before it could journal that."""

    def __init__(self, inner: Mailer) -> None:
        self.inner = inner

    def send(self, email: Email) -> str:
        result = self.inner.send(email)
        if PARTNER in email.to:
            raise Crash()
        return result


def test_a_run_that_died_while_mailing_never_sends_again_by_itself(
    stack: LocalStack, browser: Browser, inbox: Inbox
) -> None:
    (row,) = propose_and_approve(stack, browser, how_many=1)
    settings = dataclasses.replace(stack.settings, lease_seconds=2.0)
    JobQueue(stack.queue).enqueue(stack.client_id, JobType.OPRET_SAGER, "test")
    with pytest.raises(Crash):
        build_worker(settings, browser, sheets=stack.sheets,
                     mailer=DyingAfterSendMailer(build_mailer(settings))).work(burst=True)
    assert len(case_mails(inbox)) == 1

    rescuer = build_worker(dataclasses.replace(settings, worker_id="rescuer"), browser, sheets=stack.sheets)
    rescuer.work(burst=True)
    assert len(case_mails(inbox)) == 1  # not guessed at: maybe sent, so not sent again
    number = int(str(row["_row"]))
    after = {r.number: r.values for r in stack.client.read_table(INKASSOFORSLAG)}[number]
    assert after["status"] == CaseStatus.CHECK.value and PARTNER in str(after["message"])

    JobQueue(stack.queue).enqueue(stack.client_id, JobType.OPRET_SAGER, "test")  # nothing to do: left alone
    rescuer.work(burst=True)
    assert len(case_mails(inbox)) == 1

    # The bookkeeper asks the partner, learns it never arrived, and sets the row back to Foreslået.
    stack.client.update_rows(INKASSOFORSLAG, {number: {"status": CaseStatus.PROPOSED.value}})
    JobQueue(stack.queue).enqueue(stack.client_id, JobType.OPRET_SAGER, "test")
    rescuer.work(burst=True)
    assert len(case_mails(inbox)) == 2
    final = {r.number: r.values for r in stack.client.read_table(INKASSOFORSLAG)}[number]
    assert final["status"] == CaseStatus.CREATED.value
    assert JobQueue(stack.queue).jobs()[-1].message == "1 inkassosag overdraget"  # singular (issue 14)


class DyingAfterPartMailer:
    """The mail server accepted part ``die_after`` of the case mail, then the worker died."""

    def __init__(self, inner: Mailer, die_after: int) -> None:
        self.inner = inner
        self.die_after = die_after
        self.parts = 0

    def send(self, email: Email) -> str:
        result = self.inner.send(email)
        if PARTNER in email.to:
            self.parts += 1
            if self.parts == self.die_after:
                raise Crash()
        return result


def test_one_mail_for_all_cases_a_crash_leaves_only_the_cases_of_the_part_going_out_in_doubt(
    stack: LocalStack, browser: Browser, inbox: Inbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack.client.set_cells({INSTRUKS.ref("case_mail_mode"): CaseMailMode.ALL_IN_ONE.value})
    rows = propose_and_approve(stack, browser, how_many=3)
    monkeypatch.setattr(opret_sager, "MAIL_LIMIT_BYTES", 1)  # too large for one mail: a part per attachment
    settings = dataclasses.replace(stack.settings, lease_seconds=2.0)
    JobQueue(stack.queue).enqueue(stack.client_id, JobType.OPRET_SAGER, "test")
    with pytest.raises(Crash):  # dies after part 2, which holds the first case's second file
        build_worker(settings, browser, sheets=stack.sheets,
                     mailer=DyingAfterPartMailer(build_mailer(settings), die_after=2)).work(burst=True)
    assert len(case_mails(inbox)) == 2

    build_worker(dataclasses.replace(settings, worker_id="rescuer"), browser, sheets=stack.sheets).work(burst=True)
    status = {str(r.values["case_id"]): r.values["status"] for r in stack.client.read_table(INKASSOFORSLAG)}
    first, *others = (str(r["case_id"]) for r in rows)
    assert status[first] == CaseStatus.CHECK.value  # only the case of the part in flight is left for a person
    assert [status[c] for c in others] == [CaseStatus.CREATED.value] * 2
    log = [(r.values["action"], r.values["key"]) for r in stack.client.read_table(LOG)]
    assert sorted(k for a, k in log if a == LogAction.CASE_HANDED_OVER.value) == sorted(others)
    assert [k for a, k in log if a == LogAction.CASE_MAILING.value].count(first) == 1
    rescued = case_mails(inbox)[2:]
    names = {name for m in rescued for name in inbox.attachments(m)}
    assert rescued and len(names) == sum(1 for m in rescued for _ in inbox.attachments(m))  # each file once
    assert all(str(rows[0]["customer_name"]) not in inbox.text_of(m) for m in rescued)


def test_a_case_mailed_on_its_own_costs_two_sheets_requests(stack: LocalStack, browser: Browser,
                                                             inbox: Inbox) -> None:
    """Issue 12: in per-case mode a case costs its intent and its hand-over line (two appends, never held back);
    its row is written with the others. Two runs, of 2 and of 5 cases: the three more cost six more requests."""
    rows = propose_and_approve(stack, browser, how_many=7)
    stack.client.update_rows(INKASSOFORSLAG, {int(str(r["_row"])): {"approve": False} for r in rows[2:]})
    url = stack.sheets_server.url

    def run_counting() -> int:
        requests.delete(f"{url}/emulator/stats", timeout=10)
        JobQueue(stack.queue).enqueue(stack.client_id, JobType.OPRET_SAGER, "test")
        build_worker(stack.settings, browser, sheets=stack.sheets).work(burst=True)
        st = requests.get(f"{url}/emulator/stats", timeout=10).json()
        return int(st["spreadsheets"][stack.client_id])

    two = run_counting()
    stack.client.update_rows(INKASSOFORSLAG, {int(str(r["_row"])): {"approve": True} for r in rows[2:]})
    five = run_counting()
    assert len(case_mails(inbox)) == 7
    assert five - two == 2 * 3, (two, five)
