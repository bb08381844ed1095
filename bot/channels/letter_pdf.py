"""The letters' PDF (fpdf2, core fonts): the layout ``bot.channels.letter`` describes."""

from __future__ import annotations

from collections.abc import Sequence

from fpdf import FPDF

from bot.channels.letter import (
    ADDRESS_FIELD,
    FOLD_MARKS,
    LEFT,
    PAGE_WIDTH,
    PUNCH_MARK,
    RETURN_LINE_HEIGHT,
    RIGHT,
    SENDER_X,
    Letter,
)

_REPLACE = str.maketrans({"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "€": "EUR", "…": "...",
                          "\u00a0": " "})


def _t(text: str) -> str:
    return text.translate(_REPLACE).encode("latin-1", "replace").decode("latin-1")


class _Doc(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.set_margins(LEFT, 20, RIGHT)
        self.set_auto_page_break(auto=True, margin=22)
        self.reference = ""
        self.first_page = 1

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", "", 8)
        self.cell(0, 5, _t(f"{self.reference}  -  side {self.page_no() - self.first_page + 1}"), align="R")


def _marks(doc: _Doc) -> None:
    doc.set_line_width(0.2)
    for y in (*FOLD_MARKS, PUNCH_MARK):
        doc.line(3, y, 8 if y != PUNCH_MARK else 10, y)


def _address(doc: _Doc, letter: Letter) -> None:
    x, y, width, _ = ADDRESS_FIELD
    doc.set_xy(x, y)
    doc.set_font("Helvetica", "", 7)
    doc.cell(width, RETURN_LINE_HEIGHT, _t(", ".join(s for s in letter.sender[:3] if s.strip())))
    doc.set_font("Helvetica", "", 11)
    doc.set_xy(x, y + RETURN_LINE_HEIGHT + 2)
    for line in [s for s in letter.recipient if s.strip()][:6]:
        doc.set_x(x)
        doc.cell(width, 5.5, _t(line), new_x="LMARGIN", new_y="NEXT")


def _sender(doc: _Doc, letter: Letter) -> None:
    doc.set_xy(SENDER_X, 20)
    for i, line in enumerate(s for s in letter.sender if s.strip()):
        doc.set_font("Helvetica", "B" if i == 0 else "", 12 if i == 0 else 9)
        doc.set_x(SENDER_X)
        doc.cell(PAGE_WIDTH - SENDER_X - RIGHT, 6 if i == 0 else 4.5, _t(line), new_x="LMARGIN", new_y="NEXT")
    doc.set_font("Helvetica", "", 10)
    for y, text in ((70.0, letter.date), (75.0, letter.reference)):
        doc.set_xy(SENDER_X, y)
        doc.cell(PAGE_WIDTH - SENDER_X - RIGHT, 5, _t(text))


def _table(doc: _Doc, letter: Letter) -> None:
    if not letter.columns:
        return
    width = PAGE_WIDTH - LEFT - RIGHT
    sizes = [width / len(letter.columns)] * len(letter.columns)
    doc.set_font("Helvetica", "B", 9)
    for size, head in zip(sizes, letter.columns, strict=True):
        doc.cell(size, 6, _t(head), border="B")
    doc.ln(6)
    doc.set_font("Helvetica", "", 9)
    for row in letter.rows:
        for i, (size, value) in enumerate(zip(sizes, row, strict=True)):
            doc.cell(size, 5.5, _t(value), align="R" if i >= len(row) - 2 else "L")
        doc.ln(5.5)
    doc.ln(2)
    for label, amount in letter.totals:
        doc.set_font("Helvetica", "B" if label == letter.totals[-1][0] else "", 10)
        doc.cell(width - 45, 6, _t(label), align="R")
        doc.cell(45, 6, _t(amount), align="R", new_x="LMARGIN", new_y="NEXT")


def _letter(doc: _Doc, letter: Letter) -> None:
    doc.reference = letter.reference
    doc.add_page()
    doc.first_page = doc.page_no()
    _marks(doc)
    _sender(doc, letter)
    _address(doc, letter)
    doc.set_xy(LEFT, 100)
    doc.set_font("Helvetica", "B", 15)
    doc.cell(0, 9, _t(letter.title), new_x="LMARGIN", new_y="NEXT")
    doc.ln(2)
    doc.set_font("Helvetica", "", 10.5)
    for paragraph in letter.body.replace("\r\n", "\n").split("\n\n"):
        if paragraph.strip():
            doc.multi_cell(0, 5.2, _t(paragraph.strip("\n")), new_x="LMARGIN", new_y="NEXT")
            doc.ln(2.5)
    doc.ln(2)
    _table(doc, letter)
    if letter.payment:
        doc.ln(4)
        doc.set_font("Helvetica", "", 10)
        doc.multi_cell(0, 5, _t(letter.payment), new_x="LMARGIN", new_y="NEXT")


def render(letters: Sequence[Letter], title: str) -> bytes:
    doc = _Doc()
    doc.set_title(_t(title))
    doc.set_creator("Rykkerbot")
    for letter in letters:
        _letter(doc, letter)
    return bytes(doc.output())
