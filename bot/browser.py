"""Launching Chromium: one browser per worker, one context per job.

``python -m bot.browser`` prints the browser it would launch, or one line saying what is missing and the
command that installs it (exit 1); ``setup.sh`` uses it.
"""

from __future__ import annotations

import os
import shlex
import sys

from playwright.sync_api import Browser, Playwright, sync_playwright

SYSTEM_CHROMIUM = "/usr/bin/chromium"  # Debian's package


class BrowserMissing(Exception):
    """No Chromium to launch; the message says what is missing and the command that fixes it."""

CHROMIUM_ARGS = (
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--disable-gpu",
    "--no-sandbox",
)


def chromium_path() -> str | None:
    """Debian's chromium where present (no browser downloads here); Playwright's own build otherwise."""
    explicit = os.environ.get("RYKKERBOT_CHROMIUM")
    if explicit:
        return explicit
    return SYSTEM_CHROMIUM if os.path.exists(SYSTEM_CHROMIUM) else None


def locate_browser(playwright: Playwright, executable_path: str | None = None) -> str:
    """The Chromium ``launch_browser`` would start (checked before anything else starts, so a missing browser
    is one clear line instead of Playwright's banner). Raises ``BrowserMissing``."""
    explicit = executable_path or os.environ.get("RYKKERBOT_CHROMIUM", "").strip()
    if explicit:
        if os.path.isfile(explicit) and os.access(explicit, os.X_OK):
            return explicit
        raise BrowserMissing(f"Chromium mangler: RYKKERBOT_CHROMIUM peger på {explicit}, som ikke findes eller ikke "
                             "kan køres. Ret stien, eller fjern variablen.")
    found = chromium_path()
    if found:
        return found
    bundled = playwright.chromium.executable_path
    if bundled and os.path.exists(bundled):
        return bundled
    sudo = "" if os.geteuid() == 0 else "sudo "
    raise BrowserMissing(f"Chromium mangler: hverken {SYSTEM_CHROMIUM} eller Playwrights egen Chromium findes. "
                         f"Installér den med: {sudo}apt-get install -y chromium  (eller, hvor downloads virker: "
                         f"{shlex.quote(sys.executable)} -m playwright install chromium)")


def launch_browser(playwright: Playwright, headless: bool = True, executable_path: str | None = None) -> Browser:
    return playwright.chromium.launch(
        headless=headless,
        executable_path=executable_path or chromium_path(),
        args=list(CHROMIUM_ARGS),
    )


def main() -> int:
    with sync_playwright() as pw:
        try:
            print(f"Chromium: {locate_browser(pw)}")
        except BrowserMissing as e:
            print(e, file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
