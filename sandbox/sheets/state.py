"""The emulator's state outside the spreadsheets: request counts, injected faults and the queue setting."""

from __future__ import annotations

import secrets
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sandbox.sheets.book import ApiError, Book, new_book
from sandbox.sheets.db import Database

QUEUE_KEY = "queue_spreadsheet_id"
SERVICE_ACCOUNT_KEY = "service_account"


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


@dataclass
class Fault:
    status: int
    remaining: int
    message: str
    match: str = ""  # only requests whose path contains this (empty = any API request)
    after_write: bool = False  # the request is carried out, then its answer is lost: this error is sent instead


@dataclass
class EmulatorState:
    db: Database
    lock: threading.Lock = field(default_factory=threading.Lock)
    per_spreadsheet: Counter[str] = field(default_factory=Counter)
    per_method: Counter[str] = field(default_factory=Counter)
    total: int = 0
    faulted: int = 0
    faults: list[Fault] = field(default_factory=list)

    # --- counting and faults --------------------------------------------------------------------------------
    def count(self, spreadsheet_id: str | None, method: str) -> None:
        with self.lock:
            self.total += 1
            self.per_method[method] += 1
            if spreadsheet_id:
                self.per_spreadsheet[spreadsheet_id] += 1

    def attribute(self, spreadsheet_id: str) -> None:
        """Count an already counted request (a create) against the spreadsheet it made."""
        with self.lock:
            self.per_spreadsheet[spreadsheet_id] += 1

    def take_fault(self, path: str) -> ApiError | None:
        with self.lock:
            for fault in self.faults:
                if fault.remaining > 0 and fault.match in path and not fault.after_write:
                    fault.remaining -= 1
                    self.faulted += 1
                    self.faults = [f for f in self.faults if f.remaining > 0]
                    return ApiError(fault.status, fault.message)
        return None

    def take_lost_answer(self, path: str) -> ApiError | None:
        """An ``after_write`` fault for a request that has just been carried out, if one is pending."""
        with self.lock:
            for fault in self.faults:
                if fault.remaining > 0 and fault.match in path and fault.after_write:
                    fault.remaining -= 1
                    self.faulted += 1
                    self.faults = [f for f in self.faults if f.remaining > 0]
                    return ApiError(fault.status, fault.message)
        return None

    def add_fault(self, status: int, count: int, message: str | None, match: str = "",
                  after_write: bool = False) -> None:
        default = {
            429: "Quota exceeded for quota metric 'Requests' and limit 'Requests per minute per user' of service "
                 "'sheets.googleapis.com'.",
            500: "Internal error encountered.",
            503: "The service is currently unavailable.",
        }.get(status, "Injected failure.")
        with self.lock:
            self.faults.append(Fault(status, count, message or default, match, after_write))

    def stats(self) -> dict[str, Any]:
        with self.lock:
            return {"total": self.total, "faulted": self.faulted, "spreadsheets": dict(self.per_spreadsheet),
                    "methods": dict(self.per_method), "pending_faults": sum(f.remaining for f in self.faults)}

    def reset_stats(self) -> None:
        with self.lock:
            self.total = self.faulted = 0
            self.per_spreadsheet.clear()
            self.per_method.clear()

    # --- spreadsheets ---------------------------------------------------------------------------------------
    def create(self, title: str, first_sheet: str = "Sheet1") -> dict[str, Any]:
        doc = new_book(secrets.token_urlsafe(33)[:44], title, now_iso(), first_sheet)
        self.db.save(doc)
        return doc

    def book(self, book_id: str) -> Book:
        doc = self.db.load(book_id)
        if doc is None:
            raise ApiError(404, "Requested entity was not found.")
        return Book(doc)

    def save(self, book: Book) -> None:
        book.doc["modifiedTime"] = now_iso()
        self.db.save(book.doc)

    @property
    def service_account(self) -> bool:
        """API callers are a service account: Google refuses them a new spreadsheet (no Drive storage)."""
        return self.db.get_config(SERVICE_ACCOUNT_KEY) == "1"

    @service_account.setter
    def service_account(self, value: bool) -> None:
        self.db.set_config(SERVICE_ACCOUNT_KEY, "1" if value else None)

    def refuse_service_account(self) -> None:
        if self.service_account:
            raise ApiError(403, "The user's Drive storage quota has been exceeded.", "storageQuotaExceeded",
                           "usageLimits")

    @property
    def queue_id(self) -> str | None:
        return self.db.get_config(QUEUE_KEY)

    @queue_id.setter
    def queue_id(self, value: str | None) -> None:
        self.db.set_config(QUEUE_KEY, value)
