"""The event log after the demo scenario (rykkerflow, Send rykkere, inkassoforslag, Opret sager, a follow-up) and a
refused run, through the real worker: one filterable line per invoice for each proposal, send and hand-over, a
line for the refused run, Danish texts with no ids a person cannot use."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from playwright.sync_api import Browser

from bot.app import build_worker
from jobqueue.queue import JobQueue
from sandbox.demo import play
from sandbox.stack import LocalStack
from sheets_schema import (
    HAENDELSER,
    INKASSOFORSLAG,
    INSTRUKS,
    RYKKERFORSLAG,
    SAGER,
    CaseStatus,
    JobType,
    ProposalStatus,
)
from tests.inbox import Inbox

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-")


def _invoices(text: object) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", str(text or ""))]


def test_the_demo_scenario_and_a_refused_run_in_the_event_log(stack: LocalStack, browser: Browser,
                                                               inbox: Inbox) -> None:
    worker = build_worker(stack.settings, browser, sheets=stack.sheets)
    summary = play(stack, worker, 1)
    stack.client.set_cells({INSTRUKS.ref("level1_fee"): "250"})
    JobQueue(stack.queue).enqueue(stack.client_id, JobType.RYKKERFLOW, "test")
    worker.work(burst=True)

    events = [r.values for r in stack.client.read_table(HAENDELSER)]
    print(*events[:3], *events[-4:], sep="\n")
    by_kind = Counter(str(e["event"]) for e in events)
    proposals = stack.client.read_table(RYKKERFORSLAG)
    proposed = [n for r in proposals for n in _invoices(r.values.get("invoices"))]
    sent = [n for r in proposals if r.values.get("status") == ProposalStatus.SENT.value
            for n in _invoices(r.values.get("invoices"))]
    cases = stack.client.read_table(INKASSOFORSLAG)
    handed = [n for r in cases if r.values.get("status") == CaseStatus.CREATED.value
              for n in _invoices(r.values.get("invoices"))]
    assert summary["reminders_sent"] == 1 and summary["inkasso_handed_over"] == 2
    jobs = {j.type: j.message for j in JobQueue(stack.queue).jobs()}
    assert jobs[JobType.SEND_RYKKERE] == "1 rykker sendt"  # singular (issue 14)

    def invoices_of(kind: str) -> list[int]:
        return sorted(int(e["invoice"]) for e in events if e["event"] == kind)

    assert invoices_of("Rykker foreslået") == sorted(proposed)
    assert invoices_of("Rykker sendt") == sorted(sent)
    assert invoices_of("Overdraget til inkasso") == sorted(handed)
    assert invoices_of("Inkassosag foreslået") == sorted(n for r in cases for n in _invoices(r.values["invoices"]))
    assert by_kind["Ikke rykket"] > 0 and all(e["customer_number"] for e in events if e["event"] == "Ikke rykket")
    (refused,) = [e for e in events if e["event"] == "Kørsel afvist: indstillinger skal rettes"]
    assert INSTRUKS.ref("level1_fee") in str(refused["details"])
    assert str(refused["job"]).startswith("Rykkerflow ") and re.search(r"\d\d-\d\d-\d{4} \d\d:\d\d$", refused["job"])
    # Times a person reads are local dd-mm-yyyy hh:mm, and still read back: the countdown is computed from them
    local = re.compile(r"\d\d-\d\d-\d{4} \d\d:\d\d")
    assert all(local.fullmatch(str(r.values["created_at"])) for r in cases if r.values["status"] == "Oprettet")
    sager = stack.client.read_table(SAGER)
    assert len(sager) == 2 and all(local.fullmatch(str(r.values["handed_over_at"])) for r in sager)
    assert all(local.fullmatch(str(r.values["updated_at"])) for r in sager)
    assert {r.values["free_withdrawal"] for r in sager} == {"10 dage tilbage"}
    (followup,) = [m for m in inbox.messages if str(m["Subject"]).startswith("Besked til sagsbehandler")]
    (followed,) = [r.values for r in sager if r.values["actions_sent"]]
    handed_on = followed["handed_over_at"]
    assert f"overdraget til jer den {str(handed_on)[:10]}" in inbox.text_of(followup)  # read back from the cell
    for e in events:
        text = " ".join(str(v) for v in e.values())
        assert not _UUID.search(text) and "<" not in text and "rykkerflow" not in text, text
        assert isinstance(e["date"], date) and re.fullmatch(r"\d\d:\d\d", str(e["time"]))
