"""Administration use cases behind `estatebot admin`: projects, staff and invitation codes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dialogs.phones import normalize_phone
from services.people.onboarding import issue_owner_code, issue_staff_code
from services.people.roles import Department, Role
from storage.models import Project, Staff
from storage.uow import UnitOfWork

REGIONS = ("CN", "HK", "MO", "TW")


class AdminError(ValueError):
    """A request the admin must correct; the message says how."""


async def add_project(uow: UnitOfWork, code: str, name: str, region: str, timezone: str, now: datetime) -> Project:
    if region not in REGIONS:
        raise AdminError(f"region must be one of {', '.join(REGIONS)}")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise AdminError(f"unknown time zone {timezone!r}") from None
    if await uow.projects.by_code(code):
        raise AdminError(f"project {code!r} exists already")
    project = Project(code=code, name=name, region=region, timezone=timezone, created_at=now)
    uow.projects.add(project)
    await uow.flush()
    return project


async def project_by_code(uow: UnitOfWork, code: str) -> Project:
    project = await uow.projects.by_code(code)
    if project is None:
        raise AdminError(f"unknown project {code!r}")
    return project


@dataclass(frozen=True)
class NewStaff:
    staff: Staff
    code: str


async def add_staff(
    uow: UnitOfWork, *, name: str, department: str, role: str, phone: str | None, project_code: str | None,
    now: datetime,
) -> NewStaff:
    """Create a staff record and the one-time code they bind their chat account with."""
    if department not in {d.value for d in Department}:
        raise AdminError(f"department must be one of {', '.join(d.value for d in Department)}")
    if role not in {r.value for r in Role}:
        raise AdminError(f"role must be one of {', '.join(r.value for r in Role)}")
    normalized = normalize_phone(phone) if phone else None
    if phone and normalized is None:
        raise AdminError(f"not a valid phone number: {phone!r}")
    project_id = (await project_by_code(uow, project_code)).id if project_code else None
    staff = Staff(name=name, phone=normalized, department=department, role=role, project_id=project_id,
                  active=True, created_at=now)
    uow.staff.add(staff)
    await uow.flush()
    return NewStaff(staff, await issue_staff_code(uow, staff.id, now))


async def deactivate_staff(uow: UnitOfWork, staff_id: int) -> Staff:
    staff = await uow.staff.get(staff_id)
    if staff is None:
        raise AdminError(f"no staff member {staff_id}")
    staff.active = False
    # Unbind at once: the chat account loses staff access with the next message.
    staff.telegram_user_id = None
    staff.chat_id = None
    return staff


async def new_staff_code(uow: UnitOfWork, staff_id: int, now: datetime) -> str:
    staff = await uow.staff.get(staff_id)
    if staff is None or not staff.active:
        raise AdminError(f"no active staff member {staff_id}")
    return await issue_staff_code(uow, staff.id, now)


async def new_owner_code(uow: UnitOfWork, phone: str, now: datetime) -> tuple[str, str]:
    normalized = normalize_phone(phone)
    owner = await uow.owners.by_phone(normalized) if normalized else None
    if owner is None:
        raise AdminError(f"no owner with phone {phone!r} in the roster")
    return owner.name, await issue_owner_code(uow, owner.id, now)
