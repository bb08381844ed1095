"""The law table: every template check with its message, statutory interest over rate periods, compensation."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from bot.dunning.law import (
    CustomerKind,
    DayCount,
    LawRule,
    LawTableError,
    MissingReferenceRate,
    check_template,
    compensation,
    earliest_handover,
    interest,
    interest_rate,
    load_laws,
    parse_laws,
)
from bot.dunning.templates import Step, StepField, Template

DK = load_laws()["DK"]
WARN = "Betales beløbet ikke, sendes kravet til inkasso med yderligere omkostninger."
MAX = DK.max_fee
GAP = DK.min_days_between_fees


def template(*steps: Step) -> Template:
    return Template("Standard", 1, steps)


def lawful() -> Template:
    return template(Step(DK.min_days_after_due, Decimal(0), text="Venlig påmindelse"),
                    Step(GAP, MAX, text="Rykker 2"), Step(GAP, MAX, text=WARN))


def cells(steps: int) -> dict[tuple[int, StepField], str]:
    columns = {StepField.DAYS: "C", StepField.FEE: "D", StepField.CHANNEL: "E", StepField.TEXT: "F",
               StepField.COMPENSATION: "G"}
    return {(n, f): f"Trin!{col}{n + 3}" for n in range(1, steps + 1) for f, col in columns.items()}


def rules(t: Template, kind: CustomerKind = CustomerKind.PERSON) -> list[LawRule]:
    return [v.rule for v in check_template(t, DK, kind, cells(len(t.steps)))]


def test_the_shipped_danish_row_holds_renteloven() -> None:
    assert (DK.currency, DK.max_fee, DK.max_fee_reminders, DK.min_days_between_fees) == ("DKK", 100, 3, 10)
    assert (DK.business_compensation, DK.interest_margin, DK.collection_notice_days) == (310, 8, 10)
    assert DK.reference_rates == tuple(sorted(DK.reference_rates, key=lambda p: p.valid_from))
    assert all(p.valid_from.day == 1 and p.valid_from.month in (1, 7) for p in DK.reference_rates)


def test_a_lawful_template_passes_for_both_kinds() -> None:
    assert check_template(lawful(), DK, CustomerKind.PERSON) == []
    assert check_template(lawful(), DK, CustomerKind.BUSINESS) == []


def test_fee_at_the_maximum_passes_and_one_ore_more_is_refused_naming_the_cell() -> None:
    t = template(Step(1, MAX + Decimal("0.01"), text=WARN))
    [v] = check_template(t, DK, CustomerKind.PERSON, cells(1))
    assert v.rule is LawRule.FEE_ABOVE_MAX and v.cell == "Trin!D4"
    assert "Trin!D4" in v.message and "renteloven § 9 b" in v.message and "100,00 kr." in v.message
    assert v.problem().cell == "Trin!D4" and v.problem().message == v.message
    assert rules(template(Step(1, MAX, text=WARN))) == []


def test_negative_fee_is_refused() -> None:
    [v] = check_template(template(Step(1, Decimal(-1), text=WARN)), DK, CustomerKind.PERSON, cells(1))
    assert v.rule is LawRule.NEGATIVE_FEE and "negativt" in v.message and "Trin!D4" in v.message


def test_fees_for_at_most_the_law_s_number_of_reminders() -> None:
    allowed = [Step(1 if n == 0 else GAP, MAX, text="x") for n in range(DK.max_fee_reminders)]
    ok = template(*allowed, Step(GAP, Decimal(0), text=WARN))
    assert rules(ok) == []
    too_many = template(*allowed, Step(GAP, MAX, text=WARN))
    [v] = check_template(too_many, DK, CustomerKind.PERSON, cells(4))
    n = DK.max_fee_reminders + 1
    assert v.rule is LawRule.TOO_MANY_FEES and v.cell == f"Trin!D{n + 3}"
    assert f"højst kræves gebyr for {DK.max_fee_reminders} rykkere" in v.message and v.cell in v.message


def test_a_fee_needs_the_minimum_days_since_the_previous_reminder() -> None:
    assert rules(template(Step(1, text="x"), Step(GAP, MAX, text=WARN))) == []
    [v] = check_template(template(Step(1, text="x"), Step(GAP - 1, MAX, text=WARN)), DK, CustomerKind.PERSON,
                         cells(2))
    assert v.rule is LawRule.FEE_TOO_SOON and v.cell == "Trin!C5"
    assert f"kun {GAP - 1} dage efter trin 1" in v.message and f"mindst {GAP}" in v.message
    assert rules(template(Step(1, text="x"), Step(GAP - 1, Decimal(0), text=WARN))) == []  # no fee: no interval


def test_the_first_reminder_comes_after_the_due_date() -> None:
    assert rules(template(Step(DK.min_days_after_due, text=WARN))) == []
    [v] = check_template(template(Step(DK.min_days_after_due - 1, text=WARN)), DK, CustomerKind.PERSON, cells(1))
    assert v.rule is LawRule.BEFORE_DUE and v.cell == "Trin!C4" and "efter forfald" in v.message


def test_the_last_step_must_warn_of_collection() -> None:
    t = template(Step(1, text=WARN), Step(GAP, text="Husk at betale"))
    [v] = check_template(t, DK, CustomerKind.PERSON, cells(2))
    assert v.rule is LawRule.NO_COLLECTION_WARNING and v.cell == "Trin!F5"
    assert "inkassoloven § 10" in v.message and f"mindst {DK.collection_notice_days} dage" in v.message
    assert rules(template(Step(1, text="Husk at betale"), Step(GAP, text="Sendes til INKASSO"))) == []


def test_an_empty_template_is_refused() -> None:
    assert rules(template()) == [LawRule.NO_STEPS]


def test_compensation_only_for_business_and_only_once() -> None:
    once = template(Step(1, compensation=True, text="x"), Step(GAP, text=WARN))
    assert rules(once, CustomerKind.BUSINESS) == []
    [v] = check_template(once, DK, CustomerKind.PERSON, cells(2))
    assert v.rule is LawRule.COMPENSATION_NOT_BUSINESS and v.cell == "Trin!G4"
    assert "310,00 kr." in v.message and "§ 9 a" in v.message
    twice = template(Step(1, compensation=True, text="x"), Step(GAP, compensation=True, text=WARN))
    [v] = check_template(twice, DK, CustomerKind.BUSINESS, cells(2))
    assert v.rule is LawRule.COMPENSATION_TWICE and v.cell == "Trin!G5" and "trin 1" in v.message


def test_without_a_cell_the_message_names_template_step_and_field() -> None:
    [v] = check_template(template(Step(1, MAX * 2, text=WARN)), DK, CustomerKind.PERSON)
    assert v.cell == "Standard v1, trin 1: Gebyr" and v.cell in v.message


def test_every_violation_of_one_template_is_listed() -> None:
    bad = template(Step(0, MAX + 1, compensation=True, text="x"), Step(1, MAX, text="y"))
    assert set(rules(bad)) == {LawRule.BEFORE_DUE, LawRule.FEE_ABOVE_MAX, LawRule.COMPENSATION_NOT_BUSINESS,
                               LawRule.FEE_TOO_SOON, LawRule.NO_COLLECTION_WARNING}


def _d360(a: date, b: date) -> int:
    return 360 * (b.year - a.year) + 30 * (b.month - a.month) + min(b.day, 30) - min(a.day, 30)


def test_interest_within_one_period_is_reference_rate_plus_margin() -> None:
    period = DK.reference_rates[-1]
    start, end = period.valid_from + timedelta(days=9), period.valid_from + timedelta(days=70)
    amount = Decimal("12345.67")
    expected = amount * (period.rate + DK.interest_margin) / 100 * _d360(start, end) / 360
    assert interest(amount, start, end, DK) == expected.quantize(Decimal("0.01"))
    assert interest_rate(end, DK) == period.rate + DK.interest_margin


def test_interest_spanning_a_rate_change_uses_each_period_s_rate() -> None:
    old, new = DK.reference_rates[-2], DK.reference_rates[-1]
    start, end = new.valid_from - timedelta(days=20), new.valid_from + timedelta(days=40)
    last_old_day = new.valid_from - timedelta(days=1)
    expected = Decimal(1000) * ((old.rate + DK.interest_margin) * _d360(start, last_old_day)
                                + (new.rate + DK.interest_margin) * _d360(last_old_day, end)) / 100 / 360
    assert interest(Decimal(1000), start, end, DK) == expected.quantize(Decimal("0.01"))
    assert interest_rate(last_old_day, DK) != interest_rate(new.valid_from, DK)


def test_interest_with_actual_days() -> None:
    law = replace(DK, day_count=DayCount.ACTUAL_365)
    period = DK.reference_rates[-1]
    start, end = period.valid_from, period.valid_from + timedelta(days=31)
    expected = Decimal(500) * (period.rate + DK.interest_margin) / 100 * 31 / 365
    assert interest(Decimal(500), start, end, law) == expected.quantize(Decimal("0.01"))


def test_no_interest_before_the_due_date_has_passed() -> None:
    day = DK.reference_rates[-1].valid_from
    assert interest(Decimal(1000), day, day, DK) == 0


def test_a_period_without_a_reference_rate_is_refused_not_guessed() -> None:
    beyond = DK.reference_rates[-1].valid_from + timedelta(days=366)
    with pytest.raises(MissingReferenceRate, match="Tilføj satsen i bot/dunning/law.json"):
        interest(Decimal(1000), beyond - timedelta(days=30), beyond, DK)
    with pytest.raises(MissingReferenceRate):
        interest_rate(DK.reference_rates[0].valid_from - timedelta(days=1), DK)


def test_compensation_once_per_claim_for_business_customers() -> None:
    assert compensation(CustomerKind.BUSINESS, DK).amount == DK.business_compensation
    assert compensation(CustomerKind.BUSINESS, DK).currency == DK.currency
    assert compensation(CustomerKind.BUSINESS, DK, already_claimed=True).amount == 0
    assert compensation(CustomerKind.PERSON, DK).amount == 0


def test_handover_waits_the_notice_days_after_the_warning() -> None:
    sent = date(2026, 11, 2)
    assert (earliest_handover(sent, DK) - sent).days == DK.collection_notice_days


def _raw() -> dict[str, dict[str, object]]:
    from importlib import resources
    return dict(json.loads(resources.files("bot.dunning").joinpath("law.json").read_text(encoding="utf-8")))


def test_another_country_is_a_row_not_code() -> None:
    raw = _raw()
    raw["NO"] = dict(raw["DK"], name="Norge", currency="NOK", max_fee="35.00")
    laws = parse_laws(json.dumps(raw))
    assert laws["NO"].currency == "NOK"
    [v] = check_template(template(Step(1, Decimal(36), text=WARN)), laws["NO"], CustomerKind.PERSON)
    assert v.rule is LawRule.FEE_ABOVE_MAX and "35,00 NOK" in v.message


@pytest.mark.parametrize(("change", "message"), [
    (lambda r: r.pop("max_fee"), "'max_fee' mangler"),
    (lambda r: r.update(max_fee_reminders=-1), "'max_fee_reminders' skal være et helt tal"),
    (lambda r: r.update(max_fee="hundrede"), "'max_fee' skal være et tal"),
    (lambda r: r.update(day_count="360"), "day_count"),
    (lambda r: r.update(citations={"fee": "x"}), "'citations' skal have"),
    (lambda r: r.update(reference_rates=[{"valid_from": "2024-01-01", "rate": "1"}] * 2), "samme dato"),
])
def test_a_malformed_table_names_country_and_field(change: object, message: str) -> None:
    raw = _raw()
    assert callable(change)
    change(raw["DK"])
    with pytest.raises(LawTableError, match=message) as e:
        parse_laws(json.dumps(raw))
    assert "DK" in str(e.value)
    with pytest.raises(LawTableError, match="JSON"):
        parse_laws("{")
