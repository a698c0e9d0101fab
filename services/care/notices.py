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

from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from dialogs.text import N_, DateText, DateTimeText, Localized, Msg, Plain, Template, Text
from services.care.templates import CareKind, care_text, check, register_kind
from storage.models import Building, CareNotice, Project
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
        "project": Plain(project.name),
        "building": Plain(building.name) if building is not None else Msg(ALL_BUILDINGS),
        "date": DateText(notice.starts_at.astimezone(ZoneInfo(project.timezone)).date() if notice.starts_at else notice.send_on),
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
