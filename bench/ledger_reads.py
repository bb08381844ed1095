"""API reads against UI page loads for the same Ledger verbs, on the demo dataset and one ten times larger.

    python -m bench.ledger_reads [--sizes 300,3000] [--page-size 1000] [--json]

For each dataset size the sandbox site is started on loopback; the same read verbs a job uses (customers,
payment terms, open, overdue and all invoices, one customer with contacts, the company) are run once over
e-conomic's REST API (``EconomicLedger``) and once through the web UI in real Chromium (``PlaywrightLedger``),
after each has logged in. It prints, per size and verb, HTTP requests and page loads, wall seconds, and the
ratios. Both read the same data; the run checks that they agree. Times are this machine's, for comparison only.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

from bot.browser import launch_browser, started_playwright
from bot.ledger.playwright_ledger import LedgerConfig, PlaywrightLedger
from bot.ledger.rest.client import ApiConfig, EconomicClient
from bot.ledger.rest.ledger import EconomicLedger
from bot.records import InvoiceFilter
from sandbox.ledger import create_app, db
from sandbox.ledger.config import SandboxConfig
from sandbox.serving import ServerThread

TODAY = date(2026, 11, 23)


@dataclass(frozen=True)
class Row:
    customers: int
    invoices: int
    verb: str
    api_requests: int
    api_seconds: float
    ui_page_loads: int
    ui_seconds: float

    @property
    def request_ratio(self) -> float:
        return self.ui_page_loads / max(1, self.api_requests)

    @property
    def time_ratio(self) -> float:
        return self.ui_seconds / max(1e-6, self.api_seconds)


def verbs(customer_number: int) -> list[tuple[str, Callable[[Any], object]]]:
    return [
        ("customers", lambda ledger: ledger.customers()),
        ("payment_terms", lambda ledger: ledger.payment_terms()),
        ("invoices(open)", lambda ledger: ledger.invoices(InvoiceFilter.OPEN)),
        ("invoices(overdue)", lambda ledger: ledger.invoices(InvoiceFilter.OVERDUE)),
        ("invoices(all)", lambda ledger: ledger.invoices(InvoiceFilter.ALL)),
        ("customer(n)", lambda ledger: ledger.customer(customer_number)),
        ("company", lambda ledger: ledger.company()),
    ]


def measure(ledger: Any, cost: Callable[[], int], read: Callable[[Any], object]) -> tuple[object, int, float]:
    before, start = cost(), time.perf_counter()
    found = read(ledger)
    return found, cost() - before, time.perf_counter() - start


def run_size(customers: int, page_size: int, workdir: Path, browser: Any) -> list[Row]:
    config = SandboxConfig(today=TODAY, customers=customers, db_path=workdir / f"ledger-{customers}.db")
    with ServerThread(create_app(config)) as srv:
        conn = db.connect(workdir / f"ledger-{customers}.db")
        n_invoices, first = len(db.invoices(conn)), db.invoices(conn)[0].customer_number
        api = EconomicLedger(EconomicClient(ApiConfig("demo", "demo", "demo", base_url=f"{srv.url}/restapi",
                                                      page_size=page_size)), config.agreement_number)
        ui = PlaywrightLedger(browser, LedgerConfig(base_url=srv.url, username=config.username,
                                                    password=config.password,
                                                    agreement_number=config.agreement_number, timeout_seconds=60))
        rows = []
        try:
            api.login()
            ui.login()
            for name, read in verbs(first):
                a, a_cost, a_time = measure(api, lambda: api.requests, read)
                u, u_cost, u_time = measure(ui, lambda: ui.page_loads, read)
                if a != u:
                    raise SystemExit(f"{customers} customers, {name}: the API and the UI read different data")
                rows.append(Row(customers, n_invoices, name, a_cost, a_time, u_cost, u_time))
        finally:
            ui.close()
            api.close()
    return rows


def table(rows: Sequence[Row]) -> str:
    out = [f"{'customers':>9} {'invoices':>8}  {'verb':<18} {'API req':>7} {'API s':>7} {'UI loads':>8} "
           f"{'UI s':>7} {'loads/req':>9} {'UI/API time':>11}"]
    for size in sorted({r.customers for r in rows}):
        mine = [r for r in rows if r.customers == size]
        total = Row(size, mine[0].invoices, "all verbs", sum(r.api_requests for r in mine),
                    sum(r.api_seconds for r in mine), sum(r.ui_page_loads for r in mine),
                    sum(r.ui_seconds for r in mine))
        for r in [*mine, total]:
            out.append(f"{r.customers:>9} {r.invoices:>8}  {r.verb:<18} {r.api_requests:>7} {r.api_seconds:>7.2f} "
                       f"{r.ui_page_loads:>8} {r.ui_seconds:>7.2f} {r.request_ratio:>9.1f} {r.time_ratio:>11.1f}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ledger_reads", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="300,3000", help="customers in each generated dataset")
    parser.add_argument("--page-size", type=int, default=1000, help="API pagesize (e-conomic allows 1000)")
    parser.add_argument("--json", action="store_true", help="one JSON line per row instead of the table")
    args = parser.parse_args(argv)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="bench-ledger-") as tmp, started_playwright() as pw:
        browser = launch_browser(pw)
        try:
            for size in (int(s) for s in args.sizes.split(",")):
                rows += run_size(size, args.page_size, Path(tmp), browser)
        finally:
            browser.close()
    if args.json:
        for r in rows:
            print(json.dumps({**asdict(r), "request_ratio": round(r.request_ratio, 2),
                              "time_ratio": round(r.time_ratio, 2)}))
    else:
        print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
