"""XLSForm ``relevant`` expressions read into the dialog engine's conditions.

The subset a questionnaire needs: ``${q} <= 2`` (``=``, ``!=``, ``<``, ``<=``, ``>``, ``>=``) on a
rating, ``${q} = 'code'`` / ``!=`` on a single choice, ``selected(${q}, 'code')`` on either choice
type, joined with ``and``, ``or``, ``not(...)`` and parentheses. Anything else is refused with a
sentence an administrator can act on (``RelevantError``); a skipped question makes a comparison
false (and ``!=`` true), as in XLSForm.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from dialogs.engine.conditions import All, AnswerIn, AnswerIs, AnyOf, Condition, Not

RATINGS = (1, 2, 3, 4, 5)

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<ref>\$\{[^}]*\})
      | (?P<string>'[^']*'|"[^"]*")
      | (?P<number>-?\d+(?:\.\d+)?)
      | (?P<op><=|>=|!=|=|<|>)
      | (?P<punct>[(),])
      | (?P<word>[A-Za-z_][A-Za-z0-9_\-]*)
    )""",
    re.VERBOSE,
)
_REF = re.compile(r"\$\{([A-Za-z][A-Za-z0-9_]*)\}")


class RelevantError(ValueError):
    """An expression this bot cannot read; the message says why in plain English."""


@dataclass(frozen=True)
class Referable:
    """What a condition may know of an earlier question: its type and, for choices, the codes."""

    type: str  # rating | select_one | select_multiple | text
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    position: int


def parse_relevant(expression: str, earlier: Mapping[str, Referable]) -> Condition:
    """The condition ``expression`` states about the ``earlier`` questions; ``RelevantError`` otherwise."""
    tokens = _tokens(expression)
    if not tokens:
        raise RelevantError("the condition is empty")
    parser = _Parser(tokens, earlier)
    condition = parser.disjunction()
    if not parser.at_end():
        raise RelevantError(f"unexpected {parser.peek().text!r} at character {parser.peek().position + 1}")
    return condition


def referenced(expression: str) -> list[str]:
    """The question names ``${…}`` an expression mentions, in order (for error messages)."""
    return _REF.findall(expression)


def _tokens(expression: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(expression):
        if not expression[position:].strip():
            break
        match = _TOKEN.match(expression, position)
        if match is None or match.lastgroup is None:
            start = position + len(expression[position:]) - len(expression[position:].lstrip())
            raise RelevantError(f"cannot read {expression[start:start + 10]!r} at character {start + 1}")
        kind = match.lastgroup
        tokens.append(_Token(kind, match.group(kind), match.start(kind)))
        position = match.end()
    return tokens


class _Parser:
    """Recursive descent: disjunction := conjunction ('or' conjunction)*; conjunction := unary ('and' unary)*."""

    def __init__(self, tokens: list[_Token], earlier: Mapping[str, Referable]) -> None:
        self.tokens = tokens
        self.index = 0
        self.earlier = earlier

    def at_end(self) -> bool:
        return self.index >= len(self.tokens)

    def peek(self) -> _Token:
        if self.at_end():
            raise RelevantError("the condition ends too early")
        return self.tokens[self.index]

    def take(self, kind: str, text: str | None = None) -> _Token:
        token = self.peek()
        if token.kind != kind or (text is not None and token.text.lower() != text):
            wanted = text or kind
            raise RelevantError(f"expected {wanted!r} at character {token.position + 1}, found {token.text!r}")
        self.index += 1
        return token

    def word_is(self, word: str) -> bool:
        return not self.at_end() and self.peek().kind == "word" and self.peek().text.lower() == word

    def disjunction(self) -> Condition:
        parts = [self.conjunction()]
        while self.word_is("or"):
            self.index += 1
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else AnyOf(tuple(parts))

    def conjunction(self) -> Condition:
        parts = [self.unary()]
        while self.word_is("and"):
            self.index += 1
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else All(tuple(parts))

    def unary(self) -> Condition:
        token = self.peek()
        if token.kind == "punct" and token.text == "(":
            self.index += 1
            inner = self.disjunction()
            self.take("punct", ")")
            return inner
        if self.word_is("not"):
            self.index += 1
            self.take("punct", "(")
            inner = self.disjunction()
            self.take("punct", ")")
            return Not(inner)
        if self.word_is("selected"):
            return self.selected()
        if token.kind == "ref":
            return self.comparison()
        if token.kind == "word":
            raise RelevantError(f"unknown word or function {token.text!r} at character {token.position + 1}; "
                                "a condition uses ${question}, =, !=, <, <=, >, >=, selected(), and, or, not()")
        raise RelevantError(f"a condition starts with a question such as ${{overall}}, not {token.text!r} "
                            f"(character {token.position + 1})")

    def question(self) -> tuple[str, Referable]:
        token = self.take("ref")
        match = _REF.fullmatch(token.text)
        if match is None:
            raise RelevantError(f"{token.text!r} is not a question name")
        name = match.group(1)
        question = self.earlier.get(name)
        if question is None:
            raise RelevantError(f"${{{name}}} is not an earlier question (a condition may only use questions "
                                "asked before it)")
        return name, question

    def selected(self) -> Condition:
        self.take("word", "selected")
        self.take("punct", "(")
        name, question = self.question()
        self.take("punct", ",")
        code = self.literal()
        self.take("punct", ")")
        if question.type not in ("select_one", "select_multiple"):
            raise RelevantError(f"selected() tests a choice question; ${{{name}}} is a {question.type} question")
        return AnswerIs(name, self.choice(name, question, code))

    def comparison(self) -> Condition:
        name, question = self.question()
        operator = self.take("op").text
        value = self.literal()
        if question.type == "rating":
            return _rating_condition(name, operator, value)
        if question.type == "select_one":
            if operator not in ("=", "!="):
                raise RelevantError(f"a single choice is compared with = or !=, not {operator}")
            condition = AnswerIs(name, self.choice(name, question, value))
            return condition if operator == "=" else Not(condition)
        if question.type == "select_multiple":
            raise RelevantError(f"a multiple choice is tested with selected(${{{name}}}, 'code'), not {operator}")
        raise RelevantError(f"${{{name}}} is a free-text question; a condition cannot test its text")

    def literal(self) -> str | int:
        token = self.peek()
        if token.kind == "string":
            self.index += 1
            return token.text[1:-1]
        if token.kind == "number":
            self.index += 1
            if "." in token.text:
                raise RelevantError(f"{token.text} is not a whole number")
            return int(token.text)
        raise RelevantError(f"expected a number or a 'quoted code' at character {token.position + 1}, "
                            f"found {token.text!r}")

    @staticmethod
    def choice(name: str, question: Referable, value: str | int) -> str:
        code = str(value)
        if code not in question.choices:
            raise RelevantError(f"{code!r} is not one of the choices of ${{{name}}} ({', '.join(question.choices)})")
        return code


def _rating_condition(name: str, operator: str, value: str | int) -> Condition:
    if isinstance(value, str):
        if not value.strip().isdigit():
            raise RelevantError(f"a rating is compared with a whole number from 1 to 5, not {value!r}")
        value = int(value)
    if operator in ("=", "!="):
        if value not in RATINGS:
            raise RelevantError(f"a rating is 1 to 5, so ${{{name}}} {operator} {value} makes no sense")
        condition: Condition = AnswerIs(name, value)
        return condition if operator == "=" else Not(condition)
    tests = {"<": value.__gt__, "<=": value.__ge__, ">": value.__lt__, ">=": value.__le__}
    matching = tuple(r for r in RATINGS if tests[operator](r))
    if not matching:
        raise RelevantError(f"a rating is 1 to 5, so ${{{name}}} {operator} {value} is never true")
    return AnswerIn(name, matching)
