"""The command line as a newcomer and an operator meet it: README's commands, CI running the same, help that
shows defaults, and configuration checked before anything starts (one line per missing setting, exit 2)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    """The two commands under "Two commands" in README.md, in order."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Two commands", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```bash\n(.*?)```", section, re.S)]


def test_ci_sets_up_as_readme_says_and_runs_exactly_its_test_command() -> None:
    setup, tests = readme_commands()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    marker = ci.index("# --- README test command (keep identical) ---")
    assert ci[marker + 1] == tests
    assert setup.startswith("./setup.sh && ") and "./setup.sh" in ci[:marker]
    assert tests.startswith(".venv/bin/python -m pytest")
    checks = [line for line in ci[:marker] if "ruff" in line or "mypy" in line]
    assert len(checks) == 2 and all(line.startswith(".venv/bin/python -m ") for line in checks)
    assert ".venv/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
