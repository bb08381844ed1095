"""Issue 11: the rule tabs parsed into templates, rules, placements and pauses; the law checked per rule with
the cell named, before anything is sent."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from bot.dunning.law import CustomerKind, load_laws
from bot.dunning.money import Money
from bot.dunning.pauses import Pause, PauseScope
from bot.dunning.sheet_rules import parse_rules
from bot.dunning.templates import Channel
from bot.errors import SettingsError
from sheets_schema import CHANNELS, CUSTOMER_KINDS, PAUSE_SCOPES, SKABELONER

LAW = load_laws()["DK"]


@dataclass(frozen=True)
class R:
    number: int
    values: Mapping[str, Any]


def step(row: int, label: str, n: int, days: int, fee: str, text: str = "Betal venligst", *,
         channel: str = "", comp: str = "") -> R:
    return R(row, {"template": label, "step": n, "days": days, "fee": Decimal(fee), "channel": channel,
                   "compensation": comp, "text": text})


def rule(row: int, name: str, template: str, kind: str, dkk: str | None = None, eur: str | None = None,
         other: str = "") -> R:
    return R(row, {"rule": name, "template": template, "kind": kind,
                   "minimum_dkk": None if dkk is None else Decimal(dkk),
                   "minimum_eur": None if eur is None else Decimal(eur), "minimum_other": other})


STANDARD = [step(2, "Standard v1", 1, 10, "0"), step(3, "Standard v1", 2, 10, "100"),
            step(4, "Standard v1", 3, 10, "100", "Ellers sendes kravet til inkasso.")]
VIP = [step(5, "VIP v1", 1, 30, "0", "Venlig påmindelse; herefter inkasso.", channel="E-mail til kunden")]
RULES = [rule(2, "Privat", "Standard", "Privatperson", "100"), rule(3, "Erhverv", "Standard", "Virksomhed", "100",
                                                                      "15", "500 SEK; 400,50 NOK"),
         rule(4, "VIP", "VIP", "Virksomhed")]


def test_the_tabs_become_the_engines_rules() -> None:
    placements = [R(2, {"customer_number": 1001, "rule": "vip", "comment": ""})]
    pauses = [R(2, {"scope": "Faktura", "number": 20001, "until": date(2026, 12, 15), "reason": "Tvist"})]
    got = parse_rules([*STANDARD, *VIP], RULES, placements, pauses, LAW)
    assert [t.label for t in got.templates.templates] == ["Standard v1", "VIP v1"]
    assert got.templates.latest("VIP").steps[0].channel is Channel.EMAIL
    assert got.templates.latest("Standard").steps[0].channel is Channel.LEDGER  # empty: the ledger's reminder
    erhverv = got.rules.rule("Erhverv")
    assert erhverv is not None and erhverv.kind is CustomerKind.BUSINESS
    assert erhverv.minimum("EUR") == Money(Decimal(15), "EUR")
    assert erhverv.minimum("SEK") == Money(Decimal(500), "SEK")
    assert erhverv.minimum("NOK") == Money(Decimal("400.50"), "NOK")
    assert got.rules.placement(1001) is not None
    assert got.pauses == (Pause(PauseScope.INVOICE, 20001, date(2026, 12, 15), "Tvist"),)


def test_a_fee_above_the_law_is_refused_naming_the_cell() -> None:
    bad = [*STANDARD[:2], step(4, "Standard v1", 3, 10, "250", "Ellers inkasso.")]
    with pytest.raises(SettingsError) as err:
        parse_rules(bad, RULES[:1], [], [], LAW)
    (problem,) = err.value.problems
    assert problem.cell == f"Skabeloner!{SKABELONER.letter('fee')}4"
    assert "100,00 kr." in problem.message and "renteloven § 9 b" in problem.message


def test_every_version_is_checked_for_each_rules_customer_kind() -> None:
    comp = [step(2, "Standard v1", 1, 10, "0", "Ellers inkasso.", comp="Ja")]
    with pytest.raises(SettingsError) as err:
        parse_rules(comp, [rule(2, "Privat", "Standard", "Privatperson")], [], [], LAW)
    (problem,) = err.value.problems
    assert problem.cell == f"Skabeloner!{SKABELONER.letter('compensation')}2"
    parse_rules(comp, [rule(2, "Erhverv", "Standard", "Virksomhed")], [], [], LAW)  # a business may claim it


def test_every_problem_at_once_each_with_its_cell() -> None:
    templates = [step(2, "Standard v1", 1, 10, "0"), step(3, "Standard v1", 3, 10, "0", "inkasso"),
                 R(4, {"template": "", "step": 1, "days": 1, "fee": None, "channel": "", "compensation": "",
                       "text": "x"}),
                 step(5, "VIP v1", 1, 10, "0", "inkasso", channel="Fax")]
    rules = [rule(2, "Privat", "Standrad", "Privatperson"), rule(3, "Erhverv", "Standard", "")]
    placements = [R(2, {"customer_number": 1001, "rule": "Guld", "comment": ""})]
    pauses = [R(2, {"scope": "Kunden", "number": None, "until": None, "reason": ""})]
    with pytest.raises(SettingsError) as err:
        parse_rules(templates, rules, placements, pauses, LAW)
    cells = {p.cell for p in err.value.problems}
    assert {"Skabeloner!A4", "Skabeloner!E5", "Regler!B2", "Regler!C3", "Kundeplacering!B2", "Pauser!A2",
            "Pauser!B2", "Pauser!C2"} <= cells
    assert any("Trin 2 mangler" in p.message for p in err.value.problems)


def test_the_dropdowns_hold_the_engines_texts() -> None:
    assert tuple(c.value for c in Channel) == CHANNELS
    assert tuple(k.value for k in CustomerKind) == CUSTOMER_KINDS
    assert tuple(s.value for s in PauseScope) == PAUSE_SCOPES


def _lock(rows: list[R]) -> list[R]:
    """The rows as the robot locks them: each with the seal ``to_lock`` gives it."""
    seals = parse_rules(rows, RULES[:1], [], [], LAW).to_lock([("Standard", 1)])
    return [R(r.number, {**r.values, "locked": seals.get(r.number, "")}) for r in rows]


def test_a_used_version_is_locked_and_a_change_to_it_is_refused_asking_for_a_new_version() -> None:
    locked = _lock(STANDARD)
    got = parse_rules([*locked, *VIP], RULES, [], [], LAW)
    assert got.locked == frozenset({("standard", 1)})
    assert got.to_lock([("Standard", 1), ("VIP", 1)]) == {5: got.seals[("vip", 1)][5]}  # only what is not locked
    subject = [locked[0], R(3, {**locked[1].values, "subject": "Ny emnelinje"}), locked[2]]
    with pytest.raises(SettingsError):  # the e-mail subject is part of the step too
        parse_rules(subject, RULES[:1], [], [], LAW)
    edited = [locked[0], R(3, {**locked[1].values, "fee": Decimal(50)}), locked[2]]
    with pytest.raises(SettingsError) as err:
        parse_rules(edited, RULES[:1], [], [], LAW)
    (problem,) = err.value.problems
    assert problem.cell == f"Skabeloner!{SKABELONER.letter('locked')}3" and "'Standard v2'" in problem.message
    added = [*locked, step(9, "Standard v1", 4, 10, "0", "Sidste varsel før inkasso.")]
    with pytest.raises(SettingsError) as err:
        parse_rules(added, RULES[:1], [], [], LAW)
    assert len(err.value.problems) == 4  # every row of the version: it has a step more than when it was locked
    v2 = [R(r.number + 10, {**r.values, "template": "Standard v2", "locked": ""}) for r in edited]
    assert parse_rules([*locked, *v2], RULES[:1], [], [], LAW).templates.latest("Standard").version == 2
