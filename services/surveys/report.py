"""《客户满意度测量结果报告》 (DOMAIN 3.6) as an .xlsx workbook, and for a mid-year campaign its
《客户满意度监测信息》 (the monitoring sheet: rates, response against target, most dissatisfied items).

Sheets: summary (the campaign in a small block above the table, then the rates against their
targets and the previous campaign of the same kind, the share of follow-ups handled), by owner
stage, by project, by service area, the items answered 1–2 at least once, and the follow-ups one by
one (household, phone masked, the low items, who, the outcome: for an office's audit). Numbers are numbers, rates are fractions shown as percentages, dates are dates; headers are
frozen; the area scores and the stage rates come with native Excel bar charts. Text is locale-free
until ``workbook_bytes`` renders it with the reader's catalog.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from dialogs.phones import mask_phone
from dialogs.text import N_, Field, Lines, Localized, Msg, Percent, Plain, Text
from services.common.sheets import Cell, Share, fill_sheet, rendered
from services.surveys.follow_up import handled_share
from services.surveys.metrics import CampaignMetrics, ItemScore, campaign_metrics
from services.surveys.vocabulary import AREA_LABELS, CAMPAIGN_LABELS, STAGE_LABELS, CampaignKind
from storage.models.surveys import SurveyCampaign
from storage.repositories.follow_ups import FollowUpRecord
from storage.uow import UnitOfWork

REPORT_TITLE = N_("Customer Satisfaction Measurement Report")  # 《客户满意度测量结果报告》
MONITORING_TITLE = N_("Customer Satisfaction Monitoring Information")  # 《客户满意度监测信息》
DEFAULT_ZONE = "Asia/Shanghai"
SATISFACTION_TARGET = 1.0  # no rate target is set in DOMAIN 3; the handled share's goal is 100 %

SUMMARY, MONITORING = N_("Summary"), N_("Monitoring")
BY_STAGE, BY_PROJECT, BY_AREA, LOW_ANSWERS = N_("By owner stage"), N_("By project"), N_("By service area"), \
    N_("Answers of 1–2")
SUMMARY_HEADERS = (N_("Measure"), N_("This campaign"), N_("Target"), N_("Previous campaign"), N_("Change"))
STAGE_HEADERS = (N_("Owner stage"), N_("Respondents"), N_("Satisfied owners"), N_("Satisfaction rate"), N_("Loyal owners"),
                 N_("Loyalty rate"))
PROJECT_HEADERS = (N_("Project"), N_("Sampled households"), N_("Surveys done"), N_("Response rate"),
                   N_("Respondents"), N_("Satisfaction rate"), N_("Loyalty rate"))
AREA_HEADERS = (N_("Service area"), N_("Answers"), N_("Average score"), N_("Satisfied share"), N_("Answered 1–2"))
LOW_HEADERS = (N_("Question"), N_("Service area"), N_("Answers"), N_("Answered 1–2"), N_("Share answered 1–2"),
               N_("Average score"))
FOLLOW_UPS = N_("Follow-up records")
FOLLOW_UP_HEADERS = (N_("Unit"), N_("Owner"), N_("Phone"), N_("Items answered 1–2"), N_("Assigned to"), N_("Status"),
                     N_("Calls not reaching the owner"), N_("Agreed with the owner"), N_("Satisfied now"),
                     N_("Closed at"), N_("Closed by"))
ASSIGNEES = {"manager": N_("The customer-service manager personally"), "service": N_("Customer service")}
FOLLOW_UP_STATUS = {"open": N_("Follow-up open"), "done": N_("Follow-up done")}
MONITORING_HEADERS = (N_("Measure"), N_("Value"), N_("Target"))

CAMPAIGN, KIND, CREATED, PREVIOUS = N_("Campaign"), N_("Kind"), N_("Created"), N_("Previous campaign")
SAMPLED, INVITED, DONE, RESPONDENTS = N_("Sampled households"), N_("Invited"), N_("Surveys done"), N_("Respondents")
RESPONSE, SATISFACTION, LOYALTY = N_("Response rate"), N_("Satisfaction rate"), N_("Loyalty rate")
HANDLED = N_("Follow-ups handled")
TARGET_MET, TARGET_MISSED = N_("Target met"), N_("Below target")
DISSATISFIED_ITEM = N_("Most dissatisfied item")


@dataclass(frozen=True)
class Handled:
    """Follow-ups of the campaign's answers: done of all (DOMAIN 3.5, goal 100 %)."""

    done: int
    total: int

    @property
    def share(self) -> float | None:
        return self.done / self.total if self.total else None


def question_labels(spec: Mapping[str, Any]) -> dict[str, Text]:
    """Each question's label from the questionnaire's spec (administrators' text in several locales)."""
    labels: dict[str, Text] = {}
    for question in spec.get("questions") or ():
        name = question.get("name")
        texts = {k: v for k, v in (question.get("label") or {}).items() if isinstance(v, str) and v.strip()}
        if isinstance(name, str):
            labels[name] = Localized(texts) if texts else Plain(name)
    return labels


def _share(value: float | None) -> Share | None:
    return None if value is None else Share(value)


def _change(now: float | None, before: float | None) -> Share | None:
    return None if now is None or before is None else Share(now - before)


def summary_info(metrics: CampaignMetrics) -> list[list[Cell]]:
    """What the summary is about, above its table: the campaign, its kind, when it was created, and
    the campaign the "previous" column compares with."""
    before = metrics.previous
    kind = next((text for k, text in CAMPAIGN_LABELS.items() if k.value == metrics.kind), None)
    return [
        [Msg(CAMPAIGN), Plain(metrics.name)],
        [Msg(KIND), Msg(kind) if kind else Plain(metrics.kind)],
        [Msg(CREATED), metrics.created_at.date()],
        [Msg(PREVIOUS), Plain(before.name) if before else Plain("—"), before.created_at.date() if before else None],
    ]


def summary_rows(metrics: CampaignMetrics, handled: Handled) -> list[list[Cell]]:
    """The measures: this campaign, the target, the previous campaign, the change."""
    before = metrics.previous
    return [
        [Msg(SAMPLED), metrics.sampled, None, before.sampled if before else None, None],
        [Msg(INVITED), metrics.invited, None, before.invited if before else None, None],
        [Msg(DONE), metrics.done, None, before.done if before else None, None],
        [Msg(RESPONDENTS), metrics.rates.respondents, None, before.rates.respondents if before else None, None],
        [Msg(RESPONSE), _share(metrics.response), Share(metrics.target), _share(before.response) if before else None,
         _change(metrics.response, before.response if before else None)],
        [Msg(SATISFACTION), _share(metrics.rates.satisfaction), None,
         _share(before.rates.satisfaction) if before else None,
         _change(metrics.rates.satisfaction, before.rates.satisfaction if before else None)],
        [Msg(LOYALTY), _share(metrics.rates.loyalty), None, _share(before.rates.loyalty) if before else None,
         _change(metrics.rates.loyalty, before.rates.loyalty if before else None)],
        [Msg(HANDLED), _share(handled.share), Share(SATISFACTION_TARGET), None, None],
    ]


def stage_rows(metrics: CampaignMetrics) -> list[list[Cell]]:
    return [[Msg(STAGE_LABELS[stage]), r.respondents, r.satisfied, _share(r.satisfaction), r.loyal, _share(r.loyalty)]
            for stage, r in metrics.by_stage.items()]


def project_rows(metrics: CampaignMetrics) -> list[list[Cell]]:
    return [[Plain(p.name or "—"), p.sampled, p.done, _share(p.response), p.rates.respondents,
             _share(p.rates.satisfaction), _share(p.rates.loyalty)] for p in metrics.by_project]


def area_rows(metrics: CampaignMetrics) -> list[list[Cell]]:
    return [[Msg(AREA_LABELS[area]), s.answers, s.average, _share(s.satisfied_share), s.low]
            for area, s in metrics.by_area.items()]


def _area_label(item: ItemScore) -> Text:
    return next((Msg(text) for area, text in AREA_LABELS.items() if area.value == item.area), "")


def low_rows(metrics: CampaignMetrics, labels: Mapping[str, Text]) -> list[list[Cell]]:
    """The items answered 1–2 at least once, the most often first."""
    items = sorted((i for i in metrics.items if i.low), key=lambda i: (-(i.low_share or 0.0), -i.low, i.key))
    return [[labels.get(i.key, Plain(i.key)), _area_label(i), i.answers, i.low, _share(i.low_share), i.average]
            for i in items]


def monitoring_rows(metrics: CampaignMetrics, labels: Mapping[str, Text]) -> list[list[Cell]]:
    """The mid-year 《客户满意度监测信息》: the rates, response against target, most dissatisfied items."""
    rows: list[list[Cell]] = [
        [Msg(RESPONSE), _share(metrics.response), Share(metrics.target)],
        [Msg(TARGET_MET if metrics.meets_target else TARGET_MISSED), None, None],
        [Msg(SATISFACTION), _share(metrics.rates.satisfaction), None],
        [Msg(LOYALTY), _share(metrics.rates.loyalty), None],
    ]
    rows += [[Field(Msg(DISSATISFIED_ITEM), labels.get(i.key, Plain(i.key))), _share(i.low_share), None]
             for i in metrics.dissatisfied_items()]
    return rows


def follow_up_rows(records: Sequence[FollowUpRecord], labels: Mapping[str, Text], zone: str) -> list[list[Cell]]:
    """Each follow-up of the campaign's answers: the household (the phone masked: a record, not a
    call list), what was answered 1–2, who was to call, and how it ended (times in the project's zone)."""
    def local(moment: datetime | None) -> datetime | None:
        return moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None) if moment is not None else None

    rows: list[list[Cell]] = []
    for r in records:
        unit = f"{r.project} {r.building}-{r.unit}" if r.unit is not None else "—"
        items = Lines(tuple(Msg(N_("{question}: {score}"), {"question": labels.get(str(name), Plain(str(name))),
                                                            "score": int(score)})
                            for name, score in r.ratings))
        satisfied = None if r.satisfied is None else Msg(N_("Yes") if r.satisfied else N_("No"))
        rows.append([Plain(unit), Plain(r.owner or "—"), Plain(mask_phone(r.phone) if r.phone else "—"), items,
                     Msg(ASSIGNEES.get(r.assignee, ASSIGNEES["service"])),
                     Msg(FOLLOW_UP_STATUS.get(r.status, FOLLOW_UP_STATUS["open"])), r.attempts,
                     Plain(r.agreed) if r.agreed else None, satisfied, local(r.closed_at),
                     Plain(r.closed_by) if r.closed_by else None])
    return rows


def workbook_bytes(metrics: CampaignMetrics, handled: Handled, labels: Mapping[str, Text],
                   label: Callable[[Text], str], records: Sequence[FollowUpRecord] = (),
                   zone: str = DEFAULT_ZONE) -> bytes:
    """The report as an .xlsx file's bytes, rendered with ``label`` (the reader's catalog)."""
    from openpyxl import Workbook

    book = Workbook()
    # name, title row, headers, rows, info rows above the headers
    sheets: list[tuple[str, Text, Sequence[str], list[list[Cell]], list[list[Cell]]]] = []
    if metrics.kind == CampaignKind.MID_YEAR:
        sheets.append((MONITORING, _titled(MONITORING_TITLE, metrics), MONITORING_HEADERS,
                       monitoring_rows(metrics, labels), []))
    sheets += [
        (SUMMARY, _titled(REPORT_TITLE, metrics), SUMMARY_HEADERS, summary_rows(metrics, handled),
         summary_info(metrics)),
        (BY_STAGE, Msg(BY_STAGE), STAGE_HEADERS, stage_rows(metrics), []),
        (BY_PROJECT, Msg(BY_PROJECT), PROJECT_HEADERS, project_rows(metrics), []),
        (BY_AREA, Msg(BY_AREA), AREA_HEADERS, area_rows(metrics), []),
        (LOW_ANSWERS, Msg(LOW_ANSWERS), LOW_HEADERS, low_rows(metrics, labels), []),
        (FOLLOW_UPS, Msg(FOLLOW_UPS), FOLLOW_UP_HEADERS, follow_up_rows(records, labels, zone), []),
    ]
    for index, (name, title, headers, rows, info) in enumerate(sheets):
        sheet = book.active if index == 0 else book.create_sheet()
        fill_sheet(sheet, label(title), [label(Msg(h)) for h in headers], rendered(rows, label),
                   name=label(Msg(name)), autofilter=name not in (SUMMARY, MONITORING), info=rendered(info, label))
        if name == BY_STAGE:
            _bar_chart(sheet, label(Msg(BY_STAGE)), columns=(4, 6), rows=len(rows), percent=True)
        elif name == BY_AREA:
            _bar_chart(sheet, label(Msg(AREA_HEADERS[2])), columns=(3, 3), rows=len(rows), percent=False)
    book.properties.title = label(Msg(REPORT_TITLE))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _titled(title: str, metrics: CampaignMetrics) -> Text:
    return Msg(N_("{title} · {campaign}"), {"title": Msg(title), "campaign": Plain(metrics.name)})


def _bar_chart(sheet: Any, title: str, *, columns: tuple[int, ...], rows: int, percent: bool) -> None:
    """A native bar chart of ``columns`` (1-based) over the sheet's data rows, beside the table."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.utils import get_column_letter

    chart = BarChart()
    chart.type = "col"
    chart.title = title
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 1 if percent else 5
    chart.y_axis.numFmt = "0%" if percent else "0.0"
    chart.y_axis.delete = False
    chart.x_axis.delete = False
    for column in dict.fromkeys(columns):  # header row 2 names each series
        chart.add_data(Reference(sheet, min_col=column, min_row=2, max_row=2 + rows), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=3, max_row=2 + rows))
    chart.width, chart.height = 18, 9
    sheet.add_chart(chart, f"{get_column_letter(sheet.max_column + 2)}3")


def summary_text(metrics: CampaignMetrics, handled: Handled, labels: Mapping[str, Text]) -> Text:
    """The chat message that comes with the files: the rates (for a mid-year campaign, the
    monitoring information: the response against its target and the most dissatisfied items)."""
    def percent(value: float | None) -> Text:
        return Percent(f"{value:.4f}", 1) if value is not None else "—"

    lines: list[Text] = [
        Msg(MONITORING_TITLE if metrics.kind == CampaignKind.MID_YEAR else REPORT_TITLE),
        Plain(metrics.name),
        Field(Msg(RESPONSE), Msg(N_("{rate} ({done} of {sampled} households, target {target})"),
                                 {"rate": percent(metrics.response), "done": metrics.done, "sampled": metrics.sampled,
                                  "target": percent(metrics.target)})),
        Field(Msg(SATISFACTION), percent(metrics.rates.satisfaction)),
        Field(Msg(LOYALTY), percent(metrics.rates.loyalty)),
        Field(Msg(HANDLED), percent(handled.share)),
    ]
    if not metrics.meets_target:
        lines.append(Msg(TARGET_MISSED))
    if metrics.kind == CampaignKind.MID_YEAR:
        lines += [Field(Msg(DISSATISFIED_ITEM), Msg(N_("{item}: {share} answered 1–2"),
                                                      {"item": labels.get(i.key, Plain(i.key)), "share": percent(i.low_share)}))
                  for i in metrics.dissatisfied_items(3)]
    return Lines(tuple(lines))


@dataclass(frozen=True)
class ReportData:
    """What the report, its chart and its chat summary are drawn from."""

    metrics: CampaignMetrics
    handled: Handled
    labels: Mapping[str, Text]  # the questionnaire's question labels
    records: Sequence[FollowUpRecord] = ()  # the follow-ups one by one
    zone: str = DEFAULT_ZONE  # the campaign's project's, for the times in the workbook


async def report_data(uow: UnitOfWork, campaign: SurveyCampaign) -> ReportData:
    metrics = await campaign_metrics(uow, campaign)
    done, total = await handled_share(uow, campaign.id)
    spec = await uow.survey_metrics.template_spec(campaign.template_id)
    project = await uow.projects.get(campaign.project_id) if campaign.project_id else None
    return ReportData(metrics, Handled(done, total), question_labels(spec),
                      await uow.follow_ups.records_of_campaign(campaign.id), project.timezone if project else DEFAULT_ZONE)


def report_xlsx(data: ReportData, label: Callable[[Text], str]) -> bytes:
    return workbook_bytes(data.metrics, data.handled, data.labels, label, data.records, data.zone)


def report_summary(data: ReportData) -> Text:
    return summary_text(data.metrics, data.handled, data.labels)
