"""Every event a use case records reads as something in a case's history (services/cases/history_view.py):
a new event kind needs its view — the shared ones there, a case kind's own in its package
(services/repairs/history_events.py) — or staff read "Other update" and owners do not see it."""

from __future__ import annotations

import ast
from pathlib import Path

import services.capabilities  # noqa: F401  (registers the kinds' event views)
from services.cases.history_view import EVENT_VIEWS

SERVICES = Path(__file__).resolve().parent.parent / "services"


def recorded_event_kinds() -> dict[str, str]:
    """Event kind → where it is recorded: every ``record(uow, ticket, KIND, …)`` call whose kind is a
    string literal or a module-level string constant (of the same module or imported by name)."""
    constants: dict[str, str] = {}
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in SERVICES.rglob("*.py")}
    for tree in trees.values():
        for statement in tree.body:
            if (isinstance(statement, ast.Assign) and len(statement.targets) == 1
                    and isinstance(statement.targets[0], ast.Name) and isinstance(statement.value, ast.Constant)
                    and isinstance(statement.value.value, str)):
                constants.setdefault(statement.targets[0].id, statement.value.value)
    found: dict[str, str] = {}
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "record"
                    and len(node.args) >= 3):
                continue
            kind = node.args[2]
            value = (kind.value if isinstance(kind, ast.Constant) else
                     constants.get(kind.id) if isinstance(kind, ast.Name) else None)
            assert isinstance(value, str), f"{path.name}:{node.lineno}: an event kind the test cannot read"
            found[value] = f"{path.relative_to(SERVICES.parent)}:{node.lineno}"
    return found


def test_every_recorded_event_has_a_history_view() -> None:
    recorded = recorded_event_kinds()
    assert {"created", "resolved", "deadline_escalated", "follow_up_closed"} <= set(recorded)
    missing = {kind: where for kind, where in recorded.items() if kind not in EVENT_VIEWS}
    assert missing == {}
