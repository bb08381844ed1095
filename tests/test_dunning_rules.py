"""Which reminder candidates become proposals, with which fee and text, in which order, and why not."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from bot.dunning.models import LevelPolicy, Policy
from bot.dunning.rules import explain_skips, kroner, name_key, propose_reminders
from bot.ledger.models import Customer, PaymentTerm, ReminderCandidate

TODAY = date(2026, 10, 29)

TERMS = (PaymentTerm(1, "Netto 8 dage", 8), PaymentTerm(2, "Løbende måned + 30", 30), PaymentTerm(3, "Kontant", 0))


def customer(number: int, group: str = "Erhverv", term: int = 1, active: bool = True) -> Customer:
    return Customer(number=number, name=f"Kunde {number}", cvr="", country="DK", email=f"k{number}@x.dk",
                    group=group, payment_term=term, active=active)


CUSTOMERS = (
    customer(1001),
    customer(1002, group="Koncern"),
    customer(1003, term=2),
    customer(1004, active=False),
    customer(1005, group="  offentlig "),
    customer(1006),
)

POLICY = Policy(
    levels=(
        LevelPolicy(1, 10, Decimal("0"), "Tekst 1"),
        LevelPolicy(2, 14, Decimal("100"), "Tekst 2"),
        LevelPolicy(3, 10, Decimal("100.00"), "Tekst 3"),
    ),
    exclude_customers=frozenset({1006}),
    exclude_groups=frozenset({"KONCERN", "Offentlig"}),
    exclude_terms=frozenset({"løbende  måned + 30"}),
    minimum_amount=Decimal("100"),
)


def cand(number: int = 1001, level: int = 1, invoices: tuple[int, ...] = (5001,), amount: str = "500",
         days_overdue: int = 20, last: date | None = None) -> ReminderCandidate:
    return ReminderCandidate(
        customer_number=number, customer_name=f"Kunde {number}", level=level, invoice_numbers=invoices,
        amount=Decimal(amount), oldest_due_date=TODAY - timedelta(days=days_overdue), days_overdue=days_overdue,
        last_reminder_date=last,
    )


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def run(*candidates: ReminderCandidate, policy: Policy = POLICY) -> list[str]:
    return [p.proposal_id for p in propose_reminders(candidates, CUSTOMERS, TERMS, policy, TODAY)]


def why(candidate: ReminderCandidate, policy: Policy = POLICY) -> str:
    skips = explain_skips([candidate], CUSTOMERS, TERMS, policy, TODAY)
    assert [c for c, _r in skips] == [candidate]
    assert run(candidate, policy=policy) == []
    return skips[0][1]


def test_a_due_candidate_becomes_a_priced_proposal() -> None:
    c = cand(level=2, invoices=(5009, 5003, 5007), amount="1234.50", days_overdue=40, last=ago(14))
    [p] = propose_reminders([c], CUSTOMERS, TERMS, POLICY, TODAY)
    assert p.proposal_id == "R-1001-2-5003"
    assert (p.customer_number, p.customer_name, p.level) == (1001, "Kunde 1001", 2)
    assert p.invoice_numbers == (5003, 5007, 5009)
    assert (p.amount, p.oldest_due, p.days_overdue) == (Decimal("1234.50"), ago(40), 40)
    assert (p.fee, p.text) == (Decimal("100"), "Tekst 2")
    assert explain_skips([c], CUSTOMERS, TERMS, POLICY, TODAY) == []


@pytest.mark.parametrize(("candidate", "reason"), [
    (cand(number=9999), "Kunden findes ikke i regnskabets kundeliste."),
    (cand(number=1004), "Kunden er markeret som inaktiv i regnskabet."),
    (cand(number=1006), "Kundenummeret er undtaget i Instruks."),
    (cand(number=1002), "Kundegruppen 'Koncern' er undtaget i Instruks."),
    (cand(number=1005), "Kundegruppen '  offentlig ' er undtaget i Instruks."),
    (cand(number=1003), "Kundens betalingsbetingelse er undtaget i Instruks."),
    (cand(amount="99.99"), "Beløbet 99,99 kr. er under minimumsbeløbet 100,00 kr."),
    (cand(amount="0"), "Intet skyldigt beløb (kreditnotaer dækker fakturaerne)."),
    (cand(amount="-50"), "Intet skyldigt beløb (kreditnotaer dækker fakturaerne)."),
    (cand(days_overdue=9), "Kun 9 dage over forfald; rykker 1 sendes efter 10 dage."),
    (cand(level=2, last=ago(13)), "Kun 13 dage siden rykker 1; rykker 2 sendes efter 14 dage."),
    (cand(level=3, last=ago(9)), "Kun 9 dage siden rykker 2; rykker 3 sendes efter 10 dage."),
    (cand(level=2, last=None), "Datoen for rykker 1 kendes ikke."),
    (cand(level=3, last=None), "Datoen for rykker 2 kendes ikke."),
    (cand(level=4, last=ago(30)), "Ukendt rykkerniveau 4 fra regnskabet."),
    (cand(invoices=()), "Linjen fra regnskabet nævner ingen fakturaer."),
])
def test_each_rule_leaves_the_candidate_out_with_its_reason(candidate: ReminderCandidate, reason: str) -> None:
    assert why(candidate) == reason


@pytest.mark.parametrize("candidate", [
    cand(amount="100"),  # exactly the minimum
    cand(amount="100.00"),
    cand(days_overdue=10),  # exactly level 1 days
    cand(level=2, last=ago(14)),  # exactly level 2 days since reminder 1
    cand(level=3, last=ago(10)),  # exactly level 3 days since reminder 2
    cand(number=1001, level=1, last=ago(1)),  # level 1 ignores a last reminder date
])
def test_boundaries_are_due(candidate: ReminderCandidate) -> None:
    assert len(run(candidate)) == 1


def test_level_1_uses_the_ledgers_days_overdue_and_zero_days_means_on_the_due_date() -> None:
    lenient = replace(POLICY, levels=(LevelPolicy(1, 0, Decimal(0), "T1"), *POLICY.levels[1:]))
    assert run(cand(days_overdue=0), policy=lenient) == ["R-1001-1-5001"]


def test_an_unknown_payment_term_excludes_nothing() -> None:
    customers = (*CUSTOMERS, customer(1007, term=99))
    assert len(propose_reminders([cand(number=1007)], customers, TERMS, POLICY, TODAY)) == 1


def test_no_exclusions_and_zero_minimum() -> None:
    open_policy = Policy(levels=POLICY.levels)
    got = run(cand(number=1002, amount="0.01"), cand(number=1003), cand(number=1006), policy=open_policy)
    assert got == ["R-1002-1-5001", "R-1003-1-5001", "R-1006-1-5001"]


def test_the_same_line_twice_is_proposed_once() -> None:
    c = cand()
    assert run(c, c) == ["R-1001-1-5001"]
    [(_c, reason)] = explain_skips([c, c], CUSTOMERS, TERMS, POLICY, TODAY)
    assert reason == "Samme forslag (R-1001-1-5001) står allerede på listen."


def test_one_customer_can_get_several_levels() -> None:
    got = run(cand(level=1, invoices=(5010,)), cand(level=3, invoices=(5001,), last=ago(11)))
    assert got == ["R-1001-3-5001", "R-1001-1-5010"]


def test_fee_and_text_come_from_the_policy_level() -> None:
    proposals = propose_reminders(
        [cand(level=1), cand(number=1001, level=2, invoices=(2,), last=ago(20)),
         cand(level=3, invoices=(3,), last=ago(20))], CUSTOMERS, TERMS, POLICY, TODAY)
    assert [(p.level, p.fee, p.text) for p in proposals] == [
        (3, Decimal(100), "Tekst 3"), (2, Decimal(100), "Tekst 2"), (1, Decimal(0), "Tekst 1")]


def test_order_is_level_desc_then_days_overdue_desc_then_customer() -> None:
    lines = [
        cand(number=1001, level=1, days_overdue=30),
        cand(number=9, level=1, days_overdue=30),  # unknown customer: left out
        cand(number=1001, level=3, invoices=(7,), days_overdue=50, last=ago(10)),
        cand(number=1001, level=2, invoices=(8,), days_overdue=60, last=ago(20)),
        cand(number=1001, level=2, invoices=(9,), days_overdue=61, last=ago(20)),
        cand(number=1001, level=1, invoices=(4,), days_overdue=31),
    ]
    customers = (*CUSTOMERS, customer(1000))
    lines.append(cand(number=1000, level=1, days_overdue=30))
    expected = ["R-1001-3-7", "R-1001-2-9", "R-1001-2-8", "R-1001-1-4", "R-1000-1-5001", "R-1001-1-5001"]
    orders = [lines[i:] + lines[:i] for i in range(len(lines))]  # property-style: input order does not matter
    for order in orders + [list(reversed(o)) for o in orders]:
        got = propose_reminders(order, customers, TERMS, POLICY, TODAY)
        assert [p.proposal_id for p in got] == expected


def test_explain_skips_keeps_input_order_and_lists_only_the_left_out() -> None:
    lines = [cand(number=1004), cand(), cand(number=1002), cand(amount="1")]
    assert [(c.customer_number, r.split(" ")[0]) for c, r in explain_skips(lines, CUSTOMERS, TERMS, POLICY, TODAY)
            ] == [(1004, "Kunden"), (1002, "Kundegruppen"), (1001, "Beløbet")]


def test_every_candidate_is_either_proposed_or_explained() -> None:
    lines = [cand(number=n, level=lv, invoices=(n * 10 + lv,), amount=a, days_overdue=d, last=ago(s))
             for n in (1001, 1002, 1004, 9999) for lv in (1, 2, 3) for a in ("50", "100", "5000")
             for d in (5, 10, 40) for s in (5, 10, 14, 30)]
    proposed = propose_reminders(lines, CUSTOMERS, TERMS, POLICY, TODAY)
    skipped = explain_skips(lines, CUSTOMERS, TERMS, POLICY, TODAY)
    assert len(proposed) + len(skipped) == len(lines)
    assert len({p.proposal_id for p in proposed}) == len(proposed)
    assert {p.customer_number for p in proposed} == {1001}


@pytest.mark.parametrize(("a", "b"), [("Netto 8 dage", " netto  8 DAGE "), ("Løbende", "LØBENDE")])
def test_name_key(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(("amount", "text"), [("0", "0,00 kr."), ("1234.5", "1.234,50 kr."),
                                              ("1000000", "1.000.000,00 kr."), ("-12.3", "-12,30 kr.")])
def test_kroner(amount: str, text: str) -> None:
    assert kroner(Decimal(amount)) == text
