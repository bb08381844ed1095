"""An HTTP client for e-conomic's REST API: the two token headers, ``skippages``/``pagesize`` paging that
follows the ``nextPage`` links, and errors told apart by whose fault they are:

- 429 waits what ``Retry-After`` says, 5xx and network errors back off exponentially with jitter; after the
  attempts: ``LedgerUnavailable`` (the job is retried later);
- 401 and 403: ``LedgerAuthError`` (a settings error naming the variables to fix), tried once, never retried;
- 404: ``NotInLedger``; any other 4xx is a bug in this adapter (``EconomicApiError``).

The tokens live only in the session's headers: never in a URL, a log line or an exception text.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from email.utils import parsedate_to_datetime
from typing import Any

import requests

from bot.config import env_key
from bot.errors import LedgerAuthError, LedgerUnavailable, NotInLedger, SettingProblem

log = logging.getLogger(__name__)
DEFAULT_URL = "https://restapi.e-conomic.com"
MAX_PAGE_SIZE = 1000
Json = dict[str, Any]


class EconomicApiError(Exception):
    """e-conomic refused a request as malformed (400, 405, 415...): a bug in this adapter, not retried."""


@dataclass(frozen=True)
class ApiConfig:
    app_secret_token: str = field(repr=False)
    agreement_grant_token: str = field(repr=False)
    login_ref: str  # the client's Login-reference: named in errors, so the operator knows which tokens to fix
    base_url: str = DEFAULT_URL
    attempts: int = 6
    initial: float = 1.0  # seconds before the second attempt; doubles
    cap: float = 20.0  # longest backoff between attempts
    max_retry_after: float = 120.0  # a longer Retry-After is waited this long at most
    timeout_seconds: float = 20.0
    page_size: int = MAX_PAGE_SIZE


class EconomicClient:
    def __init__(self, config: ApiConfig, session: requests.Session | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self._config = config
        self._base = config.base_url.rstrip("/")
        self._session = session or requests.Session()
        self._session.headers.update({
            "X-AppSecretToken": config.app_secret_token,
            "X-AgreementGrantToken": config.agreement_grant_token,
            "Accept": "application/json",
        })
        self._sleep = sleep
        self.requests = 0  # every HTTP request sent, retries included (a cost counter)

    def close(self) -> None:
        self._session.close()

    # -- reading -----------------------------------------------------------------------------------------------
    def get(self, path: str, params: Mapping[str, str] | None = None) -> Json:
        found: Json = self._send(self._url(path), params, path).json(parse_float=Decimal)
        return found

    def get_bytes(self, path: str) -> bytes:
        return self._send(self._url(path), None, path).content

    def collection(self, path: str, filter_: str = "") -> list[Json]:
        """Every item of a collection: ``skippages=0`` with the configured page size, then each ``nextPage``
        link until there is none (ceil(results / pagesize) requests)."""
        params = {"skippages": "0", "pagesize": str(min(MAX_PAGE_SIZE, max(1, self._config.page_size)))}
        if filter_:
            params["filter"] = filter_
        items: list[Json] = []
        url: str | None = self._url(path)
        query: Mapping[str, str] | None = params
        while url:
            page = self._send(url, query, path).json(parse_float=Decimal)
            items += page.get("collection", [])
            url, query = page.get("pagination", {}).get("nextPage"), None  # the link carries its own query
        return items

    # -- one request, with the retry policy --------------------------------------------------------------------
    def _url(self, path: str) -> str:
        return path if path.startswith("http") else f"{self._base}{path}"

    def _send(self, url: str, params: Mapping[str, str] | None, what: str) -> requests.Response:
        attempts = max(1, self._config.attempts)
        for attempt in range(1, attempts + 1):
            self.requests += 1
            try:
                response = self._session.get(url, params=params, timeout=self._config.timeout_seconds)
            except (requests.ConnectionError, requests.Timeout) as e:
                problem, wait = f"ingen forbindelse ({type(e).__name__})", self._backoff(attempt)
            else:
                status = response.status_code
                if status < 300:
                    return response
                if status in (401, 403):
                    raise self._refused(status, what)
                if status == 404:
                    raise NotInLedger(f"{what} findes ikke i regnskabet (e-conomic svarede 404)")
                if status == 429:
                    problem, wait = "HTTP 429 (for mange forespørgsler)", self._retry_after(response, attempt)
                elif status >= 500:
                    problem, wait = f"HTTP {status}", self._backoff(attempt)
                else:
                    raise EconomicApiError(f"e-conomic afviste {what} med HTTP {status}: {self._hint(response)}")
            if attempt == attempts:
                break
            log.info("e-conomic: %s failed (attempt %d): %s; waiting %.1f s", what, attempt, problem, wait)
            self._sleep(wait)
        raise LedgerUnavailable(f"e-conomics API svarer ikke ({what}) efter {attempts} forsøg: {problem}")

    def _backoff(self, attempt: int) -> float:
        base: float = self._config.initial * 2.0 ** (attempt - 1)
        jitter: float = random.uniform(0, self._config.initial)
        return min(self._config.cap, base + jitter)

    def _retry_after(self, response: requests.Response, attempt: int) -> float:
        """Seconds from ``Retry-After`` (a number or an HTTP date); the own backoff when it is missing."""
        value = response.headers.get("Retry-After", "").strip()
        seconds: float | None = None
        if value.isdigit():
            seconds = float(value)
        elif value:
            try:
                seconds = parsedate_to_datetime(value).timestamp() - time.time()
            except (TypeError, ValueError):
                seconds = None
        if seconds is None:
            return self._backoff(attempt)
        return min(self._config.max_retry_after, max(0.0, seconds))

    def _hint(self, response: requests.Response) -> str:
        try:
            body = response.json()
            text = f"{body.get('message', '')} {body.get('developerHint', '')}".strip()
        except ValueError:
            text = response.text[:200]
        for token in (self._config.app_secret_token, self._config.agreement_grant_token):
            if token:
                text = text.replace(token, "***")
        return text

    def _refused(self, status: int, what: str) -> LedgerAuthError:
        ref = self._config.login_ref
        key = env_key(ref)
        if status == 401:
            message = (f"e-conomic afviste robottens API-nøgler for login-referencen {ref!r} (HTTP 401: forkerte, "
                       f"udløbne eller tilbagekaldte). Bed driftsansvarlig om at forny RYKKERBOT_ECONOMIC_{key}"
                       f"_APP_SECRET og RYKKERBOT_ECONOMIC_{key}_GRANT_TOKEN, eller fjerne dem, så robotten læser "
                       "regnskabet gennem web-brugerfladen.")
        else:
            message = (f"e-conomic gav ikke robottens app adgang til {what} (HTTP 403) for login-referencen "
                       f"{ref!r}. Aftalen skal give appen en rolle med læseadgang til debitorer og fakturaer; "
                       "bed driftsansvarlig om at udstede adgangen igen.")
        return LedgerAuthError(SettingProblem(cell="", field="Login-reference (API-nøgler)", message=message))
