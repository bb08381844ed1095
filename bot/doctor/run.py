"""Run every doctor check in order and print one line each; a check whose prerequisite failed is skipped."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TextIO

from playwright.sync_api import Browser, Playwright
from playwright.sync_api import Error as PlaywrightError

from bot.browser import BrowserMissing, launch_browser, locate_browser, started_playwright
from bot.config import Settings
from bot.doctor.checks import Check, fail, ok, skip
from bot.doctor.config import DOCS, credentials_problem, key_account, queue_problem
from bot.doctor.ledger import check_ledger_logins
from bot.doctor.mail import check_mailer
from bot.doctor.sheets import ClientSheet, check_client, check_queue


class _Printer:
    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.checks: list[Check] = []

    def __call__(self, *checks: Check) -> bool:
        """Print and keep the checks; True when they all passed."""
        for c in checks:
            self.checks.append(c)
            print(c.line(), file=self.out, flush=True)
        return all(c.ok for c in checks)


def run_doctor(settings: Settings, clients: Sequence[str] = (), out: TextIO = sys.stdout,
               browser: Browser | None = None) -> int:
    """0 when every check passed, 1 otherwise. ``clients``: client sheet ids to check instead of the ones the
    queue names. ``browser``: one already running (tests); None: the doctor finds and launches Chromium."""
    emit = _Printer(out)
    queue_set = emit(_setting(settings))
    google_ok = emit(_credentials(settings))
    if browser is not None:
        emit(ok("Chromium", f"kører (version {browser.version})"))
        _sheets_and_ledger(settings, clients, queue_set, google_ok, browser, emit)
    else:
        with started_playwright() as pw:
            own = _browser(pw, settings, emit)
            try:
                _sheets_and_ledger(settings, clients, queue_set, google_ok, own, emit)
            finally:
                if own is not None:
                    own.close()
    emit(check_mailer(settings))
    failures = [c for c in emit.checks if not c.ok]
    if failures:
        print(f"{len(failures)} fejl. Ret dem og kør worker.py doctor igen. {DOCS}", file=out)
        return 1
    print("Alt OK: robotten er klar til at køre (worker.py run).", file=out)
    return 0


def _sheets_and_ledger(settings: Settings, clients: Sequence[str], queue_set: bool, google_ok: bool,
                       browser: Browser | None, emit: _Printer) -> None:
    found = _sheets(settings, clients, queue_set, google_ok, emit)
    if browser is None:
        emit(skip("regnskabs-login", "Chromium mangler"))
    elif not found:
        emit(skip("regnskabs-login", "intet klientark at tage login-referencen fra"))
    else:
        emit(*check_ledger_logins(settings, browser, found))


def _setting(settings: Settings) -> Check:
    problem = queue_problem(settings)
    return fail("RYKKERBOT_QUEUE_SPREADSHEET", problem) if problem else ok(
        "RYKKERBOT_QUEUE_SPREADSHEET", settings.queue_spreadsheet)


def _credentials(settings: Settings) -> Check:
    name = "Google-nøgle"
    problem = credentials_problem(settings)
    if problem:
        return fail(name, problem)
    if settings.sheets_endpoint:
        return ok(name, f"ingen nødvendig: Sheets-emulatoren på {settings.sheets_endpoint}")
    if settings.google_credentials:
        account = key_account(settings)
        return ok(name, f"{settings.google_credentials} kan læses" + (f" (service-konto {account})" if account else ""))
    return ok(name, "application-default credentials")


def _browser(pw: Playwright, settings: Settings, emit: _Printer) -> Browser | None:
    try:
        path = locate_browser(pw, settings.chromium or None)
        browser = launch_browser(pw, headless=True, executable_path=path)
    except BrowserMissing as e:
        emit(fail("Chromium", str(e)))
        return None
    except PlaywrightError as e:
        emit(fail("Chromium", f"kan ikke starte ({str(e).splitlines()[0][:200]}). Installér Debians chromium "
                              "(apt-get install -y chromium) eller sæt RYKKERBOT_CHROMIUM."))
        return None
    emit(ok("Chromium", f"{path} (version {browser.version})"))
    return browser


def _sheets(settings: Settings, clients: Sequence[str], queue_set: bool, google_ok: bool,
            emit: _Printer) -> list[ClientSheet]:
    if not google_ok:
        emit(skip("kø-arket og klientark", "Google-nøglen mangler"))
        return []
    from bot.sheets.client import open_client

    share_with = key_account(settings) or "robottens Google-konto"
    gc = open_client(settings.sheets_endpoint or None, settings.google_credentials or None)
    in_queue: list[str] = []
    if queue_set:
        queue_check, in_queue = check_queue(gc, settings.queue_spreadsheet, share_with)
        emit(queue_check)
    else:
        emit(skip("kø-arket", "RYKKERBOT_QUEUE_SPREADSHEET mangler"))
    ids = list(clients) or in_queue
    if not ids:
        emit(skip("klientark", "ingen job i køen at finde klientark i; tjek et med --client ID"))
        return []
    found: list[ClientSheet] = []
    for key in ids:
        check, client = check_client(gc, key, share_with)
        emit(check)
        if client is not None:
            found.append(client)
    return found
