"""Launching Chromium: one browser per worker, one context per job."""

from __future__ import annotations

import os

from playwright.sync_api import Browser, Playwright

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
    return "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None


def launch_browser(playwright: Playwright, headless: bool = True, executable_path: str | None = None) -> Browser:
    return playwright.chromium.launch(
        headless=headless,
        executable_path=executable_path or chromium_path(),
        args=list(CHROMIUM_ARGS),
    )
