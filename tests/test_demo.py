"""``python worker.py demo --script`` as a newcomer runs it: a real subprocess, exit 0, a JSON summary last
whose counts agree with what the sandbox site and the outbox hold; each run from an empty outbox; a missing
browser or a taken port said in one line."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from bot.mail.outbox import read_outbox
from sandbox.serving import PortTaken, free_port, resolve_port

ROOT = Path(__file__).resolve().parent.parent


def test_demo_script_plays_the_whole_scenario(tmp_path: Path) -> None:
    stale = tmp_path / "outbox" / "20200101-000000-000000-an-earlier-run.eml"
    stale.parent.mkdir()
    stale.write_text("Subject: Rykkerforslag fra en tidligere kørsel\n\nGammel\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "worker.py", "demo", "--script", "--tick", "4", "--workdir",
                           str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    # rykkerflow, send_rykkere, inkassoforslag (enqueued by it), opret_sager, send_sagsaendringer twice
    assert summary["jobs_run"] == 6
    assert summary["proposals"] >= 10
    # One of them is step 1, by e-mail to the customer (issue 15): the ledger recorded the others.
    assert summary["reminders_sent"] == 4 == summary["ledger_new_reminders"] + summary["customer_mails"]
    assert summary["customer_mails"] >= 1
    assert summary["inkasso_proposed"] >= 2 and summary["inkasso_handed_over"] == 2
    mails = read_outbox(tmp_path / "outbox")
    assert summary["mails"] == len(mails) >= 4
    assert not stale.exists()  # this run's mails only
    assert summary["sheets_requests"] > 0 and summary["ledger_page_loads"] > 0
    # The event log: at least a line per proposal, send, inkasso proposal and hand-over (one per invoice)
    assert summary["event_log_lines"] >= (summary["proposals"] + summary["reminders_sent"]
                                          + summary["inkasso_proposed"] + summary["inkasso_handed_over"])
    customer = [m for m in mails if "bogholderi@demo-byg.dk" in str(m.message["From"])]
    assert len(customer) == summary["customer_mails"]  # the outbox holds exactly the journalled customer mails
    assert all(m.subject.startswith("Rykker 1") and "oekonomi@demo-byg.dk" in str(m.message["Bcc"] or "")
               for m in customer)
    assert sum(m.subject.startswith("Rykkerkørsel") for m in mails) == 1  # the run report of send_rykkere
    kinds = [m.subject.split(" ")[0] for m in mails]
    assert kinds.count("Rykkerforslag") == 1 and kinds.count("Inkassoforslag") == 1
    assert kinds.count("Inkassosag") == 2  # one mail per case, the demo client's setting
    # One follow-up on a handed-over case, naming it; the second press sent nothing more.
    assert summary["case_followups"] == 1 and summary["case_followups_second_press"] == 0
    followups = [m for m in mails if m.subject.startswith("Besked til sagsbehandler: inkassosag I-")]
    assert len(followups) == 1
    handed = [m.subject for m in mails if m.subject.startswith("Inkassosag fra")]
    assert any(f"(kundenr. {followups[0].subject.split('-')[1]})" in s for s in handed)
    assert any(m.subject.startswith("Rykkere sendt for") and m.subject.endswith(": 4 sendt") for m in mails)


def test_demo_without_a_browser_says_what_is_missing_and_starts_nothing(tmp_path: Path) -> None:
    """A machine with neither Debian's chromium nor Playwright's own build. (A subprocess: Playwright's sync API
    cannot start inside the test session's own, and the system path is set in the child only.)"""
    env = {k: v for k, v in os.environ.items() if k != "RYKKERBOT_CHROMIUM"}
    env["PLAYWRIGHT_BROWSERS_PATH"] = str(tmp_path / "no-browsers")  # nor Playwright's own build
    code = ("import sys, bot.browser, worker; bot.browser.SYSTEM_CHROMIUM = sys.argv[1]; "
            "sys.exit(worker.main(sys.argv[2:]))")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "no-chromium"), "demo", "--script",
                           "--ledger-port", "0", "--sheets-port", "0", "--workdir", str(tmp_path / "demo")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and done.stdout == "" and not (tmp_path / "demo").exists()
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"Chromium mangler: hverken {tmp_path / 'no-chromium'} eller Playwrights egen Chromium")
    assert "apt-get install -y chromium" in line and "-m playwright install chromium" in line


def test_a_port_given_explicitly_that_is_taken_is_refused(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "worker.py", "demo", "--script", "--ledger-port", "0",
                               "--sheets-port", str(port), "--workdir", str(tmp_path)],
                              cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines() == [f"worker.py demo: Port {port} (--sheets-port) er optaget af et andet "
                                        "program. Vælg en anden port, eller --sheets-port 0 for en vilkårlig "
                                        "ledig port."]
    assert not (tmp_path / "sheets.db").exists()


def test_a_default_port_that_is_taken_falls_back_to_a_free_one_and_says_so() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        chosen, note = resolve_port(port, "--ledger-port", explicit=False)
        assert chosen is not None and chosen != port
        assert note == f"Port {port} er optaget; bruger port {chosen} i stedet (--ledger-port vælger)."
        with pytest.raises(PortTaken):
            resolve_port(port, "--ledger-port", explicit=True)
    free = free_port()
    assert resolve_port(free, "--ledger-port", explicit=True) == (free, "")
    assert resolve_port(0, "--ledger-port", explicit=True) == (None, "")
