"""One frozen Settings object, read once from the environment in ``main()`` and passed down.

Every variable is documented in README.md ("Configuration"). Secrets (ledger passwords, SMTP password) are
read from the environment by name and never written to a sheet, a log, a trace or an email.
"""

from __future__ import annotations

import json
import os
import re
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from bot.errors import SettingProblem, SettingsError
from bot.formats import parse_amount

_N = TypeVar("_N", int, float, Decimal)


class ConfigError(ValueError):
    """The worker's own environment is wrong (an operator problem, not the bookkeeper's)."""


@dataclass(frozen=True)
class ApiTokens:
    """e-conomic REST API tokens of one agreement (``RYKKERBOT_ECONOMIC_<REF>_APP_SECRET`` / ``_GRANT_TOKEN``)."""

    app_secret_token: str = field(repr=False)
    agreement_grant_token: str = field(repr=False)


@dataclass(frozen=True)
class LedgerLogin:
    username: str
    password: str = field(repr=False)
    ref: str = ""  # the login reference as in the environment's names (e.g. "DEMO")
    api: ApiTokens | None = field(default=None, repr=False)  # read over the REST API when given


@dataclass(frozen=True)
class Settings:
    queue_spreadsheet: str = ""
    sheets_endpoint: str = ""  # emulator base URL; empty = Google
    google_credentials: str = ""  # service-account key file; empty = application-default credentials
    ledger_url: str = "http://127.0.0.1:8765"
    economic_api_url: str = "https://restapi.e-conomic.com"  # the sandbox serves it under <ledger_url>/restapi
    mailer: str = "outbox"  # outbox | smtp | gmail
    mail_from: str = "Rykkerbot <rykkerbot@example.com>"
    outbox_dir: Path = Path("var/outbox")
    smtp_host: str = "localhost"
    smtp_port: int = 587
    smtp_security: str = "starttls"  # starttls | ssl | none
    smtp_username: str = ""
    smtp_password: str = field(default="", repr=False)
    gmail_daily_limit: int = 400
    gmail_state_file: Path = Path("var/gmail-budget.json")
    gmail_endpoint: str = "https://gmail.googleapis.com/"
    gmail_delegate: str = ""  # the Workspace user a service account sends as; "" = the From address
    gmail_budget: str = "sheet"  # sheet: counted in the queue spreadsheet (all workers); file: RYKKERBOT_GMAIL_STATE
    smtp_timeout: float = 30.0
    worker_id: str = ""
    poll_seconds: float = 10.0
    lease_seconds: float = 300.0
    max_attempts: int = 50
    sheets_attempts: int = 6  # tries of one Sheets request (429/5xx) before it counts as unavailable
    sheets_per_minute: int = 50  # Sheets requests per 60 s of this worker (Google: 60 per user); 0 = no limit
    retry_base_seconds: float = 60.0
    retry_cap_seconds: float = 3600.0
    ledger_attempts: int = 6  # tries of one page inside a job before the job is put back (Genforsøger)
    ledger_retry_seconds: float = 1.0  # first wait between those tries; doubles up to 20 s
    ledger_timeout_seconds: float = 20.0
    send_batch: int = 25  # reminders ticked per Send in the ledger
    price_per_reminder: Decimal = Decimal(0)  # kr., the operator's price to a client per reminder sent (Forbrug)
    price_per_robot_hour: Decimal = Decimal(0)  # kr. per hour of robot time
    trace: bool = True  # record each job's browser session; kept only when the job hits a bug
    artifacts_dir: Path = Path("var/artifacts")
    headless: bool = True
    chromium: str = ""
    today: date | None = None  # pin "today" (demo, tests); None = the real date
    logins: Mapping[str, LedgerLogin] = field(default_factory=dict, repr=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        e = dict(os.environ if env is None else env)

        def get(name: str, default: str = "") -> str:
            return e.get(name, default).strip()

        def number(name: str, default: _N, kind: Callable[[str], _N]) -> _N:
            """A number from the environment; a wrong one is a ConfigError naming the variable."""
            text = get(name, str(default))
            try:
                return kind(text)
            except ValueError:
                raise ConfigError(f"Worker configuration: {name}={text!r} is not a number "
                                  f"(default {default}).") from None

        try:
            return cls(
                queue_spreadsheet=get("RYKKERBOT_QUEUE_SPREADSHEET"),
                sheets_endpoint=get("RYKKERBOT_SHEETS_ENDPOINT"),
                google_credentials=get("GOOGLE_APPLICATION_CREDENTIALS"),
                ledger_url=get("RYKKERBOT_LEDGER_URL", cls.ledger_url),
                economic_api_url=get("RYKKERBOT_ECONOMIC_API_URL", cls.economic_api_url),
                mailer=get("RYKKERBOT_MAILER", cls.mailer),
                mail_from=get("RYKKERBOT_MAIL_FROM", cls.mail_from),
                outbox_dir=Path(get("RYKKERBOT_OUTBOX", str(cls.outbox_dir))),
                smtp_host=get("SMTP_HOST", cls.smtp_host),
                smtp_port=number("SMTP_PORT", cls.smtp_port, int),
                smtp_security=get("SMTP_SECURITY", cls.smtp_security),
                smtp_username=get("SMTP_USERNAME"),
                smtp_password=e.get("SMTP_PASSWORD", ""),
                gmail_daily_limit=number("RYKKERBOT_GMAIL_DAILY_LIMIT", cls.gmail_daily_limit, int),
                gmail_state_file=Path(get("RYKKERBOT_GMAIL_STATE", str(cls.gmail_state_file))),
                gmail_endpoint=get("RYKKERBOT_GMAIL_ENDPOINT", cls.gmail_endpoint),
                gmail_delegate=get("RYKKERBOT_GMAIL_DELEGATE"),
                gmail_budget=_one_of("RYKKERBOT_GMAIL_BUDGET", get("RYKKERBOT_GMAIL_BUDGET", cls.gmail_budget),
                                     ("sheet", "file")),
                smtp_timeout=number("SMTP_TIMEOUT", cls.smtp_timeout, float),
                worker_id=get("RYKKERBOT_WORKER_ID") or f"{socket.gethostname()}-{os.getpid()}",
                poll_seconds=number("RYKKERBOT_POLL_SECONDS", cls.poll_seconds, float),
                lease_seconds=number("RYKKERBOT_LEASE_SECONDS", cls.lease_seconds, float),
                max_attempts=number("RYKKERBOT_MAX_ATTEMPTS", cls.max_attempts, int),
                sheets_attempts=number("RYKKERBOT_SHEETS_ATTEMPTS", cls.sheets_attempts, int),
                sheets_per_minute=number("RYKKERBOT_SHEETS_PER_MINUTE", cls.sheets_per_minute, int),
                retry_base_seconds=number("RYKKERBOT_RETRY_BASE_SECONDS", cls.retry_base_seconds, float),
                retry_cap_seconds=number("RYKKERBOT_RETRY_CAP_SECONDS", cls.retry_cap_seconds, float),
                ledger_attempts=number("RYKKERBOT_LEDGER_ATTEMPTS", cls.ledger_attempts, int),
                ledger_retry_seconds=number("RYKKERBOT_LEDGER_RETRY_SECONDS", cls.ledger_retry_seconds, float),
                ledger_timeout_seconds=number("RYKKERBOT_LEDGER_TIMEOUT_SECONDS", cls.ledger_timeout_seconds, float),
                send_batch=number("RYKKERBOT_SEND_BATCH", cls.send_batch, int),
                price_per_reminder=number("RYKKERBOT_PRICE_PER_REMINDER", cls.price_per_reminder, parse_amount),
                price_per_robot_hour=number("RYKKERBOT_PRICE_PER_ROBOT_HOUR", cls.price_per_robot_hour,
                                            parse_amount),
                trace=get("RYKKERBOT_TRACE", "1") not in ("0", "false", "nej"),
                artifacts_dir=Path(get("RYKKERBOT_ARTIFACTS", str(cls.artifacts_dir))),
                headless=get("RYKKERBOT_HEADLESS", "1") not in ("0", "false", "nej"),
                chromium=get("RYKKERBOT_CHROMIUM"),
                today=date.fromisoformat(get("RYKKERBOT_TODAY")) if get("RYKKERBOT_TODAY") else None,
                logins=_logins(e),
            )
        except ConfigError:
            raise
        except ValueError as err:
            raise ConfigError(f"Worker configuration: {err}") from None

    def login(self, login_ref: str, cell: str) -> LedgerLogin:
        """The ledger login a client's "Login-reference" names. Unknown: a settings error naming the cell."""
        found = self.logins.get(env_key(login_ref))
        if found is None:
            raise SettingsError(SettingProblem(
                cell=cell,
                field="Login-reference",
                message=(f"Robotten har ikke fået udleveret et login med referencen {login_ref!r}. "
                         "Ret referencen, eller bed driftsansvarlig om at oprette login'et på robotten."),
            ))
        return found


def _one_of(name: str, value: str, choices: tuple[str, ...]) -> str:
    if value.lower() not in choices:
        raise ConfigError(f"Worker configuration: {name}={value!r} must be one of {', '.join(choices)}.")
    return value.lower()


def env_key(login_ref: str) -> str:
    """'Kunde A/S' -> 'KUNDE_A_S' (the middle part of RYKKERBOT_LOGIN_<REF>_USERNAME)."""
    return re.sub(r"[^A-Z0-9]+", "_", login_ref.strip().upper()).strip("_")


def _logins(env: Mapping[str, str]) -> dict[str, LedgerLogin]:
    found: dict[str, LedgerLogin] = {}
    tokens = _api_tokens(env)
    for name, value in env.items():
        m = re.fullmatch(r"RYKKERBOT_LOGIN_(.+)_USERNAME", name)
        if m:
            password = env.get(f"RYKKERBOT_LOGIN_{m.group(1)}_PASSWORD", "")
            found[m.group(1)] = LedgerLogin(username=value, password=password, ref=m.group(1),
                                            api=tokens.get(m.group(1)))
    return found


def _api_tokens(env: Mapping[str, str]) -> dict[str, ApiTokens]:
    """e-conomic API tokens by login reference: from ``RYKKERBOT_ECONOMIC_SECRETS_FILE`` (JSON,
    ``{"<ref>": {"app_secret_token": ..., "agreement_grant_token": ...}}``), then the environment's
    ``RYKKERBOT_ECONOMIC_<REF>_APP_SECRET`` and ``_GRANT_TOKEN``, which win. Both tokens or neither."""
    pairs: dict[str, dict[str, str]] = {}
    path = env.get("RYKKERBOT_ECONOMIC_SECRETS_FILE", "").strip()
    if path:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            problem = type(e).__name__
            raise ValueError(f"RYKKERBOT_ECONOMIC_SECRETS_FILE {path} cannot be read as JSON ({problem})") from None
        if not isinstance(data, dict):
            raise ValueError(f"RYKKERBOT_ECONOMIC_SECRETS_FILE {path} must hold an object by login reference")
        for ref, item in data.items():
            item = item if isinstance(item, dict) else {}
            pairs[env_key(str(ref))] = {"app": str(item.get("app_secret_token", "")),
                                        "grant": str(item.get("agreement_grant_token", ""))}
    for name, value in env.items():
        m = re.fullmatch(r"RYKKERBOT_ECONOMIC_(.+)_(APP_SECRET|GRANT_TOKEN)", name)
        if m:
            pairs.setdefault(m.group(1), {})["app" if m.group(2) == "APP_SECRET" else "grant"] = value.strip()
    found: dict[str, ApiTokens] = {}
    for ref, pair in pairs.items():
        app, grant = pair.get("app", ""), pair.get("grant", "")
        if bool(app) != bool(grant):
            raise ValueError(f"e-conomic API tokens for login reference {ref}: both RYKKERBOT_ECONOMIC_{ref}"
                             f"_APP_SECRET and RYKKERBOT_ECONOMIC_{ref}_GRANT_TOKEN are needed, or neither")
        if app:
            found[ref] = ApiTokens(app_secret_token=app, agreement_grant_token=grant)
    return found
