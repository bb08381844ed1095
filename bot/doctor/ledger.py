"""Doctor check of the ledger: log in once with each client's login, as a job would, and log out."""

from __future__ import annotations

from collections.abc import Sequence

from playwright.sync_api import Browser
from playwright.sync_api import Error as PlaywrightError

from bot.app import ledger_config
from bot.config import Settings, env_key
from bot.doctor.checks import Check, fail, ok
from bot.doctor.sheets import ClientSheet
from bot.errors import LedgerAuthError, LedgerUnavailable, SettingsError
from bot.ledger.playwright_ledger import PlaywrightLedger
from sheets_schema import INSTRUKS


def check_ledger_logins(settings: Settings, browser: Browser, clients: Sequence[ClientSheet]) -> list[Check]:
    """One line per distinct (login reference, agreement number) among the clients."""
    checks: list[Check] = []
    seen: set[tuple[str, str]] = set()
    for c in clients:
        key = (env_key(c.login_ref), c.agreement_number)
        if key in seen:
            continue
        seen.add(key)
        checks.append(check_login(settings, browser, c))
    return checks


def check_login(settings: Settings, browser: Browser, client: ClientSheet) -> Check:
    name = f"regnskabs-login «{client.login_ref}»" if client.login_ref else f"regnskabs-login ({client.id})"
    ref_cell = f"{INSTRUKS.ref('login_ref')} på klientarket {client.id}"
    if not client.login_ref:
        return fail(name, f"{ref_cell} (Login-reference) er tom. Skriv navnet på robottens login dér.")
    variables = f"RYKKERBOT_LOGIN_{env_key(client.login_ref)}_USERNAME / _PASSWORD"
    try:
        login = settings.login(client.login_ref, INSTRUKS.ref("login_ref"))
    except SettingsError:
        return fail(name, f"robotten har intet login med den reference: sæt {variables} (eller ret {ref_cell}).")
    config = ledger_config(settings, login, client.agreement_number, attempts=2, initial=0.5,
                           timeout_seconds=min(settings.ledger_timeout_seconds, 20.0))
    where = settings.ledger_url
    try:
        with PlaywrightLedger(browser, config) as ledger:
            ledger.login()
    except LedgerAuthError:
        return fail(name, f"regnskabet på {where} afviste login'et (brugernavn, adgangskode eller aftalenummer "
                          f"{client.agreement_number!r}). Ret {variables}, eller Aftalenummer i "
                          f"{INSTRUKS.ref('agreement_number')} på klientarket {client.id}.")
    except (LedgerUnavailable, PlaywrightError) as e:
        text = str(e).replace(login.password, "***") if login.password else str(e)
        return fail(name, f"regnskabet på {where} svarer ikke ({text.splitlines()[0][:200]}). "
                          "Tjek RYKKERBOT_LEDGER_URL og netværket.")
    return ok(name, f"logget ind på {where} med aftalenummer {client.agreement_number} ({variables})")
