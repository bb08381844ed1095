"""Reading a Google API error answer: status, message and every reason, from ``errors`` and ``details`` alike.

Google's JSON error has two places for the reason (see the Gmail API's "Resolve errors" guide):
``error.errors[].reason`` (the older format: ``rateLimitExceeded``, ``userRateLimitExceeded``,
``dailyLimitExceeded``, ``backendError``) and ``error.details[]`` (google.rpc types; an ``ErrorInfo`` carries
``reason``, e.g. ``RATE_LIMIT_EXCEEDED``), plus ``error.status`` (``RESOURCE_EXHAUSTED``). Answers carry one, the
other or both. google-api-python-client keeps only the first of them it finds (``details`` before ``errors``) in
``HttpError.error_details``, so a 403 rate limit with both would look like a refusal; here all are read, and
reasons are compared without case or underscores (``RATE_LIMIT_EXCEEDED`` == ``rateLimitExceeded``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from googleapiclient.errors import HttpError

# Retry later: per-minute or per-user quotas, Google's own back end. Never the robot's credentials.
RATE_LIMIT_REASONS = frozenset({"ratelimitexceeded", "userratelimitexceeded", "quotaexceeded", "backenderror",
                                "resourceexhausted"})
DAILY_LIMIT_REASONS = frozenset({"dailylimitexceeded"})


def _norm(reason: str) -> str:
    return reason.replace("_", "").replace("-", "").lower()


@dataclass(frozen=True)
class GoogleError:
    status: int
    message: str
    reasons: frozenset[str]  # normalised: lower case, no underscores

    @property
    def daily_limit(self) -> bool:
        return bool(self.reasons & DAILY_LIMIT_REASONS) or "sending limit" in self.message.lower()

    @property
    def rate_limited(self) -> bool:
        """429, or a 403 (or any status) whose reason, in either place, is a rate or quota limit."""
        return self.status == 429 or bool(self.reasons & RATE_LIMIT_REASONS) or self.daily_limit


def google_error(e: HttpError) -> GoogleError:
    status = int(e.resp.status)
    message = str(e.reason or "").strip()
    try:
        data: Any = json.loads(e.content.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        data = None
    if isinstance(data, list) and data:  # batch-style answers wrap the error in a list
        data = data[0]
    error = data.get("error") if isinstance(data, dict) else None
    reasons: set[str] = set()
    if isinstance(error, dict):
        message = str(error.get("message") or message).strip()
        for key in ("errors", "details"):
            for item in error.get(key) or []:
                if isinstance(item, dict) and item.get("reason"):
                    reasons.add(_norm(str(item["reason"])))
        if error.get("status"):
            reasons.add(_norm(str(error["status"])))
    return GoogleError(status, message, frozenset(reasons))
