"""The scheduled run (appsscript/Schedule.gs) reads "Kørsel indstillinger" exactly as the robot does
(bot/dunning/instructions.py): the same inputs give the same days and times, or the same Danish error.

Runs the .gs parser under node (Node 20 is part of the environment; see DEVELOPERS.md).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.dunning.instructions import WEEKDAYS, parse_times, parse_weekdays

APPSSCRIPT = Path(__file__).resolve().parent.parent / "appsscript"

_NODE_SCRIPT = r"""
const fs = require('fs'), vm = require('vm'), path = require('path');
const ctx = vm.createContext({});
for (const f of ['Schema.gs', 'SchemaLookup.gs', 'Messages.gs', 'Schedule.gs']) {
  vm.runInContext(fs.readFileSync(path.join(process.argv[1], f), 'utf8'), ctx, { filename: f });
}
const input = JSON.parse(fs.readFileSync(0, 'utf8'));
const run = (fn, text) => {
  try { return { ok: Array.from(ctx[fn](text)) }; } catch (e) { return { error: e.message }; }
};
process.stdout.write(JSON.stringify({
  aliases: JSON.parse(JSON.stringify(ctx.weekdayAliases_())),
  days: input.days.map((t) => run('parseWeekdays_', t)),
  times: input.times.map((t) => run('parseTimes_', t)),
}));
"""

DAYS = [
    "man,tir,ons,tor,fre", "Mandag-Fredag", "lør, søn", "loer;son.", "Man.-Ons.", "fre-man", "mandg",
    "man-", "man-ons-fre", "", "  ", "TORSDAG", "søndag,lørdag,søn", "weekend", "1",
]
TIMES = ["08:00", "8:00,13:00", "08.00", "08:00:00", "25:00", "08:60", "8", "13:00 08:00;08:00", "", "08:00:30",
         "7.5", "23:59"]


def _python(parse: Callable[[str], tuple[Any, ...]], text: str) -> dict[str, Any]:
    try:
        return {"ok": list(parse(text))}
    except ValueError as e:
        return {"error": str(e)}


@pytest.fixture(scope="module")
def node_results() -> dict[str, Any]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (Node 20 is needed for the Apps Script tests)")
    done = subprocess.run([node, "-e", _NODE_SCRIPT, str(APPSSCRIPT)], input=json.dumps({"days": DAYS, "times": TIMES}),
                          capture_output=True, text=True, timeout=60, check=True)
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_same_weekday_names(node_results: dict[str, Any]) -> None:
    assert node_results["aliases"] == WEEKDAYS


def test_same_weekday_parsing_and_errors(node_results: dict[str, Any]) -> None:
    assert node_results["days"] == [_python(parse_weekdays, t) for t in DAYS]
    assert any("error" in r for r in node_results["days"]) and any("ok" in r for r in node_results["days"])


def test_same_time_parsing_and_errors(node_results: dict[str, Any]) -> None:
    assert node_results["times"] == [_python(parse_times, t) for t in TIMES]
    assert any("error" in r for r in node_results["times"]) and any("ok" in r for r in node_results["times"])
