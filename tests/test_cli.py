"""The command line as a newcomer and an operator meet it: README's commands, CI running the same, help that
shows defaults, and configuration checked before anything starts (one line per missing setting, exit 2)."""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sandbox.serving import ServerThread
from sheets_schema import JobType
from worker import build_parser, main

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
    commands = [line for line in ci[:marker] if not line.startswith("#")]
    checks = [line for line in commands if "ruff" in line or "mypy" in line]
    assert len(checks) == 2 and all(line.startswith(".venv/bin/python -m ") for line in checks)
    # the layers' contract runs with the venv's import-linter, from the checkout (PYTHONPATH=.)
    assert [line for line in commands if "lint-imports" in line] == [
        "PYTHONPATH=. .venv/bin/lint-imports --no-cache  # the layers (pyproject.toml): no import runs up a layer"]
    assert ".venv/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()


def bare_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of a fresh machine: none of the robot's settings, no Google login of any kind."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("RYKKERBOT_", "GOOGLE_", "SMTP_", "CLOUDSDK_", "GCE_"))}
    env.update(HOME=str(tmp_path), NO_GCE_CHECK="True", **extra)  # no gcloud file; no metadata server probe
    return env


def worker(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "worker.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize("args, needs_queue", [
    (["run"], True),
    (["enqueue", "--client", "abc", "--type", "rykkerflow"], True),
    (["bootstrap", "--queue"], False),
])
def test_a_command_without_configuration_names_what_is_missing(tmp_path: Path, args: list[str],
                                                               needs_queue: bool) -> None:
    done = worker(args, bare_env(tmp_path))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and done.stdout == ""
    lines = done.stderr.splitlines()
    assert lines[0] == f"worker.py {args[0]}: konfigurationen er ikke komplet:"
    named = [line for line in lines if line.startswith("  - ")]
    assert len(named) == (2 if needs_queue else 1)
    assert named[-1].startswith("  - GOOGLE_APPLICATION_CREDENTIALS er ikke sat")
    assert ("RYKKERBOT_QUEUE_SPREADSHEET" in named[0]) is needs_queue
    assert lines[-1] == 'Se README.md, afsnittet "Configuration", og docs/going-live.md.'


def test_a_key_file_that_is_missing_or_not_a_key_is_named_with_its_path(tmp_path: Path) -> None:
    missing = worker(["bootstrap", "--queue"], bare_env(tmp_path, GOOGLE_APPLICATION_CREDENTIALS=str(tmp_path / "k")))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    assert f"GOOGLE_APPLICATION_CREDENTIALS ({tmp_path / 'k'}): filen findes ikke" in missing.stderr
    (tmp_path / "k").write_text("not json", encoding="utf-8")
    garbled = worker(["bootstrap", "--queue"], bare_env(tmp_path, GOOGLE_APPLICATION_CREDENTIALS=str(tmp_path / "k")))
    assert garbled.returncode == 2 and "filen er ikke JSON" in garbled.stderr
    assert "not json" not in garbled.stderr  # a key's content is never echoed


def test_run_without_a_browser_says_what_is_missing_in_one_line(tmp_path: Path) -> None:
    env = bare_env(tmp_path, RYKKERBOT_QUEUE_SPREADSHEET="queue-id", RYKKERBOT_SHEETS_ENDPOINT="http://127.0.0.1:9",
                   RYKKERBOT_CHROMIUM=str(tmp_path / "chromium"))
    done = worker(["run"], env)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [f"Chromium mangler: RYKKERBOT_CHROMIUM peger på {tmp_path / 'chromium'}, som "
                                        "ikke findes eller ikke kan køres. Ret stien, eller fjern variablen."]


def help_of(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    with pytest.raises(SystemExit) as exit_:
        main([*args, "--help"])
    assert exit_.value.code == 0
    return capsys.readouterr().out


def test_help_shows_defaults_job_types_and_the_environment(capsys: pytest.CaptureFixture[str]) -> None:
    top = help_of(capsys)
    for job_type in JobType:
        assert re.search(rf"^  {job_type.value} +\S", top, re.M), job_type
    for command in ("run", "demo", "bootstrap", "enqueue", "doctor"):
        assert re.search(rf"^    {command}\b", top, re.M), command
    for variable in ("RYKKERBOT_QUEUE_SPREADSHEET", "GOOGLE_APPLICATION_CREDENTIALS", "RYKKERBOT_LOGIN_<REF>_USERNAME",
                     "RYKKERBOT_MAILER", "RYKKERBOT_CHROMIUM"):
        assert variable in top
    demo = " ".join(help_of(capsys, "demo").split())
    for option, default in (("--ledger-port PORT", "8765"), ("--sheets-port PORT", "8766"), ("--tick N", "3"),
                            ("--workdir DIR", "var/demo")):
        assert re.search(rf"{option} [^-]+\(default: {re.escape(default)}\)", demo), option
    assert "(default: False)" not in demo  # a flag's empty default is noise
    boot = " ".join(help_of(capsys, "bootstrap").split())
    assert "--title TITLE title of a newly created spreadsheet" in boot
    enqueue = help_of(capsys, "enqueue")
    assert all(t.value in enqueue for t in JobType) and "(default: kommandolinje)" in enqueue


def test_every_option_of_every_command_has_help() -> None:
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    options = [(name, a) for name, sub in commands.choices.items() for a in sub._actions
               if a.option_strings and a.dest != "help"]
    assert len(options) >= 12
    assert [name + " " + a.option_strings[0] for name, a in options if not a.help] == []


def test_a_setting_that_is_not_a_number_is_named_by_its_variable(tmp_path: Path) -> None:
    env = bare_env(tmp_path, RYKKERBOT_POLL_SECONDS="ti sekunder")
    done = worker(["run"], env)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.splitlines()[0] == ("worker.py run: Worker configuration: RYKKERBOT_POLL_SECONDS='ti sekunder' "
                                           "is not a number (default 10.0).")
    doctor = worker(["doctor"], env)
    assert doctor.returncode == 1 and "Traceback" not in doctor.stderr
    assert doctor.stderr.startswith("FEJL konfiguration: Worker configuration: RYKKERBOT_POLL_SECONDS=")


def test_bootstrap_of_a_sheet_the_robot_cannot_open_says_whom_to_share_it_with(
    tmp_path: Path, sheets_server: ServerThread
) -> None:
    done = worker(["bootstrap", "--spreadsheet", "ikke-delt"],
                  bare_env(tmp_path, RYKKERBOT_SHEETS_ENDPOINT=sheets_server.url))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.splitlines() == ["worker.py bootstrap: regnearket ikke-delt findes ikke, eller robotten har "
                                        "ikke adgang: tjek id'et, og del arket med robottens Google-konto som "
                                        "redaktør."]


def test_a_spreadsheet_id_that_starts_with_a_dash_is_given_with_an_equals_sign() -> None:
    """Google's ids may start with '-', which argparse takes for an option; '--client=ID' always works."""
    from worker import build_parser

    for command in ("enqueue", "check-ledger"):
        extra = ["--type", "rykkerflow"] if command == "enqueue" else []
        args = build_parser().parse_args([command, "--client=-EJhfSQOdEP3boS8", *extra])
        assert args.client == "-EJhfSQOdEP3boS8"
