"""Running a dialog: ``start`` and ``advance(dialog, state, event) -> Outcome``, and the prompts.

A dialog is a declared tuple of steps. The engine knows nothing of Telegram or SQL: it takes
plain events, returns the new (JSON-serialisable) state and locale-free replies. Buttons carry
the state's revision, so a button from an earlier step is recognised as stale and refused.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from dialogs.engine.events import BackEvent, ButtonEvent, CancelEvent, DocumentEvent, Event, PhotoEvent, RepeatEvent
from dialogs.engine.replies import BACK, CANCEL, DONE, EDIT, PREFILL, SKIP, Button, Reply
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
)
from dialogs.engine.validation import _Invalid, accept
from dialogs.phones import display_phone, normalize_phone
from dialogs.text import N_, DateText, Field, Lines, ListText, Money, Msg, Plain, Plural, Text

# ---------------------------------------------------------------- public API


def start(dialog: Dialog, context: Mapping[str, Any] | None = None, *, today: date) -> Outcome:
    ctx = dict(context or {})
    first = _next_applicable(dialog, -1, {}, ctx)
    answers: dict[str, Any] = {}
    while first is not None and _auto_answer(dialog.step(first), ctx) is not None:
        answers[first] = _auto_answer(dialog.step(first), ctx)
        first = _next_applicable(dialog, dialog.index(first), answers, ctx)
    if first is None:
        return _finish(dialog, DialogState(dialog.name, "", answers, ctx))
    state = DialogState(dialog=dialog.name, step=first, answers=answers, context=ctx)
    return Outcome("continue", state, (prompt(dialog, state),))


def advance(dialog: Dialog, state: DialogState, event: Event, *, today: date) -> Outcome:
    """Apply one event. Invalid input leaves the state unchanged and re-prompts."""
    if state.dialog != dialog.name or state.step not in {s.key for s in dialog.steps}:
        return Outcome("cancelled", None, (Reply(Msg(N_("This conversation has expired.")), remove_keyboard=True),))
    step = dialog.step(state.step)

    if isinstance(event, CancelEvent) or (isinstance(event, ButtonEvent) and event.code == CANCEL):
        if isinstance(event, ButtonEvent) and event.rev != state.rev:
            return _stale(dialog, state)
        return Outcome("cancelled", None, (Reply(Msg(N_("Cancelled. Nothing was saved.")), remove_keyboard=True),))
    if isinstance(event, RepeatEvent):
        return _stay(dialog, state)
    if isinstance(event, ButtonEvent) and event.rev != state.rev:
        return _stale(dialog, state)
    if isinstance(event, BackEvent) or (isinstance(event, ButtonEvent) and event.code == BACK):
        return _back(dialog, state)

    if isinstance(step, ConfirmStep):
        return _confirm(dialog, state, step, event)
    if isinstance(step, PhotosStep):
        return _photos(dialog, state, step, event)
    if isinstance(step, MultiChoiceStep):
        return _multi(dialog, state, step, event)

    options = options_of(step, state.context) if isinstance(step, ChoiceStep) else ()
    value_or_error = accept(step, state, event, today, options)
    if isinstance(value_or_error, _Invalid):
        return _stay(dialog, state, value_or_error.message)
    return _answered(dialog, state, step.key, value_or_error.value)


def prompt(dialog: Dialog, state: DialogState) -> Reply:
    """The message that asks the current step's question, with its buttons."""
    step = dialog.step(state.step)
    nav = _nav_row(state)
    if isinstance(step, MultiChoiceStep):
        chosen = set(state.answers.get(step.key) or ())
        buttons = [Button(Msg(N_("✅ {label}"), {"label": o.label}) if o.code in chosen else o.label, "c:" + o.code)
                   for o in options_of(step, state.context)]
        done = [(Button(Msg(N_("Done")), DONE),)] if len(chosen) >= step.min_items else []
        if step.optional and not chosen:
            done = [(Button(Msg(N_("Skip")), SKIP),)]
        return Reply(step.prompt, (*_chunk(buttons, step.columns), *done, nav), rev=state.rev)
    if isinstance(step, ChoiceStep):
        buttons = [Button(o.label, "c:" + o.code) for o in options_of(step, state.context)]
        return Reply(step.prompt, (*_chunk(buttons, step.columns), nav), rev=state.rev)
    if isinstance(step, RatingStep):
        stars = tuple(Button(str(n), f"r:{n}") for n in range(1, 6))
        return Reply(step.prompt, (stars, nav), rev=state.rev)
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
        got = len(state.answers.get(step.key) or [])
        if got:
            rows = [(Button(Msg(N_("Done")), DONE),)]
        else:
            rows = [(Button(Msg(N_("Skip")), SKIP),)] if step.optional else []
        text: Text = step.prompt
        if got:
            text = Lines((step.prompt, Plural("Received {n} file.", "Received {n} files.", got)))
        return Reply(text, (*rows, nav), rev=state.rev)
    if isinstance(step, ConfirmStep):
        summary = summarize(dialog, state)
        rows = [
            (Button(Msg(N_("✅ Confirm")), DONE), Button(Msg(N_("✏️ Edit")), EDIT)),
        ]
        return Reply(Lines((step.prompt, summary)), (*rows, nav), rev=state.rev)
    rows = [(Button(Msg(N_("Skip")), SKIP),)] if step.optional else []
    return Reply(step.prompt, (*rows, nav), rev=state.rev)


def summarize(dialog: Dialog, state: DialogState) -> Lines:
    """One line per answered, labelled step, in dialog order."""
    lines: list[Text] = []
    for step in dialog.steps:
        if step.label is None or step.key not in state.answers:
            continue
        if not _applies(step, state.answers, state.context):
            continue
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
        return Plural("{n} file", "{n} files", len(value))
    if isinstance(step, PhoneStep):
        return Plain(display_phone(str(value)))
    if isinstance(step, DateStep):
        return DateText(date.fromisoformat(str(value)))
    if isinstance(step, RatingStep):
        return Msg(N_("{n} / 5"), {"n": int(value)})
    return Plain(str(value))


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


def _answered(dialog: Dialog, state: DialogState, key: str, value: Any) -> Outcome:
    answers = {**state.answers, key: value}
    history = (*state.history, key)
    position = dialog.index(key)
    while True:
        nxt = _next_applicable(dialog, position, answers, state.context)
        if nxt is None:
            return _finish(dialog, replace(state, answers=answers))
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
    return Outcome("continue", new_state, (prompt(dialog, new_state),))


def _finish(dialog: Dialog, state: DialogState) -> Outcome:
    applicable = {
        s.key: state.answers[s.key]
        for s in dialog.steps
        if s.key in state.answers and _applies(s, state.answers, state.context) and not isinstance(s, ConfirmStep)
    }
    replies = (Reply(dialog.done_text, remove_keyboard=True),) if dialog.done_text else ()
    return Outcome("done", None, replies, applicable, dialog.name, state.context)


def _back(dialog: Dialog, state: DialogState) -> Outcome:
    # Pass over steps that no longer apply (an edit changed an answer) or no longer exist.
    history = list(state.history)
    keys = {s.key for s in dialog.steps}
    while history and (history[-1] not in keys or not _applies(dialog.step(history[-1]), state.answers, state.context)):
        history.pop()
    if not history:
        return _stay(dialog, state, Msg(N_("This is the first step. Use Cancel to stop.")))
    previous = history[-1]
    new_state = replace(state, step=previous, history=tuple(history[:-1]), rev=state.rev + 1, editing=False)
    return Outcome("continue", new_state, (prompt(dialog, new_state),))


def _stay(dialog: Dialog, state: DialogState, error: Msg | None = None) -> Outcome:
    current = prompt(dialog, state)
    replies = (Reply(error), current) if error else (current,)
    return Outcome("continue", state, replies)


def _stale(dialog: Dialog, state: DialogState) -> Outcome:
    return _stay(dialog, state, Msg(N_("That button belongs to an earlier question; please use the latest one.")))


def _photos(dialog: Dialog, state: DialogState, step: PhotosStep, event: Event) -> Outcome:
    items: list[dict[str, str]] = list(state.answers.get(step.key) or [])
    if isinstance(event, ButtonEvent) and event.code in (DONE, SKIP):
        if not items and not step.optional:
            return _stay(dialog, state, Msg(N_("Please send at least one photo.")))
        return _answered(dialog, state, step.key, items)
    if isinstance(event, PhotoEvent):
        items.append({"kind": "photo", "file_id": event.file_id})
    elif isinstance(event, DocumentEvent) and step.accept_documents:
        items.append({"kind": "document", "file_id": event.file_id, "name": event.file_name[:100]})
    else:
        return _stay(dialog, state, Msg(N_("Please send a photo, or press Done.")))
    if len(items) > step.max_items:
        return _stay(dialog, state, Msg(N_("At most {n} files can be attached."), {"n": step.max_items}))
    if len(items) == step.max_items:
        return _answered(dialog, state, step.key, items)
    # Collecting within a step keeps the revision: earlier "Done" buttons stay valid.
    new_state = replace(state, answers={**state.answers, step.key: items})
    return Outcome("continue", new_state, (prompt(dialog, new_state),))


def _multi(dialog: Dialog, state: DialogState, step: MultiChoiceStep, event: Event) -> Outcome:
    chosen: list[str] = list(state.answers.get(step.key) or [])
    if isinstance(event, ButtonEvent) and event.code == SKIP and step.optional and not chosen:
        return _answered(dialog, state, step.key, [])
    if isinstance(event, ButtonEvent) and event.code == DONE:
        if len(chosen) < step.min_items:
            return _stay(dialog, state, Msg(N_("Please choose at least one option.")))
        return _answered(dialog, state, step.key, chosen)
    codes = [o.code for o in options_of(step, state.context)]
    if not (isinstance(event, ButtonEvent) and event.code.startswith("c:") and event.code[2:] in codes):
        return _stay(dialog, state, Msg(N_("Please choose with the buttons, then press Done.")))
    code = event.code[2:]
    chosen = [c for c in chosen if c != code] if code in chosen else [c for c in codes if c in {*chosen, code}]
    # Toggling within a step keeps the revision: the other buttons of the same question stay valid.
    new_state = replace(state, answers={**state.answers, step.key: chosen})
    return Outcome("continue", new_state, (prompt(dialog, new_state),))


def _confirm(dialog: Dialog, state: DialogState, step: ConfirmStep, event: Event) -> Outcome:
    if isinstance(event, ButtonEvent) and event.code == DONE:
        return _finish(dialog, state)
    if isinstance(event, ButtonEvent) and event.code == EDIT:
        rows = tuple(
            (Button(s.label, f"e:{i}"),)
            for i, s in enumerate(dialog.steps)
            if s.label is not None and s.key in state.answers and _applies(s, state.answers, state.context)
            and _auto_answer(s, state.context) is None
        )
        return Outcome("continue", state, (Reply(Msg(N_("Which item do you want to change?")), (*rows, _nav_row(state)), rev=state.rev),))
    if isinstance(event, ButtonEvent) and re.fullmatch(r"e:[0-9]{1,9}", event.code):
        index = int(event.code[2:])
        if index < len(dialog.steps):
            target = dialog.steps[index]
            if (
                target.label is not None
                and target.key in state.answers
                and _applies(target, state.answers, state.context)
                and _auto_answer(target, state.context) is None
            ):
                new_state = replace(
                    state, step=target.key, history=(*state.history, step.key), rev=state.rev + 1, editing=True
                )
                return Outcome("continue", new_state, (prompt(dialog, new_state),))
    return _stay(dialog, state, Msg(N_("Please confirm with the button, or choose Edit.")))


def _nav_row(state: DialogState) -> tuple[Button, ...]:
    back = (Button(Msg(N_("◀ Back")), BACK),) if state.history else ()
    return (*back, Button(Msg(N_("✖ Cancel")), CANCEL))


def _chunk(buttons: Sequence[Button], size: int) -> list[tuple[Button, ...]]:
    return [tuple(buttons[i : i + size]) for i in range(0, len(buttons), size)]
