"""Fault injection: down (503 everywhere but /admin), slow (delay per page), flaky (seeded share of 503s)."""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, replace
from typing import Any

MODES = ("none", "down", "slow", "flaky", "redesign")  # redesign: pages lose the markup robots hold on to


@dataclass(frozen=True)
class FaultSpec:
    mode: str = "none"
    seconds: float = 0.0  # slow: delay per request
    rate: float = 0.0  # flaky: share of requests that fail
    methods: tuple[str, ...] = ()  # only these HTTP methods (all when empty)
    seed: int = 1

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
        )

    def to_json(self) -> dict[str, Any]:
        return {"mode": self.mode, "seconds": self.seconds, "rate": self.rate, "methods": list(self.methods)}


class Faults:
    """The current fault mode, changeable at run time; thread-safe and deterministic for a given seed."""

    def __init__(self, spec: FaultSpec) -> None:
        self._lock = threading.Lock()
        self.set(spec)

    def set(self, spec: FaultSpec) -> None:
        with self._lock:
            self._spec = spec
            self._rng = random.Random(spec.seed)
            self.injected = 0

    @property
    def spec(self) -> FaultSpec:
        return replace(self._spec)

    def should_fail(self, method: str) -> bool:
        """Decide for one request; sleeps here in slow mode. True means answer 503."""
        with self._lock:
            spec = self._spec
            if spec.mode == "none" or (spec.methods and method.upper() not in spec.methods):
                return False
            fail = spec.mode == "down" or (spec.mode == "flaky" and self._rng.random() < spec.rate)
            if fail:
                self.injected += 1
        if spec.mode == "slow" and spec.seconds > 0:
            time.sleep(spec.seconds)
        return fail
