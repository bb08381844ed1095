"""What one reminder says, in Danish formats: the fields a bookkeeper's template can use, and its letter.

The fields are plain values (strings, numbers, lists and dicts), never domain objects, so a sandboxed template
sees nothing else. ``SAMPLE_FIELDS`` has every field with example values: templates are checked against it.

Fields: ``kunde.navn, kunde.nummer, kunde.kontakt, kunde.email, kunde.adresse, kunde.postnr, kunde.by,
kunde.cvr``; ``firma.navn, firma.adresse, firma.postnr, firma.by, firma.cvr, firma.telefon, firma.email``;
``bank.konto, bank.reference``; ``trin, dato, betalingsfrist, valuta, dage_over, antal_fakturaer``; ``beloeb,
gebyr, renter, kompensation, i_alt`` (amounts as text, "1.234,50 kr."); ``fakturaer`` (a list, each with
``nummer, dato, forfaldsdato, beloeb, restbeloeb, dage_over``) and ``kreditnotaer`` (``nummer, dato,
restbeloeb``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from bot import formats
from bot.channels.letter import Letter
from bot.dunning.engine import ReminderLine
from bot.dunning.money import Money
from bot.records import Company, Customer, Invoice

__all__ = ["SAMPLE_FIELDS", "Claim", "claim_from_line", "sample_claim"]


@dataclass(frozen=True)
class Claim:
    customer: Customer
    company: Company
    step: int
    invoices: tuple[Invoice, ...]  # the overdue invoices reminded of, oldest due date first
    credits: tuple[Invoice, ...]  # credit notes netted into ``amount``
    amount: Money  # what is owed for the invoices, net of the credits
    fee: Money
    interest: Money
    compensation: Money
    today: date
    contact_name: str = ""  # who the mail greets ("" greets the company)
    pay_within_days: int = 8

    @property
    def days_overdue(self) -> int:
        return max(((self.today - i.due_date).days for i in self.invoices), default=0)

    def totals(self) -> list[tuple[str, Money]]:
        """The claim's lines for the table: amount, then fee, interest and compensation when not zero."""
        lines = [("Forfaldent beløb", self.amount)]
        lines += [(label, m) for label, m in (("Rykkergebyr", self.fee), ("Renter", self.interest),
                                              ("Kompensation (renteloven § 9 a)", self.compensation)) if m.amount]
        return lines

    def total_text(self) -> str:
        """The sum per currency, "1.350,00 kr." or "4.000,00 EUR + 100,00 kr." (EUR is never added to DKK)."""
        sums: dict[str, Money] = {}
        for _, m in self.totals():
            sums[m.currency] = sums[m.currency] + m if m.currency in sums else m
        return " + ".join(m.text() for m in sums.values())

    def fields(self) -> dict[str, Any]:
        c, f = self.customer, self.company
        currency = self.amount.currency

        def money(value: Decimal) -> str:
            return Money(value, currency).text()

        return {
            "kunde": {"navn": c.name, "nummer": c.number, "kontakt": self.contact_name or c.name, "email": c.email,
                      "adresse": c.address, "postnr": c.postal_code, "by": c.city, "cvr": c.cvr},
            "firma": {"navn": f.name, "adresse": f.address, "postnr": f.postal_code, "by": f.city, "cvr": f.cvr,
                      "telefon": f.phone, "email": f.email},
            "bank": {"konto": f.bank_account, "reference": f"Kundenr. {c.number}"},
            "trin": self.step,
            "dato": formats.day(self.today),
            "betalingsfrist": formats.day(self.today + timedelta(days=self.pay_within_days)),
            "valuta": currency,
            "dage_over": self.days_overdue,
            "antal_fakturaer": len(self.invoices),
            "beloeb": self.amount.text(),
            "gebyr": self.fee.text(),
            "renter": self.interest.text(),
            "kompensation": self.compensation.text(),
            "i_alt": self.total_text(),
            "fakturaer": [{"nummer": i.number, "dato": formats.day(i.date), "forfaldsdato": formats.day(i.due_date),
                           "beloeb": money(i.amount), "restbeloeb": money(i.remaining),
                           "dage_over": (self.today - i.due_date).days} for i in self.invoices],
            "kreditnotaer": [{"nummer": i.number, "dato": formats.day(i.date), "restbeloeb": money(i.remaining)}
                             for i in self.credits],
        }

    def letter(self, body: str, title: str = "") -> Letter:
        """The reminder as a letter: ``body`` is the rendered text of the step's template."""
        c, f = self.customer, self.company
        recipient = [c.name]
        if self.contact_name and self.contact_name != c.name:
            recipient.append(f"Att. {self.contact_name}")
        recipient += [c.address, f"{c.postal_code} {c.city}".strip()]
        if c.country and c.country.upper() not in ("DK", "DANMARK", "DENMARK"):
            recipient.append(c.country)
        currency = self.amount.currency
        rows = [(str(i.number), formats.day(i.date), formats.day(i.due_date),
                 Money(i.amount, currency).text(), Money(i.remaining, currency).text()) for i in self.invoices]
        rows += [(f"{i.number} (kreditnota)", formats.day(i.date), "", Money(i.amount, currency).text(),
                  Money(i.remaining, currency).text()) for i in self.credits]
        totals = [(label, m.text()) for label, m in self.totals()] + [("I alt", self.total_text())]
        payment = (f"Beløbet bedes betalt senest {formats.day(self.today + timedelta(days=self.pay_within_days))} "
                   f"til {f.bank_account or f.name}. Angiv kundenr. {c.number} ved betaling.")
        return Letter(
            sender=_lines(f.name, f.address, f"{f.postal_code} {f.city}".strip(), f"CVR {f.cvr}" if f.cvr else "",
                          f.phone, f.email),
            recipient=tuple(s for s in recipient if s.strip()),
            date=formats.day(self.today),
            reference=f"Kundenr. {c.number}",
            title=title or f"Rykker {self.step}",
            body=body,
            columns=("Faktura", "Dato", "Forfald", "Beløb", "Rest"),
            rows=tuple(rows),
            totals=tuple(totals),
            payment=payment,
        )


def _lines(*values: str) -> tuple[str, ...]:
    return tuple(v for v in values if v.strip())


def claim_from_line(line: ReminderLine, customer: Customer, company: Company, today: date,
                    interest: Money | None = None, contact_name: str = "", pay_within_days: int = 8) -> Claim:
    """The claim of one of the engine's reminder lines; ``interest`` is the flow's (``bot.dunning.law.interest``),
    in the line's currency; none when not given."""
    return Claim(customer=customer, company=company, step=line.step,
                 invoices=tuple(i.invoice for i in line.items), credits=line.credits, amount=line.amount,
                 fee=line.fee, interest=interest or Money.zero(line.currency), compensation=line.compensation,
                 today=today, contact_name=contact_name, pay_within_days=pay_within_days)


def sample_claim() -> Claim:
    """A claim with every field filled: the values templates are checked against."""
    today = date(2026, 11, 25)
    customer = Customer(number=1001, name="Eksempel ApS", cvr="12345678", country="DK", email="info@eksempel.dk",
                        group="Erhverv", payment_term=1, active=True, address="Eksempelvej 1", postal_code="8000",
                        city="Aarhus C")
    company = Company(name="Klient A/S", cvr="87654321", address="Hovedgaden 2", postal_code="1000",
                      city="København K", email="bogholderi@klient.dk", phone="12 34 56 78",
                      bank_account="Reg. 1234 konto 0001234567")
    invoices: Sequence[Invoice] = (
        Invoice(10234, 1001, date(2026, 10, 1), date(2026, 10, 9), Decimal("1250.00"), Decimal("1250.00")),)
    credits = (Invoice(10240, 1001, date(2026, 10, 20), date(2026, 10, 20), Decimal("-100.00"), Decimal("-100.00")),)
    return Claim(customer, company, 1, tuple(invoices), credits, Money(Decimal("1150.00"), "DKK"),
                 Money(Decimal("100.00"), "DKK"), Money(Decimal("12.34"), "DKK"), Money(Decimal(0), "DKK"), today,
                 contact_name="Anna Bogholder")


SAMPLE_FIELDS: dict[str, Any] = sample_claim().fields()
