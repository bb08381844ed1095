"""The layers' contract (pyproject.toml, import-linter): the tree keeps it, and an import that runs up a layer breaks
it, naming the import."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).parent / "lint-imports"


def lint(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LINT), "--no-cache"], cwd=root, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=120)


def test_the_tree_keeps_the_layers() -> None:
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_an_upward_import_breaks_the_contract(tmp_path: Path) -> None:
    for name in ("bot", "jobqueue", "sheets_schema"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    engine = tmp_path / "bot" / "dunning" / "engine.py"
    engine.write_text(engine.read_text(encoding="utf-8") + "\nfrom bot.flows import sending  # noqa\n",
                      encoding="utf-8")  # the pure rules reaching up into a flow
    result = lint(tmp_path)
    assert result.returncode == 1
    assert "bot.dunning is not allowed to import bot.flows" in result.stdout
    assert "bot.dunning.engine -> bot.flows.sending" in result.stdout
