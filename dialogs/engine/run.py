"""Running a dialog: ``start`` and ``advance(dialog, state, event) -> Outcome``, and the prompts.

A dialog is a declared tuple of steps. The engine knows nothing of Telegram or SQL: it takes
plain events, returns the new (JSON-serialisable) state and locale-free replies. Buttons carry
the state's revision, so a button from an earlier step is recognised as stale and refused.

One question has one set of live buttons: when it is answered the caller edits it to show the
answer (``Outcome.answered``) without buttons; input that is refused is answered by the reason,
carrying the question's buttons (the earlier copy loses them), never by the whole question again.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from dialogs.engine.events import (
    BackEvent,
    ButtonEvent,
    CancelEvent,
    DocumentEvent,
    Event,
    PhotoEvent,
    RepeatEvent,
    TextEvent,
)
from dialogs.engine.replies import BACK, CANCEL, DONE, EDIT, KEEP, PREFILL, SKIP, SUMMARY, Button, Reply
from dialogs.engine.state import DialogState, Outcome
from dialogs.engine.steps import (
    AmountStep,
    ChoiceStep,
    ConfirmStep,
    DateStep,
    Dialog,
    MultiChoiceStep,
    Option,
    PhoneStep,
    PhotosStep,
    RatingStep,
    Step,
    TextStep,
)
from dialogs.engine.validation import _Invalid, _Valid, accept, example_date, validate_text
from dialogs.files import FILE_FORMATS, IMAGE_FORMATS, attachments_text, declared_format
from dialogs.phones import display_phone, normalize_phone
from dialogs.text import N_, DateText, Field, Label, Lines, ListText, Money, Msg, Plain, Plural, Text

ANSWER_SHOWN_CHARS = 60  # a typed answer repeated on its question is cut here
EARLIER_SHOWN_CHARS = 300  # an earlier typed answer shown when its question is asked again (◀ Back)

# ---------------------------------------------------------------- public API


def start(
    dialog: Dialog, context: Mapping[str, Any] | None = None, *, today: date, first_rev: int = 1,
    answers: Mapping[str, Any] | None = None,
) -> Outcome:
    """The dialog's first question. ``first_rev``: the revision its buttons carry — the caller
    makes it differ from any earlier dialog's in the same chat, so their old buttons stay stale.

    ``answers`` given earlier (a survey resumed): the steps they answer are passed over and kept,
    in the history (so Back reaches them), and the dialog asks its first unanswered question."""
    ctx = dict(context or {})
    given = {key: value for key, value in (answers or {}).items() if key in {s.key for s in dialog.steps}}
    kept: dict[str, Any] = {}
    history: list[str] = []
    first = _next_applicable(dialog, -1, kept, ctx)
    while first is not None:
        step = dialog.step(first)
        if first in given and not isinstance(step, ConfirmStep):
            kept[first] = given[first]
            history.append(first)
        elif _auto_answer(step, ctx) is not None:
            kept[first] = _auto_answer(step, ctx)
        else:
            break
        first = _next_applicable(dialog, dialog.index(first), kept, ctx)
    if first is None:
        return _finish(dialog, DialogState(dialog.name, "", kept, ctx, rev=first_rev))
    state = DialogState(dialog=dialog.name, step=first, answers=kept, context=ctx, history=tuple(history),
                        rev=first_rev)
    return Outcome("continue", state, (prompt(dialog, state, today=today),))


def advance(dialog: Dialog, state: DialogState, event: Event, *, today: date) -> Outcome:
    """Apply one event. Invalid input leaves the state unchanged and says why."""
    if state.dialog != dialog.name or state.step not in {s.key for s in dialog.steps}:
        return Outcome("cancelled", None, (Reply(Msg(N_("This conversation has expired.")), remove_keyboard=True),))
    step = dialog.step(state.step)

    if isinstance(event, CancelEvent) or (isinstance(event, ButtonEvent) and event.code == CANCEL):
        if isinstance(event, ButtonEvent) and event.rev != state.rev:
            return _stale(state)
        if dialog.pause_text is not None:
            return Outcome("paused", None, (Reply(dialog.pause_text, remove_keyboard=True),), dict(state.answers),
                           dialog.name, state.context, answered=Msg(N_("⏸ Paused")))
        return Outcome("cancelled", None, (Reply(Msg(N_("Cancelled. Nothing was saved.")), remove_keyboard=True),),
                       answered=Msg(N_("✖ Cancelled")))
    if isinstance(event, RepeatEvent):
        return Outcome("continue", state, (prompt(dialog, state, today=today),))
    if isinstance(event, ButtonEvent) and event.rev != state.rev:
        return _stale(state)
    if isinstance(event, BackEvent) or (isinstance(event, ButtonEvent) and event.code == BACK):
        return _back(dialog, state, today)
    if isinstance(event, TextEvent) and (continued := _continued_text(dialog, state)) is not None:
        return _append(dialog, state, continued, event.text, today)

    if isinstance(step, ConfirmStep):
        return _confirm(dialog, state, step, event, today)
    if isinstance(step, PhotosStep):
        return _photos(dialog, state, step, event, today)
    if isinstance(step, MultiChoiceStep):
        return _multi(dialog, state, step, event, today)

    options = options_of(step, state.context) if isinstance(step, ChoiceStep) else ()
    value_or_error = accept(step, state, event, today, options)
    if isinstance(value_or_error, _Invalid):
        return _refused(dialog, state, value_or_error.message, today)
    return _answered(dialog, state, step.key, value_or_error.value, today)


def prompt(dialog: Dialog, state: DialogState, *, today: date) -> Reply:
    """The message that asks the current step's question, with its buttons."""
    step = dialog.step(state.step)
    nav = _nav_row(dialog, state)
    if isinstance(step, MultiChoiceStep):
        chosen = set(state.answers.get(step.key) or ())
        buttons = [Button(Msg(N_("✅ {label}"), {"label": o.label}) if o.code in chosen else o.label, "c:" + o.code)
                   for o in options_of(step, state.context)]
        done = [(Button(Msg(N_("Done")), DONE),)] if len(chosen) >= step.min_items else []
        if step.optional and not chosen:
            done = [(Button(Msg(N_("Skip")), SKIP),)]
        return Reply(step.prompt, (*_chunk(buttons, step.columns), *done, nav), rev=state.rev)
    skip = [(Button(Msg(N_("Skip")), SKIP),)] if step.optional else []
    if isinstance(step, ChoiceStep):
        buttons = [Button(o.label, "c:" + o.code) for o in options_of(step, state.context)]
        return Reply(step.prompt, (*_chunk(buttons, step.columns), *skip, nav), rev=state.rev)
    if isinstance(step, RatingStep):
        if step.labels is None:
            return Reply(step.prompt, (tuple(Button(str(n), f"r:{n}") for n in range(1, 6)), *skip, nav), rev=state.rev)
        # Worded: one per row, best first (read top down on a phone), the number always visible.
        scale = [(Button(_scored(n, step.labels), f"r:{n}"),) for n in range(5, 0, -1)]
        return Reply(step.prompt, (*scale, *skip, nav), rev=state.rev)
    if isinstance(step, PhoneStep):
        rows: list[tuple[Button, ...]] = []
        prefill = normalize_phone(str(state.context.get(step.prefill_from) or "")) if step.prefill_from else None
        if prefill:
            rows.append((Button(Msg(N_("Use {phone}"), {"phone": display_phone(prefill)}), PREFILL),))
        if step.optional:
            rows.append((Button(Msg(N_("Skip")), SKIP),))
        return Reply(
            step.prompt,
            (*rows, nav),
            rev=state.rev,
            request_contact=Msg(N_("📱 Share my phone number")),
        )
    if isinstance(step, PhotosStep):
        items = list(state.answers.get(step.key) or [])
        rows = _photo_rows(step, items)
        # The text says what the buttons shown do: Skip before anything arrived, Done after.
        if items:
            return Reply(Lines((step.prompt, _received(items))), (*rows, nav), rev=state.rev)
        hint = Msg(N_("Send them here, or press Skip.")) if step.optional else Msg(N_("Send them here."))
        return Reply(Lines((step.prompt, hint)), (*rows, nav), rev=state.rev)
    if isinstance(step, ConfirmStep):
        return Reply(Lines((step.prompt, summarize(dialog, state))), (*_confirm_rows(), nav), rev=state.rev)
    if isinstance(step, DateStep):
        rows = [(Button(Msg(N_("Skip")), SKIP),)] if step.optional else []
        example = Msg(N_("For example: {date}"), {"date": DateText(example_date(step, today))})
        return Reply(Lines((step.prompt, example)), (*rows, nav), rev=state.rev)
    rows = [(Button(Msg(N_("Skip")), SKIP),)] if step.optional else []
    earlier = state.answers.get(step.key)
    if isinstance(step, TextStep) and isinstance(earlier, str) and earlier:
        # Back at a text already answered: show it and offer to keep it, so it need not be typed again
        # (and Skip is not the only way on).
        shown = _cut(earlier, EARLIER_SHOWN_CHARS)
        keep = [(Button(Msg(N_("✔ Keep this answer")), KEEP),)]
        return Reply(Lines((step.prompt, Msg(N_("Your earlier answer: {answer}"), {"answer": shown}))),
                     (*keep, *rows, nav), rev=state.rev)
    return Reply(step.prompt, (*rows, nav), rev=state.rev)


def offered_buttons(dialog: Dialog, state: DialogState, *, today: date) -> tuple[Button, ...]:
    """Every button the current revision may show: the question's, and at a confirmation also
    the edit list's."""
    buttons = [button for row in prompt(dialog, state, today=today).buttons for button in row]
    if isinstance(dialog.step(state.step), ConfirmStep):
        buttons += [button for row in _edit_list(dialog, state).buttons for button in row]
    return tuple(buttons)


def press_for_label(
    dialog: Dialog, state: DialogState, typed: str, label: Callable[[Text], str], *, today: date
) -> ButtonEvent | None:
    """The press a typed message means when it is the visible label of a current button ("完成",
    "跳过", "确认", an option's name), compared without emoji, spaces, punctuation or case;
    ``label`` renders a button's label as the reader sees it. None when it names no button."""
    button = button_named(offered_buttons(dialog, state, today=today), typed, label)
    return ButtonEvent(state.rev, button.code) if button is not None else None


def button_named(buttons: Sequence[Button], typed: str, label: Callable[[Text], str]) -> Button | None:
    """The button whose visible label ``typed`` is (compared without emoji, spaces, punctuation or
    case), or None."""
    wanted = _label_key(typed)
    if not wanted:
        return None
    return next((button for button in buttons if _label_key(label(button.label)) == wanted), None)


def summarize(dialog: Dialog, state: DialogState) -> Lines:
    """One line per answered, labelled step, in dialog order."""
    lines: list[Text] = []
    for step in dialog.steps:
        if step.label is None or step.key not in state.answers:
            continue
        if not _applies(step, state.answers, state.context):
            continue
        if isinstance(step, PhotosStep) and not state.answers[step.key]:
            continue  # no attachments: no line (a "(skipped)" photo line says nothing)
        lines.append(Field(step.label, display_answer(step, state.answers[step.key], state.context)))
    return Lines(tuple(lines))


def display_answer(step: Step, value: Any, context: Mapping[str, Any]) -> Text:
    if value is None or (isinstance(step, PhotosStep) and not value):
        return Msg(N_("(skipped)"))
    if isinstance(step, MultiChoiceStep):
        labels = {o.code: o.label for o in options_of(step, context)}
        return ListText(tuple(labels.get(code, Plain(str(code))) for code in value))
    if isinstance(step, AmountStep):
        return Money(str(value))
    if isinstance(step, ChoiceStep):
        for option in options_of(step, context):
            if option.code == value:
                return option.label
        return Plain(str(value))
    if isinstance(step, PhotosStep):
        return attachments_text(value)
    if isinstance(step, PhoneStep):
        return Plain(display_phone(str(value)))
    if isinstance(step, DateStep):
        return DateText(date.fromisoformat(str(value)))
    if isinstance(step, RatingStep):
        return _scored(int(value), step.labels) if step.labels is not None else Msg(N_("{n} / 5"), {"n": int(value)})
    return Plain(str(value))


def _scored(n: int, labels: Sequence[Label]) -> Msg:
    """A score with its word: "5 · Very satisfied"."""
    return Msg(N_("{n} · {label}"), {"n": n, "label": labels[n - 1]})


def options_of(step: ChoiceStep, context: Mapping[str, Any]) -> tuple[Option, ...]:
    if step.options_from is None:
        return step.options
    # Entries are [code, label] (shown as is) or [code, msgid, "msg"] (translated).
    raw = context.get(step.options_from) or []
    return tuple(
        Option(str(entry[0]), Msg(str(entry[1])) if len(entry) > 2 and entry[2] == "msg" else Plain(str(entry[1])))
        for entry in raw
    )


# ---------------------------------------------------------------- transitions


def _applies(step: Step, answers: Mapping[str, Any], context: Mapping[str, Any]) -> bool:
    return step.when is None or step.when.holds(answers, context)


def _auto_answer(step: Step, context: Mapping[str, Any]) -> str | None:
    if isinstance(step, ChoiceStep) and step.auto_single and not isinstance(step, MultiChoiceStep):
        options = options_of(step, context)
        if len(options) == 1:
            return options[0].code
    return None


def _next_applicable(dialog: Dialog, after: int, answers: Mapping[str, Any], context: Mapping[str, Any]) -> str | None:
    for step in dialog.steps[after + 1 :]:
        if _applies(step, answers, context):
            return step.key
    return None


def _answered(dialog: Dialog, state: DialogState, key: str, value: Any, today: date) -> Outcome:
    answers = {**state.answers, key: value}
    history = (*state.history, key)
    position = dialog.index(key)
    shown = _answer_line(dialog.step(key), value, state.context)
    while True:
        nxt = _next_applicable(dialog, position, answers, state.context)
        if nxt is None:
            return _finish(dialog, replace(state, answers=answers), shown)
        auto = _auto_answer(dialog.step(nxt), state.context)
        if auto is not None:
            answers[nxt] = auto
            position = dialog.index(nxt)
            continue
        # After an edit, skip ahead over steps that still hold an answer (straight back to confirm).
        if state.editing and nxt in answers and not isinstance(dialog.step(nxt), ConfirmStep):
            position = dialog.index(nxt)
            continue
        break
    new_state = replace(state, step=nxt, answers=answers, history=history, rev=state.rev + 1, editing=False)
    return Outcome("continue", new_state, (prompt(dialog, new_state, today=today),), answered=shown)


def _finish(dialog: Dialog, state: DialogState, answered: Text | None = None) -> Outcome:
    applicable = {
        s.key: state.answers[s.key]
        for s in dialog.steps
        if s.key in state.answers and _applies(s, state.answers, state.context) and not isinstance(s, ConfirmStep)
    }
    replies = (Reply(dialog.done_text, remove_keyboard=True),) if dialog.done_text else ()
    return Outcome("done", None, replies, applicable, dialog.name, state.context, answered=answered)


def _back(dialog: Dialog, state: DialogState, today: date) -> Outcome:
    # Pass over steps that no longer apply (an edit changed an answer) or no longer exist.
    history = list(state.history)
    keys = {s.key for s in dialog.steps}
    while history and (history[-1] not in keys or not _applies(dialog.step(history[-1]), state.answers, state.context)):
        history.pop()
    if not history:
        return _refused(dialog, state, Msg(N_("This is the first step. Use Cancel to stop.")), today)
    previous = history[-1]
    new_state = replace(state, step=previous, history=tuple(history[:-1]), rev=state.rev + 1, editing=False)
    return Outcome("continue", new_state, (prompt(dialog, new_state, today=today),))


def _refused(dialog: Dialog, state: DialogState, reason: Msg, today: date) -> Outcome:
    """The reason, carrying the question's buttons (so one copy of them is live), not the question again."""
    return Outcome("continue", state, (replace(prompt(dialog, state, today=today), text=reason),))


def _stale(state: DialogState) -> Outcome:
    # A double tap, or a button of an earlier question: nothing to send, only a note on the press.
    return Outcome("continue", state, (),
                   notice=Msg(N_("That button belongs to an earlier question; please use the latest one.")))


def _continued_text(dialog: Dialog, state: DialogState) -> TextStep | None:
    """The text step just answered, when a further text message most likely continues it: the
    current step takes no text (photos, a choice, the confirmation) and has nothing yet."""
    step = dialog.step(state.step)
    if not isinstance(step, PhotosStep | ChoiceStep | ConfirmStep) or state.answers.get(step.key):
        return None
    if not state.history or state.history[-1] not in {s.key for s in dialog.steps}:
        return None
    previous = dialog.step(state.history[-1])
    if not isinstance(previous, TextStep) or not isinstance(state.answers.get(previous.key), str):
        return None
    return previous if _applies(previous, state.answers, state.context) else None


def _append(dialog: Dialog, state: DialogState, previous: TextStep, text: str, today: date) -> Outcome:
    """A description typed in two messages: the second is added to the first (same question open)."""
    addition = validate_text(text, 1, previous.max_len)
    if not isinstance(addition, _Valid):
        return _refused(dialog, state, addition.message, today)
    combined = f"{state.answers[previous.key]}\n{addition.value}"
    name: Label = previous.label or Msg(N_("your previous answer"))
    if len(combined) > previous.max_len:
        return _refused(dialog, state, Msg(N_("Not added: {item} would be longer than {limit} characters."),
                                           {"item": name, "limit": previous.max_len}), today)
    # Same revision: the question's buttons stay valid; a confirmation shows the new summary.
    new_state = replace(state, answers={**state.answers, previous.key: combined})
    again = prompt(dialog, new_state, today=today)
    added = Msg(N_("Added to {item}."), {"item": name})
    return Outcome("continue", new_state, (replace(again, text=Lines((added, again.text))),))


def _photos(dialog: Dialog, state: DialogState, step: PhotosStep, event: Event, today: date) -> Outcome:
    items: list[dict[str, str]] = list(state.answers.get(step.key) or [])
    if isinstance(event, ButtonEvent) and event.code in (DONE, SKIP):
        if not items and not step.optional:
            return _refused(dialog, state, Msg(N_("Please send at least one photo.")), today)
        return _answered(dialog, state, step.key, items, today)
    if isinstance(event, PhotoEvent | DocumentEvent):
        item = _attachment(step, event)
        if isinstance(item, Msg):
            return _refused(dialog, state, item, today)
        items.append(item)
    elif items:
        return _refused(dialog, state, Msg(N_("Please send a photo, or press Done.")), today)
    elif step.optional:
        return _refused(dialog, state, Msg(N_("Please send a photo, or press Skip.")), today)
    else:
        return _refused(dialog, state, Msg(N_("Please send at least one photo.")), today)
    if len(items) > step.max_items:
        return _refused(dialog, state, Msg(N_("At most {n} files can be attached."), {"n": step.max_items}), today)
    if len(items) == step.max_items:
        return _answered(dialog, state, step.key, items, today)
    # Collecting within a step keeps the revision: the question stays open. What arrived is
    # confirmed in a short line that carries the buttons (Done now), not the question again.
    new_state = replace(state, answers={**state.answers, step.key: items})
    return Outcome("continue", new_state, (Reply(_received(items), (*_photo_rows(step, items), _nav_row(dialog, state)),
                                                 rev=state.rev),))


def _attachment(step: PhotosStep, event: PhotoEvent | DocumentEvent) -> dict[str, str] | Msg:
    """What a photo step keeps of a file, or why it refuses it: pictures only, and PDF files where
    the step takes files (``dialogs.files``). The bytes decide when they could be read."""
    if isinstance(event, PhotoEvent):
        if event.format is None or event.format in IMAGE_FORMATS:  # Telegram's photos are JPEG
            return {"kind": "photo", "file_id": event.file_id}
        return _not_a_picture(step)
    found = event.format if event.format is not None else declared_format(event.mime_type, event.file_name)
    if found in (FILE_FORMATS if step.accept_documents else IMAGE_FORMATS):
        return {"kind": "document", "file_id": event.file_id, "name": event.file_name[:100]}
    return _not_a_picture(step)


def _not_a_picture(step: PhotosStep) -> Msg:
    if step.accept_documents:
        return Msg(N_("That file cannot be attached: only pictures (JPEG, PNG, WebP, HEIC or GIF) and PDF files "
                      "are accepted."))
    return Msg(N_("That file is not a picture. Please send a photo (JPEG, PNG, WebP, HEIC or GIF)."))


def _received(items: Sequence[Mapping[str, str]]) -> Text:
    if all(item.get("kind") == "photo" for item in items):
        return Plural("Received {n} photo. Send more, or press Done.",
                      "Received {n} photos. Send more, or press Done.", len(items))
    return Plural("Received {n} file. Send more, or press Done.", "Received {n} files. Send more, or press Done.",
                  len(items))


def _photo_rows(step: PhotosStep, items: Sequence[object]) -> list[tuple[Button, ...]]:
    if items:
        return [(Button(Msg(N_("Done")), DONE),)]
    return [(Button(Msg(N_("Skip")), SKIP),)] if step.optional else []


def _multi(dialog: Dialog, state: DialogState, step: MultiChoiceStep, event: Event, today: date) -> Outcome:
    chosen: list[str] = list(state.answers.get(step.key) or [])
    if isinstance(event, ButtonEvent) and event.code == SKIP and step.optional and not chosen:
        return _answered(dialog, state, step.key, [], today)
    if isinstance(event, ButtonEvent) and event.code == DONE:
        if len(chosen) < step.min_items:
            return _refused(dialog, state, Msg(N_("Please choose at least one option.")), today)
        return _answered(dialog, state, step.key, chosen, today)
    codes = [o.code for o in options_of(step, state.context)]
    if not (isinstance(event, ButtonEvent) and event.code.startswith("c:") and event.code[2:] in codes):
        return _refused(dialog, state, Msg(N_("Please choose with the buttons, then press Done.")), today)
    code = event.code[2:]
    chosen = [c for c in chosen if c != code] if code in chosen else [c for c in codes if c in {*chosen, code}]
    # Toggling keeps the revision and redraws the same question in place (✅ on the chosen ones).
    new_state = replace(state, answers={**state.answers, step.key: chosen})
    return Outcome("continue", new_state, (), refresh=prompt(dialog, new_state, today=today))


def _confirm(dialog: Dialog, state: DialogState, step: ConfirmStep, event: Event, today: date) -> Outcome:
    if isinstance(event, ButtonEvent) and event.code == DONE:
        return _finish(dialog, state, Msg(N_("✅ Confirmed")))
    if isinstance(event, ButtonEvent) and event.code == EDIT:
        return Outcome("continue", state, (), refresh=_edit_list(dialog, state))
    if isinstance(event, ButtonEvent) and event.code == SUMMARY:
        return Outcome("continue", state, (), refresh=prompt(dialog, state, today=today))
    if isinstance(event, ButtonEvent) and re.fullmatch(r"e:[0-9]{1,9}", event.code):
        index = int(event.code[2:])
        if index < len(dialog.steps):
            target = dialog.steps[index]
            if target.label is not None and _editable(target, state):
                new_state = replace(
                    state, step=target.key, history=(*state.history, step.key), rev=state.rev + 1, editing=True
                )
                return Outcome("continue", new_state, (prompt(dialog, new_state, today=today),),
                               answered=Msg(N_("✏️ Changing: {item}"), {"item": target.label}))
    return _refused(dialog, state, Msg(N_("Please confirm with the button, or choose Edit.")), today)


def _editable(step: Step, state: DialogState) -> bool:
    return step.key in state.answers and _applies(step, state.answers, state.context) and \
        _auto_answer(step, state.context) is None


def _edit_list(dialog: Dialog, state: DialogState) -> Reply:
    """The confirmation redrawn with one button per answer to change, and the way back to it."""
    step = dialog.step(state.step)
    rows = tuple((Button(s.label, f"e:{i}"),) for i, s in enumerate(dialog.steps)
                 if s.label is not None and _editable(s, state))
    back = (Button(Msg(N_("↩ Back to the summary")), SUMMARY),)
    text = Lines((step.prompt, summarize(dialog, state), Msg(N_("Which item do you want to change?"))))
    return Reply(text, (*rows, back, _nav_row(dialog, state)), rev=state.rev)


def _confirm_rows() -> tuple[tuple[Button, ...], ...]:
    return ((Button(Msg(N_("✅ Confirm")), DONE), Button(Msg(N_("✏️ Edit")), EDIT)),)


def _answer_line(step: Step, value: Any, context: Mapping[str, Any]) -> Text:
    """What is shown on an answered question: "Your answer: …" (a long typed answer cut short)."""
    shown = display_answer(step, value, context)
    if isinstance(shown, Plain):
        shown = _cut(shown.text, ANSWER_SHOWN_CHARS)
    return Msg(N_("Your answer: {answer}"), {"answer": shown})


def _cut(text: str, limit: int) -> Plain:
    return Plain(text[:limit].rstrip() + "…" if len(text) > limit else text)


def _label_key(text: str) -> str:
    """A label as compared with what was typed: letters and digits only, case folded."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] in "LN")


def _nav_row(dialog: Dialog, state: DialogState) -> tuple[Button, ...]:
    back = (Button(Msg(N_("◀ Back")), BACK),) if state.history else ()
    leave = Msg(N_("⏸ Continue later")) if dialog.pause_text is not None else Msg(N_("✖ Cancel"))
    return (*back, Button(leave, CANCEL))


def _chunk(buttons: Sequence[Button], size: int) -> list[tuple[Button, ...]]:
    return [tuple(buttons[i : i + size]) for i in range(0, len(buttons), size)]
