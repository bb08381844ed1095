"""The composition root: every object is built here from one ``Settings`` and passed down."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable
from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path

import gspread
from playwright.sync_api import Browser

from bot.config import LedgerLogin, Settings
from bot.errors import UNAVAILABLE, BusinessError, SettingsError, SheetsUnavailable
from bot.ledger.composed import ComposedLedger
from bot.ledger.playwright_ledger import LedgerConfig, PlaywrightLedger
from bot.ledger.rest.client import ApiConfig, EconomicClient
from bot.ledger.rest.ledger import EconomicLedger
from bot.ledger.session import LedgerRetry
from bot.mail.budget import Budget
from bot.mail.outbox import OutboxMailer
from bot.mail.port import Mailer
from bot.runner import FlowRunner, SessionLedger
from bot.sheets.client import open_client
from bot.sheets.ratelimit import RateLimiter
from bot.sheets.store import RequestCounter, SheetsRetry, SheetStore
from bot.status_board import SheetStatusBoard
from bot.traces import remove_stale_traces
from bot.usage import Prices, UsageLog, UsageSummary
from jobqueue.archive import Archiver
from jobqueue.backoff import patiently
from jobqueue.job import Job
from jobqueue.queue import JobQueue, QueueSettings
from jobqueue.worker import Worker, WorkerSettings


class Sheets:
    """Opens spreadsheets once per worker and shares one request counter, so a job can report its cost, and one
    rate limiter (``RYKKERBOT_SHEETS_PER_MINUTE``), so the worker's bursts wait for room in Google's quota."""

    def __init__(self, settings: Settings, counter: RequestCounter | None = None) -> None:
        self._settings = settings
        # One rate limiter per worker: it rides on the counter, which the heartbeat's Sheets shares.
        limiter = RateLimiter(settings.sheets_per_minute) if settings.sheets_per_minute > 0 else None
        self.counter = counter or RequestCounter(limiter)
        self._client = open_client(settings.sheets_endpoint or None, settings.google_credentials or None)
        self._stores: dict[str, SheetStore] = {}
        self._lock = threading.Lock()

    @property
    def client(self) -> gspread.Client:
        return self._client

    def open(self, key: str) -> SheetStore:
        with self._lock:
            if key not in self._stores:
                try:
                    retry = SheetsRetry(attempts=max(1, self._settings.sheets_attempts))
                    self._stores[key] = SheetStore.open(self._client, key, counter=self.counter, retry=retry)
                except gspread.exceptions.SpreadsheetNotFound:
                    raise SettingsError(f"Robotten kan ikke åbne regnearket {key}. Del det med "
                                        f"{self.account()} (redaktør), eller ret arkets id.") from None
            return self._stores[key]

    def account(self) -> str:
        """Who the sheets must be shared with: the service account's e-mail, when we know it."""
        path = self._settings.google_credentials
        if path and Path(path).exists():
            try:
                return str(json.loads(Path(path).read_text())["client_email"])
            except (ValueError, KeyError):
                pass
        return "robottens Google-konto"

    def url(self, key: str) -> str:
        if self._settings.sheets_endpoint:
            return f"{self._settings.sheets_endpoint.rstrip('/')}/view/{key}"
        return f"https://docs.google.com/spreadsheets/d/{key}/edit"


def build_mailer(settings: Settings, counter: RequestCounter | None = None) -> Mailer:
    if settings.mailer == "smtp":
        from bot.mail.smtp import SmtpConfig, SmtpMailer

        return SmtpMailer(SmtpConfig.from_settings(settings))
    if settings.mailer == "gmail":
        from bot.mail.gmail import GmailMailer, gmail_config

        config = gmail_config(settings, api_endpoint=settings.gmail_endpoint)
        return GmailMailer(config, budget=gmail_budget(settings, config.delegate or config.from_address, counter))
    name, address = parseaddr(settings.mail_from)  # the demo too: the sender set, not localhost
    return OutboxMailer(settings.outbox_dir, address or "rykkerbot@localhost.localdomain", name)


def gmail_budget(settings: Settings, user: str, counter: RequestCounter | None = None) -> Budget | None:
    """Where the Gmail sends are counted: in the queue spreadsheet's tab Mailforbrug, shared by every worker that
    sends as ``user`` (``RYKKERBOT_GMAIL_BUDGET=sheet``, the default); None: the mailer's file on this machine
    (``file``: ``RYKKERBOT_GMAIL_STATE``; also without a queue spreadsheet). The sheet is opened at the first mail,
    with its own connection (the job's thread) and the worker's request counter."""
    if settings.gmail_budget != "sheet" or not settings.queue_spreadsheet:
        return None
    from bot.sheets.mail_budget import SheetBudget

    opened: list[Sheets] = []

    def open_queue() -> SheetStore:
        if not opened:
            opened.append(Sheets(settings, counter=counter))
        return opened[0].open(settings.queue_spreadsheet)

    return SheetBudget(open_queue, settings.gmail_daily_limit, user, settings.worker_id)


def ledger_config(settings: Settings, login: LedgerLogin, agreement_number: str, *, attempts: int | None = None,
                  initial: float | None = None, timeout_seconds: float | None = None,
                  trace: bool = False) -> LedgerConfig:
    """The web ledger's session settings for one login and agreement: the worker's own (its attempts, backoff,
    timeout and trace), or a check's shorter ones (doctor, check-ledger: fewer attempts, no trace)."""
    return LedgerConfig(base_url=settings.ledger_url, username=login.username, password=login.password,
                        agreement_number=agreement_number,
                        timeout_seconds=settings.ledger_timeout_seconds if timeout_seconds is None else timeout_seconds,
                        retry=LedgerRetry(attempts=max(1, settings.ledger_attempts if attempts is None else attempts),
                                          initial=settings.ledger_retry_seconds if initial is None else initial),
                        trace_dir=settings.artifacts_dir / ".traces" / uuid.uuid4().hex if trace else None)


def ledger_factory(settings: Settings, browser: Browser) -> Callable[[LedgerLogin, str], SessionLedger]:
    def open_ledger(login: LedgerLogin, agreement_number: str) -> SessionLedger:
        ui = PlaywrightLedger(browser, ledger_config(settings, login, agreement_number, trace=settings.trace))
        if login.api is None:
            return ui
        return ComposedLedger(api_ledger(settings, login, agreement_number), ui)  # reads over the API

    return open_ledger


def api_ledger(settings: Settings, login: LedgerLogin, agreement_number: str) -> EconomicLedger:
    """The read verbs over e-conomic's REST API with this login's tokens (``login.api`` must be set)."""
    assert login.api is not None
    client = EconomicClient(ApiConfig(
        app_secret_token=login.api.app_secret_token, agreement_grant_token=login.api.agreement_grant_token,
        login_ref=login.ref, base_url=settings.economic_api_url, attempts=max(1, settings.ledger_attempts),
        initial=settings.ledger_retry_seconds, timeout_seconds=settings.ledger_timeout_seconds))
    return EconomicLedger(client, agreement_number)


def build_worker(settings: Settings, browser: Browser, sheets: Sheets | None = None,
                 mailer: Mailer | None = None) -> Worker:
    remove_stale_traces(settings.artifacts_dir / ".traces")  # left by a worker that was killed mid-job
    sheets = sheets or Sheets(settings)
    if not settings.queue_spreadsheet:
        raise SettingsError("RYKKERBOT_QUEUE_SPREADSHEET er ikke sat: robotten ved ikke, hvilket kø-ark den skal læse.")
    queue_settings = QueueSettings(lease=timedelta(seconds=settings.lease_seconds), max_attempts=settings.max_attempts)
    def open_queue(s: Sheets) -> SheetStore:  # Sheets down at start: wait for it, as an idle worker does
        return patiently(lambda: s.open(settings.queue_spreadsheet), (SheetsUnavailable,), "opening the queue sheet",
                         settings.poll_seconds)

    queue = JobQueue(open_queue(sheets), queue_settings, sleep=_sleep)
    # The heartbeat thread gets its own HTTP session: gspread's is not shared across threads.
    beat_sheets = Sheets(settings, counter=sheets.counter)
    heartbeat_queue = JobQueue(open_queue(beat_sheets), queue_settings)
    usage = UsageLog(lambda: sheets.open(settings.queue_spreadsheet), lambda: sheets.counter.count,
                     Prices(settings.price_per_reminder, settings.price_per_robot_hour))
    runner = FlowRunner(settings, sheets.open, ledger_factory(settings, browser),
                        mailer or build_mailer(settings, sheets.counter), sheets.url, usage=usage)
    worker_settings = WorkerSettings(
        worker_id=settings.worker_id, poll_seconds=settings.poll_seconds,
        retry_base_seconds=settings.retry_base_seconds, retry_cap_seconds=settings.retry_cap_seconds,
        transient=UNAVAILABLE, business=(BusinessError,),
    )
    archive = Archiver(sheets.open(settings.queue_spreadsheet), settings.worker_id)  # old finished rows, hourly
    summary = UsageSummary(lambda: sheets.open(settings.queue_spreadsheet), usage)  # Forbrug pr. måned
    return Worker(queue, runner, SheetStatusBoard(sheets.open), worker_settings, heartbeat_queue=heartbeat_queue,
                  on_bug=evidence_note(settings.artifacts_dir),
                  when_idle=idle_chores(archive.when_idle, summary.when_idle))


def idle_chores(*chores: Callable[[], object]) -> Callable[[], None]:
    """Run each chore when the worker is idle; one that fails does not keep the others from running."""
    def run() -> None:
        failed: BaseException | None = None
        for chore in chores:
            try:
                chore()
            except Exception as e:  # noqa: BLE001 - raised after the others ran; the worker logs it
                failed = failed or e
        if failed is not None:
            raise failed

    return run


def evidence_note(artifacts_dir: Path) -> Callable[[Job, BaseException], str]:
    """``on_bug``: where the runner kept a failed job's screenshot, page and trace (a folder on the worker; no
    secret is in its name), as a Danish sentence for the queue row and the status cell."""
    def note(job: Job, error: BaseException) -> str:
        folder = (artifacts_dir / job.id).resolve()
        kept = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
        if not kept:
            return "Der blev ikke gemt et skærmbillede."
        what = "Skærmbillede og sporing" if any(k.endswith(".zip") for k in kept) else "Skærmbillede"
        return f"{what} er gemt på robotten i {folder}"

    return note


def _sleep(seconds: float) -> None:
    import time

    time.sleep(seconds)
