"""The run's letter PDF: opens with pypdf, one page or more per letter, the address inside the envelope window."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from pypdf import PdfReader

from bot.channels.claim import Claim
from bot.channels.letter import ADDRESS_FIELD, Letter, letters_pdf
from bot.dunning.money import Money
from bot.records import Company, Customer, Invoice

MM = 72 / 25.4  # PDF points per millimetre
A4_HEIGHT_MM = 297.0
TODAY = date(2026, 11, 25)
COMPANY = Company(name="Klient A/S", cvr="87654321", address="Hovedgaden 2", postal_code="1000", city="København K",
                  email="bogholderi@klient.dk", phone="12 34 56 78", bank_account="Reg. 1234 konto 0001234567")


def claim(number: int, name: str, invoices: int) -> Claim:
    customer = Customer(number=number, name=name, cvr="", country="DK", email="", group="Privat", payment_term=1,
                        active=True, address=f"Søndergade {number}", postal_code="8000", city="Aarhus C")
    items = tuple(Invoice(20000 + number * 100 + i, number, TODAY - timedelta(days=60 + i),
                          TODAY - timedelta(days=30 + i), Decimal("500.00"), Decimal("500.00"))
                  for i in range(invoices))
    return Claim(customer, COMPANY, 2, items, (), Money(Decimal(500 * invoices), "DKK"), Money(Decimal(100), "DKK"),
                 Money(Decimal(0), "DKK"), Money(Decimal(0), "DKK"), TODAY)


def test_every_letter_starts_a_page_and_a_long_one_runs_over() -> None:
    claims = [claim(1, "Åge Ærø", 1), claim(2, "Bent Øster", 3), claim(3, "Carla – Lang ApS", 80)]
    pdf = letters_pdf([c.letter(f"Kære {c.customer.name}\n\nBetal venligst.") for c in claims])
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= len(claims) + 1  # 80 invoices do not fit one page
    firsts = [i for i, page in enumerate(reader.pages) if "side 1" in page.extract_text()]
    assert len(firsts) == len(claims)
    for index, c in zip(firsts, claims, strict=True):
        text = reader.pages[index].extract_text()
        assert c.customer.name.replace("–", "-") in text and f"Kundenr. {c.customer.number}" in text
    last = str(claims[2].invoices[-1].number)
    assert last in "".join(p.extract_text() for p in reader.pages[firsts[2]:])  # the table ran over, all of it


def text_positions(page: Any) -> list[tuple[str, float, float]]:
    """(text, x mm from the left, y mm from the top) of each text run on the page."""
    found: list[tuple[str, float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: Any) -> None:
        if text.strip():
            x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
            found.append((text.strip(), x / MM, A4_HEIGHT_MM - y / MM))

    page.extract_text(visitor_text=visit)
    return found


def test_the_recipient_address_lies_in_the_window_of_the_envelope() -> None:
    c = claim(7, "Dorte Dahl", 2)
    reader = PdfReader(io.BytesIO(letters_pdf([c.letter("Kære Dorte")])))
    positions = text_positions(reader.pages[0])
    x0, y0, width, height = ADDRESS_FIELD
    for line in ("Dorte Dahl", "Søndergade 7", "8000 Aarhus C"):
        (x, y), = [(x, y) for text, x, y in positions if text == line]
        assert x0 <= x <= x0 + width and y0 <= y <= y0 + height, (line, x, y)
    sender, = [(x, y) for text, x, y in positions if text.startswith("Klient A/S, Hovedgaden 2")]
    assert y0 <= sender[1] <= y0 + 6  # the return line heads the window


def test_no_letters_is_refused() -> None:
    with pytest.raises(ValueError):
        letters_pdf([])


def test_characters_outside_latin1_do_not_break_the_pdf() -> None:
    letter = Letter(sender=("Klient A/S",), recipient=("Zoë “Ž” Łukasz", "Ulica 1", "00-001 Warszawa", "PL"),
                    date="25-11-2026", reference="Kundenr. 9", title="Rykker 1 – €", body="Beløb: 10 € … tak")
    reader = PdfReader(io.BytesIO(letters_pdf([letter])))
    text = reader.pages[0].extract_text()
    assert "Rykker 1 - EUR" in text and "Beløb: 10 EUR ... tak" in text
