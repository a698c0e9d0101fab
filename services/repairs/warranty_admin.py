"""Admin settings of the warranty rules (DOMAIN 2.2): seasons, design life, contract periods."""

from __future__ import annotations

from services.repairs.warranty import STATUTORY, Component, Period
from services.repairs.warranty_terms import parse_period, parse_season
from storage.models import Project, WarrantyOverride
from storage.uow import UnitOfWork


class WarrantySettingError(ValueError):
    pass


async def set_override(
    uow: UnitOfWork, project: Project, component: str, side: str, period_text: str, building_name: str | None = None
) -> WarrantyOverride:
    """A contract's longer period for a component, for the project or one of its buildings."""
    try:
        part = Component(component)
        period = parse_period(period_text)
    except (ValueError, KeyError):
        raise WarrantySettingError(
            f"component must be one of {', '.join(c.value for c in Component)}; period like 5y, 18m, 3s or life"
        ) from None
    if side not in ("builder", "owner"):
        raise WarrantySettingError("side must be builder or owner")
    building_id = None
    if building_name is not None:
        building = await uow.units.building(project.id, building_name)
        if building is None:
            raise WarrantySettingError(f"no building {building_name!r} in {project.code}")
        building_id = building.id
    existing = [o for o in await uow.repairs.overrides(project.id)
                if o.building_id == building_id and o.side == side and o.component == part.value]
    row = existing[0] if existing else WarrantyOverride(project_id=project.id, building_id=building_id, side=side,
                                                         component=part.value)
    row.period_kind, row.period_count = period.kind, period.count
    uow.repairs.add(row)
    return row


def set_seasons(project: Project, heating: str | None, cooling: str | None, design_life: int | None) -> None:
    try:
        if heating is not None:
            parse_season(heating, "heating")
            project.heating_season = heating
        if cooling == "none":
            project.cooling_season = None
        elif cooling is not None:
            parse_season(cooling, "cooling")
            project.cooling_season = cooling
    except ValueError:
        raise WarrantySettingError("seasons look like 11-15/03-15 (start month-day / end month-day)") from None
    if design_life is not None:
        if design_life < 1:
            raise WarrantySettingError("the design life is at least 1 year")
        project.design_life_years = design_life


def period_code(period: Period | None) -> str:
    """The inverse of ``parse_period``: 5y, 18m, 2s, life (or - for none)."""
    if period is None:
        return "-"
    return {"years": f"{period.count}y", "months": f"{period.count}m", "seasons": f"{period.count}s"}.get(
        period.kind, "life")


def statutory_table() -> list[tuple[str, str, str]]:
    return [(c.value, period_code(b), period_code(o)) for c, (b, o) in STATUTORY.items()]
