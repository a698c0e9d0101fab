"""One record as its printed paper form (issue 15, item 4): `estatebot admin report export record`
writes an A4 PDF with the CJK font embedded; rendered to PNG by poppler, every character of the
record in the embedded font (the glyph the font's own cmap names), phones masked; the data loaded
on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import io
import re
import shutil
import subprocess
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import cast

import pytest

from bot.cli import main
from bot.i18n import Catalogs
from dialogs.text import Text
from services.reports.record_forms import FormKind, NotFound, record_form
from services.reports.record_pdf import Box, Entry, RecordForm, Section, font_path, printable, render_pdf
from storage.db import create_engine, create_sessionmaker
from storage.uow import UnitOfWork
from tests.repair_records_fixture import COMPLAINT_TEXT, WORK_DONE, seed_repairs

POPPLER = ("pdftoppm", "pdffonts", "pdfinfo", "pdftotext")
needs_poppler = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in POPPLER),
    reason="poppler-utils (pdftoppm, pdffonts, pdfinfo, pdftotext) is not installed: the PDF cannot be rendered",
)
NOW = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)


@pytest.fixture
def seeded(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("TIMEZONE", raising=False)
    monkeypatch.chdir(tmp_path)
    seed_repairs(database_url)
    return database_url


def _form(url: str, number: str, kind: FormKind | None = None) -> RecordForm:
    async def load() -> RecordForm:
        engine = create_engine(url)
        try:
            async with UnitOfWork(create_sessionmaker(engine)) as uow:
                return await record_form(uow, number, kind, NOW)
        finally:
            await engine.dispose()

    return asyncio.run(load())


def _texts(form: RecordForm) -> Iterator[Text]:
    yield from (form.title, form.number, form.heading, form.signature_date, form.footer, *form.signatures)
    for section in form.sections:
        if section.title is not None:
            yield section.title
        for box in section.boxes:
            yield from (box.label, box.value)
    yield from form.history_columns or ()
    for entry in form.history:
        yield from (entry.when, entry.what, entry.who, entry.details)


# ---------------------------------------------------------------- reading the PDF back


def _stream(pdf: bytes, number: int) -> bytes:
    match = re.search(rb"(?<![0-9])%d 0 obj\s*<<((?:(?!>>\s*stream).)*?)>>\s*stream\r?\n" % number, pdf, re.S)
    assert match is not None, f"object {number} has no stream"
    length = int(re.search(rb"/Length (\d+)", match[1])[1])  # type: ignore[index]
    raw = pdf[match.end():match.end() + length]
    return zlib.decompress(raw) if b"FlateDecode" in match[1] else raw


def _pairs(cmap: bytes, section: str) -> dict[int, int]:
    """A CMap's single mappings (``bfchar``: code → Unicode; ``cidchar``: code → CID)."""
    pairs: dict[int, int] = {}
    for block in re.findall(rb"begin%s(.*?)end%s" % (section.encode(), section.encode()), cmap, re.S):
        for code, value in re.findall(rb"<([0-9A-Fa-f]+)>\s*<?([0-9A-Fa-f]+)>?", block):
            pairs[int(code, 16)] = int(value, 16) if section == "bfchar" else int(value)
    return pairs


def embedded_glyphs(pdf: bytes) -> dict[str, str]:
    """Each character the PDF shows → the glyph name of the embedded CFF font that draws it (code →
    CID by the font's encoding CMap, code → character by its ToUnicode CMap, CID → glyph in the
    embedded font's charset); only glyphs that are really in the embedded font."""
    from fontTools.cffLib import CFFFontSet  # type: ignore[import-untyped]

    font = re.search(rb"/DescendantFonts \[(\d+) 0 R\]\s*/Encoding (\d+) 0 R\s*/Subtype /Type0\s*/ToUnicode (\d+) 0 R",
                     pdf)
    assert font is not None, "no Type0 (CID) font"
    encoding, to_unicode = _pairs(_stream(pdf, int(font[2])), "cidchar"), _pairs(_stream(pdf, int(font[3])), "bfchar")
    descriptor = re.search(rb"/FontFile3 (\d+) 0 R", pdf)
    assert descriptor is not None, "the font is not embedded as CFF (FontFile3)"
    fonts = CFFFontSet()
    fonts.decompile(io.BytesIO(_stream(pdf, int(descriptor[1]))), None)
    cff = fonts[fonts.fontNames[0]]
    drawn = set(cff.charset)
    glyphs: dict[str, str] = {}
    for code, char in to_unicode.items():
        name = f"cid{encoding[code]:05d}"
        if name in drawn and code:
            glyphs[chr(char)] = name
    return glyphs


def source_glyphs() -> dict[int, str]:
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    with TTFont(str(font_path()), lazy=True) as font:
        return dict(font.getBestCmap())


def check_pdf(path: Path, form: RecordForm, locale: str) -> str:
    """The checks every printed form passes; its text as pdftotext reads it (whitespace removed)."""
    pdf = path.read_bytes()
    assert pdf.startswith(b"%PDF-")
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info), info
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert len(fonts) == 1 and "NotoSansCJKSC" in fonts[0], fonts  # one font, the CJK one
    assert fonts[0].split()[-5:-2] == ["yes", "yes", "yes"]  # embedded, subset, with a ToUnicode map
    # Every character of the record is drawn by the embedded font, with the glyph its cmap names.
    label = Catalogs().get(locale).label
    shown = {ch for text in _texts(form) for ch in printable(label(text)) if not ch.isspace()}
    glyphs, cmap = embedded_glyphs(pdf), source_glyphs()
    missing = sorted(ch for ch in shown if ch not in glyphs)
    assert not missing, f"characters without a glyph in the embedded font: {missing}"
    assert all(glyphs[ch] == cmap[ord(ch)] for ch in shown)
    # Rendered by poppler: an A4 page (at 50 dpi) with ink on it.
    prefix = path.with_suffix("")
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(path), str(prefix)], check=True)
    pages = sorted(path.parent.glob(f"{prefix.name}-*.png"))
    assert pages
    from PIL import Image

    with Image.open(pages[0]) as image:
        assert image.size == (414, 585)  # 210 × 297 mm
        darkest, _ = cast(tuple[int, int], image.convert("L").getextrema())  # one band: (min, max)
        assert darkest < 80  # ruled lines and text, not a blank page
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", "", text)


@needs_poppler
def test_complaint_form(seeded: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "complaint.pdf"
    assert main(["admin", "report", "export", "record", "TS-2026-000009", str(path)]) == 0
    assert capsys.readouterr().out.startswith(f"顾客来访/投诉处理单 TS-2026-000009 written to {path}")
    form = _form(seeded, "TS-2026-000009")
    text = check_pdf(path, form, "zh_Hans_CN")
    assert text.startswith("顾客来访/投诉处理单华苑编号：TS-2026-000009")
    assert re.sub(r"\s+", "", COMPLAINT_TEXT) in text  # the owner's words, whole, wrapped
    assert "138****1234" in text and "13812341234" not in text
    assert "处理经过" in text and "向业主申请延期" in text and "原因：需观察一周的保洁效果" in text
    assert "业主确认（签字）" in text and "经办人（签字）" in text and "部门经理（签字）" in text
    label = Catalogs().get("zh_Hans_CN").label
    assert [label(section.title) for section in form.sections if section.title] == ["投诉", "处理情况", "业主确认及回访"]
    assert len(form.history) == 9


@needs_poppler
def test_work_order_form_in_hong_kong(seeded: str, tmp_path: Path) -> None:
    path = tmp_path / "order.pdf"
    assert main(["admin", "report", "export", "record", "BX-2026-000007-1", str(path), "--locale", "zh_Hant_HK"]) == 0
    form = _form(seeded, "BX-2026-000007-1")
    text = check_pdf(path, form, "zh_Hant_HK")
    assert text.startswith("工程派工單華苑編號：BX-2026-000007-1") or text.startswith("工程派工單华苑編號：BX-2026-000007-1")
    assert "A類" in text and "承建商（保留金）" in text and re.sub(r"\s+", "", WORK_DONE) in text
    assert "派工時間24/11/2026上午11:00" in text  # Babel's narrow space printed as a space
    assert "維修人員（簽署）" in text and "驗收人（簽署）" in text and "業主確認（簽署）" in text
    assert "主卫地面渗水，楼下1101顶棚有水渍□" in text  # the owner's emoji: not in the font, printed as □
    assert form.history == ()  # the paper work order has no history


@needs_poppler
def test_site_survey_form_in_taiwan(seeded: str, tmp_path: Path) -> None:
    path = tmp_path / "survey.pdf"
    assert main(["admin", "report", "export", "record", "BX-2026-000007", str(path), "--form", "site-survey",
                 "--locale", "zh_Hant_TW"]) == 0
    text = check_pdf(path, _form(seeded, "BX-2026-000007", FormKind.SITE_SURVEY), "zh_Hant_TW")
    assert text.startswith("現場勘察會簽表")
    # The latest survey (countersigned), not the one the builder objected to.
    assert "會簽已會簽" in text and "渗漏点在业主自行改动的地漏" not in text
    assert "營造廠代表（簽名）" in text and "維修隊長（簽名）" in text


@needs_poppler
def test_repair_form_and_english(seeded: str, tmp_path: Path) -> None:
    path = tmp_path / "repair.pdf"
    assert main(["admin", "report", "export", "record", "BX-2026-000007", str(path)]) == 0
    text = check_pdf(path, _form(seeded, "BX-2026-000007"), "zh_Hans_CN")
    assert text.startswith("维修服务及回访记录表") and "A类（施工单位保修）" in text and "回访时间2026/11/2814:00" in text
    english = tmp_path / "order_en.pdf"
    assert main(["admin", "report", "export", "record", "BX-2026-000007", str(english), "--form", "work-order",
                 "--locale", "en"]) == 0
    text = check_pdf(english, _form(seeded, "BX-2026-000007", FormKind.WORK_ORDER), "en")
    assert text.startswith("WorkOrder华苑No.:BX-2026-000007-1") and "Checkedandaccepted" in text


def test_record_not_found(seeded: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["admin", "report", "export", "record", "BX-2026-999999", str(tmp_path / "x.pdf")]) == 1
    assert capsys.readouterr().err == "error: no case or work order BX-2026-999999\n"
    assert main(["admin", "report", "export", "record", "TS-2026-000009", str(tmp_path / "x.pdf"),
                 "--form", "work-order"]) == 1
    assert capsys.readouterr().err == "error: TS-2026-000009 is a complaint: it has no work-order form\n"
    with pytest.raises(NotFound):
        _form(seeded, "BX-2026-000007", FormKind.COMPLAINT)
    assert not (tmp_path / "x.pdf").exists()
    assert main(["admin", "report", "export", "record", "TS-2026-000009", str(tmp_path / "no" / "x.pdf")]) == 1
    assert capsys.readouterr().err.startswith("error: [Errno 2] No such file or directory")


def test_loading_a_record(seeded: str) -> None:
    """What each form loads, on both databases: the work order's estimate is its own survey's, the
    survey form shows the latest survey, names of everyone the record mentions."""
    order = _form(seeded, "BX-2026-000007-1")
    label = Catalogs().get("zh_Hans_CN").label
    shown = {label(box.label): label(box.value) for section in order.sections for box in section.boxes}
    assert shown["预估费用"] == "¥1,520.50" and shown["维修人员"] == "张师傅" and shown["验收人"] == "李客服"
    assert shown["电话"] == "138****1234" and shown["结算金额"] == "¥21,560.50" and shown["类别"] == "A类"
    survey = _form(seeded, "BX-2026-000007", FormKind.SITE_SURVEY)
    shown = {label(b.label): label(b.value) for s in survey.sections for b in s.boxes}
    assert shown["会签"] == "已会签" and shown["会签人"] == "刘工" and shown["异议"] == ""
    complaint = _form(seeded, "TS-2026-000009")
    assert [label(e.who) for e in complaint.history][:3] == ["业主", "", "赵质管"]


def test_render_pdf_alone(tmp_path: Path) -> None:
    """The PDF module needs no database: a form in, A4 bytes out; long text wraps onto more pages."""
    form = RecordForm(title="测试表", number="编号：1", heading="华苑", sections=(
        Section(None, tuple(Box(f"字段{i}", "内容" * 60, wide=i % 3 == 0) for i in range(40))),),
        signatures=("业主确认（签字）",), signature_date="日期：")
    pdf = render_pdf(form, str)
    assert pdf.startswith(b"%PDF-") and b"/MediaBox [0 0 595.28 841.89]" in pdf
    assert len(re.findall(rb"/Type /Page\b", pdf)) > 1
    # A text taller than a page (an owner's 60 short lines; a history entry of 1,000 characters twice)
    # goes on over several rows and pages instead of failing.
    lines = "\n".join(f"第{i}行：漏水" for i in range(60))
    tall = RecordForm(title="测试表", number="编号：2", heading="华苑",
                      sections=(Section(None, (Box("投诉内容", lines, wide=True),)),),
                      history_title="处理记录", history_columns=("时间", "事项", "经办人", "详情"),
                      history=(Entry("2026-11-02 10:00", "受理", "李客服", "说明" * 1000),),
                      signatures=("业主确认（签字）",), signature_date="日期：")
    written = render_pdf(tall, str)
    assert len(re.findall(rb"/Type /Page\b", written)) >= 3
