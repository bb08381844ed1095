"""``python worker.py demo``: the sandbox accounting site, the Sheets emulator and a worker on one machine.

Interactive: prints the URLs and runs the worker until Ctrl-C; a newcomer clicks the buttons in the sheet view.
``--script``: plays the same scenario without a person (run the flow, tick the first N proposals, send, hand
over two inkasso cases, send one follow-up action on a case, press that button again) and prints a one-line JSON
summary last.

Chromium is looked for before anything starts (one line saying what is missing otherwise), and each run starts
from new data and an empty outbox, so the summary counts this run's mails only.
"""

from __future__ import annotations

import contextlib
import json
import sys
import time
from pathlib import Path
from typing import Any

from bot.app import build_worker
from bot.browser import BrowserMissing, launch_browser, locate_browser, started_playwright
from bot.dunning.templates import Channel
from bot.mail.outbox import read_outbox
from bot.usage import client_month
from jobqueue.queue import JobQueue
from jobqueue.worker import Worker
from sandbox.stack import LocalStack
from sheets_schema import (
    INKASSOFORSLAG,
    INSTRUKS,
    LOG,
    RYKKERFORSLAG,
    SAGER,
    SKABELONER,
    CaseAction,
    CaseStatus,
    JobType,
    LogAction,
    ProposalStatus,
)
from sheets_schema.events_tab import HAENDELSER

DEMO_SENDER = "bogholderi@demo-byg.dk"  # the demo client's own address: its reminder mails come from it


def run_demo(script: bool, tick: int = 3, ledger_port: int | None = None, sheets_port: int | None = None,
             workdir: Path = Path("var/demo")) -> int:
    started = time.monotonic()
    with started_playwright() as pw:
        try:
            chromium = locate_browser(pw)
        except BrowserMissing as e:
            print(e, file=sys.stderr)
            return 2
        with LocalStack(workdir, ledger_port=ledger_port, sheets_port=sheets_port) as stack:
            settings = stack.settings
            email_first_step(stack)
            empty_outbox(settings.outbox_dir)
            print(f"Regnskab (sandkasse): {stack.ledger.url}  (login demo / demo, aftalenummer 123456)")
            print(f"Klientens regneark:   {stack.sheets.url(stack.client_id)}")
            print(f"Kø-arket:             {stack.sheets.url(stack.queue_id)}")
            print(f"Udbakke (mails):      {settings.outbox_dir.resolve()}", flush=True)
            browser = launch_browser(pw, headless=settings.headless, executable_path=chromium)
            worker = build_worker(settings, browser, sheets=stack.sheets)
            if not script:
                print("Åbn klientens regneark og tryk 'Start rykkerflow nu'. Stop med Ctrl-C.", flush=True)
                with contextlib.suppress(KeyboardInterrupt):
                    worker.work()
                return 0
            summary = play(stack, worker, tick)
            browser.close()
            summary.update({
                "mails": len(read_outbox(settings.outbox_dir)),
                "sheets_requests": stack.sheets.counter.count,
                "event_log_lines": len(stack.client.read_table(HAENDELSER)),  # the person's log, tab Hændelser
                "usage": client_month(stack.queue, stack.client_id),  # the client's Forbrug, summed for the month
                "seconds": round(time.monotonic() - started, 1),
            })
    print(json.dumps(summary, ensure_ascii=False))
    return 0


def email_first_step(stack: LocalStack) -> None:
    """Customer mails in the demo: step 1 of the demo client's Standard v1 goes by e-mail to the customer (no fee: a fee
    is booked only with the ledger's own reminder), from Demo Byg ApS to the contacts with the role "Bogholder"
    (else the customer's own address), a copy to its finance address."""
    store = stack.client
    firsts = [r for r in store.read_table(SKABELONER) if str(r.values.get("step")) == "1"]
    store.update_rows(SKABELONER, {r.number: {"channel": Channel.EMAIL.value, "fee": 0} for r in firsts})
    store.set_cells({INSTRUKS.ref("mail_sender_address"): DEMO_SENDER, INSTRUKS.ref("mail_roles"): "Bogholder",
                     INSTRUKS.ref("mail_finance"): "oekonomi@demo-byg.dk"})


def customer_mails(stack: LocalStack) -> int:
    """The reminder mails the robot sent to customers, as its journal records them."""
    return sum(r.values.get("action") == LogAction.CUSTOMER_MAIL_SENT.value for r in stack.client.read_table(LOG))


def empty_outbox(folder: Path) -> None:
    """Remove the mails of earlier runs (only the outbox's own files)."""
    for old in [*folder.glob("*.eml"), *folder.glob("*.eml.tmp")]:
        old.unlink(missing_ok=True)


def play(stack: LocalStack, worker: Worker, tick: int) -> dict[str, Any]:
    """Click, approve and send as a bookkeeper would, with the queue instead of the buttons."""
    queue, client, client_id = JobQueue(stack.queue), stack.client, stack.client_id
    recorded_before = stack.ledger_state()["reminders_total"]
    queue.enqueue(client_id, JobType.RYKKERFLOW, "demo --script")
    worker.work(burst=True)
    proposals = client.read_table(RYKKERFORSLAG)
    ticked = list(proposals[:tick])
    first_step = next((r for r in proposals if str(r.values.get("step")) == "1"), None)
    if ticked and first_step is not None and first_step.number not in {r.number for r in ticked}:  # a step 1 too
        ticked[-1] = first_step
    client.update_rows(RYKKERFORSLAG, {r.number: {"approve": True} for r in ticked})
    queue.enqueue(client_id, JobType.SEND_RYKKERE, "demo --script")
    worker.work(burst=True)
    sent = [r for r in client.read_table(RYKKERFORSLAG) if r.values.get("status") == ProposalStatus.SENT.value]
    cases = client.read_table(INKASSOFORSLAG)
    client.update_rows(INKASSOFORSLAG, {r.number: {"approve": True, "comment": "Godkendt i demoen"}
                                        for r in cases[:2]})
    queue.enqueue(client_id, JobType.OPRET_SAGER, "demo --script")
    worker.work(burst=True)
    handed = [r for r in client.read_table(INKASSOFORSLAG) if r.values.get("status") == CaseStatus.CREATED.value]
    followups, again = follow_up_one_case(stack, worker)
    page_loads = getattr(worker.handler, "page_loads", 0)
    return {
        "jobs_run": worker.performed,
        "proposals": len(proposals),
        "reminders_sent": len(sent),
        "inkasso_proposed": len(cases),
        "inkasso_handed_over": len(handed),
        "ledger_page_loads": page_loads,
        "ledger_new_reminders": stack.ledger_state()["reminders_total"] - recorded_before,  # the site's own count
        "customer_mails": customer_mails(stack),  # step 1 by e-mail to the customer
        "case_followups": followups,
        "case_followups_second_press": again,
    }


def follow_up_one_case(stack: LocalStack, worker: Worker) -> tuple[int, int]:
    """A message to the case handler of the first handed-over case, sent with "Send ændringer til inkasso";
    then the button pressed again. The follow-ups each press sent (counted in the Sager tab)."""
    queue, client = JobQueue(stack.queue), stack.client

    def sent() -> int:
        return sum(int(r.values.get("actions_sent") or 0) for r in client.read_table(SAGER))

    cases = client.read_table(SAGER)
    if not cases:
        return 0, 0
    client.update_rows(SAGER, {cases[0].number: {
        "action": CaseAction.MESSAGE.value, "action_text": "Skyldner har bedt om en kopi af fakturaerne."}})
    counts = []
    for _ in range(2):
        before = sent()
        queue.enqueue(stack.client_id, JobType.SEND_SAGSAENDRINGER, "demo --script")
        worker.work(burst=True)
        counts.append(sent() - before)
    return counts[0], counts[1]
