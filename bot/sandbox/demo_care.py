"""The demo community's care calendar (DOMAIN 4.1, 4.3), seeded once: 张敏 is every demo owner's
customer specialist, the project has a delivery guide (a small PDF made here), and 赵磊 — not moved in
yet — subscribed two days before the demo's start for a unit handed over ten days after it, so the
web chat shows his welcome, 张敏's card, and his delivery notice with the guide on the first day."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.sandbox.demo import DEMO_PROJECT, OWNERS
from dialogs.phones import normalize_phone
from services.care.calendar_admin import add_document
from storage.uow import UnitOfWork

SPECIALIST = "张敏"
NEW_OWNER = "赵磊"
GUIDE_NAME = "交付指南 Delivery guide.pdf"


async def seed_demo_care(uow: UnitOfWork, now: datetime) -> bool:
    """True when seeded (the first time); the caller commits."""
    project = await uow.projects.by_code(DEMO_PROJECT)
    if project is None or await uow.care_calendar.documents(project.id):
        return False
    specialist = next((s for s in await uow.staff.all() if s.name == SPECIALIST), None)
    for name, phone, *_rest in OWNERS:
        owner = await uow.owners.by_phone(normalize_phone(phone) or phone)
        if owner is None:
            continue
        if specialist is not None:
            owner.specialist_id = specialist.id
        if name == NEW_OWNER:
            owner.subscription_date = now.date() - timedelta(days=2)
            for unit in await uow.units.units_of_owner(owner.id):
                unit.delivery_date = now.date() + timedelta(days=10)
    await add_document(uow, DEMO_PROJECT, GUIDE_NAME, guide_pdf(), now)
    return True


def guide_pdf() -> bytes:
    """A one-page PDF (Helvetica: the text is ASCII) with a valid cross-reference table."""
    lines = ["Hua Yuan - Delivery guide (demo)", "1. Bring your ID card, the purchase contract and receipts.",
             "2. Inspect the unit with our staff; note anything to repair.", "3. Receive the keys and the manuals."]
    stream = "BT /F1 14 Tf 72 760 Td 18 TL " + " ".join(f"({line}) '" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("ascii")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode("ascii")
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode("ascii")
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode("ascii")
    return bytes(out)
