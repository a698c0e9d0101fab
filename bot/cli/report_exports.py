"""`estatebot admin report export …`: every record of a period as .xlsx, and one record as its paper
form in a printable PDF (issue 15, item 4).

    report export complaints|communication|work-orders|site-surveys|repairs PERIOD FILE [--project HY] [--locale …]
    report export record NUMBER FILE.pdf [--form complaint|work-order|site-survey|repair] [--locale …]

The complaint, communication and repair sheets are those of `admin export …` and `admin repairs
export` (both kept as they are).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli.common import Subparsers, admin_errors, admin_session
from bot.settings import Settings
from services.common.locale import SUPPORTED_LOCALES

if TYPE_CHECKING:
    from services.reports.exports import RowsOf

FORMS = ("complaint", "work-order", "site-survey", "repair")


@dataclass(frozen=True)
class Sheet:
    help: str
    what: str  # "… written to FILE"


SHEETS: dict[str, Sheet] = {
    "complaints": Sheet("《顾客来访/投诉处理单》: the complaints received in a period", "complaint(s) received"),
    "communication": Sheet("《与顾客沟通登记表》: inquiries, suggestions and praise logged in a period",
                           "message(s) logged"),
    "work-orders": Sheet("《工程派工单》: the work orders made out in a period", "work order(s) made out"),
    "site-surveys": Sheet("《现场勘察会签表》: the site surveys recorded in a period", "site survey(s) recorded"),
    "repairs": Sheet("《维修服务及回访记录表》: the repairs received in a period", "repair(s) received"),
}


def register(reports: Subparsers) -> None:
    exports = reports.add_parser("export", help="records as .xlsx, or one record as a printable PDF").add_subparsers()
    for name, sheet in SHEETS.items():
        command = exports.add_parser(name, help=sheet.help)
        command.add_argument("period", help="2026-Q4 (or 2026Q4), 2026, 2026-11 or 2026-W49, by the project's days")
        command.add_argument("file", type=Path)
        command.add_argument("--project", help="a project's code (default: all projects)")
        _locale(command)
        command.set_defaults(func=_sheet, sheet=name)
    record = exports.add_parser("record", help="one record as its paper form (A4 PDF) to print, sign and file")
    record.add_argument("number", help="a case's number (TS-…, BX-…) or a work order's (BX-…-1)")
    record.add_argument("file", type=Path)
    record.add_argument("--form", choices=FORMS, help="default: the case's own record, or the work order")
    _locale(record)
    record.set_defaults(func=_record)


def _locale(command: argparse.ArgumentParser) -> None:
    command.add_argument("--locale", default=SUPPORTED_LOCALES[0], choices=SUPPORTED_LOCALES,
                         help="the language of the title, headers and labels (default zh_Hans_CN)")


def period_bounds(text: str) -> tuple[date, date]:
    """A report period (services/reports/periods.py), or the record exports' older 2026Q4."""
    from services.repairs.reports import period
    from services.reports.periods import parse_period

    try:
        found = parse_period(text)
    except ValueError:
        try:
            return period(text)
        except ValueError:  # a month 13 or a week 54 too: one message for every malformed period
            raise ValueError(f"not a period: {text!r} (use 2026-Q4, 2026-11, 2026-W49 or 2026)") from None
    return found.start, found.end


def _rows_of(name: str) -> tuple[str, tuple[str, ...], RowsOf]:
    """The sheet's title, columns and rows."""
    if name == "complaints":
        from services.reports.exports import COMPLAINT_COLUMNS, COMPLAINT_TITLE, complaint_rows

        return COMPLAINT_TITLE, COMPLAINT_COLUMNS, complaint_rows
    if name == "communication":
        from services.reports.exports import COMMUNICATION_COLUMNS, COMMUNICATION_TITLE, communication_rows

        return COMMUNICATION_TITLE, COMMUNICATION_COLUMNS, communication_rows
    if name == "work-orders":
        from services.reports.repair_exports import WORK_ORDER_COLUMNS, WORK_ORDER_TITLE, work_order_rows

        return WORK_ORDER_TITLE, WORK_ORDER_COLUMNS, work_order_rows
    if name == "site-surveys":
        from services.reports.repair_exports import SURVEY_COLUMNS, SURVEY_TITLE, survey_rows

        return SURVEY_TITLE, SURVEY_COLUMNS, survey_rows
    from services.repairs.reports import COLUMNS, RECORD_TITLE, record_rows

    return RECORD_TITLE, COLUMNS, record_rows


async def _sheet(settings: Settings, args: argparse.Namespace) -> int:
    from bot.i18n import Catalogs
    from services.common.sheets import rendered
    from services.people import admin
    from services.repairs.reports import period_text
    from services.reports.exports import write_record

    title, columns, rows_of = _rows_of(args.sheet)
    async with admin_session(settings) as uow:
        with admin_errors(ValueError):
            start, end = period_bounds(args.period)
        project = await admin.project_by_code(uow, args.project) if args.project else None
        zone = project.timezone if project else "Asia/Shanghai"
        rows = await rows_of(uow, start, end, project.id if project else None, zone)
        tr = Catalogs().get(args.locale)
        with admin_errors(OSError):  # a folder that does not exist, a file that may not be written
            write_record(args.file, tr.gettext(title), [tr.gettext(c) for c in columns], rendered(rows, tr.label))
        print(f"{len(rows)} {SHEETS[args.sheet].what} {period_text(start, end)} written to {args.file}")
    return 0


async def _record(settings: Settings, args: argparse.Namespace) -> int:
    from bot.i18n import Catalogs
    from services.reports.record_forms import FormKind, NotFound, record_form
    from services.reports.record_pdf import render_pdf

    tr = Catalogs().get(args.locale)
    async with admin_session(settings) as uow:
        with admin_errors(NotFound):
            form = await record_form(uow, args.number, FormKind(args.form) if args.form else None, datetime.now(UTC))
    data = render_pdf(form, tr.label, wrap_by_character=not args.locale.startswith("en"))
    with admin_errors(OSError):
        args.file.write_bytes(data)
    print(f"{tr.label(form.title)} {args.number} written to {args.file} ({len(data):,} bytes)")
    return 0
