"""A reminder's journal details as one value: each form written to the Log tab today (and the older ones still in
clients' sheets) read back and written again byte for byte; the journal's observers told of what it appends."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import pytest

from bot.flows.journal import Journal
from bot.journal import JournalItem, JournalLine, LogEntry, after_customer, customer_in, readable
from sheets_schema import LOG, JobType, LogAction
from tests.flow_fakes import NOW, FakeLedger, FakeStore, flow_context

ITEMS = (JournalItem(20001, "Standard v1", 2, Decimal("100.00")),
         JournalItem(20002, "VIP v3", 1, Decimal("0.00"), True))

WRITTEN = [
    ("Rykker-nr 57: kunde 1001, rykker 2 [20001=Standard v1 trin 2 gebyr 100.00; 20002=VIP v3 trin 1 gebyr 0.00 komp]",
     JournalLine(1001, 2, 57, items=ITEMS)),  # sent by the ledger
    ("Kunde 1001, rykker 2 [20001=Standard v1 trin 2 gebyr 100.00; 20002=VIP v3 trin 1 gebyr 0.00 komp]",
     JournalLine(1001, 2, items=ITEMS)),  # the intent before the Send
    ("Kunde 1001, rykker 1 (E-mail til kunden) [20001=Standard v1 trin 1 gebyr 0.00]",
     JournalLine(1001, 1, channel="E-mail til kunden", items=(JournalItem(20001, "Standard v1", 1, Decimal("0.00")),))),
    ("Kunde 1003, rykker 1 (Brev) [20005=Standard v1 trin 1 gebyr 0.00]",
     JournalLine(1003, 1, channel="Brev", items=(JournalItem(20005, "Standard v1", 1, Decimal("0.00")),))),
    ("Kunde 1001, rykker 2: Ikke sendt: betalt i mellemtiden",
     JournalLine(1001, 2, message="Ikke sendt: betalt i mellemtiden")),  # not sent
    ("Kunde 1001, rykker 2: Regnskabet sendte den ikke [fejl 7]",  # a message is the rest, brackets and all
     JournalLine(1001, 2, message="Regnskabet sendte den ikke [fejl 7]")),
    ("Kunde 1001, rykker 2: ", JournalLine(1001, 2, message="")),  # a refusal without a reason
    ("Rykker-nr 57: kunde 1001, rykker 2", JournalLine(1001, 2, 57)),  # sent before the items were journalled
    ("Kunde 1001, rykker 2", JournalLine(1001, 2)),  # an intent from then
    ("Kunde 1001, rykker 2 []", JournalLine(1001, 2, items=())),
    ("Rykker-nr 9: kunde 7, rykker 3 [1=Kulance v2 trin 3 gebyr -50.00]",
     JournalLine(7, 3, 9, items=(JournalItem(1, "Kulance v2", 3, Decimal("-50.00")),))),
]


@pytest.mark.parametrize(("text", "line"), WRITTEN)
def test_each_form_written_is_read_back_and_written_again_byte_for_byte(text: str, line: JournalLine) -> None:
    assert JournalLine.parse(text) == line
    assert line.text() == str(line) == text


def test_a_line_written_from_its_values_reads_back_the_same() -> None:
    line = JournalLine(1001, 2, 57, items=(JournalItem(20001, "Kulance v3", 2, Decimal(100)),
                                           JournalItem(20002, "Kulance v3", 1, Decimal("12.5"), True)))
    assert line.text().endswith("[20001=Kulance v3 trin 2 gebyr 100.00; 20002=Kulance v3 trin 1 gebyr 12.50 komp]")
    back = JournalLine.parse(line.text())
    assert back == line and back is not None and back.items is not None
    assert [i.fee for i in back.items] == [Decimal("100.00"), Decimal("12.50")]  # equal, and written the same


def test_the_head_is_the_line_without_the_items() -> None:
    assert JournalLine(1001, 2, 57, items=ITEMS).head() == "Rykker-nr 57: kunde 1001, rykker 2"
    assert JournalLine(1001, 1, channel="Brev", items=ITEMS).head() == "Kunde 1001, rykker 1 (Brev)"


@pytest.mark.parametrize("text", ["Kunde 1042: 3 bilag til inkasso@example.com", "12 forslag", "", "Rykker-nr 57",
                                  "Rykker-nr x: kunde 1001, rykker 2", "kunde 1001, rykker 2"])
def test_details_of_another_form_are_no_reminder_line(text: str) -> None:
    assert JournalLine.parse(text) is None


def test_an_item_edited_into_another_form_is_left_out_and_the_others_read() -> None:
    line = JournalLine.parse("Rykker-nr 57: kunde 1001, rykker 2 [20001=Standard v1 trin 2 gebyr 100.00; noget andet]")
    assert line is not None and line.items == (JournalItem(20001, "Standard v1", 2, Decimal("100.00")),)


def test_a_line_has_either_items_or_a_message() -> None:
    with pytest.raises(ValueError, match="either"):
        JournalLine(1001, 2, items=ITEMS, message="x")


def test_other_details_read_as_a_person_reads_them() -> None:
    assert readable("Kunde 1042: 3 bilag til x@example.com, mail <1732.abc@rykkerbot.example>") == \
        "Kunde 1042: 3 bilag til x@example.com"
    assert readable(WRITTEN[2][0]) == "Kunde 1001, rykker 1 (E-mail til kunden)"
    assert customer_in("Til kunde 1042: ...") == 1042 and customer_in("12 forslag") is None
    assert after_customer("Kunde 1042: 3 bilag: ok") == "3 bilag: ok"
    assert after_customer("Pause: til partneren") == "Pause: til partneren"  # its head names no customer


class Seen:
    def __init__(self) -> None:
        self.appends: list[list[tuple[str, str, str]]] = []

    def journalled(self, entries: Sequence[LogEntry]) -> None:
        self.appends.append([(e.action, e.key, e.details) for e in entries])


class FailingStore(FakeStore):
    def append_rows(self, tab: object, rows: object) -> list[int]:
        raise RuntimeError("Sheets er nede")


def test_the_observers_are_told_of_each_append_once_it_is_written() -> None:
    first, second = Seen(), Seen()
    store = FakeStore()
    journal = Journal(store, "j1", JobType.SEND_RYKKERE, lambda: NOW, [first, second])
    journal.record_many([(LogAction.REMINDER_INTENT, "R1", "Kunde 1, rykker 1"),
                         (LogAction.REMINDER_INTENT, "R2", "Kunde 2, rykker 1")])
    journal.record(LogAction.REMINDER_SENT, "R1", "Rykker-nr 5: kunde 1, rykker 1")
    journal.record_many([])  # nothing appended, nothing told
    assert first.appends == second.appends == [
        [("Sender rykker", "R1", "Kunde 1, rykker 1"), ("Sender rykker", "R2", "Kunde 2, rykker 1")],
        [("Rykker sendt", "R1", "Rykker-nr 5: kunde 1, rykker 1")]]
    assert len(store.tabs[LOG.name]) == 3
    seen = Seen()
    with pytest.raises(RuntimeError):
        Journal(FailingStore(), "j1", JobType.SEND_RYKKERE, lambda: NOW, [seen]).record(LogAction.REMINDER_SENT, "R1")
    assert seen.appends == []  # a line not written is not told


def test_a_flows_journals_tell_the_observers_the_runner_gave_it() -> None:
    seen = Seen()
    ctx = flow_context(FakeStore(), FakeLedger([]))
    ctx.journal().record(LogAction.REMINDERS_PROPOSED, "", "3 forslag")  # outside the runner: nobody is told
    ctx.journal_observers = [seen]
    ctx.journal().record(LogAction.REMINDERS_PROPOSED, "", "2 forslag")
    assert seen.appends == [[("Rykkerforslag skrevet", "", "2 forslag")]]
