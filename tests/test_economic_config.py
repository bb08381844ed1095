"""Where a client's e-conomic API tokens come from: the environment or a secrets file, by login reference;
never shown in a repr; half a pair is the operator's error; ledger_factory composes API reads + UI sends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.config import ConfigError, Settings

SECRET = "app-hemmelig-81c2"
GRANT = "grant-hemmelig-77aa"


def test_tokens_from_the_environment_belong_to_the_login_reference() -> None:
    s = Settings.from_env({
        "RYKKERBOT_LOGIN_KUNDE_A_S_USERNAME": "bot", "RYKKERBOT_LOGIN_KUNDE_A_S_PASSWORD": "pw",
        "RYKKERBOT_ECONOMIC_KUNDE_A_S_APP_SECRET": SECRET, "RYKKERBOT_ECONOMIC_KUNDE_A_S_GRANT_TOKEN": GRANT,
        "RYKKERBOT_LOGIN_ANDEN_USERNAME": "bot2", "RYKKERBOT_LOGIN_ANDEN_PASSWORD": "pw2",
        "RYKKERBOT_ECONOMIC_API_URL": "http://127.0.0.1:9/restapi",
    })
    login = s.login("Kunde A/S", "Instruks!B5")
    assert login.api is not None and login.ref == "KUNDE_A_S"
    assert (login.api.app_secret_token, login.api.agreement_grant_token) == (SECRET, GRANT)
    assert s.login("anden", "Instruks!B5").api is None  # no tokens: the web UI reads
    assert s.economic_api_url == "http://127.0.0.1:9/restapi"
    assert Settings.from_env({}).economic_api_url == "https://restapi.e-conomic.com"
    assert SECRET not in repr(s) and SECRET not in repr(login) and GRANT not in repr(login.api)


def test_tokens_from_a_secrets_file_the_environment_wins(tmp_path: Path) -> None:
    path = tmp_path / "economic.json"
    path.write_text(json.dumps({"demo": {"app_secret_token": "fil-app", "agreement_grant_token": "fil-grant"},
                                "anden": {"app_secret_token": "a", "agreement_grant_token": "b"}}))
    s = Settings.from_env({
        "RYKKERBOT_ECONOMIC_SECRETS_FILE": str(path), "RYKKERBOT_ECONOMIC_ANDEN_APP_SECRET": "env-app",
        "RYKKERBOT_LOGIN_DEMO_USERNAME": "demo", "RYKKERBOT_LOGIN_ANDEN_USERNAME": "x",
    })
    demo, anden = s.login("demo", "B5").api, s.login("anden", "B5").api
    assert demo is not None and (demo.app_secret_token, demo.agreement_grant_token) == ("fil-app", "fil-grant")
    assert anden is not None and (anden.app_secret_token, anden.agreement_grant_token) == ("env-app", "b")


def test_half_a_pair_or_an_unreadable_file_is_the_operators_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="RYKKERBOT_ECONOMIC_DEMO_GRANT_TOKEN") as e:
        Settings.from_env({"RYKKERBOT_ECONOMIC_DEMO_APP_SECRET": SECRET})
    assert SECRET not in str(e.value)
    bad = tmp_path / "bad.json"
    bad.write_text('{"demo": "' + SECRET)
    with pytest.raises(ConfigError, match="cannot be read as JSON") as e:
        Settings.from_env({"RYKKERBOT_ECONOMIC_SECRETS_FILE": str(bad)})
    assert SECRET not in str(e.value)
