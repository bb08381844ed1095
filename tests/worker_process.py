"""A real ``worker.py run`` process for the tests that kill a worker (SIGKILL) or keep it running through a fault:
its environment, a context that never leaves it behind, and a wait that fails as soon as it exits by itself.

A kill lands where it is meant to by holding the ledger (the sandbox's fault "hold"): the robot's request hangs
at a chosen point (e.g. its third Send), the test sees the hold and kills; the held request never happens.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from sandbox.stack import LocalStack
from tests.inbox import Inbox

ROOT = Path(__file__).resolve().parent.parent


def worker_env(stack: LocalStack, inbox: Inbox) -> dict[str, str]:
    s = stack.settings
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("RYKKERBOT_")},
        "RYKKERBOT_QUEUE_SPREADSHEET": s.queue_spreadsheet,
        "RYKKERBOT_SHEETS_ENDPOINT": s.sheets_endpoint,
        "RYKKERBOT_LEDGER_URL": s.ledger_url,
        "RYKKERBOT_LOGIN_DEMO_USERNAME": "demo",
        "RYKKERBOT_LOGIN_DEMO_PASSWORD": "demo",
        "RYKKERBOT_MAILER": "smtp",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(inbox.port),
        "SMTP_SECURITY": "none",
        "RYKKERBOT_LEASE_SECONDS": "3",
        "RYKKERBOT_POLL_SECONDS": "0.5",
        "RYKKERBOT_SHEETS_PER_MINUTE": "0",  # a 3-s lease beats every second: more than Google's quota allows
        "RYKKERBOT_WORKER_ID": "doomed-worker",
        "RYKKERBOT_SEND_BATCH": "2",  # three Sends, so the kill lands between two of them
        "RYKKERBOT_TODAY": stack.today.isoformat(),
        "RYKKERBOT_ARTIFACTS": str(stack.workdir / "artifacts"),
    }


@contextmanager
def running_worker(env: dict[str, str], output: IO[str] | None = None) -> Iterator[subprocess.Popen[bytes]]:
    """``worker.py run`` with ``env``; killed and reaped when the block ends, however it ends."""
    target = output if output is not None else subprocess.DEVNULL
    proc = subprocess.Popen([sys.executable, "worker.py", "run"], cwd=ROOT, env=env, stdout=target,
                            stderr=subprocess.STDOUT if output is not None else subprocess.DEVNULL)
    try:
        yield proc
    finally:
        proc.kill()
        proc.wait()


def wait_until(proc: subprocess.Popen[bytes], ready: Callable[[], bool], seconds: float = 180,
               what: str = "the moment to kill", poll: float = 0.1, log: Path | None = None) -> None:
    """Wait for ``ready()``; fail if the worker exits by itself first or ``seconds`` pass (with the tail of the
    worker's ``log`` in the message, when it writes one)."""
    deadline = time.monotonic() + seconds
    while not ready():
        tail = f"; the worker's log:\n{log.read_text()[-3000:]}" if log is not None else ""
        assert proc.poll() is None, f"the worker stopped by itself (waiting for {what}){tail}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}{tail}"
        time.sleep(poll)


def kill(proc: subprocess.Popen[bytes]) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()


def hold_sends(stack: LocalStack, after: int) -> None:
    """Let ``after`` presses of the ledger's Send through; the next one hangs until the faults are set again
    (``stack.ledger_faults(mode="none")``) and is then refused, so it never sends anything."""
    stack.ledger_faults(mode="hold", paths=["/rykkere/send"], methods=["POST"], after=after)


def kill_when_held(stack: LocalStack, proc: subprocess.Popen[bytes]) -> None:
    """Kill the worker once one of its ledger requests is held, then release the ledger for the rerun."""
    wait_until(proc, lambda: int(stack.ledger_state()["faults_injected"]) > 0, what="a held ledger request")
    kill(proc)
    stack.ledger_faults(mode="none")
