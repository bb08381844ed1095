"""Issue 11: bootstrap creates the rule tabs and migrates a client made before them (nothing typed is lost)."""

from __future__ import annotations

from decimal import Decimal

import gspread

from bot.doctor.bootstrap import bootstrap_client, ensure_spreadsheet
from bot.dunning.law import CustomerKind, load_laws
from bot.dunning.money import Money
from bot.dunning.sheet_rules import parse_rules
from bot.dunning.templates import Channel
from bot.sheets.store import SheetStore
from sheets_schema import CLIENT_TABS, INSTRUKS, KUNDEPLACERING, PAUSER, REGLER, RULES_TABS, SKABELONER

LAW = load_laws()["DK"]


def _rules(store: SheetStore):  # type: ignore[no-untyped-def]
    return parse_rules(store.read_table(SKABELONER), store.read_table(REGLER), store.read_table(KUNDEPLACERING),
                       store.read_table(PAUSER), LAW)


def test_a_client_made_before_the_rule_tabs_keeps_its_settings(gc: gspread.Client) -> None:
    old_tabs = tuple(t for t in CLIENT_TABS if t not in RULES_TABS)
    sheet_id = ensure_spreadsheet(gc, None, "Gammel klient", old_tabs).spreadsheet_id
    store = SheetStore(gc.open_by_key(sheet_id))
    typed = {"level1_days": "14", "level1_fee": "25", "level1_text": "Husk os venligst.",
             "level2_days": "12", "level2_fee": "60,5", "level3_days": "11", "level3_fee": "100",
             "level3_text": "Sidste rykker før inkasso.", "minimum_amount": "250", "exclude_customers": "1001"}
    store.set_cells({INSTRUKS.ref(k): v for k, v in typed.items()})
    before = store.read_settings(INSTRUKS)

    changes: list[str] = []
    bootstrap_client(gc, sheet_id, "Gammel klient", changes)

    store = SheetStore(gc.open_by_key(sheet_id))
    assert store.read_settings(INSTRUKS) == before  # nothing in Instruks is touched
    rules = _rules(store)
    (standard,) = rules.templates.templates
    assert standard.label == "Standard v1"
    assert [s.days for s in standard.steps] == [14, 12, 11]
    assert [s.fee for s in standard.steps] == [Decimal(25), Decimal("60.5"), Decimal(100)]
    assert [s.text for s in standard.steps] == [before["level1_text"], before["level2_text"], before["level3_text"]]
    assert {s.channel for s in standard.steps} == {Channel.LEDGER}
    assert [(r.name, r.template, r.kind) for r in rules.rules.rules] == [
        ("Privat", "Standard", CustomerKind.PERSON), ("Erhverv", "Standard", CustomerKind.BUSINESS)]
    assert all(r.minimum("DKK") == Money(Decimal(250), "DKK") for r in rules.rules.rules)
    assert any("Skabeloner: 3 rækker fra Instruks" in c for c in changes)

    again: list[str] = []  # the migration runs once: a second bootstrap writes nothing
    bootstrap_client(gc, sheet_id, "Gammel klient", again)
    assert again == []


def test_a_new_client_starts_on_a_lawful_standard_template(gc: gspread.Client) -> None:
    sheet_id = bootstrap_client(gc, None, "Ny klient")
    store = SheetStore(gc.open_by_key(sheet_id))
    rules = _rules(store)
    defaults = {s.key: s.default for s in INSTRUKS.settings}
    (standard,) = rules.templates.templates
    assert [str(s.days) for s in standard.steps] == [defaults[f"level{n}_days"] for n in (1, 2, 3)]
    assert [s.text for s in standard.steps] == [defaults[f"level{n}_text"] for n in (1, 2, 3)]
    assert [r.name for r in rules.rules.rules] == ["Privat", "Erhverv"]
    assert rules.pauses == () and rules.rules.placements == ()
    assert store.read_table(SKABELONER)[0].values["template"] == "Standard v1"
