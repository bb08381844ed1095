"""The dunning-rule tabs read into the engine's types: Skabeloner -> ``TemplateBook``, Regler and
Kundeplacering -> ``RuleBook``, Pauser -> ``Pause``s; every template a rule uses checked against the law.

Every problem is collected and raised at once as one ``SettingsError`` naming the cell ("Skabeloner!D5"), the
column and, in Danish, what to write instead, before anything is proposed or sent. Rows with nothing typed
are skipped by the store; a row with only some cells filled is a problem, never silently dropped.

A template version that has been used is locked: the robot writes a seal of each of its rows into *Låst*
(``DunningRules.to_lock``), and a locked version whose rows no longer match is refused, so a change is always
made as a new version and invoices started on the old one finish on it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from bot.dunning.law import CustomerKind, Law, check_template
from bot.dunning.money import Money
from bot.dunning.pauses import Pause, PauseScope
from bot.dunning.rulegroups import Placement, Rule, RuleBook
from bot.dunning.templates import Channel, Step, StepField, Template, TemplateBook, parse_label
from bot.errors import SettingProblem, SettingsError
from sheets_schema import KUNDEPLACERING, PAUSER, REGLER, SKABELONER, Row, Tab

__all__ = ["DunningRules", "parse_rules"]

_STEP_FIELDS = {StepField.DAYS: "days", StepField.FEE: "fee", StepField.CHANNEL: "channel",
                StepField.TEXT: "text", StepField.COMPENSATION: "compensation"}


@dataclass(frozen=True)
class DunningRules:
    templates: TemplateBook
    rules: RuleBook
    pauses: tuple[Pause, ...]
    seals: Mapping[tuple[str, int], Mapping[int, str]] = field(default_factory=dict)  # version -> row -> seal
    locked: frozenset[tuple[str, int]] = frozenset()  # versions already locked (casefolded name, version)

    def to_lock(self, used: Iterable[tuple[str, int]]) -> dict[int, str]:
        """Skabeloner row -> seal, for the rows of the ``used`` versions (template name, version) not yet locked."""
        rows: dict[int, str] = {}
        for name, version in {(n.casefold(), v) for n, v in used}:
            if (name, version) not in self.locked:
                rows.update(self.seals.get((name, version), {}))
        return rows


def _seal(label: str, steps: int, v: Mapping[str, Any]) -> str:
    """A short digest of one step row as the robot read it, with its version's number of steps (a step added to
    or removed from a used version changes every row's seal)."""
    text = "|".join([label.casefold(), str(steps), str(_whole(v.get("step"))), str(_whole(v.get("days"))),
                     f"{Decimal(str(v.get('fee') or 0)):.2f}", _text(v, "channel").casefold(),
                     _text(v, "compensation").casefold(), _text(v, "text"), _text(v, "subject")])
    return hashlib.sha256(text.encode()).hexdigest()[:10]


class _Problems:
    def __init__(self) -> None:
        self.found: list[SettingProblem] = []

    def add(self, tab: Tab, key: str, row: int, message: str) -> None:
        self.found.append(SettingProblem(_cell(tab, key, row), f"{tab.name}: {tab.column(key).header}", message))


def _cell(tab: Tab, key: str, row: int) -> str:
    return f"{tab.name}!{tab.letter(key)}{row}"


def _text(values: Mapping[str, Any], key: str) -> str:
    value = values.get(key)
    return "" if value is None else str(value).strip()


def _whole(value: Any) -> int | None:
    if isinstance(value, bool) or value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return int(number) if number == number.to_integral_value() else None


def _locks(rows: Sequence[Row], p: _Problems) -> tuple[dict[tuple[str, int], dict[int, str]], set[tuple[str, int]]]:
    """Each version's rows with their seal; a locked version whose rows no longer match their seal (edited, or a
    step added or removed) is a problem on every row that differs."""
    by_version: dict[tuple[str, int], list[Row]] = {}
    for r in rows:
        try:
            name, version = parse_label(_text(r.values, "template"))
        except ValueError:
            continue
        by_version.setdefault((name.casefold(), version), []).append(r)
    seals: dict[tuple[str, int], dict[int, str]] = {}
    locked: set[tuple[str, int]] = set()
    for (name, version), mine in by_version.items():
        seals[(name, version)] = {r.number: _seal(f"{name} v{version}", len(mine), r.values) for r in mine}
        if any(_text(r.values, "locked") for r in mine):
            locked.add((name, version))
            label = _text(mine[0].values, "template")
            for r in mine:
                if _text(r.values, "locked") != seals[(name, version)][r.number]:
                    p.add(SKABELONER, "locked", r.number,
                          f"'{label}' er brugt til rykkere og må ikke ændres (række {r.number} er ændret, eller et "
                          f"trin er tilføjet eller fjernet). Fortryd ændringen, og skriv den ændrede skabelon som "
                          f"en ny version, f.eks. '{label.rsplit(' v', 1)[0]} v{version + 1}'.")
    return seals, locked


def _templates(rows: Sequence[Row], p: _Problems) -> tuple[TemplateBook, dict[tuple[str, int, int, StepField], str]]:
    steps: dict[tuple[str, int], dict[int, Step]] = {}
    names: dict[tuple[str, int], str] = {}
    cells: dict[tuple[str, int, int, StepField], str] = {}
    for r in rows:
        v, n = r.values, r.number
        try:
            name, version = parse_label(_text(v, "template"))
        except ValueError:
            p.add(SKABELONER, "template", n, "Skabelonen mangler. Skriv navn og version, f.eks. 'Standard v1'.")
            continue
        key = (name.casefold(), version)
        names.setdefault(key, name)
        number = _whole(v.get("step"))
        days = _whole(v.get("days"))
        if number is None or number < 1:
            p.add(SKABELONER, "step", n, "Skriv trinnets nummer: 1, 2, 3 …")
            continue
        if number in steps.get(key, {}):
            p.add(SKABELONER, "step", n, f"'{names[key]} v{version}' har allerede et trin {number}. "
                                         "Hvert trin må kun stå én gang.")
            continue
        if days is None or days < 0:
            p.add(SKABELONER, "days", n, "Skriv et helt antal dage, 0 eller mere, f.eks. 10.")
        fee = v.get("fee")
        fee = Decimal(0) if fee in (None, "") else fee
        channel = next((c for c in Channel if c.value.casefold() == _text(v, "channel").casefold()), None)
        if not _text(v, "channel"):
            channel = Channel.LEDGER
        if channel is None:
            p.add(SKABELONER, "channel", n, f"'{_text(v, 'channel')}' er ikke en kanal. Vælg "
                                            + " eller ".join(f"'{c.value}'" for c in Channel) + ".")
        comp = _text(v, "compensation").casefold()
        if comp not in ("", "ja", "nej"):
            p.add(SKABELONER, "compensation", n, "Skriv 'Ja' eller 'Nej'.")
        text = _text(v, "text")
        if not text:
            p.add(SKABELONER, "text", n, "Skriv den tekst, trinnet skal indeholde.")
        if days is None or channel is None or not isinstance(fee, Decimal):
            continue
        steps.setdefault(key, {})[number] = Step(days, fee, channel, text, comp == "ja")
        for step_field, col in _STEP_FIELDS.items():
            cells[(name.casefold(), version, number, step_field)] = _cell(SKABELONER, col, n)
    templates = []
    for key, by_number in steps.items():
        missing = [k for k in range(1, max(by_number) + 1) if k not in by_number]
        if missing:
            p.found.append(SettingProblem(SKABELONER.name, f"{names[key]} v{key[1]}",
                                          f"Trin {', '.join(map(str, missing))} mangler i '{names[key]} v{key[1]}'. "
                                          "Trinene skal være 1, 2, 3 … uden huller."))
            continue
        templates.append(Template(names[key], key[1], tuple(by_number[k] for k in sorted(by_number))))
    return TemplateBook(tuple(templates)), cells


_OTHER = re.compile(r"\s*([\d.,]+)\s*([A-Za-z]{3})\s*|\s*([A-Za-z]{3})\s*([\d.,]+)\s*")


def _minimums(v: Mapping[str, Any], n: int, p: _Problems) -> tuple[Money, ...]:
    found = [Money(v[k], cur) for k, cur in (("minimum_dkk", "DKK"), ("minimum_eur", "EUR"))
             if isinstance(v.get(k), Decimal)]
    for part in (s for s in re.split(r";|,(?!\d)", _text(v, "minimum_other")) if s.strip()):
        match = _OTHER.fullmatch(part)
        if match is None:
            p.add(REGLER, "minimum_other", n, f"'{part.strip()}' kan ikke læses. Skriv beløb og valuta, f.eks. "
                                              "'500 SEK, 400 NOK'.")
            continue
        amount, cur = (match[1], match[2]) if match[1] else (match[4], match[3])
        try:
            found.append(Money(Decimal(amount.replace(".", "").replace(",", ".")), cur.upper()))
        except (InvalidOperation, ValueError):
            p.add(REGLER, "minimum_other", n, f"'{part.strip()}' kan ikke læses. Skriv f.eks. '500 SEK'.")
    for m in found:
        if m.amount < 0:
            p.add(REGLER, "minimum_dkk", n, f"Minimum {m.text()} er negativt. Skriv 0 eller mere.")
    return tuple(found)


def _rules(rows: Sequence[Row], book: TemplateBook, p: _Problems) -> list[Rule]:
    rules: list[Rule] = []
    where: dict[str, int] = {}
    for r in rows:
        v, n = r.values, r.number
        name, template = _text(v, "rule"), _text(v, "template")
        if not name:
            p.add(REGLER, "rule", n, "Reglen mangler et navn, f.eks. 'Privat'.")
            continue
        if name.casefold() in where:
            p.add(REGLER, "rule", n, f"Reglen '{name}' står allerede i række {where[name.casefold()]}.")
            continue
        kind = next((k for k in CustomerKind if k.value.casefold() == _text(v, "kind").casefold()), None)
        if kind is None:
            p.add(REGLER, "kind", n, "Vælg 'Privatperson' eller 'Virksomhed'.")
        if not template:
            p.add(REGLER, "template", n, "Skriv navnet på skabelonen, f.eks. 'Standard'.")
        elif not book.versions(parse_label(template)[0]):
            known = ", ".join(sorted({t.name for t in book.templates})) or "ingen"
            p.add(REGLER, "template", n, f"Skabelonen '{template}' findes ikke under {SKABELONER.name}. "
                                         f"Kendte skabeloner: {known}.")
        minimums = _minimums(v, n, p)
        if kind is None or not template:
            continue
        where[name.casefold()] = n
        rules.append(Rule(name, parse_label(template)[0], kind, minimums))
    return rules


def _placements(rows: Sequence[Row], names: Sequence[str], p: _Problems) -> list[Placement]:
    found = []
    for r in rows:
        v, n = r.values, r.number
        number, rule = _whole(v.get("customer_number")), _text(v, "rule")
        if number is None:
            p.add(KUNDEPLACERING, "customer_number", n, "Skriv kundenummeret.")
        if rule.casefold() not in {x.casefold() for x in names}:
            p.add(KUNDEPLACERING, "rule", n, f"Reglen '{rule}' findes ikke under {REGLER.name}. "
                                             f"Vælg en af: {', '.join(names) or 'ingen'}.")
        if number is not None and rule:
            found.append(Placement(number, rule))
    return found


def _pauses(rows: Sequence[Row], p: _Problems) -> list[Pause]:
    found = []
    for r in rows:
        v, n = r.values, r.number
        scope = next((s for s in PauseScope if s.value.casefold() == _text(v, "scope").casefold()), None)
        number, until = _whole(v.get("number")), v.get("until")
        if scope is None:
            p.add(PAUSER, "scope", n, "Vælg 'Kunde' eller 'Faktura'.")
        if number is None:
            p.add(PAUSER, "number", n, "Skriv kundenummeret eller fakturanummeret.")
        if not isinstance(until, date):
            p.add(PAUSER, "until", n, "Skriv datoen pausen gælder til og med, f.eks. 2026-12-31.")
        if scope is not None and number is not None and isinstance(until, date):
            found.append(Pause(scope, number, until, _text(v, "reason")))
    return found


def parse_rules(templates: Sequence[Row], rules: Sequence[Row], placements: Sequence[Row], pauses: Sequence[Row],
                law: Law) -> DunningRules:
    """The four tabs' rows as the engine's rules; one ``SettingsError`` with every problem, the law's included
    (each version of a rule's template checked for the rule's customer kind)."""
    p = _Problems()
    book, cells = _templates(templates, p)
    seals, locked = _locks(templates, p)
    rule_list = _rules(rules, book, p)
    placed = _placements(placements, [r.name for r in rule_list], p)
    paused = _pauses(pauses, p)
    seen: set[tuple[str, int, CustomerKind]] = set()
    for rule in rule_list:
        for template in book.versions(rule.template):
            key = (template.name.casefold(), template.version, rule.kind)
            if key in seen:
                continue
            seen.add(key)
            where = {(s, f): c for (name, version, s, f), c in cells.items()
                     if (name, version) == (template.name.casefold(), template.version)}
            p.found.extend(v.problem() for v in check_template(template, law, rule.kind, where))
    if p.found:
        raise SettingsError(p.found)
    return DunningRules(book, RuleBook(tuple(rule_list), tuple(placed)), tuple(paused), seals, frozenset(locked))
