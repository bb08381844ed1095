#!/usr/bin/env bash
# Set up Rykkerbot on this machine: a virtual environment in .venv with requirements.txt, and a Chromium for
# Playwright. Needs Python 3.11 or newer (PYTHON=/path/to/python3.x ./setup.sh to choose one). Safe to run
# again. Works with Debian's own python3 (PEP 668: nothing is installed outside .venv).
set -euo pipefail
cd "$(dirname "$0")"
PYTHON="${PYTHON:-python3}"
VENV=.venv

say() { printf 'setup: %s\n' "$*"; }
fail() { printf 'setup: %s\n' "$*" >&2; exit 1; }
is_root() { [ "$(id -u)" = 0 ]; }
apt_install() {  # as root only
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "$@" >/dev/null
}

# 1. Python 3.11 or newer.
command -v "$PYTHON" >/dev/null 2>&1 \
  || fail "$PYTHON not found. Install Python 3.11 or newer (Debian/Ubuntu: sudo apt-get install -y python3 python3-venv)."
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  fail "Rykkerbot needs Python 3.11 or newer; $PYTHON is $("$PYTHON" -V 2>&1). Install a newer one and run PYTHON=python3.11 ./setup.sh"
fi
version="$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"

# 2. The virtual environment (Debian ships venv's ensurepip separately: python3.X-venv). A .venv left without pip
# by an earlier failed attempt is made anew.
if [ -x "$VENV/bin/python" ] && ! "$VENV/bin/python" -m pip --version >/dev/null 2>&1; then
  rm -rf "$VENV"
fi
if [ ! -x "$VENV/bin/python" ]; then
  say "creating $VENV with $PYTHON (Python $version)"
  if ! "$PYTHON" -m venv "$VENV" >/dev/null 2>&1; then
    rm -rf "$VENV"
    if is_root && command -v apt-get >/dev/null 2>&1; then
      say "python3 -m venv needs ensurepip: installing python$version-venv with apt-get"
      apt_install "python$version-venv"
      "$PYTHON" -m venv "$VENV"
    else
      fail "$PYTHON cannot create a virtual environment (ensurepip is missing). Run: sudo apt-get install -y python$version-venv   and then ./setup.sh again."
    fi
  fi
fi
say "installing requirements.txt into $VENV"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check -r requirements.txt

# 3. A browser: RYKKERBOT_CHROMIUM, Debian's /usr/bin/chromium, or Playwright's own build.
if ! "$VENV/bin/python" -m bot.browser >/dev/null 2>&1; then
  if is_root && command -v apt-get >/dev/null 2>&1 && [ -z "${RYKKERBOT_CHROMIUM:-}" ]; then
    say "no Chromium found: installing Debian's chromium with apt-get"
    apt_install chromium || say "apt-get could not install chromium"
  fi
  if ! "$VENV/bin/python" -m bot.browser >/dev/null 2>&1 && [ -z "${RYKKERBOT_CHROMIUM:-}" ]; then
    say "trying Playwright's own Chromium (needs downloads): $VENV/bin/python -m playwright install chromium"
    deps=""
    if is_root; then deps="--with-deps"; fi  # the system libraries Playwright's build needs
    "$VENV/bin/python" -m playwright install $deps chromium || say "playwright install chromium failed"
  fi
fi
"$VENV/bin/python" -m bot.browser || exit 1  # prints the browser found, or what is missing and how to fix it
say "done. Demo: $VENV/bin/python worker.py demo    Tests: $VENV/bin/python -m pytest -q -n 2 && node --test appsscript/"
