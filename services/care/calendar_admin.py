"""What the administrator sets for the care calendar (``estatebot admin care specialist|document|occasion``):
each owner's customer specialist (DOMAIN 4.1), a project's delivery guides (DOMAIN 4.3), family
occasions to congratulate (DOMAIN 4.4). Errors are ``AdminError``: the admin's mistake, one line."""

from __future__ import annotations

from datetime import date, datetime

from dialogs.phones import normalize_phone
from services.people.admin import AdminError, project_by_code
from services.pushes import outbox
from storage.models import Owner, Staff
from storage.models.care import CareDocument, FamilyOccasion
from storage.uow import UnitOfWork

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024  # Telegram bots may upload up to 50 MB; a guide is far smaller
OCCASION_KINDS = ("wedding", "birth", "graduation", "other")
DELIVERY_GUIDE = "delivery_guide"


async def owner_by_phone(uow: UnitOfWork, phone: str) -> Owner:
    normalized = normalize_phone(phone)
    owner = await uow.owners.by_phone(normalized) if normalized else None
    if owner is None or owner.anonymised_at is not None:
        raise AdminError(f"no owner with phone {phone!r} in the roster")
    return owner


async def staff_by_phone(uow: UnitOfWork, phone: str) -> Staff:
    normalized = normalize_phone(phone)
    staff = await uow.care_calendar.staff_by_phone(normalized) if normalized else None
    if staff is None:
        raise AdminError(f"no active staff member with phone {phone!r}")
    return staff


async def set_specialist(uow: UnitOfWork, owner_phone: str, staff_phone: str | None) -> tuple[Owner, Staff | None]:
    """Assign (or, without ``staff_phone``, clear) an owner's customer specialist."""
    owner = await owner_by_phone(uow, owner_phone)
    staff = await staff_by_phone(uow, staff_phone) if staff_phone else None
    await uow.care_calendar.set_specialist(owner.id, staff.id if staff else None)
    return owner, staff


def document_kind(content: bytes) -> str:
    """What the bytes are, by their content: "PDF", "JPEG" or "PNG"; AdminError otherwise."""
    if content.startswith(b"%PDF-"):
        return "PDF"
    if content.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    raise AdminError("a delivery guide must be a PDF, JPEG or PNG file (checked by its content)")


async def add_document(uow: UnitOfWork, project_code: str, name: str, content: bytes, now: datetime) -> CareDocument:
    """Keep a delivery guide of a project; every delivery notice of the project attaches it."""
    project = await project_by_code(uow, project_code)
    if not content:
        raise AdminError("the file is empty")
    if len(content) > MAX_DOCUMENT_BYTES:
        raise AdminError(f"the file has {len(content)} bytes; at most {MAX_DOCUMENT_BYTES} (20 MB)")
    document_kind(content)
    name = name.strip()
    if not name or len(name) > 200:
        raise AdminError("a document name has 1 to 200 characters")
    media = await outbox.store_upload(uow, "document", name, content, now)
    document = CareDocument(project_id=project.id, kind=DELIVERY_GUIDE, file_id=int(media["upload"]), name=name,
                            added_at=now)
    uow.care_calendar.add_document(document)
    await uow.flush()
    return document


async def remove_document(uow: UnitOfWork, document_id: int, now: datetime) -> CareDocument:
    """No longer attached to new notices (the rows already written keep it)."""
    document = await uow.care_calendar.document(document_id)
    if document is None or document.removed_at is not None:
        raise AdminError(f"no document {document_id}")
    document.removed_at = now
    return document


async def add_occasion(uow: UnitOfWork, owner_phone: str, kind: str, on_date: date, note: str | None,
                       by: str, now: datetime) -> FamilyOccasion:
    if kind not in OCCASION_KINDS:
        raise AdminError(f"unknown occasion {kind!r}; one of {', '.join(OCCASION_KINDS)}")
    owner = await owner_by_phone(uow, owner_phone)
    occasion = FamilyOccasion(owner_id=owner.id, kind=kind, on_date=on_date, note=(note or "").strip() or None,
                              recorded_by=by[:100], recorded_at=now)
    uow.care_calendar.add_occasion(occasion)
    await uow.flush()
    return occasion


async def remove_occasion(uow: UnitOfWork, occasion_id: int) -> None:
    if not await uow.care_calendar.remove_occasion(occasion_id):
        raise AdminError(f"no occasion {occasion_id}")
