"""The words of DOMAIN 3 that every part of the surveys shares: owner stages, service areas, the
three loyalty items, the rating scale and the campaign kinds."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from dialogs.text import N_


class Stage(StrEnum):
    """Owner stage by move-in date (满意度 segments, DOMAIN roles), at a given date."""

    PROSPECTIVE = "prospective"  # 准业主: bought, not yet moved in
    SETTLING = "settling"  # 磨合期业主: moved in less than a year ago
    STABLE = "stable"  # 稳定期业主: one to two years
    VETERAN = "veteran"  # 老业主: more than two years


STAGE_LABELS: dict[Stage, str] = {
    Stage.PROSPECTIVE: N_("Prospective owners (not moved in)"),
    Stage.SETTLING: N_("Settling-in owners (under 1 year)"),
    Stage.STABLE: N_("Settled owners (1–2 years)"),
    Stage.VETERAN: N_("Long-standing owners (over 2 years)"),
}


def stage_on(move_in: date | None, day: date) -> Stage:
    """The owner's stage on ``day``: years counted as calendar years from the move-in date (29
    February → 28 February in a common year, as the warranty periods count)."""
    if move_in is None or move_in > day:
        return Stage.PROSPECTIVE
    if day < _years_after(move_in, 1):
        return Stage.SETTLING
    if day <= _years_after(move_in, 2):
        return Stage.STABLE
    return Stage.VETERAN


def _years_after(start: date, years: int) -> date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February in a common year
        return start.replace(year=start.year + years, day=28)


class Area(StrEnum):
    """Service areas a question belongs to (DOMAIN 3.2); the XLSForm column ``area`` holds the code."""

    PLANNING = "planning"  # 规划设计
    CONSTRUCTION = "construction"  # 工程质量
    SALES = "sales"  # 销售服务
    CUSTOMER_SERVICE = "customer_service"  # 客户服务
    PROPERTY = "property"  # 物业管理


AREA_LABELS: dict[Area, str] = {
    Area.PLANNING: N_("Planning and design"),
    Area.CONSTRUCTION: N_("Construction quality"),
    Area.SALES: N_("Sales service"),
    Area.CUSTOMER_SERVICE: N_("Customer service"),
    Area.PROPERTY: N_("Property management"),
}


class Loyalty(StrEnum):
    """The three loyalty items (DOMAIN 3.1); the XLSForm column ``loyalty`` holds the code. The
    satisfaction rate reads ``overall``; the loyalty rate all three."""

    OVERALL = "overall"  # 总体满意度
    REBUY = "rebuy"  # 是否会再次购买
    RECOMMEND = "recommend"  # 是否会推荐亲友


LOYALTY_LABELS: dict[Loyalty, str] = {
    Loyalty.OVERALL: N_("Overall satisfaction"),
    Loyalty.REBUY: N_("Would buy again"),
    Loyalty.RECOMMEND: N_("Would recommend"),
}

# The 5-point scale (DOMAIN 3.1): 4 and 5 count as satisfied, 1 and 2 open a follow-up.
SCALE: tuple[tuple[int, str], ...] = (
    (1, N_("Very dissatisfied")),
    (2, N_("Dissatisfied")),
    (3, N_("Neutral")),
    (4, N_("Satisfied")),
    (5, N_("Very satisfied")),
)
SATISFIED_FROM = 4
LOW_UP_TO = 2


class CampaignKind(StrEnum):
    """DOMAIN 3.3."""

    MID_YEAR = "mid_year"  # 年中抽样: 50 % sample, ≥ 20 % of it the top complainers, response ≥ 50 %
    YEAR_END = "year_end"  # 年末全面调查: every household, response ≥ 30 %
    FIRST_VISIT = "first_visit"  # 首次回访 once 50 % of a new community moved in: ≥ 90 % of moved-in households
    YEARLY = "yearly"  # 每年抽样 afterwards: 10–25 % sample, ≥ 10 % of households
    SALES_VISIT = "sales_visit"  # 签约后一周内的销售服务回访
    MOVE_IN_VISIT = "move_in_visit"  # 入住三个月的居住体验回访


CAMPAIGN_LABELS: dict[CampaignKind, str] = {
    CampaignKind.MID_YEAR: N_("Mid-year sample survey"),
    CampaignKind.YEAR_END: N_("Year-end full survey"),
    CampaignKind.FIRST_VISIT: N_("First visit of a new community"),
    CampaignKind.YEARLY: N_("Yearly sample survey"),
    CampaignKind.SALES_VISIT: N_("Sales-service visit after signing"),
    CampaignKind.MOVE_IN_VISIT: N_("3-month move-in visit"),
}
