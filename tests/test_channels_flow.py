"""Issue 15 wired into send_rykkere, end to end: the stack (sandbox site, Sheets emulator) and a real SMTP server.

A step by "E-mail til kunden": a customer with a contact of the role, one with only its own e-mail, one with
none; the SMTP server receives exactly the two reminder mails (From the client, Reply-To the bookkeeper, Cc
finance, the invoice PDFs openable) and the run report naming the third as an error; a second press sends no
mail twice. A fee on an e-mail step is refused before anything is sent, naming the cell."""

from __future__ import annotations

import io

from playwright.sync_api import Browser
from pypdf import PdfReader

from bot.app import build_worker
from jobqueue.queue import JobQueue
from sandbox.ledger import db
from sandbox.stack import LocalStack
from sheets_schema import INSTRUKS, LOG, RYKKERFORSLAG, SKABELONER, JobStatus, JobType, LogAction, Mode
from tests.inbox import Inbox

SENDER = "bogholderi@demo-byg.dk"
FINANCE = "oekonomi@demo-byg.dk"
BOOKKEEPER = "bogholder@demo-revision.dk"


def _run(stack: LocalStack, browser: Browser, job: JobType) -> None:
    JobQueue(stack.queue).enqueue(stack.client_id, job, "test")
    build_worker(stack.settings, browser, sheets=stack.sheets).work(burst=True)


def _email_step_one(stack: LocalStack, fee: int = 0) -> int:
    store = stack.client
    (row,) = [r for r in store.read_table(SKABELONER)
              if r.values["template"] == "Standard v1" and r.values["step"] == 1]
    store.update_rows(SKABELONER, {row.number: {"channel": "E-mail til kunden", "fee": fee,
                                                "subject": "Rykker {{ trin }} fra {{ firma.navn }}"}})
    store.set_cells({INSTRUKS.ref("mail_sender_address"): SENDER, INSTRUKS.ref("mail_finance"): FINANCE,
                     INSTRUKS.ref("mail_copy_mode"): "Cc", INSTRUKS.ref("mail_roles"): "Bogholder%"})
    return row.number


def test_customer_mails_by_role_own_address_or_an_error_in_the_report(stack: LocalStack, browser: Browser,
                                                                      inbox: Inbox) -> None:
    _email_step_one(stack)
    _run(stack, browser, JobType.RYKKERFLOW)
    store = stack.client
    firsts = [r for r in store.read_table(RYKKERFORSLAG)
              if r.values["step"] == 1 and r.values["currency"] == "DKK" and r.values["status"] == "Foreslået"]
    a, b, c = firsts[:3]
    conn = db.connect(stack.workdir / "ledger.db")
    numbers = [int(str(r.values["customer_number"])) for r in (a, b, c)]
    conn.execute(f"DELETE FROM contacts WHERE customer IN ({', '.join(map(str, numbers))})")
    conn.execute("INSERT INTO contacts VALUES (?, 0, 'Anna Bogholder', 'Bogholderi', 'anna@kunde-a.dk', '')",
                 (numbers[0],))
    conn.execute("INSERT INTO contacts VALUES (?, 1, 'Sælger', 'Salg', 'salg@kunde-a.dk', '')", (numbers[0],))
    conn.execute("UPDATE customers SET email = 'info@kunde-a.dk' WHERE number = ?", (numbers[0],))
    conn.execute("UPDATE customers SET email = 'info@kunde-b.dk' WHERE number = ?", (numbers[1],))
    conn.execute("UPDATE customers SET email = '' WHERE number = ?", (numbers[2],))
    conn.commit()
    store.update_rows(RYKKERFORSLAG, {r.number: {"approve": True} for r in (a, b, c)})
    before = len(inbox.messages)
    sent_before = stack.ledger_state()["reminders_total"]

    _run(stack, browser, JobType.SEND_RYKKERE)

    new = inbox.messages[before:]
    reminders = [m for m in new if str(m["Subject"]).startswith("Rykker 1 fra")]
    assert sorted(str(m["To"]) for m in reminders) == ["anna@kunde-a.dk", "info@kunde-b.dk"]
    for m in reminders:
        assert SENDER in str(m["From"]) and str(m["Reply-To"]) == BOOKKEEPER and str(m["Cc"]) == FINANCE
        pdfs = {name: data for name, data in inbox.attachments(m).items() if name.startswith("Faktura")}
        assert pdfs and all(len(PdfReader(io.BytesIO(data)).pages) >= 1 for data in pdfs.values())
    assert stack.ledger_state()["reminders_total"] == sent_before  # nothing through the ledger's Send
    (report,) = [m for m in new if str(m["Subject"]).startswith("Rykkerkørsel")]
    assert str(report["To"]) == BOOKKEEPER and str(report["Subject"]).endswith("2 underrettet, 1 fejl")
    text = inbox.text_of(report)
    assert "anna@kunde-a.dk" in text and "info@kunde-b.dk" in text
    error = next(line for line in text.splitlines() if str(c.values["customer_name"]) in line)
    assert "ingen gyldig e-mailadresse" in error
    rows = {r.number: r.values for r in store.read_table(RYKKERFORSLAG)}
    assert [rows[r.number]["status"] for r in (a, b, c)] == ["Sendt", "Sendt", "Fejl"]
    # Each mail's "sent" line and its step's history line are one append: no run can die between them.
    log = [str(r.values["action"]) for r in store.read_table(LOG)]
    sent_at = [i for i, action in enumerate(log) if action == LogAction.CUSTOMER_MAIL_SENT.value]
    assert len(sent_at) == 2 and all(log[i + 1] == LogAction.CHANNEL_STEP_SENT.value for i in sent_at)

    # Pressed again with the same rows ticked: no reminder mail twice.
    store.update_rows(RYKKERFORSLAG, {r.number: {"approve": True} for r in (a, b)})
    again = len(inbox.messages)
    _run(stack, browser, JobType.SEND_RYKKERE)
    assert not [m for m in inbox.messages[again:] if str(m["Subject"]).startswith("Rykker 1 fra")]
    # The engine's history advanced: the next rykkerflow proposes no step 1 for A and B.
    _run(stack, browser, JobType.RYKKERFLOW)
    level_one = {(r.values["customer_number"], r.values["step"]) for r in store.read_table(RYKKERFORSLAG)
                 if r.values["status"] == "Foreslået"}
    assert not {(a.values["customer_number"], 1), (b.values["customer_number"], 1)} & level_one


def test_a_fee_on_an_email_step_is_refused_naming_the_cell_before_anything_is_sent(
        stack: LocalStack, browser: Browser, inbox: Inbox) -> None:
    row = _email_step_one(stack, fee=100)
    _run(stack, browser, JobType.RYKKERFLOW)
    job = JobQueue(stack.queue).jobs()[-1]
    assert job.status is JobStatus.FAILED and f"Skabeloner!{SKABELONER.letter('fee')}{row}" in job.message
    assert not stack.client.read_table(RYKKERFORSLAG)  # nothing proposed, nothing sent


def test_a_subject_reaching_past_the_fields_is_refused_naming_the_cell(stack: LocalStack, browser: Browser) -> None:
    row = _email_step_one(stack)
    stack.client.update_rows(SKABELONER, {row: {"subject": "Rykker {{ ''.__class__ }}"}})
    _run(stack, browser, JobType.RYKKERFLOW)
    job = JobQueue(stack.queue).jobs()[-1]
    assert job.status is JobStatus.FAILED and f"Skabeloner!{SKABELONER.letter('subject')}{row}" in job.message
    assert not stack.client.read_table(RYKKERFORSLAG)


def test_letters_ride_in_the_report_and_a_run_with_nothing_to_send_still_reports(
        stack: LocalStack, browser: Browser, inbox: Inbox) -> None:
    store = stack.client
    (step,) = [r for r in store.read_table(SKABELONER)
               if r.values["template"] == "Standard v1" and r.values["step"] == 1]
    store.update_rows(SKABELONER, {step.number: {"channel": "Brev", "fee": 0}})
    _run(stack, browser, JobType.RYKKERFLOW)
    firsts = [r for r in store.read_table(RYKKERFORSLAG) if r.values["step"] == 1 and r.values["currency"] == "DKK"]
    posted, homeless = firsts[:2]
    conn = db.connect(stack.workdir / "ledger.db")
    conn.execute("UPDATE customers SET address = '', city = '' WHERE number = ?",
                 (int(str(homeless.values["customer_number"])),))
    conn.commit()
    store.update_rows(RYKKERFORSLAG, {r.number: {"approve": True} for r in (posted, homeless)})
    before, sent_before = len(inbox.messages), stack.ledger_state()["reminders_total"]

    _run(stack, browser, JobType.SEND_RYKKERE)

    (report,) = [m for m in inbox.messages[before:] if str(m["Subject"]).startswith("Rykkerkørsel")]
    letters = {n: data for n, data in inbox.attachments(report).items() if n.startswith("Breve")}
    (pdf,) = letters.values()
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 1
    assert str(posted.values["customer_name"]) in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    text = inbox.text_of(report)
    assert "postadresse" in next(line for line in text.splitlines() if str(homeless.values["customer_name"]) in line)
    assert stack.ledger_state()["reminders_total"] == sent_before
    rows = {r.number: r.values for r in store.read_table(RYKKERFORSLAG)}
    assert (rows[posted.number]["status"], rows[homeless.number]["status"]) == ("Sendt", "Fejl")

    # Nothing ticked (the failed row unticked): the report still comes, saying there was nothing to do.
    store.update_rows(RYKKERFORSLAG, {homeless.number: {"approve": False}})
    again = len(inbox.messages)
    _run(stack, browser, JobType.SEND_RYKKERE)
    (empty,) = [m for m in inbox.messages[again:] if str(m["Subject"]).startswith("Rykkerkørsel")]
    assert str(empty["Subject"]).endswith("intet at gøre") and not inbox.attachments(empty)


def test_full_auto_mails_the_email_steps_and_sends_the_rest_in_the_ledger(
        stack: LocalStack, browser: Browser, inbox: Inbox) -> None:
    _email_step_one(stack)
    stack.client.set_cells({INSTRUKS.ref("mode"): Mode.FULL_AUTO.value})
    before = stack.ledger_state()["reminders_total"]

    _run(stack, browser, JobType.RYKKERFLOW)

    rows = [r.values for r in stack.client.read_table(RYKKERFORSLAG)]
    by_mail = [v for v in rows if v["step"] == 1 and v["status"] == "Sendt"]
    by_ledger = [v for v in rows if v["step"] != 1 and v["status"] == "Sendt"]
    assert by_mail and by_ledger
    mailed = [m for m in inbox.messages if str(m["Subject"]).startswith("Rykker 1 fra")]
    assert len(mailed) == len(by_mail)
    assert stack.ledger_state()["reminders_total"] == before + len(by_ledger)
    (report,) = [m for m in inbox.messages if str(m["Subject"]).startswith("Rykkerkørsel")]
    assert f"{len(by_mail) + len(by_ledger)} underrettet" in str(report["Subject"])


def test_an_email_step_without_a_sender_address_is_refused_naming_the_cell(stack: LocalStack,
                                                                           browser: Browser) -> None:
    _email_step_one(stack)
    stack.client.set_cells({INSTRUKS.ref("mail_sender_address"): ""})
    _run(stack, browser, JobType.RYKKERFLOW)
    job = JobQueue(stack.queue).jobs()[-1]
    assert job.status is JobStatus.FAILED and INSTRUKS.ref("mail_sender_address") in job.message
    assert not stack.client.read_table(RYKKERFORSLAG)
