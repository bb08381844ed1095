"""Launching Chromium: one browser per worker, one context per job.

``python -m bot.browser`` prints the browser it would launch, or one line saying what is missing and the
command that installs it (exit 1); ``setup.sh`` uses it.
"""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Browser, Playwright, sync_playwright

SYSTEM_CHROMIUM = "/usr/bin/chromium"  # Debian's package


class BrowserMissing(Exception):
    """No Chromium to launch; the message says what is missing and the command that fixes it."""

# Chromium honours only the last --disable-features switch, and Playwright passes a list of its own: ours repeats
# Playwright's (as the pinned version passes it; tests/test_browser.py holds the two together) and adds what
# costs memory and serves no robot.
PLAYWRIGHT_DISABLED_FEATURES = (
    "AvoidUnnecessaryBeforeUnloadCheckSync", "DestroyProfileOnBrowserClose", "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable", "LensOverlay", "MediaRouter", "PaintHolding", "ThirdPartyStoragePartitioning",
    "AvoidCorsURLLoaderRestartOnRedirect", "TcpPortRandomizationWin", "OptimizationHints",
    "NetworkTimeServiceQuerying", "AimEnabled", "PreconnectToSearch", "msForceBrowserSignIn",
    "msEdgeUpdateLaunchServicesPreferredVersion",
)
# Each tab (a window in headless Chromium) preloads the address bar's popup, a page of its own in a renderer of its
# own: about 70 MiB per tab that nobody ever sees. And a spare renderer waits for the next site: about 25 MiB.
ROBOT_DISABLED_FEATURES = ("WebUIOmniboxPopup", "WebUIOmniboxAimPopup", "PreloadTopChromeWebUI",
                           "SpareRendererForSitePerProcess")

CHROMIUM_ARGS = (
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--disable-gpu",
    "--disable-software-rasterizer",  # no SwiftShader in the GPU process: pages and screenshots are drawn without it
    "--no-sandbox",
    "--disable-features=" + ",".join(PLAYWRIGHT_DISABLED_FEATURES + ROBOT_DISABLED_FEATURES),
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


# Playwright's driver is a Node process. With V8's default young generation (16 MiB semi-spaces) it holds ~25 MiB
# more than with 1 MiB, for no speed a robot notices; and V8 lets the old generation grow with the job (168 MiB
# after rykkerflow's 402 page loads at 5,000 customers, 125 with the cap) although what the driver keeps alive is
# a few tens of MiB: 96 MiB makes it collect instead. An operator's own NODE_OPTIONS is kept as it is.
DRIVER_NODE_OPTIONS = "--max-semi-space-size=1 --max-old-space-size=96"


@contextmanager
def started_playwright() -> Iterator[Playwright]:
    """Playwright (``sync_playwright``), its driver started with ``DRIVER_NODE_OPTIONS``; this process's own
    environment is as it was once the driver runs."""
    before = os.environ.get("NODE_OPTIONS")
    os.environ["NODE_OPTIONS"] = before if before is not None else DRIVER_NODE_OPTIONS
    try:
        manager = sync_playwright()
        playwright = manager.__enter__()
    finally:
        if before is None:
            del os.environ["NODE_OPTIONS"]
    try:
        yield playwright
    finally:
        manager.__exit__(None, None, None)


def launch_browser(playwright: Playwright, headless: bool = True, executable_path: str | None = None) -> Browser:
    return playwright.chromium.launch(
        headless=headless,
        executable_path=executable_path or chromium_path(),
        args=list(CHROMIUM_ARGS),
    )


def main() -> int:
    with started_playwright() as pw:
        try:
            print(f"Chromium: {locate_browser(pw)}")
        except BrowserMissing as e:
            print(e, file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
