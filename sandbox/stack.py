"""The local stack: the sandbox accounting site and the Sheets emulator on loopback, a queue spreadsheet and
one demo client bootstrapped from the schema, and the worker ``Settings`` that point at them.

Used by ``python worker.py demo`` and by the end-to-end tests, so both run the same set-up.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import Any

import requests

from bot.app import Sheets
from bot.config import LedgerLogin, Settings
from bot.doctor.bootstrap import bootstrap_client, bootstrap_queue
from bot.sheets.store import SheetStore
from sandbox.ledger import create_app as create_ledger_app
from sandbox.ledger.config import SandboxConfig
from sandbox.serving import ServerThread
from sheets_schema import INSTRUKS

DEMO_CLIENT: Mapping[str, str] = {
    "client_name": "Demo Byg ApS",
    "login_ref": "demo",
    "agreement_number": "123456",
    "proposal_recipients": "bogholder@demo-revision.dk",
    "status_recipients": "bogholder@demo-revision.dk",
    "inkasso_email": "sager@demo-inkasso.dk",
}


class LocalStack:
    def __init__(
        self,
        workdir: Path,
        today: date | None = None,
        ledger: SandboxConfig | None = None,
        ledger_port: int | None = None,
        sheets_port: int | None = None,
        client: Mapping[str, str] = DEMO_CLIENT,
        **overrides: Any,
    ) -> None:
        from sandbox.sheets.app import create_app as create_sheets_app

        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        for old in ("ledger.db", "sheets.db"):
            (workdir / old).unlink(missing_ok=True)
        self.today = today or date.today()
        ledger_config = dataclasses.replace(ledger or SandboxConfig(), today=self.today,
                                            db_path=workdir / "ledger.db")
        self.ledger = ServerThread(create_ledger_app(ledger_config), ledger_port)
        self.sheets_server = ServerThread(create_sheets_app(str(workdir / "sheets.db")), sheets_port)
        self._client_values = dict(client)
        self._overrides = overrides
        self.settings = Settings()
        self.queue_id = ""
        self.client_id = ""

    def start(self) -> LocalStack:
        self.ledger.start()
        self.sheets_server.start()
        base = Settings.from_env({})
        settings = dataclasses.replace(
            base, sheets_endpoint=self.sheets_server.url, ledger_url=self.ledger.url, mailer="outbox",
            outbox_dir=self.workdir / "outbox", artifacts_dir=self.workdir / "artifacts", poll_seconds=0.5,
            retry_base_seconds=1.0, retry_cap_seconds=10.0, lease_seconds=60.0, today=self.today,
            logins={"DEMO": LedgerLogin("demo", "demo")}, worker_id="demo-worker",
            sheets_per_minute=0,  # the emulator has no quota and the stack polls twice a second: no rate limit
        )
        settings = dataclasses.replace(settings, **self._overrides)
        self.sheets = Sheets(settings)
        self.queue_id = bootstrap_queue(self.sheets.client, None, "Rykkerbot kø")
        self.client_id = bootstrap_client(self.sheets.client, None, f"{self._client_values['client_name']} – rykkere")
        self.settings = dataclasses.replace(settings, queue_spreadsheet=self.queue_id)
        requests.post(f"{self.sheets_server.url}/emulator/config", json={"queue_spreadsheet_id": self.queue_id},
                      timeout=10)
        self.client.set_cells({INSTRUKS.ref(k): v for k, v in self._client_values.items()})
        return self

    @property
    def client(self) -> SheetStore:
        return self.sheets.open(self.client_id)

    @property
    def queue(self) -> SheetStore:
        return self.sheets.open(self.queue_id)

    def ledger_state(self) -> dict[str, Any]:
        data: dict[str, Any] = requests.get(f"{self.ledger.url}/admin/state", timeout=10).json()
        return data

    def ledger_faults(self, **spec: Any) -> None:
        requests.post(f"{self.ledger.url}/admin/faults", json=spec, timeout=10).raise_for_status()

    def stop(self) -> None:
        self.ledger.stop()
        self.sheets_server.stop()

    def __enter__(self) -> LocalStack:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
