"""Persistence: one sqlite row per spreadsheet (its JSON document), one connection behind a lock."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class Database:
    """``path`` ":memory:" (the default) keeps everything in this process; a file path survives restarts."""

    def __init__(self, path: str = ":memory:") -> None:
        self.path = path
        self.lock = threading.RLock()
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL" if path != ":memory:" else "PRAGMA journal_mode=MEMORY")
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS spreadsheets (id TEXT PRIMARY KEY, created TEXT NOT NULL, doc TEXT NOT NULL)"
        )
        self._conn.execute("CREATE TABLE IF NOT EXISTS config (key TEXT PRIMARY KEY, value TEXT NOT NULL)")

    @contextmanager
    def locked(self) -> Iterator[Database]:
        """Hold the lock for a read-modify-write of one or more documents."""
        with self.lock:
            yield self

    def load(self, book_id: str) -> dict[str, Any] | None:
        with self.lock:
            row = self._conn.execute("SELECT doc FROM spreadsheets WHERE id = ?", (book_id,)).fetchone()
        if row is None:
            return None
        doc: dict[str, Any] = json.loads(row[0])
        return doc

    def save(self, doc: dict[str, Any]) -> None:
        text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
        with self.lock:
            self._conn.execute(
                "INSERT INTO spreadsheets (id, created, doc) VALUES (?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET doc = excluded.doc",
                (doc["id"], doc["createdTime"], text),
            )

    def delete(self, book_id: str) -> bool:
        with self.lock:
            cur = self._conn.execute("DELETE FROM spreadsheets WHERE id = ?", (book_id,))
        return cur.rowcount > 0

    def all(self) -> list[dict[str, Any]]:
        with self.lock:
            rows = self._conn.execute("SELECT doc FROM spreadsheets ORDER BY created, id").fetchall()
        return [json.loads(r[0]) for r in rows]

    def get_config(self, key: str) -> str | None:
        with self.lock:
            row = self._conn.execute("SELECT value FROM config WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_config(self, key: str, value: str | None) -> None:
        with self.lock:
            if value is None:
                self._conn.execute("DELETE FROM config WHERE key = ?", (key,))
            else:
                self._conn.execute(
                    "INSERT INTO config (key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )
