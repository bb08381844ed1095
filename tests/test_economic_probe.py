"""``worker.py check-ledger --client ID`` as an operator runs it: logs in over the API and through the web UI,
counts what a job reads, sends nothing; a wrong token is named, never printed, and the UI is still probed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sandbox.ledger import db
from sandbox.stack import LocalStack

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parent.parent
WRONG = "forkert-app-hemmelighed-93d1"


def check_ledger(stack: LocalStack, app_secret: str) -> subprocess.CompletedProcess[str]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("RYKKERBOT_")},
        "RYKKERBOT_SHEETS_ENDPOINT": stack.settings.sheets_endpoint,
        "RYKKERBOT_LEDGER_URL": stack.ledger.url,
        "RYKKERBOT_ECONOMIC_API_URL": f"{stack.ledger.url}/restapi",
        "RYKKERBOT_LOGIN_DEMO_USERNAME": "demo",
        "RYKKERBOT_LOGIN_DEMO_PASSWORD": "demo",
        "RYKKERBOT_ECONOMIC_DEMO_APP_SECRET": app_secret,
        "RYKKERBOT_ECONOMIC_DEMO_GRANT_TOKEN": "demo",
        "RYKKERBOT_LEDGER_ATTEMPTS": "2",
        "RYKKERBOT_LEDGER_RETRY_SECONDS": "0.1",
    }
    return subprocess.run([sys.executable, "worker.py", "check-ledger", f"--client={stack.client_id}"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=240)


def test_check_ledger_reads_over_the_api_and_the_ui_and_sends_nothing(stack: LocalStack) -> None:
    conn = db.connect(stack.workdir / "ledger.db")
    invoices = db.invoices(conn)
    customers = len(db.customers(conn)[0])
    open_ = sum(1 for i in invoices if i.remaining != 0)
    overdue = sum(1 for i in invoices if i.remaining > 0 and i.due_date < stack.today)
    reminders_before = stack.ledger_state()["reminders_total"]

    done = check_ledger(stack, "demo")

    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    for channel, steps in (("API", 4), ("web", 5)):  # login, customers, open, overdue (+ the UI's proposals)
        mine = [line for line in lines if f"{channel} http" in line]
        assert len(mine) == steps and all(line.startswith("OK") for line in mine)
    assert sum(f"{customers} kunder" in line for line in lines) == 2
    assert sum(f"{open_} åbne fakturaer" in line for line in lines) == 2
    assert sum(f"{overdue} forfaldne fakturaer" in line for line in lines) == 2
    assert any("rykkerforslag i regnskabet" in line for line in lines)
    assert lines[-1] == "Alt kunne læses. Intet blev sendt."
    assert stack.ledger_state()["reminders_total"] == reminders_before


def test_check_ledger_names_a_refused_token_and_still_probes_the_ui(stack: LocalStack) -> None:
    done = check_ledger(stack, WRONG)

    assert done.returncode == 1
    assert WRONG not in done.stdout + done.stderr
    lines = done.stdout.splitlines()
    api = [line for line in lines[:-1] if "API http" in line]
    assert api[0].startswith("FEJL") and "RYKKERBOT_ECONOMIC_DEMO_APP_SECRET" in api[0]
    assert len(api) == 4 and all(line.startswith("--") for line in api[1:])  # not tried after the failed login
    web = [line for line in lines[:-1] if "web http" in line]
    assert len(web) == 5 and all(line.startswith("OK") for line in web)
    assert lines[-1].startswith("Kunne ikke læse: API")
