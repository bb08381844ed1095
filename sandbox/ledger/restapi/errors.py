"""Error bodies as e-conomic's REST API sends them: message, errorCode, developerHint, logId, httpStatusCode,
logTime (``_introduction.md``, "Annotated errors" and "HTTP Status Codes")."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from flask import Response, jsonify


def error(status: int, message: str, code: str, hint: str = "") -> Response:
    body = {
        "message": message,
        "errorCode": code,
        "developerHint": hint,
        "logId": str(uuid.uuid4()),
        "httpStatusCode": status,
        "logTime": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S"),
    }
    response = jsonify(body)
    response.status_code = status
    return response


def unauthorized() -> Response:
    return error(401, "The request is not authorized: the app secret token or the agreement grant token is missing "
                      "or not valid.", "E00500",
                 "Send the headers X-AppSecretToken and X-AgreementGrantToken. Tokens are issued when an agreement "
                 "grants your app access; the demo agreement accepts 'demo' for both.")


def not_found(what: str) -> Response:
    return error(404, f"{what} not found.", "E07000", "Use the self links the API gives you.")


def bad_request(message: str, hint: str) -> Response:
    return error(400, message, "E04000", hint)
