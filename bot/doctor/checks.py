"""The result of one doctor check, and how it is printed."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    name: str  # what was checked, e.g. "kø-arket"
    ok: bool
    detail: str  # OK: what was found; FEJL: what is wrong and what to do (Danish)
    skipped: bool = False  # not run because something it needs failed first; not counted as a failure

    def line(self) -> str:
        mark = "--  " if self.skipped else ("OK  " if self.ok else "FEJL")
        return f"{mark} {self.name}: {self.detail}"


def ok(name: str, detail: str) -> Check:
    return Check(name, True, detail)


def fail(name: str, detail: str) -> Check:
    return Check(name, False, detail)


def skip(name: str, reason: str) -> Check:
    return Check(name, True, f"sprunget over ({reason})", skipped=True)
