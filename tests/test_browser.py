"""The Chromium the robot launches: Playwright's own feature switches kept, and nothing running that no robot uses
(real Chromium, read from chrome://version and the DevTools protocol)."""

from __future__ import annotations

import base64
import json
import os
import re
from pathlib import Path

from playwright.sync_api import Browser

from bot.browser import CHROMIUM_ARGS, DRIVER_NODE_OPTIONS, ROBOT_DISABLED_FEATURES, chromium_path


def disabled_features(browser: Browser) -> set[str]:
    """What the running Chromium took from its command line as disabled (chrome://version's "Command-line
    variations", a base64 JSON)."""
    page = browser.new_page()
    try:
        page.goto("chrome://version")
        for blob in re.findall(r"eyJ[A-Za-z0-9+/=]+", page.content()):
            data = json.loads(base64.b64decode(blob + "=" * (-len(blob) % 4)))
            if "disable-features" in data:
                return set(str(data["disable-features"]).split(","))
    finally:
        page.close()
    raise AssertionError("chrome://version shows no command-line variations")


def test_our_feature_switch_keeps_every_feature_playwright_disables(browser: Browser) -> None:
    """Chromium honours only the last --disable-features: ours must repeat Playwright's (a newer Playwright that
    disables more fails here until bot/browser.py lists it too)."""
    plain = [a for a in CHROMIUM_ARGS if not a.startswith("--disable-features=")]
    playwrights_own = browser.browser_type.launch(headless=True, executable_path=chromium_path(), args=plain)
    try:
        theirs = disabled_features(playwrights_own)
    finally:
        playwrights_own.close()
    ours = disabled_features(browser)
    assert theirs and theirs <= ours, theirs - ours
    assert {"PreloadTopChromeWebUI", "WebUIOmniboxPopup"} <= ours and set(ROBOT_DISABLED_FEATURES) - ours <= {
        "WebUIOmniboxAimPopup", "SpareRendererForSitePerProcess"}  # Chromium lists only features it registers


def test_a_tab_runs_no_address_bar_popup_page(browser: Browser) -> None:
    """Without the switch every tab preloads the address bar's popup in a renderer of its own (~70 MiB)."""
    context = browser.new_context()
    try:
        context.new_page().goto("data:text/html,<p>hej</p>")
        session = browser.new_browser_cdp_session()
        targets = session.send("Target.getTargets")["targetInfos"]
        session.detach()
    finally:
        context.close()
    assert [t["type"] for t in targets if t["type"] not in ("page", "iframe")] == [], targets


def test_playwrights_driver_runs_with_a_small_young_generation_and_this_process_is_untouched(
        browser: Browser) -> None:
    """The session's browser was started through ``started_playwright``: its driver (Node, a child of this process)
    has DRIVER_NODE_OPTIONS, and this process's environment is as it was."""
    drivers = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
            if entry.name.isdigit() and int(stat.rsplit(")", 1)[1].split()[1]) == os.getpid():
                environ = (entry / "environ").read_bytes().split(b"\0")
                if b"node" in (entry / "cmdline").read_bytes().split(b"\0")[0]:
                    drivers.append(environ)
        except (OSError, ValueError):
            continue
    assert drivers and all(f"NODE_OPTIONS={DRIVER_NODE_OPTIONS}".encode() in env for env in drivers)
    assert os.environ.get("NODE_OPTIONS") != DRIVER_NODE_OPTIONS
