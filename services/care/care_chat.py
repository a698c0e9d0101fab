"""/care in chat for customer service and the office managers (issue 14 item 6): the recent and
upcoming notices of the projects in the person's reach, one line each with its statistics, and
this month's per-owner care messages (birthdays, welcomes, delivery and inspection notices) by
kind. ``care_card`` is the one builder of the card (other care features add their buttons there)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from dialogs.engine import Button, Reply
from dialogs.text import N_, DateText, Lines, Msg, Plain, Text
from services.care.meetings import new_draft_button
from services.care.notices import NoticeKind
from services.care.stats import STATS_ZONE, NoticeStats, month_stats, notice_stats
from services.common.actor import Actor
from services.people.project_names import project_text
from services.people.roles import Department, Role
from storage.models import CareNotice, Staff
from storage.repositories.care_notices import Counts
from storage.uow import UnitOfWork

RECENT_DAYS, UPCOMING_DAYS, MAX_LINES = 30, 90, 20
NOT_ALLOWED = N_("Only customer service and the office managers can see the care notices.")

KIND_LABELS: dict[str, str] = {
    NoticeKind.TOPPING_OUT: N_("Topping-out"),
    NoticeKind.SCAFFOLDING_DOWN: N_("Scaffolding removal"),
    NoticeKind.OPEN_DAY: N_("Construction open day"),
    NoticeKind.NEWSLETTER: N_("Newsletter"),
    NoticeKind.COMMUNITY_EVENT: N_("Community event"),
    NoticeKind.OWNER_MEETING: N_("Owner meeting"),
    NoticeKind.SERVICE_REPORT: N_("Management service report"),
}
FAMILY_LABELS: dict[str, str] = {
    "birthday": N_("Birthday greetings"),
    "occasion": N_("Family occasion greetings"),
    "welcome": N_("Welcome messages"),
    "delivery": N_("Delivery notices"),
    "inspection": N_("House-quality inspection notices"),
}
NOTICE_LINE = N_("{date} · {kind} · {scope}: {audience}; {outcomes}")
UPCOMING_LINE = N_("{date} · {kind} · {scope}: scheduled; {audience}")
WAITING_LINE = N_("{date} · {kind} · {scope}: awaiting approval")
CANCELLED_LINE = N_("{date} · {kind} · {scope}: cancelled")
# Who was in scope (one definition: services/care/stats.py Scope): when the rows were written, or now.
SCOPE_PLANNED = N_("{in_scope} in scope: {not_on_bot} not on the bot, {without} without consent, {planned} planned")
SCOPE_NOW = N_("now {in_scope} in scope: {not_on_bot} not on the bot, {without} without consent, "
               "{planned} would get it")
SCOPE_NAME = N_("{project} {building}")  # a project's building
OUTCOMES = N_("{sent} sent, {pending} waiting, {failed} failed, {blocked} blocked, {opted_out} opted out since")
# An event's or meeting's line leads with its own day; the notice's send day follows (QA14b #3).
EVENT_DAY = N_("{day} · {sending}")
SENT_ON = N_("notice sent on {day}")
GOES_OUT_ON = N_("notice goes out on {day}")
EVENT_KINDS = frozenset({NoticeKind.OPEN_DAY, NoticeKind.COMMUNITY_EVENT, NoticeKind.OWNER_MEETING})
FAMILY_LINE = N_("{kind}: {planned} planned, {sent} sent, {pending} waiting, {failed} failed, {blocked} blocked, "
                 "{opted_out} opted out")


def may_view(department: str | None, role: str | None) -> bool:
    """Customer service (any role) and the property management office's managers."""
    return department == Department.CUSTOMER_SERVICE or (department == Department.OFFICE and role == Role.MANAGER)


async def _viewer(uow: UnitOfWork, actor: Actor) -> Staff | None:
    staff = await uow.staff.get(actor.identity.staff_id) if actor.identity.staff_id else None
    return staff if staff is not None and staff.active and may_view(staff.department, staff.role) else None


def _counts(counts: Counts) -> dict[str, Text]:
    return {"planned": counts.planned, "sent": counts.sent, "pending": counts.pending, "failed": counts.failed,
            "blocked": counts.blocked, "opted_out": counts.opted_out}


def _scope(stats: NoticeStats) -> Msg:
    scope = stats.scope
    return Msg(SCOPE_NOW if scope.now else SCOPE_PLANNED, {
        "in_scope": scope.in_scope, "not_on_bot": scope.not_on_bot, "without": scope.without_consent,
        "planned": scope.planned})


def _date(notice: CareNotice, zone: ZoneInfo) -> Text:
    """A milestone's, newsletter's or report's send day; an event's or meeting's own day (with its
    weekday), then when its notice went out (the day its rows were written) or is to go out."""
    if notice.kind not in EVENT_KINDS or notice.starts_at is None:
        return DateText(notice.send_on, "medium")
    day = DateText(notice.starts_at.astimezone(zone).date(), "full")
    if notice.status == "cancelled":
        return day
    sending = (Msg(SENT_ON, {"day": DateText(notice.planned_at.astimezone(zone).date(), "medium")})
               if notice.planned_at is not None else Msg(GOES_OUT_ON, {"day": DateText(notice.send_on, "medium")}))
    return Msg(EVENT_DAY, {"day": day, "sending": sending})


async def _notice_line(uow: UnitOfWork, notice: CareNotice) -> Text:
    project = await uow.projects.get(notice.project_id)
    building = await uow.units.building_by_id(notice.building_id) if notice.building_id else None
    name: Text = project_text(project) if project else Plain("?")
    zone = ZoneInfo(project.timezone) if project is not None else STATS_ZONE
    params: dict[str, Text] = {
        "date": _date(notice, zone), "kind": Msg(KIND_LABELS.get(notice.kind, notice.kind)),
        "scope": Msg(SCOPE_NAME, {"project": name, "building": Plain(building.name)}) if building else name}
    if notice.status == "cancelled":
        return Msg(CANCELLED_LINE, params)
    if notice.status in ("draft", "submitted", "returned"):
        return Msg(WAITING_LINE, params)
    stats = await notice_stats(uow, notice)
    if notice.status == "scheduled":
        return Msg(UPCOMING_LINE, {**params, "audience": _scope(stats)})
    outcomes = {key: value for key, value in _counts(stats.counts).items() if key != "planned"}
    return Msg(NOTICE_LINE, {**params, "audience": _scope(stats), "outcomes": Msg(OUTCOMES, outcomes)})


async def care_card(uow: UnitOfWork, staff: Staff, now: datetime) -> Reply:
    """The card: notices from RECENT_DAYS ago to UPCOMING_DAYS ahead (in the staff member's project,
    or all for company-wide staff), then this month's per-owner care messages by kind (for a
    project's staff: its owners'), the days and the month in the project's time zone."""
    project = await uow.projects.get(staff.project_id) if staff.project_id is not None else None
    zone = ZoneInfo(project.timezone) if project is not None else STATS_ZONE
    today = now.astimezone(zone).date()
    notices = await uow.care_notices.find(staff.project_id, since=today - timedelta(days=RECENT_DAYS),
                                          until=today + timedelta(days=UPCOMING_DAYS))
    lines: list[Text] = [Msg(N_("📣 Care notices (the last {recent} days and the next {upcoming})"),
                             {"recent": RECENT_DAYS, "upcoming": UPCOMING_DAYS})]
    shown = [notice for notice in notices if notice.status != "draft"][-MAX_LINES:]
    lines += [await _notice_line(uow, notice) for notice in shown] or [Msg(N_("No notices in this period."))]
    month = today.replace(day=1)
    families = await month_stats(uow, month, staff.project_id, zone)
    if families:
        lines.append(Msg(N_("This month ({month}):"), {"month": DateText(month, "yyyy-MM")}))
        lines += [Msg(FAMILY_LINE, {"kind": Msg(FAMILY_LABELS[family]), **_counts(counts)})
                  for family, counts in sorted(families.items()) if family in FAMILY_LABELS]
    rows: list[tuple[Button, ...]] = []  # buttons of other care features go here (e.g. drafting an owner meeting)
    if draft := new_draft_button(staff):
        rows.append(draft)
    return Reply(Lines(tuple(lines)), tuple(rows))


async def care_reply(uow: UnitOfWork, actor: Actor, now: datetime) -> Reply:
    staff = await _viewer(uow, actor)
    if staff is None:
        return Reply(Msg(NOT_ALLOWED))
    return await care_card(uow, staff, now)
