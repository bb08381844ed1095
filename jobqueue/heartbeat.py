"""Renew a job's lease on a background thread while the job runs."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from types import TracebackType

log = logging.getLogger(__name__)


class Heartbeat:
    """Calls ``beat`` every ``interval`` seconds until the ``with`` block ends. A failing beat is logged, not
    raised: the job goes on, and if the lease really runs out another worker may take the job later."""

    def __init__(self, beat: Callable[[], None], interval: float) -> None:
        self._beat = beat
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="heartbeat", daemon=True)
        self.beats = 0

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self._beat()
                self.beats += 1
            except Exception:  # noqa: BLE001 - a missed heartbeat must not kill the job
                log.warning("heartbeat failed", exc_info=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop.set()
        self._thread.join(timeout=30)
