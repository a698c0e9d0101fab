"""Who is writing: a bound owner, active staff, or an unknown person."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from storage.uow import UnitOfWork


class Kind(StrEnum):
    OWNER = "owner"
    STAFF = "staff"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Identity:
    kind: Kind
    user_id: int
    owner_id: int | None = None
    staff_id: int | None = None
    name: str | None = None
    department: str | None = None
    role: str | None = None
    locale: str | None = None  # the locale stored on the roster record

    @property
    def is_owner(self) -> bool:
        return self.kind is Kind.OWNER

    @property
    def is_staff(self) -> bool:
        return self.kind is Kind.STAFF


async def resolve_identity(uow: UnitOfWork, user_id: int) -> Identity:
    rows = {row.kind: row for row in await uow.owners.who(user_id)}
    # Staff first: someone bound both ways works as staff (their role decides what they see).
    if (staff := rows.get("staff")) is not None:
        return Identity(Kind.STAFF, user_id, staff_id=staff.id, name=staff.name,
                        department=staff.department, role=staff.role, locale=staff.locale)
    if (owner := rows.get("owner")) is not None:
        if owner.blocked:
            await uow.owners.unblock(owner.id)  # they write to us again, so they unblocked the bot
        return Identity(Kind.OWNER, user_id, owner_id=owner.id, name=owner.name, locale=owner.locale)
    return Identity(Kind.UNKNOWN, user_id)
