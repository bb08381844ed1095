"""The running site's state, kept in ``app.extensions["sandbox_ledger"]``; sessions live in the database."""

from __future__ import annotations

import secrets
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app, g

from sandbox.ledger import db
from sandbox.ledger.config import SandboxConfig
from sandbox.ledger.faults import Faults

KEY = "sandbox_ledger"


@dataclass
class LedgerState:
    config: SandboxConfig
    db_path: Path
    faults: Faults

    def connect(self) -> sqlite3.Connection:
        return db.connect(self.db_path)

    def new_session(self, username: str) -> str:
        token = secrets.token_urlsafe(24)
        with self._conn() as conn:
            conn.execute("INSERT INTO sessions VALUES (?,?,?)", (token, username, time.time()))
        return token

    def touch_session(self, token: str) -> bool:
        """True if the session exists and has not been idle too long; refreshes it."""
        now = time.time()
        with self._conn() as conn:
            row = conn.execute("SELECT last_seen FROM sessions WHERE token = ?", (token,)).fetchone()
            if row is None:
                return False
            if now - float(row[0]) > self.config.session_idle_seconds:
                conn.execute("DELETE FROM sessions WHERE token = ?", (token,))
                return False
            conn.execute("UPDATE sessions SET last_seen = ? WHERE token = ?", (now, token))
            return True

    def end_session(self, token: str) -> None:
        with self._conn() as conn:
            conn.execute("DELETE FROM sessions WHERE token = ?", (token,))

    def end_all_sessions(self) -> int:
        with self._conn() as conn:
            return conn.execute("DELETE FROM sessions").rowcount

    def _conn(self) -> _Closing:
        return _Closing(self.connect())


class _Closing:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        return self.conn

    def __exit__(self, *exc: object) -> None:
        self.conn.close()


def state(app: Flask | None = None) -> LedgerState:
    st: LedgerState = (app or current_app).extensions[KEY]
    return st


def conn() -> sqlite3.Connection:
    """The request's connection (opened on first use, closed at teardown)."""
    if "ledger_db" not in g:
        g.ledger_db = state().connect()
    c: sqlite3.Connection = g.ledger_db
    return c
