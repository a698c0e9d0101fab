"""The pure dialog engine: ``advance(dialog, state, event) -> Outcome``.

A dialog is a declared tuple of steps. The engine knows nothing of Telegram or SQL: it takes
plain events, returns the new (JSON-serialisable) state and locale-free replies. Buttons carry
the state's revision, so a button from an earlier step is recognised as stale and refused.

The modules, by job: ``events`` (what comes in), ``replies`` (what goes out), ``steps`` (what a
dialog is), ``conditions`` (when a step applies, as data), ``state`` (where a dialog stands),
``validation`` (reading answers), ``codec`` (JSON and callback data), ``run`` (the transitions).
Everything public is importable from ``dialogs.engine`` itself.
"""

from dialogs.engine.codec import (
    callback_data,
    parse_callback_data,
    reply_from_json,
    reply_to_json,
    state_from_json,
    state_to_json,
)
from dialogs.engine.conditions import (
    All,
    AnswerAbove,
    AnswerIn,
    AnswerIs,
    AnyOf,
    Condition,
    HasContext,
    Not,
    condition_from_json,
    condition_to_json,
)
from dialogs.engine.events import (
    BackEvent,
    ButtonEvent,
    CancelEvent,
    ContactEvent,
    DocumentEvent,
    Event,
    PhotoEvent,
    RepeatEvent,
    TextEvent,
    UnsupportedEvent,
)
from dialogs.engine.replies import BACK, CANCEL, DONE, EDIT, PREFILL, SKIP, SUMMARY, Button, Reply
from dialogs.engine.run import (
    advance,
    button_named,
    display_answer,
    offered_buttons,
    options_of,
    press_for_label,
    prompt,
    start,
    summarize,
)
from dialogs.engine.state import DialogState, Outcome, Status
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
from dialogs.engine.validation import CONTROL_EXCEPTIONS, example_date, parse_amount, parse_date, validate_text

__all__ = [
    "BACK",
    "CANCEL",
    "CONTROL_EXCEPTIONS",
    "DONE",
    "EDIT",
    "PREFILL",
    "SKIP",
    "SUMMARY",
    "All",
    "AmountStep",
    "AnswerAbove",
    "AnswerIn",
    "AnswerIs",
    "AnyOf",
    "BackEvent",
    "Button",
    "ButtonEvent",
    "CancelEvent",
    "ChoiceStep",
    "Condition",
    "ConfirmStep",
    "ContactEvent",
    "DateStep",
    "Dialog",
    "DialogState",
    "DocumentEvent",
    "Event",
    "HasContext",
    "MultiChoiceStep",
    "Not",
    "Option",
    "Outcome",
    "PhoneStep",
    "PhotoEvent",
    "PhotosStep",
    "RatingStep",
    "RepeatEvent",
    "Reply",
    "Status",
    "Step",
    "TextEvent",
    "TextStep",
    "UnsupportedEvent",
    "advance",
    "button_named",
    "callback_data",
    "condition_from_json",
    "condition_to_json",
    "display_answer",
    "example_date",
    "offered_buttons",
    "options_of",
    "parse_amount",
    "parse_callback_data",
    "parse_date",
    "press_for_label",
    "prompt",
    "reply_from_json",
    "reply_to_json",
    "start",
    "state_from_json",
    "state_to_json",
    "summarize",
    "validate_text",
]
