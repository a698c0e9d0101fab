"""Questionnaires in Excel (XLSForm layout): import validated row by row (a bad file imports nothing and
every problem names sheet, row and column), missing translations reported, versions kept, export and
import again giving the same questionnaire, the shipped questionnaires, and the admin commands."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from bot.cli import main
from services.surveys.questionnaire import Questionnaire
from services.surveys.templates import (
    ImportRefused,
    export_workbook,
    import_workbook,
    install_shipped,
    shipped_files,
)
from services.surveys.vocabulary import Area, Loyalty
from services.surveys.xlsform import read_xlsform, write_xlsform
from storage.uow import UnitOfWork

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
LABELS = ["label::zh_Hans_CN", "label::zh_Hant_HK", "label::zh_Hant_TW", "label::en"]

Sheets = dict[str, list[list[Any]]]


def _sheets() -> Sheets:
    """A good questionnaire, sheet by sheet, rows as Excel shows them (the header is row 1)."""
    return {
        "survey": [
            ["type", "name", *LABELS, "required", "relevant", "area", "loyalty"],
            ["rating", "overall", "总体满意吗？", "整體滿意嗎？", "整體滿意嗎？", "Satisfied overall?", "yes", None, None,
             "overall"],
            ["rating", "rebuy", "会再买吗？", "會再買嗎？", "會再買嗎？", "Buy again?", "yes", None, None, "rebuy"],
            ["rating", "recommend", "会推荐吗？", "會推薦嗎？", "會推薦嗎？", "Recommend?", "TRUE", None, None,
             "recommend"],
            ["rating", "property", "物业满意吗？", "物業滿意嗎？", "物業滿意嗎？", "Property?", 1, None, "物业管理", None],
            ["select_multiple issues", "issues", "哪些问题？", "哪些問題？", "哪些問題？", "Which issues?", "no",
             "${property} <= 2", None, None],
            ["select_one channels", "channel", "渠道？", "渠道？", "管道？", "Channel?", None, None, None, None],
            ["text", "note", "建议", "建議", "建議", "Suggestions", "0", "${channel} = '2' or ${overall} < 3", None,
             None],
        ],
        "choices": [
            ["list_name", "name", *LABELS],
            ["issues", "noise", "噪音", "噪音", "噪音", "Noise"],
            ["issues", "dirt", "卫生", "衞生", "衛生", "Cleanliness"],
            ["channels", 1, "电话", "電話", "電話", "Phone"],
            ["channels", 2, "微信", "微信", "微信", "WeChat"],
        ],
        "settings": [
            ["form_id", "form_title::zh_Hans_CN", "form_title::zh_Hant_HK", "form_title::zh_Hant_TW",
             "form_title::en", "version"],
            ["demo", "满意度调查", "滿意度調查", "滿意度調查", "Satisfaction survey", 3],
        ],
    }


def _xlsx(sheets: Sheets) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _changed(change: Callable[[Sheets], object]) -> bytes:
    sheets = _sheets()
    change(sheets)
    return _xlsx(sheets)


def _set(sheet: str, row: int, column: int, value: Any) -> Callable[[Sheets], object]:
    def change(sheets: Sheets) -> None:
        sheets[sheet][row - 1][column - 1] = value
    return change


def test_a_good_workbook_reads_into_the_questionnaire() -> None:
    reading = read_xlsform(_xlsx(_sheets()))
    assert reading.problems == () and reading.warnings == ()
    questionnaire = reading.questionnaire
    assert questionnaire is not None
    assert (questionnaire.form_id, questionnaire.version) == ("demo", "3")
    assert questionnaire.title["en"] == "Satisfaction survey"
    assert [q.name for q in questionnaire.questions] == [
        "overall", "rebuy", "recommend", "property", "issues", "channel", "note"]
    assert [q.required for q in questionnaire.questions] == [True, True, True, True, False, False, False]
    assert questionnaire.question("property").area is Area.PROPERTY
    assert questionnaire.loyalty_question(Loyalty.RECOMMEND) is questionnaire.question("recommend")
    assert [c.name for c in questionnaire.question("channel").choices] == ["1", "2"]
    assert questionnaire.question("issues").choices[1].label["zh_Hant_HK"] == "衞生"
    assert questionnaire.question("note").relevant == "${channel} = '2' or ${overall} < 3"
    assert questionnaire.dialog("survey:1").step("note").when is not None


def test_headers_are_read_in_any_case_and_label_alone_is_simplified_chinese() -> None:
    def change(sheets: Sheets) -> None:
        sheets["survey"][0][0] = "Type"
        sheets["survey"][0][2] = "label"
        sheets["survey"][0][3] = "LABEL::zh_hant_hk"
    reading = read_xlsform(_changed(change))
    assert reading.questionnaire is not None
    assert reading.questionnaire.question("overall").label["zh_Hans_CN"] == "总体满意吗？"
    assert reading.questionnaire.question("overall").label["zh_Hant_HK"] == "整體滿意嗎？"



def test_hints_are_read_and_a_missing_hint_column_is_reported() -> None:
    def change(sheets: Sheets) -> None:
        for row, (zh, en) in zip(sheets["survey"], [("hint", "hint::en"), ("1 分最低", "1 is the lowest")]
                                 + [(None, None)] * 7, strict=False):
            row.extend([zh, en])
    reading = read_xlsform(_changed(change))
    assert reading.questionnaire is not None
    assert reading.questionnaire.question("overall").hint == {"zh_Hans_CN": "1 分最低", "en": "1 is the lowest"}
    assert [str(w) for w in reading.warnings] == [
        "sheet 'survey', column hint::zh_Hant_HK: no column: Hong Kong Chinese readers will see the Simplified "
        "Chinese hint",
        "sheet 'survey', column hint::zh_Hant_TW: no column: Taiwan Chinese readers will see the Simplified "
        "Chinese hint",
    ]
    again = read_xlsform(write_xlsform(reading.questionnaire))
    assert again.questionnaire == reading.questionnaire

LIKELY_ROWS = [["likely", score, cn, hk, tw, en] for score, cn, hk, tw, en in (
    (1, "肯定不会", "肯定不會", "一定不會", "Definitely not"), (2, "可能不会", "可能不會", "可能不會", "Probably not"),
    (3, "不确定", "未確定", "不確定", "Not sure"), (4, "可能会", "可能會", "可能會", "Probably yes"),
    (5, "肯定会", "肯定會", "一定會", "Definitely yes"))]


def _likely(sheets: Sheets) -> None:
    """rebuy and recommend answered with their own words (a list of 1 … 5, given 5 first)."""
    sheets["survey"][2][0] = "rating likely"
    sheets["survey"][3][0] = "Rating likely"
    sheets["choices"].extend(reversed(LIKELY_ROWS))


def test_a_rating_list_gives_the_rating_its_own_words() -> None:
    reading = read_xlsform(_changed(_likely))
    assert reading.problems == () and reading.warnings == ()
    questionnaire = reading.questionnaire
    assert questionnaire is not None
    rebuy = questionnaire.question("rebuy")
    assert rebuy.type == "rating" and rebuy.choices == ()
    assert [words["zh_Hans_CN"] for words in rebuy.scale or ()] == ["肯定不会", "可能不会", "不确定", "可能会", "肯定会"]
    assert questionnaire.question("recommend").scale == rebuy.scale
    assert questionnaire.question("overall").scale is None  # plain rating: the satisfaction words
    again = read_xlsform(write_xlsform(questionnaire))
    assert again.problems == () and again.warnings == ()
    assert again.questionnaire == questionnaire


def test_a_rating_list_without_a_translation_is_a_warning() -> None:
    def change(sheets: Sheets) -> None:
        _likely(sheets)
        sheets["choices"][-1][5] = None  # "1" of likely (the last row): no English
    reading = read_xlsform(_changed(change))
    assert reading.questionnaire is not None
    assert [str(w) for w in reading.warnings] == [
        "sheet 'choices', row 10, column F (label::en): no English label: its readers will see the Simplified "
        "Chinese one"]
    scale = reading.questionnaire.question("rebuy").scale
    assert scale is not None and scale[0] == {"zh_Hans_CN": "肯定不会", "zh_Hant_HK": "肯定不會", "zh_Hant_TW": "一定不會"}


def _likely_then(change: Callable[[Sheets], object]) -> Callable[[Sheets], object]:
    def both(sheets: Sheets) -> None:
        _likely(sheets)
        change(sheets)
    return both


BAD_FILES: list[tuple[str, Callable[[Sheets], object], list[str]]] = [
    ("missing sheet", lambda s: s.pop("survey"), [
        "sheet 'survey': the workbook has no sheet 'survey' (it needs 'survey', 'settings' and, for choice "
        "questions, 'choices')"]),
    ("unknown type", _set("survey", 8, 1, "note"), [
        "sheet 'survey', row 8, column A (type): unknown type 'note'; a question's type is rating, "
        "rating LIST, select_one LIST, select_multiple LIST or text"]),
    ("bad required value", _set("survey", 3, 7, "maybe"), [
        "sheet 'survey', row 3, column G (required): 'maybe': write yes or no (or true/false, 1/0)"]),
    ("relevant referring to a later question", _set("survey", 6, 8, "${note} = 'x' and ${property} <= 2"), [
        "sheet 'survey', row 6, column H (relevant): ${note} is the question on row 8; a condition may only use "
        "questions asked before it"]),
    ("relevant referring to itself", _set("survey", 8, 8, "${note} = 'x'"), [
        "sheet 'survey', row 8, column H (relevant): ${note} is this question; a condition may only use "
        "questions asked before it"]),
    ("relevant that cannot be read", _set("survey", 6, 8, "${property} =< 2"), [
        "sheet 'survey', row 6, column H (relevant): '${property} =< 2': expected a number or a 'quoted code' "
        "at character 14, found '<'"]),
    ("duplicate name", _set("survey", 4, 2, "rebuy"), [
        "sheet 'survey', row 4, column B (name): 'rebuy' is already the name of the question on row 3"]),
    ("invalid name", _set("survey", 4, 2, "1st"), [
        "sheet 'survey', row 4, column B (name): '1st': a letter, then up to 30 letters, digits or _"]),
    ("select list missing", _set("survey", 7, 1, "select_one channel"), [
        "sheet 'survey', row 7, column A (type): no list 'channel' in sheet 'choices' (column list_name)"]),
    ("rating list missing", _set("survey", 3, 1, "rating likely"), [
        "sheet 'survey', row 3, column A (type): no list 'likely' in sheet 'choices' (column list_name) for this "
        "rating's words 1 to 5"]),
    ("rating list not 1 to 5", _likely_then(lambda s: s["choices"].pop()), [
        "sheet 'choices', row 6, column B (name): the list 'likely' is a rating's scale: it needs exactly the names "
        "1, 2, 3, 4 and 5 (one row each), not 5, 4, 3, 2"]),
    ("rating list of other names", _set("survey", 5, 1, "rating channels"), [
        "sheet 'choices', row 4, column B (name): the list 'channels' is a rating's scale: it needs exactly the "
        "names 1, 2, 3, 4 and 5 (one row each), not 1, 2"]),
    ("select without a list", _set("survey", 7, 1, "select_one"), [
        "sheet 'survey', row 7, column A (type): select_one needs the name of its list in sheet 'choices', "
        "e.g. 'select_one channels'"]),
    ("unknown area", _set("survey", 5, 9, "花园"), [
        "sheet 'survey', row 5, column I (area): unknown service area '花园'; write one of planning (规划设计), "
        "construction (工程质量), sales (销售服务), customer_service (客户服务), property (物业管理)"]),
    ("area on a text question", _set("survey", 8, 9, "sales"), [
        "sheet 'survey', row 8, column I (area): only a rating question belongs to a service area "
        "(it is a 5-point score)"]),
    ("loyalty twice", _set("survey", 3, 10, "overall"), [
        "sheet 'survey', row 3, column J (loyalty): 'overall' is already the question on row 2; each loyalty item "
        "is asked once"]),
    ("unknown loyalty", _set("survey", 3, 10, "again"), [
        "sheet 'survey', row 3, column J (loyalty): unknown loyalty item 'again'; write overall, rebuy or "
        "recommend"]),
    ("missing version", _set("settings", 2, 6, None), [
        "sheet 'settings', row 2, column F (version): empty: every import needs a version (e.g. 2026.1), so "
        "answers keep the version they were asked in"]),
    ("no version column", lambda s: [row.pop() for row in s["settings"]], [
        "sheet 'settings', column version: the sheet has no such column"]),
    ("label missing in every language", lambda s: s["survey"][2].__setitem__(slice(2, 6), [None] * 4), [
        "sheet 'survey', row 3, column C (label::zh_Hans_CN): no label in any language"]),
    ("duplicate choice", _set("choices", 3, 2, "noise"), [
        "sheet 'choices', row 3, column B (name): 'noise' is already a choice of list 'issues' on row 2"]),
    ("unknown column", _set("survey", 1, 10, "constraint"), [
        "sheet 'survey', row 1, column J (constraint): unknown column; the columns are type, name, required, "
        "relevant, area, loyalty, label::<locale>, hint::<locale> (locales: zh_Hans_CN, zh_Hant_HK, zh_Hant_TW, "
        "en)"]),
    ("unknown locale", _set("survey", 1, 6, "label::fr"), [
        "sheet 'survey', row 1, column F (label::fr): unknown column; the columns are type, name, required, "
        "relevant, area, loyalty, label::<locale>, hint::<locale> (locales: zh_Hans_CN, zh_Hant_HK, zh_Hant_TW, "
        "en)"]),
    ("several problems at once", lambda s: (_set("survey", 3, 7, "maybe")(s), _set("survey", 5, 9, "garden")(s),
                                            _set("choices", 3, 2, "noise")(s),
                                            _set("settings", 2, 1, "has space")(s)), [
        "sheet 'survey', row 3, column G (required): 'maybe': write yes or no (or true/false, 1/0)",
        "sheet 'survey', row 5, column I (area): unknown service area 'garden'; write one of planning (规划设计), "
        "construction (工程质量), sales (销售服务), customer_service (客户服务), property (物业管理)",
        "sheet 'choices', row 3, column B (name): 'noise' is already a choice of list 'issues' on row 2",
        "sheet 'settings', row 2, column A (form_id): 'has space': 1 to 40 letters, digits, _ or -"]),
]


@pytest.mark.parametrize(("change", "problems"), [(c, p) for _, c, p in BAD_FILES],
                         ids=[name for name, _, _ in BAD_FILES])
def test_a_bad_workbook_gives_every_problem_with_its_place(change: Callable[[Sheets], object],
                                                            problems: list[str]) -> None:
    reading = read_xlsform(_changed(change))
    assert reading.questionnaire is None
    assert [str(p) for p in reading.problems] == problems


def test_a_file_that_is_not_a_workbook() -> None:
    reading = read_xlsform(b"type,name\nrating,overall\n")
    assert reading.questionnaire is None
    assert str(reading.problems[0]).startswith("sheet '(file)': not a readable .xlsx workbook")


def test_a_missing_translation_is_a_warning_saying_what_readers_see() -> None:
    def change(sheets: Sheets) -> None:
        sheets["survey"][1][5] = None  # overall: no English
        sheets["survey"][2][3] = None  # rebuy: no Hong Kong Chinese
        sheets["survey"][2][4] = None  # … nor Taiwan Chinese
        for row in sheets["choices"]:
            del row[3]  # no label::zh_Hant_HK column for the choices
    reading = read_xlsform(_changed(change))
    assert reading.questionnaire is not None
    assert [str(w) for w in reading.warnings] == [
        "sheet 'survey', row 2, column F (label::en): no English label: its readers will see the Simplified "
        "Chinese one",
        "sheet 'survey', row 3, column D (label::zh_Hant_HK): no Hong Kong Chinese label: its readers will see "
        "the Simplified Chinese one",
        "sheet 'survey', row 3, column E (label::zh_Hant_TW): no Taiwan Chinese label: its readers will see the "
        "Simplified Chinese one",
        "sheet 'choices', column label::zh_Hant_HK: no column: Hong Kong Chinese readers will see the Taiwan "
        "Chinese label",
    ]
    assert "en" not in reading.questionnaire.question("overall").label


def test_export_then_import_gives_the_same_questionnaire() -> None:
    first = read_xlsform(_xlsx(_sheets())).questionnaire
    assert first is not None
    again = read_xlsform(write_xlsform(first))
    assert again.problems == () and again.warnings == ()
    assert again.questionnaire == first
    assert again.questionnaire is not None and again.questionnaire.to_json() == first.to_json()


@pytest.mark.parametrize("path", shipped_files(), ids=lambda p: p.stem)
def test_the_shipped_questionnaires_import_cleanly(path: Path) -> None:
    reading = read_xlsform(path.read_bytes())
    assert reading.problems == () and reading.warnings == ()
    questionnaire = reading.questionnaire
    assert questionnaire is not None and questionnaire.form_id == path.stem
    assert set(questionnaire.title) == {"zh_Hans_CN", "zh_Hant_HK", "zh_Hant_TW", "en"}
    for question in questionnaire.questions:
        assert set(question.label) == {"zh_Hans_CN", "zh_Hant_HK", "zh_Hant_TW", "en"}, question.name
    assert questionnaire.loyalty_question(Loyalty.OVERALL) is questionnaire.questions[0]
    assert questionnaire.questions[-1].type == "text" and not questionnaire.questions[-1].required
    assert read_xlsform(write_xlsform(questionnaire)).questionnaire == questionnaire


def test_the_satisfaction_survey_has_the_loyalty_items_then_every_service_area() -> None:
    [path] = [p for p in shipped_files() if p.stem == "satisfaction"]
    questionnaire = read_xlsform(path.read_bytes()).questionnaire
    assert questionnaire is not None
    assert [q.loyalty for q in questionnaire.questions[:3]] == [Loyalty.OVERALL, Loyalty.REBUY, Loyalty.RECOMMEND]
    assert [q.area for q in questionnaire.questions[3:8]] == list(Area)
    assert questionnaire.title["zh_Hans_CN"] == "客户满意度调查表"
    # would buy again / would recommend: answered in their own words, not the satisfaction scale's
    for item in (Loyalty.REBUY, Loyalty.RECOMMEND):
        question = questionnaire.loyalty_question(item)
        assert question is not None and question.scale is not None
        assert [words["zh_Hans_CN"] for words in question.scale] == ["肯定不会", "可能不会", "不确定", "可能会", "肯定会"]
        assert [words["en"] for words in question.scale][::4] == ["Definitely not", "Definitely yes"]
    assert [q.name for q in questionnaire.questions if q.scale is not None] == ["rebuy", "recommend"]
    assert {p.stem for p in shipped_files()} == {"satisfaction", "move_in_3m", "sales_visit"}


# ---------------------------------------------------------------- stored versions


async def test_versions_are_stored_once_and_never_changed(uow_factory: Callable[[], UnitOfWork]) -> None:
    good = _xlsx(_sheets())
    async with uow_factory() as uow:
        outcome = await import_workbook(uow, good, "demo.xlsx", NOW)
        assert outcome.created and outcome.warnings == ()
        first_id = outcome.template.id
        await uow.commit()
    async with uow_factory() as uow:  # the same file again: nothing changes
        outcome = await import_workbook(uow, good, "demo.xlsx", NOW)
        assert (outcome.created, outcome.template.id) == (False, first_id)
    edited = _changed(_set("survey", 2, 3, "您总体满意吗？"))
    async with uow_factory() as uow:
        with pytest.raises(ImportRefused) as refused:
            await import_workbook(uow, edited, "demo.xlsx", NOW)
        assert [str(p) for p in refused.value.problems] == [
            "sheet 'settings', row 2, column F (version): version '3' of 'demo' was imported on 2026-11-23 with "
            "different content; bump settings.version (answers keep the version they were asked in)"]
    bumped = _changed(lambda s: (_set("survey", 2, 3, "您总体满意吗？")(s), _set("settings", 2, 6, "4")(s)))
    async with uow_factory() as uow:
        outcome = await import_workbook(uow, bumped, "demo-v4.xlsx", NOW.replace(hour=3))
        assert outcome.created
        await uow.commit()
    async with uow_factory() as uow:
        latest = await uow.survey_templates.latest("demo")
        assert latest is not None and latest.version == "4"
        old = await uow.survey_templates.by_version("demo", "3")
        assert old is not None and old.id == first_id
        assert old.spec["questions"][0]["label"]["zh_Hans_CN"] == "总体满意吗？"
        assert [t.version for t in await uow.survey_templates.all_versions()] == ["3", "4"]
        template, data = await export_workbook(uow, "demo", "3")
        assert template.id == first_id
        assert Questionnaire.from_json(old.spec) == read_xlsform(data).questionnaire


async def test_a_bad_file_imports_nothing(uow_factory: Callable[[], UnitOfWork]) -> None:
    async with uow_factory() as uow:
        with pytest.raises(ImportRefused):
            await import_workbook(uow, _changed(_set("survey", 3, 10, "overall")), "bad.xlsx", NOW)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.survey_templates.count() == 0


async def test_warnings_are_stored_with_the_version(uow_factory: Callable[[], UnitOfWork]) -> None:
    async with uow_factory() as uow:
        await import_workbook(uow, _changed(_set("survey", 2, 6, None)), "demo.xlsx", NOW)
        await uow.commit()
    async with uow_factory() as uow:
        stored = await uow.survey_templates.latest("demo")
        assert stored is not None and stored.warnings == [
            "sheet 'survey', row 2, column F (label::en): no English label: its readers will see the Simplified "
            "Chinese one"]


async def test_the_shipped_questionnaires_are_installed_once(uow_factory: Callable[[], UnitOfWork]) -> None:
    async with uow_factory() as uow:  # an administrator's own satisfaction survey is left alone
        sheets = _sheets()
        sheets["settings"][1][0] = "satisfaction"
        await import_workbook(uow, _xlsx(sheets), "ours.xlsx", NOW)
        await uow.commit()
    async with uow_factory() as uow:
        added = [(t.form_id, t.source) for t in await install_shipped(uow, NOW)]
        await uow.commit()
    assert sorted(added) == [("move_in_3m", "shipped:move_in_3m.xlsx"), ("sales_visit", "shipped:sales_visit.xlsx")]
    async with uow_factory() as uow:
        assert await install_shipped(uow, NOW) == []
        assert await uow.survey_templates.count() == 3
        ours = await uow.survey_templates.latest("satisfaction")
        assert ours is not None and ours.version == "3"


# ---------------------------------------------------------------- the admin commands


@pytest.fixture
def cli_database(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The test database (SQLite, and PostgreSQL when configured) as the admin commands' DATABASE_URL."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("TIMEZONE", raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env
    return database_url


def test_cli_import_export_and_list(cli_database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["admin", "survey", "templates"]) == 0
    assert capsys.readouterr().out == "no questionnaires; import one with: estatebot admin survey import FILE.xlsx\n"

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(_changed(lambda s: (_set("survey", 3, 10, "overall")(s), _set("survey", 5, 9, "花园")(s))))
    assert main(["admin", "survey", "import", str(bad)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines()[:3] == [
        "2 problem(s) found; nothing was imported:",
        "  sheet 'survey', row 3, column J (loyalty): 'overall' is already the question on row 2; each loyalty "
        "item is asked once",
        "  sheet 'survey', row 5, column I (area): unknown service area '花园'; write one of planning (规划设计), "
        "construction (工程质量), sales (销售服务), customer_service (客户服务), property (物业管理)",
    ]

    good = tmp_path / "demo.xlsx"
    good.write_bytes(_changed(_set("survey", 2, 6, None)))
    assert main(["admin", "survey", "import", str(good)]) == 0
    assert capsys.readouterr().out == (
        "warning: sheet 'survey', row 2, column F (label::en): no English label: its readers will see the "
        "Simplified Chinese one\n"
        "imported demo version 3: 7 question(s), 1 warning(s)\n")
    assert main(["admin", "survey", "import", str(good)]) == 0
    assert capsys.readouterr().out.endswith("demo version 3 is already imported with the same content; "
                                            "nothing changed\n")

    exported = tmp_path / "exported.xlsx"
    assert main(["admin", "survey", "export", "demo", str(exported)]) == 0
    assert capsys.readouterr().out == f"demo version 3 written to {exported}\n"
    assert read_xlsform(exported.read_bytes()).questionnaire == read_xlsform(good.read_bytes()).questionnaire
    assert main(["admin", "survey", "import", str(exported)]) == 0  # the export is the same version, unchanged
    assert "already imported with the same content" in capsys.readouterr().out

    assert main(["admin", "survey", "export", "demo", str(exported), "--version", "9"]) == 1
    assert capsys.readouterr().err == "error: no questionnaire 'demo' version '9'\n"
    assert main(["admin", "survey", "import", str(tmp_path / "missing.xlsx")]) == 1
    assert "no such file" in capsys.readouterr().err

    assert main(["admin", "survey", "templates"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "form_id\tversion\ttitle\tquestions\timported_at"
    assert lines[1].startswith("demo\t3\t满意度调查\t7\t")


def test_cli_migrate_installs_the_shipped_questionnaires(cli_database: str,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["admin", "migrate"]) == 0
    out = capsys.readouterr().out
    assert sorted(line for line in out.splitlines() if line.startswith("questionnaire ")) == [
        "questionnaire move_in_3m 2026.1 installed",
        "questionnaire sales_visit 2026.1 installed",
        "questionnaire satisfaction 2026.1 installed",
    ]
    assert main(["admin", "migrate"]) == 0
    assert "installed" not in capsys.readouterr().out
    assert main(["admin", "survey", "templates"]) == 0
    assert "satisfaction\t2026.1\t客户满意度调查表\t9\t" in capsys.readouterr().out

