"""The quarterly or yearly statistics as an .xlsx in the reader's language: complaints summary (and
by category and lead department), workers' evaluation and handlers' ratings (each with a native bar
chart of its average ratings), the communication log. Cells are typed (counts ``int``, averages
``float`` shown 0.00, rates ``Share`` shown 0.0%, costs ``Decimal`` yuan, times ``datetime``) and
written by ``services.common.sheets.fill_sheet`` (bold frozen header, autofilter)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from decimal import Decimal
from io import BytesIO
from typing import TYPE_CHECKING

from dialogs.complaint import CATEGORY_LABELS
from dialogs.inquiry import KINDS
from dialogs.text import N_, Msg, Plain, Text
from services.common.sheets import AVERAGE_FORMAT, Cell, Share, fill_sheet, rendered
from services.people.roles import DEPARTMENT_LABELS, Department
from services.reports.exports import COMMUNICATION_COLUMNS
from services.reports.periods import Period, PeriodKind
from services.reports.statistics_figures import HandlerFigures, Statistics, WorkerFigures
from services.reports.weekly import FIGURES, REPAIR_CLASSES, Met

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

Label = Callable[[Text], str]

SUMMARY, BY_CATEGORY, BY_DEPARTMENT = N_("Complaints summary"), N_("Complaints by category"), N_(
    "Complaints by lead department")
WORKERS, HANDLERS = N_("Repair workers' evaluation"), N_("Complaint handlers' ratings")
COMMUNICATION = N_("Communication log")
SUMMARY_COLUMNS = (N_("Figure"), N_("Value"))
FIGURE_COLUMNS = (N_("New"), N_("Closed"), N_("Open at the end"), N_("Overdue at the end"))
WORKER_COLUMNS = (
    N_("Worker"), N_("Jobs completed"), N_("On time"), N_("On-time rate"), N_("Reworks"), N_("Owner confirmations"),
    N_("Ratings given"), N_("Quality rating"), N_("Attitude rating"), N_("Rated 1–2"), N_("Settled cost (yuan)"),
)
HANDLER_COLUMNS = (
    N_("Handler"), N_("Cases closed"), N_("Owner confirmations"), N_("Confirmation rate"), N_("Ratings given"),
    N_("Result rating"), N_("Attitude rating"), N_("Progress deadlines"), N_("Progress reported on time"),
    N_("Resolution deadlines"), N_("Resolved on time"), N_("Deadlines met (rate)"),
)
NOBODY = N_("(nobody named)")
# (repairs completed, their settled cost) per warranty class and payer
CLASS_LABELS = {
    ("A", "builder"): (N_("Repairs completed, class A (builder's deposit)"), N_("Settled cost, class A (yuan)")),
    ("B", "company"): (N_("Repairs completed, class B borne by the company"),
                       N_("Settled cost, class B borne by the company (yuan)")),
    ("B", "owner"): (N_("Repairs completed, class B paid by the owner"),
                     N_("Settled cost, class B paid by the owner (yuan)")),
}


def period_title(period: Period) -> Text:
    """「2026年第四季度」 / "Q4 2026"; 「2026年」 / "2026"."""
    year = Plain(str(period.start.year))
    if period.kind is PeriodKind.QUARTER:
        return Msg(N_("Q{quarter} {year}"), {"quarter": Plain(str((period.start.month - 1) // 3 + 1)), "year": year})
    if period.kind is PeriodKind.YEAR:
        return Msg(N_("Year {year}"), {"year": year})
    return Plain(period.code)


def report_title(scope: Text, period: Period) -> Text:
    heading = N_("{scope}: quarterly statistics, {period}") if period.kind is PeriodKind.QUARTER else N_(
        "{scope}: yearly statistics, {period}")
    return Msg(heading, {"scope": scope, "period": period_title(period)})


def _share(part: int, whole: int) -> Share | None:
    return Share(part / whole) if whole else None


def _rate(met: Met) -> Share | None:
    return _share(met.met, met.due)


def _yuan(fen: int) -> Decimal:
    return Decimal(fen) / 100


def _who(name: str | None) -> Text:
    return Plain(name) if name else Msg(NOBODY)


def summary_rows(stats: Statistics) -> list[list[Cell]]:
    report = stats.complaints
    rows: list[tuple[str, Cell]] = [
        (N_("New complaints"), report.totals["new"]), (N_("Complaints closed"), report.totals["closed"]),
        (N_("Open at the period's end"), report.totals["open"]),
        (N_("Overdue at the period's end"), report.totals["overdue"]),
        (N_("Progress deadlines in the period"), report.progress.due),
        (N_("Progress reported within 3 working days"), report.progress.met),
        (N_("Progress on time (rate)"), _rate(report.progress)),
        (N_("Resolution deadlines in the period"), report.resolution.due),
        (N_("Resolved within 7 days or the agreed extension"), report.resolution.met),
        (N_("Resolved on time (rate)"), _rate(report.resolution)),
        (N_("Closed with the owner's confirmation"), report.confirmed),
        (N_("Confirmation rate"), _share(report.confirmed, report.totals["closed"])),
        (N_("Average result rating"), report.rating_result.value),
        (N_("Average attitude rating"), report.rating_attitude.value),
        (N_("Major complaints"), len(report.majors)),
    ]
    for class_payer in REPAIR_CLASSES:
        cost = report.repair_costs[class_payer]
        count, settled = CLASS_LABELS[class_payer]
        rows += [(count, cost.repairs), (settled, _yuan(cost.cost_fen))]
    return [[Msg(name), value] for name, value in rows]


def _figure_rows(table: dict[str, Counter[str]], names: Callable[[str], Text]) -> list[list[Cell]]:
    return [[names(key), *(counter[name] for name in FIGURES)] for key, counter in sorted(table.items())]


def _category(key: str) -> Text:
    return Msg(CATEGORY_LABELS[key]) if key in CATEGORY_LABELS else Plain(key)


def _department(key: str) -> Text:
    return Msg(DEPARTMENT_LABELS[Department(key)]) if key in set(Department) else Plain(key)


def worker_rows(workers: Sequence[WorkerFigures]) -> list[list[Cell]]:
    return [[_who(w.name), w.jobs, w.on_time, _share(w.on_time, w.jobs), w.reworks, w.confirmed, w.quality.count,
             w.quality.value, w.attitude.value, w.low, _yuan(w.cost_fen)] for w in workers]


def handler_rows(handlers: Sequence[HandlerFigures]) -> list[list[Cell]]:
    return [[_who(h.name), h.closed, h.confirmed, _share(h.confirmed, h.closed), h.result.count, h.result.value,
             h.attitude.value, h.progress.due, h.progress.met, h.resolution.due, h.resolution.met, _rate(h.deadlines)]
            for h in handlers]


def communication_info(stats: Statistics) -> list[list[Cell]]:
    """The log's counts, above its rows: by type, answered, average hours to answer."""
    figures = stats.communication
    rows: list[list[Cell]] = [[Msg(label), figures.logged[kind]] for kind, label in KINDS.items()]
    rows += [[Msg(N_("Answered messages")), figures.answered],
             [Msg(N_("Average hours to answer")), figures.average_hours]]
    return rows


def _sheet_name(title: str) -> str:
    return re.sub(r"[/\\?*\[\]:]", "-", title)[:31]


def _sheet(book: Workbook, label: Label, heading: Text, name: str, columns: Sequence[str],
           rows: Sequence[Sequence[Cell]], info: Sequence[Sequence[Cell]] = ()) -> Worksheet:
    """A new sheet of the book, titled by the report and ``name``."""
    sheet = book.create_sheet()
    title = label(Msg(N_("{report} — {sheet}"), {"report": heading, "sheet": Msg(name)}))
    fill_sheet(sheet, title, [label(Msg(c)) for c in columns], rendered(rows, label),
               name=_sheet_name(label(Msg(name))), info=rendered(info, label))
    for row in sheet.iter_rows(min_row=2, max_row=1 + len(info), min_col=2):
        for cell in row:  # fill_sheet formats the data rows only
            if isinstance(cell.value, float):
                cell.number_format = AVERAGE_FORMAT
    return sheet


def _ratings_chart(sheet: Worksheet, title: str, columns: tuple[int, int], rows: int) -> None:
    """A native bar chart of two average-rating columns (1–5) per person, beside the table (the
    header is row 2: no info rows on these sheets)."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.utils import get_column_letter

    chart = BarChart()
    chart.type = "col"
    chart.title = title
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 5
    chart.y_axis.numFmt = "0.0"
    chart.y_axis.delete = chart.x_axis.delete = False
    for column in columns:
        chart.add_data(Reference(sheet, min_col=column, min_row=2, max_row=2 + rows), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=3, max_row=2 + rows))
    chart.width, chart.height = 18, 9
    sheet.add_chart(chart, f"{get_column_letter(sheet.max_column + 2)}3")


def workbook(stats: Statistics, scope: Text, period: Period, label: Label) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)  # each sheet is created in order
    heading = report_title(scope, period)
    _sheet(book, label, heading, SUMMARY, SUMMARY_COLUMNS, summary_rows(stats))
    report = stats.complaints
    _sheet(book, label, heading, BY_CATEGORY, (N_("Category"), *FIGURE_COLUMNS),
           _figure_rows(report.by_category, _category))
    _sheet(book, label, heading, BY_DEPARTMENT, (N_("Lead department"), *FIGURE_COLUMNS),
           _figure_rows(report.by_department, _department))
    workers = _sheet(book, label, heading, WORKERS, WORKER_COLUMNS, worker_rows(stats.workers))
    if stats.workers:
        _ratings_chart(workers, label(Msg(N_("Repair workers' average ratings"))), (8, 9), len(stats.workers))
    handlers = _sheet(book, label, heading, HANDLERS, HANDLER_COLUMNS, handler_rows(stats.handlers))
    if stats.handlers:
        _ratings_chart(handlers, label(Msg(N_("Complaint handlers' average ratings"))), (6, 7), len(stats.handlers))
    _sheet(book, label, heading, COMMUNICATION, COMMUNICATION_COLUMNS, stats.communication.items,
           communication_info(stats))
    out = BytesIO()
    book.save(out)
    return out.getvalue()
