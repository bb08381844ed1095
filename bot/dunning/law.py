"""The dunning law as data: one table per creditor country (``law.json``), checks and sums over it.

Denmark (renteloven, inkassoloven) is the first row; Norway and Finland are later rows of the same file, not
code. ``check_template`` refuses a step template that breaks the law, with Danish messages naming the sheet
cell the caller maps each step field to; ``interest`` sums the statutory interest over reference-rate
periods and refuses a period the table does not cover (the operator adds a rate every half-year);
``compensation`` is the one-time business compensation per claim.
"""

from __future__ import annotations

import calendar
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from importlib import resources
from typing import Any

from bot import formats
from bot.dunning.money import CENT, Money
from bot.dunning.templates import StepField, Template
from bot.errors import SettingProblem

__all__ = [
    "CustomerKind", "DayCount", "Law", "LawRule", "LawTableError", "LawViolation", "MissingReferenceRate",
    "RatePeriod", "check_template", "compensation", "earliest_handover", "interest", "interest_rate",
    "load_laws", "parse_laws",
]


class CustomerKind(StrEnum):
    PERSON = "Privatperson"
    BUSINESS = "Virksomhed"  # has a CVR number


class DayCount(StrEnum):
    THIRTY_360 = "30/360"  # 30-day months, 360-day year (Danish practice)
    ACTUAL_365 = "faktiske/365"


class LawRule(StrEnum):
    """Which rule a template breaks."""

    NEGATIVE_FEE = "Negativt gebyr"
    FEE_ABOVE_MAX = "Gebyr over lovens maksimum"
    TOO_MANY_FEES = "For mange rykkere med gebyr"
    FEE_TOO_SOON = "For kort tid før en rykker med gebyr"
    BEFORE_DUE = "Rykker før forfald"
    NO_STEPS = "Ingen trin"
    NO_COLLECTION_WARNING = "Mangler inkassovarsel"
    COMPENSATION_NOT_BUSINESS = "Kompensation kun for erhverv"
    COMPENSATION_TWICE = "Kompensation mere end én gang"


@dataclass(frozen=True)
class RatePeriod:
    valid_from: date
    rate: Decimal  # reference rate, percent per year


@dataclass(frozen=True)
class Law:
    country: str  # ISO code of the creditor's country, e.g. "DK"
    name: str
    currency: str
    max_fee: Decimal  # per reminder
    max_fee_reminders: int  # reminders per claim that may carry a fee
    min_days_between_fees: int  # before a fee-bearing reminder, since the previous reminder
    min_days_after_due: int  # the first reminder at the earliest this many days after the due date
    collection_warning_words: tuple[str, ...]  # the last step's text must contain one of them
    collection_notice_days: int  # days from the warning to the earliest hand-over
    business_compensation: Decimal  # per claim, business customers only
    interest_margin: Decimal  # percentage points above the reference rate
    day_count: DayCount
    rate_period_months: int  # a reference rate holds this long from its valid-from date at most
    reference_rates: tuple[RatePeriod, ...]  # sorted by valid_from
    rate_source: str
    cite_fee: str
    cite_compensation: str
    cite_interest: str
    cite_warning: str

    def money(self, amount: Decimal) -> Money:
        return Money(amount, self.currency)


class LawTableError(ValueError):
    """law.json is malformed: the operator must fix the file."""


class MissingReferenceRate(LookupError):
    """A period needs a reference rate the table does not hold yet."""


@dataclass(frozen=True)
class LawViolation:
    rule: LawRule
    cell: str  # e.g. "Trin!C5", or a description when the caller has no cell for it
    field: str  # "Standard v2, trin 2: Gebyr"
    message: str  # Danish: what is wrong, why (the law), what to write instead

    def problem(self) -> SettingProblem:
        return SettingProblem(self.cell, self.field, self.message)


def _parse_country(code: str, raw: Mapping[str, Any]) -> Law:
    def get(key: str) -> Any:
        if key not in raw:
            raise LawTableError(f"law.json, {code}: feltet '{key}' mangler")
        return raw[key]

    def number(key: str, value: Any = None) -> Decimal:
        try:
            return Decimal(str(get(key) if value is None else value))
        except InvalidOperation:
            raise LawTableError(f"law.json, {code}: '{key}' skal være et tal") from None

    def whole(key: str) -> int:
        value = get(key)
        if not isinstance(value, int) or value < 0:
            raise LawTableError(f"law.json, {code}: '{key}' skal være et helt tal, 0 eller mere")
        return value

    try:
        rates = tuple(sorted((RatePeriod(date.fromisoformat(r["valid_from"]), number("rate", r["rate"]))
                              for r in get("reference_rates")), key=lambda p: p.valid_from))
        day_count = DayCount(get("day_count"))
    except (KeyError, TypeError, ValueError) as e:
        raise LawTableError(f"law.json, {code}: reference_rates/day_count kan ikke læses ({e})") from None
    if len({p.valid_from for p in rates}) != len(rates):
        raise LawTableError(f"law.json, {code}: to referencesatser har samme dato")
    cites = get("citations")
    if not isinstance(cites, dict) or not {"fee", "compensation", "interest", "warning"} <= cites.keys():
        raise LawTableError(f"law.json, {code}: 'citations' skal have fee, compensation, interest og warning")
    return Law(
        country=code, name=str(get("name")), currency=str(get("currency")), max_fee=number("max_fee"),
        max_fee_reminders=whole("max_fee_reminders"), min_days_between_fees=whole("min_days_between_fees"),
        min_days_after_due=whole("min_days_after_due"),
        collection_warning_words=tuple(str(w).casefold() for w in get("collection_warning_words")),
        collection_notice_days=whole("collection_notice_days"),
        business_compensation=number("business_compensation"), interest_margin=number("interest_margin"),
        day_count=day_count, rate_period_months=whole("rate_period_months"), reference_rates=rates,
        rate_source=str(get("rate_source")), cite_fee=cites["fee"], cite_compensation=cites["compensation"],
        cite_interest=cites["interest"], cite_warning=cites["warning"],
    )


def parse_laws(text: str) -> dict[str, Law]:
    """The law table (JSON text) by country code; ``LawTableError`` names the country and field."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as e:
        raise LawTableError(f"law.json er ikke gyldig JSON: {e}") from None
    return {code: _parse_country(code, row) for code, row in raw.items() if not code.startswith("_")}


def load_laws() -> dict[str, Law]:
    """The law table shipped next to this module."""
    return parse_laws(resources.files("bot.dunning").joinpath("law.json").read_text(encoding="utf-8"))


def _where(cells: Mapping[tuple[int, StepField], str], template: Template, step: int,
           field: StepField) -> tuple[str, str]:
    label = f"{template.label}, trin {step}: {field.value}"
    return cells.get((step, field), label), label


def check_template(template: Template, law: Law, customer_kind: CustomerKind,
                   cells: Mapping[tuple[int, StepField], str] | None = None) -> list[LawViolation]:
    """Every way ``template`` breaks ``law`` for customers of ``customer_kind``, in step order; empty when
    lawful. ``cells`` maps (step number, field) to the sheet cell holding it, e.g. ``(2, StepField.FEE)`` ->
    "Trin!D6"; a field without a cell is named by template, step and field."""
    cells = cells or {}
    found: list[LawViolation] = []

    def add(rule: LawRule, step: int, field: StepField, message: str) -> None:
        cell, label = _where(cells, template, step, field)
        found.append(LawViolation(rule, cell, label, message.format(cell=cell)))

    top = law.money(law.max_fee).text()
    if not template.steps:
        found.append(LawViolation(LawRule.NO_STEPS, template.label, template.label,
                                  f"Skabelonen '{template.label}' har ingen trin. Tilføj mindst ét trin."))
    fee_steps = 0
    first_compensation = 0
    for n, step in enumerate(template.steps, start=1):
        if n == 1 and step.days < law.min_days_after_due:
            add(LawRule.BEFORE_DUE, n, StepField.DAYS,
                f"Første rykker må tidligst sendes {law.min_days_after_due} dag(e) efter forfald, fordi kunden "
                f"kan betale til og med forfaldsdagen. Skriv mindst {law.min_days_after_due} i {{cell}}.")
        if step.fee < 0:
            add(LawRule.NEGATIVE_FEE, n, StepField.FEE,
                f"Gebyret i {{cell}} er negativt. Skriv 0 eller et beløb op til {top}.")
        elif step.fee > law.max_fee:
            add(LawRule.FEE_ABOVE_MAX, n, StepField.FEE,
                f"Gebyret {law.money(step.fee).text()} i {{cell}} er over lovens grænse på {top} pr. rykker "
                f"({law.cite_fee}). Skriv højst {top}.")
        if step.fee > 0:
            fee_steps += 1
            if fee_steps > law.max_fee_reminders:
                add(LawRule.TOO_MANY_FEES, n, StepField.FEE,
                    f"Trin {n} er rykker nr. {fee_steps} med gebyr; der må højst kræves gebyr for "
                    f"{law.max_fee_reminders} rykkere pr. faktura ({law.cite_fee}). Skriv 0 i {{cell}}.")
            if n > 1 and step.days < law.min_days_between_fees:
                add(LawRule.FEE_TOO_SOON, n, StepField.DAYS,
                    f"Trin {n} har gebyr, men kommer kun {step.days} dage efter trin {n - 1}; der skal gå mindst "
                    f"{law.min_days_between_fees} dage før en rykker med gebyr ({law.cite_fee}). "
                    f"Skriv mindst {law.min_days_between_fees} i {{cell}}, eller sæt gebyret til 0.")
        if step.compensation:
            amount = law.money(law.business_compensation).text()
            if customer_kind is not CustomerKind.BUSINESS:
                add(LawRule.COMPENSATION_NOT_BUSINESS, n, StepField.COMPENSATION,
                    f"Kompensationen på {amount} kan kun kræves af erhvervskunder ({law.cite_compensation}); "
                    f"reglen gælder privatpersoner. Fjern den i {{cell}}.")
            elif first_compensation:
                add(LawRule.COMPENSATION_TWICE, n, StepField.COMPENSATION,
                    f"Kompensationen på {amount} kræves kun én gang pr. faktura ({law.cite_compensation}), og "
                    f"den står allerede på trin {first_compensation}. Fjern den i {{cell}}.")
            else:
                first_compensation = n
    if template.steps:
        last = len(template.steps)
        text = template.steps[-1].text.casefold()
        if not any(word in text for word in law.collection_warning_words):
            add(LawRule.NO_COLLECTION_WARNING, last, StepField.TEXT,
                f"Trin {last} er sidste rykker før inkasso og skal advare om, at kravet ellers sendes til "
                f"inkasso med yderligere omkostninger, med en frist på mindst {law.collection_notice_days} dage "
                f"({law.cite_warning}). Skriv det i teksten i {{cell}}.")
    return found


def compensation(customer_kind: CustomerKind, law: Law, *, already_claimed: bool = False) -> Money:
    """The one-time compensation for one late claim: the law's amount for a business customer whose claim
    has not had it yet, otherwise zero."""
    if customer_kind is CustomerKind.BUSINESS and not already_claimed:
        return law.money(law.business_compensation)
    return law.money(Decimal(0))


def earliest_handover(warning_sent_on: date, law: Law) -> date:
    """The first day a claim may go to collection after the reminder that warned of it."""
    return warning_sent_on + timedelta(days=law.collection_notice_days)


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _covered_until(law: Law) -> date | None:
    """The first day after the newest reference rate's period, or None when the table has no rates."""
    if not law.reference_rates:
        return None
    return _add_months(law.reference_rates[-1].valid_from, law.rate_period_months)


def interest_rate(on: date, law: Law) -> Decimal:
    """The statutory interest rate (percent per year) for day ``on``: the reference rate then in force plus
    the margin. ``MissingReferenceRate`` when the table has no rate covering ``on``."""
    current = None
    for period in law.reference_rates:
        if period.valid_from <= on:
            current = period
    end = _covered_until(law)
    if current is None or end is None or on >= end:
        raise MissingReferenceRate(
            f"Lovtabellen for {law.name} har ingen referencesats for {formats.day(on)}. Tilføj satsen i "
            f"bot/dunning/law.json under '{law.country}' (kilde: {law.rate_source}), før der beregnes renter.")
    return current.rate + law.interest_margin


def _days(start: date, end: date, count: DayCount) -> int:
    if count is DayCount.ACTUAL_365:
        return (end - start).days
    d1, d2 = min(start.day, 30), min(end.day, 30)
    return 360 * (end.year - start.year) + 30 * (end.month - start.month) + d2 - d1


def interest(amount: Decimal, start: date, end: date, law: Law) -> Decimal:
    """Simple interest on ``amount`` for the days after ``start`` (the due date) up to and including ``end``,
    each day at the rate in force on it, counted by the law's day count; rounded to øre. Zero when ``end`` is
    not after ``start``."""
    total = Decimal(0)
    year = 365 if law.day_count is DayCount.ACTUAL_365 else 360
    cursor = start
    while cursor < end:
        rate = interest_rate(cursor + timedelta(days=1), law)
        starts = [p.valid_from for p in law.reference_rates] + [d for d in [_covered_until(law)] if d]
        boundaries = [d - timedelta(days=1) for d in starts if cursor < d - timedelta(days=1) < end]
        stop = min([end, *boundaries])
        total += amount * rate / 100 * _days(cursor, stop, law.day_count) / year
        cursor = stop
    return total.quantize(CENT, rounding=ROUND_HALF_UP)
