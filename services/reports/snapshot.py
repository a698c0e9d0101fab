"""A period's figures kept as JSON with the report issued (``report_issues.figures``), and read back:
the archive and a later publication show what was reported, not what the cases say today."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import Any

from services.reports.weekly import Average, Met, PeriodReport, RepairCost
from storage.repositories.reports import MajorRow


def _counters(table: dict[str, Counter[str]]) -> dict[str, dict[str, int]]:
    return {key: dict(counter) for key, counter in table.items()}


def figures_of(report: PeriodReport) -> dict[str, Any]:
    """The figures as JSON-ready values."""
    return {
        "start": report.start.isoformat(), "end": report.end.isoformat(), "projects": list(report.project_codes),
        "totals": dict(report.totals), "by_category": _counters(report.by_category),
        "by_department": _counters(report.by_department),
        "progress": [report.progress.due, report.progress.met],
        "resolution": [report.resolution.due, report.resolution.met], "confirmed": report.confirmed,
        "rating_result": [report.rating_result.total, report.rating_result.count],
        "rating_attitude": [report.rating_attitude.total, report.rating_attitude.count],
        "majors": [[code, major.number, major.category, major.department, major.status,
                    major.received_at.isoformat()] for code, major in report.majors],
        "repair_costs": [[cls, payer, cost.repairs, cost.cost_fen] for (cls, payer), cost in report.repair_costs.items()],
    }


def report_of(figures: dict[str, Any]) -> PeriodReport:
    """The figures kept by ``figures_of``, as a ``PeriodReport`` again."""
    report = PeriodReport(date.fromisoformat(figures["start"]), date.fromisoformat(figures["end"]),
                          list(figures["projects"]))
    report.totals = Counter(figures["totals"])
    report.by_category = {key: Counter(value) for key, value in figures["by_category"].items()}
    report.by_department = {key: Counter(value) for key, value in figures["by_department"].items()}
    report.progress, report.resolution = Met(*figures["progress"]), Met(*figures["resolution"])
    report.confirmed = int(figures["confirmed"])
    report.rating_result, report.rating_attitude = Average(*figures["rating_result"]), Average(*figures["rating_attitude"])
    report.majors = [(code, MajorRow(number, category, department, status, datetime.fromisoformat(received)))
                     for code, number, category, department, status, received in figures["majors"]]
    for cls, payer, repairs, cost_fen in figures["repair_costs"]:
        report.repair_costs[(cls, payer)] = RepairCost(repairs, cost_fen)
    return report
