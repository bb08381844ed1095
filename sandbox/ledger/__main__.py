"""python -m sandbox.ledger --port 8765 [--data FILE.json] [--db PATH] [--today YYYY-MM-DD] [--session-idle S]"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from sandbox.ledger import create_app, load_dataset
from sandbox.ledger.config import SandboxConfig
from sandbox.ledger.faults import MODES, FaultSpec


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m sandbox.ledger", description="The sandbox accounting site.")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--data", type=Path, help="dataset JSON (see docs/sandbox-data.md); generated when absent")
    p.add_argument("--db", type=Path, help="sqlite file (reused if it exists); a temp file when absent")
    p.add_argument("--today", type=date.fromisoformat, default=date.today(), help="the ledger's date, YYYY-MM-DD")
    p.add_argument("--seed", type=int, default=2024)
    p.add_argument("--session-idle", type=float, default=1800.0, help="seconds before an idle session expires")
    p.add_argument("--page-size", type=int, default=50)
    p.add_argument("--username", default="demo")
    p.add_argument("--password", default="demo")
    p.add_argument("--agreement", default="123456")
    p.add_argument("--fault", choices=MODES, default="none", help="inject faults from the start")
    p.add_argument("--fault-seconds", type=float, default=3.0, help="delay per request in slow mode")
    p.add_argument("--fault-rate", type=float, default=0.3, help="share of failing requests in flaky mode")
    p.add_argument("--dump-data", type=Path, metavar="FILE.json", help="write the dataset as JSON and exit")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    a = parse(argv)
    config = SandboxConfig(
        today=a.today, session_idle_seconds=a.session_idle, seed=a.seed, data_path=a.data, db_path=a.db,
        page_size=a.page_size, username=a.username, password=a.password, agreement_number=a.agreement,
        faults=FaultSpec(mode=a.fault, seconds=a.fault_seconds, rate=a.fault_rate),
    )
    if a.dump_data:
        a.dump_data.write_text(json.dumps(load_dataset(config).to_json(), ensure_ascii=False, indent=1), "utf-8")
        print(f"Wrote {a.dump_data}")
        return 0
    app = create_app(config)
    print(f"Sandbox ledger at http://{a.host}:{a.port}/  (today {config.today.isoformat()})", flush=True)
    print(f"Login: username {config.username!r}, password {config.password!r}, "
          f"agreement number {config.agreement_number!r}", flush=True)
    app.run(host=a.host, port=a.port, threaded=True, use_reloader=False)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (ValueError, OSError) as err:  # DataError is a ValueError; json errors too
        sys.exit(f"sandbox.ledger: cannot load the dataset: {err}")
