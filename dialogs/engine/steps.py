"""What a dialog is: a declared tuple of steps, each asking one question."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from dialogs.engine.conditions import CONDITION_TYPES, Condition
from dialogs.text import N_, Label, Msg, Text

# The 5-point scale's words, worst first (the same msgids as services/surveys/vocabulary.py SCALE).
SCALE_LABELS: tuple[Label, ...] = (
    Msg(N_("Very dissatisfied")),
    Msg(N_("Dissatisfied")),
    Msg(N_("Neutral")),
    Msg(N_("Satisfied")),
    Msg(N_("Very satisfied")),
)


@dataclass(frozen=True, kw_only=True)
class Step:
    key: str
    prompt: Text
    label: Label | None = None  # shown in the confirmation summary; None hides the step there
    optional: bool = False
    when: Condition | None = None  # None: the step always applies

    def __post_init__(self) -> None:
        when: object = self.when
        if when is not None and not isinstance(when, CONDITION_TYPES):
            raise TypeError(f"step {self.key}: `when` is a condition of dialogs.engine.conditions, not {when!r}")


@dataclass(frozen=True)
class Option:
    code: str
    label: Text


@dataclass(frozen=True, kw_only=True)
class ChoiceStep(Step):
    options: tuple[Option, ...] = ()
    options_from: str | None = None  # context key holding [[code, label], ...]
    auto_single: bool = False  # with exactly one option, choose it silently
    columns: int = 2


@dataclass(frozen=True, kw_only=True)
class TimeStep(ChoiceStep):
    """A time of day: its options as buttons, or typed ("19:45", "下午2点", "晚上7点半") within
    [earliest, latest] ("HH:MM"), at any minute; the answer is "HH:MM"."""

    earliest: str = "00:00"
    latest: str = "23:59"


@dataclass(frozen=True, kw_only=True)
class MultiChoiceStep(ChoiceStep):
    """Several options: each press toggles one (✅), Done accepts; the answer is a list of codes."""

    min_items: int = 1


@dataclass(frozen=True, kw_only=True)
class AmountStep(Step):
    """An amount of money typed as people type it (1234, 1,234.50, １２３４元); kept as a decimal string."""

    min_value: Decimal = Decimal("0")
    max_value: Decimal = Decimal("100000000")


@dataclass(frozen=True, kw_only=True)
class TextStep(Step):
    min_len: int = 1
    max_len: int = 1000


@dataclass(frozen=True, kw_only=True)
class PhotosStep(Step):
    max_items: int = 6
    accept_documents: bool = True


@dataclass(frozen=True, kw_only=True)
class PhoneStep(Step):
    allow_typed: bool = True
    prefill_from: str | None = None  # context key with an E.164 number to offer as a button


@dataclass(frozen=True, kw_only=True)
class DateStep(Step):
    min_offset_days: int | None = None  # relative to today
    max_offset_days: int | None = None


@dataclass(frozen=True, kw_only=True)
class RatingStep(Step):
    """A score from 1 to 5. With ``labels`` (five words, for 1 … 5) each button reads "5 · Very
    satisfied", one per row, best first; without, the bare numbers in one row."""

    labels: tuple[Label, ...] | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.labels is not None and len(self.labels) != 5:
            raise ValueError(f"step {self.key}: a rating has five labels, one per score")


@dataclass(frozen=True, kw_only=True)
class ConfirmStep(Step):
    pass


@dataclass(frozen=True)
class Dialog:
    name: str
    steps: tuple[Step, ...]
    done_text: Text | None = None
    title: Label | None = None  # what the person is doing ("filing a complaint"), named when it is left unfinished
    # Set: its Cancel is "⏸ Continue later" and ends the dialog with this text, status "paused" (the
    # answers so far are the caller's to keep, e.g. a survey resumed later); None: an ordinary Cancel.
    pause_text: Text | None = None

    def __post_init__(self) -> None:
        keys = [s.key for s in self.steps]
        if len(set(keys)) != len(keys):
            raise ValueError(f"dialog {self.name}: duplicate step keys")

    def step(self, key: str) -> Step:
        for s in self.steps:
            if s.key == key:
                return s
        raise KeyError(key)

    def index(self, key: str) -> int:
        return [s.key for s in self.steps].index(key)
