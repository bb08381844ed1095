"""A small e-conomic look-alike: the embedded default ledger for the demo and the target of browser tests."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from flask import Flask, g

from sandbox.ledger import db, fmt
from sandbox.ledger.config import SandboxConfig
from sandbox.ledger.data import generate
from sandbox.ledger.faults import Faults
from sandbox.ledger.records import Dataset
from sandbox.ledger.state import KEY, LedgerState, state

__all__ = ["SandboxConfig", "create_app", "load_dataset", "state"]


def load_dataset(config: SandboxConfig) -> Dataset:
    if config.data_path is not None:
        return Dataset.from_json(json.loads(Path(config.data_path).read_text(encoding="utf-8")))
    return generate(config.today, config.seed, config.customers)


def create_app(config: SandboxConfig) -> Flask:
    from sandbox.ledger import restapi
    from sandbox.ledger.views import admin, auth, invoices, master, reminders

    db_path = config.db_path
    if db_path is None:
        handle, name = tempfile.mkstemp(prefix="sandbox-ledger-", suffix=".sqlite")
        os.close(handle)
        os.unlink(name)
        db_path = Path(name)
    if not db_path.exists():
        db.create(db_path, load_dataset(config))
    app = Flask(__name__)
    app.config["SECRET_KEY"] = config.secret_key
    app.extensions[KEY] = LedgerState(config=config, db_path=db_path, faults=Faults(config.faults))
    app.jinja_env.filters["kr"] = fmt.amount
    app.jinja_env.filters["dato"] = fmt.day
    app.jinja_env.globals["today"] = config.today

    @app.teardown_appcontext
    def _close(_exc: BaseException | None) -> None:
        conn = g.pop("ledger_db", None)
        if conn is not None:
            conn.close()

    for bp in (auth.bp, master.bp, invoices.bp, reminders.bp, admin.bp, restapi.bp):
        app.register_blueprint(bp)
    return app
