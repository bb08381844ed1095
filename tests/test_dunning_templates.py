"""Step templates: due dates at their boundaries, any number of steps, versions that are never edited."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from bot.dunning.templates import (
    Channel,
    Step,
    StepRecord,
    Template,
    TemplateBook,
    UnknownTemplate,
    due_step,
    next_step,
    parse_label,
    revise,
    step_due,
    version_for,
)

DUE = date(2026, 10, 1)
V1 = Template("Standard", 1, (Step(5, text="Påmindelse"), Step(14, Decimal(100), Channel.EMAIL, "Rykker"),
                              Step(10, Decimal(100), Channel.LETTER, "Inkassovarsel")))


def sent(step: int, on: date, t: Template = V1, invoice: int = 5001) -> StepRecord:
    return StepRecord(invoice, t.name, t.version, step, on)


def test_step_one_falls_due_its_days_after_the_due_date() -> None:
    due_on = step_due(V1, 1, DUE, None)
    assert due_on == DUE + timedelta(days=V1.step(1).days)
    assert next_step(V1, DUE, []) == (1, due_on)


def test_a_later_step_counts_from_the_day_the_previous_one_was_actually_sent() -> None:
    late = DUE + timedelta(days=V1.step(1).days + 3)  # step 1 went out three days late
    assert next_step(V1, DUE, [sent(1, late)]) == (2, late + timedelta(days=V1.step(2).days))
    step3_sent = late + timedelta(days=20)
    assert next_step(V1, DUE, [sent(1, late), sent(2, step3_sent)]) == (3, step3_sent + timedelta(
        days=V1.step(3).days))
    with pytest.raises(ValueError, match="Trin 1 er ikke sendt"):
        step_due(V1, 2, DUE, None)


@pytest.mark.parametrize("offset", [-1, 0, 1])
def test_due_on_the_day_and_after_not_the_day_before(offset: int) -> None:
    step1 = DUE + timedelta(days=V1.step(1).days)
    assert due_step(V1, DUE, [], step1 + timedelta(days=offset)) == (1 if offset >= 0 else None)
    step2 = step1 + timedelta(days=V1.step(2).days)
    assert due_step(V1, DUE, [sent(1, step1)], step2 + timedelta(days=offset)) == (2 if offset >= 0 else None)


def test_any_number_of_steps_and_none_after_the_last() -> None:
    one = Template("Kort", 1, (Step(3, text="inkasso"),))
    assert next_step(one, DUE, [sent(1, DUE, one)]) is None
    many = Template("Lang", 1, tuple(Step(10, text=f"{n}") for n in range(7)))
    history = [sent(n, DUE + timedelta(days=10 * n), many) for n in range(1, 7)]
    assert next_step(many, DUE, history) == (7, DUE + timedelta(days=70))
    assert next_step(V1, DUE, [sent(n, DUE) for n in (1, 2, 3)]) is None


def test_revise_makes_the_next_version_and_keeps_the_old() -> None:
    book = TemplateBook((V1,))
    v2 = revise(V1, (Step(7, text="Ny"), *V1.steps[1:]), book)
    assert (v2.name, v2.version, v2.label) == ("Standard", 2, "Standard v2")
    book = book.add(v2)
    assert book.latest("standard") == v2 and book.get("Standard", 1) == V1
    assert revise(V1, V1.steps, book).version == 3  # revising an old version never overwrites a newer one
    with pytest.raises(ValueError, match="findes allerede"):
        book.add(Template("Standard", 2, ()))


def test_an_invoice_started_on_v1_stays_on_v1_after_v2_is_made() -> None:
    book = TemplateBook((V1,))
    history = [sent(1, DUE + timedelta(days=5))]
    assert version_for(history, book) == V1
    v2 = revise(V1, (Step(30, text="x"), Step(30, text="y"), Step(30, text="z"), Step(30, text="inkasso")), book)
    book = book.add(v2)
    started = version_for(history, book)
    assert started == V1 and book.latest("Standard") == v2
    assert next_step(V1, DUE, history) == (2, DUE + timedelta(days=5 + V1.step(2).days))
    assert version_for([], book) is None  # a new invoice starts on its rule's latest version


def test_the_first_record_decides_the_version() -> None:
    v2 = Template("Standard", 2, V1.steps)
    book = TemplateBook((V1, v2))
    history = [sent(2, DUE + timedelta(days=30), v2), sent(1, DUE + timedelta(days=5), V1)]
    assert version_for(history, book) == V1


def test_a_history_naming_a_lost_version_is_an_error() -> None:
    with pytest.raises(UnknownTemplate, match="'Standard v9' findes ikke"):
        version_for([StepRecord(5001, "Standard", 9, 1, DUE)], TemplateBook((V1,)))
    with pytest.raises(UnknownTemplate):
        TemplateBook().latest("VIP")


@pytest.mark.parametrize(("label", "expected"), [
    ("Standard v2", ("Standard", 2)), (" VIP kunder V10 ", ("VIP kunder", 10)), ("Erhverv", ("Erhverv", 1)),
])
def test_labels(label: str, expected: tuple[str, int]) -> None:
    assert parse_label(label) == expected
    name, version = expected
    assert parse_label(Template(name, version, ()).label) == expected


def test_an_empty_label_is_refused() -> None:
    with pytest.raises(ValueError, match="tomt"):
        parse_label("  ")
