"""``worker.py doctor`` against the demo stack: all OK; then one thing broken at a time, and the doctor names
that thing (and only that) with what to do. Nothing is written to a sheet and no mail is sent."""

from __future__ import annotations

import dataclasses
import io
import os
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import Browser

from bot.config import LedgerLogin, Settings
from bot.doctor import run_doctor
from jobqueue.queue import JobQueue
from sandbox.serving import free_port
from sandbox.stack import LocalStack
from sheets_schema import QUEUE, RYKKERFORSLAG, JobStatus, JobType
from tests.inbox import Inbox

ROOT = Path(__file__).resolve().parent.parent
ALL_CHECKS = 7  # queue setting, Google key, Chromium, queue sheet, one client sheet, its ledger login, mailer


def parse(output: str) -> dict[str, tuple[str, str]]:
    """{check name: (mark, detail)} from the doctor's lines (the last line is the verdict)."""
    found: dict[str, tuple[str, str]] = {}
    for line in output.splitlines()[:-1]:
        name, detail = line[5:].split(": ", 1)
        found[name] = (line[:4].strip(), detail)
    return found


def doctor(settings: Settings, browser: Browser, clients: list[str]) -> tuple[int, dict[str, tuple[str, str]], str]:
    out = io.StringIO()
    code = run_doctor(settings, clients, out, browser=browser)
    return code, parse(out.getvalue()), out.getvalue()


def failures(checks: dict[str, tuple[str, str]]) -> dict[str, str]:
    return {name: detail for name, (mark, detail) in checks.items() if mark == "FEJL"}


def stack_env(stack: LocalStack, inbox: Inbox) -> dict[str, str]:
    s = stack.settings
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("RYKKERBOT_", "SMTP_", "GOOGLE_"))},
        "RYKKERBOT_QUEUE_SPREADSHEET": s.queue_spreadsheet, "RYKKERBOT_SHEETS_ENDPOINT": s.sheets_endpoint,
        "RYKKERBOT_LEDGER_URL": s.ledger_url, "RYKKERBOT_LOGIN_DEMO_USERNAME": "demo",
        "RYKKERBOT_LOGIN_DEMO_PASSWORD": "demo", "RYKKERBOT_MAILER": "smtp", "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(inbox.port), "SMTP_SECURITY": "none",
    }


def test_doctor_against_the_demo_stack_prints_all_ok_and_changes_nothing(stack: LocalStack, inbox: Inbox) -> None:
    job = JobQueue(stack.queue).enqueue(stack.client_id, JobType.RYKKERFLOW, "test")  # the doctor finds the client
    done = subprocess.run([sys.executable, "worker.py", "doctor"], cwd=ROOT, env=stack_env(stack, inbox),
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    checks = parse(done.stdout)
    assert list(checks) == ["RYKKERBOT_QUEUE_SPREADSHEET", "Google-nøgle", "Chromium", "kø-arket",
                            f"klientark {stack.client_id}", "regnskabs-login «demo»", "mailer (smtp)"]
    assert [mark for mark, _ in checks.values()] == ["OK"] * ALL_CHECKS
    assert done.stdout.splitlines()[-1].startswith("Alt OK")
    assert "1 job, 1 klientark" in checks["kø-arket"][1]
    assert inbox.messages == []  # connected, said EHLO, sent nothing
    (row,) = stack.queue.read_table(QUEUE)
    assert row.values["job_id"] == job.id and row.values["status"] == JobStatus.WAITING.value  # not claimed


def test_no_credentials_and_no_queue_id_are_named_the_rest_skipped(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RYKKERBOT_", "GOOGLE_", "SMTP_", "CLOUDSDK_"))}
    env.update(HOME=str(tmp_path), NO_GCE_CHECK="True", RYKKERBOT_OUTBOX=str(tmp_path / "outbox"))
    done = subprocess.run([sys.executable, "worker.py", "doctor"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=180)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    checks = parse(done.stdout)
    assert set(failures(checks)) == {"RYKKERBOT_QUEUE_SPREADSHEET", "Google-nøgle"}
    assert failures(checks)["Google-nøgle"].startswith("GOOGLE_APPLICATION_CREDENTIALS er ikke sat")
    assert [name for name, (mark, _) in checks.items() if mark == "--"] == ["kø-arket og klientark",
                                                                           "regnskabs-login"]
    assert checks["mailer (outbox)"][0] == "OK"
    assert done.stdout.splitlines()[-1].startswith("2 fejl.")


def test_a_queue_sheet_not_shared_is_named_with_whom_to_share_it(stack: LocalStack, browser: Browser) -> None:
    settings = dataclasses.replace(stack.settings, queue_spreadsheet="ikke-delt-med-robotten")
    code, checks, _ = doctor(settings, browser, [])
    assert code == 1
    assert list(failures(checks)) == ["kø-arket"]
    detail = failures(checks)["kø-arket"]
    assert "ikke-delt-med-robotten findes ikke, eller robotten har ikke adgang" in detail
    assert "del arket med robottens Google-konto som redaktør" in detail
    assert checks["klientark"][0] == "--" and checks["regnskabs-login"][0] == "--"


def test_a_wrong_ledger_password_is_named_by_its_login_reference(stack: LocalStack, browser: Browser) -> None:
    settings = dataclasses.replace(stack.settings, logins={"DEMO": LedgerLogin("demo", "forkert-kode")})
    code, checks, output = doctor(settings, browser, [stack.client_id])
    assert code == 1
    assert list(failures(checks)) == ["regnskabs-login «demo»"]
    detail = failures(checks)["regnskabs-login «demo»"]
    assert f"regnskabet på {stack.ledger.url} afviste login'et" in detail
    assert "RYKKERBOT_LOGIN_DEMO_USERNAME / _PASSWORD" in detail and "Instruks!B5" in detail
    assert "forkert-kode" not in output


def test_a_login_reference_the_robot_has_no_login_for_names_the_variables(stack: LocalStack,
                                                                          browser: Browser) -> None:
    settings = dataclasses.replace(stack.settings, logins={})
    code, checks, _ = doctor(settings, browser, [stack.client_id])
    assert code == 1 and list(failures(checks)) == ["regnskabs-login «demo»"]
    assert "sæt RYKKERBOT_LOGIN_DEMO_USERNAME / _PASSWORD" in failures(checks)["regnskabs-login «demo»"]


def test_smtp_unreachable_is_named_with_host_and_port(stack: LocalStack, browser: Browser) -> None:
    closed = free_port()
    settings = dataclasses.replace(stack.settings, smtp_port=closed)
    code, checks, _ = doctor(settings, browser, [stack.client_id])
    assert code == 1 and list(failures(checks)) == ["mailer (smtp)"]
    assert failures(checks)["mailer (smtp)"].startswith(f"mailserveren 127.0.0.1:{closed} svarer ikke")
    assert "SMTP_HOST og SMTP_PORT" in failures(checks)["mailer (smtp)"]


def test_a_client_sheet_with_a_renamed_header_names_the_cell_and_the_repair(stack: LocalStack,
                                                                            browser: Browser) -> None:
    first = RYKKERFORSLAG.columns[0]
    stack.client.spreadsheet.values_update(f"{RYKKERFORSLAG.name}!A1", params={"valueInputOption": "RAW"},
                                           body={"values": [["Noget andet"]]})
    code, checks, _ = doctor(stack.settings, browser, [stack.client_id])
    assert code == 1 and list(failures(checks)) == [f"klientark {stack.client_id}"]
    detail = failures(checks)[f"klientark {stack.client_id}"]
    assert f"{RYKKERFORSLAG.name}!A1" in detail and first.header in detail
    assert detail.endswith(f"Reparér med: worker.py bootstrap --spreadsheet {stack.client_id} "
                           "(beholder det, der er skrevet).")
    assert checks["regnskabs-login"][0] == "--"  # no login reference read from a broken sheet


def test_a_sheets_quota_that_stays_used_up_is_named_after_a_few_tries_not_a_quota_minute(
    stack: LocalStack, browser: Browser
) -> None:
    """A worker waits out 429s for 90 s; an operator at the terminal gets the answer after a few tries."""
    import requests

    url = stack.settings.sheets_endpoint
    before = requests.get(f"{url}/emulator/stats", timeout=10).json()["faulted"]
    requests.post(f"{url}/emulator/faults", json={"status": 429, "count": 100}, timeout=10).raise_for_status()
    try:
        code, checks, _ = doctor(stack.settings, browser, [])
    finally:
        requests.delete(f"{url}/emulator/faults", timeout=10)
    tries = requests.get(f"{url}/emulator/stats", timeout=10).json()["faulted"] - before
    assert code == 1 and "kø-arket" in failures(checks)
    assert 1 < tries <= 4  # a few tries, then the verdict (the worker's policy would try for 90 s)
