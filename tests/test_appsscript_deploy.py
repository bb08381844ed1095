"""Deployment files agree with the code: the Docker image matches the pinned Playwright, runs as non-root and
keeps secrets out; the going-live guide names the real button functions and Script Property."""

from __future__ import annotations

import re
from pathlib import Path

from sheets_schema import INKASSOFORSLAG, INSTRUKS, RYKKERFORSLAG

ROOT = Path(__file__).resolve().parent.parent


def _text(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


def test_docker_image_matches_the_pinned_playwright() -> None:
    pin = re.search(r"^playwright==(\S+)$", _text("requirements.txt"), re.M)
    base = re.search(r"^FROM mcr\.microsoft\.com/playwright/python:v(\S+)-noble$", _text("Dockerfile"), re.M)
    assert pin and base
    assert base.group(1) == pin.group(1)


def test_dockerfile_runs_the_worker_as_non_root() -> None:
    lines = [line.strip() for line in _text("Dockerfile").splitlines() if line.strip() and not line.startswith("#")]
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    assert lines[-1] == 'CMD ["python", "worker.py", "run"]'
    assert "RUN python3 -m pip install -r requirements.txt" in lines


def test_dockerignore_keeps_secrets_and_state_out() -> None:
    patterns = {line.strip() for line in _text(".dockerignore").splitlines() if line and not line.startswith("#")}
    assert {".git", "var", "*.env", ".clasp.json", "**/key.json"} <= patterns


def test_going_live_names_the_real_buttons_and_property() -> None:
    guide = _text("docs/going-live.md")
    queue_gs = _text("appsscript/Queue.gs")
    prop = re.search(r"var QUEUE_ID_PROPERTY = '([A-Z_]+)';", queue_gs)
    assert prop and prop.group(1) in guide
    for tab in (INSTRUKS, RYKKERFORSLAG, INKASSOFORSLAG):
        for b in tab.buttons:
            assert re.search(rf"\| {tab.name} +\| {re.escape(b.label)} +\| `{b.function}` +\|", guide), b
    for fn in ("installTrigger", "uninstallTrigger"):
        assert f"`{fn}`" in guide
    for setting in ("schedule_on", "schedule_days", "schedule_times", "login_ref"):
        assert f"({INSTRUKS.cell(setting)})" in guide, setting


def test_going_live_names_the_web_app_properties_and_token_tool() -> None:
    """The buttons reach the queue through the web app (issue 17 item 10): the guide names the properties the
    code reads, the operator's token tool, and the web app settings of the manifest."""
    guide = _text("docs/going-live.md")
    sources = {
        "appsscript/QueueClient.gs": ("QUEUE_URL_PROPERTY", "QUEUE_TOKEN_PROPERTY"),
        "appsscript/Gateway.gs": ("GATEWAY_SECRET_PROPERTY",),
    }
    for path, names in sources.items():
        for name in names:
            prop = re.search(rf"var {name} = '([A-Z_]+)';", _text(path))
            assert prop and f"`{prop.group(1)}`" in guide, (path, name)
    assert (ROOT / "appsscript/tools/client-token.js").is_file()
    assert "node appsscript/tools/client-token.js --new-secret" in guide
    assert "node appsscript/tools/client-token.js CLIENT_SPREADSHEET_ID" in guide
    assert "`USER_DEPLOYING`, `ANYONE_ANONYMOUS`" in guide
    assert "Do **not** share it with the bookkeepers" in guide
