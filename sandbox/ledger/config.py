"""Start-up settings of the sandbox ledger site."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sandbox.ledger.faults import FaultSpec
from sandbox.ledger.rules import ReminderSettings


@dataclass(frozen=True)
class SandboxConfig:
    today: date = field(default_factory=date.today)  # the ledger's business date
    session_idle_seconds: float = 1800.0
    seed: int = 2024  # demo data generator seed (ignored when data_path is given)
    data_path: Path | None = None  # dataset JSON (docs/sandbox-data.md); generated when None
    db_path: Path | None = None  # sqlite file; a fresh temp file when None
    customers: int = 300  # size of the generated demo company
    page_size: int = 50
    username: str = "demo"
    password: str = "demo"
    agreement_number: str = "123456"
    reminders: ReminderSettings = field(default_factory=ReminderSettings)
    faults: FaultSpec = field(default_factory=FaultSpec)
    secret_key: str = "sandbox-not-secret"
