"""The settings-error mail: a malformed address among the recipients does not keep it from the good ones."""

from __future__ import annotations

from playwright.sync_api import Browser

from bot.addresses import usable_recipients
from bot.app import build_worker
from jobqueue.queue import JobQueue
from sandbox.stack import LocalStack
from sheets_schema import INSTRUKS, JobStatus, JobType
from tests.inbox import Inbox


def test_usable_recipients_skip_the_malformed_and_keep_the_rest() -> None:
    assert usable_recipients("foo@, bogholder@firma.dk; ,x@y,  Revisor@Firma.dk bogholder@firma.dk") == (
        "bogholder@firma.dk", "Revisor@firma.dk")
    assert usable_recipients("foo@; @bar.dk") == ()


def test_bad_address_among_good_ones_the_error_mail_reaches_the_good_ones(
    stack: LocalStack, browser: Browser, inbox: Inbox
) -> None:
    stack.client.set_cells({INSTRUKS.ref("proposal_recipients"): "foo@, bogholder@firma.dk"})
    queue = JobQueue(stack.queue)
    queue.enqueue(stack.client_id, JobType.RYKKERFLOW, "test")
    build_worker(stack.settings, browser, sheets=stack.sheets).work(burst=True, max_jobs=1)

    job = queue.jobs()[0]
    assert job.status is JobStatus.FAILED
    assert stack.client.read_settings(INSTRUKS)["robot_status"].startswith(JobStatus.FAILED.value)
    assert [rcpts for _, rcpts in inbox.envelopes] == [["bogholder@firma.dk"]]
    text = inbox.text_of(inbox.messages[0])
    assert INSTRUKS.ref("proposal_recipients") in text and "foo@" in text
