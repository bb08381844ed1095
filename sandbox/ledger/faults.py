"""Fault injection: down (503 everywhere but /admin), slow (delay per page), flaky (seeded share of 503s),
ratelimit (429 with Retry-After, as e-conomic's API answers too many requests), hold (the request hangs until
the faults are set again, then is answered 503 without reaching its page: a kill test stops a worker at exactly
that request, and what it asked for never happens)."""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, replace
from typing import Any

# redesign: pages lose the markup robots hold on to
MODES = ("none", "down", "slow", "flaky", "redesign", "ratelimit", "hold")


@dataclass(frozen=True)
class FaultSpec:
    mode: str = "none"
    seconds: float = 0.0  # slow: delay per request; ratelimit: the Retry-After it announces
    rate: float = 0.0  # flaky: share of requests that fail
    methods: tuple[str, ...] = ()  # only these HTTP methods (all when empty)
    seed: int = 1
    count: int = 0  # fail only this many requests, then answer normally again (0 = no limit)
    paths: tuple[str, ...] = ()  # only requests whose path starts with one of these (all when empty)
    after: int = 0  # let this many matching requests through untouched first

    @staticmethod
    def from_json(data: dict[str, Any]) -> FaultSpec:
        mode = str(data.get("mode", "none"))
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}")
        return FaultSpec(
            mode=mode,
            seconds=float(data.get("seconds", 0.0)),
            rate=float(data.get("rate", 0.0)),
            methods=tuple(str(m).upper() for m in data.get("methods", ())),
            seed=int(data.get("seed", 1)),
            count=int(data.get("count", 0)),
            paths=tuple(str(p) for p in data.get("paths", ())),
            after=int(data.get("after", 0)),
        )

    def to_json(self) -> dict[str, Any]:
        return {"mode": self.mode, "seconds": self.seconds, "rate": self.rate, "methods": list(self.methods),
                "count": self.count, "paths": list(self.paths), "after": self.after}

    def matches(self, method: str, path: str) -> bool:
        return (self.mode != "none" and (not self.methods or method.upper() in self.methods)
                and (not self.paths or path.startswith(self.paths)))


class Faults:
    """The current fault mode, changeable at run time; thread-safe and deterministic for a given seed."""

    def __init__(self, spec: FaultSpec) -> None:
        self._lock = threading.Lock()
        self._released = threading.Event()
        self.set(spec)

    def set(self, spec: FaultSpec) -> None:
        with self._lock:
            self._released.set()  # requests held under the old spec are answered now (503)
            self._released = threading.Event()
            self._spec = spec
            self._rng = random.Random(spec.seed)
            self.injected = 0
            self.matched = 0

    @property
    def spec(self) -> FaultSpec:
        return replace(self._spec)

    def should_fail(self, method: str, path: str) -> bool:
        """Decide for one request; sleeps here in slow mode. True means answer 503 (the web pages answer every
        injected failure with 503)."""
        return self.decide(method, path) is not None

    def decide(self, method: str, path: str) -> int | None:
        """Decide for one request: the status to answer instead (503, or 429 in ratelimit mode), or None.
        Sleeps here in slow mode; waits here in hold mode until the faults are set again."""
        with self._lock:
            spec = self._spec
            if not spec.matches(method, path):
                return None
            self.matched += 1
            if self.matched <= spec.after or (spec.count and self.injected >= spec.count):
                return None
            released = self._released
            status = {"down": 503, "flaky": 503, "ratelimit": 429, "hold": 503}.get(spec.mode)
            share = {"flaky": spec.rate, "ratelimit": spec.rate or 1.0}.get(spec.mode)
            if share is not None and self._rng.random() >= share:
                status = None
            if status is not None:
                self.injected += 1
        if spec.mode == "slow" and spec.seconds > 0:
            time.sleep(spec.seconds)
        if spec.mode == "hold":
            released.wait()
        return status

    def retry_after(self) -> int:
        """Whole seconds a 429 asks the client to wait (at least 1)."""
        return max(1, round(self._spec.seconds))
