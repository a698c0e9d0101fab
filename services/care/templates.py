"""Care message templates (DOMAIN 4; issue 14 item 5): every care message is a template per kind
and locale. Each kind is registered by the module that sends it, with its built-in wording (a
catalog msgid, so all four locales have it) and the placeholders it may use; an administrator
rewords a kind for a locale without code (``estatebot admin care template set``), and a text with
an unknown or malformed placeholder is refused at save. A locale he did not reword keeps the
built-in wording in that locale.

Sending: ``care_text(uow, kind, **params)`` gives a ``Template`` text for an outbox row; the drain
renders it in the recipient's locale when it sends it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from string import Formatter

from dialogs.text import Template, Text
from storage.uow import UnitOfWork

MAX_LENGTH = 3500  # Telegram allows 4096 characters; room for the filled placeholders
_FIELD = re.compile(r"(?<!\{)\{([^{}]*)\}")  # a {field} when Formatter.parse gives up at a bad brace


@dataclass(frozen=True)
class CareKind:
    name: str  # "birthday", "milestone_topping_out", …: the template's key
    default: str  # the built-in wording: a msgid marked with N_ where it is declared
    placeholders: frozenset[str]  # what the wording may use, e.g. {"name", "project", "date"}
    description: str  # for the admin CLI (English, not shown to owners)


_KINDS: dict[str, CareKind] = {}


def register_kind(kind: CareKind) -> CareKind:
    """Declare a kind of care message (once, at import of the module that sends it)."""
    if kind.name in _KINDS and _KINDS[kind.name] != kind:
        raise ValueError(f"care template kind {kind.name!r} is registered already")
    problems = check(kind.default, kind.placeholders)
    if problems:
        raise ValueError(f"care template kind {kind.name!r}: {'; '.join(problems)}")
    _KINDS[kind.name] = kind
    return kind


def kinds() -> dict[str, CareKind]:
    return dict(sorted(_KINDS.items()))


def kind(name: str) -> CareKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise ValueError(f"unknown care template kind {name!r}; known: {', '.join(sorted(_KINDS))}") from None


def check(text: str, allowed: frozenset[str]) -> list[str]:
    """What is wrong with a template text (empty: nothing): malformed braces, a placeholder the kind
    does not have, positional or formatted fields, an empty or too long text."""
    problems: list[str] = []
    if not text.strip():
        return ["the text is empty"]
    if len(text) > MAX_LENGTH:
        problems.append(f"the text has {len(text)} characters; at most {MAX_LENGTH}")
    try:
        fields = [(name, spec, conversion) for _, name, spec, conversion in Formatter().parse(text) if name is not None]
    except ValueError as exc:
        problems.append(f"malformed braces ({exc}); write {{{{ and }}}} for literal braces")
        # Still report the placeholders that are well formed, so one save shows every problem.
        fields = [_split(field) for field in _FIELD.findall(text.replace("{{", "").replace("}}", ""))]
    for name, spec, conversion in fields:
        if name == "" or name.isdigit():
            problems.append("a placeholder needs a name, e.g. {name}")
        elif name not in allowed:
            known = ", ".join("{" + p + "}" for p in sorted(allowed)) or "none"
            problems.append(f"unknown placeholder {{{name}}}; this kind has {known}")
        elif spec or conversion:
            problems.append(f"{{{name}}} takes no format (write {{{name}}} only)")
    return problems


def _split(field: str) -> tuple[str, str, str | None]:
    """``name!conversion:spec`` as Formatter.parse splits it."""
    field, _, spec = field.partition(":")
    name, bang, conversion = field.partition("!")
    return name, spec, conversion if bang else None


async def care_text(uow: UnitOfWork, kind_name: str, **params: Text) -> Template:
    """The kind's text for an outbox row: the administrator's wording per locale, the built-in one
    elsewhere; ``params`` fill the placeholders (the drain fills ``{name}`` with the recipient's
    name when it is not given)."""
    declared = kind(kind_name)
    unknown = set(params) - declared.placeholders
    if unknown:
        raise ValueError(f"care template {kind_name!r} has no placeholders {sorted(unknown)}")
    return Template(declared.default, await uow.care_templates.texts(kind_name), params)
