"""The rules of repairs (DOMAIN 2) that need no database: trades, deadlines, the cost-approval
chain by amount and the audit threshold. Money is ``Decimal`` yuan here and integer fen in storage."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

# The dialogs' vocabularies, keyed by the codes of the enums below (a member looks up as its code).
from dialogs.repair import BUILDER_SURVEY_ABOVE as BUILDER_SURVEY_ABOVE
from dialogs.repair import COMPONENT_LABELS as COMPONENT_LABELS
from dialogs.repair import RESPONSIBLE_LABELS as RESPONSIBLE_LABELS
from dialogs.repair import TRADE_LABELS as TRADE_LABELS
from dialogs.repair import VISIT_SLOT_LABELS as VISIT_SLOT_LABELS
from dialogs.text import N_
from services.people.roles import Department, Role
from services.repairs.warranty import Component


class Trade(StrEnum):
    PLUMBING = "plumbing"  # 水暖/给排水
    ELECTRICAL = "electrical"  # 电气
    DOORS_WINDOWS = "doors_windows"  # 门窗
    WALLS_FLOORS = "walls_floors"  # 墙面/顶棚/地面
    WATERPROOFING = "waterproofing"  # 防水/渗漏
    HEATING_COOLING = "heating_cooling"  # 供暖/制冷
    PUBLIC_AREAS = "public_areas"  # 公共区域
    OTHER = "other"


# The warranty component assumed from the owner's trade until the survey names the real one.
DEFAULT_COMPONENT: dict[Trade, Component] = {
    Trade.PLUMBING: Component.PLUMBING,
    Trade.ELECTRICAL: Component.ELECTRICAL,
    Trade.DOORS_WINDOWS: Component.DOORS_WINDOWS,
    Trade.WALLS_FLOORS: Component.PLASTER_FLOOR_CRACKS,
    Trade.WATERPROOFING: Component.WATERPROOF_ROOMS,
    Trade.HEATING_COOLING: Component.HEATING_COOLING,
    Trade.PUBLIC_AREAS: Component.EQUIPMENT_INSTALLATION,
    Trade.OTHER: Component.DECORATION,
}


class VisitSlot(StrEnum):
    WEEKDAY_MORNING = "wd_am"
    WEEKDAY_AFTERNOON = "wd_pm"
    WEEKDAY_EVENING = "wd_ev"
    WEEKEND_MORNING = "we_am"
    WEEKEND_AFTERNOON = "we_pm"


class Responsible(StrEnum):
    """Who the survey finds responsible (《现场勘察会签表》 责任方)."""

    BUILDER = "builder"  # 施工单位: a defect of the works
    COMPANY = "company"  # 公司/物业: e.g. common equipment
    OWNER = "owner"  # 业主: damage by use or the owner's own decoration


class Countersign(StrEnum):
    """The builder's answer to a survey it must countersign (《现场勘察会签表》, over 500 yuan)."""

    PENDING = "pending"
    SIGNED = "signed"
    OBJECTED = "objected"  # with a reason
    WITHDRAWN = "withdrawn"  # the estimate was rejected: the survey is redone, the request is void


SURVEY_WORKING_DAYS = 1  # DOMAIN 2.3
SINGLE_TRADE_WORKING_DAYS = 3  # DOMAIN 2.4
MULTI_TRADE_WORKING_DAYS = 7
CALLBACK_WORKING_DAYS = 1  # DOMAIN 2.5
AUDIT_ABOVE = Decimal("20000")  # DOMAIN 2.6: settlements over 20,000 are audited
CS_MANAGER_UP_TO = Decimal("1000")
VICE_PRESIDENT_UP_TO = Decimal("10000")


def work_days(trades: list[str] | tuple[str, ...]) -> int:
    """A single-trade job has 3 working days, a multi-trade job 7 (DOMAIN 2.4)."""
    return SINGLE_TRADE_WORKING_DAYS if len(set(trades)) <= 1 else MULTI_TRADE_WORKING_DAYS


# ---------------------------------------------------------------- cost approval (DOMAIN 2.6)


class Approver(StrEnum):
    CS_MANAGER = "cs_manager"  # 客户服务部经理
    DEPUTY_CHIEF_ENGINEER = "deputy_chief_engineer"  # 副总工程师 (reviews)
    VICE_PRESIDENT = "vice_president"  # 副总经理
    GENERAL_MANAGER = "general_manager"  # 总经理


APPROVER_LABELS: dict[Approver, str] = {
    Approver.CS_MANAGER: N_("Customer Service Manager"),
    Approver.DEPUTY_CHIEF_ENGINEER: N_("Deputy Chief Engineer (review)"),
    Approver.VICE_PRESIDENT: N_("Vice President"),
    Approver.GENERAL_MANAGER: N_("General Manager"),
}


@dataclass(frozen=True)
class ApproverRule:
    role: Role
    department: Department | None = None  # None: any department


APPROVER_RULES: dict[Approver, ApproverRule] = {
    Approver.CS_MANAGER: ApproverRule(Role.MANAGER, Department.CUSTOMER_SERVICE),
    Approver.DEPUTY_CHIEF_ENGINEER: ApproverRule(Role.DEPUTY_CHIEF_ENGINEER),
    Approver.VICE_PRESIDENT: ApproverRule(Role.VICE_PRESIDENT),
    Approver.GENERAL_MANAGER: ApproverRule(Role.GENERAL_MANAGER),
}


def approval_chain(amount: Decimal) -> tuple[Approver, ...]:
    """Who approves a cost, in order: up to 1,000 the customer-service manager; over 1,000 and up
    to 10,000 the deputy chief engineer reviews and a vice-president approves; over 10,000 the
    general manager. Nothing to approve for a job that costs nothing."""
    if amount <= 0:
        return ()
    if amount <= CS_MANAGER_UP_TO:
        return (Approver.CS_MANAGER,)
    if amount <= VICE_PRESIDENT_UP_TO:
        return (Approver.DEPUTY_CHIEF_ENGINEER, Approver.VICE_PRESIDENT)
    return (Approver.GENERAL_MANAGER,)


def needs_audit(settlement: Decimal) -> bool:
    return settlement > AUDIT_ABOVE


def may_approve(approver: Approver, department: str, role: str) -> bool:
    rule = APPROVER_RULES[approver]
    return role == rule.role and (rule.department is None or department == rule.department)


def to_fen(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def from_fen(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))
