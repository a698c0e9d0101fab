"""`estatebot admin care notice …` and `estatebot admin care stats`: notices to the owners of a
project or building (services/care/notices.py) and the statistics of care campaigns.

    care notice add --project CODE [--building NAME] --kind K --date YYYY-MM-DD [--time HH:MM]
                    [--place-<locale> T …] [--text-<locale> T … | --text-file <locale>=FILE …]
                    [--attach FILE …] [--period 2027Q1] [--send-on YYYY-MM-DD]
    care notice list [--project CODE]
    care notice show ID
    care notice cancel ID
    care stats [--month YYYY-MM] [--notice ID]
"""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.cli.common import AdminError, Subparsers, admin_session, iso_date, print_problems
from bot.settings import Settings
from services.common.locale import SUPPORTED_LOCALES
from storage.models import CareNotice
from storage.repositories.care_notices import Counts
from storage.uow import UnitOfWork

if TYPE_CHECKING:
    from services.care.stats import NoticeStats

COLUMNS = ("planned", "sent", "pending", "failed", "blocked", "opted_out", "cancelled")


def register_into(commands: Subparsers) -> None:
    """Add this module's subcommands to `estatebot admin care`."""
    notice = commands.add_parser("notice", help="notices to a project's or building's owners (milestones, events …)")
    actions = notice.add_subparsers()
    add = actions.add_parser("add", help="schedule a notice (checked; prints who is in scope)")
    add.add_argument("--project", required=True, help="the project's code")
    add.add_argument("--building", help="only this building's owners (default: the whole project)")
    add.add_argument("--kind", required=True, help="topping_out, scaffolding_down, open_day, newsletter, "
                                                   "community_event, owner_meeting, service_report")
    add.add_argument("--date", required=True, type=iso_date, help="the milestone's, event's or meeting's date")
    add.add_argument("--time", type=_time, help="the event's or meeting's local time HH:MM")
    for locale in SUPPORTED_LOCALES:
        add.add_argument(f"--place-{locale}", dest=f"place_{locale}", metavar="T", help=f"the place, in {locale}")
        add.add_argument(f"--text-{locale}", dest=f"text_{locale}", metavar="T",
                         help=f"this notice's own text in {locale} (default: the kind's template)")
    add.add_argument("--text-file", action="append", default=[], metavar="LOCALE=FILE",
                     help="a UTF-8 file with the text for a locale (repeatable)")
    add.add_argument("--attach", action="append", default=[], type=Path, metavar="FILE",
                     help="a PDF, JPEG or PNG file of at most 20 MB (repeatable)")
    add.add_argument("--period", help="the period a report or meeting covers, e.g. 2027Q1, 2027H1")
    add.add_argument("--send-on", type=iso_date, help="the day it goes out (default: the date itself; an event's or "
                                                  "meeting's 7 days before)")
    add.set_defaults(func=_add)
    listing = actions.add_parser("list", help="notices, newest date first")
    listing.add_argument("--project", help="only this project's")
    listing.set_defaults(func=_list)
    show = actions.add_parser("show", help="a notice, its texts and its statistics")
    show.add_argument("id", type=int)
    show.set_defaults(func=_show)
    cancel = actions.add_parser("cancel", help="cancel a notice and its messages not sent yet")
    cancel.add_argument("id", type=int)
    cancel.set_defaults(func=_cancel)

    stats = commands.add_parser("stats", help="care campaigns: planned, sent, failed, blocked, opted out")
    stats.add_argument("--month", type=_month, help="the month YYYY-MM of the per-owner care messages (default: this one)")
    stats.add_argument("--notice", type=int, help="only this notice")
    stats.set_defaults(func=_stats)



def _time(value: str) -> time:
    try:
        return datetime.strptime(value, "%H:%M").time()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a time HH:MM: {value!r}") from None


def _month(value: str) -> date:
    try:
        return datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a month YYYY-MM: {value!r}") from None


def _texts(args: argparse.Namespace) -> dict[str, str]:
    texts = {locale: getattr(args, f"text_{locale}") for locale in SUPPORTED_LOCALES
             if getattr(args, f"text_{locale}") is not None}
    for item in args.text_file:
        locale, _, name = item.partition("=")
        if locale not in SUPPORTED_LOCALES or not name:
            raise AdminError(f"--text-file takes LOCALE=FILE with a locale among {', '.join(SUPPORTED_LOCALES)}")
        try:
            texts[locale] = Path(name).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise AdminError(f"cannot read {name}: {exc}") from None
    return texts


def _attachments(paths: list[Path]) -> tuple[tuple[str, bytes], ...]:
    from services.care.notices import MAX_FILE_BYTES

    found = []
    for path in paths:
        if not path.is_file():
            raise AdminError(f"no such file: {path}")
        if path.stat().st_size > MAX_FILE_BYTES:  # refused before it is read into memory
            raise AdminError(f"{path.name}: {path.stat().st_size:,} bytes; at most {MAX_FILE_BYTES:,}")
        found.append((path.name, path.read_bytes()))
    return tuple(found)


async def _add(settings: Settings, args: argparse.Namespace) -> int:
    from services.care.notices import Attachment, NoticeError, NoticeRequest, schedule

    request = NoticeRequest(
        project_code=args.project, kind=args.kind, day=args.date, building=args.building, at=args.time,
        place={locale: getattr(args, f"place_{locale}") for locale in SUPPORTED_LOCALES
               if getattr(args, f"place_{locale}") is not None},
        texts=_texts(args), attachments=tuple(Attachment(n, c) for n, c in _attachments(args.attach)),
        period=args.period, send_on=args.send_on)
    async with admin_session(settings) as uow:
        try:
            notice, audience = await schedule(uow, request, datetime.now(UTC))
        except NoticeError as exc:
            print_problems(exc.problems, "scheduled")
            return 1
        await uow.commit()
        scope = args.building or "all buildings"
        print(f"notice #{notice.id} scheduled: {notice.kind} for {args.project} ({scope}), goes out on "
              f"{notice.send_on.isoformat()} 09:00–20:00 project time")
        print(f"owners in scope now: {audience.owners}: not on the bot {audience.not_on_bot}, "
              f"without consent {audience.without_consent}, would get it {audience.consenting}")
        for item in notice.media:
            print(f"  attached: {item['name']} ({item['kind']})")
    return 0


async def _list(settings: Settings, args: argparse.Namespace) -> int:
    async with admin_session(settings) as uow:
        project_id = None
        if args.project:
            project = await uow.projects.by_code(args.project)
            if project is None:
                raise AdminError(f"no project {args.project!r}")
            project_id = project.id
        notices = list(reversed(await uow.care_notices.find(project_id)))
        if not notices:
            print("no notices yet; add one with: estatebot admin care notice add")
            return 0
        print("id\tsend on\tkind\tproject\tbuilding\tstatus")
        for notice in notices:
            project_, building = await _scope(uow, notice)
            print(f"{notice.id}\t{notice.send_on.isoformat()}\t{notice.kind}\t{project_}\t{building}\t{notice.status}")
    return 0


async def _scope(uow: UnitOfWork, notice: CareNotice) -> tuple[str, str]:
    project = await uow.projects.get(notice.project_id)
    building = await uow.units.building_by_id(notice.building_id) if notice.building_id else None
    return (project.code if project else "?"), (building.name if building else "all")


async def _show(settings: Settings, args: argparse.Namespace) -> int:
    from services.care.notices import campaign_prefix, spec
    from services.care.stats import notice_stats

    async with admin_session(settings) as uow:
        notice = await uow.care_notices.get(args.id)
        if notice is None:
            raise AdminError(f"no notice #{args.id}")
        project = await uow.projects.get(notice.project_id)
        zone = ZoneInfo(project.timezone if project else "Asia/Shanghai")
        code, building = await _scope(uow, notice)
        print(f"notice #{notice.id}: {notice.kind} ({spec(notice.kind).template.description})")
        print(f"  project {code}, building {building}; status {notice.status}")
        print(f"  goes out on {notice.send_on.isoformat()} (09:00–20:00 {zone.key}); keys {campaign_prefix(notice)}<owner>")
        if notice.starts_at:
            print(f"  starts at {notice.starts_at.astimezone(zone):%Y-%m-%d %H:%M} ({zone.key})")
        for locale, text in (notice.place or {}).items():
            print(f"  place [{locale}]: {text}")
        if notice.period:
            print(f"  period: {notice.period}")
        for locale, text in (notice.texts or {}).items():
            print(f"  text [{locale}]: {text}")
        if not notice.texts:
            print(f"  text: the template {spec(notice.kind).template.name} (estatebot admin care template show)")
        for item in notice.media:
            print(f"  attached: {item['name']} ({item['kind']})")
        if notice.planned_at:
            print(f"  planned at {notice.planned_at.astimezone(zone):%Y-%m-%d %H:%M}")
        stats = await notice_stats(uow, notice)
        print(f"  {_audience(stats)}")
        print("  " + "\t".join(COLUMNS))
        print("  " + _row(stats.counts))
    return 0


def _audience(stats: NoticeStats) -> str:
    """Who was in scope (services/care/stats.py Scope): when planned, or now for a notice not planned yet."""
    scope = stats.scope
    if scope.now:
        return (f"owners in scope now: {scope.in_scope}: not on the bot {scope.not_on_bot}, "
                f"without consent {scope.without_consent}, would get it {scope.planned}")
    return (f"owners in scope when planned: {scope.in_scope}: not on the bot {scope.not_on_bot}, "
            f"without consent {scope.without_consent}, planned {scope.planned}")


def _row(counts: Counts) -> str:
    return "\t".join(str(getattr(counts, column)) for column in COLUMNS)


async def _cancel(settings: Settings, args: argparse.Namespace) -> int:
    from services.care.notices import cancel

    async with admin_session(settings) as uow:
        notice = await uow.care_notices.get(args.id)
        if notice is None:
            raise AdminError(f"no notice #{args.id}")
        if notice.status == "cancelled":
            print(f"notice #{notice.id} was cancelled already")
            return 0
        stopped = await cancel(uow, notice)
        await uow.commit()
        print(f"notice #{notice.id} cancelled; messages stopped before sending: {stopped}")
    return 0


async def _stats(settings: Settings, args: argparse.Namespace) -> int:
    from services.care.stats import month_stats, notice_stats

    async with admin_session(settings) as uow:
        if args.notice is not None:
            notice = await uow.care_notices.get(args.notice)
            if notice is None:
                raise AdminError(f"no notice #{args.notice}")
            notices = [notice]
        else:
            month = args.month or datetime.now(ZoneInfo(settings.timezone)).date().replace(day=1)
            families = await month_stats(uow, month)
            print(f"care messages written in {month:%Y-%m}, by kind")
            print("kind\t" + "\t".join(COLUMNS))
            if not families:
                print("(none)")
            for family, counts in sorted(families.items()):
                print(f"{family}\t{_row(counts)}")
            after = date(month.year + month.month // 12, month.month % 12 + 1, 1)
            notices = [n for n in await uow.care_notices.find(since=month, until=after - timedelta(days=1)) if n.status != "draft"]
            print()
        print("notices")
        print("id\tsend on\tkind\tproject\tbuilding\tstatus\t" + "\t".join(COLUMNS) + "\tscope")
        if not notices:
            print("(none)")
        for notice in notices:
            stats = await notice_stats(uow, notice)
            code, building = await _scope(uow, notice)
            print(f"{notice.id}\t{notice.send_on.isoformat()}\t{notice.kind}\t{code}\t{building}\t{notice.status}\t"
                  f"{_row(stats.counts)}\t{_audience(stats)}")
    return 0
