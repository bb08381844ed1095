"""Trace folders left behind by a killed worker are removed at start; recent ones (a running job's) stay."""

from __future__ import annotations

import os
import time
from pathlib import Path

from bot.traces import remove_stale_traces


def make_trace(root: Path, name: str, age_hours: float) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    part = folder / "ledger-trace-01.zip"
    part.write_bytes(b"PK")
    then = time.time() - age_hours * 3600
    for p in (part, folder):
        os.utime(p, (then, then))
    return folder


def test_folders_older_than_a_day_are_removed_younger_ones_kept(tmp_path: Path) -> None:
    root = tmp_path / ".traces"
    old = [make_trace(root, f"killed-{i}", age_hours=25 + i) for i in range(3)]
    young = make_trace(root, "yesterday-evening", age_hours=23)
    running = make_trace(root, "running-job", age_hours=48)
    (running / "ledger-trace-02.zip").write_bytes(b"PK")  # a job still writing into an old folder
    (root / "not-a-folder.txt").write_text("x")
    os.utime(root / "not-a-folder.txt", (0, 0))

    assert remove_stale_traces(root) == 3
    assert not any(p.exists() for p in old)
    assert sorted(p.name for p in root.iterdir()) == ["not-a-folder.txt", "running-job", "yesterday-evening"]
    assert young.exists() and remove_stale_traces(root) == 0


def test_no_trace_folder_yet_is_nothing_to_do(tmp_path: Path) -> None:
    assert remove_stale_traces(tmp_path / "absent") == 0 and not (tmp_path / "absent").exists()
