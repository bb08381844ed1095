"""The job handler: open the client's sheets, read and check its settings, open the ledger, run the flow.

It is what the worker loop calls for every claimed job; the flows never see where their adapters come from.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Protocol

from bot.channels.delivery import SentLookup
from bot.config import LedgerLogin, Settings
from bot.dunning.instructions import parse_settings
from bot.dunning.models import ClientSettings
from bot.errors import UNAVAILABLE, BusinessError, SettingProblem, SettingsError
from bot.events.log import SheetEvents, run_failed
from bot.flows import inkassoforslag, opret_sager, rykkerflow, send_rykkere, send_sagsaendringer
from bot.flows.context import ClientStore, FlowContext
from bot.flows.mails import mail_settings_error
from bot.ledger.port import Ledger
from bot.mail.port import Mailer
from bot.settings_check import exclusions_probe, ledger_problems, ledger_usable
from bot.usage import CountingMailer, JobUsage, UsageLog, UsageTally
from jobqueue.worker import JobContext
from sheets_schema import INSTRUKS, JobStatus, JobType

log = logging.getLogger(__name__)

FLOWS: dict[JobType, Callable[[FlowContext], str]] = {
    JobType.RYKKERFLOW: rykkerflow.run,
    JobType.SEND_RYKKERE: send_rykkere.run,
    JobType.INKASSOFORSLAG: inkassoforslag.run,
    JobType.OPRET_SAGER: opret_sager.run,
    JobType.SEND_SAGSAENDRINGER: send_sagsaendringer.run,
}


class SessionLedger(Ledger, Protocol):
    """A ledger session for one job: closed when the job ends; keeps evidence when the job hits a bug."""

    def close(self) -> None: ...

    def save_artifacts(self, directory: Path) -> list[Path]: ...


LedgerFactory = Callable[[LedgerLogin, str], SessionLedger]  # (login, agreement number) -> a new session


class FlowRunner:
    def __init__(
        self,
        settings: Settings,
        open_store: Callable[[str], ClientStore],
        open_ledger: LedgerFactory,
        mailer: Mailer,
        sheet_url: Callable[[str], str],
        clock: Callable[[], datetime] = lambda: datetime.now().astimezone(),
        usage: UsageLog | None = None,
    ) -> None:
        self._settings = settings
        self._open_store = open_store
        self._open_ledger = open_ledger
        self._mailer = CountingMailer(mailer)
        self._sheet_url = sheet_url
        self._clock = clock
        self._usage = usage  # one Forbrug row per job attempt in the queue spreadsheet
        self.page_loads = 0  # ledger page loads of every job so far (a cost counter for reports)
        self.api_requests = 0  # of those, requests to the ledger's REST API

    def today(self) -> date:
        return self._settings.today or self._clock().date()

    def _sent_lookup(self) -> SentLookup | None:
        """Gmail can be asked whether a customer mail went out (a run that died mid-send); SMTP and the
        outbox cannot (None: such a mail is left for a person to check)."""
        if self._settings.mailer != "gmail":
            return None
        from bot.mail.gmail import gmail_config
        from bot.mail.gmail_lookup import GmailSentLookup

        return GmailSentLookup(gmail_config(self._settings, api_endpoint=self._settings.gmail_endpoint))

    def __call__(self, ctx: JobContext) -> str:
        """Run the job; its usage (counts, robot time, outcome) becomes one Forbrug row, however it ends."""
        job = ctx.job
        usage = JobUsage(job.id, job.client_sheet, job.type.value, outcome=JobStatus.FAILED.value)
        start, loads, api, mails = time.monotonic(), self.page_loads, self.api_requests, self._mailer.sent
        sheets = self._usage.sheets_requests() if self._usage else 0
        try:
            summary = self._run(ctx, usage)
            usage.outcome = JobStatus.DONE.value
            return summary
        except UNAVAILABLE:
            usage.outcome = JobStatus.RETRYING.value
            raise
        finally:
            if self._usage is not None:
                usage.seconds = time.monotonic() - start
                usage.api_requests = self.api_requests - api
                usage.page_loads = self.page_loads - loads - usage.api_requests
                usage.mails = self._mailer.sent - mails
                usage.sheets_requests = self._usage.sheets_requests() - sheets
                self._usage.write(usage)

    def _run(self, ctx: JobContext, usage: JobUsage) -> str:
        store = self._open_store(ctx.job.client_sheet)
        events = SheetEvents(store, ctx.job, self._clock)
        try:
            return self._run_flow(ctx, usage, store, events)
        finally:
            events.flush()  # the event log's lines of this attempt, in one append

    def _run_flow(self, ctx: JobContext, usage: JobUsage, store: ClientStore, events: SheetEvents) -> str:
        job = ctx.job
        values = store.read_settings(INSTRUKS)
        usage.client_name = str(values.get("client_name", "") or "")
        try:
            client, login = self._settings_and_login(values)
        except SettingsError as e:
            mail_settings_error(self._mailer, values, e, self._sheet_url(job.client_sheet))
            run_failed(events, e)
            raise
        sessions: list[SessionLedger] = []

        def open_ledger() -> Ledger:
            session = self._open_ledger(login, client.agreement_number)
            sessions.append(session)
            return session

        flow = FlowContext(job=ctx, store=store, settings=client, mailer=self._mailer, today=self.today(),
                           now=self._clock, sheet_url=self._sheet_url(job.client_sheet), open_ledger=open_ledger,
                           send_batch=self._settings.send_batch, sent_lookup=self._sent_lookup, events=events,
                           journal_observers=(UsageTally(usage), events))
        try:
            return FLOWS[job.type](flow)
        except SettingsError as e:
            mail_settings_error(self._mailer, values, e, self._sheet_url(job.client_sheet))
            run_failed(events, e)
            raise
        except BusinessError as e:
            run_failed(events, e)
            raise  # the user's to fix: no evidence needed
        except UNAVAILABLE:
            raise  # the worker's to retry
        except Exception as e:  # a bug: keep what the browser showed
            for s in sessions:
                self._keep_evidence(s, job.id)
            run_failed(events, e)
            raise
        finally:
            for s in sessions:
                self.page_loads += s.page_loads
                self.api_requests += getattr(s, "api_requests", 0)
                s.close()

    def _settings_and_login(self, values: Mapping[str, str]) -> tuple[ClientSettings, LedgerLogin]:
        """The checked settings and the ledger login; else one ``SettingsError`` with every problem: the form's,
        the login reference's, and (when the ledger can be opened) the exclusions the ledger does not know."""
        problems: list[SettingProblem] = []
        client: ClientSettings | None = None
        login: LedgerLogin | None = None
        try:
            client = parse_settings(values)
        except SettingsError as e:
            problems += e.problems
        ref = client.login_ref if client else str(values.get("login_ref", "") or "").strip()
        if ref:
            try:
                login = self._settings.login(ref, INSTRUKS.ref("login_ref"))
            except SettingsError as e:
                problems += e.problems
        if client is not None and login is not None and not problems:
            return client, login
        if login is not None and ledger_usable(problems):
            problems += self._ledger_problems(values, login)
        raise SettingsError(problems)

    def _ledger_problems(self, values: Mapping[str, str], login: LedgerLogin) -> list[SettingProblem]:
        """The exclusions checked against the ledger although the form has problems (best effort: a ledger that
        is down or refuses the login adds nothing, or its own problem, to what the form already says)."""
        probe = exclusions_probe(values)
        if probe is None:
            return []
        session = self._open_ledger(login, probe.agreement_number)
        try:
            session.login()
            return ledger_problems(probe, session.customers(), session.payment_terms())
        except SettingsError as e:  # the ledger refused the login or agreement
            return list(e.problems)
        except Exception:  # noqa: BLE001 - down, or a bug the next run meets: the form's problems still go out
            log.warning("settings: the ledger could not be checked, only the form's problems are reported",
                        exc_info=True)
            return []
        finally:
            self.page_loads += session.page_loads
            self.api_requests += getattr(session, "api_requests", 0)
            session.close()

    def _keep_evidence(self, session: SessionLedger, job_id: str) -> None:
        try:
            saved = session.save_artifacts(self._settings.artifacts_dir / job_id)
            log.error("job %s: evidence kept in %s", job_id, ", ".join(str(p) for p in saved))
        except Exception:  # noqa: BLE001 - evidence is best effort; the original error is what matters
            log.warning("job %s: could not keep a screenshot", job_id, exc_info=True)
