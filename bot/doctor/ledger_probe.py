"""``worker.py check-ledger --client ID``: a read-only probe a bookkeeper runs before the first real job.

It reads the client's Instruks tab for the login reference and agreement number, logs in over e-conomic's API
(when the login reference has API tokens) and through the web UI, and counts what a job reads: customers, open and
overdue invoices (and, in the UI, the ledger's own reminder proposals). It sends nothing and writes nothing.
One line per step, as ``worker.py doctor`` prints them; what could not be read is listed last. Tokens and
passwords never appear: the adapters keep them out of every message.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from playwright.sync_api import Browser
from playwright.sync_api import Error as PlaywrightError

from bot.app import api_ledger, ledger_config
from bot.config import LedgerLogin, Settings, env_key
from bot.doctor.checks import Check, fail, ok, skip
from bot.dunning.instructions import parse_settings
from bot.errors import BusinessError, LedgerUnavailable, SettingsError
from bot.ledger.playwright_ledger import PlaywrightLedger
from bot.records import InvoiceFilter
from sheets_schema import INSTRUKS

Step = tuple[str, Callable[[], str]]


class Readable(Protocol):
    def login(self) -> None: ...

    def customers(self) -> Sequence[object]: ...

    def invoices(self, status: InvoiceFilter = InvoiceFilter.OPEN,
                 customer_number: int | None = None) -> Sequence[object]: ...


@dataclass(frozen=True)
class ClientLogin:
    login: LedgerLogin
    agreement_number: str


def probe(channel: str, ledger: Readable, extra: Sequence[Step] = ()) -> list[Check]:
    """Log in, then count customers, open and overdue invoices (and ``extra``); a failed login skips the rest."""
    steps: list[Step] = [
        ("kunder", lambda: f"{len(ledger.customers())} kunder"),
        ("åbne fakturaer", lambda: f"{len(ledger.invoices(InvoiceFilter.OPEN))} åbne fakturaer"),
        ("forfaldne fakturaer", lambda: f"{len(ledger.invoices(InvoiceFilter.OVERDUE))} forfaldne fakturaer"),
        *extra,
    ]
    def log_in() -> str:
        ledger.login()
        return "logget ind"

    login = _run(f"{channel}: login", log_in)
    if not login.ok:
        return [login, *(skip(f"{channel}: {name}", "login fejlede") for name, _ in steps)]
    return [login, *(_run(f"{channel}: {name}", read) for name, read in steps)]


def _run(name: str, read: Callable[[], str]) -> Check:
    try:
        return ok(name, read())
    except SettingsError as e:
        return fail(name, e.summary())
    except (LedgerUnavailable, BusinessError) as e:
        return fail(name, str(e))
    except PlaywrightError as e:
        return fail(name, f"browseren fejlede: {str(e).splitlines()[0][:200]}")
    except Exception as e:  # noqa: BLE001 - a probe reports every failure and goes on with the next read
        return fail(name, f"uventet fejl ({type(e).__name__}: {str(e)[:200]}); det er en fejl i robotten")


def client_login(settings: Settings, values: dict[str, str]) -> ClientLogin:
    """The login and agreement number the client's Instruks tab names (SettingsError naming the cells)."""
    client = parse_settings(values)
    return ClientLogin(settings.login(client.login_ref, INSTRUKS.ref("login_ref")), client.agreement_number)


def check_ledger(settings: Settings, browser: Browser, client: ClientLogin) -> list[Check]:
    checks: list[Check] = []
    login, agreement = client.login, client.agreement_number
    if login.api is None:
        checks.append(skip("API", f"ingen e-conomic API-nøgler for login-referencen (sæt RYKKERBOT_ECONOMIC_"
                                  f"{env_key(login.ref)}_APP_SECRET og _GRANT_TOKEN); alt læses gennem web-"
                                  "brugerfladen"))
    else:
        api = api_ledger(settings, login, agreement)
        try:
            checks += probe(f"API {settings.economic_api_url}", api)
        finally:
            api.close()
    config = ledger_config(settings, login, agreement, attempts=min(settings.ledger_attempts, 3))
    with PlaywrightLedger(browser, config) as ui:
        proposals: Step = ("rykkerforslag", lambda: f"{len(ui.reminder_candidates())} rykkerforslag i regnskabet")
        checks += probe(f"web {settings.ledger_url}", ui, [proposals])
    return checks


def report(checks: Sequence[Check]) -> str:
    lines = [c.line() for c in checks]
    failed = [c.name for c in checks if not c.ok]
    lines.append("Kunne ikke læse: " + ", ".join(failed) if failed else "Alt kunne læses. Intet blev sendt.")
    return "\n".join(lines)
