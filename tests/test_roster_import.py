"""Roster import: validation, reading CSV/XLSX files, writing to both databases, and the admin CLI."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.cli import main
from services.people import admin
from services.people.onboarding import CODE_ALPHABET, CODE_LENGTH, hash_code
from services.people.roster_import import (
    Birthday,
    ImportReport,
    RowError,
    import_roster,
    missing_columns,
    parse_birthday,
    parse_date_cell,
    read_table,
    validate_rows,
)
from storage.models import Base, Building, InvitationCode, Owner, OwnerUnit, Staff, Unit
from storage.uow import UnitOfWork
from tests.conftest import NOW

UowFactory = Callable[[], UnitOfWork]
PROJECT_ROOT = Path(__file__).resolve().parent.parent
CHINESE_HEADER = "项目,楼栋,房号,交付日期,姓名,手机,生日"

GOOD_ROWS: list[dict[str, Any]] = [
    {"project": "HY", "building": "1栋", "completion_date": "2023-06-30", "unit": "1201",
     "delivery_date": "2024-01-15", "name": "王芳", "phone": "138 1234 1234", "birthday": "农历闰04-01",
     "contract_date": "2023/01/10", "move_in_date": "2024年3月1日"},
    {"project": "HY", "building": "1栋", "unit": "1202", "delivery_date": "2024-01-15", "name": "李伟",
     "phone": "139-0000-1111", "birthday": "1985-02-28"},
    {"project": "HY", "building": "2栋", "unit": "0801", "delivery_date": "2024-05-20", "name": "李伟",
     "phone": "+86 13900001111", "birthday": ""},
    {"project": "HY", "building": "2栋", "unit": "0802", "name": "陳大文", "phone": "+852 9123 4567",
     "locale": "zh_Hant_HK"},
]


def _row(**values: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"project": "HY", "building": "1栋", "unit": "1201", "name": "王芳",
                           "phone": "13812341234"}
    row.update(values)
    return row


# ---------------------------------------------------------------- parsing cells


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1980-05-03", Birthday("solar", 5, 3, 1980)),
        ("05-03", Birthday("solar", 5, 3)),
        ("1980/5/3", Birthday("solar", 5, 3, 1980)),
        ("1980年5月3日", Birthday("solar", 5, 3, 1980)),
        ("02-29", Birthday("solar", 2, 29)),
        ("1980-02-29", Birthday("solar", 2, 29, 1980)),
        ("农历03-15", Birthday("lunar", 3, 15)),
        ("農曆3月15日", Birthday("lunar", 3, 15)),
        ("农历闰04-01", Birthday("lunar", 4, 1, None, leap=True)),
        ("L1980-03-15", Birthday("lunar", 3, 15, 1980)),
        ("lunar:03-30", Birthday("lunar", 3, 30)),
        ("  农历 12-01 ", Birthday("lunar", 12, 1)),
    ],
)
def test_parse_birthday_accepts(text: str, expected: Birthday) -> None:
    assert parse_birthday(text) == expected


@pytest.mark.parametrize(
    "text",
    ["农历13-01", "农历00-10", "农历03-31", "1980-02-30", "1981-02-29", "02-30", "13-01", "闰04-01",
     "leap 04-01", "birthday", "1980-05", "12345"],
)
def test_parse_birthday_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_birthday(text)


def test_parse_birthday_blank_and_date_cells() -> None:
    assert parse_birthday(None) is None
    assert parse_birthday("  ") is None
    assert parse_birthday(date(1980, 5, 3)) == Birthday("solar", 5, 3, 1980)
    assert parse_birthday(datetime(1980, 5, 3, 0, 0)) == Birthday("solar", 5, 3, 1980)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-01-15", date(2024, 1, 15)),
        ("2024/01/15", date(2024, 1, 15)),
        ("2024/1/5", date(2024, 1, 5)),
        ("2024.01.15", date(2024, 1, 15)),
        ("2024年1月15日", date(2024, 1, 15)),
        ("２０２４－０１－１５", date(2024, 1, 15)),  # full-width, as typed with a Chinese input method
        (" 2024-01-15 ", date(2024, 1, 15)),
        (date(2024, 1, 15), date(2024, 1, 15)),
        (datetime(2024, 1, 15, 13, 30), date(2024, 1, 15)),
        (None, None),
        ("", None),
        ("   ", None),
    ],
)
def test_parse_date_cell_accepts(value: Any, expected: date | None) -> None:
    assert parse_date_cell(value) == expected


@pytest.mark.parametrize("value", ["garbage", "15/01/2024", "2024-13-01", "2024-02-30", "2024-01", "20240115", 45306])
def test_parse_date_cell_refuses(value: Any) -> None:
    with pytest.raises(ValueError):
        parse_date_cell(value)


# ---------------------------------------------------------------- validating rows


def test_validate_rows_accepts_good_rows_and_normalises() -> None:
    valid, errors = validate_rows(GOOD_ROWS, {"HY"})
    assert errors == []
    assert [row.row for row in valid] == [2, 3, 4, 5]
    first = valid[0]
    assert (first.project, first.building, first.unit, first.name) == ("HY", "1栋", "1201", "王芳")
    assert first.phone == "+8613812341234"
    assert first.birthday == Birthday("lunar", 4, 1, None, leap=True)
    assert first.dates["completion_date"] == date(2023, 6, 30)
    assert first.dates["contract_date"] == date(2023, 1, 10)
    assert first.dates["move_in_date"] == date(2024, 3, 1)
    assert first.dates["subscription_date"] is None
    assert [row.phone for row in valid[1:]] == ["+8613900001111", "+8613900001111", "+85291234567"]
    assert valid[2].birthday is None
    assert valid[3].locale == "zh_Hant_HK"


def test_validate_rows_report_positions() -> None:
    rows = [
        _row(),
        _row(unit="1202", phone="12345"),
        {"project": "", "building": None, "unit": "", "name": "", "phone": ""},  # blank line
        _row(unit="1203", project="XX", birthday="农历13-01", name="  ", phone="13700001111"),
        _row(unit="1204", name="李伟", phone="13900001111", delivery_date="2024-02-30", locale="fr"),
    ]
    valid, errors = validate_rows(rows, {"HY"})
    assert [row.row for row in valid] == [2]
    assert sorted((error.row, error.column) for error in errors) == [
        (3, "phone"),
        (5, "birthday"),
        (5, "name"),
        (5, "project"),
        (6, "delivery_date"),
        (6, "locale"),
    ]
    by_place = {(error.row, error.column): error for error in errors}
    assert by_place[(5, "name")].message == "required"
    assert "unknown project 'XX'" in by_place[(5, "project")].message
    assert str(by_place[(3, "phone")]).startswith("row 3, phone: ")


def test_validate_rows_missing_required_columns() -> None:
    _, errors = validate_rows([{"project": "HY", "name": "王芳"}], {"HY"})
    assert sorted(error.column for error in errors) == ["building", "phone", "unit"]
    assert all(error == RowError(2, error.column, "required") for error in errors)


def test_validate_rows_same_phone_for_two_names() -> None:
    rows = [_row(), _row(unit="1202"), _row(unit="1203", name="张三", phone="+86 138-1234-1234")]
    valid, errors = validate_rows(rows, {"HY"})
    assert [row.row for row in valid] == [2, 3]  # the same owner with two units is fine
    assert len(errors) == 1
    assert (errors[0].row, errors[0].column) == (4, "phone")
    assert "王芳" in errors[0].message and "row 2" in errors[0].message


def test_validate_rows_numbers_from_spreadsheets() -> None:
    valid, errors = validate_rows([_row(unit=1201.0, phone=13812341234, building=3)], {"HY"})
    assert errors == []
    assert (valid[0].unit, valid[0].phone, valid[0].building) == ("1201", "+8613812341234", "3")


def test_validate_rows_field_lengths() -> None:
    _, errors = validate_rows([_row(name="名" * 101), _row(unit="9" * 51, name="李伟", phone="13900001111")], {"HY"})
    assert sorted((error.row, error.column) for error in errors) == [(2, "name"), (3, "unit")]


# ---------------------------------------------------------------- reading files


def _csv(path: Path, lines: list[str], encoding: str = "utf-8-sig") -> Path:
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def test_read_csv_utf8_with_bom_and_chinese_headers(tmp_path: Path) -> None:
    path = _csv(tmp_path / "roster.csv", [
        CHINESE_HEADER + ",备注",
        "HY,1栋,1201,2024-01-15,王芳,13812341234,农历08-15,VIP",
        "HY,1栋,1202,,李伟,139 0000 1111,,",
    ])
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = read_table(path)
    assert rows == [
        {"project": "HY", "building": "1栋", "unit": "1201", "delivery_date": "2024-01-15", "name": "王芳",
         "phone": "13812341234", "birthday": "农历08-15"},
        {"project": "HY", "building": "1栋", "unit": "1202", "delivery_date": "", "name": "李伟",
         "phone": "139 0000 1111", "birthday": ""},
    ]
    valid, errors = validate_rows(rows, {"HY"})
    assert errors == [] and len(valid) == 2


def test_read_csv_gb18030(tmp_path: Path) -> None:
    path = _csv(tmp_path / "roster.csv", [
        "項目,樓棟,房號,交樓日期,業主姓名,電話,出生日期",
        "HY,2栋,0801,2024/05/20,陳大文,+852 9123 4567,1980年5月3日",
    ], encoding="gb18030")
    raw = path.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    rows = read_table(path)
    assert rows == [
        {"project": "HY", "building": "2栋", "unit": "0801", "delivery_date": "2024/05/20", "name": "陳大文",
         "phone": "+852 9123 4567", "birthday": "1980年5月3日"},
    ]
    valid, errors = validate_rows(rows, {"HY"})
    assert errors == []
    assert valid[0].dates["delivery_date"] == date(2024, 5, 20)
    assert valid[0].birthday == Birthday("solar", 5, 3, 1980)


def test_read_xlsx_with_date_and_number_cells(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["项目", "楼栋", "竣工日期", "房号", "交付日期", "姓名", "手机", "生日"])
    sheet.append(["HY", "1栋", date(2023, 6, 30), 1201, date(2024, 1, 15), "王芳", 13812341234, "农历闰04-01"])
    sheet.append(["HY", "1栋", None, 1202.0, datetime(2024, 1, 16), "李伟", "13900001111", date(1985, 2, 28)])
    path = tmp_path / "roster.xlsx"
    workbook.save(path)

    rows = read_table(path)
    assert len(rows) == 2
    assert rows[0]["unit"] == 1201
    assert isinstance(rows[0]["delivery_date"], date)
    valid, errors = validate_rows(rows, {"HY"})
    assert errors == []
    assert [row.unit for row in valid] == ["1201", "1202"]
    assert [row.phone for row in valid] == ["+8613812341234", "+8613900001111"]
    assert valid[0].dates["completion_date"] == date(2023, 6, 30)
    assert valid[0].dates["delivery_date"] == date(2024, 1, 15)
    assert valid[1].dates["delivery_date"] == date(2024, 1, 16)
    assert valid[0].birthday == Birthday("lunar", 4, 1, None, leap=True)
    assert valid[1].birthday == Birthday("solar", 2, 28, 1985)


def test_read_table_refuses_other_files(tmp_path: Path) -> None:
    path = tmp_path / "roster.txt"
    path.write_text("x")
    with pytest.raises(ValueError, match="unsupported"):
        read_table(path)


# ---------------------------------------------------------------- importing into the database


async def _add_project(uow_factory: UowFactory) -> None:
    async with uow_factory() as uow:
        await admin.add_project(uow, "HY", "华苑", "CN", "Asia/Shanghai", NOW)
        await uow.commit()


async def _import(uow_factory: UowFactory, rows: Iterable[Mapping[str, Any]]) -> ImportReport:
    async with uow_factory() as uow:
        report = await import_roster(uow, rows, NOW)
        await uow.commit()  # even when the report is not ok: the import itself must have written nothing
        return report


async def _counts(uow_factory: UowFactory) -> dict[str, int]:
    async with uow_factory() as uow:
        counts: dict[str, int] = {}
        for model in (Owner, Building, Unit, OwnerUnit):
            counts[model.__tablename__] = (await uow.session.scalar(select(func.count()).select_from(model))) or 0
        return counts


async def test_import_good_rows(uow_factory: UowFactory) -> None:
    await _add_project(uow_factory)
    report = await _import(uow_factory, GOOD_ROWS)
    assert report.ok, report.errors
    assert (report.rows, report.owners_created, report.owners_updated) == (4, 3, 0)
    assert (report.buildings_created, report.units_created, report.links_created) == (2, 4, 4)
    assert await _counts(uow_factory) == {"owners": 3, "buildings": 2, "units": 4, "owner_units": 4}

    async with uow_factory() as uow:
        wang = await uow.owners.by_phone("+8613812341234")
        assert wang is not None
        assert wang.name == "王芳"
        assert (wang.birthday_calendar, wang.birthday_year, wang.birthday_month, wang.birthday_day) == (
            "lunar", None, 4, 1)
        assert wang.birthday_leap is True
        assert wang.contract_date == date(2023, 1, 10)
        assert wang.move_in_date == date(2024, 3, 1)
        assert wang.subscription_date is None
        assert wang.created_at == NOW
        assert wang.telegram_user_id is None and wang.blocked is False and wang.locale is None
        [unit] = await uow.units.units_of_owner(wang.id)
        assert (unit.number, unit.delivery_date) == ("1201", date(2024, 1, 15))
        assert unit.building.name == "1栋" and unit.building.completion_date == date(2023, 6, 30)
        assert unit.building.project.code == "HY"

        li = await uow.owners.by_phone("+8613900001111")
        assert li is not None
        assert (li.birthday_calendar, li.birthday_year, li.birthday_month, li.birthday_day, li.birthday_leap) == (
            "solar", 1985, 2, 28, False)
        units = await uow.units.units_of_owner(li.id)
        assert [(u.building.name, u.number, u.delivery_date) for u in units] == [
            ("1栋", "1202", date(2024, 1, 15)), ("2栋", "0801", date(2024, 5, 20))]
        assert units[1].building.completion_date is None

        chan = await uow.owners.by_phone("+85291234567")
        assert chan is not None
        assert chan.locale == "zh_Hant_HK" and chan.birthday_calendar is None and chan.birthday_leap is False
        [unit] = await uow.units.units_of_owner(chan.id)
        assert (unit.number, unit.delivery_date) == ("0802", None)


async def test_import_twice_is_idempotent(uow_factory: UowFactory) -> None:
    await _add_project(uow_factory)
    first = await _import(uow_factory, GOOD_ROWS)
    assert first.ok
    before = await _counts(uow_factory)
    second = await _import(uow_factory, GOOD_ROWS)
    assert second.ok, second.errors
    assert (second.rows, second.owners_created, second.owners_updated, second.owners_unchanged) == (4, 0, 0, 3)
    assert second.units_updated == 0
    assert (second.buildings_created, second.units_created, second.links_created) == (0, 0, 0)
    assert await _counts(uow_factory) == before == {"owners": 3, "buildings": 2, "units": 4, "owner_units": 4}


async def test_reimport_updates_owner_and_adds_links(uow_factory: UowFactory) -> None:
    await _add_project(uow_factory)
    assert (await _import(uow_factory, GOOD_ROWS)).ok
    rows = [
        _row(name="王芳芳", birthday="1980-05-03", delivery_date="2024-02-01"),  # corrected name and dates
        _row(unit="1203", name="王芳芳"),  # a second unit for the same owner
    ]
    report = await _import(uow_factory, rows)
    assert report.ok, report.errors
    assert (report.owners_created, report.owners_updated, report.units_created, report.links_created) == (0, 1, 1, 1)
    assert (report.owners_unchanged, report.units_updated) == (0, 1)  # 1201's delivery date
    async with uow_factory() as uow:
        wang = await uow.owners.by_phone("+8613812341234")
        assert wang is not None
        assert wang.name == "王芳芳"
        assert (wang.birthday_calendar, wang.birthday_year, wang.birthday_leap) == ("solar", 1980, False)
        assert wang.contract_date == date(2023, 1, 10)  # blank cells keep what was there
        units = await uow.units.units_of_owner(wang.id)
        assert [(u.number, u.delivery_date) for u in units] == [("1201", date(2024, 2, 1)), ("1203", None)]
    assert await _counts(uow_factory) == {"owners": 3, "buildings": 2, "units": 5, "owner_units": 5}


async def test_a_bad_row_imports_nothing(uow_factory: UowFactory, tmp_path: Path) -> None:
    await _add_project(uow_factory)
    path = _csv(tmp_path / "roster.csv", [
        CHINESE_HEADER,
        "HY,1栋,1201,2024-01-15,王芳,13812341234,农历08-15",
        "HY,1栋,1202,2024-01-15,李伟,1390000,",
        "",
        "HY,2栋,0801,2024-13-01,李伟,13900001111,农历闰13-01",
        "HY,2栋,0802,,陳大文,+852 9123 4567,",
    ])
    report = await _import(uow_factory, read_table(path))
    assert not report.ok
    assert report.rows == 4
    assert sorted((error.row, error.column) for error in report.errors) == [
        (3, "phone"),
        (5, "birthday"),
        (5, "delivery_date"),
    ]
    assert (report.owners_created, report.buildings_created, report.units_created, report.links_created) == (0,) * 4
    assert await _counts(uow_factory) == {"owners": 0, "buildings": 0, "units": 0, "owner_units": 0}


async def test_same_phone_for_two_names_is_reported(uow_factory: UowFactory) -> None:
    await _add_project(uow_factory)
    report = await _import(uow_factory, [_row(), _row(unit="1202", name="张三")])
    assert [(error.row, error.column) for error in report.errors] == [(3, "phone")]
    assert "'王芳'" in report.errors[0].message
    assert (await _counts(uow_factory))["owners"] == 0


async def test_unknown_project_is_reported(uow_factory: UowFactory) -> None:
    await _add_project(uow_factory)
    report = await _import(uow_factory, [_row(), _row(project="XY", unit="1202", name="李伟", phone="13900001111")])
    assert report.errors == [RowError(3, "project", "unknown project 'XY'")]
    assert (await _counts(uow_factory))["owners"] == 0


async def test_import_without_any_project(uow_factory: UowFactory) -> None:
    report = await _import(uow_factory, [_row()])
    assert [(error.row, error.column) for error in report.errors] == [(2, "project")]


# ---------------------------------------------------------------- the admin command line

CODE = re.compile(rf"code(?: for [^:]+)?: ([{CODE_ALPHABET}]{{{CODE_LENGTH}}})\b")


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sqlite_template: Path) -> Path:
    """A migrated database (a copy of the template): admin commands do not migrate, `admin migrate` does."""
    path = tmp_path / "cli" / "estatebot.db"
    path.parent.mkdir()
    shutil.copy(sqlite_template, path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.chdir(tmp_path)  # no stray .env
    return path


def _sqlite_rows(path: Path, query: str) -> list[tuple[Any, ...]]:
    import sqlite3

    connection = sqlite3.connect(path)
    try:
        return connection.execute(query).fetchall()
    finally:
        connection.close()


def _count(path: Path, model: type[Base]) -> int:
    [(count,)] = _sqlite_rows(path, f"SELECT count(*) FROM {model.__tablename__}")
    return int(count)


def _good_csv(path: Path) -> Path:
    return _csv(path, [
        CHINESE_HEADER,
        "HY,1栋,1201,2024-01-15,王芳,13812341234,农历08-15",
        "HY,1栋,1202,2024-01-15,李伟,139 0000 1111,1985-02-28",
        "HY,2栋,0801,2024-05-20,李伟,13900001111,",
    ])


def test_cli_import(cli_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["admin", "project", "add", "HY", "华苑"]) == 0
    assert "project HY (华苑) added" in capsys.readouterr().out

    bad = _csv(tmp_path / "bad.csv", [
        CHINESE_HEADER,
        "HY,1栋,1201,2024-01-15,王芳,13812341234,",
        "HY,1栋,1202,2024-02-30,李伟,139 0000 1111,",
        "XX,1栋,1203,,张三,13700001111,农历13-01",
    ])
    assert main(["admin", "import", str(bad)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "nothing was imported" in err
    assert "row 3, 交付日期:" in err  # the file's own header names the column (issue 12, item 23)
    assert "row 4, 项目: unknown project 'XX'" in err
    assert "row 4, 生日:" in err
    assert "row 2" not in err
    assert _count(cli_db, Owner) == 0

    good = _good_csv(tmp_path / "good.csv")
    assert main(["admin", "import", "--dry-run", str(good)]) == 0
    out, _ = capsys.readouterr()
    assert "would import 3 rows: 2 new owners" in out
    assert _count(cli_db, Owner) == 0 and _count(cli_db, Unit) == 0

    assert main(["admin", "import", str(good)]) == 0
    out, _ = capsys.readouterr()
    assert ("imported 3 rows: 2 new owners, 0 updated, 0 unchanged, 2 new buildings, 3 new units, "
            "3 owner-unit links") in out
    assert (_count(cli_db, Owner), _count(cli_db, Building), _count(cli_db, Unit), _count(cli_db, OwnerUnit)) == (
        2, 2, 3, 3)
    assert sorted(_sqlite_rows(cli_db, "SELECT phone, name FROM owners")) == [
        ("+8613812341234", "王芳"), ("+8613900001111", "李伟")]

    assert main(["admin", "import", str(good)]) == 0  # the same file again: nothing changed (issue 12, item 23)
    assert capsys.readouterr().out == (
        "imported 3 rows: 0 new owners, 0 updated, 2 unchanged, 0 new buildings, 0 new units, 0 owner-unit links\n")
    assert _count(cli_db, Owner) == 2

    assert main(["admin", "import", str(tmp_path / "missing.csv")]) == 1
    assert "no such file" in capsys.readouterr().err
    no_phone = _csv(tmp_path / "no_phone.csv", ["项目,楼栋,房号,姓名", "HY,1栋,1201,王芳"])
    assert main(["admin", "import", str(no_phone)]) == 1
    assert "missing columns: 电话 (phone)" in capsys.readouterr().err  # named as the file's header would


def test_cli_staff_and_invitations(cli_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["admin", "project", "add", "HY", "华苑"]) == 0
    assert main(["admin", "staff", "add", "--name", "张敏", "--department", "customer_service"]) == 0
    out, _ = capsys.readouterr()
    assert "staff 1 张敏 (customer_service/member) added" in out
    match = CODE.search(out)
    assert match, out
    [(code_hash, kind, staff_id)] = _sqlite_rows(cli_db, "SELECT code_hash, kind, staff_id FROM invitation_codes")
    assert (code_hash, kind, staff_id) == (hash_code(match[1]), "staff", 1)

    assert main(["admin", "staff", "add", "--name", "赵工", "--department", "engineering", "--role", "lead",
                 "--phone", "13600000001", "--project", "HY"]) == 0
    capsys.readouterr()
    assert main(["admin", "staff", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == ["1\t张敏\tcustomer_service\tmember\tactive\tnot bound",
                     "2\t赵工\tengineering\tlead\tactive\tnot bound"]

    assert main(["admin", "staff", "deactivate", "1"]) == 0
    assert "staff 1 张敏 deactivated" in capsys.readouterr().out
    assert main(["admin", "staff", "list"]) == 0
    assert "1\t张敏\tcustomer_service\tmember\tinactive\tnot bound" in capsys.readouterr().out.splitlines()
    assert main(["admin", "staff", "code", "1"]) == 1
    assert "error: no active staff member 1" in capsys.readouterr().err
    assert main(["admin", "staff", "code", "2"]) == 0
    assert CODE.search(capsys.readouterr().out)
    assert main(["admin", "staff", "deactivate", "99"]) == 1
    assert "error: no staff member 99" in capsys.readouterr().err

    assert main(["admin", "staff", "add", "--name", "钱七", "--department", "sales"]) == 1
    out, err = capsys.readouterr()
    assert "error: department must be one of customer_service" in err
    assert out == ""
    assert main(["admin", "staff", "add", "--name", "钱七", "--department", "quality", "--role", "boss"]) == 1
    assert "error: role must be one of" in capsys.readouterr().err
    assert main(["admin", "staff", "add", "--name", "钱七", "--department", "quality", "--project", "XX"]) == 1
    assert "error: unknown project 'XX'" in capsys.readouterr().err
    assert _count(cli_db, Staff) == 2

    assert main(["admin", "invite", "--phone", "13812341234"]) == 1
    assert "error: no owner with phone '13812341234'" in capsys.readouterr().err
    assert main(["admin", "import", str(_good_csv(tmp_path / "good.csv"))]) == 0
    capsys.readouterr()
    assert main(["admin", "invite", "--phone", "13812341234"]) == 0
    out = capsys.readouterr().out
    match = CODE.search(out)
    assert match, out
    assert out.startswith("invitation code for 王芳: ")
    hashes = [row[0] for row in _sqlite_rows(cli_db, "SELECT code_hash FROM invitation_codes WHERE kind = 'owner'")]
    assert hashes == [hash_code(match[1])]
    assert _count(cli_db, InvitationCode) == 4  # two staff codes, a renewed one, an owner code


def test_cli_project_errors(cli_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["admin", "project", "add", "HY", "华苑"]) == 0
    assert main(["admin", "project", "add", "HY", "华苑二期"]) == 1
    assert "error: project 'HY' exists already" in capsys.readouterr().err
    assert main(["admin", "project", "add", "HK1", "港苑", "--region", "HK", "--timezone", "Mars/Base"]) == 1
    assert "error: unknown time zone 'Mars/Base'" in capsys.readouterr().err
    assert main(["admin", "project", "list"]) == 0
    assert capsys.readouterr().out.splitlines() == ["HY\t华苑\tCN\tAsia/Shanghai"]


def test_admin_commands_refuse_a_database_not_at_head(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only `admin migrate` changes the schema: the other commands say so instead of migrating on their own."""
    import sqlite3

    path = tmp_path / "cli" / "estatebot.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.chdir(tmp_path)
    refusal = "error: the database schema is not up to date; run: estatebot admin migrate\n"

    assert main(["admin", "project", "list"]) == 1
    out, err = capsys.readouterr()
    assert (out, err) == ("", refusal)
    assert _sqlite_rows(path, "SELECT name FROM sqlite_master WHERE type = 'table'") == []  # nothing migrated

    assert main(["admin", "migrate"]) == 0
    assert capsys.readouterr().out.startswith("database upgraded from an empty database to revision 0")
    assert main(["admin", "project", "add", "HY", "华苑"]) == 0
    assert "project HY (华苑) added" in capsys.readouterr().out

    assert main(["admin", "downgrade", "-1"]) == 0
    capsys.readouterr()
    assert main(["admin", "staff", "list"]) == 1
    assert capsys.readouterr() == ("", refusal)
    assert main(["admin", "migrate"]) == 0
    capsys.readouterr()
    assert main(["admin", "project", "list"]) == 0
    assert capsys.readouterr().out.splitlines() == ["HY\t华苑\tCN\tAsia/Shanghai"]

    connection = sqlite3.connect(path)
    try:
        with connection:
            connection.execute("UPDATE alembic_version SET version_num = '9999'")
    finally:
        connection.close()
    assert main(["admin", "project", "list"]) == 1
    assert "error: the database is at revision 9999, which this version of estatebot does not know" in (
        capsys.readouterr().err)


def test_admin_cli_does_not_import_aiogram(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from bot.cli import main\n"
        "assert main(['admin', 'migrate']) == 0\n"
        "assert main(['admin', 'project', 'add', 'HY', '华苑']) == 0\n"
        "assert main(['admin', 'staff', 'list']) == 0\n"
        "assert 'aiogram' not in sys.modules, sorted(m for m in sys.modules if m.startswith('aiogram'))\n"
    )
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'estatebot.db'}", "PATH": "/usr/bin:/bin",
           "PYTHONPATH": str(PROJECT_ROOT)}
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert "project HY (华苑) added" in result.stdout


def test_unreadable_spreadsheets_are_reported_not_crashed(tmp_path: Path) -> None:
    corrupt = tmp_path / "owners.xlsx"
    corrupt.write_bytes(b"this is not a zip archive")
    with pytest.raises(ValueError, match=r"not a readable \.xlsx file"):
        read_table(corrupt)
    legacy = tmp_path / "owners.xls"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0 old excel")
    with pytest.raises(ValueError, match=r"save the sheet as \.xlsx or \.csv"):
        read_table(legacy)
    with pytest.raises(ValueError, match=r"save the sheet as \.xlsx or \.csv"):
        missing_columns(legacy)
