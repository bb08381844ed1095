"""The run plan: one line per customer and currency with every invoice due a step, and a reason for the rest."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from bot.dunning.engine import ReminderLine, RunPlan, Skip, SkipKind, approved_line, plan_run
from bot.dunning.law import CustomerKind, check_template, load_laws
from bot.dunning.money import Money
from bot.dunning.pauses import Pause, PauseScope
from bot.dunning.rulegroups import Placement, Rule, RuleBook
from bot.dunning.templates import Channel, Step, StepRecord, Template, TemplateBook, revise
from bot.records import Contact, Customer, Invoice

LAW = load_laws()["DK"]
TODAY = date(2026, 11, 25)
WARN = "Betales beløbet ikke inden 10 dage, sendes kravet til inkasso med yderligere omkostninger."
STANDARD = Template("Standard", 1, (Step(5, Decimal(0), Channel.LEDGER, "Påmindelse"),
                                    Step(14, LAW.max_fee, Channel.EMAIL, "Rykker 2"),
                                    Step(10, LAW.max_fee, Channel.LETTER, WARN)))
ERHVERV_T = Template("Erhverv", 1, (Step(3, Decimal(0), Channel.LEDGER, "Påmindelse", compensation=True),
                                    Step(10, LAW.max_fee, Channel.LEDGER, WARN)))
VIP_T = Template("VIP", 1, (Step(30, text="Venlig påmindelse"), Step(30, text=WARN)))  # no fees, more days
BOOK = TemplateBook((STANDARD, ERHVERV_T, VIP_T))
RULES = RuleBook((Rule("Privat", "Standard", CustomerKind.PERSON, (Money(Decimal(100), "DKK"),)),
                  Rule("Erhverv", "Erhverv", CustomerKind.BUSINESS,
                       (Money(Decimal(100), "DKK"), Money(Decimal(20), "EUR"))),
                  Rule("VIP", "VIP", CustomerKind.BUSINESS)))
S1 = STANDARD.step(1).days


def customer(number: int, cvr: str = "", country: str = "DK", email: str | None = None, active: bool = True,
             address: str = "Vej 1") -> Customer:
    return Customer(number=number, name=f"Kunde {number}", cvr=cvr, country=country,
                    email=f"k{number}@x.dk" if email is None else email, group="", payment_term=1, active=active,
                    address=address, postal_code="8000", city="Aarhus")


def inv(number: int, customer: int, amount: str, overdue: int, remaining: str | None = None,
        currency: str = "DKK") -> Invoice:
    due = TODAY - timedelta(days=overdue)
    return Invoice(number, customer, due - timedelta(days=8), due, Decimal(amount),
                   Decimal(amount if remaining is None else remaining), currency)


def rec(invoice: int, step: int, days_ago: int, t: Template = STANDARD, fee: Decimal = Decimal(0),
        compensation: bool = False) -> StepRecord:
    return StepRecord(invoice, t.name, t.version, step, TODAY - timedelta(days=days_ago), fee, compensation)


def plan(customers: list[Customer], invoices: list[Invoice], history: list[StepRecord] | None = None,
         pauses: list[Pause] | None = None, rules: RuleBook = RULES, book: TemplateBook = BOOK,
         today: date = TODAY) -> RunPlan:
    return plan_run(customers, invoices, history or [], book, rules, pauses or [], LAW, today)


def only_line(p: RunPlan) -> ReminderLine:
    assert p.skips == ()
    [line] = p.lines
    return line


def only_skip(p: RunPlan, kind: SkipKind) -> Skip:
    assert p.lines == ()
    [skip] = p.skips
    assert skip.kind is kind
    return skip


def test_the_test_templates_are_lawful() -> None:
    assert check_template(STANDARD, LAW, CustomerKind.PERSON) == []
    assert check_template(ERHVERV_T, LAW, CustomerKind.BUSINESS) == []
    assert check_template(VIP_T, LAW, CustomerKind.BUSINESS) == []


@pytest.mark.parametrize("offset", [-1, 0, 1])
def test_step_one_is_due_on_its_day_and_after(offset: int) -> None:
    p = plan([customer(1)], [inv(10, 1, "500", overdue=S1 + offset)])
    if offset < 0:
        skip = only_skip(p, SkipKind.NOT_DUE)
        assert format(TODAY + timedelta(days=1), "%d-%m-%Y") in skip.reason
    else:
        line = only_line(p)
        assert (line.step, line.invoice_numbers, line.channel, line.text) == (1, (10,), Channel.LEDGER, "Påmindelse")
        assert line.amount == Money(Decimal(500), "DKK") and line.fee == Money.zero("DKK")


@pytest.mark.parametrize("offset", [-1, 0, 1])
def test_a_later_step_counts_from_the_previous_reminder(offset: int) -> None:
    days_ago = STANDARD.step(2).days + offset
    p = plan([customer(1)], [inv(10, 1, "500", overdue=60)], [rec(10, 1, days_ago)])
    if offset < 0:
        only_skip(p, SkipKind.NOT_DUE)
    else:
        line = only_line(p)
        assert line.step == 2 and line.fee == LAW.money(STANDARD.step(2).fee) and line.channel is Channel.EMAIL


def test_one_reminder_per_customer_covers_every_invoice_due_a_step() -> None:
    invoices = [inv(10, 1, "500", overdue=60), inv(11, 1, "200", overdue=S1), inv(12, 1, "900", overdue=1)]
    line = only_line(plan([customer(1)], invoices, [rec(10, 1, STANDARD.step(2).days)]))
    assert line.invoice_numbers == (10, 11)  # 12 is not yet due a step and is not on the line
    assert [i.step for i in line.items] == [2, 1]
    assert line.step == 2 and line.text == STANDARD.step(2).text
    assert line.amount == Money(Decimal(700), "DKK") and line.fee == LAW.money(STANDARD.step(2).fee)
    assert line.line_id == "R-1-DKK-2-10"


def test_an_invoice_started_on_v1_stays_on_v1_after_v2_is_made() -> None:
    v2 = revise(STANDARD, (Step(S1 + 20, text="Ny"), *STANDARD.steps[1:]), BOOK)
    book = BOOK.add(v2)
    old, new = inv(10, 1, "500", overdue=40), inv(11, 1, "500", overdue=S1)
    line = only_line(plan([customer(1)], [old, new], [rec(10, 1, STANDARD.step(2).days)], book=book))
    assert [(i.invoice.number, i.template.label, i.step) for i in line.items] == [(10, "Standard v1", 2)]
    p = plan([customer(1)], [new], book=book)  # a new invoice starts on v2 and is not due at v1's days
    assert only_skip(p, SkipKind.NOT_DUE)
    assert only_line(plan([customer(1)], [inv(11, 1, "500", overdue=S1 + 20)], book=book)).template == v2


def test_netting_the_issue_s_cases() -> None:
    skip = only_skip(plan([customer(1)], [inv(10, 1, "1000", overdue=30), inv(11, 1, "-1000", overdue=30)]),
                     SkipKind.BALANCE)
    assert "0,00 kr." in skip.reason
    only_skip(plan([customer(1)], [inv(10, 1, "300", overdue=30), inv(11, 1, "-900", overdue=30)]), SkipKind.BALANCE)


def test_a_credit_covering_the_overdue_invoices_leaves_nothing_to_remind() -> None:
    invoices = [inv(10, 1, "300", overdue=30), inv(11, 1, "5000", overdue=-10), inv(12, 1, "-500", overdue=0)]
    skip = only_skip(plan([customer(1)], invoices), SkipKind.BALANCE)
    assert "500,00 kr." in skip.reason


def test_a_part_paid_invoice_is_reminded_for_the_remainder_and_credit_is_named() -> None:
    invoices = [inv(10, 1, "1000", overdue=30, remaining="600"), inv(11, 1, "-100", overdue=30)]
    line = only_line(plan([customer(1)], invoices))
    assert line.amount == Money(Decimal(600) - Decimal(100), "DKK") and line.credits == (invoices[1],)


def test_eur_and_dkk_are_separate_lines_and_fees_stay_in_the_creditor_s_currency() -> None:
    c = customer(2, cvr="12345678")
    invoices = [inv(10, 2, "4000", overdue=30, currency="EUR"), inv(11, 2, "300", overdue=30)]
    p = plan([c], invoices, [rec(10, 1, 20, ERHVERV_T), rec(11, 1, 20, ERHVERV_T)])
    assert p.skips == ()
    by_currency = {line.currency: line for line in p.lines}
    assert by_currency["EUR"].amount == Money(Decimal(4000), "EUR")
    assert by_currency["DKK"].amount == Money(Decimal(300), "DKK")
    assert {line.fee.currency for line in p.lines} == {LAW.currency}


def test_placement_person_company_foreign_and_moved() -> None:
    invoices = [inv(10 + n, n, "500", overdue=40) for n in range(1, 5)]
    customers = [customer(1), customer(2, cvr="12345678"), customer(3, country="DE"), customer(4, country="SE")]
    rules = RuleBook(RULES.rules, (Placement(4, "Privat"),))
    p = plan(customers, invoices, rules=rules)
    assert {line.customer_number: line.rule for line in p.lines} == {1: "Privat", 2: "Erhverv", 4: "Privat"}
    [skip] = p.skips
    assert (skip.customer_number, skip.kind) == (3, SkipKind.BLOCKED) and "'DE'" in skip.reason


def test_a_vip_rule_has_no_fees_and_more_days() -> None:
    rules = RuleBook(RULES.rules, (Placement(1, "VIP"),))
    p = plan([customer(1)], [inv(10, 1, "500", overdue=VIP_T.step(1).days - 1)], rules=rules)
    only_skip(p, SkipKind.NOT_DUE)  # a Standard customer would have had step 1 by now
    history = [rec(10, 1, VIP_T.step(2).days, VIP_T)]
    line = only_line(plan([customer(1)], [inv(10, 1, "500", overdue=90)], history, rules=rules))
    assert line.rule == "VIP" and line.step == 2 and line.fee == Money.zero("DKK")


@pytest.mark.parametrize(("offset", "paused"), [(-1, True), (0, True), (1, False)])
def test_a_paused_customer_is_left_out_through_the_end_date(offset: int, paused: bool) -> None:
    pause = Pause(PauseScope.CUSTOMER, 1, TODAY - timedelta(days=offset), "Tvist")
    p = plan([customer(1)], [inv(10, 1, "500", overdue=30)], pauses=[pause])
    if paused:
        assert "Tvist" in only_skip(p, SkipKind.PAUSED).reason
    else:
        assert only_line(p).invoice_numbers == (10,)


def test_a_paused_invoice_is_left_off_the_line_and_named() -> None:
    pause = Pause(PauseScope.INVOICE, 11, TODAY, "Betalingsaftale")
    invoices = [inv(10, 1, "500", overdue=30), inv(11, 1, "700", overdue=30)]
    line = only_line(plan([customer(1)], invoices, pauses=[pause]))
    assert line.invoice_numbers == (10,) and line.amount.amount == 500 and "Betalingsaftale" in line.notes[0]
    skip = only_skip(plan([customer(1)], invoices[1:], pauses=[pause]), SkipKind.PAUSED)
    assert "Faktura 11" in skip.reason


@pytest.mark.parametrize(("amount", "currency", "due"), [
    ("99.99", "DKK", False), ("100", "DKK", True), ("19.99", "EUR", False), ("20", "EUR", True)])
def test_minimum_amount_per_currency(amount: str, currency: str, due: bool) -> None:
    p = plan([customer(2, cvr="1")], [inv(10, 2, amount, overdue=30, currency=currency)])
    if due:
        assert only_line(p).amount == Money(Decimal(amount), currency)
    else:
        assert "minimumsbeløbet" in only_skip(p, SkipKind.BELOW_MINIMUM).reason


def test_no_next_step_after_the_last() -> None:
    history = [rec(10, n, 40 - 10 * n) for n in (1, 2, 3)]
    skip = only_skip(plan([customer(1)], [inv(10, 1, "500", overdue=60)], history), SkipKind.NO_NEXT_STEP)
    assert "'Privat'" in skip.reason and "10" in skip.reason


def test_inactive_and_unknown_customers_are_left_out() -> None:
    p = plan([customer(1, active=False)], [inv(10, 1, "500", overdue=30), inv(11, 9, "500", overdue=30)])
    assert [(s.customer_number, s.kind) for s in p.skips] == [(1, SkipKind.INACTIVE), (9, SkipKind.UNKNOWN_CUSTOMER)]


@pytest.mark.parametrize("email", ["", "foo@", "ingen"])
def test_no_usable_email_when_the_step_needs_one(email: str) -> None:
    skip = only_skip(plan([customer(1, email=email)], [inv(10, 1, "500", overdue=30)]), SkipKind.NO_CONTACT)
    assert "e-mailadresse" in skip.reason and (email in skip.reason)


def test_a_contact_s_email_is_enough() -> None:
    c = replace(customer(1, email=""), contacts=(Contact("Bo", "Bogholder", "bo@x.dk"),))
    assert only_line(plan([c], [inv(10, 1, "500", overdue=30)])).recipients == ("bo@x.dk",)


def test_a_letter_needs_a_postal_address() -> None:
    history = [rec(10, 1, 30), rec(10, 2, STANDARD.step(3).days)]
    skip = only_skip(plan([customer(1, address="")], [inv(10, 1, "500", overdue=60)], history), SkipKind.NO_CONTACT)
    assert "postadresse" in skip.reason


def test_the_law_decides_the_fee_at_run_time() -> None:
    gap = LAW.min_days_between_fees - 1
    hasty = Template("Standard", 1, (Step(S1, text="x"), Step(gap, LAW.max_fee, text=WARN)))  # refused by the law
    line = only_line(plan([customer(1)], [inv(10, 1, "500", overdue=60)], [rec(10, 1, gap)],
                          book=TemplateBook((hasty,))))
    assert line.step == 2 and line.fee == Money.zero("DKK") and f"kun {gap} dage" in line.notes[0]
    three = [rec(10, n, 100 - n, fee=LAW.max_fee) for n in range(1, LAW.max_fee_reminders + 1)]
    many = Template("Lang", 1, tuple(Step(10, LAW.max_fee, text=WARN) for _ in range(5)))
    history = [replace(r, template="Lang") for r in three]
    line = only_line(plan([customer(1)], [inv(10, 1, "500", overdue=120)], history, book=BOOK.add(many)))
    assert line.fee == Money.zero("DKK") and f"loven tillader {LAW.max_fee_reminders}" in line.notes[0]


def test_a_fee_above_the_law_in_a_template_is_never_charged() -> None:
    greedy = Template("Standard", 1, (Step(S1, Decimal(250), text=WARN),))
    line = only_line(plan([customer(1)], [inv(10, 1, "500", overdue=30)], book=TemplateBook((greedy,))))
    assert line.fee == LAW.money(LAW.max_fee)


def test_business_compensation_once_per_invoice() -> None:
    c = customer(2, cvr="12345678")
    line = only_line(plan([c], [inv(10, 2, "500", overdue=30), inv(11, 2, "500", overdue=30)]))
    assert line.compensation == LAW.money(LAW.business_compensation * 2)
    assert [i.compensation for i in line.items] == [LAW.business_compensation] * 2
    person = RuleBook(RULES.rules, (Placement(1, "Erhverv"),))  # a person moved to the business rule
    assert only_line(plan([customer(1)], [inv(10, 1, "500", overdue=30)], rules=person)).compensation.amount == 0


def test_a_missing_template_version_is_named() -> None:
    history = [StepRecord(10, "Standard", 7, 1, TODAY - timedelta(days=30))]
    skip = only_skip(plan([customer(1)], [inv(10, 1, "500", overdue=60)], history), SkipKind.TEMPLATE_MISSING)
    assert "Standard v7" in skip.reason


def test_customers_with_nothing_overdue_are_not_mentioned_and_lines_are_ordered() -> None:
    customers = [customer(1), customer(2), customer(3)]
    invoices = [inv(10, 1, "500", overdue=30), inv(20, 2, "500", overdue=60), inv(30, 3, "500", overdue=0)]
    p = plan(customers, invoices, [rec(20, 1, STANDARD.step(2).days)])
    assert p.skips == () and [(line.customer_number, line.step) for line in p.lines] == [(2, 2), (1, 1)]


def test_send_exactly_what_was_approved() -> None:
    proposal = plan([customer(1)], [inv(10, 1, "500", overdue=60), inv(11, 1, "-100", overdue=60)],
                    [rec(10, 1, STANDARD.step(2).days)])
    approved = only_line(proposal).invoice_numbers
    later = TODAY + timedelta(days=2)  # sent two days later: invoice 12 has fallen due since the proposal
    invoices = [inv(10, 1, "500", overdue=60), inv(11, 1, "-100", overdue=60), inv(12, 1, "900", overdue=S1 - 2)]
    fresh = plan([customer(1)], invoices, [rec(10, 1, STANDARD.step(2).days)], today=later)
    assert only_line(fresh).invoice_numbers == (10, 12)
    line = approved_line(fresh, 1, "DKK", approved)
    assert isinstance(line, ReminderLine)
    assert line.invoice_numbers == (10,) and line.amount == Money(Decimal(400), "DKK")
    assert (line.step, line.fee) == (2, LAW.money(STANDARD.step(2).fee))


def test_an_approved_row_no_longer_due_is_refused_with_the_reason() -> None:
    fresh = plan([customer(1)], [inv(10, 1, "500", overdue=30), inv(11, 1, "-500", overdue=30)])
    reason = approved_line(fresh, 1, "DKK", [10])
    assert isinstance(reason, str) and "intet at rykke for" in reason
    paid = plan([customer(1)], [inv(12, 1, "500", overdue=30)])
    assert approved_line(paid, 1, "DKK", [10]) == (
        "Ingen af de godkendte fakturaer skal rykkes længere (betalt, krediteret eller sat på pause).")
    assert approved_line(plan([customer(1)], []), 1, "DKK", [10]) == (
        "Kunden skal ikke rykkes i dag: de godkendte fakturaer er betalt, krediteret eller allerede rykket.")
    credit = plan([customer(1)], [inv(10, 1, "500", overdue=30), inv(11, 1, "300", overdue=30),
                                  inv(12, 1, "-600", overdue=30)])
    reason = approved_line(credit, 1, "DKK", [11])
    assert isinstance(reason, str) and "Kreditnotaer dækker nu" in reason


def test_a_moved_customer_finishes_started_invoices_on_their_template() -> None:
    rules = RuleBook(RULES.rules, (Placement(1, "VIP"),))
    invoices = [inv(10, 1, "500", overdue=60), inv(11, 1, "500", overdue=VIP_T.step(1).days)]
    line = only_line(plan([customer(1)], invoices, [rec(10, 1, STANDARD.step(2).days)], rules=rules))
    assert [(i.invoice.number, i.template.name, i.step) for i in line.items] == [(10, "Standard", 2), (11, "VIP", 1)]
    assert line.rule == "VIP" and line.template == STANDARD and line.fee == LAW.money(STANDARD.step(2).fee)
