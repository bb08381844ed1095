"""Scale benchmark: the whole dunning round on generated ledgers of several sizes.

``python -m bench.scale --customers 300,1500,5000`` builds a ``LocalStack`` (sandbox site + Sheets emulator)
per size, runs rykkerflow (approval mode), ticks every proposal, runs send_rykkere and the inkassoforslag it
queues, then approves 40 of the cases and runs opret_sager (one mail per case). Each job runs in a worker
process of its own (``--child``: one job, then exit) with its own Chromium, so the memory measured is the
worker's and its browser's only: PSS summed over the worker process and all its descendants (Playwright's
driver, Chromium's processes), read from ``/proc/<pid>/smaps_rollup`` twice a second (and the private part,
USS, which other Chromiums on the machine do not lower). It prints one JSON line per job and a table: proposals,
Sheets requests, the most Sheets requests in any 60 s, ledger page loads, seconds per Send batch (and of it in
the ledger), peak PSS. Counts and ratios are the result; the seconds are for reading, not for pass/fail.
"""

from __future__ import annotations

import argparse
import bisect
import dataclasses
import json
import os
import pickle
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.sheets.ratelimit import DEFAULT_PER_MINUTE, RateLimiter
from bot.sheets.retry import RequestCounter
from jobqueue.queue import JobQueue
from jobqueue.worker import JobContext, JobHandler
from sandbox.ledger.config import SandboxConfig
from sandbox.stack import LocalStack
from sheets_schema import INKASSOFORSLAG, RYKKERFORSLAG, JobType

MIB = 1024 * 1024
HAND_OVER = 40  # inkasso cases approved and handed over (one mail each) at every size


# -- the worker process --------------------------------------------------------------------------------------
class TimedCounter(RequestCounter):
    """Counts Sheets requests as the store does, and remembers when each was made. With the worker's own rate
    limiter (RYKKERBOT_SHEETS_PER_MINUTE's default), as in production: the local stack runs without one."""

    def __init__(self) -> None:
        super().__init__(RateLimiter(DEFAULT_PER_MINUTE))
        self.times: list[float] = []

    def add(self, n: int = 1) -> None:
        super().add(n)
        self.times.extend([time.monotonic()] * n)

    def most_in(self, seconds: float) -> int:
        """The most requests in any window of ``seconds``."""
        t = sorted(self.times)
        return max((bisect.bisect_right(t, start + seconds) - i for i, start in enumerate(t)), default=0)


class Recorder:
    """Wraps the worker's handler: which job ran and how it ended."""

    def __init__(self, handler: JobHandler) -> None:
        self.handler = handler
        self.job = ""
        self.summary = ""

    def __call__(self, ctx: JobContext) -> str:
        self.job = ctx.job.type.value
        try:
            self.summary = self.handler(ctx)
        except BaseException as e:
            self.summary = f"{type(e).__name__}: {e}"
            raise
        return self.summary


def time_sends(starts: list[float], took: list[float]) -> None:
    """Note when each Send batch starts and how long the ledger took (the driver's ``send_reminders``); this
    process only."""
    from bot.ledger.playwright_ledger import PlaywrightLedger

    send: Callable[..., Any] = PlaywrightLedger.send_reminders

    def timed(self: PlaywrightLedger, *args: Any, **kwargs: Any) -> Any:
        starts.append(time.monotonic())
        try:
            return send(self, *args, **kwargs)
        finally:
            took.append(time.monotonic() - starts[-1])

    setattr(PlaywrightLedger, "send_reminders", timed)  # noqa: B010 - a benchmark's probe, in its own process


def child(settings_file: Path) -> int:
    """Run one job as the worker does and print what it cost as one JSON line."""
    from bot.app import Sheets, build_worker
    from bot.browser import CHROMIUM_ARGS, chromium_path, started_playwright
    from bot.runner import FlowRunner

    settings: Settings = pickle.loads(settings_file.read_bytes())  # noqa: S301 - written by our parent
    counter = TimedCounter()
    sends: list[float] = []
    in_ledger: list[float] = []
    time_sends(sends, in_ledger)
    started = time.monotonic()
    with started_playwright() as pw:
        extra = os.environ.get("BENCH_CHROMIUM_ARGS", "").split()  # --chromium-args: flags to compare
        browser = pw.chromium.launch(headless=True, executable_path=settings.chromium or chromium_path(),
                                     args=[*CHROMIUM_ARGS, *extra])
        worker = build_worker(settings, browser, sheets=Sheets(settings, counter=counter))
        runner = worker.handler
        recorder = Recorder(runner)
        worker.handler = recorder
        worker.work(burst=True, max_jobs=1)
        browser.close()
    gaps = [b - a for a, b in zip(sends, sends[1:], strict=False)]
    print(json.dumps({
        "job": recorder.job,
        "summary": recorder.summary,
        "sheets_requests": counter.count,
        "sheets_max_60s": counter.most_in(60.0),
        "page_loads": runner.page_loads if isinstance(runner, FlowRunner) else None,
        "send_batches": len(sends),
        "s_per_send_batch": round(sum(gaps) / len(gaps), 2) if gaps else None,
        "s_in_ledger_per_batch": round(sum(in_ledger) / len(in_ledger), 2) if in_ledger else None,
        "seconds": round(time.monotonic() - started, 1),
    }, ensure_ascii=False))
    return 0


# -- memory --------------------------------------------------------------------------------------------------
def descendants(root: int) -> list[int]:
    """``root`` and every process below it."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            parents.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += parents.get(pid, [])
    return found


def memory(pid: int) -> tuple[int, int]:
    """(PSS, USS) of one process in bytes, (0, 0) when it is gone. PSS shares a library's pages among every
    process that maps them, so it drops while other Chromiums run on the machine; USS (the private pages) does
    not depend on them."""
    found = {"Pss:": 0, "Private_Clean:": 0, "Private_Dirty:": 0}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            key = line.split(maxsplit=1)[0] if line.strip() else ""
            if key in found:
                found[key] = int(line.split()[1]) * 1024
    except OSError:
        pass
    return found["Pss:"], found["Private_Clean:"] + found["Private_Dirty:"]


def name(pid: int) -> str:
    """What a process is: its program, and Chromium's process type."""
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "?"
    text = b" ".join(argv).decode(errors="replace")  # Chromium rewrites its argv into one string
    kind = next((w[7:] for w in text.split() if w.startswith("--type=")), "")
    return Path(text.split()[0]).name + (f" ({kind})" if kind else "") if text.strip() else "?"


class PeakPss(threading.Thread):
    """Samples the PSS of a process tree twice a second; ``peak`` is the largest sum seen, ``browser_peak`` that
    of everything below the worker process (driver and Chromium)."""

    def __init__(self, root: int, every: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.root, self.every = root, every
        self.peak = self.browser_peak = self.uss_peak = 0
        self.at_peak: dict[str, int] = {}  # process -> MiB at the peak (``--detail``)
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            both = {pid: memory(pid) for pid in descendants(self.root)}
            sizes = {pid: v[0] for pid, v in both.items()}
            self.uss_peak = max(self.uss_peak, sum(v[1] for v in both.values()))
            if sum(sizes.values()) > self.peak:
                self.at_peak = {f"{pid} {name(pid)}": round(v / MIB) for pid, v in sizes.items()}
            self.peak = max(self.peak, sum(sizes.values()))
            self.browser_peak = max(self.browser_peak, sum(v for pid, v in sizes.items() if pid != self.root))
            self._done.wait(self.every)

    def finish(self) -> None:
        self._done.set()
        self.join()


def run_job(settings_file: Path, detail: bool = False) -> dict[str, Any]:
    proc = subprocess.Popen([sys.executable, "-m", "bench.scale", "--child", str(settings_file)],
                            stdout=subprocess.PIPE, text=True)
    sampler = PeakPss(proc.pid)
    sampler.start()
    out, _ = proc.communicate()
    sampler.finish()
    lines = [line for line in out.splitlines() if line.startswith("{")]
    result: dict[str, Any] = json.loads(lines[-1]) if lines else {"job": "?", "summary": f"exit {proc.returncode}"}
    result.update(pss_peak_mib=round(sampler.peak / MIB), browser_pss_peak_mib=round(sampler.browser_peak / MIB),
                  uss_peak_mib=round(sampler.uss_peak / MIB))
    if detail:
        result["at_peak_mib"] = sampler.at_peak
    return result


# -- one size ------------------------------------------------------------------------------------------------
def run_size(customers: int, workdir: Path, trace: bool, detail: bool = False) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    with LocalStack(workdir, ledger=SandboxConfig(customers=customers), trace=trace) as stack:
        settings_file = workdir / "settings.pickle"
        settings_file.write_bytes(pickle.dumps(dataclasses.replace(stack.settings, worker_id="bench-worker")))
        queue = JobQueue(stack.queue)

        def job(extra: dict[str, Any]) -> None:
            result = {"customers": customers, **extra, **run_job(settings_file, detail)}
            results.append(result)
            print(json.dumps(result, ensure_ascii=False), flush=True)

        queue.enqueue(stack.client_id, JobType.RYKKERFLOW, "bench")
        job({})
        proposals = stack.client.read_table(RYKKERFORSLAG)
        results[-1]["proposals"] = len(proposals)
        stack.client.update_rows(RYKKERFORSLAG, {r.number: {"approve": True} for r in proposals})
        queue.enqueue(stack.client_id, JobType.SEND_RYKKERE, "bench")
        job({"ticked": len(proposals)})
        job({"cases": None})  # the inkassoforslag that "Send rykkere" queues (approval mode)
        cases = stack.client.read_table(INKASSOFORSLAG)
        results[-1]["cases"] = len(cases)
        handed = cases[:HAND_OVER]  # the same number at every size: what one case costs
        stack.client.update_rows(INKASSOFORSLAG, {r.number: {"approve": True} for r in handed})
        queue.enqueue(stack.client_id, JobType.OPRET_SAGER, "bench")
        job({"ticked": len(handed)})
    return results


def table(results: list[dict[str, Any]]) -> str:
    cols = ("customers", "job", "proposals", "cases", "ticked", "sheets_requests", "sheets_max_60s", "page_loads",
            "send_batches", "s_per_send_batch", "s_in_ledger_per_batch", "pss_peak_mib", "browser_pss_peak_mib",
            "uss_peak_mib", "seconds")
    rows = [[str(r.get(c, "")) if r.get(c) is not None else "" for c in cols] for r in results]
    widths = [max(len(c), *(len(row[i]) for row in rows)) for i, c in enumerate(cols)]
    lines = [" | ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True))]
    lines += [" | ".join(v.rjust(w) for v, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__.splitlines()[0])
    parser.add_argument("--customers", default="300,1500,5000", help="ledger sizes, comma-separated")
    parser.add_argument("--workdir", type=Path, default=Path("var/bench-scale"))
    parser.add_argument("--no-trace", action="store_true", help="run the jobs without a Playwright trace")
    parser.add_argument("--detail", action="store_true", help="also print each process's PSS at the peak")
    parser.add_argument("--chromium-args", default="", help="extra Chromium flags for the workers (to compare)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child)
    os.environ["BENCH_CHROMIUM_ARGS"] = args.chromium_args
    results: list[dict[str, Any]] = []
    for n in (int(x) for x in args.customers.split(",") if x.strip()):
        results += run_size(n, args.workdir / str(n), trace=not args.no_trace, detail=args.detail)
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
