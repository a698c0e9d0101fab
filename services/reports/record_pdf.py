"""One record printed as its paper form (A4 PDF): title, the form's fields in a ruled grid, free
texts wrapped, the case's history, and signature and date lines to sign and file.

Pure: a ``RecordForm`` of locale-free text and the reader's renderer in, the PDF's bytes out. The
CJK font is the one the survey chart uses (mplfonts' Noto Sans CJK SC, an OpenType/CFF font that
fpdf2 embeds as a subset), so the file prints the same on any machine; a character the font does
not have (an emoji in an owner's text) is printed as □ rather than silently left blank.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, cast

from dialogs.text import Text

if TYPE_CHECKING:
    from fpdf import FPDF, FontFace
    from fpdf.enums import WrapMode
    from fpdf.table import Table

FONT_FILE = "NotoSansCJKsc-Regular.otf"  # shipped by mplfonts (see services/surveys/chart.py)
FAMILY = "NotoSansCJK"
MISSING = "□"  # in the font: stands for a character it lacks
PAGE_WIDTH, MARGIN = 210.0, 15.0  # A4 portrait, mm
GRID = (27.0, 63.0, 27.0, 63.0)  # label, value, label, value: two fields a row, 180 mm
HISTORY = (34.0, 48.0, 26.0, 72.0)  # when, what, who, details
# fpdf2 cannot break one table row across pages: a long text goes on as many rows as it needs, each
# at most this many lines (a page holds about 45 lines of 5.5 mm between the margins).
ROW_LINES = 30
LABEL_FILL, HEADING_FILL = (238, 238, 238), (214, 214, 214)
Label = Callable[[Text], str]


@dataclass(frozen=True)
class Box:
    """One field of the form: its printed label and value; ``wide`` takes a whole row and ``lines``
    leaves that many lines to write in (a free text as on paper)."""

    label: Text
    value: Text
    wide: bool = False
    lines: int = 1


@dataclass(frozen=True)
class Section:
    title: Text | None
    boxes: tuple[Box, ...]


@dataclass(frozen=True)
class Entry:
    """One line of the case's history: when, what happened, who, and its details."""

    when: Text
    what: Text
    who: Text
    details: Text = ""


@dataclass(frozen=True)
class RecordForm:
    title: Text  # the form's name: 工程派工单
    number: Text  # the record's number, top right
    heading: Text  # top left: the project (office)
    sections: tuple[Section, ...]
    history_title: Text | None = None
    history_columns: tuple[Text, Text, Text, Text] | None = None
    history: tuple[Entry, ...] = ()
    signatures: tuple[Text, ...] = ()  # who signs: 业主确认, 经办人, 经理
    signature_date: Text = ""  # "日期：    年    月    日"
    footer: Text = ""  # printed when and by what; the page number follows


@cache
def font_path() -> Path:
    return Path(str(resources.files("mplfonts") / "fonts" / FONT_FILE))


@cache
def font_characters() -> frozenset[int]:
    """The code points the font draws (its cmap)."""
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    with TTFont(str(font_path()), lazy=True) as font:
        return frozenset(font.getBestCmap())


def printable(text: str) -> str:
    """``text`` with each character the font lacks replaced by □; a space it lacks (Babel puts a
    narrow no-break space in Hong Kong's and Taiwan's times) becomes a plain space."""
    have = font_characters()
    return "".join(ch if ch in "\n\t" or ord(ch) in have else " " if unicodedata.category(ch) == "Zs" else MISSING
                   for ch in text)


def render_pdf(form: RecordForm, label: Label, *, wrap_by_character: bool = True) -> bytes:
    """The form as an A4 PDF. Chinese lines break between any two characters; English
    (``wrap_by_character=False``) between words."""
    from fpdf import FPDF, FontFace
    from fpdf.enums import WrapMode, XPos, YPos

    logging.getLogger("fontTools").setLevel(logging.WARNING)  # its subsetter logs each table at INFO

    def text(value: Text) -> str:
        return printable(label(value))

    footer = text(form.footer)

    class Sheet(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font(FAMILY, size=8)
            self.set_text_color(110)
            self.cell(0, 5, f"{footer}    {self.page_no()} / {{nb}}", align="C")

    pdf = Sheet(orientation="P", unit="mm", format="A4")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=16)
    pdf.set_creator("estatebot")
    pdf.set_title(label(form.title))
    pdf.add_font(FAMILY, fname=str(font_path()))
    pdf.add_page()
    wrap = WrapMode.CHAR if wrap_by_character else WrapMode.WORD
    width = PAGE_WIDTH - 2 * MARGIN

    # The title larger (the font has no bold face; a stroked "bold" leaked into the whole page).
    pdf.set_font(FAMILY, size=18)
    pdf.cell(width, 11, text(form.title), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_line_width(0.2)
    pdf.set_font(FAMILY, size=10)
    pdf.cell(width / 2, 8, text(form.heading), align="L")
    pdf.cell(width / 2, 8, text(form.number), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    label_style = FontFace(fill_color=LABEL_FILL)
    heading_style = FontFace(fill_color=HEADING_FILL)
    pdf.set_font(FAMILY, size=10)
    with pdf.table(col_widths=GRID, width=width, first_row_as_headings=False, text_align="LEFT", line_height=5.5,
                   wrapmode=wrap, padding=(1.5, 2), v_align="MIDDLE") as table:
        for section in form.sections:
            if section.title is not None:
                table.row().cell(text(section.title), colspan=4, style=heading_style)
            pending: list[Box] = []  # a narrow field waiting for its neighbour
            for box in section.boxes:
                if not box.wide:
                    pending.append(box)
                    if len(pending) == 2:
                        _pair(table, pending, text, label_style)
                        pending = []
                    continue
                if pending:
                    _pair(table, pending, text, label_style)
                    pending = []
                value = text(box.value)
                value += "\n" * max(0, box.lines - 1 - value.count("\n"))
                for index, part in enumerate(_parts(pdf, value, sum(GRID[1:]) - 4, wrap)):
                    row = table.row()
                    row.cell(text(box.label) if index == 0 else "", style=label_style)
                    row.cell(part, colspan=3)
            if pending:
                _pair(table, pending, text, label_style)

    if form.history_columns is not None:
        pdf.ln(4)
        if form.history_title is not None:
            pdf.set_font(FAMILY, size=11)
            pdf.cell(width, 7, text(form.history_title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(FAMILY, size=9)
        with pdf.table(col_widths=HISTORY, width=width, text_align="LEFT", line_height=4.8, wrapmode=wrap,
                       padding=(1, 1.5), headings_style=heading_style, repeat_headings=1) as table:
            row = table.row()
            for column in form.history_columns:
                row.cell(text(column))
            for entry in form.history:
                for index, details in enumerate(_parts(pdf, text(entry.details), HISTORY[3] - 3, wrap)):
                    row = table.row()
                    for cell in (entry.when, entry.what, entry.who):
                        row.cell(text(cell) if index == 0 else "")
                    row.cell(details)

    if form.signatures:
        pdf.set_font(FAMILY, size=10 if len(form.signatures) <= 3 else 9)  # four boxes keep the date on one line
        needed = 34.0
        if pdf.get_y() + needed > pdf.h - 16:  # the signatures stay together on one page
            pdf.add_page()
        pdf.ln(5)
        share = width / len(form.signatures)
        with pdf.table(col_widths=[share] * len(form.signatures), width=width, first_row_as_headings=False,
                       text_align="LEFT", line_height=6, wrapmode=wrap, padding=(2, 2),
                       v_align="TOP") as table:
            row = table.row()
            for signer in form.signatures:
                row.cell(f"{text(signer)}\n\n\n{text(form.signature_date)}")
    return bytes(pdf.output())


def _parts(pdf: FPDF, value: str, width: float, wrap: WrapMode) -> list[str]:
    """``value`` as it wraps in a cell ``width`` mm wide, in pieces of at most ``ROW_LINES`` lines
    (one row each), so no row is taller than a page."""
    from fpdf.enums import MethodReturnValue

    lines = cast(list[str], pdf.multi_cell(width, 5, value, dry_run=True, output=MethodReturnValue.LINES,
                                           wrapmode=wrap))
    if len(lines) <= ROW_LINES:
        return [value]
    return ["\n".join(lines[start:start + ROW_LINES]) for start in range(0, len(lines), ROW_LINES)]


def _pair(table: Table, boxes: list[Box], text: Callable[[Text], str], style: FontFace) -> None:
    """Two narrow fields side by side (or one, and an empty pair beside it)."""
    row = table.row()
    for box in boxes:
        row.cell(text(box.label), style=style)
        value = text(box.value)
        row.cell(value + "\n" * max(0, box.lines - 1 - value.count("\n")))
    if len(boxes) == 1:
        row.cell("", style=style)
        row.cell("")
