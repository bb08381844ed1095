"""The committed appsscript/Schema.gs is exactly what the generator makes from sheets_schema."""

from __future__ import annotations

import json
import re
from pathlib import Path

from sheets_schema import INSTRUKS, QUEUE, STATUS_CELL, export_json
from sheets_schema.appsscript import HEADER, SCHEMA_GS, main, render


def test_committed_schema_gs_is_current() -> None:
    assert SCHEMA_GS.read_text(encoding="utf-8") == render(), (
        "appsscript/Schema.gs is stale: run python -m sheets_schema.appsscript and commit it"
    )


def test_schema_gs_holds_export_json_verbatim() -> None:
    text = render()
    assert text.startswith(HEADER + "\n")
    m = re.search(r"^var SCHEMA = (\{.*\});\n\Z", text, re.S | re.M)
    assert m is not None
    data = json.loads(m.group(1))
    assert data == json.loads(export_json())
    assert f"{data['statusCell']['tab']}!{data['statusCell']['cell']}" == STATUS_CELL
    assert data["tabs"][data["queueTab"]]["headers"] == QUEUE.headers
    assert [s["cell"] for s in data["instruks"]["settings"]] == [INSTRUKS.cell(s.key) for s in INSTRUKS.settings]


def test_check_flags_a_stale_file_and_write_fixes_it(tmp_path: Path) -> None:
    target = tmp_path / "Schema.gs"
    assert main(["--check", "--path", str(target)]) == 1  # missing
    target.write_text(render().replace("Venter på robot", "Venter"), encoding="utf-8")
    assert main(["--check", "--path", str(target)]) == 1  # stale
    assert main(["--path", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == render()
    assert main(["--check", "--path", str(target)]) == 0


def test_generation_is_stable() -> None:
    assert render() == render()
