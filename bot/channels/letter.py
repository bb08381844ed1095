"""Print-ready reminder letters: one A4 PDF per run with every letter, each starting on a new page.

The recipient's address sits where a left window envelope shows it. Chosen: the DIN 5008 form B address field
(20 mm from the left edge, 45-90 mm from the top, 85 mm wide), the field the left-window C5 and DL envelopes sold
in Denmark are made for (window 90 x 45 mm, 20 mm from the left): the first 5 mm hold the sender in small type
(the return line), the address from 50 mm. Fold marks at 105 and 210 mm (DL, folded in three) and a punch mark
at 148.5 mm (C5, folded once). Core fonts only (Latin-1: æ, ø, å work; other characters are replaced).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["ADDRESS_FIELD", "Letter", "letters_pdf"]

PAGE_WIDTH = 210.0  # A4, mm
LEFT = 20.0  # left margin and the window's left edge
RIGHT = 15.0
ADDRESS_FIELD = (20.0, 45.0, 85.0, 45.0)  # x, y, width, height in mm (DIN 5008 form B)
RETURN_LINE_HEIGHT = 5.0
SENDER_X = 125.0
FOLD_MARKS = (105.0, 210.0)
PUNCH_MARK = 148.5


@dataclass(frozen=True)
class Letter:
    sender: tuple[str, ...]  # the client company: name first, then address, CVR, phone, e-mail
    recipient: tuple[str, ...]  # name, (att.), street, postal code and city, country: at most 6 lines
    date: str  # "25-11-2026"
    reference: str  # "Kundenr. 1001", shown under the date and in the page footer
    title: str  # "Rykker 2"
    body: str  # plain text; blank lines separate paragraphs
    columns: tuple[str, ...] = ()  # the claim table's header
    rows: tuple[tuple[str, ...], ...] = ()  # its lines, as many cells as columns; amounts last
    totals: tuple[tuple[str, str], ...] = ()  # (label, amount)
    payment: str = ""  # how to pay, under the table


def letters_pdf(letters: Sequence[Letter], title: str = "Rykkere") -> bytes:
    """One PDF with every letter, each from a new page (a long one runs over more pages). ``ValueError`` if empty."""
    if not letters:
        raise ValueError("letters_pdf needs at least one letter")
    # fpdf2 and the font tools it brings are loaded when a letter is made, not with every worker (about 45 MiB).
    from bot.channels.letter_pdf import render

    return render(letters, title)
