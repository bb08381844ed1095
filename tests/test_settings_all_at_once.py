"""All settings problems at once: a form problem (a 250 kr. fee) and a ledger problem (an excluded customer number
the ledger does not know) are both named in one run, in the queue row, the status cell (short) and the mail."""

from __future__ import annotations

from playwright.sync_api import Browser

from bot.app import build_worker
from bot.settings_check import exclusions_probe
from jobqueue.queue import JobQueue
from sandbox.stack import DEMO_CLIENT, LocalStack
from sheets_schema import INSTRUKS, RYKKERFORSLAG, JobStatus, JobType
from tests.inbox import Inbox


def _run(stack: LocalStack, browser: Browser) -> int:
    JobQueue(stack.queue).enqueue(stack.client_id, JobType.RYKKERFLOW, "test")
    worker = build_worker(stack.settings, browser, sheets=stack.sheets)
    worker.work(burst=True)
    return int(worker.handler.page_loads)  # type: ignore[attr-defined]


def test_a_form_and_a_ledger_problem_are_both_named_in_one_run(stack: LocalStack, browser: Browser,
                                                                inbox: Inbox) -> None:
    fee, excluded = INSTRUKS.ref("level1_fee"), INSTRUKS.ref("exclude_customers")
    stack.client.set_cells({fee: "250", excluded: "99999"})
    before = stack.ledger_state()["reminders_total"]
    _run(stack, browser)

    (job,) = JobQueue(stack.queue).jobs()
    assert job.status is JobStatus.FAILED
    assert fee in job.message and "100 kr" in job.message
    assert excluded in job.message and "99999" in job.message
    status = stack.client.read_settings(INSTRUKS)["robot_status"]
    assert status.startswith(f"Fejl: 2 problemer i indstillingerne. Det første: {fee}")
    (mail,) = inbox.messages
    text = inbox.text_of(mail)
    assert fee in text and excluded in text and "99999" in text
    assert stack.ledger_state()["reminders_total"] == before and stack.client.read_table(RYKKERFORSLAG) == []


def test_an_unknown_login_is_named_with_the_form_problems_and_the_ledger_is_not_opened(
        stack: LocalStack, browser: Browser, inbox: Inbox) -> None:
    fee, login = INSTRUKS.ref("level2_fee"), INSTRUKS.ref("login_ref")
    stack.client.set_cells({fee: "-5", login: "ukendt", INSTRUKS.ref("exclude_customers"): "99999"})
    page_loads = _run(stack, browser)

    (job,) = JobQueue(stack.queue).jobs()
    assert job.status is JobStatus.FAILED and fee in job.message and login in job.message
    assert "99999" not in job.message and page_loads == 0  # no login: the ledger was never opened


def test_the_probe_reads_the_exclusions_whatever_else_is_broken() -> None:
    values = {**DEMO_CLIENT, "level1_fee": "250", "mode": "hurtig", "proposal_recipients": "",
              "exclude_customers": "1001, 1002", "exclude_groups": "Kunder udland", "agreement_number": "123456.0"}
    probe = exclusions_probe(values)
    assert probe is not None
    assert probe.policy.exclude_customers == {1001, 1002} and probe.policy.exclude_groups == {"Kunder udland"}
    assert probe.agreement_number == "123456" and probe.login_ref == "demo"
    assert exclusions_probe({**values, "exclude_customers": "abc"}) is None  # its own form problem is reported
