"""The Ledger port, driven through the accounting site's web UI with Playwright (sync API).

One browser per worker, one context per job: a ``PlaywrightLedger`` is a job's session. It logs in once and
renews an expired session by itself. Lists are read page by page from the list views, a whole table page per
round trip; ``page_loads`` says what a call cost.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import Protocol, TypeVar

from playwright.sync_api import Browser, Page

from bot.errors import NotInLedger
from bot.ledger import parse
from bot.ledger.models import (
    Company,
    Customer,
    InkassoCase,
    Invoice,
    InvoiceFilter,
    PaymentTerm,
    Reminder,
    ReminderCandidate,
)
from bot.ledger.pages.company import CompanyPage
from bot.ledger.pages.customer import CustomerPage
from bot.ledger.pages.customers import CustomersPage
from bot.ledger.pages.inkasso import InkassoPage
from bot.ledger.pages.invoices import InvoicesPage
from bot.ledger.pages.reminder_history import ReminderHistoryPage
from bot.ledger.pages.reminders import RemindersPage
from bot.ledger.pages.terms import PaymentTermsPage
from bot.ledger.session import LedgerSession, RetryPolicy, _Transient

_T = TypeVar("_T")


class _ListPage(Protocol):
    def next_page(self) -> str | None: ...


_P = TypeVar("_P", bound=_ListPage)


@dataclass(frozen=True)
class LedgerConfig:
    base_url: str
    username: str
    password: str = field(repr=False)
    agreement_number: str
    timeout_seconds: float = 20.0
    retry: RetryPolicy = RetryPolicy()


class PlaywrightLedger:
    def __init__(self, browser: Browser, config: LedgerConfig) -> None:
        self._config = config
        self._context = browser.new_context(locale="da-DK", accept_downloads=True)
        self._session = LedgerSession(self._context, config.base_url,
                                      (config.username, config.password, config.agreement_number),
                                      config.retry, config.timeout_seconds * 1000)

    # -- lifecycle ---------------------------------------------------------------------------------------------
    @property
    def page_loads(self) -> int:
        return self._session.page_loads

    @property
    def logins(self) -> int:
        return self._session.logins

    def login(self) -> None:
        self._session.log_in()

    def close(self) -> None:
        self._context.close()

    def __enter__(self) -> PlaywrightLedger:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def save_artifacts(self, directory: Path) -> list[Path]:
        """A screenshot and the HTML of the page the job was on (no credentials are on any page)."""
        directory.mkdir(parents=True, exist_ok=True)
        shot, html = directory / "ledger.png", directory / "ledger.html"
        self._session.page.screenshot(path=str(shot), full_page=True)
        html.write_text(self._session.page.content(), encoding="utf-8")
        return [shot, html]

    # -- master data -------------------------------------------------------------------------------------------
    def company(self) -> Company:
        return parse.company(CompanyPage(self._session.open(CompanyPage.PATH)).details())

    def _paged(self, path: str, page_type: Callable[[Page], _P], read: Callable[[_P], list[_T]]) -> list[_T]:
        """Everything in a paged list view: one page load per list page, following its "next" link."""
        found: list[_T] = []
        next_path: str | None = path
        while next_path:
            page = page_type(self._session.open(next_path))
            found += read(page)
            next_path = page.next_page()
        return found

    def customers(self) -> list[Customer]:
        return self._paged(CustomersPage.PATH, CustomersPage, lambda page: [
            parse.customer(r, t) for r, t in zip(page.rows(), page.payment_term_numbers(), strict=True)])

    def customer(self, number: int) -> Customer:
        page = CustomerPage(self._session.open(CustomerPage.PATH.format(number=number)))
        if not page.exists():
            raise NotInLedger(f"Kunde {number} findes ikke i regnskabet")
        data = page.master_data()
        return parse.customer(data, data["payment_term"], tuple(parse.contact(c) for c in page.contacts()))

    def payment_terms(self) -> list[PaymentTerm]:
        return [parse.term(r) for r in PaymentTermsPage(self._session.open(PaymentTermsPage.PATH)).rows()]

    # -- invoices ----------------------------------------------------------------------------------------------
    def invoices(
        self, status: InvoiceFilter = InvoiceFilter.OPEN, customer_number: int | None = None
    ) -> list[Invoice]:
        return self._paged(InvoicesPage.path(status.value, customer_number), InvoicesPage,
                           lambda page: [parse.invoice(r) for r in page.rows()])

    def invoice_pdf(self, number: int) -> bytes:
        return self._session.download(InvoicesPage.pdf_path(number))

    # -- reminders ---------------------------------------------------------------------------------------------
    def reminder_candidates(self) -> list[ReminderCandidate]:
        return [parse.candidate(r) for r in RemindersPage(self._session.open(RemindersPage.PATH)).rows()]

    def reminders(self, customer_number: int | None = None) -> list[Reminder]:
        return self._paged(ReminderHistoryPage.path(customer_number), ReminderHistoryPage,
                           lambda page: [parse.reminder(r) for r in page.rows()])

    def reminder_pdf(self, reminder_number: int) -> bytes:
        return self._session.download(ReminderHistoryPage.pdf_path(reminder_number))

    def send_reminder(self, customer_number: int, level: int, fee: Decimal, text: str) -> Reminder:
        """Tick this customer's reminder on the reminders page and send it. A send whose answer was lost (a
        timeout, a 503) is never repeated blindly: the history is checked first, as a person would."""
        attempts = 0
        invoices: tuple[int, ...] = ()

        def attempt() -> Reminder:
            nonlocal attempts, invoices
            attempts += 1
            if attempts > 1:
                done = self._sent_already(customer_number, level, invoices)
                if done is not None:
                    return done
            page = RemindersPage(self._session.open(RemindersPage.PATH))
            if not page.has(customer_number, level):
                done = self._sent_already(customer_number, level, invoices) if invoices else None
                if done is not None:
                    return done
                raise NotInLedger(f"Kunde {customer_number} står ikke længere til rykker {level} i regnskabet "
                                  "(betalt, krediteret eller allerede rykket)")
            row = next(r for r in page.rows()
                       if r["customer_number"] == str(customer_number) and r["level"] == str(level))
            invoices = parse.numbers(row["invoices"])
            page.tick(customer_number, level)
            response = page.send(parse.fee_text(fee), text)
            self._session.page_loads += 1
            if response is not None and response.status >= 500:
                raise _Transient(f"regnskabet svarede {response.status} på afsendelse af rykker {level}")
            receipt = ReminderHistoryPage(self._session.page)
            if not receipt.is_receipt():
                raise _Transient(f"ingen kvittering efter afsendelse af rykker {level} til kunde {customer_number}")
            sent = [parse.reminder(r) for r in receipt.rows()]
            mine = [r for r in sent if r.customer_number == customer_number and r.level == level]
            if not mine:
                raise NotInLedger(receipt.not_sent() or f"Rykker {level} til kunde {customer_number} blev ikke sendt")
            return mine[0]

        return self._session.retrying(attempt, f"send rykker {level} til kunde {customer_number}")

    def _sent_already(self, customer_number: int, level: int, invoices: tuple[int, ...]) -> Reminder | None:
        for r in self.reminders(customer_number):
            if r.level == level and (not invoices or set(r.invoice_numbers) == set(invoices)):
                return r if invoices else None
        return None

    # -- inkasso -----------------------------------------------------------------------------------------------
    def inkasso_list(self) -> list[InkassoCase]:
        return [parse.inkasso_case(r) for r in InkassoPage(self._session.open(InkassoPage.PATH)).rows()]
