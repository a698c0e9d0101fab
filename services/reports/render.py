"""The complaint report (DOMAIN 1.7) rendered for a reader: the summary text sent in chat, the
workbook (typed figures + native Excel charts) and the PNG of the key chart (complaints by category:
new, closed, open, overdue). The weekly and monthly rules and ``/report`` call these.

The text stays locale-free (rendered by the drain for the reader); the files are rendered with
``label``, the reader's catalog (a plain-text renderer, ``services/reports/labels.py`` outside a
chat turn). Rendering the files is CPU work (a few hundred ms): callers run it in a thread.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from dialogs.complaint import CATEGORY_LABELS
from dialogs.text import N_, DateText, Field, Label, Lines, Localized, Money, Msg, Percent, Text
from services.calendar.delivery import DEFAULT_ZONE
from services.common.sheets import Cell, Share, fill_sheet, rendered, wall_clock
from services.people.roles import DEPARTMENT_LABELS
from services.reports.periods import Period, PeriodKind
from services.reports.weekly import FIGURES, REPAIR_CLASSES, Met, PeriodReport

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

# The same msgids as ``/report`` (services/reports/report_chat.py).
TITLES: dict[PeriodKind, str] = {
    PeriodKind.WEEK: N_("Weekly complaint report"),
    PeriodKind.MONTH: N_("Monthly complaint report"),
    PeriodKind.QUARTER: N_("Quarterly complaint statistics"),
    PeriodKind.YEAR: N_("Yearly complaint statistics"),
}
COMPANY = N_("Whole company")

FIGURE_LABELS: dict[str, str] = {"new": N_("New"), "closed": N_("Closed"), "open": N_("Open"), "overdue": N_("Overdue")}
FIGURES_LINE = N_("{new} new · {closed} closed · {open} open · {overdue} overdue")
TOTAL_LABELS: dict[str, str] = {
    "new": N_("New complaints"), "closed": N_("Complaints closed"), "open": N_("Open at the period's end"),
    "overdue": N_("Overdue at the period's end"),
}
PROGRESS, RESOLUTION = N_("Progress reported within 3 working days"), \
    N_("Resolved within 7 days or the agreed extension")
CONFIRMED, RATINGS = N_("Confirmed by the owner"), N_("Owners' ratings (1–5)")
RESULT_RATING, ATTITUDE_RATING = N_("Average rating of the result (1–5)"), N_("Average rating of the attitude (1–5)")
MAJORS, REPAIRS = N_("Major complaints"), N_("Repairs completed")
BY_CATEGORY, BY_DEPARTMENT = N_("By category"), N_("By lead department")
# The chat text's section headings (the translator writes the colon the reader's way).
HEADINGS: dict[str, str] = {BY_CATEGORY: N_("By category:"), BY_DEPARTMENT: N_("By lead department:"),
                            REPAIRS: N_("Repairs completed by warranty class:")}
# The repairs' warranty classes and who pays (services/reports/weekly.py REPAIR_CLASSES).
CLASS_LABELS: dict[tuple[str, str], str] = {
    ("A", "builder"): N_("Class A (charged to the builder's deposit)"),
    ("B", "company"): N_("Class B, borne by the company"),
    ("B", "owner"): N_("Class B, paid by the owner"),
}
# A complaint's status as its supervisors read it (the owners' wording says "your").
MAJOR_STATUS: dict[str, str] = {
    "new": N_("Registered, waiting to be accepted"), "accepted": N_("Being handled"),
    "resolved": N_("Resolved, waiting for the owner's confirmation"), "confirmed": N_("Confirmed"),
    "closed": N_("Closed"), "unconfirmed": N_("Closed without confirmation"),
}

SUMMARY, MAJOR_SHEET, REPAIR_SHEET = N_("Summary"), N_("Major complaints"), N_("Repairs by class")
SCOPE, PERIOD, OFFICES = N_("Scope"), N_("Period"), N_("Offices")
SUMMARY_HEADERS = (N_("Measure"), N_("Value"), N_("Counted"), N_("Rate"))
CATEGORY, DEPARTMENT = N_("Category"), N_("Lead department")
MAJOR_HEADERS = (N_("Case number"), N_("Office"), N_("Category"), N_("Lead department"), N_("Status"),
                 N_("Complaint received"))
REPAIR_HEADERS = (N_("Warranty class"), N_("Repairs"), N_("Settled cost (yuan)"))
NO_COMPLAINTS = N_("No complaints in this period.")
COLORS = {"new": "#4472c4", "closed": "#70ad47", "open": "#ffc000", "overdue": "#c00000"}


# ---------------------------------------------------------------- shared pieces


def title_text(period: Period) -> Text:
    """The report's name for its kind of period (投诉处理周报 …)."""
    return Msg(TITLES[period.kind])


def _name(labels: Mapping[Any, str], key: str) -> Label:
    """A category's or department's label; one the catalog does not know shows its code."""
    msgid = labels.get(key)
    return Msg(msgid) if msgid is not None else Localized({"en": key or "—"})


def _rows(table: Mapping[str, Counter[str]], labels: Mapping[Any, str]) -> list[tuple[Label, Counter[str]]]:
    """The rows with any figure, in the catalog's order, then unknown codes alphabetically."""
    order = {key: index for index, key in enumerate(labels)}
    keys = sorted((k for k, c in table.items() if any(c[f] for f in FIGURES)), key=lambda k: (order.get(k, 99), k))
    return [(_name(labels, key), table[key]) for key in keys]


def _yuan(fen: int) -> Decimal:
    return Decimal(fen) / 100


def _average(value: float | None) -> Text:
    # The four locales write the decimal point alike; Babel has no per-locale change to make here.
    return "—" if value is None else f"{value:.2f}"


def _percent(value: float | None) -> Text:
    return "—" if value is None else Percent(f"{value:.4f}", 1)


def _dates(period: Period) -> Text:
    return Msg(N_("{start} – {end}"), {"start": DateText(period.start), "end": DateText(period.last_day)})


# ---------------------------------------------------------------- chat text


def _met_text(met: Met) -> Text:
    return Msg(N_("{met} of {due} ({rate})"), {"met": met.met, "due": met.due, "rate": _percent(met.rate)})


def _figures_text(counter: Counter[str]) -> Text:
    return Msg(FIGURES_LINE, {name: counter[name] for name in FIGURES})


def summary_text(report: PeriodReport, scope: Text, period: Period) -> Text:
    """The figures as chat text (localized when rendered), headed by the scope (office or company)
    and the period: short lines a phone shows whole."""
    lines: list[Text] = [
        Msg(N_("📊 {title} {code}"), {"title": title_text(period), "code": period.code}),
        Msg(N_("{scope} · {dates}"), {"scope": scope, "dates": _dates(period)}),
        Field(Msg(N_("Complaints")), _figures_text(report.totals)),
    ]
    for heading, table, labels in ((BY_CATEGORY, report.by_category, CATEGORY_LABELS),
                                   (BY_DEPARTMENT, report.by_department, DEPARTMENT_LABELS)):
        rows = _rows(table, labels)
        if rows:
            lines.append(Msg(HEADINGS[heading]))
            lines += [Field(name, _figures_text(counter)) for name, counter in rows]
    lines += [
        Field(Msg(PROGRESS), _met_text(report.progress)),
        Field(Msg(RESOLUTION), _met_text(report.resolution)),
        Field(Msg(CONFIRMED), Msg(N_("{confirmed} of {closed} closed ({rate})"), {
            "confirmed": report.confirmed, "closed": report.totals["closed"], "rate": _percent(report.confirmation_rate)})),
        Field(Msg(RATINGS), Msg(N_("result {result}, attitude {attitude}"), {
            "result": _average(report.rating_result.value), "attitude": _average(report.rating_attitude.value)})),
    ]
    lines.append(Field(Msg(MAJORS), len(report.majors)))
    company = len(report.project_codes) > 1
    for code, major in report.majors:
        status = _name(MAJOR_STATUS, major.status)
        lines.append(Msg(N_("• {number}: {status}"), {
            "number": f"{major.number} ({code})" if company else major.number, "status": status}))
    lines.append(Msg(HEADINGS[REPAIRS]))
    for class_payer, cost in _repair_rows(report):
        lines.append(Field(_class_name(class_payer), Msg(N_("{repairs} repaired · {cost}"), {
            "repairs": cost[0], "cost": Money(str(_yuan(cost[1])))})))
    return Lines(tuple(lines))


def _class_name(class_payer: tuple[str, str]) -> Label:
    msgid = CLASS_LABELS.get(class_payer)
    return Msg(msgid) if msgid is not None else Localized({"en": "/".join(class_payer)})


def _repair_rows(report: PeriodReport) -> list[tuple[tuple[str, str], tuple[int, int]]]:
    """The three classes always (a zero says something), then any other the data holds."""
    others = sorted(set(report.repair_costs) - set(REPAIR_CLASSES))
    return [(key, (report.repair_costs[key].repairs, report.repair_costs[key].cost_fen))
            for key in (*REPAIR_CLASSES, *others) if key in report.repair_costs]


# ---------------------------------------------------------------- workbook


def _summary_rows(report: PeriodReport) -> list[list[Cell]]:
    def met(msgid: str, value: Met) -> list[Cell]:
        return [Msg(msgid), value.met, value.due, None if value.rate is None else Share(value.rate)]

    rate = report.confirmation_rate
    totals: list[list[Cell]] = [[Msg(TOTAL_LABELS[name]), report.totals[name], None, None] for name in FIGURES]
    return [
        *totals,
        met(PROGRESS, report.progress),
        met(RESOLUTION, report.resolution),
        [Msg(CONFIRMED), report.confirmed, report.totals["closed"], None if rate is None else Share(rate)],
        [Msg(RESULT_RATING), report.rating_result.value, report.rating_result.count, None],
        [Msg(ATTITUDE_RATING), report.rating_attitude.value, report.rating_attitude.count, None],
        [Msg(MAJORS), len(report.majors), None, None],
    ]


def _table_rows(table: Mapping[str, Counter[str]], labels: Mapping[Any, str]) -> list[list[Cell]]:
    return [[name, *(counter[f] for f in FIGURES)] for name, counter in _rows(table, labels)]


def _major_rows(report: PeriodReport) -> list[list[Cell]]:
    # Every office is at UTC+8 without summer time (mainland, Hong Kong, Macau, Taiwan): one zone
    # gives each office's own wall clock.
    return [[major.number, code, _name(CATEGORY_LABELS, major.category), _name(DEPARTMENT_LABELS, major.department),
             _name(MAJOR_STATUS, major.status), wall_clock(major.received_at, DEFAULT_ZONE)]
            for code, major in sorted(report.majors, key=lambda item: (item[1].received_at, item[1].number))]


def _repair_sheet_rows(report: PeriodReport) -> list[list[Cell]]:
    return [[_class_name(key), repairs, _yuan(fen)] for key, (repairs, fen) in _repair_rows(report)]


def report_workbook(report: PeriodReport, scope: Text, period: Period, label: Callable[[Text], str]) -> bytes:
    """The .xlsx bytes in ``label``'s language: a summary, the figures by category and by lead
    department (each with a native bar chart of new/closed/open/overdue), the major complaints,
    the repairs by warranty class (a chart of their settled cost). Typed cells, bold frozen
    headers, filters."""
    from openpyxl import Workbook

    title = Msg(N_("{title} {code} · {scope}"), {"title": title_text(period), "code": period.code, "scope": scope})
    info: list[list[Cell]] = [[Msg(SCOPE), scope], [Msg(PERIOD), period.start, period.last_day],
                              [Msg(OFFICES), ", ".join(sorted(report.project_codes)) or "—"]]
    figure_headers = tuple(FIGURE_LABELS[f] for f in FIGURES)
    sheets: list[tuple[str, Text, Sequence[str], list[list[Cell]], list[list[Cell]]]] = [
        (SUMMARY, title, SUMMARY_HEADERS, _summary_rows(report), info),
        (BY_CATEGORY, Msg(BY_CATEGORY), (CATEGORY, *figure_headers), _table_rows(report.by_category, CATEGORY_LABELS),
         []),
        (BY_DEPARTMENT, Msg(BY_DEPARTMENT), (DEPARTMENT, *figure_headers),
         _table_rows(report.by_department, DEPARTMENT_LABELS), []),
        (MAJOR_SHEET, Msg(MAJOR_SHEET), MAJOR_HEADERS, _major_rows(report), []),
        (REPAIR_SHEET, Msg(REPAIRS), REPAIR_HEADERS, _repair_sheet_rows(report), []),
    ]
    book = Workbook()
    for index, (name, heading, headers, rows, above) in enumerate(sheets):
        sheet = book.active if index == 0 else book.create_sheet()
        fill_sheet(sheet, label(heading), [label(Msg(h)) for h in headers], rendered(rows, label),
                   name=label(Msg(name)), info=rendered(above, label))
        if not rows:
            continue
        if name in (BY_CATEGORY, BY_DEPARTMENT):
            _bar_chart(sheet, label(heading), header=2, columns=(2, 5), rows=len(rows), number_format="0")
        elif name == REPAIR_SHEET:
            _bar_chart(sheet, label(Msg(REPAIR_HEADERS[2])), header=2, columns=(3, 3), rows=len(rows),
                       number_format="#,##0")
        elif name == SUMMARY:  # the three rates, one bar each
            header = 2 + len(above) + 1
            _bar_chart(sheet, label(Msg(N_("Deadlines met and owner confirmation"))), header=header, columns=(4, 4),
                       rows=3, number_format="0%", first=len(FIGURES) + 1, percent=True)
    book.properties.title = label(title)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _bar_chart(sheet: Worksheet, title: str, *, header: int, columns: tuple[int, int], rows: int, number_format: str,
               first: int = 1, percent: bool = False) -> None:
    """A native column chart of columns ``columns`` (first, last; 1-based) over ``rows`` data rows
    from the ``first`` after the header (the header names each series), placed right of the table."""
    from openpyxl.chart import BarChart, Reference, Series
    from openpyxl.utils import get_column_letter

    chart = BarChart()
    chart.type = "col"
    chart.grouping = "clustered"
    chart.title = title
    chart.y_axis.scaling.min = 0
    if percent:
        chart.y_axis.scaling.max = 1
    chart.y_axis.numFmt = number_format
    chart.y_axis.delete = False
    chart.x_axis.delete = False
    top, bottom = header + first, header + first + rows - 1
    for column in range(columns[0], columns[1] + 1):
        values = Reference(sheet, min_col=column, min_row=top, max_row=bottom)
        chart.series.append(Series(values, title_from_data=False, title=str(sheet.cell(header, column).value)))
    chart.set_categories(Reference(sheet, min_col=1, min_row=top, max_row=bottom))
    if columns[0] == columns[1]:
        chart.legend = None
    chart.width, chart.height = 18, 9
    sheet.add_chart(chart, f"{get_column_letter(sheet.max_column + 2)}{header}")


# ---------------------------------------------------------------- PNG


def key_chart_png(report: PeriodReport, scope: Text, period: Period, label: Callable[[Text], str]) -> bytes:
    """Complaints by category as grouped horizontal bars (new, closed, open, overdue), titled with the
    report, the scope and the period; PNG bytes drawn with the survey charts' CJK font (Agg). A
    period without complaints shows a line saying so."""
    from services.surveys.chart import register_font

    family = register_font()
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    rows = _rows(report.by_category, CATEGORY_LABELS)
    figure = Figure(figsize=(7.2, max(4.0, 1.6 + 0.95 * len(rows))), dpi=110, layout="constrained")
    figure.suptitle(f"{label(title_text(period))} {period.code}\n{label(scope)} · {label(_dates(period))}",
                    fontfamily=family, fontsize=13)
    axes = figure.subplots()
    if not rows:
        axes.text(0.5, 0.5, label(Msg(NO_COMPLAINTS)), ha="center", va="center", fontfamily=family, fontsize=12,
                  transform=axes.transAxes)
        axes.set_axis_off()
    else:
        positions = list(range(len(rows)))[::-1]  # the first category on top
        height = 0.2
        top = max(max(counter[f] for f in FIGURES) for _, counter in rows)
        for offset, name in enumerate(FIGURES):
            values = [counter[name] for _, counter in rows]
            bars = axes.barh([p + (1.5 - offset) * height for p in positions], values, height,
                             label=label(Msg(FIGURE_LABELS[name])), color=COLORS[name])
            axes.bar_label(bars, labels=[str(v) if v else "" for v in values], padding=2, fontfamily=family,
                           fontsize=8)
        axes.set_yticks(positions, [label(name) for name, _ in rows])
        axes.set_xlim(0, top * 1.15 + 1)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))  # counts: no 0.5 ticks
        axes.legend(prop={"family": family}, loc="upper center", bbox_to_anchor=(0.5, -0.06), ncols=4,
                    frameon=False)
        for tick in (*axes.get_yticklabels(), *axes.get_xticklabels()):
            tick.set_fontfamily(family)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


# ---------------------------------------------------------------- file names


_NOT_IN_FILE_NAMES = frozenset('/\\:*?"<>|')


def file_stem(report_title: Text, scope: Text, period: Period, label: Callable[[Text], str]) -> str:
    """A file name (without extension) in the reader's language, safe on every system: the report's
    title, the scope and the period ("投诉处理周报 华苑 2026-W49"); characters a file name cannot hold
    become "_"."""
    text = f"{label(report_title)} {label(scope)} {period.code}"
    safe = "".join("_" if ch in _NOT_IN_FILE_NAMES or ord(ch) < 32 else ch for ch in text).strip(" .")
    return safe[:120] or period.code
