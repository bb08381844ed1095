"""Pauses: a customer or one invoice, before, on and after the end date; the overview's text."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.dunning.pauses import Pause, PauseScope, active_pause, is_paused, pause_text

UNTIL = date(2026, 12, 15)
CUSTOMER = Pause(PauseScope.CUSTOMER, 1001, UNTIL, "Tvist om levering")
INVOICE = Pause(PauseScope.INVOICE, 5002, UNTIL, "Betalingsaftale")


@pytest.mark.parametrize(("offset", "paused"), [(-1, True), (0, True), (1, False)])
def test_paused_through_the_end_date(offset: int, paused: bool) -> None:
    today = UNTIL + timedelta(days=offset)
    assert is_paused([CUSTOMER], today, 1001) is paused
    assert is_paused([INVOICE], today, 1001, 5002) is paused


def test_a_customer_pause_covers_every_invoice_of_that_customer_only() -> None:
    assert is_paused([CUSTOMER], UNTIL, 1001, 5009)
    assert not is_paused([CUSTOMER], UNTIL, 1002)


def test_an_invoice_pause_covers_that_invoice_only() -> None:
    assert is_paused([INVOICE], UNTIL, 1001, 5002)
    assert not is_paused([INVOICE], UNTIL, 1001, 5003)
    assert not is_paused([INVOICE], UNTIL, 1001)  # the customer as a whole is not paused


def test_the_longest_pause_is_reported() -> None:
    longer = Pause(PauseScope.INVOICE, 5002, UNTIL + timedelta(days=30), "Ny aftale")
    assert active_pause([CUSTOMER, longer], UNTIL, 1001, 5002) == longer
    assert active_pause([CUSTOMER, longer], UNTIL + timedelta(days=1), 1001, 5002) == longer
    assert active_pause([CUSTOMER, longer], UNTIL + timedelta(days=31), 1001, 5002) is None


def test_the_overview_says_what_until_when_and_why() -> None:
    assert pause_text(CUSTOMER) == f"Kunden er sat på pause til og med {UNTIL:%d-%m-%Y}: Tvist om levering"
    assert pause_text(INVOICE).startswith("Faktura 5002 er sat på pause til og med 15-12-2026")
    assert pause_text(Pause(PauseScope.CUSTOMER, 1, UNTIL, " ")).endswith("ingen begrundelse skrevet")
