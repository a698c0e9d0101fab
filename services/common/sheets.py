"""Spreadsheet (.xlsx) output shared by the reports: locale-free rows rendered for a reader, typed
cells with display formats, a bold frozen header.

Rows hold locale-free text (``dialogs.text``) and typed values; ``rendered`` turns the text into
the reader's words and keeps the values (``int``, ``float``, ``Decimal``, ``date``/``datetime``),
so a spreadsheet can sort, filter and add them up. A ``Share`` is a fraction shown as a percentage.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias
from zoneinfo import ZoneInfo

from dialogs.text import Text

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet


class Share(float):
    """A fraction (0.75) stored as a number and shown as a percentage (75.0%)."""


Cell: TypeAlias = Text | int | float | Decimal | date | None  # ``date`` includes ``datetime`` (local, naive)
SheetValue: TypeAlias = str | int | float | Decimal | date | None
DATE_FORMAT, DATETIME_FORMAT, AMOUNT_FORMAT = "yyyy-mm-dd", "yyyy-mm-dd hh:mm", "#,##0.00"
PERCENT_FORMAT, AVERAGE_FORMAT = "0.0%", "0.00"
MIN_WIDTH, MAX_WIDTH = 8, 60  # column widths in Excel's units (about one Latin character); longer text wraps


def display_width(text: str) -> int:
    """How wide a cell's text shows, in Latin characters: a wide (CJK, full-width) character takes
    two; its longest line counts."""
    return max((sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
                for line in text.split("\n")), default=0)


def rendered(rows: Sequence[Sequence[Cell]], label: Callable[[Text], str]) -> list[list[SheetValue]]:
    """The rows for a sheet: text rendered by ``label`` (the reader's catalog), typed values kept."""
    return [[cell if cell is None or isinstance(cell, int | float | Decimal | date) else label(cell) for cell in row]
            for row in rows]


def fill_sheet(sheet: Worksheet, title: str, headers: Sequence[str], rows: Sequence[Sequence[SheetValue]], *,
               name: str | None = None, autofilter: bool = True, info: Sequence[Sequence[SheetValue]] = ()) -> None:
    """A title row, ``info`` rows about the whole sheet (a label in bold, then values) and a blank
    row, a bold header row (with a filter), frozen above the data; dates, times, amounts, shares
    and averages as typed cells with a display format, text wrapped; each column as wide as what it
    shows. The sheet is named ``name``, else by its title (Excel keeps 31 characters)."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet.title = (name or title)[:31]
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    for line in info:
        sheet.append(list(line))
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
    header = 2 + len(info) + (1 if info else 0)  # a blank row between the info and the header
    for column, text in enumerate(headers, start=1):
        sheet.cell(header, column, text)
    for cell in sheet[header]:
        cell.font = Font(bold=True)
    # Worksheet.max_row/max_column scan every cell, and sheet[n] reads max_column: writing a row by
    # its number keeps a long export linear (4,000 rows took 12 s, 2,000 took 3.5 s).
    first = sheet.max_row + 1
    for index, row in enumerate(rows):
        sheet.append([float(value) if isinstance(value, Share) else value for value in row])
        for column, value in enumerate(row, start=1):
            if isinstance(value, Share):
                sheet.cell(first + index, column).number_format = PERCENT_FORMAT
            elif isinstance(value, float):
                sheet.cell(first + index, column).number_format = AVERAGE_FORMAT
    for column in sheet.iter_cols(min_row=2):
        width = max(display_width(_shown(c.value)) for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(MIN_WIDTH, width + 2), MAX_WIDTH)
        for cell in column:
            if cell.row == header:
                continue
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(cell.value, datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
            elif isinstance(cell.value, Decimal):
                cell.number_format = AMOUNT_FORMAT
    sheet.freeze_panes = f"A{header + 1}"
    if autofilter:
        sheet.auto_filter.ref = f"A{header}:{get_column_letter(max(1, len(headers)))}{max(header, sheet.max_row)}"


def write_xlsx(path: Path, title: str, headers: Sequence[str], rows: Sequence[Sequence[SheetValue]]) -> None:
    """A workbook of one sheet (``fill_sheet``), saved to ``path``."""
    from openpyxl import Workbook

    book = Workbook()
    fill_sheet(book.active, title, headers, rows)
    book.save(path)


def _shown(value: object) -> str:
    """About what a cell shows, for its column's width."""
    if isinstance(value, datetime):
        return "2026-01-01 00:00"
    if isinstance(value, date):
        return "2026-01-01"
    if isinstance(value, float):
        return "100.0%"
    return "" if value is None else str(value)


def day_bounds(start: date, end: date, zone: str) -> tuple[datetime, datetime]:
    """The days [start, end) in ``zone`` as UTC instants (a record's period)."""
    tz = ZoneInfo(zone)
    return (datetime.combine(start, datetime.min.time(), tz).astimezone(UTC),
            datetime.combine(end, datetime.min.time(), tz).astimezone(UTC))


def wall_clock(value: datetime | None, zone: str) -> datetime | None:
    """The project's wall-clock time to the minute, without a zone (a spreadsheet cell has none)."""
    if value is None:
        return None
    return value.astimezone(ZoneInfo(zone)).replace(tzinfo=None, second=0, microsecond=0)
