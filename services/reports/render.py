"""The complaint report rendered for a reader (issue 15): the summary text sent in chat, the
workbook (figures + native Excel charts) and the PNG of the key chart. STUB — filled in by the
weekly-delivery work; signatures are the contract the monthly and /report code call."""

from __future__ import annotations

from collections.abc import Callable

from dialogs.text import Plain, Text
from services.reports.periods import Period
from services.reports.weekly import PeriodReport


def summary_text(report: PeriodReport, scope: Text, period: Period) -> Text:
    """The figures as chat text (localized when rendered), headed by the scope (office or company)
    and the period."""
    return Plain(f"{period.code}: {report.totals['new']}")


def report_workbook(report: PeriodReport, scope: Text, period: Period, label: Callable[[Text], str]) -> bytes:
    """The .xlsx bytes: the figures as typed cells and native Excel charts, in ``label``'s language."""
    raise NotImplementedError


def key_chart_png(report: PeriodReport, scope: Text, period: Period, label: Callable[[Text], str]) -> bytes:
    """The key chart as PNG bytes (CJK font of the survey charts), in ``label``'s language."""
    raise NotImplementedError


def file_stem(report_title: Text, scope: Text, period: Period, label: Callable[[Text], str]) -> str:
    """A file name (without extension) in the reader's language, safe on every system."""
    raise NotImplementedError
