"""A deterministic, believable demo company: customers, invoices and a reminder history relative to ``today``."""

from __future__ import annotations

import calendar
import datetime as dt
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sandbox.ledger.records import Company, Contact, Customer, Dataset, Invoice, Reminder, Term

_FIRST = (
    "Anders Mette Lars Hanne Søren Kirsten Jens Louise Peter Camilla Niels Ida Mikkel Sofie Rasmus Julie "
    "Henrik Maja Morten Line Thomas Anne Jesper Signe Frederik Emma Christian Katrine Martin Lene"
)
FIRST = _FIRST.split()
_LAST = (
    "Jensen Nielsen Hansen Pedersen Andersen Christensen Larsen Sørensen Rasmussen Jørgensen Petersen "
    "Madsen Kristensen Olsen Thomsen Christiansen Poulsen Johansen Møller Mortensen Knudsen Holm Lund Dahl"
)
LAST = _LAST.split()
TRADES = (
    "Tømrer", "VVS", "El-service", "Maler", "Revision", "Transport", "Rengøring", "Byg", "Auto", "Blomster",
    "Bageri", "Data", "Tandklinik", "Arkitekter", "Smedie", "Anlæg", "Grafisk", "Isenkram", "Købmand", "Kloak",
)
PREFIX = ("Nordisk", "Dansk", "Vestjysk", "Fynsk", "Sjællands", "Østjysk", "Nordsjællands", "Bornholms", "Midtjysk")
SUFFIX = ("ApS", "A/S", "I/S", "IVS", "ApS", "A/S")
CITIES = (
    ("1050", "København K"), ("2100", "København Ø"), ("2300", "København S"), ("2800", "Kongens Lyngby"),
    ("3000", "Helsingør"), ("4000", "Roskilde"), ("5000", "Odense C"), ("6000", "Kolding"), ("6700", "Esbjerg"),
    ("7100", "Vejle"), ("7400", "Herning"), ("8000", "Aarhus C"), ("8600", "Silkeborg"), ("8900", "Randers C"),
    ("9000", "Aalborg"), ("3700", "Rønne"), ("4700", "Næstved"), ("7500", "Holstebro"),
)
STREETS = ("Vestergade", "Østergade", "Nørregade", "Søndergade", "Algade", "Skovvej", "Industrivej", "Havnegade")
FOREIGN = (
    ("SE", "SEK", "Svensk Bygg AB", "211 20", "Malmö"),
    ("NO", "NOK", "Norsk Trelast AS", "0150", "Oslo"),
    ("DE", "EUR", "Nordwind Handel GmbH", "24937", "Flensburg"),
    ("DE", "EUR", "Hansen & Krüger GmbH", "20095", "Hamburg"),
    ("NL", "EUR", "Van Dijk Logistiek B.V.", "1012", "Amsterdam"),
)
TERMS = (
    Term(1, "Netto 8 dage", 8),
    Term(2, "Netto 14 dage", 14),
    Term(3, "Netto 30 dage", 30),
    Term(4, "Løbende måned + 30 dage", 30, "current_month"),
    Term(5, "Kontant", 0),
)
# Dunning profile of a customer -> weight. "lateN" = reminder N sent long enough ago for the next step,
# "lateNr" = reminder N sent recently (nothing due yet); late3 customers end on the inkasso list.
PROFILES = {
    "good": 43, "open": 14, "late0": 11, "late1": 8, "late1r": 4, "late2": 6, "late2r": 3, "late3": 6, "late3r": 3,
}
FEE = Decimal(100)
TEXTS = {1: "Vi har endnu ikke modtaget betaling.", 2: "Anden påmindelse.", 3: "Sidste rykker før inkasso."}


def due_date(term: Term, invoice_date: date) -> date:
    if term.kind == "current_month":
        last = calendar.monthrange(invoice_date.year, invoice_date.month)[1]
        return invoice_date.replace(day=last) + timedelta(days=term.days)
    return invoice_date + timedelta(days=term.days)


def cvr_number(rng: random.Random) -> str:
    """An 8-digit number that passes the CVR modulus-11 check."""
    weights = (2, 7, 6, 5, 4, 3, 2, 1)
    while True:
        digits = [rng.randint(1, 4)] + [rng.randint(0, 9) for _ in range(6)]
        s = sum(d * w for d, w in zip(digits, weights, strict=False))
        last = (-s) % 11
        if last < 10:
            return "".join(map(str, [*digits, last]))


@dataclass
class _Inv:
    customer: int
    date: dt.date
    due: dt.date
    amount: Decimal
    remaining: Decimal
    currency: str
    number: int = 0


@dataclass
class _Rem:
    customer: int
    level: int
    date: dt.date
    invoices: list[_Inv] = field(default_factory=list)


def generate(today: date, seed: int = 2024, customers: int = 300) -> Dataset:
    rng = random.Random(seed)
    company = Company(
        name="Demo Byg ApS", cvr="12345674", address="Vestergade 12", postal_code="8000", city="Aarhus C",
        email="bogholderi@demobyg.dk", phone="86 12 34 56", bank_account="Reg. 1234 Konto 0012345678",
    )
    custs: list[Customer] = []
    invs: list[_Inv] = []
    rems: list[_Rem] = []
    for number in range(1, customers + 1):
        cust = _customer(rng, number)
        custs.append(cust)
        term = TERMS[cust.payment_term - 1]
        currency = {"SE": "SEK", "NO": "NOK"}.get(cust.country, "EUR" if cust.country != "DK" else "DKK")
        profile = rng.choices(list(PROFILES), weights=list(PROFILES.values()))[0] if cust.active else "good"
        mine: list[_Inv] = []
        for _ in range(rng.randint(2, 6)):
            d = today - timedelta(days=rng.randint(20, 420))
            mine.append(_Inv(number, d, due_date(term, d), _amount(rng), Decimal(0), currency))
        if rng.random() < 0.05:  # a credit note, mostly settled
            d = today - timedelta(days=rng.randint(10, 300))
            amt = -_amount(rng) / 4
            amt = amt.quantize(Decimal("0.01"))
            mine.append(_Inv(number, d, d, amt, amt if rng.random() < 0.3 else Decimal(0), currency))
        if profile != "good" or rng.random() < 0.4:  # a recent invoice, not yet due
            d = today - timedelta(days=rng.randint(0, 6))
            amt = _amount(rng)
            mine.append(_Inv(number, d, max(due_date(term, d), today + timedelta(days=1)), amt, amt, currency))
        if profile == "open":  # overdue a little, one partly paid
            inv = _overdue(rng, term, today - timedelta(days=rng.randint(1, 4)), number, currency)
            inv.remaining = (inv.amount * Decimal(rng.choice(("1", "0.5", "0.25")))).quantize(Decimal("0.01"))
            mine.append(inv)
        elif profile.startswith("late"):
            mine_rems, late = _late(rng, profile, term, today, number, currency)
            mine += late
            rems += mine_rems
        if rng.random() < 0.1:  # history: an old reminder on an invoice that was paid later
            paid = min(mine, key=lambda i: i.date)
            if paid.remaining == 0 and paid.amount > 0 and paid.due + timedelta(days=9) < today:
                rems.append(_Rem(number, 1, paid.due + timedelta(days=rng.randint(5, 9)), [paid]))
        invs += mine
    invs.sort(key=lambda i: (i.date, i.customer))
    for n, inv in enumerate(invs, start=10001):
        inv.number = n
    rems.sort(key=lambda r: (r.date, r.customer, r.level))
    return Dataset(
        company=company,
        payment_terms=TERMS,
        customers=tuple(custs),
        invoices=tuple(
            Invoice(i.number, i.customer, i.date, i.due, i.amount, i.remaining, i.currency) for i in invs
        ),
        reminders=tuple(
            Reminder(
                number=n, customer_number=r.customer, level=r.level, date=r.date,
                invoice_numbers=tuple(sorted(i.number for i in r.invoices)), fee=FEE,
                amount=sum((i.amount for i in r.invoices), Decimal(0)), text=TEXTS[r.level],
            )
            for n, r in enumerate(rems, start=1)
        ),
    )


def _late(
    rng: random.Random, profile: str, term: Term, today: date, customer: int, currency: str
) -> tuple[list[_Rem], list[_Inv]]:
    stage = int(profile[4])
    recent = profile.endswith("r")
    if stage == 0:
        last = today - timedelta(days=rng.randint(6, 40))  # the due date
        dates: list[date] = []
    else:
        wait = 10 if stage == 3 else 7
        gap = rng.randint(0, wait - 1) if recent else rng.randint(wait, wait + 20)
        dates = [today - timedelta(days=gap)]
        for _ in range(stage - 1):
            dates.insert(0, dates[0] - timedelta(days=rng.randint(7, 12)))
        last = dates[0] - timedelta(days=rng.randint(5, 12))
    late = [_overdue(rng, term, last, customer, currency)]
    if rng.random() < 0.4:
        late.append(_overdue(rng, term, last - timedelta(days=rng.randint(0, 25)), customer, currency))
    if rng.random() < 0.3:
        late[0].remaining = (late[0].amount * Decimal("0.4")).quantize(Decimal("0.01"))
    rems = [_Rem(customer, level, d, list(late)) for level, d in enumerate(dates, start=1)]
    if stage > 0 and rng.random() < 0.3:  # a newer overdue invoice not yet reminded
        late.append(_overdue(rng, term, today - timedelta(days=rng.randint(5, 15)), customer, currency))
    return rems, late


def _overdue(rng: random.Random, term: Term, due: date, customer: int, currency: str) -> _Inv:
    d = due - timedelta(days=term.days)
    amt = _amount(rng)
    return _Inv(customer, d, due_date(term, d) if term.kind == "net" else due, amt, amt, currency)


def _amount(rng: random.Random) -> Decimal:
    net = Decimal(rng.randint(400, 48000)) + Decimal(rng.choice((0, 0, 50, 95, 25))) / 100
    return (net * Decimal("1.25")).quantize(Decimal("0.01"))


def _customer(rng: random.Random, number: int) -> Customer:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    street = f"{rng.choice(STREETS)} {rng.randint(1, 120)}"
    postal, city = rng.choice(CITIES)
    phone = f"{rng.randint(20, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
    kind = rng.random()
    contacts: tuple[Contact, ...]
    if kind < 0.06:
        country, _, name, postal, city = rng.choice(FOREIGN)
        cvr, group, email = "", "Udland", f"accounts@{name.split()[0].lower()}.example"
        street, phone = "Hauptstrasse 1" if country == "DE" else "Storgatan 5", "+" + phone.replace(" ", "")
        contacts = (Contact(f"{first} {last}", "Bogholder", email, phone),)
    elif kind < 0.22:
        country, cvr, group, name = "DK", "", "Privat", f"{first} {last}"
        email = f"{first.lower()}.{last.lower()}@mail.example".replace("ø", "oe").replace("æ", "ae").replace("å", "aa")
        contacts = ()
    else:
        country, cvr = "DK", cvr_number(rng)
        group = "Offentlig" if rng.random() < 0.05 else "Erhverv"
        name = rng.choice((f"{last} {rng.choice(TRADES)} {rng.choice(SUFFIX)}",
                           f"{rng.choice(PREFIX)} {rng.choice(TRADES)} {rng.choice(SUFFIX)}"))
        domain = name.split()[0].lower().replace("ø", "oe").replace("æ", "ae").replace("å", "aa")
        email = f"faktura@{domain}{number}.example"
        boss = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        contacts = (
            Contact(f"{first} {last}", "Bogholder", f"{first.lower()}@{domain}{number}.example", phone),
            Contact(boss, "Direktør", f"direktion@{domain}{number}.example", ""),
        )
    term = rng.choice((1, 2, 2, 3, 3, 3, 4, 5)) if group != "Privat" else rng.choice((1, 2, 5))
    return Customer(
        number=number, name=name, cvr=cvr, country=country, email=email, group=group, payment_term=term,
        active=rng.random() > 0.08, address=street, postal_code=postal, city=city, phone=phone, contacts=contacts,
    )
