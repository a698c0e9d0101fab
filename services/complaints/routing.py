"""Who handles a complaint (DOMAIN 1.2): a default table by category, overridable per project."""

from __future__ import annotations

from enum import StrEnum

from dialogs.complaint import CATEGORY_LABELS as CATEGORY_LABELS  # the dialog's vocabulary, by code
from services.people.roles import Department
from storage.models import RoutingOverride
from storage.uow import UnitOfWork


class Category(StrEnum):
    SERVICE_ATTITUDE = "attitude"  # 服务态度
    SERVICE_QUALITY = "quality"  # 服务质量
    CONSTRUCTION = "construction"  # 工程质量 / 装修
    EQUIPMENT = "equipment"  # 设施设备
    FEES = "fees"  # 收费
    COMPENSATION = "compensation"  # 索赔
    MANAGEMENT = "management"  # 投诉管理处负责人
    OTHER = "other"


DEFAULT_ROUTES: dict[Category, Department] = {
    Category.SERVICE_ATTITUDE: Department.QUALITY,
    Category.SERVICE_QUALITY: Department.QUALITY,
    Category.CONSTRUCTION: Department.ENGINEERING,
    Category.EQUIPMENT: Department.ENGINEERING,
    Category.FEES: Department.FINANCE,
    Category.COMPENSATION: Department.LEADERSHIP,
    Category.MANAGEMENT: Department.LEADERSHIP,
    Category.OTHER: Department.CUSTOMER_SERVICE,
}

# DOMAIN 1.5: compensation and complaints against the office's managers are major from the start.
MAJOR_CATEGORIES = frozenset({Category.COMPENSATION, Category.MANAGEMENT})


async def lead_department(uow: UnitOfWork, project_id: int | None, category: str) -> str:
    if project_id is not None:
        override = await uow.routing.override(project_id, category)
        if override is not None:
            return override.department
    return DEFAULT_ROUTES.get(Category(category), Department.CUSTOMER_SERVICE).value


async def set_override(uow: UnitOfWork, project_id: int, category: str, department: str) -> None:
    if category not in {c.value for c in Category}:
        raise ValueError(f"category must be one of {', '.join(c.value for c in Category)}")
    if department not in {d.value for d in Department}:
        raise ValueError(f"department must be one of {', '.join(d.value for d in Department)}")
    override = await uow.routing.override(project_id, category)
    if override is None:
        uow.routing.add(RoutingOverride(project_id=project_id, category=category, department=department))
    else:
        override.department = department
