"""The event log's rows (tab Hændelser), pure: journal lines as Danish events, one per invoice, ids a person
cannot use left out; the job as a person reads it; dates as real dates, times local."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from bot.errors import SettingsError
from bot.events.journal_events import journal_events
from bot.events.log import SheetEvents, run_failed
from bot.events.model import event_row, job_label, serial
from bot.flows.journal import Journal
from jobqueue.job import Job
from sheets_schema import HAENDELSER, LOG, RYKKERFORSLAG, JobStatus, JobType, LogAction


def test_a_sent_reminder_is_one_event_per_invoice_with_step_fee_and_template() -> None:
    details = "Rykker-nr 57: kunde 1001, rykker 2 [20001=Standard v1 trin 2 gebyr 100.00; 20002=Standard v1 trin 1 " \
              "gebyr 0.00 komp]"
    events = journal_events(LogAction.REMINDER_SENT.value, "R-1001-DKK-2-20001", details)
    assert [(e.event, e.customer_number, e.invoice, e.rule) for e in events] == [
        ("Rykker sendt", 1001, 20001, "Standard v1"), ("Rykker sendt", 1001, 20002, "Standard v1")]
    assert events[0].details == "Rykker-nr 57, trin 2, gebyr 100,00 kr., regnskabets rykker"
    assert events[1].details.endswith("med kompensation")


def test_a_step_sent_by_e_mail_or_letter_names_its_channel_and_the_customer_mail_line_is_not_repeated() -> None:
    details = "Kunde 1001, rykker 1 (E-mail til kunden) [20001=Standard v1 trin 1 gebyr 0.00]"
    (event,) = journal_events(LogAction.CHANNEL_STEP_SENT.value, "R-1001-DKK-1-20001", details)
    assert (event.event, event.invoice) == ("Rykker sendt", 20001)
    assert event.details == "Trin 1, gebyr 0,00 kr., e-mail til kunden"
    assert journal_events(LogAction.CUSTOMER_MAIL_SENT.value, "R-1001-DKK-1-20001@6f1c0b1e", "Til a@b.dk: <x@y>") == []
    (failed,) = journal_events(LogAction.CUSTOMER_MAIL_FAILED.value, "R-1001-DKK-1-20001@6f1c0b1e", "Ukendt adresse")
    assert (failed.event, failed.customer_number, failed.details) == ("Kundemail fejlede", 1001, "Ukendt adresse")


def test_a_handed_over_case_is_one_event_per_invoice_without_the_message_id() -> None:
    details = "Kunde 1042: 3 bilag til inkasso@example.com, mail <1732.abc@rykkerbot.example>"
    events = journal_events(LogAction.CASE_HANDED_OVER.value, "I-1042-11122-11123", details)
    assert [(e.event, e.customer_number, e.invoice) for e in events] == [
        ("Overdraget til inkasso", 1042, 11122), ("Overdraget til inkasso", 1042, 11123)]
    assert events[0].details == "Sag I-1042-11122-11123: 3 bilag til inkasso@example.com"
    assert "<" not in events[0].details and "@rykkerbot" not in events[0].details


def test_a_pause_sent_to_the_partner_says_so() -> None:
    (event,) = journal_events(LogAction.CASE_ACTION_SENT.value, "I-1042-11122/1", "Pause til inkasso@example.com")
    assert (event.event, event.customer_number, event.invoice) == ("Sag sat på pause", 1042, 11122)


def test_a_failed_reminder_names_the_customer_and_the_reason() -> None:
    (event,) = journal_events(LogAction.REMINDER_FAILED.value, "R-1001-DKK-1-20001",
                              "Kunde 1001, rykker 1: Ikke sendt: betalt i mellemtiden")
    assert (event.event, event.customer_number, event.details) == (
        "Rykker ikke sendt", 1001, "Ikke sendt: betalt i mellemtiden")
    per_invoice = journal_events(LogAction.REMINDER_FAILED.value, "R-1001-DKK-1-20001", "Kunde 1001, rykker 1: x",
                                 {"R-1001-DKK-1-20001": (20001, 20007)}.__getitem__)
    assert [(e.invoice, e.details) for e in per_invoice] == [(20001, "x"), (20007, "x")]


def test_intents_and_counters_are_the_machines_own() -> None:
    assert journal_events(LogAction.REMINDER_INTENT.value, "R-1001-DKK-1-20001", "Kunde 1001, rykker 1 [...]") == []
    assert journal_events(LogAction.CASE_MAILING.value, "I-1-2", "Kunde 1") == []
    assert journal_events(LogAction.REMINDERS_PROPOSED.value, "", "12 forslag") == []


def test_the_job_reads_as_its_type_and_local_time_and_the_date_is_a_real_date() -> None:
    at = datetime(2026, 11, 25, 8, 14, tzinfo=UTC)  # 09:14 in Copenhagen
    assert job_label(JobType.RYKKERFLOW, at) == "Rykkerflow 25-11-2026 09:14"
    row = event_row(journal_events(LogAction.REMINDER_FAILED.value, "R-7-DKK-1-9", "Kunde 7, rykker 1: x")[0],
                    datetime(2026, 11, 25, 23, 30, tzinfo=UTC), "Send rykkere 25-11-2026 09:14")
    assert row["date"] == serial(date(2026, 11, 26)) == 46352 and row["time"] == "00:30"  # local midnight passed
    assert set(row) == {c.key for c in HAENDELSER.columns}


class _Store:
    def __init__(self) -> None:
        self.appended: list[tuple[str, list[dict[str, object]]]] = []

    def append_rows(self, tab: object, rows: list[dict[str, object]]) -> list[int]:
        name = getattr(tab, "name", "")
        if name == HAENDELSER.name and any(t == "boom" for t, _ in self.appended):
            raise RuntimeError("no such tab")
        start = 2 + sum(len(r) for t, r in self.appended if t == name)
        self.appended.append((name, list(rows)))
        return list(range(start, start + len(rows)))

    def read_table(self, tab: object) -> list[_Row]:
        return []  # the Log is empty when the job starts


class _Row:
    def __init__(self, number: int, values: dict[str, object]) -> None:
        self.number, self.values = number, values


class _ProposalStore(_Store):
    reads = 0

    def read_table(self, tab: object) -> list[_Row]:
        if getattr(tab, "name", "") != RYKKERFORSLAG.name:
            return super().read_table(tab)
        self.reads += 1
        return [_Row(2, {"proposal_id": "R-1001-DKK-1-20001", "invoices": "20001, 20007"})]


def _job() -> Job:
    return Job("6f1c0b1e-uuid", datetime(2026, 11, 25, 8, 14, tzinfo=UTC), "sheet", JobType.OPRET_SAGER, "test",
               JobStatus.RUNNING, "w", None, 1, None, "", None, 2)


def _journal(store: _Store, events: SheetEvents, clock: Callable[[], datetime]) -> Journal:
    """A journal of the job whose lines go to its event log, as the runner makes them."""
    return Journal(store, _job().id, JobType.OPRET_SAGER, clock, [events])


def test_the_events_of_a_jobs_journal_appends_are_written_together_when_it_ends() -> None:
    inner = _Store()
    clock = lambda: datetime(2026, 11, 25, 8, 20, tzinfo=UTC)  # noqa: E731
    events = SheetEvents(inner, _job(), clock)
    journal = _journal(inner, events, clock)
    journal.record(LogAction.CASE_MAILING, "I-1042-11122-11123")
    journal.record(LogAction.CASE_HANDED_OVER, "I-1042-11122-11123",
                   "Kunde 1042: 2 bilag til x@example.com, mail <a@b>")
    journal.record(LogAction.CASE_HANDED_OVER, "I-1043-11130", "Kunde 1043: 1 bilag til x@example.com, mail <c@d>")
    assert [name for name, _ in inner.appended] == [LOG.name] * 3  # held
    events.flush()
    events.flush()  # nothing more to write
    assert [name for name, _ in inner.appended] == [LOG.name] * 3 + [HAENDELSER.name]
    rows = inner.appended[-1][1]
    assert [r["invoice"] for r in rows] == [11122, 11123, 11130]
    assert {r["job"] for r in rows} == {"Opret sager 25-11-2026 09:14"}  # not the job's id


def test_held_events_are_written_a_minute_after_the_first_with_the_time_each_happened() -> None:
    inner = _Store()
    now = [datetime(2026, 11, 25, 8, 20, tzinfo=UTC)]
    sink = SheetEvents(inner, _job(), lambda: now[0])
    journal = _journal(inner, sink, lambda: now[0])
    for seconds, case in [(0, "I-1042-11122"), (30, "I-1042-11123"), (60, "I-1042-11124"), (70, "I-1042-11125")]:
        now[0] = datetime(2026, 11, 25, 8, 20, tzinfo=UTC) + timedelta(seconds=seconds)
        journal.record(LogAction.CASE_HANDED_OVER, case, "Kunde 1042: 1 bilag til x@example.com")
    events = [rows for name, rows in inner.appended if name == HAENDELSER.name]
    assert [[r["invoice"] for r in rows] for rows in events] == [[11122, 11123, 11124]]  # the fourth is held
    assert [r["time"] for r in events[0]] == ["09:20", "09:20", "09:21"]  # each its own (local) time
    sink.flush()
    assert [r["invoice"] for r in inner.appended[-1][1]] == [11125]


def test_a_refused_run_is_a_line_naming_every_problem_and_a_lost_log_costs_nothing_else() -> None:
    inner = _Store()
    events = SheetEvents(inner, _job(), lambda: datetime(2026, 11, 25, 8, 20, tzinfo=UTC))
    run_failed(events, SettingsError("Gebyret er over 100 kr."))
    events.flush()
    ((name, (row,)),) = inner.appended
    assert name == HAENDELSER.name and row["event"] == "Kørsel afvist: indstillinger skal rettes"
    assert row["details"] == "Gebyret er over 100 kr."
    inner.appended.append(("boom", []))
    run_failed(events, RuntimeError("KeyError: 'x'"))  # the tab is gone: a warning, not an error
    events.flush()
    assert inner.appended[-1][0] == "boom"


def test_a_reminder_not_sent_is_a_line_per_invoice_of_its_proposal_read_once() -> None:
    inner = _ProposalStore()
    clock = lambda: datetime(2026, 11, 25, 8, 20, tzinfo=UTC)  # noqa: E731
    events = SheetEvents(inner, _job(), clock)
    journal = _journal(inner, events, clock)
    journal.record(LogAction.REMINDER_FAILED, "R-1001-DKK-1-20001", "Kunde 1001, rykker 1: Ikke sendt: betalt")
    journal.record(LogAction.REMINDER_FAILED, "R-1001-DKK-1-20001", "Kunde 1001, rykker 1: Ikke sendt: betalt")
    events.flush()
    rows = [r for name, batch in inner.appended if name == HAENDELSER.name for r in batch]
    assert [r["invoice"] for r in rows] == [20001, 20007, 20001, 20007] and inner.reads == 1
    assert {r["details"] for r in rows} == {"Ikke sendt: betalt"}
