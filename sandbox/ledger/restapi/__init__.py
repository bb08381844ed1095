"""e-conomic's REST API, served by the sandbox under ``/restapi`` from the same data as its web pages.

``http://127.0.0.1:8765/restapi`` stands in for ``https://restapi.e-conomic.com``: the same paths, the headers
``X-AppSecretToken`` and ``X-AgreementGrantToken`` (the demo agreement's ``demo``/``demo``; anything else is 401),
JSON shapes, ``skippages``/``pagesize`` paging, ``filter`` syntax and error bodies. Read-only (GET), as the demo
agreement is. Fault injection (``/admin/faults``) applies here too: down and flaky answer 503, ratelimit answers
429 with ``Retry-After``. Every request is counted in ``ApiStats`` (tests compare it with the client's count).
"""

from __future__ import annotations

import hmac
import threading
from dataclasses import dataclass, field

from flask import Blueprint, Flask, Response, current_app, request
from werkzeug.exceptions import HTTPException

from sandbox.ledger.restapi import routes
from sandbox.ledger.restapi.errors import error, unauthorized
from sandbox.ledger.state import state

PREFIX = "/restapi"
APP_SECRET_TOKEN = "demo"
AGREEMENT_GRANT_TOKEN = "demo"
KEY = "sandbox_restapi"


@dataclass
class ApiStats:
    requests: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def count(self) -> None:
        with self._lock:
            self.requests += 1


def stats(app: Flask) -> ApiStats:
    found: ApiStats = app.extensions[KEY]
    return found


bp = Blueprint("restapi", __name__, url_prefix=PREFIX)
routes.register(bp)


@bp.record_once
def _setup(setup: object) -> None:
    app: Flask = setup.app  # type: ignore[attr-defined]
    app.extensions[KEY] = ApiStats()


@bp.before_request
def guard() -> Response | None:
    stats(current_app).count()
    faults = state().faults
    status = faults.decide(request.method, request.path)
    if status == 429:
        response = error(429, "Too many requests: the rate limit of the agreement was exceeded.", "E00429",
                         "Wait the number of seconds in the Retry-After header, then try again.")
        response.headers["Retry-After"] = str(faults.retry_after())
        return response
    if status is not None:
        return error(503, "The service is temporarily unavailable.", "E00503", "Try again later.")
    given = (request.headers.get("X-AppSecretToken", ""), request.headers.get("X-AgreementGrantToken", ""))
    expected = (APP_SECRET_TOKEN, AGREEMENT_GRANT_TOKEN)
    if not all(hmac.compare_digest(g.encode(), e.encode()) for g, e in zip(given, expected, strict=True)):
        return unauthorized()
    return None


@bp.app_errorhandler(404)
@bp.app_errorhandler(405)
def _json_errors(e: HTTPException) -> Response | HTTPException:
    """Under /restapi a wrong path or method gets e-conomic's JSON error body; the web pages keep theirs."""
    if not request.path.startswith(PREFIX):
        return e
    status = e.code or 404
    return error(status, "Not found." if status == 404 else "Method not allowed (the demo agreement reads only).",
                 f"E0{status}", "Use the self links the API gives you.")
