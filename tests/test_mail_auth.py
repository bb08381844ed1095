"""A mail server that refuses the robot's login is the operator's to fix: the job waits and retries (Genforsøger),
the operator reads what to fix in the log and the queue row, the bookkeeper reads that the robot is waiting for the
mail server, and the job finishes by itself once the password is right. The password is never written anywhere."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from playwright.sync_api import Browser

from bot.app import build_worker
from jobqueue.queue import JobQueue
from sandbox.serving import free_port
from sandbox.stack import LocalStack
from sheets_schema import INSTRUKS, JobStatus, JobType
from tests.inbox import Inbox

GOOD, BAD = "s3cret-pw", "wrong-pw-1234"


@pytest.fixture
def auth_inbox() -> Iterator[Inbox]:
    """A real SMTP server that takes mail only after a login as robot / s3cret-pw."""

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (b"robot",
                                                                                                 GOOD.encode())
        return AuthResult(success=ok, handled=False)

    box = Inbox(port=free_port())
    controller = Controller(box, hostname="127.0.0.1", port=box.port, authenticator=authenticator,
                            auth_required=True, auth_require_tls=False)
    controller.start()
    yield box
    controller.stop()


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_refused_smtp_login_is_retried_for_the_operator_not_a_bookkeeper_error(
    tmp_path: Path, browser: Browser, auth_inbox: Inbox, caplog: pytest.LogCaptureFixture
) -> None:
    with LocalStack(tmp_path / "stack", mailer="smtp", smtp_host="127.0.0.1", smtp_port=auth_inbox.port,
                    smtp_security="none", smtp_username="robot", smtp_password=BAD, retry_base_seconds=0.5,
                    retry_cap_seconds=1.0) as stack:
        queue = JobQueue(stack.queue)
        queue.enqueue(stack.client_id, JobType.RYKKERFLOW, "test")
        with caplog.at_level(logging.INFO):
            build_worker(stack.settings, browser, sheets=stack.sheets).work(burst=True, max_jobs=1)

        job = queue.jobs()[0]
        status = stack.client.read_settings(INSTRUKS)["robot_status"]
        assert job.status is JobStatus.RETRYING, job.message
        assert "SMTP_USERNAME / SMTP_PASSWORD" in job.message  # the operator's part, in the queue row
        assert status.startswith(JobStatus.RETRYING.value) and "venter på mailserveren" in status
        operator = [r for r in caplog.records if r.levelno >= logging.ERROR and "SMTP_PASSWORD" in r.getMessage()]
        assert len(operator) == 1 and "'robot'" in operator[0].getMessage()
        assert all(BAD not in text for text in (caplog.text, job.message, status))
        assert auth_inbox.messages == []

        # The operator fixes the password: the same job goes on by itself, no one presses anything.
        fixed = dataclasses.replace(stack.settings, smtp_password=GOOD)
        build_worker(fixed, browser, sheets=stack.sheets).work(burst=True, max_jobs=1)
        job = queue.jobs()[0]
        assert job.status is JobStatus.DONE and job.attempt == 2
        assert len(auth_inbox.messages) == 1  # the overview mail
        assert stack.client.read_settings(INSTRUKS)["robot_status"].startswith(JobStatus.DONE.value)
