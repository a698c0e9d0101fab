"""`estatebot admin report monthly|recipients|archive`: the monthly complaint report (DOMAIN 1.7) —
a month's figures and its approval status (the workbook and chart on request), who receives each kind of report once published, and
the reports archived with their files."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from bot.cli.common import AdminError, Subparsers, admin_errors, admin_session
from bot.cli.report_figures import add_file_options, print_report, write_files
from bot.settings import Settings
from services.reports.periods import Period, PeriodKind, last_complete, parse_period
from services.reports.weekly import company_period, office_period
from storage.models import Project, ReportIssue
from storage.uow import UnitOfWork

KINDS = tuple(kind.value for kind in PeriodKind)
# Only the monthly report is published to a list; the weekly goes to the managers by role, and the
# statistics are asked for (/report, the CLI).
RECIPIENT_KINDS = (PeriodKind.MONTH.value,)


def register(reports: Subparsers) -> None:
    monthly = reports.add_parser("monthly", help="print a month's complaint figures and its report's approval")
    monthly.add_argument("--month", type=_month, help="e.g. 2026-11 (default: last month)")
    monthly.add_argument("--project", help="office (project) code; default: the whole company")
    add_file_options(monthly)
    monthly.set_defaults(func=_monthly)

    recipients = reports.add_parser("recipients", help="who receives a kind of report once published")
    actions = recipients.add_subparsers()
    for name, func, what in (("add", _add, "add a recipient"), ("remove", _remove, "remove a recipient")):
        parser = actions.add_parser(name, help=what)
        parser.add_argument("staff_id", type=int)
        parser.add_argument("--kind", choices=RECIPIENT_KINDS, required=True)
        parser.add_argument("--project", help="office (project) code; default: company-wide (every office)")
        parser.set_defaults(func=func)
    listing = actions.add_parser("list", help="list the recipients")
    listing.add_argument("--kind", choices=KINDS)
    listing.set_defaults(func=_list_recipients)

    archive = reports.add_parser("archive", help="the reports issued and their archived files").add_subparsers()
    issued = archive.add_parser("list", help="list the reports issued")
    issued.add_argument("--kind", choices=KINDS)
    issued.add_argument("--project", help="office (project) code")
    issued.set_defaults(func=_archive_list)
    get = archive.add_parser("get", help="write a report's archived files into a folder")
    get.add_argument("report_id", type=int)
    get.add_argument("folder", type=Path)
    get.set_defaults(func=_archive_get)


def _month(text: str) -> Period:
    try:
        return parse_period(text, PeriodKind.MONTH)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a month like 2026-11: {text}") from error


async def _project(uow: UnitOfWork, code: str | None) -> Project | None:
    if code is None:
        return None
    project = await uow.projects.by_code(code)
    if project is None:
        raise AdminError(f"no project {code}")
    return project


def _status(issue: ReportIssue, names: dict[int, str], codes: dict[int, str]) -> str:
    scope = codes.get(issue.project_id, "?") if issue.project_id is not None else "company"
    line = f"report {issue.id}: {issue.kind} {issue.period} {scope}, {issue.status}, version {issue.version}"
    if issue.submitted_at is not None:
        line += f", submitted {issue.submitted_at:%Y-%m-%d %H:%M} UTC"
    if issue.decided_by is not None and issue.decided_at is not None:
        line += f", {'approved' if issue.status == 'published' else 'decided'} by {names.get(issue.decided_by, '?')}"
        line += f" {issue.decided_at:%Y-%m-%d %H:%M} UTC"
    if issue.published_at is not None:
        line += f", published {issue.published_at:%Y-%m-%d %H:%M} UTC"
    return line


async def _monthly(settings: Settings, args: argparse.Namespace) -> int:
    period: Period = args.month or last_complete(PeriodKind.MONTH, datetime.now(UTC).date())
    async with admin_session(settings) as uow:
        project = await _project(uow, args.project)
        if project is not None:
            report = await office_period(uow, project, period.start, period.end)
            projects = [project]
        else:
            report = await company_period(uow, period.start, period.end)
            projects = list(await uow.projects.all())
        names = {staff.id: staff.name for staff in await uow.staff.all()}
        issues = [issue for p in projects if (issue := await uow.report_issues.find(PeriodKind.MONTH.value, p.id,
                                                                                     period.code)) is not None]
        print_report(report, args.project or "company", f"monthly complaint report {period.code}")
        if not issues:
            print("report: not issued yet")
        for issue in issues:
            print(_status(issue, names, {p.id: p.code for p in projects}))
            if issue.comment:
                print(f"  comment: {issue.comment}")
            if issue.note:
                print(f"  note: {issue.note}")
        write_files(report, project, period, args)
    return 0


async def _add(settings: Settings, args: argparse.Namespace) -> int:
    async with admin_session(settings) as uow:
        project = await _project(uow, args.project)
        staff = await uow.staff.get(args.staff_id)
        if staff is None:
            raise AdminError(f"no staff member {args.staff_id}")
        scope = args.project or "every office"
        if not await uow.report_issues.add_recipient(args.kind, project.id if project else None, staff.id, "admin",
                                                     datetime.now(UTC)):
            print(f"{staff.name} already receives the {args.kind} report ({scope})")
            return 0
        await uow.commit()
    print(f"{staff.name} receives the {args.kind} report ({scope})")
    return 0


async def _remove(settings: Settings, args: argparse.Namespace) -> int:
    async with admin_session(settings) as uow:
        project = await _project(uow, args.project)
        if not await uow.report_issues.remove_recipient(args.kind, project.id if project else None, args.staff_id):
            raise AdminError(f"staff member {args.staff_id} is not a recipient of the {args.kind} report "
                             f"({args.project or 'every office'})")
        await uow.commit()
    print(f"staff member {args.staff_id} no longer receives the {args.kind} report ({args.project or 'every office'})")
    return 0


async def _list_recipients(settings: Settings, args: argparse.Namespace) -> int:
    async with admin_session(settings) as uow:
        rows = await uow.report_issues.all_recipients(args.kind)
        staff = {person.id: person for person in await uow.staff.all()}
        codes = {project.id: project.code for project in await uow.projects.all()}
        if not rows:
            print("no recipients yet; add one with: estatebot admin report recipients add STAFF_ID --kind monthly")
        for row in rows:  # read inside the session: the rows are not loaded after it
            person = staff.get(row.staff_id)
            state = "" if person is not None and person.active and person.chat_id is not None else " (not reachable)"
            scope = codes.get(row.project_id, "?") if row.project_id is not None else "every office"
            print(f"{row.kind}\t{scope}\t{row.staff_id}\t{person.name if person else '?'}{state}")
    return 0


async def _archive_list(settings: Settings, args: argparse.Namespace) -> int:
    async with admin_session(settings) as uow:
        project = await _project(uow, args.project)
        issues = await uow.report_issues.issued(args.kind, project.id if project else None)
        names = {staff.id: staff.name for staff in await uow.staff.all()}
        codes = {p.id: p.code for p in await uow.projects.all()}
        if not issues:
            print("no reports issued")
        for issue in issues:
            kept = ", ".join(f"{row.locale} {row.kind}" for row in await uow.report_issues.files(issue.id))
            print(f"{_status(issue, names, codes)}; files: {kept or 'none'}")
    return 0


async def _archive_get(settings: Settings, args: argparse.Namespace) -> int:
    async with admin_session(settings) as uow:
        issue = await uow.report_issues.get(args.report_id)
        if issue is None:
            raise AdminError(f"no report {args.report_id}")
        files = [(f"{row.locale}-{row.name}", row.content) for row in await uow.report_issues.files(issue.id)]
        texts = (issue.figures or {}).get("text") or {}
        files += [(f"{locale}-{issue.kind}-{issue.period}.txt", (str(text) + "\n").encode())
                  for locale, text in sorted(texts.items())]
        if not files:
            raise AdminError(f"report {issue.id} has no archived files (it is {issue.status})")
    with admin_errors(OSError):
        written = _write(args.folder, files)
    for path in written:
        print(path)
    return 0


def _write(folder: Path, files: list[tuple[str, bytes]]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in files:
        path = folder / name
        path.write_bytes(content)
        written.append(path)
    return written
