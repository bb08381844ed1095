"""Leftover browser traces: a worker killed mid-job never deletes its job's trace folder, so at start the worker
removes trace folders nobody has touched for a day (a running job writes into its folder, so it stays)."""

from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path

log = logging.getLogger(__name__)

MAX_AGE_SECONDS = 24 * 3600.0


def remove_stale_traces(root: Path, max_age_seconds: float = MAX_AGE_SECONDS, now: float | None = None) -> int:
    """Delete the folders under ``root`` whose newest file is older than ``max_age_seconds``; how many."""
    if not root.is_dir():
        return 0
    limit = (time.time() if now is None else now) - max_age_seconds
    removed = 0
    for folder in root.iterdir():
        if not folder.is_dir() or _newest(folder) >= limit:
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed += not folder.exists()
    if removed:
        log.info("removed %d trace folder(s) older than %.0f h from %s", removed, max_age_seconds / 3600, root)
    return removed


def _newest(folder: Path) -> float:
    try:
        return max(p.stat().st_mtime for p in [folder, *folder.rglob("*")])
    except OSError:  # a file vanished while we looked: someone is using the folder
        return time.time()
