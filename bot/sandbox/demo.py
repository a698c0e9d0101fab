"""The sandbox's demo community: a project, buildings and units, a dozen owners with birthdays
and dates, and staff in every department — seeded once, through the same use cases as the CLI.

Owners and staff are bound to fixed sandbox user ids, so the web chat can act as any of them;
two owners are left unbound, to try linking by sharing the phone contact.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from dialogs.phones import display_phone
from services.people import admin
from services.people.project_names import set_name
from services.people.roster_import import import_roster
from storage.uow import UnitOfWork

DEMO_PROJECT = "HY"
DEMO_REGION = "CN"  # the demo project's working-day calendar
VISITOR_ID = 3001  # someone not on the roster

# name, phone, building, unit, birthday, move-in offset in days (None: not moved in), locale
OWNERS: list[tuple[str, str, str, str, str, int | None, str | None]] = [
    ("王芳", "13812340001", "1栋", "1201", "农历08-15", -400, None),
    ("李伟", "13812340002", "1栋", "1202", "1985-02-28", -900, None),
    ("张静", "13812340003", "1栋", "0801", "1990-06-18", -60, None),
    ("刘洋", "13812340004", "2栋", "0502", "农历闰04-01", -1200, None),
    ("陳大文", "+85291230005", "2栋", "0801", "1978-11-30", -500, "zh_Hant_HK"),
    ("林美玲", "0912340006", "2栋", "1501", "1982-03-12", -200, "zh_Hant_TW"),
    ("赵磊", "13812340007", "3栋", "0203", "1995-12-24", None, None),
    ("孙丽", "13812340008", "3栋", "0604", "农历01-01", -30, None),
    ("周强", "13812340009", "3栋", "1102", "1969-09-09", -2000, None),
    ("Emily Chen", "13812340010", "1栋", "1703", "1988-07-07", -100, "en"),
    ("吴敏", "13812340011", "2栋", "2001", "1992-05-20", None, None),  # not bound: share the contact
    ("郑浩", "13812340012", "3栋", "1401", "1987-10-01", -300, None),  # not bound: share the contact
]
UNBOUND = {"吴敏", "郑浩"}

# name, department, role
STAFF: list[tuple[str, str, str]] = [
    ("张敏", "customer_service", "member"),
    ("孙经理", "customer_service", "manager"),
    ("钱质检", "quality", "member"),
    ("周主管", "quality", "manager"),
    ("赵工", "engineering", "member"),
    ("冯材料", "materials", "member"),
    ("陈会计", "finance", "member"),
    ("马队长", "repair", "lead"),
    ("杨师傅", "repair", "member"),
    ("何经理", "office", "manager"),
    ("吴总", "leadership", "vice_president"),
    ("郑总", "leadership", "general_manager"),
    ("黄总工", "engineering", "deputy_chief_engineer"),
    ("林代表", "builder", "member"),
]


@dataclass(frozen=True)
class Persona:
    user_id: int
    name: str
    kind: str  # owner | staff | visitor
    detail: str  # unit, or department/role
    phone: str | None
    language_code: str


def owner_user_id(index: int) -> int:
    return 1001 + index


def staff_user_id(index: int) -> int:
    return 2001 + index


async def seed_demo(uow: UnitOfWork, now: datetime) -> bool:
    """Create the demo community unless it exists; True when it was created. The caller commits."""
    if await uow.projects.by_code(DEMO_PROJECT) is not None:
        return False
    project = await admin.add_project(uow, DEMO_PROJECT, "华苑", DEMO_REGION, "Asia/Shanghai", now)
    for reader, written in (("zh_Hant_HK", "華苑"), ("zh_Hant_TW", "華苑"), ("en", "Huayuan")):
        set_name(project, reader, written)  # as each reader writes it (reports, cards, file names)
    today = now.date()
    rows = []
    for name, phone, building, unit, birthday, moved, locale in OWNERS:
        rows.append({
            "project": DEMO_PROJECT, "building": building, "unit": unit, "name": name, "phone": phone,
            "birthday": birthday, "completion_date": "2023-06-30", "delivery_date": "2024-01-15",
            "subscription_date": (today - timedelta(days=760)).isoformat(),
            "contract_date": (today - timedelta(days=740)).isoformat(),
            "move_in_date": (today + timedelta(days=moved)).isoformat() if moved is not None else None,
            "locale": locale,
        })
    report = await import_roster(uow, rows, now)
    if not report.ok:
        raise ValueError(f"demo roster: {report.errors}")
    for index, (name, phone, *_rest) in enumerate(OWNERS):
        if name in UNBOUND:
            continue
        owner = await uow.owners.by_phone(_e164(phone))
        assert owner is not None
        owner.telegram_user_id = owner.chat_id = owner_user_id(index)
        owner.bound_at = now
    for index, (name, department, role) in enumerate(STAFF):
        new = await admin.add_staff(uow, name=name, department=department, role=role, phone=None,
                                    project_code=DEMO_PROJECT, now=now)
        new.staff.telegram_user_id = new.staff.chat_id = staff_user_id(index)
    return True


DEMO_CAMPAIGN = "2026年终客户满意度调查"
# Demo owners who said no on the consent form (the others said yes to every kind): 周强 wants no surveys.
DEMO_REFUSALS = {"周强": ("surveys",)}
# Demo owners who signed no consent form, so the questions can be seen: 吴敏 is asked after she links
# her chat; 张静 linked it before consent was asked, so the one-time question reaches her.
DEMO_UNDECIDED = ("吴敏", "张静")


async def seed_demo_consents(uow: UnitOfWork, now: datetime) -> bool:
    """The demo owners' consents as collected on paper when they bought (source ``admin``), once —
    so greetings, events and surveys reach them in the sandbox as they would reach owners who agreed;
    none for ``DEMO_UNDECIDED``. The caller commits."""
    from services.care.consent import WORDING, ConsentKind, Source, current, record
    from services.care.consent_ask import ASKED_AFTER_BINDING_SINCE

    first = await uow.owners.by_phone(_e164(OWNERS[0][1]))
    if first is None or any(value is not None for value in (await current(uow, first.id)).values()):
        return False
    for name, phone, *_rest in OWNERS:
        owner = await uow.owners.by_phone(_e164(phone))
        if owner is None:
            continue
        if name in DEMO_UNDECIDED:
            if owner.bound_at is not None:  # linked before consent was asked: the one-time question
                owner.bound_at = min(owner.bound_at, ASKED_AFTER_BINDING_SINCE - timedelta(days=30))
            continue
        for kind in ConsentKind:
            granted = kind.value not in DEMO_REFUSALS.get(name, ())
            await record(uow, owner.id, kind, granted, WORDING[kind], Source.ADMIN, now)
    return True


async def seed_demo_survey(uow: UnitOfWork, now: datetime) -> bool:
    """A draft year-end survey of the demo community, for 孙经理 (the customer-service manager) to
    start from /surveys — once, and only when the shipped questionnaire is installed. The caller commits."""
    from services.surveys import campaigns

    project = await uow.projects.by_code(DEMO_PROJECT)
    if project is None or await uow.survey_campaigns.listing(project.id, everything=False):
        return False
    if await uow.survey_templates.latest("satisfaction") is None:
        return False
    await campaigns.create(uow, kind="year_end", form_id="satisfaction", now=now, project=project,
                           name=DEMO_CAMPAIGN, expires_after_days=14)
    return True


def personas() -> list[Persona]:
    """Everyone the sandbox's web chat can be, in a stable order."""
    people = [
        Persona(owner_user_id(i), name, "owner", f"{building}-{unit}", display_phone(_e164(phone)),
                _language(locale))
        for i, (name, phone, building, unit, _birthday, _moved, locale) in enumerate(OWNERS)
    ]
    people += [Persona(staff_user_id(i), name, "staff", f"{department}/{role}", None, "zh-hans")
               for i, (name, department, role) in enumerate(STAFF)]
    people.append(Persona(VISITOR_ID, "访客", "visitor", "", "13700001234", "zh-hans"))
    return people


def _language(locale: str | None) -> str:
    return {"zh_Hant_HK": "zh-hk", "zh_Hant_TW": "zh-tw", "en": "en"}.get(locale or "", "zh-hans")


def _e164(phone: str) -> str:
    from dialogs.phones import normalize_phone

    normalized = normalize_phone(phone)
    assert normalized is not None, phone
    return normalized

