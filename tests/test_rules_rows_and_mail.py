"""Issue 11, pure parts of the wiring: the history read back from the journal and the ledger, the seal that
refuses a proposal row changed by hand (the fee bypass), and amounts that keep their currency in the mails."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from bot.dunning.engine import Skip, SkipKind
from bot.dunning.history import SentLine, step_records
from bot.dunning.templates import StepRecord
from bot.flows.proposal_rows import changed_message, proposal_row, send_targets
from bot.journal import JournalItem, JournalLine
from bot.records import Reminder
from bot.texts.render import render_reminder_overview, render_send_report
from sheets_schema import ProposalStatus
from tests.mail_samples import SHEET, outcome, proposal

DAY = date(2026, 11, 2)


def test_the_journal_describes_each_invoice_and_the_ledger_fills_in_the_rest() -> None:
    details = JournalLine(1001, 2, 57, items=(JournalItem(20001, "VIP v2", 2, Decimal(100)),
                                              JournalItem(20002, "VIP v2", 1, Decimal(0), True))).text()
    assert details == "Rykker-nr 57: kunde 1001, rykker 2 [20001=VIP v2 trin 2 gebyr 100.00; 20002=VIP v2 trin 1 " \
                      "gebyr 0.00 komp]"
    parsed = JournalLine.parse(details)
    assert parsed is not None and parsed.reminder_number == 57
    ledger = [Reminder(57, 1001, 2, DAY, (20001, 20002), Decimal(100), Decimal(900)),  # the same letter
              Reminder(41, 1001, 1, date(2026, 10, 20), (20001,), Decimal(0), Decimal(500))]  # sent by hand
    records = step_records([SentLine(details, DAY)], ledger)
    assert sorted(records, key=lambda r: (r.invoice_number, r.step)) == [
        StepRecord(20001, "Standard", 1, 1, date(2026, 10, 20), Decimal(0)),  # old level n = Standard v1 step n
        StepRecord(20001, "VIP", 2, 2, DAY, Decimal(100)),
        StepRecord(20002, "VIP", 2, 1, DAY, Decimal(0), True),
    ]
    # A line from before the details were journalled describes nothing: the ledger's reminder counts instead.
    assert step_records([SentLine("Rykker-nr 57: kunde 1001, rykker 2", DAY)], ledger[:1]) == [
        StepRecord(20001, "Standard", 1, 2, DAY, Decimal(100)), StepRecord(20002, "Standard", 1, 2, DAY, Decimal(100))]


@dataclass(frozen=True)
class R:
    number: int
    values: dict[str, Any]


def _as_read_back(row: dict[str, Any]) -> dict[str, Any]:
    """What the sheet gives back for a written row: numbers as numbers, money as Decimal, a tick."""
    return {**row, "amount": Decimal(str(float(row["amount"]))), "fee": Decimal(str(float(row["fee"]))),
            "approve": True}


def test_a_row_whose_robot_cells_were_changed_is_marked_changed() -> None:
    p = replace(proposal(1042, "Ærø Byg ApS", 2, "12345.50", "100", 53), currency="EUR", template="Standard v1")
    row = _as_read_back(proposal_row(p, DAY))
    (untouched,) = send_targets([R(2, row)])
    assert not untouched.changed and untouched.currency == "EUR" and untouched.template == "Standard v1"
    for edit in ({"fee": Decimal(250)}, {"amount": Decimal(1)}, {"invoices": "10042"}, {"step": 1},
                 {"currency": "DKK"}, {"check": ""}):
        (target,) = send_targets([R(3, {**row, **edit})])
        assert target.changed, edit
    (old,) = send_targets([R(6, {k: v for k, v in row.items() if k != "check"})])
    assert old.changed and "ældre udgave" in changed_message(old)  # a row from before the seal is not sent
    assert "ændret i hånden" in changed_message(send_targets([R(7, {**row, "fee": Decimal(250)})])[0])
    (unreadable,) = send_targets([R(4, {**row, "customer_number": "tusind"})])
    assert unreadable.changed  # refused on its own row; the other ticked rows still go
    comment = send_targets([R(5, {**row, "comment": "ring først"})])[0]
    assert not comment.changed  # the user's own cells may change


def test_amounts_keep_their_currency_and_the_overview_says_who_was_left_out() -> None:
    eur = replace(proposal(1050, "Müller GmbH", 1, "4000", "0", 20), currency="EUR")
    dkk = proposal(1042, "Ærø Byg ApS", 1, "1000", "100", 20)
    skips = [Skip(1060, "Dupont SARL", "", SkipKind.BLOCKED, "Kunden har land 'FR' (ikke Danmark)."),
             Skip(1070, "Jens Jensen", "", SkipKind.PAUSED, "Kunden er sat på pause til og med 15-12-2026: Tvist"),
             Skip(1080, "Ole Olsen", "DKK", SkipKind.NOT_DUE, "Næste trin forfalder 01-12-2026.")]
    mail = render_reminder_overview("Klient A/S", [eur, dkk], SHEET, "a@klient.dk", skips=skips)
    for part in (mail.text, mail.html):
        assert "4.000,00 EUR" in part and "4.000,00 kr." not in part
        assert "5.000,00" not in part  # EUR and DKK never summed
        assert "Automatik blokeret" in part and "Dupont SARL" in part and "til og med 15-12-2026" in part
        assert "Ole Olsen" not in part  # a step not due yet is only counted
    assert "1 kunde(r) med forfaldne fakturaer" in mail.text
    report = render_send_report("Klient A/S", [outcome(eur, ProposalStatus.SENT, 7)], "a@klient.dk",
                                skips=skips)  # full-auto mode: the report says who was left out
    assert "4.000,00 EUR" in report.text and "4.000,00 kr." not in report.text
    for part in (report.text, report.html):
        assert "Dupont SARL" in part and "til og med 15-12-2026" in part and "Ole Olsen" not in part
    # The report's lines of reminders (by "kundenr.") stay exactly the sent ones: the left-out are listed apart.
    assert [x for x in report.text.splitlines() if x.startswith("- ") and "kundenr." in x] == \
        [x for x in report.text.splitlines() if "Müller GmbH" in x and x.startswith("- ")]
