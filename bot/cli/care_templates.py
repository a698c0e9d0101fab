"""`estatebot admin care template …` and `estatebot admin care preview`: the care messages'
wording per kind and locale, reworded without code (placeholders checked at save, each change
recorded with who and when and printed), and the dry run of the care push rules.

    care template list
    care template show KIND [--locale L]
    care template set KIND --locale L (--text T | --file F) [--by NAME]
    care template reset KIND --locale L [--by NAME]
    care template history KIND [--locale L]
    care preview [--date YYYY-MM-DD] [--days N] [--kind K] [--limit N]
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.cli.common import AdminError, Subparsers, admin_errors, admin_session, iso_date, print_problems
from bot.settings import Settings
from services.common.locale import SUPPORTED_LOCALES


def register_into(commands: Subparsers) -> None:
    """Add this module's subcommands to `estatebot admin care`."""
    template = commands.add_parser("template", help="care message wording per kind and locale")
    actions = template.add_subparsers()
    listing = actions.add_parser("list", help="every kind: placeholders, locales reworded")
    listing.set_defaults(func=_list)
    show = actions.add_parser("show", help="a kind's built-in wording, its translations, the admin's texts")
    show.add_argument("kind")
    show.add_argument("--locale", help="only this locale")
    show.set_defaults(func=_show)
    put = actions.add_parser("set", help="reword a kind in one locale (placeholders checked)")
    put.add_argument("kind")
    put.add_argument("--locale", required=True)
    text = put.add_mutually_exclusive_group(required=True)
    text.add_argument("--text")
    text.add_argument("--file", type=Path, help="a UTF-8 text file")
    put.add_argument("--by", default=None, help="who made the change (default: the OS user)")
    put.set_defaults(func=_set)
    reset = actions.add_parser("reset", help="back to the built-in wording in one locale")
    reset.add_argument("kind")
    reset.add_argument("--locale", required=True)
    reset.add_argument("--by", default=None, help="who made the change (default: the OS user)")
    reset.set_defaults(func=_reset)
    history = actions.add_parser("history", help="every save and reset of a kind: who, when, old and new text")
    history.add_argument("kind")
    history.add_argument("--locale", help="only this locale")
    history.set_defaults(func=_history)

    preview = commands.add_parser("preview", help="dry run of the care pushes: who would get what, when")
    preview.add_argument("--date", type=iso_date, help="the first day (default: today)")
    preview.add_argument("--days", type=int, default=1, help="how many days (default 1, at most 366)")
    preview.add_argument("--kind", help="only rows of this kind (the key's first part: birthday, consent-ask …)")
    preview.add_argument("--limit", type=int, default=50, help="rows printed (default 50; counts cover all)")
    preview.set_defaults(func=_preview)


def _kinds() -> None:
    import services.capabilities  # noqa: F401  (registers every care rule, so every care kind)


def _locale(value: str) -> str:
    if value not in SUPPORTED_LOCALES:
        raise AdminError(f"unknown locale {value!r}; use one of {', '.join(SUPPORTED_LOCALES)}")
    return value


def _who(by: str | None) -> str:
    return (by or getpass.getuser()).strip()[:100] or "admin"


async def _list(settings: Settings, args: argparse.Namespace) -> int:
    from services.care.templates import kinds

    _kinds()
    async with admin_session(settings) as uow:
        reworded: dict[str, list[str]] = {}
        for row in await uow.care_templates.reworded():
            reworded.setdefault(row.kind, []).append(row.locale)
    print("kind\tplaceholders\treworded in\tdescription")
    for name, kind in kinds().items():
        placeholders = " ".join("{" + p + "}" for p in sorted(kind.placeholders)) or "—"
        print(f"{name}\t{placeholders}\t{', '.join(sorted(reworded.get(name, []))) or '—'}\t{kind.description}")
    return 0


async def _show(settings: Settings, args: argparse.Namespace) -> int:
    from bot.i18n import Catalogs
    from services.care.templates import kind

    _kinds()
    with admin_errors(ValueError):
        declared = kind(args.kind)
    locales = [_locale(args.locale)] if args.locale else list(SUPPORTED_LOCALES)
    catalogs = Catalogs()
    async with admin_session(settings) as uow:
        rows = {locale: (row.text, row.updated_by, row.updated_at)
                for locale, row in (await uow.care_templates.of_kind(declared.name)).items()}
    print(f"{declared.name}: {declared.description}")
    print(f"placeholders: {' '.join('{' + p + '}' for p in sorted(declared.placeholders)) or 'none'}")
    print(f"built-in (msgid): {declared.default}")
    for locale in locales:
        print(f"\n[{locale}]")
        print(f"  built-in: {catalogs.get(locale).gettext(declared.default)}")
        if locale not in rows:
            print("  admin's text: none (the built-in wording is sent)")
        else:
            text, by, updated = rows[locale]
            when = updated.astimezone(ZoneInfo(settings.timezone)).strftime("%Y-%m-%d %H:%M")
            print(f"  admin's text (sent; by {by}, {when} {settings.timezone}): {text}")
    return 0


async def _set(settings: Settings, args: argparse.Namespace) -> int:
    from services.care.templates import check, kind

    _kinds()
    with admin_errors(ValueError):
        declared = kind(args.kind)
    locale = _locale(args.locale)
    if args.file is not None:
        try:
            text = (await asyncio.to_thread(args.file.read_text, encoding="utf-8")).rstrip()
        except (OSError, UnicodeDecodeError) as exc:
            raise AdminError(f"cannot read {args.file}: {exc}") from None
    else:
        text = args.text
    problems = check(text, declared.placeholders)
    if problems:
        print_problems(problems, "saved")
        return 1
    who = _who(args.by)
    async with admin_session(settings) as uow:
        previous = await uow.care_templates.put(declared.name, locale, text, who, datetime.now(UTC))
        await uow.commit()
    if previous == text:
        print(f"{declared.name} [{locale}] unchanged (the same text), recorded by {who}")
        return 0
    print(f"{declared.name} [{locale}] reworded by {who}")
    print(f"  was: {previous if previous is not None else '(the built-in wording)'}")
    print(f"  now: {text}")
    return 0


async def _reset(settings: Settings, args: argparse.Namespace) -> int:
    from services.care.templates import kind

    _kinds()
    with admin_errors(ValueError):
        declared = kind(args.kind)
    locale = _locale(args.locale)
    who = _who(args.by)
    async with admin_session(settings) as uow:
        previous = await uow.care_templates.remove(declared.name, locale, who, datetime.now(UTC))
        await uow.commit()
    if previous is None:
        print(f"{declared.name} [{locale}] already has the built-in wording; nothing changed")
        return 0
    print(f"{declared.name} [{locale}] back to the built-in wording, by {who}")
    print(f"  was: {previous}")
    return 0


async def _history(settings: Settings, args: argparse.Namespace) -> int:
    from services.care.templates import kind

    _kinds()
    with admin_errors(ValueError):
        declared = kind(args.kind)
    locale = _locale(args.locale) if args.locale else None
    async with admin_session(settings) as uow:
        changes = [(c.changed_at, c.locale, c.changed_by, c.old_text, c.new_text)
                   for c in await uow.care_templates.history(declared.name, locale)]
    if not changes:
        print(f"{declared.name}{f' [{locale}]' if locale else ''}: no edits recorded (the built-in wording)")
        return 0
    zone = ZoneInfo(settings.timezone)
    for changed_at, in_locale, by, old, new in changes:
        print(f"{changed_at.astimezone(zone):%Y-%m-%d %H:%M} {settings.timezone}\t{in_locale}\t{by}")
        print(f"  was: {old if old is not None else '(the built-in wording)'}")
        print(f"  now: {new if new is not None else '(the built-in wording)'}")
    return 0


async def _preview(settings: Settings, args: argparse.Namespace) -> int:
    from bot.i18n import Catalogs
    from services.care.preview import PREVIEW_TIME, care_rules, preview

    _kinds()
    if not 1 <= args.days <= 366:
        raise AdminError(f"--days is 1 to 366, not {args.days}")
    if args.limit < 0:
        raise AdminError("--limit is 0 or more")
    first = args.date or datetime.now(ZoneInfo(settings.timezone)).date()
    rules = care_rules()
    async with admin_session(settings) as uow:  # never committed: rolled back when it closes
        rows = await preview(uow, first, args.days, default_locale=settings.default_locale,
                             default_zone=settings.timezone, rules=rules, settings=settings.rule_settings)
    if args.kind:
        rows = [row for row in rows if row.kind == args.kind]
    rows.sort(key=lambda row: (row.not_before, row.key))
    span = f"{first}" if args.days == 1 else f"{first} to {first + timedelta(days=args.days - 1)}"
    print(f"care preview {span}, the rules run at {PREVIEW_TIME:%H:%M} local each day: "
          f"{', '.join(rule.name for rule in rules) or 'none registered'}")
    if not rows:
        print("nothing would be sent" + (f" of kind {args.kind}" if args.kind else ""))
        print("dry run: nothing was sent or kept")
        return 0
    catalogs = Catalogs()
    for row in rows[: args.limit]:
        who = row.recipient or "—"
        if row.phone:
            who += f" ({row.phone})"
        print(f"\n{row.not_before:%Y-%m-%d %H:%M} {row.zone}\t{row.key}\t{row.purpose}\t{who}\t{row.locale}")
        if row.reply is not None:
            translator = catalogs.get(row.locale)
            for line in translator.label(row.reply.text).splitlines():
                print(f"  {line}")
            buttons = [f"[{translator.label(button.label)}]" for line in row.reply.buttons for button in line]
            if buttons:
                print(f"  buttons: {' '.join(buttons)}")
        if row.attachments:
            print(f"  attachments: {', '.join(row.attachments)}")
    if len(rows) > args.limit:
        print(f"\n… and {len(rows) - args.limit} more (--limit)")
    print("\ncounts:\nkind\tlocale\trows")
    for (kind, locale), count in sorted(Counter((row.kind, row.locale) for row in rows).items()):
        print(f"{kind}\t{locale}\t{count}")
    print(f"total\t\t{len(rows)}")
    print("dry run: nothing was sent or kept")
    return 0
