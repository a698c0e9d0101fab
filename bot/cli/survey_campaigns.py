"""`estatebot admin survey campaign create|list|show|close`: survey campaigns (DOMAIN 3.3). The
customer-service manager starts a campaign in chat (/surveys); the admin creates, reads and closes."""

from __future__ import annotations

import argparse
from typing import Any

from bot.cli.common import AdminError, admin_errors, admin_session
from bot.settings import Settings
from services.people import admin
from services.surveys.vocabulary import CampaignKind


def register_into(subparsers: Any) -> None:
    """Add the campaign subcommands to the `survey` group (``bot.cli.surveys.register`` calls it)."""
    campaign = subparsers.add_parser("campaign", help="survey campaigns: create, list, show, close").add_subparsers()
    create = campaign.add_parser("create", help="a draft campaign with its kind's defaults (started in chat)")
    create.add_argument("--kind", required=True, choices=[k.value for k in CampaignKind])
    create.add_argument("--form", required=True, help="the questionnaire's form_id (its latest version)")
    create.add_argument("--version", help="a given version of the questionnaire")
    create.add_argument("--project", help="project code (default: every project)")
    create.add_argument("--name")
    create.add_argument("--sample", type=int, help="per cent of the households (mid_year 50, yearly 10–25)")
    create.add_argument("--seed", type=int, help="the sample's seed (default: random, stored)")
    create.add_argument("--expires-after-days", type=int, default=14, help="an invitation's life (default 14)")
    create.set_defaults(func=_create)
    listing = campaign.add_parser("list", help="every campaign with its response rate")
    listing.set_defaults(func=_list)
    show = campaign.add_parser("show", help="a campaign's sample and answers per project and owner stage")
    show.add_argument("id", type=int)
    show.set_defaults(func=_show)
    close = campaign.add_parser("close", help="close a campaign (no more invitations or reminders)")
    close.add_argument("id", type=int)
    close.set_defaults(func=_close)


def _pct(value: Any) -> str:
    return f"{float(value) * 100:.1f} %"


async def _create(settings: Settings, args: argparse.Namespace) -> int:
    from services.common.clock import SystemClock
    from services.surveys.campaigns import CampaignError, create

    async with admin_session(settings) as uow:
        project = await admin.project_by_code(uow, args.project) if args.project else None
        with admin_errors(CampaignError):
            campaign = await create(
                uow, kind=args.kind, form_id=args.form, version=args.version, project=project, name=args.name,
                sample=args.sample, seed=args.seed, expires_after_days=args.expires_after_days,
                now=SystemClock().now(),
            )
        await uow.commit()
        print(f"campaign {campaign.id} created as a draft: {campaign.name} ({campaign.kind}), sample "
              f"{campaign.sample_percent} %"
              + (f" ({campaign.complainer_percent} % of it from the top complainers of "
                 f"{campaign.period_start}–{campaign.period_end})" if campaign.complainer_percent else "")
              + f", target {campaign.target_percent} %, seed {campaign.seed}; "
              "the customer-service manager starts it in chat with /surveys")
    return 0


async def _list(settings: Settings, args: argparse.Namespace) -> int:
    from services.surveys.campaigns import stats

    async with admin_session(settings) as uow:
        campaigns = await uow.survey_campaigns.listing()
        if not campaigns:
            print("no survey campaigns yet; create one with: estatebot admin survey campaign create")
            return 0
        print("id\tname\tkind\tstatus\tsampled\tanswered\trate\ttarget")
        for campaign in campaigns:
            current = await stats(uow, campaign)
            print(f"{campaign.id}\t{campaign.name}\t{campaign.kind}\t{campaign.status}\t{current.sampled}\t"
                  f"{current.answered}\t{_pct(current.rate)}\t{campaign.target_percent} %")
    return 0


async def _show(settings: Settings, args: argparse.Namespace) -> int:
    from services.surveys.campaigns import stats

    async with admin_session(settings) as uow:
        campaign = await uow.survey_campaigns.get(args.id)
        if campaign is None:
            raise AdminError(f"no campaign {args.id}")
        current = await stats(uow, campaign)
        print(f"campaign {campaign.id}: {campaign.name} ({campaign.kind}), {campaign.status}, seed {campaign.seed}")
        print(f"sample {campaign.sample_percent} % of {campaign.population if campaign.population is not None else '-'}"
              f" households; sampled {current.sampled}, invited {current.invited}, answered {current.answered}, "
              f"expired {current.expired}; response {_pct(current.rate)} of {current.base} "
              f"(target {campaign.target_percent} %)")
        if current.strata:
            print("project/stage\tsampled\tfrom complainers\tinvited\tanswered\texpired")
            for s in current.strata:
                print(f"{s.stratum}\t{s.sampled}\t{s.from_complainers}\t{s.invited}\t{s.answered}\t{s.expired}")
    return 0


async def _close(settings: Settings, args: argparse.Namespace) -> int:
    from services.common.clock import SystemClock
    from services.surveys.campaigns import CampaignError, close
    from services.surveys.report_chat import announce_closed

    async with admin_session(settings) as uow:
        campaign = await uow.survey_campaigns.get(args.id)
        if campaign is None:
            raise AdminError(f"no campaign {args.id}")
        now = SystemClock().now()
        with admin_errors(CampaignError):
            await close(uow, campaign, now)
        told = await announce_closed(uow, campaign, now) if campaign.started_at is not None else 0
        await uow.commit()
        print(f"campaign {campaign.id} closed" + (f"; its final rates go to {told} customer-service manager(s)"
                                                    if told else ""))
    return 0
