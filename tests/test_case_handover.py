"""Before and around the hand-over (issue 16): payments on handed-over cases reported once, the debtor's master
data checked, Godkend alle, automatic hand-over, and inkassoforslag switched off."""


from __future__ import annotations

import dataclasses
from decimal import Decimal

import requests
from playwright.sync_api import Browser, expect

from bot import formats
from bot.app import build_worker
from bot.inkasso.masterdata import master_data_gaps
from bot.records import Customer
from jobqueue.queue import JobQueue
from sandbox.stack import LocalStack
from sheets_schema import INKASSOFORSLAG, INSTRUKS, SAGER, CaseAction, CaseState, CaseStatus, JobStatus, JobType, YesNo
from tests.inbox import Inbox
from tests.ledger_view import ledger_session
from tests.test_case_followup import follow_ups, hand_over
from tests.test_opret_sager import case_mails, propose_and_approve


def test_an_invoice_paid_after_the_hand_over_is_reported_once_and_the_view_shows_it(
    stack: LocalStack, browser: Browser, inbox: Inbox
) -> None:
    hand_over(stack, browser)
    paid_case, other = stack.client.read_table(SAGER)
    invoice = int(str(paid_case.values["invoices"]).split(", ")[0])
    before = Decimal(str(paid_case.values["remaining"]))
    answer = requests.post(f"{stack.ledger.url}/admin/payment", json={"invoice": invoice}, timeout=10)
    answer.raise_for_status()
    assert Decimal(answer.json()["remaining"]) == 0

    def rykkerflow() -> None:
        JobQueue(stack.queue).enqueue(stack.client_id, JobType.RYKKERFLOW, "test")
        build_worker(stack.settings, browser, sheets=stack.sheets).work(burst=True)

    rykkerflow()
    (report,) = follow_ups(inbox)
    assert str(report["Subject"]).startswith(f"{CaseAction.PAYMENT.value}: inkassosag {paid_case.values['case_id']} ")
    text = inbox.text_of(report)
    assert f"Faktura {invoice}: " in text and "restbeløb 0,00 kr." in text
    assert f"(var {formats.money(before)} ved sidste meddelelse)" in text
    after = {r.number: r.values for r in stack.client.read_table(SAGER)}
    now = Decimal(str(after[paid_case.number]["remaining"]))
    assert now < before
    expected_state = CaseState.PAID.value if now == 0 else CaseState.PAYMENT.value
    assert after[paid_case.number]["state"] == expected_state
    assert str(after[paid_case.number]["last_action"]).startswith(f"{CaseAction.PAYMENT.value}: restbeløb")
    assert after[other.number]["state"] == CaseState.OPEN.value  # nothing paid there: nothing said
    job = next(j for j in JobQueue(stack.queue).jobs() if j.type is JobType.RYKKERFLOW)
    assert "1 betalinger meldt til inkasso" in job.message

    rykkerflow()  # the next run finds the same payment: already reported
    assert len(follow_ups(inbox)) == 1

    page = browser.new_page()
    try:
        page.goto(f"{stack.sheets_server.url}/view/{stack.client_id}")
        cell = page.get_by_test_id(f"cell-{SAGER.name}-{SAGER.letter('state')}{paid_case.number}")
        expect(cell.get_by_role("combobox")).to_have_value(expected_state)  # the state's dropdown
        last = page.get_by_test_id(f"cell-{SAGER.name}-{SAGER.letter('last_action')}{paid_case.number}")
        expect(last).to_contain_text(CaseAction.PAYMENT.value)
    finally:
        page.close()


def test_a_debtor_missing_an_address_is_held_back_with_the_gap_named_until_the_bookkeeper_confirms(
    stack: LocalStack, browser: Browser, inbox: Inbox
) -> None:
    rows = propose_and_approve(stack, browser, how_many=2)
    held, other = rows
    customer = int(str(held["customer_number"]))
    requests.post(f"{stack.ledger.url}/admin/customer/{customer}", json={"address": "", "postal_code": "",
                                                                         "city": ""}, timeout=10).raise_for_status()
    JobQueue(stack.queue).enqueue(stack.client_id, JobType.INKASSOFORSLAG, "test")  # proposed again: gap named
    build_worker(stack.settings, browser, sheets=stack.sheets).work(burst=True)
    proposed = {r.values["case_id"]: r for r in stack.client.read_table(INKASSOFORSLAG)}
    assert proposed[held["case_id"]].values["missing"] == "adresse"
    assert proposed[other["case_id"]].values["missing"] == ""
    assert proposed[held["case_id"]].values["approve"] is True  # the tick stays

    JobQueue(stack.queue).enqueue(stack.client_id, JobType.OPRET_SAGER, "test")
    build_worker(stack.settings, browser, sheets=stack.sheets).work(burst=True)
    mails = case_mails(inbox)
    assert len(mails) == 1 and f"kundenr. {other['customer_number']}" in str(mails[0]["Subject"])
    after = {r.values["case_id"]: r.values for r in stack.client.read_table(INKASSOFORSLAG)}
    assert after[held["case_id"]]["status"] == CaseStatus.FAILED.value
    assert str(after[held["case_id"]]["message"]).startswith("Mangler i regnskabet: adresse.")
    assert "Send trods mangler" in str(after[held["case_id"]]["message"])
    assert [r.values["case_id"] for r in stack.client.read_table(SAGER)] == [other["case_id"]]

    # The bookkeeper confirms in the row: it goes, and the partner sees the address is unknown.
    stack.client.update_rows(INKASSOFORSLAG, {proposed[held["case_id"]].number: {"send_anyway": True}})
    JobQueue(stack.queue).enqueue(stack.client_id, JobType.OPRET_SAGER, "test")
    build_worker(stack.settings, browser, sheets=stack.sheets).work(burst=True)
    mails = case_mails(inbox)
    assert len(mails) == 2 and f"kundenr. {customer}" in str(mails[1]["Subject"])
    assert "Adresse: (ukendt)" in inbox.text_of(mails[1])
    assert {r.values["case_id"] for r in stack.client.read_table(SAGER)} == {held["case_id"], other["case_id"]}


def test_master_data_a_company_and_a_person_need() -> None:
    company = Customer(1, "Byg ApS", "12345678", "DK", "", "Erhverv", 1, True, "Vej 1", "8000", "Aarhus", "")
    assert master_data_gaps(company) == ["e-mail", "telefon"]
    no_cvr = dataclasses.replace(company, cvr="", email="a@b.dk", phone="12345678", city="")
    assert master_data_gaps(no_cvr) == ["adresse (by)", "CVR-nummer"]
    person = Customer(2, "Jens Hansen", "", "DK", "", "Privat", 1, True, "", "", "", "")
    assert master_data_gaps(person) == ["adresse"]  # a person needs no e-mail or phone
    assert master_data_gaps(dataclasses.replace(person, address="Vej 2", postal_code="8000", city="Aarhus")) == []


def test_approve_all_in_the_sheet_view_ticks_every_open_case_proposal(stack: LocalStack, browser: Browser) -> None:
    JobQueue(stack.queue).enqueue(stack.client_id, JobType.INKASSOFORSLAG, "test")
    build_worker(stack.settings, browser, sheets=stack.sheets).work(burst=True)
    rows = stack.client.read_table(INKASSOFORSLAG)
    assert len(rows) >= 3 and not any(r.values["approve"] for r in rows)
    stack.client.update_rows(INKASSOFORSLAG, {rows[0].number: {"status": CaseStatus.REJECTED.value}})
    page = browser.new_page()
    try:
        page.goto(f"{stack.sheets_server.url}/view/{stack.client_id}")
        page.get_by_test_id("button-godkendAlleSager").click()
        expect(page.get_by_text(f"{len(rows) - 1} forslag godkendt på fanen «{INKASSOFORSLAG.name}».")).to_be_visible()
    finally:
        page.close()
    after = {r.number: r.values for r in stack.client.read_table(INKASSOFORSLAG)}
    assert after[rows[0].number]["approve"] is False  # rejected: left alone
    assert all(after[r.number]["approve"] is True for r in rows[1:])
    assert not [j for j in JobQueue(stack.queue).jobs() if j.status is JobStatus.WAITING]  # no job queued

    header = INKASSOFORSLAG.column("approve").header
    stack.client.set_cells({f"{INKASSOFORSLAG.name}!{INKASSOFORSLAG.letter('approve')}1": "Godkendt?"})
    answer = requests.post(f"{stack.sheets_server.url}/view/{stack.client_id}/button",
                           json={"sheet": INKASSOFORSLAG.name, "function": "godkendAlleSager"}, timeout=10).json()
    assert answer == {"ok": False, "message": f"Kolonnen «{header}» mangler i række 1 på fanen «Inkassoforslag»."}


def test_automatic_hand_over_sends_the_old_enough_cases_without_approval_with_the_same_checks(
    stack: LocalStack, browser: Browser, inbox: Inbox
) -> None:
    with ledger_session(stack, browser) as ledger:
        listed = ledger.inkasso_list()
    ages = sorted({line.days_since_reminder3 for line in listed}, reverse=True)
    assert len(ages) >= 3
    limit = ages[1]  # the two oldest ages qualify, the younger do not
    due = [line for line in listed if line.days_since_reminder3 >= limit]
    gap = due[0]  # its debtor has no address: held back, as when a person approves
    requests.post(f"{stack.ledger.url}/admin/customer/{gap.customer_number}", json={"address": ""},
                  timeout=10).raise_for_status()
    stack.client.set_cells({INSTRUKS.ref("auto_handover_days"): str(limit)})

    JobQueue(stack.queue).enqueue(stack.client_id, JobType.INKASSOFORSLAG, "test")
    build_worker(stack.settings, browser, sheets=stack.sheets).work(burst=True)

    expected = {line.customer_number for line in due} - {gap.customer_number}
    assert expected
    rows = {r.values["customer_number"]: r.values for r in stack.client.read_table(INKASSOFORSLAG)}
    for customer, v in rows.items():
        if customer in expected:
            assert v["status"] == CaseStatus.CREATED.value and v["approve"] is True
            assert str(v["comment"]).startswith("Automatisk overdraget: rykker 3 er ")
        else:
            assert v["status"] == CaseStatus.PROPOSED.value and v["approve"] is False
    assert rows[gap.customer_number]["missing"] == "adresse (vejnavn)"
    mails = case_mails(inbox)
    assert sorted(int(str(m["Subject"]).split("kundenr. ")[1].split(")")[0]) for m in mails) == sorted(expected)
    jobs = JobQueue(stack.queue).jobs()
    assert [j.type for j in jobs] == [JobType.INKASSOFORSLAG, JobType.OPRET_SAGER]
    assert jobs[0].message.endswith(f", {len(expected)} overdrages automatisk")
    (report,) = [m for m in inbox.messages if str(m["Subject"]).startswith("Inkassosager for")]
    assert inbox.text_of(report).count("Automatisk overdraget") == len(expected)  # the report says so


def test_automatic_hand_over_is_off_by_default_and_a_bad_setting_is_named(stack: LocalStack, browser: Browser) -> None:
    assert INSTRUKS.setting("auto_handover_days").default == ""
    assert INSTRUKS.setting("inkasso_proposals").default == YesNo.YES.value
    stack.client.set_cells({INSTRUKS.ref("auto_handover_days"): "fjorten"})
    JobQueue(stack.queue).enqueue(stack.client_id, JobType.INKASSOFORSLAG, "test")
    build_worker(stack.settings, browser, sheets=stack.sheets).work(burst=True)
    (job,) = JobQueue(stack.queue).jobs()
    assert job.status is JobStatus.FAILED and INSTRUKS.ref("auto_handover_days") in job.message
    assert not any(r.values["approve"] for r in stack.client.read_table(INKASSOFORSLAG))


def test_inkassoforslag_switched_off_is_neither_chained_nor_run(stack: LocalStack, browser: Browser) -> None:
    stack.client.set_cells({INSTRUKS.ref("inkasso_proposals"): YesNo.NO.value, INSTRUKS.ref("mode"): "Fuldautomatisk"})
    queue = JobQueue(stack.queue)
    queue.enqueue(stack.client_id, JobType.RYKKERFLOW, "test")  # full-auto: it sends, and would chain the proposals
    build_worker(stack.settings, browser, sheets=stack.sheets).work(burst=True)
    assert [j.type for j in queue.jobs()] == [JobType.RYKKERFLOW]

    queue.enqueue(stack.client_id, JobType.INKASSOFORSLAG, "test")  # pressed by hand: says it is off
    build_worker(stack.settings, browser, sheets=stack.sheets).work(burst=True)
    job = queue.jobs()[-1]
    assert job.status is JobStatus.DONE and job.message.startswith("inkassoforslag er slået fra (Instruks!B")
    assert stack.client.read_table(INKASSOFORSLAG) == []

    stack.client.set_cells({INSTRUKS.ref("inkasso_proposals"): YesNo.YES.value})
    queue.enqueue(stack.client_id, JobType.RYKKERFLOW, "test")
    build_worker(stack.settings, browser, sheets=stack.sheets).work(burst=True)
    assert [j.type for j in queue.jobs()][-2:] == [JobType.RYKKERFLOW, JobType.INKASSOFORSLAG]  # after the send
    assert stack.client.read_table(INKASSOFORSLAG)
