"""Questionnaires as Excel workbooks in the XLSForm layout: read (validated row by row) and written back.

Sheets and columns::

    survey    type | name | label::<locale> (label = zh_Hans_CN) | hint::<locale> | required | relevant
              | area | loyalty
    choices   list_name | name | label::<locale>
    settings  form_id | form_title (form_title::<locale>) | version

``type`` is rating, ``rating LIST`` (a rating with its own words: LIST in sheet choices has exactly the
names 1 to 5, e.g. 1 肯定不会 … 5 肯定会), ``select_one LIST``, ``select_multiple LIST`` or text.

Every problem of a file is collected, each naming the sheet, the row as Excel numbers it and the
column (letter and header); a file with any problem gives no questionnaire. A label missing for a
locale is not a problem but a warning saying what its readers will see instead. The messages are
for the administrator at the command line, in English.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from services.surveys.questionnaire import (
    CHOICE_NAME,
    COMMENT_SUFFIX,
    FORM_ID,
    LOCALES,
    MAX_LABEL,
    MAX_VERSION,
    NAME,
    SCALE_POINTS,
    SELECT_TYPES,
    Questionnaire,
    QuestionnaireError,
    fallback_locale,
)
from services.surveys.relevant import Referable, RelevantError, parse_relevant, referenced
from services.surveys.vocabulary import Area, Loyalty

SURVEY, CHOICES, SETTINGS = "survey", "choices", "settings"
AREA_NAMES: dict[str, Area] = {
    "规划设计": Area.PLANNING,
    "工程质量": Area.CONSTRUCTION,
    "销售服务": Area.SALES,
    "客户服务": Area.CUSTOMER_SERVICE,
    "物业管理": Area.PROPERTY,
}
LOCALE_NAMES = {
    "zh_Hans_CN": "Simplified Chinese",
    "zh_Hant_HK": "Hong Kong Chinese",
    "zh_Hant_TW": "Taiwan Chinese",
    "en": "English",
}
_YES = {"yes", "true", "1", "y"}
_NO = {"no", "false", "0", "n", ""}
_TYPE_HELP = "rating, rating LIST, select_one LIST, select_multiple LIST or text"
SCALE_NAMES = tuple(str(score) for score in range(1, SCALE_POINTS + 1))


@dataclass(frozen=True)
class Problem:
    """Something wrong (or, as a warning, worth knowing) at a place in the workbook."""

    sheet: str
    message: str
    row: int | None = None
    column: str | None = None  # the letter
    header: str | None = None

    def __str__(self) -> str:
        place = [f"sheet '{self.sheet}'"]
        if self.row is not None:
            place.append(f"row {self.row}")
        if self.column is not None:
            place.append(f"column {self.column} ({self.header})" if self.header else f"column {self.column}")
        elif self.header:
            place.append(f"column {self.header}")
        return f"{', '.join(place)}: {self.message}"


@dataclass(frozen=True)
class Reading:
    """What a workbook gave: a questionnaire only when there is no problem."""

    questionnaire: Questionnaire | None
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    version_cell: Problem | None = None  # where settings.version is, to point at it later

    @property
    def ok(self) -> bool:
        return self.questionnaire is not None


# ---------------------------------------------------------------- reading


@dataclass
class _Sheet:
    """One sheet: its headers by canonical name, and its rows as Excel numbers them."""

    name: str
    columns: dict[str, int]  # canonical header -> 0-based index
    headers: list[str]  # as written
    rows: list[tuple[int, list[Any]]]

    def letter(self, key: str) -> str:
        from openpyxl.utils import get_column_letter

        return str(get_column_letter(self.columns[key] + 1))

    def cell(self, values: list[Any], key: str) -> Any:
        index = self.columns.get(key)
        return values[index] if index is not None and index < len(values) else None

    def at(self, row: int | None, key: str, message: str) -> Problem:
        if key in self.columns:
            return Problem(self.name, message, row, self.letter(key), self.headers[self.columns[key]])
        return Problem(self.name, message, row, None, key)


@dataclass
class _Collector:
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def in_sheet_order(self) -> tuple[tuple[Problem, ...], tuple[Problem, ...]]:
        """Problems and warnings as the workbook's sheets come (choices are read before the survey)."""
        order = {SURVEY: 1, CHOICES: 2, SETTINGS: 3}
        return (tuple(sorted(self.problems, key=lambda p: order.get(p.sheet, 0))),
                tuple(sorted(self.warnings, key=lambda p: order.get(p.sheet, 0))))


def read_xlsform(data: bytes) -> Reading:
    """The questionnaire of an .xlsx workbook, or every problem found in it."""
    collector = _Collector()
    sheets = _load(data, collector)
    if sheets is None:
        return Reading(None, *collector.in_sheet_order())
    for name in (SURVEY, SETTINGS):
        if name not in sheets:
            collector.problems.append(Problem(name, f"the workbook has no sheet '{name}' (it needs "
                                              f"'{SURVEY}', '{SETTINGS}' and, for choice questions, '{CHOICES}')"))
    choices = _read_choices(sheets[CHOICES], collector) if CHOICES in sheets else {}
    questions, rows = _read_survey(sheets[SURVEY], choices, collector) if SURVEY in sheets else ([], {})
    settings = _read_settings(sheets[SETTINGS], collector) if SETTINGS in sheets else None
    if collector.problems or settings is None:
        return Reading(None, *collector.in_sheet_order())
    spec = {**settings.spec, "questions": questions}
    try:
        questionnaire = Questionnaire.from_json(spec)
    except QuestionnaireError as error:  # a guard: the rows were checked one by one above
        row = rows.get(error.question or "")
        collector.problems.append(Problem(SURVEY if row else SETTINGS, f"{error.field}: {error.problem}", row))
        return Reading(None, *collector.in_sheet_order())
    return Reading(questionnaire, (), collector.in_sheet_order()[1], settings.version_cell)


def _load(data: bytes, collector: _Collector) -> dict[str, _Sheet] | None:
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        collector.problems.append(Problem("(file)", f"not a readable .xlsx workbook ({error})"))
        return None
    try:
        sheets: dict[str, _Sheet] = {}
        for worksheet in workbook.worksheets:
            name = worksheet.title.strip().lower()
            if name in (SURVEY, CHOICES, SETTINGS):
                rows = [list(row) for row in worksheet.iter_rows(values_only=True)]
                sheets[name] = _sheet(name, rows, collector)
        return sheets
    finally:
        workbook.close()


def _sheet(name: str, rows: list[list[Any]], collector: _Collector) -> _Sheet:
    from openpyxl.utils import get_column_letter

    headers = [_text(h) for h in rows[0]] if rows else []
    columns: dict[str, int] = {}
    for index, header in enumerate(headers):
        if not header:
            continue
        key = _canonical(name, header)
        letter = get_column_letter(index + 1)
        if key is None:
            collector.problems.append(Problem(name, f"unknown column; {_COLUMN_HELP[name]}", 1, letter, header))
        elif key in columns:
            first = get_column_letter(columns[key] + 1)
            collector.problems.append(Problem(name, f"the same column as column {first}", 1, letter, header))
        else:
            columns[key] = index
    body = [(number, values) for number, values in enumerate(rows[1:], start=2)
            if any(_text(v) for v in values)]
    for number, values in body:  # values under no header would be lost
        for index, value in enumerate(values):
            if _text(value) and (index >= len(headers) or not headers[index]):
                collector.problems.append(Problem(name, "a value in a column without a header", number,
                                                  get_column_letter(index + 1)))
    return _Sheet(name, columns, headers, body)


_COLUMNS = {
    SURVEY: ("type", "name", "required", "relevant", "area", "loyalty"),
    CHOICES: ("list_name", "name"),
    SETTINGS: ("form_id", "version"),
}
_LOCALIZED = {SURVEY: ("label", "hint"), CHOICES: ("label",), SETTINGS: ("form_title",)}
_COLUMN_HELP = {
    name: "the columns are " + ", ".join(
        list(_COLUMNS[name]) + [f"{base}::<locale>" for base in _LOCALIZED[name]]
    ) + f" (locales: {', '.join(LOCALES)})"
    for name in _COLUMNS
}


def _canonical(sheet: str, header: str) -> str | None:
    """``label::zh_hant_hk`` → ``label::zh_Hant_HK``; ``label`` → ``label::zh_Hans_CN``; None if unknown."""
    lowered = header.strip().lower()
    if lowered in _COLUMNS[sheet]:
        return lowered
    base, _, locale = lowered.partition("::")
    if base not in _LOCALIZED[sheet]:
        return None
    if not locale:
        return f"{base}::zh_Hans_CN"
    known = {code.lower(): code for code in LOCALES}
    return f"{base}::{known[locale.strip()]}" if locale.strip() in known else None


def _texts(sheet: _Sheet, values: list[Any], row: int, base: str, collector: _Collector,
           what: str) -> dict[str, str]:
    """The texts of ``base::<locale>`` on a row; a missing locale is a warning when others are given."""
    texts: dict[str, str] = {}
    for locale in LOCALES:
        key = f"{base}::{locale}"
        text = _text(sheet.cell(values, key))
        if len(text) > MAX_LABEL:
            collector.problems.append(sheet.at(row, key, f"longer than {MAX_LABEL} characters"))
        elif text:
            texts[locale] = text
    if texts:
        for locale in LOCALES:
            key = f"{base}::{locale}"
            if locale not in texts and key in sheet.columns:
                shown = fallback_locale(texts, locale)
                collector.warnings.append(sheet.at(row, key, f"no {LOCALE_NAMES[locale]} {what}: its readers will "
                                                   f"see the {LOCALE_NAMES[shown]} one"))
    return texts


def _missing_locale_columns(sheet: _Sheet, base: str, collector: _Collector, what: str) -> None:
    given = [locale for locale in LOCALES if f"{base}::{locale}" in sheet.columns]
    if not given:
        return
    for locale in LOCALES:
        if locale not in given:
            shown = fallback_locale(dict.fromkeys(given, "x"), locale)
            collector.warnings.append(Problem(sheet.name, f"no column: {LOCALE_NAMES[locale]} readers will see "
                                              f"the {LOCALE_NAMES[shown]} {what}", header=f"{base}::{locale}"))


# ---------------------------------------------------------------- choices


@dataclass
class _List:
    row: int
    choices: list[dict[str, Any]] = field(default_factory=list)
    name_column: str | None = None  # the letter of the column ``name``, to point at


def _read_choices(sheet: _Sheet, collector: _Collector) -> dict[str, _List]:
    for key in ("list_name", "name"):
        if key not in sheet.columns:
            collector.problems.append(Problem(CHOICES, "the sheet has no such column", header=key))
    if not any(key.startswith("label::") for key in sheet.columns):
        collector.problems.append(Problem(CHOICES, "the sheet has no label column", header="label::<locale>"))
    _missing_locale_columns(sheet, "label", collector, "label")
    lists: dict[str, _List] = {}
    seen: dict[tuple[str, str], int] = {}
    for row, values in sheet.rows:
        list_name = _text(sheet.cell(values, "list_name"))
        name = _text(sheet.cell(values, "name"))
        if not list_name:
            collector.problems.append(sheet.at(row, "list_name", "empty: which list is this choice in?"))
        if not name:
            collector.problems.append(sheet.at(row, "name", "empty: a choice needs a name (its code)"))
        elif not CHOICE_NAME.fullmatch(name):
            collector.problems.append(sheet.at(row, "name", f"{name!r}: 1 to 32 letters, digits or _ . + -"))
        elif (list_name, name) in seen:
            collector.problems.append(sheet.at(row, "name", f"{name!r} is already a choice of list {list_name!r} "
                                               f"on row {seen[list_name, name]}"))
        else:
            seen[list_name, name] = row
        labels = _texts(sheet, values, row, "label", collector, "label")
        if not labels:
            collector.problems.append(sheet.at(row, _first_column(sheet, "label"), "no label in any language"))
        if list_name:
            column = sheet.letter("name") if "name" in sheet.columns else None
            lists.setdefault(list_name, _List(row, name_column=column)).choices.append({"name": name, "label": labels})
    return lists


def _first_column(sheet: _Sheet, base: str) -> str:
    return next((f"{base}::{locale}" for locale in LOCALES if f"{base}::{locale}" in sheet.columns),
                f"{base}::zh_Hans_CN")


# ---------------------------------------------------------------- survey


def _read_survey(sheet: _Sheet, lists: Mapping[str, _List],
                 collector: _Collector) -> tuple[list[dict[str, Any]], dict[str, int]]:
    for key in ("type", "name"):
        if key not in sheet.columns:
            collector.problems.append(Problem(SURVEY, "the sheet has no such column", header=key))
    if not any(key.startswith("label::") for key in sheet.columns):
        collector.problems.append(Problem(SURVEY, "the sheet has no label column", header="label::<locale>"))
    _missing_locale_columns(sheet, "label", collector, "label")
    _missing_locale_columns(sheet, "hint", collector, "hint")
    if not sheet.rows:
        collector.problems.append(Problem(SURVEY, "no questions: the sheet has no rows under its header"))
    rows_of = _names(sheet)
    questions: list[dict[str, Any]] = []
    earlier: dict[str, Referable] = {}
    rows: dict[str, int] = {}
    loyalty_rows: dict[Loyalty, int] = {}
    used_lists: set[str] = set()
    bad_scales: set[str] = set()  # each told once, however many ratings use it
    for row, values in sheet.rows:
        question = _RowReader(sheet, row, values, collector)
        kind, list_name = question.type(lists)
        name = question.name(rows)
        if list_name:
            used_lists.add(list_name)
        labels = _texts(sheet, values, row, "label", collector, "label")
        if not labels:
            collector.problems.append(sheet.at(row, _first_column(sheet, "label"), "no label in any language"))
        hint = _texts(sheet, values, row, "hint", collector, "hint")
        relevant = question.relevant(earlier, rows_of)
        area = question.area(kind)
        loyalty = question.loyalty(kind, loyalty_rows)
        choices = lists[list_name].choices if list_name and list_name in lists else []
        scale = _scale(lists[list_name], list_name, collector, bad_scales) \
            if kind == "rating" and list_name and list_name in lists else None
        if name and kind:
            earlier[name] = Referable(kind, tuple(c["name"] for c in choices))
            rows[name] = row
        data: dict[str, Any] = {"name": name, "type": kind, "label": labels}
        if hint:
            data["hint"] = hint
        data.update({"required": question.required(), "relevant": relevant,
                     "area": area.value if area else None, "loyalty": loyalty.value if loyalty else None})
        if kind in SELECT_TYPES:
            data["choices"] = choices
        if scale is not None:
            data["scale"] = scale
        questions.append(data)
    for list_name, unused in lists.items():
        if list_name not in used_lists:
            collector.warnings.append(Problem(CHOICES, f"the list {list_name!r} is not used by any question",
                                              unused.row))
    return questions, rows


def _scale(found: _List, list_name: str, collector: _Collector, bad: set[str]) -> list[dict[str, str]] | None:
    """A rating's own words, 1 … 5, from its list; a list that is not exactly 1 to 5 is a problem."""
    names = [str(choice["name"]) for choice in found.choices]
    if sorted(names) != sorted(SCALE_NAMES):
        if list_name in bad:
            return None
        bad.add(list_name)
        collector.problems.append(Problem(CHOICES, f"the list {list_name!r} is a rating's scale: it needs exactly "
                                          f"the names 1, 2, 3, 4 and 5 (one row each), not "
                                          f"{', '.join(names) or 'none'}", found.row, found.name_column, "name"))
        return None
    words = {str(choice["name"]): choice["label"] for choice in found.choices}
    return [words[name] for name in SCALE_NAMES]


def _names(sheet: _Sheet) -> dict[str, int]:
    """Each name's first row, to tell a reference to a later question from an unknown name."""
    names: dict[str, int] = {}
    for row, values in sheet.rows:
        names.setdefault(_text(sheet.cell(values, "name")), row)
    return names


class _RowReader:
    """The cells of one survey row; each problem lands in the collector with its place."""

    def __init__(self, sheet: _Sheet, row: int, values: list[Any], collector: _Collector) -> None:
        self.sheet, self.row, self.values, self.collector = sheet, row, values, collector

    def text(self, key: str) -> str:
        return _text(self.sheet.cell(self.values, key))

    def fail(self, key: str, message: str) -> None:
        self.collector.problems.append(self.sheet.at(self.row, key, message))

    def type(self, lists: Mapping[str, _List]) -> tuple[str | None, str | None]:
        words = self.text("type").split()
        if not words:
            self.fail("type", f"empty; a question's type is {_TYPE_HELP}")
            return None, None
        kind = words[0].lower()
        if kind in ("rating", "text") and len(words) == 1:
            return kind, None
        if kind == "rating" and len(words) == 2:
            if words[1] not in lists:
                self.fail("type", f"no list {words[1]!r} in sheet '{CHOICES}' (column list_name) for this "
                          "rating's words 1 to 5")
                return None, None
            return kind, words[1]
        if kind in SELECT_TYPES:
            if len(words) != 2:
                self.fail("type", f"{kind} needs the name of its list in sheet '{CHOICES}', e.g. '{kind} channels'")
                return None, None
            if words[1] not in lists:
                self.fail("type", f"no list {words[1]!r} in sheet '{CHOICES}' (column list_name)")
                return None, None
            return kind, words[1]
        self.fail("type", f"unknown type {' '.join(words)!r}; a question's type is {_TYPE_HELP}")
        return None, None

    def name(self, taken: Mapping[str, int]) -> str | None:
        name = self.text("name")
        if not name:
            self.fail("name", "empty: every question needs a name")
        elif not NAME.fullmatch(name):
            self.fail("name", f"{name!r}: a letter, then up to 30 letters, digits or _")
        elif name.endswith(COMMENT_SUFFIX):
            self.fail("name", f"{name!r}: a name ending in {COMMENT_SUFFIX} is kept for the comments")
        elif name in taken:
            self.fail("name", f"{name!r} is already the name of the question on row {taken[name]}")
        else:
            return name
        return None

    def required(self) -> bool:
        value = self.sheet.cell(self.values, "required")
        if isinstance(value, bool):
            return value
        text = _text(value).lower()
        if text in _YES:
            return True
        if text not in _NO:
            self.fail("required", f"{_text(value)!r}: write yes or no (or true/false, 1/0)")
        return False

    def relevant(self, earlier: Mapping[str, Referable], rows_of: Mapping[str, int]) -> str | None:
        expression = self.text("relevant")
        if not expression:
            return None
        try:
            parse_relevant(expression, earlier)
        except RelevantError as error:
            names = referenced(expression)
            later = [name for name in names if rows_of.get(name, 0) >= self.row]
            unknown = [name for name in names if name not in rows_of]
            if any(name in rows_of and name not in earlier and name not in later for name in names):
                pass  # an earlier question with a problem of its own: that problem is reported already
            elif unknown:
                self.fail("relevant", f"no question is named {unknown[0]!r}")
            elif later:
                where = rows_of[later[0]]
                self.fail("relevant", f"${{{later[0]}}} is " + ("this question" if where == self.row else
                          f"the question on row {where}") + "; a condition may only use questions asked before it")
            else:
                self.fail("relevant", f"{expression!r}: {error}")
        return expression

    def area(self, kind: str | None) -> Area | None:
        text = self.text("area")
        if not text:
            return None
        area = AREA_NAMES.get(text) or next((a for a in Area if a.value == text.lower()), None)
        if area is None:
            self.fail("area", f"unknown service area {text!r}; write one of "
                      + ", ".join(f"{a.value} ({zh})" for zh, a in AREA_NAMES.items()))
        elif kind is not None and kind != "rating":
            self.fail("area", "only a rating question belongs to a service area (it is a 5-point score)")
        return area

    def loyalty(self, kind: str | None, seen: dict[Loyalty, int]) -> Loyalty | None:
        text = self.text("loyalty")
        if not text:
            return None
        loyalty = next((item for item in Loyalty if item.value == text.lower()), None)
        if loyalty is None:
            self.fail("loyalty", f"unknown loyalty item {text!r}; write overall, rebuy or recommend")
        elif loyalty in seen:
            self.fail("loyalty", f"{loyalty.value!r} is already the question on row {seen[loyalty]}; "
                      "each loyalty item is asked once")
        else:
            seen[loyalty] = self.row
            if kind is not None and kind != "rating":
                self.fail("loyalty", "a loyalty item is a rating question (a 5-point score)")
        return loyalty


# ---------------------------------------------------------------- settings


@dataclass(frozen=True)
class _Settings:
    spec: dict[str, Any]
    version_cell: Problem


def _read_settings(sheet: _Sheet, collector: _Collector) -> _Settings | None:
    missing = len(collector.problems)
    for key in ("form_id", "version"):
        if key not in sheet.columns:
            collector.problems.append(Problem(SETTINGS, "the sheet has no such column", header=key))
    if not any(key.startswith("form_title::") for key in sheet.columns):
        collector.problems.append(Problem(SETTINGS, "the sheet has no title column", header="form_title"))
    _missing_locale_columns(sheet, "form_title", collector, "title")
    if len(sheet.rows) > 1:
        collector.problems.append(Problem(SETTINGS, "the settings are one row, under the header", sheet.rows[1][0]))
    row, values = sheet.rows[0] if sheet.rows else (2, [])
    form_id = _text(sheet.cell(values, "form_id"))
    if "form_id" in sheet.columns:
        if not form_id:
            collector.problems.append(sheet.at(row, "form_id", "empty: the questionnaire needs a form_id"))
        elif not FORM_ID.fullmatch(form_id):
            collector.problems.append(sheet.at(row, "form_id", f"{form_id!r}: 1 to 40 letters, digits, _ or -"))
    version = _text(sheet.cell(values, "version"))
    if "version" in sheet.columns:
        if not version:
            collector.problems.append(sheet.at(row, "version", "empty: every import needs a version "
                                               "(e.g. 2026.1), so answers keep the version they were asked in"))
        elif len(version) > MAX_VERSION:
            collector.problems.append(sheet.at(row, "version", f"longer than {MAX_VERSION} characters"))
    title = _texts(sheet, values, row, "form_title", collector, "title")
    if not title and any(key.startswith("form_title::") for key in sheet.columns):
        collector.problems.append(sheet.at(row, _first_column(sheet, "form_title"), "no title in any language"))
    if len(collector.problems) > missing:
        return None
    version_cell = sheet.at(row, "version", "")
    return _Settings({"form_id": form_id, "version": version, "title": title}, version_cell)


def _text(value: Any) -> str:
    """A cell as text: numbers as written (2 rather than 2.0), blanks as ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# ---------------------------------------------------------------- writing


def write_xlsform(questionnaire: Questionnaire) -> bytes:
    """The workbook ``read_xlsform`` reads back into the same questionnaire (a list per select question)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    survey = workbook.active
    assert survey is not None
    survey.title = SURVEY
    has_hint = any(q.hint for q in questionnaire.questions)
    header = ["type", "name", *(f"label::{loc}" for loc in LOCALES),
              *((f"hint::{loc}" for loc in LOCALES) if has_hint else ()),
              "required", "relevant", "area", "loyalty"]
    survey.append(header)
    for q in questionnaire.questions:
        hint = [(q.hint or {}).get(loc, "") for loc in LOCALES] if has_hint else []
        survey.append([f"{q.type} {q.name}" if q.type in SELECT_TYPES or q.scale is not None else q.type, q.name,
                       *(q.label.get(loc, "") for loc in LOCALES), *hint, "yes" if q.required else "no",
                       q.relevant or "", q.area.value if q.area else "", q.loyalty.value if q.loyalty else ""])
    choices = workbook.create_sheet(CHOICES)
    choices.append(["list_name", "name", *(f"label::{loc}" for loc in LOCALES)])
    for q in questionnaire.questions:
        for choice in q.choices:
            choices.append([q.name, choice.name, *(choice.label.get(loc, "") for loc in LOCALES)])
        for score, words in enumerate(q.scale or (), start=1):
            choices.append([q.name, str(score), *(words.get(loc, "") for loc in LOCALES)])
    settings = workbook.create_sheet(SETTINGS)
    settings.append(["form_id", *(f"form_title::{loc}" for loc in LOCALES), "version"])
    settings.append([questionnaire.form_id, *(questionnaire.title.get(loc, "") for loc in LOCALES),
                     questionnaire.version])
    for sheet in (survey, choices, settings):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for column in sheet.iter_cols():
            width = max(len(str(c.value or "")) * (2 if _wide(str(c.value or "")) else 1) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(max(10, width + 2), 60)
        for row in sheet.iter_rows():
            for cell in row:
                cell.number_format = "@"  # text: a version 2026.10 stays 2026.10
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _wide(text: str) -> bool:
    return any(ord(ch) > 0x2E80 for ch in text)
