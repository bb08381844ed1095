"""``python worker.py demo --script`` as a newcomer runs it: a real subprocess, exit 0, a JSON summary last
whose counts agree with what the sandbox site and the outbox hold."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bot.mail.outbox import read_outbox

ROOT = Path(__file__).resolve().parent.parent


def test_demo_script_plays_the_whole_scenario(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "worker.py", "demo", "--script", "--tick", "4", "--workdir",
                           str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["jobs_run"] == 4  # rykkerflow, inkassoforslag (enqueued by it), send_rykkere, opret_sager
    assert summary["proposals"] >= 10
    assert summary["reminders_sent"] == summary["ledger_new_reminders"] == 4
    assert summary["inkasso_proposed"] >= 2 and summary["inkasso_handed_over"] == 2
    mails = read_outbox(tmp_path / "outbox")
    assert summary["mails"] == len(mails) >= 4
    assert summary["sheets_requests"] > 0 and summary["ledger_page_loads"] > 0
    kinds = [m.subject.split(" ")[0] for m in mails]
    assert kinds.count("Rykkerforslag") == 1 and kinds.count("Inkassoforslag") == 1
    assert kinds.count("Inkassosag") == 2  # one mail per case, the demo client's setting
    assert any(m.subject.startswith("Rykkere sendt for") and m.subject.endswith(": 4 sendt") for m in mails)
