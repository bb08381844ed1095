"""One logged-in browser session on the ledger site: page loads with retries, login renewal, downloads.

Faults are told apart here: HTTP 5xx, timeouts and network errors are retried with exponential backoff and
jitter (tenacity) and end as ``LedgerUnavailable``; a refused login is ``LedgerAuthError`` at once; landing on
the login page mid-job (the session expired) logs in again and goes on. Any other error is a bug and is raised
as it is. The password never reaches a log, an exception or a trace (tracing is paused while logging in).
"""

from __future__ import annotations

import json
import logging
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote, quote_plus

from playwright.sync_api import BrowserContext, CDPSession, Page, Response
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt, wait_exponential_jitter

from bot.errors import LedgerAuthError, LedgerUnavailable, NotInLedger, SettingProblem
from bot.ledger.pages.login import LoginPage

log = logging.getLogger(__name__)
T = TypeVar("T")


LOADS_PER_PAGE = 10  # then the tab is closed and a new one opened: a tab's renderer only grows while it lives
# (rykkerflow at 5,000 customers: 1,028 MiB PSS with one tab for the job, 741 with a new tab every 10 loads)
GC_EVERY = 1  # page loads between two garbage collections in the tab's renderer: the documents of earlier pages
# stay in its memory until one runs (20 list pages: 140 MiB, 79 after a collection). After every load: the
# renderer peaks ~30 MiB lower than without, for reads ~8% slower.
TRACE_LOADS = 25  # page loads per part of the trace; a job keeps its last TRACE_PARTS parts, the evidence of a bug
TRACE_PARTS = 4  # (Playwright's driver holds what a part recorded until the part is saved: small parts, less held)


class Transient(Exception):
    """One failed load (5xx, no answer); retried."""


def is_transient(error: BaseException) -> bool:
    if isinstance(error, Transient | PlaywrightTimeoutError):
        return True
    # A page whose answer came late (a Send that timed out) may still navigate while the next load starts.
    return isinstance(error, PlaywrightError) and any(s in str(error) for s in ("net::ERR_", "interrupted by another "
                                                                                "navigation"))


@dataclass(frozen=True)
class LedgerRetry:
    attempts: int = 6
    initial: float = 1.0  # seconds before the second attempt (backoff base)
    cap: float = 20.0  # never wait longer than this between attempts

    def retrying(self, what: str, redact: Callable[[str], str]) -> Retrying:
        def give_up(state: RetryCallState) -> None:
            error = state.outcome.exception() if state.outcome else None
            raise LedgerUnavailable(
                f"Regnskabet svarer ikke ({what}) efter {state.attempt_number} forsøg: {redact(str(error))}"
            ) from None

        def before_sleep(state: RetryCallState) -> None:
            error = state.outcome.exception() if state.outcome else None
            log.info("ledger: %s failed (attempt %d): %s", what, state.attempt_number, redact(str(error)))

        return Retrying(
            retry=retry_if_exception(is_transient),
            stop=stop_after_attempt(max(1, self.attempts)),
            wait=wait_exponential_jitter(multiplier=self.initial, max=self.cap, jitter=self.initial),
            retry_error_callback=give_up,
            before_sleep=before_sleep,
            reraise=False,
        )


def secret_forms(secret: str) -> list[bytes]:
    """The ways a secret can be written in a trace: as typed, form-encoded, URL-encoded, JSON-escaped."""
    forms = {secret, quote_plus(secret), quote(secret, safe=""), json.dumps(secret)[1:-1]}
    return sorted({f.encode() for f in forms if f}, key=len, reverse=True)


def scrub_zip(path: Path, secret: str) -> None:
    """Rewrite a trace archive with every form of ``secret`` replaced by ``***``."""
    if not secret:
        return
    forms = secret_forms(secret)
    with zipfile.ZipFile(path) as src:
        entries = [(info, src.read(info)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in entries:
            for form in forms:
                data = data.replace(form, b"***")
            dst.writestr(info, data)


class LedgerSession:
    def __init__(self, context: BrowserContext, base_url: str, credentials: tuple[str, str, str],
                 retry: LedgerRetry, timeout_ms: float, trace_dir: Path | None = None,
                 loads_per_page: int = LOADS_PER_PAGE) -> None:
        self.context = context
        self._timeout_ms = timeout_ms
        self._loads_per_page = max(1, loads_per_page)
        self._loads_here = 0
        self._cdp: CDPSession | None = None
        self.page: Page = self._new_page()
        self._base = base_url.rstrip("/")
        self._credentials = credentials
        self._retry = retry
        self._trace_dir = trace_dir
        self._trace_parts = 0
        self._trace_loads = 0  # page loads in the part being recorded
        self.traces: list[Path] = []
        self.page_loads = 0
        self.logins = 0
        if trace_dir is not None:
            trace_dir.mkdir(parents=True, exist_ok=True)
            # Actions and network only: DOM snapshots of every page cost the renderer and the driver 40-170 MiB
            # at 5,000 customers (bench/scale.py); the evidence has the last page's screenshot and HTML instead.
            context.tracing.start(screenshots=False, snapshots=False)

    def url(self, path: str) -> str:
        return path if path.startswith("http") else f"{self._base}{path}"

    def redact(self, text: str) -> str:
        password = self._credentials[1]
        return text.replace(password, "***") if password else text

    def retrying(self, action: Callable[[], T], what: str) -> T:
        """Run ``action`` until it succeeds; ``LedgerUnavailable`` when the attempts are used up."""
        result: T = self._retry.retrying(what, self.redact)(action)
        return result

    def open(self, path: str) -> Page:
        """Load a page of the site, logging in first if the session has expired."""
        self.retrying(lambda: self.load(path), path)
        return self.page

    def load(self, path: str) -> None:
        """One attempt at loading a page (no retry), in a fresh tab every ``loads_per_page`` loads."""
        if self._loads_here >= self._loads_per_page:
            self._cdp = None  # goes with its tab
            self.page.close()  # first, so the old tab's renderer is gone before the new one starts
            self.page = self._new_page()
        if self._trace_dir is not None and self._trace_loads >= TRACE_LOADS:
            self._pause_tracing()  # the part so far is saved; only the last TRACE_PARTS are kept
            self._resume_tracing()
        self._loads_here += 1
        self._trace_loads += 1
        self.check(self.page.goto(self.url(path)), path)
        if self._loads_here % GC_EVERY == 0:
            self._collect_garbage()

    def _collect_garbage(self) -> None:
        """Free the documents of the pages this tab has left (Chromium's DevTools protocol). Memory only: a
        collection that fails changes nothing else."""
        try:
            if self._cdp is None:
                self._cdp = self.context.new_cdp_session(self.page)
            self._cdp.send("HeapProfiler.collectGarbage")
        except PlaywrightError as e:
            log.debug("no garbage collection in the tab: %s", e)

    def _new_page(self) -> Page:
        page = self.context.new_page()
        page.set_default_timeout(self._timeout_ms)
        page.set_default_navigation_timeout(self._timeout_ms)
        self._loads_here = 0
        return page

    def check(self, response: Response | None, what: str) -> None:
        """After a navigation: count it, fail on 5xx, log in again if it landed on the login page."""
        self.page_loads += 1
        if response is not None and response.status >= 500:
            raise Transient(f"HTTP {response.status} på {what}")
        login = LoginPage(self.page)
        if login.is_current():
            self._log_in(login)
            if LoginPage(self.page).is_current():
                raise Transient(f"stadig på login-siden efter login ({what})")

    def log_in(self) -> None:
        self.open(LoginPage.PATH)

    def _log_in(self, login: LoginPage) -> None:
        username, password, agreement = self._credentials
        self._pause_tracing()
        try:
            response = login.log_in(username, password, agreement)
        except PlaywrightError as e:
            raise Transient(f"login-siden svarede ikke: {self.redact(str(e))}") from None
        finally:
            self._resume_tracing()
        self.page_loads += 1
        self.logins += 1
        if response is not None and response.status >= 500:
            raise Transient(f"HTTP {response.status} ved login")
        if login.is_current():
            message = login.error()
            if message:
                raise LedgerAuthError(SettingProblem(
                    cell="", field="Login-reference / Aftalenummer",
                    message=f"Regnskabet afviste login'et: {message} Ret aftalenummeret i Instruks-fanen, eller "
                            "bed driftsansvarlig om at opdatere brugernavn og adgangskode på robotten.",
                ))

    def download(self, path: str) -> bytes:
        """A file (PDF) with the session's cookies; logs in again if the session has expired."""

        def fetch() -> bytes:
            response = self.context.request.get(self.url(path))
            self.page_loads += 1
            if response.status >= 500:
                raise Transient(f"HTTP {response.status} på {path}")
            if response.status == 404:
                raise NotInLedger(f"{path} findes ikke i regnskabet")
            body = response.body()
            if not body.startswith(b"%PDF"):
                self.load(LoginPage.PATH)  # expired: log in through the page, then fetch again
                raise Transient(f"{path} gav ikke en PDF (sessionen var udløbet)")
            return body

        return self.retrying(fetch, path)

    # -- tracing: saved in parts; the login steps are never recorded --------------------------------------------
    def _pause_tracing(self) -> None:
        if self._trace_dir is not None:
            self._trace_parts += 1
            path = self._trace_dir / f"ledger-trace-{self._trace_parts:02d}.zip"
            self.context.tracing.stop_chunk(path=str(path))
            self.traces.append(path)
            self._trace_loads = 0
            for old in self.traces[:-TRACE_PARTS]:
                old.unlink(missing_ok=True)
            self.traces = self.traces[-TRACE_PARTS:]

    def _resume_tracing(self) -> None:
        if self._trace_dir is not None:
            self.context.tracing.start_chunk()

    def stop_tracing(self) -> None:
        """Save the last part and stop; ``traces`` then lists every part, oldest first, scrubbed of the
        password. (Pausing around the login is not enough on its own: the login request's network entry can
        land in the part that starts right after it.)"""
        if self._trace_dir is not None:
            self._pause_tracing()
            self.context.tracing.stop()
            self._trace_dir = None
            for part in self.traces:
                scrub_zip(part, self._credentials[1])

    def discard_tracing(self) -> None:
        """The job went well: stop without saving and delete the parts saved so far."""
        if self._trace_dir is not None:
            self.context.tracing.stop()
            shutil.rmtree(self._trace_dir, ignore_errors=True)
            self._trace_dir = None
            self.traces = []
