"""The login page: username, password, agreement number."""

from __future__ import annotations

from playwright.sync_api import Page, Response


class LoginPage:
    PATH = "/login"

    def __init__(self, page: Page) -> None:
        self._page = page

    def is_current(self) -> bool:
        return self._page.get_by_test_id("login-form").count() > 0

    def log_in(self, username: str, password: str, agreement_number: str) -> Response | None:
        """Fill the form and press Log ind; returns the response of the page it lands on."""
        self._page.get_by_label("Brugernavn").fill(username)
        self._page.get_by_label("Adgangskode").fill(password)
        self._page.get_by_label("Aftalenummer").fill(agreement_number)
        with self._page.expect_navigation() as nav:
            self._page.get_by_role("button", name="Log ind").click()
        return nav.value

    def error(self) -> str | None:
        box = self._page.get_by_test_id("login-error")
        return box.inner_text().strip() if box.count() else None
