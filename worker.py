"""Rykkerbot's entry point.

    python worker.py run                      poll the queue sheet forever
    python worker.py demo [--script]          the whole flow on one machine (sandbox site + Sheets emulator)
    python worker.py bootstrap [--spreadsheet ID | --queue]   create or repair sheets from the schema
    python worker.py enqueue --client ID --type rykkerflow    put a job on the queue
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from bot.config import Settings
from sheets_schema import JobType


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="worker.py", description="Rykkerbot worker")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="poll the queue and perform jobs")
    run.add_argument("--burst", action="store_true", help="stop when the queue is drained")
    demo = sub.add_parser("demo", help="the whole flow on this machine, no accounts needed")
    demo.add_argument("--script", action="store_true", help="play the scenario without a person, print JSON")
    demo.add_argument("--tick", type=int, default=3, help="how many proposals the script approves")
    demo.add_argument("--ledger-port", type=int, default=8765, help="0 = any free port; taken = any free port")
    demo.add_argument("--sheets-port", type=int, default=8766, help="0 = any free port; taken = any free port")
    demo.add_argument("--workdir", default="var/demo", help="where the demo keeps its databases and outbox")
    boot = sub.add_parser("bootstrap", help="create or repair a client spreadsheet (or the queue) from the schema")
    boot.add_argument("--spreadsheet", help="existing spreadsheet id; omitted: create a new one")
    boot.add_argument("--queue", action="store_true", help="the queue spreadsheet instead of a client's")
    boot.add_argument("--title", default="")
    enq = sub.add_parser("enqueue", help="put a job on the queue")
    enq.add_argument("--client", required=True, help="the client spreadsheet id")
    enq.add_argument("--type", required=True, choices=[t.value for t in JobType])
    enq.add_argument("--by", default="kommandolinje", help="requested by")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    if args.command == "demo":
        from sandbox.demo import run_demo
        from sandbox.serving import port_if_free

        return run_demo(script=args.script, tick=args.tick, ledger_port=port_if_free(args.ledger_port),
                        sheets_port=port_if_free(args.sheets_port), workdir=Path(args.workdir))
    settings = Settings.from_env()
    if args.command == "run":
        return _run(settings, burst=args.burst)
    if args.command == "bootstrap":
        return _bootstrap(settings, args.spreadsheet, args.queue, args.title)
    return _enqueue(settings, args.client, JobType(args.type), args.by)


def _run(settings: Settings, burst: bool) -> int:
    from playwright.sync_api import sync_playwright

    from bot.app import build_worker
    from bot.browser import launch_browser

    with sync_playwright() as pw:
        browser = launch_browser(pw, headless=settings.headless, executable_path=settings.chromium or None)
        worker = build_worker(settings, browser)
        try:
            worker.work(burst=burst)
        except KeyboardInterrupt:
            logging.info("stopped")
        finally:
            browser.close()
    return 0


def _bootstrap(settings: Settings, spreadsheet: str | None, queue: bool, title: str) -> int:
    from bot.app import Sheets
    from bot.sheets.bootstrap import bootstrap_client, bootstrap_queue

    sheets = Sheets(settings)
    if queue:
        key = bootstrap_queue(sheets.client, spreadsheet, title or "Rykkerbot kø")
    else:
        key = bootstrap_client(sheets.client, spreadsheet, title or "Rykkerbot klient")
    print(key)
    return 0


def _enqueue(settings: Settings, client: str, job_type: JobType, by: str) -> int:
    from bot.app import Sheets
    from jobqueue.queue import JobQueue

    sheets = Sheets(settings)
    job = JobQueue(sheets.open(settings.queue_spreadsheet)).enqueue(client, job_type, by)
    print(job.id)
    return 0


if __name__ == "__main__":
    sys.exit(main())
