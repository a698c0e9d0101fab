"""Departments and roles of staff (DOMAIN: people and roles), with their catalog labels."""

from __future__ import annotations

from enum import StrEnum

from dialogs.text import N_


class Department(StrEnum):
    CUSTOMER_SERVICE = "customer_service"  # 客户服务部
    QUALITY = "quality"  # 质管部
    ENGINEERING = "engineering"  # 工程部
    MATERIALS = "materials"  # 工程材料部
    FINANCE = "finance"  # 财务部
    REPAIR = "repair"  # 维修队
    OFFICE = "office"  # 管理处
    LEADERSHIP = "leadership"  # 公司领导
    BUILDER = "builder"  # 施工单位 representatives: countersign surveys of jobs over 500 yuan


class Role(StrEnum):
    MEMBER = "member"  # 客服专员 / department staff / 维修工
    LEAD = "lead"  # 维修队长 and other team leads
    MANAGER = "manager"  # 管理处经理 / 客户服务部经理 / department manager
    DEPUTY_CHIEF_ENGINEER = "deputy_chief_engineer"  # 副总工程师
    VICE_PRESIDENT = "vice_president"  # 公司分管领导 / 副总经理
    GENERAL_MANAGER = "general_manager"  # 总经理


DEPARTMENT_LABELS: dict[Department, str] = {
    Department.CUSTOMER_SERVICE: N_("Customer Service Department"),
    Department.QUALITY: N_("Quality Management Department"),
    Department.ENGINEERING: N_("Engineering Department"),
    Department.MATERIALS: N_("Engineering Materials Department"),
    Department.FINANCE: N_("Finance Department"),
    Department.REPAIR: N_("Repair Team"),
    Department.OFFICE: N_("Property Management Office"),
    Department.LEADERSHIP: N_("Company Leadership"),
    Department.BUILDER: N_("Builder (construction contractor)"),
}

ROLE_LABELS: dict[Role, str] = {
    Role.MEMBER: N_("Staff member"),
    Role.LEAD: N_("Team lead"),
    Role.MANAGER: N_("Manager"),
    Role.DEPUTY_CHIEF_ENGINEER: N_("Deputy Chief Engineer"),
    Role.VICE_PRESIDENT: N_("Vice President"),
    Role.GENERAL_MANAGER: N_("General Manager"),
}


# Managers and leadership: told of overdue deadlines and dissatisfied owners, and may act for a handler.
SUPERVISOR_ROLES = (Role.MANAGER, Role.VICE_PRESIDENT, Role.GENERAL_MANAGER)


def can_read_communication_log(department: str, role: str) -> bool:
    """Customer service receives and logs everything; supervisors and leadership may read it too."""
    return department in (Department.CUSTOMER_SERVICE, Department.OFFICE, Department.LEADERSHIP) or role in (
        Role.MANAGER,
        Role.VICE_PRESIDENT,
        Role.GENERAL_MANAGER,
    )
