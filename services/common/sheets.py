"""Spreadsheet (.xlsx) output shared by the reports: locale-free rows rendered for a reader, typed
cells with display formats, a bold frozen header.

Rows hold locale-free text (``dialogs.text``) and typed values; ``rendered`` turns the text into
the reader's words and keeps the values (``int``, ``float``, ``Decimal``, ``date``/``datetime``),
so a spreadsheet can sort, filter and add them up. A ``Share`` is a fraction shown as a percentage.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from dialogs.text import Text

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet


class Share(float):
    """A fraction (0.75) stored as a number and shown as a percentage (75.0%)."""


Cell: TypeAlias = Text | int | float | Decimal | date | None  # ``date`` includes ``datetime`` (local, naive)
SheetValue: TypeAlias = str | int | float | Decimal | date | None
DATE_FORMAT, DATETIME_FORMAT, AMOUNT_FORMAT = "yyyy-mm-dd", "yyyy-mm-dd hh:mm", "#,##0.00"
PERCENT_FORMAT, AVERAGE_FORMAT = "0.0%", "0.00"


def rendered(rows: Sequence[Sequence[Cell]], label: Callable[[Text], str]) -> list[list[SheetValue]]:
    """The rows for a sheet: text rendered by ``label`` (the reader's catalog), typed values kept."""
    return [[cell if cell is None or isinstance(cell, int | float | Decimal | date) else label(cell) for cell in row]
            for row in rows]


def fill_sheet(sheet: Worksheet, title: str, headers: Sequence[str], rows: Sequence[Sequence[SheetValue]], *,
               name: str | None = None, autofilter: bool = True) -> None:
    """A title row, a bold header row (with a filter), frozen above the data; dates, times, amounts,
    shares and averages as typed cells with a display format, text wrapped. The sheet is named
    ``name``, else by its title (Excel keeps 31 characters)."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet.title = (name or title)[:31]
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(list(headers))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([float(value) if isinstance(value, Share) else value for value in row])
        for cell, value in zip(sheet[sheet.max_row], row, strict=False):
            if isinstance(value, Share):
                cell.number_format = PERCENT_FORMAT
            elif isinstance(value, float):
                cell.number_format = AVERAGE_FORMAT
    for column in sheet.iter_cols(min_row=2):
        width = max(len(_shown(c.value)) for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(8, width * 1.6), 50)
        for cell in column[1:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(cell.value, datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
            elif isinstance(cell.value, Decimal):
                cell.number_format = AMOUNT_FORMAT
    sheet.freeze_panes = "A3"
    if autofilter:
        sheet.auto_filter.ref = f"A2:{get_column_letter(max(1, len(headers)))}{max(2, sheet.max_row)}"


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
