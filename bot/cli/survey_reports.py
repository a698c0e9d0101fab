"""`estatebot admin survey report|rates`: a campaign's 《客户满意度测量结果报告》 (DOMAIN 3.6) as .xlsx
(with the PNG chart on request) and its rates (DOMAIN 3.1) printed."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from bot.cli.common import AdminError, Subparsers, admin_session
from bot.settings import Settings
from services.common.locale import SUPPORTED_LOCALES
from storage.models.surveys import SurveyCampaign
from storage.uow import UnitOfWork


def register_into(survey_commands: Subparsers) -> None:
    """Add the report subcommands to the `survey` group (``bot.cli.surveys.register`` calls it)."""
    report = survey_commands.add_parser("report", help="a campaign's satisfaction report (.xlsx, charts)")
    report.add_argument("campaign_id", type=int)
    report.add_argument("file", type=Path, help="the workbook to write (.xlsx)")
    report.add_argument("--locale", default="zh_Hans_CN", choices=SUPPORTED_LOCALES)
    report.add_argument("--png", type=Path, help="also write the chart sent in chat (.png)")
    report.set_defaults(func=_report)
    rates = survey_commands.add_parser("rates", help="print a campaign's response, satisfaction and loyalty rates")
    rates.add_argument("campaign_id", type=int)
    rates.set_defaults(func=_rates)


async def _campaign(uow: UnitOfWork, campaign_id: int) -> SurveyCampaign:
    campaign = await uow.survey_metrics.campaign(campaign_id)
    if campaign is None:
        raise AdminError(f"no survey campaign {campaign_id}")
    return campaign


async def _report(settings: Settings, args: argparse.Namespace) -> int:
    from bot.i18n import Catalogs
    from services.surveys.chart import chart_png
    from services.surveys.report import report_data, report_xlsx

    async with admin_session(settings) as uow:
        data = await report_data(uow, await _campaign(uow, args.campaign_id))
    label = Catalogs().get(args.locale).label
    await asyncio.to_thread(args.file.write_bytes, report_xlsx(data, label))
    print(f"report of campaign {args.campaign_id} ({data.metrics.name}) written to {args.file}")
    if args.png is not None:
        await asyncio.to_thread(args.png.write_bytes, chart_png(data.metrics, label))
        print(f"chart written to {args.png}")
    return 0


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


async def _rates(settings: Settings, args: argparse.Namespace) -> int:
    from services.surveys.metrics import campaign_metrics

    async with admin_session(settings) as uow:
        metrics = await campaign_metrics(uow, await _campaign(uow, args.campaign_id))
    print(f"campaign {metrics.campaign_id}: {metrics.name} ({metrics.kind})")
    print(f"response rate: {_percent(metrics.response)} ({metrics.done} of {metrics.sampled} households; "
          f"target {metrics.target_percent}%{'' if metrics.meets_target else ', below target'})")
    print(f"satisfaction rate: {_percent(metrics.rates.satisfaction)} "
          f"({metrics.rates.satisfied} of {metrics.rates.respondents} respondents answered 4-5 on overall satisfaction)")
    print(f"loyalty rate: {_percent(metrics.rates.loyalty)} "
          f"({metrics.rates.loyal} of {metrics.rates.respondents} answered 4-5 on all three loyalty items)")
    if (before := metrics.previous) is not None:
        print(f"previous campaign {before.campaign_id} ({before.name}): response {_percent(before.response)}, "
              f"satisfaction {_percent(before.rates.satisfaction)}, loyalty {_percent(before.rates.loyalty)}")
    for stage, rates in metrics.by_stage.items():
        print(f"  stage {stage.value}: {rates.respondents} respondents, satisfaction {_percent(rates.satisfaction)}, "
              f"loyalty {_percent(rates.loyalty)}")
    for project in metrics.by_project:
        print(f"  project {project.name or '-'}: response {_percent(project.response)}, "
              f"satisfaction {_percent(project.rates.satisfaction)}, loyalty {_percent(project.rates.loyalty)}")
    for area, score in metrics.by_area.items():
        average = "—" if score.average is None else f"{score.average:.2f}"
        print(f"  area {area.value}: {score.answers} answers, average {average}, "
              f"satisfied {_percent(score.satisfied_share)}")
    return 0
