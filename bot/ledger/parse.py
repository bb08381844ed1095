"""From the site's display text to domain types: Danish amounts "1.234,50", dates "dd-mm-åååå"."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal

from bot.records import Company, Contact, Customer, InkassoCase, Invoice, PaymentTerm, Reminder, ReminderCandidate


def amount(text: str) -> Decimal:
    t = text.replace("kr.", "").replace("\xa0", "").replace(" ", "").strip()
    return Decimal(t.replace(".", "").replace(",", ".") or "0")


def day(text: str) -> date:
    return datetime.strptime(text.strip(), "%d-%m-%Y").date()


def maybe_day(text: str) -> date | None:
    return day(text) if text.strip() else None


def numbers(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.replace(";", ",").split(",") if p.strip())


def customer(r: Mapping[str, str], term_number: str, contacts: tuple[Contact, ...] = ()) -> Customer:
    return Customer(
        number=int(r["number"]), name=r["name"], cvr=r.get("cvr", ""), country=r.get("country", ""),
        email=r.get("email", ""), group=r.get("group", ""), payment_term=int(term_number or 0),
        active=r.get("active", "") == "Ja", address=r.get("address", ""), postal_code=r.get("postal_code", ""),
        city=r.get("city", ""), phone=r.get("phone", ""), contacts=contacts,
    )


def contact(r: Mapping[str, str]) -> Contact:
    return Contact(name=r["name"], role=r.get("role", ""), email=r.get("email", ""), phone=r.get("phone", ""))


def term(r: Mapping[str, str]) -> PaymentTerm:
    return PaymentTerm(number=int(r["number"]), name=r["name"], days=int(r.get("days") or 0))


def company(r: Mapping[str, str]) -> Company:
    return Company(name=r["name"], cvr=r.get("cvr", ""), address=r.get("address", ""),
                   postal_code=r.get("postal_code", ""), city=r.get("city", ""), email=r.get("email", ""),
                   phone=r.get("phone", ""), bank_account=r.get("bank_account", ""))


def invoice(r: Mapping[str, str]) -> Invoice:
    return Invoice(number=int(r["number"]), customer_number=int(r["customer_number"]), date=day(r["date"]),
                   due_date=day(r["due_date"]), amount=amount(r["amount"]), remaining=amount(r["remaining"]),
                   currency=r.get("currency") or "DKK")


def candidate(r: Mapping[str, str]) -> ReminderCandidate:
    return ReminderCandidate(
        customer_number=int(r["customer_number"]), customer_name=r.get("customer_name", ""), level=int(r["level"]),
        invoice_numbers=numbers(r["invoices"]), amount=amount(r["amount"]), oldest_due_date=day(r["oldest_due_date"]),
        days_overdue=int(r["days_overdue"]), last_reminder_date=maybe_day(r.get("last_reminder_date", "")),
    )


def reminder(r: Mapping[str, str]) -> Reminder:
    return Reminder(number=int(r["number"]), customer_number=int(r["customer_number"]), level=int(r["level"]),
                    date=day(r["date"]), invoice_numbers=numbers(r["invoices"]), fee=amount(r["fee"]),
                    amount=amount(r["amount"]), text=r.get("text", ""))


def inkasso_case(r: Mapping[str, str]) -> InkassoCase:
    return InkassoCase(customer_number=int(r["customer_number"]), customer_name=r.get("customer_name", ""),
                       invoice_numbers=numbers(r["invoices"]), remaining=amount(r["remaining"]),
                       reminder3_date=day(r["reminder3_date"]), days_since_reminder3=int(r["days_since"]))


def fee_text(value: Decimal) -> str:
    """As a person types it into the site's fee field: "100,00"."""
    return f"{value:.2f}".replace(".", ",")
