"""Importing owners and units from CSV or XLSX: every row is validated first; a file with any
bad row imports nothing and yields a per-row report.

Headers may be English or the Chinese names used in the company's spreadsheets.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from dialogs.phones import normalize_phone
from services.common.csvfiles import read_csv_rows
from services.common.locale import SUPPORTED_LOCALES
from storage.models import Building, Owner, OwnerUnit, Unit
from storage.uow import UnitOfWork

COLUMNS: dict[str, tuple[str, ...]] = {
    "project": ("project", "project_code", "项目", "项目编码", "項目"),
    "building": ("building", "楼栋", "栋", "樓棟", "座"),
    "completion_date": ("completion_date", "竣工日期", "竣工验收日期", "竣工驗收日期"),
    "unit": ("unit", "room", "房号", "房號", "单元", "單位"),
    "delivery_date": ("delivery_date", "交付日期", "交楼日期", "交樓日期"),
    "name": ("name", "owner", "姓名", "业主姓名", "業主姓名", "业主", "業主"),
    "phone": ("phone", "mobile", "电话", "電話", "手机", "手機", "手机号", "联系电话", "聯絡電話"),
    "birthday": ("birthday", "生日", "出生日期"),
    "subscription_date": ("subscription_date", "认购日期", "認購日期"),
    "contract_date": ("contract_date", "签约日期", "簽約日期"),
    "move_in_date": ("move_in_date", "入住日期"),
    "locale": ("locale", "language", "语言", "語言"),
    "specialist": ("specialist", "客服专员", "專屬客服", "专属客服", "客服專員"),  # the staff member's phone
}
REQUIRED = ("project", "building", "unit", "name", "phone")
DATE_COLUMNS = ("completion_date", "delivery_date", "subscription_date", "contract_date", "move_in_date")


@dataclass(frozen=True)
class RowError:
    row: int  # the spreadsheet's row number (the header is row 1)
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, {self.column}: {self.message}"


@dataclass(frozen=True)
class Birthday:
    calendar: str  # "solar" | "lunar"
    month: int
    day: int
    year: int | None = None
    leap: bool = False


@dataclass(frozen=True)
class RosterRow:
    row: int
    project: str
    building: str
    unit: str
    name: str
    phone: str
    birthday: Birthday | None = None
    locale: str | None = None
    dates: Mapping[str, date | None] = field(default_factory=dict)
    specialist: str | None = None  # the customer specialist's phone (E.164)


@dataclass
class ImportReport:
    rows: int = 0
    owners_created: int = 0
    owners_updated: int = 0  # owners the file changed (name, dates, birthday, language)
    owners_unchanged: int = 0  # owners already on record exactly as the file has them
    units_updated: int = 0  # units or buildings whose delivery or completion date the file changed
    buildings_created: int = 0
    units_created: int = 0
    links_created: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


# ---------------------------------------------------------------- reading files


def _read_raw(path: Path) -> list[list[Any]]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix == ".csv":
        return _read_csv(path.read_bytes())
    raise ValueError(f"unsupported file type {path.suffix!r}: save the sheet as .xlsx or .csv")


def read_table(path: Path) -> list[dict[str, Any]]:
    """Rows as dicts keyed by canonical column name; unknown columns are ignored."""
    raw_rows = _read_raw(path)
    if not raw_rows:
        return []
    header = [_canonical(str(cell or "")) for cell in raw_rows[0]]
    return [
        {name: row[i] if i < len(row) else None for i, name in enumerate(header) if name}
        for row in raw_rows[1:]
    ]


def file_columns(path: Path) -> dict[str, str]:
    """The file's known columns: canonical name → its header as the file writes it ("phone" → "手机号")."""
    rows = _read_raw(path)
    columns: dict[str, str] = {}
    for cell in rows[0] if rows else []:
        name = _canonical(str(cell or ""))
        if name and name not in columns:
            columns[name] = str(cell).strip()
    return columns


def missing_columns(path: Path) -> list[str]:
    """The required columns the file lacks, named as its header would name them: "电话 (phone)" when
    the header is written in Chinese, "phone" otherwise."""
    columns = file_columns(path)
    chinese = any(not header.isascii() for header in columns.values())
    return [f"{_chinese_alias(column)} ({column})" if chinese else column
            for column in REQUIRED if column not in columns]


def _chinese_alias(column: str) -> str:
    return next(alias for alias in COLUMNS[column] if not alias.isascii())


def in_file_terms(errors: Iterable[RowError], columns: Mapping[str, str]) -> list[RowError]:
    """The errors with each column named by the file's own header (as the person reads the file)."""
    return [RowError(e.row, columns.get(e.column, e.column), e.message) for e in errors]


def _read_csv(data: bytes) -> list[list[Any]]:
    return list(read_csv_rows(data))


def _read_xlsx(path: Path) -> list[list[Any]]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise ValueError(f"{path.name} is not a readable .xlsx file ({exc})") from None
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _canonical(header: str) -> str | None:
    key = unicodedata.normalize("NFKC", header).strip().lower().replace(" ", "_")
    for name, aliases in COLUMNS.items():
        if key in aliases:
            return name
    return None


# ---------------------------------------------------------------- validation

_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_BIRTHDAY = re.compile(
    r"^(?P<lunar>农历|農曆|阴历|陰曆|lunar:?|L)?\s*(?P<leap>闰|閏|leap\s*)?"
    r"(?:(?P<y>\d{4})\s*[-/.年])?\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?$",
    re.IGNORECASE,
)


def parse_date_cell(value: Any) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = _DATE.match(unicodedata.normalize("NFKC", str(value)).strip())
    if not match:
        raise ValueError("not a date (use YYYY-MM-DD)")
    return date(int(match[1]), int(match[2]), int(match[3]))


def parse_birthday(value: Any) -> Birthday | None:
    """Solar ``1980-05-03`` / ``05-03``; lunar ``农历03-15``, ``农历闰04-01``, ``L1980-03-15``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime | date):
        day = value.date() if isinstance(value, datetime) else value
        return Birthday("solar", day.month, day.day, day.year)
    match = _BIRTHDAY.match(unicodedata.normalize("NFKC", str(value)).strip())
    if not match:
        raise ValueError("not a birthday (e.g. 1980-05-03, or 农历03-15, 农历闰04-01)")
    lunar = bool(match["lunar"])
    year = int(match["y"]) if match["y"] else None
    month, day_of_month = int(match["m"]), int(match["d"])
    leap = bool(match["leap"])
    if leap and not lunar:
        raise ValueError("only a lunar birthday can be in a leap month")
    if lunar:
        if not (1 <= month <= 12 and 1 <= day_of_month <= 30):
            raise ValueError("a lunar month is 1-12 and a lunar day 1-30")
    else:
        date(year or 2000, month, day_of_month)  # 2000 is a leap year: 29 Feb stays valid
    return Birthday("lunar" if lunar else "solar", month, day_of_month, year, leap)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # spreadsheets store 1203 as 1203.0
    return unicodedata.normalize("NFKC", str(value)).strip()


def validate_rows(rows: Iterable[Mapping[str, Any]], known_projects: set[str]) -> tuple[list[RosterRow], list[RowError]]:
    valid: list[RosterRow] = []
    errors: list[RowError] = []
    names_by_phone: dict[str, tuple[str, int]] = {}
    for index, raw in enumerate(rows, start=2):
        if all(_text(value) == "" for value in raw.values()):
            continue  # blank line
        row_errors: list[RowError] = []
        values = {key: _text(raw.get(key)) for key in COLUMNS}
        for column in REQUIRED:
            if not values[column]:
                row_errors.append(RowError(index, column, "required"))
        if values["project"] and values["project"] not in known_projects:
            row_errors.append(RowError(index, "project", f"unknown project {values['project']!r}"))
        if len(values["name"]) > 100:
            row_errors.append(RowError(index, "name", "longer than 100 characters"))
        if len(values["building"]) > 100 or len(values["unit"]) > 50:
            row_errors.append(RowError(index, "unit", "building or unit name too long"))
        phone = normalize_phone(values["phone"]) if values["phone"] else None
        if values["phone"] and phone is None:
            row_errors.append(RowError(index, "phone", f"not a valid CN/HK/MO/TW number: {values['phone']!r}"))
        dates: dict[str, date | None] = {}
        for column in DATE_COLUMNS:
            try:
                dates[column] = parse_date_cell(raw.get(column))
            except ValueError as exc:
                row_errors.append(RowError(index, column, str(exc)))
        birthday = None
        try:
            birthday = parse_birthday(raw.get("birthday"))
        except ValueError as exc:
            row_errors.append(RowError(index, "birthday", str(exc)))
        locale = values["locale"] or None
        if locale and locale not in SUPPORTED_LOCALES:
            row_errors.append(RowError(index, "locale", f"one of {', '.join(SUPPORTED_LOCALES)}"))
        specialist = normalize_phone(values["specialist"]) if values["specialist"] else None
        if values["specialist"] and specialist is None:
            row_errors.append(RowError(index, "specialist", f"not a valid phone number: {values['specialist']!r}"))
        if phone:
            seen = names_by_phone.get(phone)
            if seen and seen[0] != values["name"]:
                row_errors.append(RowError(index, "phone", f"also given to {seen[0]!r} on row {seen[1]}"))
            else:
                names_by_phone.setdefault(phone, (values["name"], index))
        if row_errors:
            errors.extend(row_errors)
            continue
        assert phone is not None
        valid.append(
            RosterRow(index, values["project"], values["building"], values["unit"], values["name"], phone,
                      birthday, locale, dates, specialist)
        )
    return valid, errors


# ---------------------------------------------------------------- import


async def import_roster(uow: UnitOfWork, rows: Iterable[Mapping[str, Any]], now: datetime) -> ImportReport:
    """Validate all rows, then write them in the caller's unit of work (the caller commits)."""
    projects = {p.code: p for p in await uow.projects.all()}
    valid, errors = validate_rows(rows, set(projects))
    report = ImportReport(rows=len(valid) + len({e.row for e in errors}), errors=errors)
    specialists: dict[str, int] = {}
    for row in valid:  # the specialist is a staff member already on record (DOMAIN 4.1)
        if row.specialist and row.specialist not in specialists:
            staff = await uow.care_calendar.staff_by_phone(row.specialist)
            if staff is None:
                errors.append(RowError(row.row, "specialist", f"no active staff member with phone {row.specialist}"))
            else:
                specialists[row.specialist] = staff.id
    if errors:
        return report
    created: set[int] = set()
    seen: set[int] = set()  # owners already on record that the file lists
    updated: set[int] = set()  # … of which the file changed something
    new_buildings: set[int] = set()
    new_units: set[int] = set()
    for row in valid:
        project = projects[row.project]
        building = await uow.units.building(project.id, row.building)
        if building is None:
            building = Building(project_id=project.id, name=row.building)
            uow.units.add(building)
            await uow.flush()
            new_buildings.add(building.id)
            report.buildings_created += 1
        if row.dates.get("completion_date") and building.completion_date != row.dates["completion_date"]:
            if building.id not in new_buildings:
                report.units_updated += 1
            building.completion_date = row.dates["completion_date"]
        unit = await uow.units.unit(building.id, row.unit)
        if unit is None:
            unit = Unit(building_id=building.id, number=row.unit)
            uow.units.add(unit)
            await uow.flush()
            new_units.add(unit.id)
            report.units_created += 1
        if row.dates.get("delivery_date") and unit.delivery_date != row.dates["delivery_date"]:
            if unit.id not in new_units:
                report.units_updated += 1
            unit.delivery_date = row.dates["delivery_date"]
        owner = await uow.owners.by_phone(row.phone)
        if owner is None:
            owner = Owner(name=row.name, phone=row.phone, created_at=now, birthday_leap=False, blocked=False)
            uow.owners.add(owner)
            await uow.flush()
            created.add(owner.id)
        elif owner.id not in created:
            seen.add(owner.id)
        before = _owner_fields(owner)
        owner.name = row.name
        for column in ("subscription_date", "contract_date", "move_in_date"):
            if row.dates.get(column):
                setattr(owner, column, row.dates[column])
        if row.birthday:
            owner.birthday_calendar = row.birthday.calendar
            owner.birthday_year = row.birthday.year
            owner.birthday_month = row.birthday.month
            owner.birthday_day = row.birthday.day
            owner.birthday_leap = row.birthday.leap
        if row.locale:
            owner.locale = row.locale
        if row.specialist:
            owner.specialist_id = specialists[row.specialist]
        if owner.id in seen and _owner_fields(owner) != before:
            updated.add(owner.id)
        linked = {link.unit_id for link in await uow.owners.links(owner.id)}
        if unit.id not in linked:
            uow.units.add(OwnerUnit(owner_id=owner.id, unit_id=unit.id))
            await uow.flush()
            report.links_created += 1
    report.owners_created, report.owners_updated = len(created), len(updated)
    report.owners_unchanged = len(seen - updated)
    return report


_OWNER_FIELDS = ("name", "subscription_date", "contract_date", "move_in_date", "birthday_calendar", "birthday_year",
                 "birthday_month", "birthday_day", "birthday_leap", "locale", "specialist_id")


def _owner_fields(owner: Owner) -> tuple[object, ...]:
    """What a roster row can change on an owner: an import that changes none of it updated nothing."""
    return tuple(getattr(owner, name) for name in _OWNER_FIELDS)
