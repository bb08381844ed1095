"""Issue 11 end to end in real Chromium against the sandbox: a client with two templates and a pause gets
exactly the proposals its rules give; a fee typed into a row is not sent; the ledger records exactly the
approved invoices, with the fee of the rule."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from playwright.sync_api import Browser

from bot.app import build_worker
from bot.dunning.engine import SkipKind
from jobqueue.queue import JobQueue
from sandbox.ledger import db
from sandbox.stack import LocalStack
from sheets_schema import (
    IKKE_RYKKET,
    INSTRUKS,
    KUNDEPLACERING,
    PAUSER,
    REGLER,
    RYKKERFORSLAG,
    SKABELONER,
    JobStatus,
    JobType,
)
from tests.inbox import Inbox


def _run(stack: LocalStack, browser: Browser, job: JobType) -> None:
    JobQueue(stack.queue).enqueue(stack.client_id, job, "test")
    build_worker(stack.settings, browser, sheets=stack.sheets).work(burst=True)


def _open(stack: LocalStack) -> dict[str, dict[str, object]]:
    return {str(r.values["proposal_id"]): dict(r.values) for r in stack.client.read_table(RYKKERFORSLAG)
            if r.values["status"] == "Foreslået"}


def test_two_templates_and_a_pause_propose_exactly_what_the_rules_say_and_send_only_the_approved(
    stack: LocalStack, browser: Browser, inbox: Inbox
) -> None:
    today = stack.today
    _run(stack, browser, JobType.RYKKERFLOW)
    baseline = _open(stack)
    assert baseline and all(v["template"] == "Standard v1" for v in baseline.values())
    assert all(r.values["locked"] for r in stack.client.read_table(SKABELONER))  # used: locked

    # Two customers due step 1 of Standard, neither reminded before, with different days overdue: both are
    # moved to a one-step "Kulance" template due a day after the first of them is overdue.
    first_steps = sorted((v for v in baseline.values() if v["step"] == 1 and v["currency"] == "DKK"),
                         key=lambda v: int(str(v["days_overdue"])))
    x = first_steps[0]
    z = next(v for v in reversed(first_steps) if int(str(v["days_overdue"])) > int(str(x["days_overdue"])))
    days = int(str(x["days_overdue"])) + 1
    y = next(v for v in baseline.values() if v["customer_number"] not in (x["customer_number"], z["customer_number"]))
    store = stack.client
    store.append_rows(SKABELONER, [{"template": "Kulance v1", "step": 1, "days": days, "fee": 0,
                                    "channel": "Regnskabets rykker", "compensation": "Nej",
                                    "text": "Venlig påmindelse. Betales der ikke, sendes kravet til inkasso."}])
    store.append_rows(REGLER, [{"rule": "Kulance", "template": "Kulance", "kind": "Virksomhed"}])
    store.append_rows(KUNDEPLACERING, [{"customer_number": x["customer_number"], "rule": "Kulance"},
                                       {"customer_number": z["customer_number"], "rule": "Kulance"}])
    until = today + timedelta(days=3)
    store.append_rows(PAUSER, [{"scope": "Kunde", "number": y["customer_number"], "until": until,
                                "reason": "Betalingsaftale"}])

    _run(stack, browser, JobType.RYKKERFLOW)
    now = _open(stack)
    moved = {str(v["proposal_id"]) for v in (x, y, z)}
    z_invoices = [int(n) for n in str(z["invoices"]).split(", ")]
    assert {k: v["customer_number"] for k, v in now.items() if k not in moved and v["template"] == "Standard v1"} \
        == {k: v["customer_number"] for k, v in baseline.items() if k not in moved}
    (z_row,) = [v for v in now.values() if v["customer_number"] == z["customer_number"]]
    assert (z_row["template"], z_row["step"]) == ("Kulance v1", 1)
    # Exactly the invoices at least ``days`` overdue are due the Kulance step.
    conn = db.connect(stack.workdir / "ledger.db")
    due = {n: inv.due_date for n in z_invoices if (inv := db.invoice(conn, n)) is not None}
    assert [int(n) for n in str(z_row["invoices"]).split(", ")] == \
        sorted(n for n, d in due.items() if (today - d).days >= days)
    assert not [v for v in now.values() if v["customer_number"] in (x["customer_number"], y["customer_number"])]
    left_out = {(r.values["customer_number"], r.values["kind"]): str(r.values["reason"])
                for r in store.read_table(IKKE_RYKKET)}
    assert left_out[(x["customer_number"], SkipKind.NOT_DUE.value)].startswith("Næste trin forfalder")
    assert until.strftime("%d-%m-%Y") in left_out[(y["customer_number"], SkipKind.PAUSED.value)]
    overview = [m for m in inbox.messages if "Rykkerforslag" in str(m["Subject"])][-1]
    assert "Betalingsaftale" in inbox.text_of(overview)

    # A fee typed into one row; another row ticked as it is.
    later = sorted((v for v in now.values() if v["step"] in (2, 3) and v["template"] == "Standard v1"),
                   key=lambda v: str(v["proposal_id"]))
    typed, clean = later[0], later[1]
    rows = {str(r.values["proposal_id"]): r.number for r in store.read_table(RYKKERFORSLAG)}
    store.update_rows(RYKKERFORSLAG, {rows[str(typed["proposal_id"])]: {"approve": True, "fee": 250},
                                      rows[str(clean["proposal_id"])]: {"approve": True}})
    before = {r["number"] for r in stack.ledger_state()["sent_today"]}
    _run(stack, browser, JobType.SEND_RYKKERE)

    sent = [r for r in stack.ledger_state()["sent_today"] if r["number"] not in before]
    (only,) = sent
    assert only["customer_number"] == clean["customer_number"] and only["level"] == clean["step"]
    assert sorted(only["invoice_numbers"]) == sorted(int(n) for n in str(clean["invoices"]).split(", "))
    rule_fee = Decimal(INSTRUKS.setting(f"level{clean['step']}_fee").default)  # migrated into Standard v1
    assert Decimal(str(only["fee"])) == rule_fee
    after = {str(r.values["proposal_id"]): r.values for r in store.read_table(RYKKERFORSLAG)}
    assert after[str(clean["proposal_id"])]["status"] == "Sendt"
    refused = after[str(typed["proposal_id"])]
    assert refused["status"] == "Fejl" and "ændret i hånden" in str(refused["message"])

    # A used template edited in place is refused before anything is proposed, naming the row.
    (kulance,) = [r for r in store.read_table(SKABELONER) if r.values["template"] == "Kulance v1"]
    assert kulance.values["locked"]  # proposed for Z: locked too
    store.update_rows(SKABELONER, {kulance.number: {"fee": 50}})
    _run(stack, browser, JobType.RYKKERFLOW)
    job = JobQueue(stack.queue).jobs()[-1]
    assert job.status is JobStatus.FAILED and f"Skabeloner!{SKABELONER.letter('locked')}{kulance.number}" in job.message
    unchanged = {str(r.values["proposal_id"]): r.values["status"] for r in store.read_table(RYKKERFORSLAG)}
    assert unchanged == {k: v["status"] for k, v in after.items()}  # nothing proposed from a refused template
