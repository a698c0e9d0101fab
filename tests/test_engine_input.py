"""The pure engine's side of issue 12's input items: what an answered question shows, typed labels,
a description in two messages, which files a photo step takes (``dialogs.files``)."""

from __future__ import annotations

from datetime import date

import pytest

from dialogs.engine import (
    CANCEL,
    DONE,
    EDIT,
    SKIP,
    ButtonEvent,
    ChoiceStep,
    ConfirmStep,
    Dialog,
    DialogState,
    DocumentEvent,
    MultiChoiceStep,
    Option,
    PhotoEvent,
    PhotosStep,
    TextEvent,
    TextStep,
    advance,
    press_for_label,
    start,
)
from dialogs.files import declared_format, sniff
from dialogs.text import Lines, Msg, Plain, Plural, Text

TODAY = date(2026, 11, 23)

LABELS = {"Done": "完成", "Skip": "跳过", "◀ Back": "◀ 返回", "✖ Cancel": "✖ 取消", "✅ Confirm": "✅ 确认",
          "✏️ Edit": "✏️ 修改", "Leak": "漏水", "Noise": "噪音", "✅ {label}": "✅ {label}", "Which?": "哪一项？",
          "Describe": "描述", "Photos": "照片"}


def zh(text: Text) -> str:
    """A label as a Simplified-Chinese reader sees it (the tests' tiny catalog)."""
    if isinstance(text, Msg):
        return LABELS.get(text.msgid, text.msgid).format(**{k: zh(v) for k, v in text.params.items()})
    return text.text if isinstance(text, Plain) else str(text)


DIALOG = Dialog(
    name="input",
    steps=(
        ChoiceStep(key="kind", prompt=Msg("Which?"), label=Msg("Which?"),
                   options=(Option("leak", Msg("Leak")), Option("noise", Msg("Noise")))),
        TextStep(key="text", prompt=Msg("Describe it."), label=Msg("Describe"), min_len=5, max_len=40),
        PhotosStep(key="photos", prompt=Msg("Photos?"), label=Msg("Photos"), optional=True, max_items=3),
        MultiChoiceStep(key="when", prompt=Msg("When?"), options=(Option("am", Msg("Morning")),
                                                                  Option("pm", Msg("Afternoon")))),
        ConfirmStep(key="confirm", prompt=Msg("OK?")),
    ),
)


def at(step: str) -> DialogState:
    outcome = start(DIALOG, today=TODAY)
    state = outcome.state
    path: list[ButtonEvent | TextEvent] = [ButtonEvent(0, "c:leak"), TextEvent("The pipe leaks."), ButtonEvent(0, SKIP),
                                          ButtonEvent(0, "c:am"), ButtonEvent(0, DONE)]
    for event in path:
        assert state is not None
        if state.step == step:
            return state
        if isinstance(event, ButtonEvent):
            event = ButtonEvent(state.rev, event.code)
        state = advance(DIALOG, state, event, today=TODAY).state
    assert state is not None and state.step == step
    return state


def test_an_answer_is_shown_on_its_question() -> None:
    state = at("kind")
    outcome = advance(DIALOG, state, ButtonEvent(state.rev, "c:leak"), today=TODAY)
    assert outcome.answered == Msg("Your answer: {answer}", {"answer": Msg("Leak")})
    text = at("text")
    long = advance(DIALOG, text, TextEvent("x" * 40), today=TODAY)
    assert long.answered == Msg("Your answer: {answer}", {"answer": Plain("x" * 40)})
    cancelled = advance(DIALOG, text, ButtonEvent(text.rev, CANCEL), today=TODAY)
    assert cancelled.status == "cancelled" and cancelled.answered == Msg("✖ Cancelled")
    confirm = at("confirm")
    done = advance(DIALOG, confirm, ButtonEvent(confirm.rev, DONE), today=TODAY)
    assert done.status == "done" and done.answered == Msg("✅ Confirmed")


@pytest.mark.parametrize(("step", "typed", "code"), [
    ("kind", "漏水", "c:leak"),
    ("kind", " 噪音。", "c:noise"),
    ("text", "返回", "<"),
    ("text", "✖取消", "x"),
    ("photos", "跳过", SKIP),
    ("when", "Morning", "c:am"),
    ("confirm", "确认", DONE),
    ("confirm", "修改", EDIT),
    ("confirm", "描述", "e:1"),  # an item of the edit list, offered at the confirmation too
])
def test_a_typed_label_is_the_press_of_that_button(step: str, typed: str, code: str) -> None:
    state = at(step)
    pressed = press_for_label(DIALOG, state, typed, zh, today=TODAY)
    assert pressed == ButtonEvent(state.rev, code)


@pytest.mark.parametrize(("step", "typed"), [("kind", "漏"), ("kind", "完成"), ("text", "管道漏水了"), ("photos", "完成"),
                                             ("kind", "✅"), ("kind", "")])
def test_text_that_names_no_current_button_is_text(step: str, typed: str) -> None:
    assert press_for_label(DIALOG, at(step), typed, zh, today=TODAY) is None


def test_a_description_in_two_messages_is_joined() -> None:
    state = at("photos")
    outcome = advance(DIALOG, state, TextEvent(" and the floor is wet "), today=TODAY)
    assert outcome.state is not None
    assert outcome.state.answers["text"] == "The pipe leaks.\nand the floor is wet"
    assert outcome.state.rev == state.rev and outcome.state.step == "photos"
    [reply] = outcome.replies
    assert isinstance(reply.text, Lines) and reply.text.items[0] == Msg("Added to {item}.", {"item": Msg("Describe")})
    too_long = advance(DIALOG, outcome.state, TextEvent("y" * 30), today=TODAY)
    assert too_long.state == outcome.state
    assert too_long.replies[0].text == Msg("Not added: {item} would be longer than {limit} characters.",
                                           {"item": Msg("Describe"), "limit": 40})
    # Once the photo step has something, text is not taken as more description.
    with_photo = advance(DIALOG, outcome.state, PhotoEvent("p"), today=TODAY).state
    assert with_photo is not None
    refused = advance(DIALOG, with_photo, TextEvent("more"), today=TODAY)
    assert refused.state == with_photo
    assert refused.replies[0].text == Msg("Please send a photo, or press Done.")


@pytest.mark.parametrize(("event", "kept"), [
    (PhotoEvent("p"), True),  # not read: Telegram's photos are JPEG
    (PhotoEvent("p", "jpeg"), True),
    (PhotoEvent("p", ""), False),  # bytes that are no picture
    (PhotoEvent("p", "pdf"), False),
    (DocumentEvent("d", "a.pdf"), True),  # files are taken here: a PDF too
    (DocumentEvent("d", "a.pdf", "application/pdf", ""), False),  # …unless its bytes say otherwise
    (DocumentEvent("d", "notes.txt", "text/plain"), False),
    (DocumentEvent("d", "photo.jpg", "text/plain"), False),
    (DocumentEvent("d", "photo.jpg"), True),
    (DocumentEvent("d", "IMG.HEIC", "image/heic", "heic"), True),
    (DocumentEvent("d", "letter.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
     False),
])
def test_a_photo_step_keeps_pictures_and_pdf_files(event: PhotoEvent | DocumentEvent, kept: bool) -> None:
    state = at("photos")
    outcome = advance(DIALOG, state, event, today=TODAY)
    assert outcome.state is not None
    assert bool(outcome.state.answers.get("photos")) is kept
    if kept:
        assert outcome.replies[0].text in (
            Plural("Received {n} photo. Send more, or press Done.", "Received {n} photos. Send more, or press Done.", 1),
            Plural("Received {n} file. Send more, or press Done.", "Received {n} files. Send more, or press Done.", 1))
    else:
        assert outcome.replies[0].text == Msg("That file cannot be attached: only pictures (JPEG, PNG, WebP, HEIC or "
                                              "GIF) and PDF files are accepted.")


@pytest.mark.parametrize(("head", "kind"), [
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "jpeg"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "png"),
    (b"GIF89a\x01\x00", "gif"),
    (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "webp"),
    (b"\x00\x00\x00\x18ftypheic\x00\x00", "heic"),
    (b"\x00\x00\x00\x1cftypmif1\x00\x00", "heic"),
    (b"%PDF-1.4\n", "pdf"),
    (b"hello world", ""),
    (b"", ""),
    (b"\x89PNG", ""),  # cut short: not enough to tell
])
def test_files_are_told_by_their_first_bytes(head: bytes, kind: str) -> None:
    assert sniff(head) == kind


def test_a_documents_declared_type_decides_when_its_bytes_cannot_be_read() -> None:
    assert declared_format("image/jpeg", "x.bin") == "jpeg"
    assert declared_format("", "IMG_0001.HEIC") == "heic"
    assert declared_format("application/octet-stream", "scan.PDF") == "pdf"
    assert declared_format("text/plain", "photo.jpg") == ""
    assert declared_format("", "notes") == ""
