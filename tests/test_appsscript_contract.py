"""The queue row contract: jobqueue.rows.new_job_row writes the row the Apps Script buttons write.

The node side (appsscript/tests/contract.test.js) checks the same fixture against the .gs code.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from jobqueue.rows import new_job_row
from sheets_schema import QUEUE, JobStatus, JobType

FIXTURE = Path(__file__).parent / "fixtures" / "queue_row_contract.json"


def _contract() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return data


def test_python_writes_the_contract_row() -> None:
    c = _contract()
    i = c["input"]
    created = datetime.strptime(i["created_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    row = new_job_row(i["job_id"], created, i["client_sheet"], JobType(i["job_type"]), i["requested_by"])
    assert row == c["expected_row"]
    assert [type(v) for v in row] == [type(v) for v in c["expected_row"]]  # attempt is the number 0, not "0"


def test_a_local_time_gives_the_same_utc_text() -> None:
    c = _contract()
    i = c["input"]
    utc = datetime.strptime(i["created_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    copenhagen_winter = utc.astimezone(timezone(timedelta(hours=1)))
    row = new_job_row(i["job_id"], copenhagen_winter, i["client_sheet"], JobType(i["job_type"]), i["requested_by"])
    assert row == c["expected_row"]


def test_fixture_columns_are_the_queue_columns() -> None:
    c = _contract()
    assert c["columns"] == [col.key for col in QUEUE.columns]
    row = dict(zip(c["columns"], c["expected_row"], strict=True))
    assert row["status"] == JobStatus.WAITING.value
    assert row["job_type"] == c["input"]["job_type"] and row["job_id"] == c["input"]["job_id"]
