"""Rykkerbot's entry point: one function adds each subcommand to the parser, one function runs it.

    python worker.py run                      poll the queue sheet forever
    python worker.py demo [--script]          the whole flow on one machine (sandbox site + Sheets emulator)
    python worker.py bootstrap [--spreadsheet ID | --queue]   create or repair sheets from the schema
    python worker.py enqueue --client ID --type rykkerflow    put a job on the queue
    python worker.py doctor [--client ID]     pre-flight check before going live
    python worker.py check-ledger --client ID read-only probe of a client's ledger (API and web UI)
    python worker.py archive [--days 7]       move old finished jobs from the queue tab to Kø-arkiv

A command that needs configuration checks it first and says what is missing (exit 2), never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.browser import BrowserMissing
from bot.config import ConfigError, Settings
from bot.errors import SettingsError
from sheets_schema import JobType

if TYPE_CHECKING:
    from playwright.sync_api import Browser

JOB_TYPES = {
    JobType.RYKKERFLOW: "read the ledger, write reminder proposals to Rykkerforslag (full-auto: send them, then "
                        "queue inkassoforslag); report payments on cases handed over",
    JobType.SEND_RYKKERE: "send the reminders ticked in Rykkerforslag through the ledger, mail a status (then "
                          "queues inkassoforslag)",
    JobType.INKASSOFORSLAG: "write debt-collection proposals to Inkassoforslag",
    JobType.OPRET_SAGER: "hand the cases ticked in Inkassoforslag over to the inkasso partner by mail",
    JobType.SEND_SAGSAENDRINGER: "mail the actions chosen in Sager (message, postponed due date, pause, resume, "
                                 "withdrawal) to the inkasso partner, one mail per case",
}
JOB_HELP = "job types (a button in the client's sheet queues the same):\n" + "\n".join(
    f"  {t.value:<19} {text}" for t, text in JOB_TYPES.items())
ENVIRONMENT = """\
environment (all settings; README.md "Configuration", docs/going-live.md):
  RYKKERBOT_QUEUE_SPREADSHEET     id of the queue spreadsheet (run, enqueue, doctor)
  GOOGLE_APPLICATION_CREDENTIALS  service-account JSON key (Sheets, Gmail); unset: application-default
  RYKKERBOT_SHEETS_ENDPOINT       a Sheets API emulator instead of Google (the demo sets it)
  RYKKERBOT_LEDGER_URL            the accounting site (default http://127.0.0.1:8765)
  RYKKERBOT_LOGIN_<REF>_USERNAME  ledger login named by a client's Login-reference (and _PASSWORD)
  RYKKERBOT_ECONOMIC_<REF>_APP_SECRET  e-conomic REST API tokens (and _GRANT_TOKEN): reads over the API
  RYKKERBOT_MAILER                outbox (default, .eml files in RYKKERBOT_OUTBOX), smtp or gmail
  SMTP_HOST, SMTP_PORT, SMTP_SECURITY, SMTP_USERNAME, SMTP_PASSWORD   the smtp mailer
  RYKKERBOT_MAIL_FROM             sender, "Name <address>"
  RYKKERBOT_CHROMIUM              browser binary (default /usr/bin/chromium, else Playwright's own)"""

Handler = Callable[[argparse.Namespace], int]
CLIENT_HELP = "the client spreadsheet id (one that starts with '-' is given as --client=ID)"


class HelpFormatter(argparse.ArgumentDefaultsHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Defaults shown after each option's help (not the empty ones of flags); descriptions and epilogs keep their
    line breaks."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        if action.default in (None, False, "", []):
            return action.help
        return super()._get_help_string(action)


class _Explicit(argparse.Action):
    """Stores the value and remembers that the user gave it (``<dest>_given``), so a default can be treated
    differently from the same value typed on the command line."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        setattr(namespace, self.dest, values)
        setattr(namespace, f"{self.dest}_given", True)


def _command(sub: Any, name: str, summary: str, description: str, handler: Handler,
             epilog: str | None = ENVIRONMENT) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = sub.add_parser(name, help=summary, description=description, epilog=epilog,
                                                     formatter_class=HelpFormatter)
    parser.set_defaults(handler=handler, command=name)
    return parser


# --- run ------------------------------------------------------------------------------------------------------
def add_run(sub: Any) -> None:
    p = _command(sub, "run", "poll the queue and perform jobs",
                 "Poll the queue sheet and perform each job in turn (one browser, one job at a time).\n\n" + JOB_HELP,
                 cmd_run)
    p.add_argument("--burst", action="store_true", help="stop when the queue is drained instead of polling forever")


def cmd_run(args: argparse.Namespace) -> int:
    from bot.app import build_worker

    settings = configured("run", queue=True, mailer=True)
    if settings is None:
        return 2
    with launched(settings) as browser:
        worker = build_worker(settings, browser)
        try:
            worker.work(burst=args.burst)
        except KeyboardInterrupt:
            logging.info("stopped")
    return 0


# --- demo -----------------------------------------------------------------------------------------------------
def add_demo(sub: Any) -> None:
    p = _command(sub, "demo", "the whole flow on this machine, no accounts needed",
                 "Start the sandbox accounting site, the Sheets emulator and a worker on loopback, and print their "
                 "URLs.\nNeeds no configuration, only Chromium. Each run starts from new data and an empty outbox.",
                 cmd_demo, epilog="A port given on the command line must be free; a default port that is taken "
                                  "is replaced by a free one (the demo says so).")
    p.add_argument("--script", action="store_true",
                   help="play the scenario without a person and print a JSON summary last")
    p.add_argument("--tick", type=int, default=3, metavar="N", help="how many reminder proposals the script approves")
    p.add_argument("--ledger-port", type=int, default=8765, action=_Explicit, metavar="PORT",
                   help="port of the sandbox accounting site (0 = any free port)")
    p.add_argument("--sheets-port", type=int, default=8766, action=_Explicit, metavar="PORT",
                   help="port of the Sheets emulator (0 = any free port)")
    p.add_argument("--workdir", default="var/demo", metavar="DIR", help="where the demo keeps its databases and outbox")


def cmd_demo(args: argparse.Namespace) -> int:
    from sandbox.demo import run_demo
    from sandbox.serving import PortTaken, resolve_port

    ports: list[int | None] = []
    for flag, port in (("--ledger-port", args.ledger_port), ("--sheets-port", args.sheets_port)):
        given = getattr(args, f"{flag[2:].replace('-', '_')}_given", False)
        try:
            chosen, note = resolve_port(port, flag, explicit=given)
        except PortTaken as e:
            print(f"worker.py demo: {e}", file=sys.stderr)
            return 2
        if note:
            print(note, flush=True)
        ports.append(chosen)
    return run_demo(script=args.script, tick=args.tick, ledger_port=ports[0], sheets_port=ports[1],
                    workdir=Path(args.workdir))


# --- bootstrap ------------------------------------------------------------------------------------------------
def add_bootstrap(sub: Any) -> None:
    p = _command(sub, "bootstrap", "create or repair a client spreadsheet (or the queue) from the schema",
                 "Create a spreadsheet, or repair an existing one, from sheets_schema: missing tabs, headers, "
                 "checkboxes\nand dropdowns are added; what the bookkeeper typed is kept. Prints the spreadsheet "
                 "id. Safe to run again.", cmd_bootstrap)
    p.add_argument("--spreadsheet", metavar="ID",
                   help="the spreadsheet to fill or repair (a person creates it and shares it with the robot's "
                        "account); omitted: create a new one, which Google refuses a service account")
    p.add_argument("--queue", action="store_true", help="the queue spreadsheet (tab Kø) instead of a client's")
    p.add_argument("--title", default="",
                   help="title of a newly created spreadsheet (empty: 'Rykkerbot kø' or 'Rykkerbot klient')")


def cmd_bootstrap(args: argparse.Namespace) -> int:
    import gspread

    from bot.app import Sheets
    from bot.doctor.bootstrap import bootstrap_client, bootstrap_queue

    settings = configured("bootstrap")
    if settings is None:
        return 2
    sheets = Sheets(settings)
    try:
        if args.queue:
            key = bootstrap_queue(sheets.client, args.spreadsheet, args.title or "Rykkerbot kø")
        else:
            key = bootstrap_client(sheets.client, args.spreadsheet, args.title or "Rykkerbot klient")
    except (gspread.exceptions.SpreadsheetNotFound, PermissionError):
        print(f"worker.py bootstrap: regnearket {args.spreadsheet} findes ikke, eller robotten har ikke adgang: tjek "
              f"id'et, og del arket med {sheets.account()} som redaktør.", file=sys.stderr)
        return 2
    print(key)
    return 0


# --- enqueue --------------------------------------------------------------------------------------------------
def add_enqueue(sub: Any) -> None:
    p = _command(sub, "enqueue", "put a job on the queue",
                 "Put a job on the queue sheet, as a button in the client's sheet does. Prints the job id.\n\n"
                 + JOB_HELP, cmd_enqueue)
    p.add_argument("--client", required=True, metavar="ID", help=CLIENT_HELP)
    p.add_argument("--type", required=True, choices=[t.value for t in JobType], help="the job type (see above)")
    p.add_argument("--by", default="kommandolinje", metavar="NAME",
                   help="requested by (the queue's 'Bestilt af' column)")


def cmd_enqueue(args: argparse.Namespace) -> int:
    from bot.app import Sheets
    from jobqueue.queue import JobQueue

    settings = configured("enqueue", queue=True)
    if settings is None:
        return 2
    sheets = Sheets(settings)
    job = JobQueue(sheets.open(settings.queue_spreadsheet)).enqueue(args.client, JobType(args.type), args.by)
    print(job.id)
    return 0


# --- doctor ---------------------------------------------------------------------------------------------------
def add_doctor(sub: Any) -> None:
    p = _command(sub, "doctor", "pre-flight check before going live (writes and sends nothing)",
                 "Check, one line each (OK or FEJL with what to do): the configuration, the Google key, Chromium,\n"
                 "the queue sheet, each client sheet in the queue (tabs and headers as the schema says), each "
                 "client's\nledger login, and the mailer (SMTP: connect and log in; outbox: writable; gmail: the "
                 "client builds).\nExit 0 when all is OK, 1 otherwise.", cmd_doctor)
    p.add_argument("--client", action="append", default=[], metavar="ID",
                   help="check this client spreadsheet instead of those the queue names (repeatable)")
    p.set_defaults(log_level=logging.WARNING)


def cmd_doctor(args: argparse.Namespace) -> int:
    from bot.doctor import run_doctor

    try:
        settings = Settings.from_env()
    except ConfigError as e:
        print(f"FEJL konfiguration: {e}", file=sys.stderr)
        return 1
    return run_doctor(settings, args.client)


# --- check-ledger ---------------------------------------------------------------------------------------------
def add_check_ledger(sub: Any) -> None:
    p = _command(sub, "check-ledger", "read-only probe of one client's ledger (API and web UI)",
                 "Log in to the client's ledger over e-conomic's REST API (when RYKKERBOT_ECONOMIC_<REF>_APP_SECRET "
                 "and\n_GRANT_TOKEN are set) and through the web UI, count customers, open and overdue invoices, and "
                 "print\nwhat could not be read. Sends and writes nothing. Exit 0 when everything was read, 1 "
                 "otherwise.", cmd_check_ledger)
    p.add_argument("--client", required=True, metavar="ID", help=CLIENT_HELP)
    p.set_defaults(log_level=logging.WARNING)


def cmd_check_ledger(args: argparse.Namespace) -> int:
    from bot.app import Sheets
    from bot.doctor.ledger_probe import check_ledger, client_login, report
    from sheets_schema import INSTRUKS

    settings = configured("check-ledger")
    if settings is None:
        return 2
    client = client_login(settings, Sheets(settings).open(args.client).read_settings(INSTRUKS))
    with launched(settings) as browser:
        checks = check_ledger(settings, browser, client)
    print(report(checks))
    return 0 if all(c.ok for c in checks) else 1


# --- archive --------------------------------------------------------------------------------------------------
def add_archive(sub: Any) -> None:
    p = _command(sub, "archive", "move old finished jobs from the queue tab to Kø-arkiv",
                 "Move the queue's Færdig and Fejl rows older than --days to the tab Kø-arkiv, so that polling reads "
                 "a small\ntab. Safe while workers run: nothing moves while a job is I gang, and claims wait for a "
                 "marker row\nmeanwhile. A running worker does the same by itself once an hour when it is idle.",
                 cmd_archive)
    p.add_argument("--days", type=float, default=7.0, metavar="N", help="move rows finished more than N days ago")
    p.add_argument("--settle", type=float, default=90.0, metavar="SECONDS",
                   help="wait between the marker and the move (claims read before the marker land meanwhile)")


def cmd_archive(args: argparse.Namespace) -> int:
    from datetime import timedelta

    from bot.app import Sheets
    from jobqueue.archive import Archiver, ArchiveSettings

    settings = configured("archive", queue=True)
    if settings is None:
        return 2
    store = Sheets(settings).open(settings.queue_spreadsheet)
    archive = ArchiveSettings(keep=timedelta(days=args.days), settle=args.settle)
    result = Archiver(store, f"{settings.worker_id} (archive)", archive).run(min_rows=1)
    print(result.message)
    return 0


# --------------------------------------------------------------------------------------------------------------
COMMANDS: Sequence[Callable[[Any], None]] = (add_run, add_demo, add_bootstrap, add_enqueue, add_doctor,
                                              add_check_ledger, add_archive)


def configured(command: str, queue: bool = False, mailer: bool = False) -> Settings | None:
    """The settings, or None after printing every missing or wrong setting and where they are described."""
    from bot.doctor.config import DOCS, missing_configuration, report

    try:
        settings = Settings.from_env()
    except ConfigError as e:
        print(f"worker.py {command}: {e}\n{DOCS}", file=sys.stderr)
        return None
    problems = missing_configuration(settings, queue=queue, mailer=mailer)
    if problems:
        print(report(command, problems), file=sys.stderr)
        return None
    return settings


@contextmanager
def launched(settings: Settings) -> Iterator[Browser]:
    """Chromium for a command, closed afterwards; ``BrowserMissing`` (one line, what to install) when there is
    none."""
    from bot.browser import launch_browser, locate_browser, started_playwright

    with started_playwright() as pw:
        path = locate_browser(pw, settings.chromium or None)
        browser = launch_browser(pw, headless=settings.headless, executable_path=path)
        try:
            yield browser
        finally:
            browser.close()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="worker.py", formatter_class=HelpFormatter, epilog=ENVIRONMENT,
        description="Rykkerbot: a robot worker, driven from Google Sheets, that sends payment reminders and hands "
                    "cases over to debt collection.\nStart with: worker.py demo. Before going live: worker.py "
                    "doctor.\n\n" + JOB_HELP)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    for add in COMMANDS:
        add(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=getattr(args, "log_level", logging.INFO),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    handler: Handler = args.handler
    try:
        return handler(args)
    except SettingsError as e:  # the operator's or the bookkeeper's to fix: the message says what, no traceback
        print(f"worker.py {args.command}: {e.summary()}", file=sys.stderr)
        return 2
    except BrowserMissing as e:
        print(e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
