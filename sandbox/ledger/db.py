"""SQLite storage of the sandbox ledger: schema, loading a dataset, queries. One connection per request."""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path

from sandbox.ledger.records import Company, Contact, Customer, Dataset, Invoice, Reminder, Term

SCHEMA = """
CREATE TABLE company (name TEXT, cvr TEXT, address TEXT, postal_code TEXT, city TEXT, email TEXT, phone TEXT,
    bank_account TEXT);
CREATE TABLE terms (number INTEGER PRIMARY KEY, name TEXT, days INTEGER, kind TEXT);
CREATE TABLE customers (number INTEGER PRIMARY KEY, name TEXT, cvr TEXT, country TEXT, email TEXT, grp TEXT,
    payment_term INTEGER, active INTEGER, address TEXT, postal_code TEXT, city TEXT, phone TEXT);
CREATE TABLE contacts (customer INTEGER, pos INTEGER, name TEXT, role TEXT, email TEXT, phone TEXT);
CREATE TABLE invoices (number INTEGER PRIMARY KEY, customer INTEGER, date TEXT, due_date TEXT, amount TEXT,
    remaining TEXT, currency TEXT);
CREATE INDEX invoices_customer ON invoices (customer);
CREATE TABLE reminders (number INTEGER PRIMARY KEY, customer INTEGER, level INTEGER, date TEXT, fee TEXT,
    amount TEXT, text TEXT);
CREATE TABLE reminder_invoices (reminder INTEGER, invoice INTEGER);
CREATE TABLE sessions (token TEXT PRIMARY KEY, username TEXT, last_seen REAL);
"""


def connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=10, isolation_level=None)
    conn.row_factory = sqlite3.Row
    return conn


def create(path: Path, ds: Dataset) -> None:
    conn = connect(path)
    try:
        conn.executescript(SCHEMA)
        conn.execute("BEGIN")
        c = ds.company
        conn.execute(
            "INSERT INTO company VALUES (?,?,?,?,?,?,?,?)",
            (c.name, c.cvr, c.address, c.postal_code, c.city, c.email, c.phone, c.bank_account),
        )
        conn.executemany(
            "INSERT INTO terms VALUES (?,?,?,?)", [(t.number, t.name, t.days, t.kind) for t in ds.payment_terms]
        )
        conn.executemany(
            "INSERT INTO customers VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                (k.number, k.name, k.cvr, k.country, k.email, k.group, k.payment_term, int(k.active), k.address,
                 k.postal_code, k.city, k.phone)
                for k in ds.customers
            ],
        )
        conn.executemany(
            "INSERT INTO contacts VALUES (?,?,?,?,?,?)",
            [(k.number, i, p.name, p.role, p.email, p.phone) for k in ds.customers for i, p in enumerate(k.contacts)],
        )
        conn.executemany(
            "INSERT INTO invoices VALUES (?,?,?,?,?,?,?)",
            [
                (v.number, v.customer_number, v.date.isoformat(), v.due_date.isoformat(), str(v.amount),
                 str(v.remaining), v.currency)
                for v in ds.invoices
            ],
        )
        for r in ds.reminders:
            _insert_reminder(conn, r)
        conn.execute("COMMIT")
    finally:
        conn.close()


def _insert_reminder(conn: sqlite3.Connection, r: Reminder) -> None:
    conn.execute(
        "INSERT INTO reminders VALUES (?,?,?,?,?,?,?)",
        (r.number, r.customer_number, r.level, r.date.isoformat(), str(r.fee), str(r.amount), r.text),
    )
    conn.executemany("INSERT INTO reminder_invoices VALUES (?,?)", [(r.number, n) for n in r.invoice_numbers])


def add_reminders(conn: sqlite3.Connection, items: Iterable[Reminder]) -> list[int]:
    """Record reminders in one transaction, numbering them after the highest existing number."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        top = conn.execute("SELECT COALESCE(MAX(number), 0) FROM reminders").fetchone()[0]
        numbers = []
        for r in items:
            top += 1
            _insert_reminder(conn, Reminder(top, r.customer_number, r.level, r.date, r.invoice_numbers, r.fee,
                                            r.amount, r.text))
            numbers.append(top)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return numbers


def company(conn: sqlite3.Connection) -> Company:
    row = conn.execute("SELECT * FROM company").fetchone()
    return Company(**dict(row))


def terms(conn: sqlite3.Connection) -> list[Term]:
    return [Term(**dict(r)) for r in conn.execute("SELECT * FROM terms ORDER BY number")]


def _customer(row: sqlite3.Row, contacts: tuple[Contact, ...] = ()) -> Customer:
    d = dict(row)
    d["group"] = d.pop("grp")
    d["active"] = bool(d["active"])
    return Customer(**d, contacts=contacts)


def customers(
    conn: sqlite3.Connection, search: str = "", offset: int = 0, limit: int = -1,
    numbers: Collection[int] | None = None,
) -> tuple[list[Customer], int]:
    """A page of the customers (``limit`` -1: all), matching ``search`` and, when given, only these numbers."""
    clauses, args = [], list[object]()
    if search:
        clauses.append("(name LIKE ? OR CAST(number AS TEXT) = ? OR cvr = ? OR email LIKE ?)")
        args += [f"%{search}%", search, search, f"%{search}%"]
    if numbers is not None:
        wanted = sorted({int(n) for n in numbers})
        clauses.append(f"number IN ({_marks(wanted)})" if wanted else "0")
        args += wanted
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    total = conn.execute(f"SELECT COUNT(*) FROM customers {where}", args).fetchone()[0]
    rows = conn.execute(f"SELECT * FROM customers {where} ORDER BY number LIMIT ? OFFSET ?", [*args, limit, offset])
    return [_customer(r) for r in rows], int(total)


def customer(conn: sqlite3.Connection, number: int) -> Customer | None:
    row = conn.execute("SELECT * FROM customers WHERE number = ?", (number,)).fetchone()
    if row is None:
        return None
    contacts = tuple(
        Contact(r["name"], r["role"], r["email"], r["phone"])
        for r in conn.execute("SELECT * FROM contacts WHERE customer = ? ORDER BY pos", (number,))
    )
    return _customer(row, contacts)


def customer_names(conn: sqlite3.Connection, numbers: Collection[int] | None = None) -> dict[int, str]:
    """Customer number -> name, of all customers or of only these."""
    if numbers is None:
        return {int(r[0]): str(r[1]) for r in conn.execute("SELECT number, name FROM customers")}
    return {int(r[0]): str(r[1]) for part in _parts(numbers)
            for r in conn.execute(f"SELECT number, name FROM customers WHERE number IN ({_marks(part)})", part)}


def _parts(values: Collection[int], size: int = 500) -> list[list[int]]:
    ordered = sorted(set(values))
    return [ordered[i:i + size] for i in range(0, len(ordered), size)]


def _marks(values: Collection[int]) -> str:
    return ",".join("?" * len(values))


def _invoice(r: sqlite3.Row) -> Invoice:
    return Invoice(r["number"], r["customer"], date.fromisoformat(r["date"]), date.fromisoformat(r["due_date"]),
                   Decimal(r["amount"]), Decimal(r["remaining"]), r["currency"])


def invoices(conn: sqlite3.Connection, customer: int | None = None) -> list[Invoice]:
    if customer is None:
        rows = conn.execute("SELECT * FROM invoices ORDER BY number")
    else:
        rows = conn.execute("SELECT * FROM invoices WHERE customer = ? ORDER BY number", (customer,))
    return [_invoice(r) for r in rows]


def invoice(conn: sqlite3.Connection, number: int) -> Invoice | None:
    row = conn.execute("SELECT * FROM invoices WHERE number = ?", (number,)).fetchone()
    return None if row is None else _invoice(row)


def reminders_of(conn: sqlite3.Connection, customers: Collection[int] = (), numbers: Collection[int] = ()
                 ) -> list[Reminder]:
    """The reminders of these customers, or with these numbers, newest first: reads only theirs (a filtered
    list page costs what it shows, not what the ledger holds)."""
    column, values = ("customer", customers) if customers else ("number", numbers)
    rows = [r for part in _parts(values) for r in conn.execute(
        f"SELECT * FROM reminders WHERE {column} IN ({_marks(part)})", part)]
    links: dict[int, list[int]] = {}
    for part in _parts([int(r["number"]) for r in rows]):
        for link in conn.execute(f"SELECT reminder, invoice FROM reminder_invoices WHERE reminder IN ({_marks(part)})"
                                 " ORDER BY invoice", part):
            links.setdefault(int(link[0]), []).append(int(link[1]))
    rows.sort(key=lambda r: (r["date"], r["number"]), reverse=True)
    return [Reminder(r["number"], r["customer"], r["level"], date.fromisoformat(r["date"]),
                     tuple(links.get(r["number"], ())), Decimal(r["fee"]), Decimal(r["amount"]), r["text"])
            for r in rows]


def reminders(conn: sqlite3.Connection, customer: int | None = None, number: int | None = None) -> list[Reminder]:
    """Newest first."""
    links: dict[int, list[int]] = {}
    for r in conn.execute("SELECT reminder, invoice FROM reminder_invoices ORDER BY invoice"):
        links.setdefault(int(r[0]), []).append(int(r[1]))
    sql, args = "SELECT * FROM reminders", []
    if customer is not None:
        sql, args = sql + " WHERE customer = ?", [customer]
    elif number is not None:
        sql, args = sql + " WHERE number = ?", [number]
    return [
        Reminder(r["number"], r["customer"], r["level"], date.fromisoformat(r["date"]),
                 tuple(links.get(r["number"], ())), Decimal(r["fee"]), Decimal(r["amount"]), r["text"])
        for r in conn.execute(sql + " ORDER BY date DESC, number DESC", args)
    ]
