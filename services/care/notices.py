"""Notices to the owners of a project or building (DOMAIN 4.2, 4.4; issue 14 items 3, 4, 6):
construction milestones (封顶, 落架), the construction open day 工地开放日, newsletters, community
events 社区文化活动, owner meetings 顾客恳谈会 and the quarterly 《管理服务报告》.

Every kind is a care template kind ``notice_<kind>`` (services/care/templates.py) with a built-in
wording; a notice's own ``texts`` ({locale: text}) override the template for the locales the
administrator wrote. All are ``Purpose.EVENT``: only owners whose latest decision about events is
a yes get them, checked when the rows are written and again by the drain when sending.

Outbox keys (one row per owner and notice, so planning twice adds nothing):

- ``milestone:<project id>:<kind>.<notice id>:<owner id>`` — topping_out, scaffolding_down, newsletter
- ``event:<project id>:<kind>.<notice id>:<owner id>`` — open_day, community_event
- ``meeting:<project id>:owner_meeting.<notice id>:<owner id>`` — owner_meeting
- ``report:<project id>:service_report.<notice id>:<owner id>`` — service_report

``campaign_prefix(notice)`` is the key up to the owner: the statistics of one notice are the rows
with that prefix (services/care/stats.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from dialogs.text import N_, DateText, DateTimeText, Localized, Msg, Plain, Template, Text
from services.care.templates import CareKind, care_text, check, register_kind
from services.people.project_names import project_text
from services.pushes import outbox
from storage.models import Building, CareNotice, Project
from storage.repositories.care_notices import Audience
from storage.uow import UnitOfWork


class NoticeKind(StrEnum):
    TOPPING_OUT = "topping_out"  # 封顶
    SCAFFOLDING_DOWN = "scaffolding_down"  # 落架
    OPEN_DAY = "open_day"  # 工地开放日: place and time
    NEWSLETTER = "newsletter"  # with PDF/image attachments
    COMMUNITY_EVENT = "community_event"  # 社区文化活动: place and time
    OWNER_MEETING = "owner_meeting"  # 顾客恳谈会: place and time; drafted and approved (services/care/meetings.py)
    SERVICE_REPORT = "service_report"  # the quarterly 《管理服务报告》 with its document


STATUSES = ("draft", "submitted", "returned", "scheduled", "sent", "cancelled")  # storage/models/care.py

_BASE = frozenset({"name", "project", "building", "date"})
_EVENT = _BASE | {"time", "place"}


@dataclass(frozen=True)
class NoticeSpec:
    kind: NoticeKind
    family: str  # the outbox key's first part: milestone | event | meeting | report
    needs_place_time: bool  # the CLI refuses such a notice without a place and a time
    template: CareKind

    @property
    def placeholders(self) -> frozenset[str]:
        return self.template.placeholders


def _spec(kind: NoticeKind, family: str, placeholders: frozenset[str], default: str, description: str) -> NoticeSpec:
    template = register_kind(CareKind(f"notice_{kind.value}", default, placeholders, description))
    return NoticeSpec(kind, family, "place" in placeholders, template)


SPECS: dict[NoticeKind, NoticeSpec] = {spec.kind: spec for spec in (
    _spec(NoticeKind.TOPPING_OUT, "milestone", _BASE,
          N_("🏗 Good news from {project}: {building} was topped out on {date}. Thank you for your trust — "
             "we will keep you informed as construction goes on."),
          "construction milestone: topping-out 封顶 of a building or project"),
    _spec(NoticeKind.SCAFFOLDING_DOWN, "milestone", _BASE,
          N_("🏗 News from {project}: the scaffolding of {building} came down on {date}, and its façade can "
             "now be seen. We will keep you informed of the next steps."),
          "construction milestone: scaffolding removal 落架"),
    _spec(NoticeKind.OPEN_DAY, "event", _EVENT,
          N_("👷 You are invited to the construction open day of {project} ({building}) on {date} at {time}, "
             "at {place}. Come and see how your future home is being built."),
          "construction open day 工地开放日 (place and time)"),
    _spec(NoticeKind.NEWSLETTER, "milestone", _BASE,
          N_("📰 The {project} newsletter of {date} is here; you will find it attached."),
          "newsletter, with PDF or image attachments"),
    _spec(NoticeKind.COMMUNITY_EVENT, "event", _EVENT,
          N_("🎉 {project} invites you and your family to a community event on {date} at {time}, at {place}. "
             "We look forward to seeing you."),
          "community culture event 社区文化活动 (place and time)"),
    _spec(NoticeKind.OWNER_MEETING, "meeting", _EVENT | {"period"},
          N_("🤝 You are invited to the owner meeting of {project} on {date} at {time}, at {place}. We would "
             "like to hear your views and suggestions about our service."),
          "owner meeting 顾客恳谈会 every half year (drafted by customer service, approved by the office manager)"),
    _spec(NoticeKind.SERVICE_REPORT, "report", frozenset({"name", "project", "period"}),
          N_("📊 The management service report of {project} for {period} is attached. Thank you for your "
             "trust and support."),
          "the quarterly management service report 《管理服务报告》, with its document"),
)}

ALL_BUILDINGS = N_("all buildings")


def spec(kind: str) -> NoticeSpec:
    try:
        return SPECS[NoticeKind(kind)]
    except ValueError:
        raise ValueError(f"unknown notice kind {kind!r}; known: {', '.join(k.value for k in NoticeKind)}") from None


def check_texts(kind: str, texts: dict[str, str]) -> list[str]:
    """What is wrong with a notice's own texts (empty: nothing), per locale."""
    allowed = spec(kind).placeholders
    return [f"{locale}: {problem}" for locale, text in texts.items() for problem in check(text, allowed)]


def campaign_prefix(notice: CareNotice) -> str:
    """The outbox key of a notice's rows, up to the owner id."""
    return f"{spec(notice.kind).family}:{notice.project_id}:{notice.kind}.{notice.id}:"


def _params(notice: CareNotice, project: Project, building: Building | None) -> dict[str, Text]:
    declared = spec(notice.kind).placeholders
    values: dict[str, Text] = {
        "project": project_text(project),  # 华苑 / 華苑 / Huayuan, as the administrator named it per locale
        "building": Plain(building.name) if building is not None else Msg(ALL_BUILDINGS),
        # An event's or meeting's day with its weekday (2026年12月20日星期日): owners decide whether they can come.
        "date": (DateText(notice.starts_at.astimezone(ZoneInfo(project.timezone)).date(), "full")
                 if notice.starts_at else DateText(notice.send_on)),
        "period": Plain(notice.period or ""),
    }
    if notice.starts_at is not None:
        values["time"] = DateTimeText(notice.starts_at, project.timezone, "HH:mm")
    if notice.place:
        values["place"] = Localized(notice.place)
    # {name} is the recipient's: the drain fills it at send time.
    return {key: value for key, value in values.items() if key in declared}


async def notice_text(uow: UnitOfWork, notice: CareNotice, project: Project, building: Building | None) -> Template:
    """The text of a notice's rows: its own texts where the administrator gave them, else the kind's
    template (his wording per locale, the built-in one elsewhere)."""
    template = await care_text(uow, spec(notice.kind).template.name, **_params(notice, project, building))
    if not notice.texts:
        return template
    return Template(template.default, {**template.texts, **notice.texts}, template.params)


# ---------------------------------------------------------------- scheduling (the admin CLI)

MAX_FILE_BYTES = 20 * 1024 * 1024  # what the CLI accepts for one attachment
EVENT_LEAD_DAYS = 7  # an event's or meeting's notice goes out this many days before it, by default
_SIGNATURES = ((b"%PDF-", "document"), (b"\xff\xd8\xff", "photo"), (b"\x89PNG\r\n\x1a\n", "photo"))


class NoticeError(ValueError):
    """What is wrong with a notice the administrator asked for (one line each)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Attachment:
    name: str
    content: bytes


@dataclass(frozen=True)
class NoticeRequest:
    project_code: str
    kind: str
    day: date  # the milestone's, event's or meeting's date (a newsletter's or report's: the day it goes out)
    building: str | None = None
    at: time | None = None  # an event's or meeting's local time
    place: dict[str, str] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    attachments: tuple[Attachment, ...] = ()
    period: str | None = None
    send_on: date | None = None  # default: the day itself; an event's or meeting's a week before


def media_kind(content: bytes) -> str | None:
    """``document`` for a PDF, ``photo`` for a JPEG or PNG (by content, not by name), else None."""
    return next((kind for signature, kind in _SIGNATURES if content.startswith(signature)), None)


async def schedule(uow: UnitOfWork, request: NoticeRequest, now: datetime, *,
                   status: str = "scheduled", drafted_by: int | None = None) -> tuple[CareNotice, Audience]:
    """Check and store a notice (its attachments kept in ``outbox_files``); the notice and who is in
    its scope. The caller commits."""
    problems: list[str] = []
    try:
        declared = spec(request.kind)
    except ValueError as exc:
        raise NoticeError([str(exc)]) from None
    project = await uow.projects.by_code(request.project_code)
    if project is None:
        raise NoticeError([f"no project {request.project_code!r}"])
    building = None
    if request.building is not None:
        building = await uow.units.building(project.id, request.building)
        if building is None:
            problems.append(f"project {project.code} has no building {request.building!r}")
    zone = ZoneInfo(project.timezone)
    today = now.astimezone(zone).date()
    if request.day < today:
        problems.append(f"{request.day.isoformat()} is in the past (today is {today.isoformat()} in {project.timezone})")
    if declared.needs_place_time:
        if request.at is None:
            problems.append(f"a {declared.kind.value} notice needs --time")
        if not request.place:
            problems.append(f"a {declared.kind.value} notice needs a place (--place-zh_Hans_CN …)")
    for locale, text in request.place.items():
        if not text.strip():
            problems.append(f"the {locale} place is empty")
    problems += check_texts(declared.kind, request.texts)
    if declared.kind is NoticeKind.SERVICE_REPORT and not request.period:
        problems.append("a service_report notice needs --period (e.g. 2027Q1)")
    if request.period is not None and len(request.period) > 8:
        problems.append("--period has at most 8 characters (e.g. 2027Q1, 2027H1)")
    kinds = []
    for attachment in request.attachments:
        kind = media_kind(attachment.content)
        if kind is None:
            problems.append(f"{attachment.name}: not a PDF, JPEG or PNG file")
        if len(attachment.content) > MAX_FILE_BYTES:
            problems.append(f"{attachment.name}: {len(attachment.content):,} bytes; at most {MAX_FILE_BYTES:,}")
        kinds.append(kind)
    send_on = request.send_on or (max(today, request.day - timedelta(days=EVENT_LEAD_DAYS))
                                  if declared.needs_place_time else request.day)
    if send_on < today or send_on > request.day:
        problems.append(f"it would go out on {send_on.isoformat()}: not before today, not after {request.day.isoformat()}")
    if problems:
        raise NoticeError(problems)
    media = [await outbox.store_upload(uow, kind or "document", attachment.name, attachment.content, now)
             for attachment, kind in zip(request.attachments, kinds, strict=True)]
    starts_at = (datetime.combine(request.day, request.at, zone).astimezone(UTC) if request.at is not None else None)
    notice = await uow.care_notices.add(CareNotice(
        kind=declared.kind.value, project_id=project.id, building_id=building.id if building else None,
        send_on=send_on, starts_at=starts_at, place=dict(request.place) or None, texts=dict(request.texts) or None,
        media=media, period=request.period, status=status, drafted_by=drafted_by, created_at=now))
    return notice, await uow.care_notices.audience(project.id, notice.building_id)


async def cancel(uow: UnitOfWork, notice: CareNotice) -> int:
    """Cancel a notice not sent yet, or stop the rows of a sent one still waiting; rows stopped."""
    return await uow.care_notices.cancel(notice.id, campaign_prefix(notice))
