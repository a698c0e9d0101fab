"""The shape of the code, checked on its source (an AST walk, no imports run):

* arrows only downward: bot → handlers → services → {dialogs, storage}; dialogs and storage
  import nothing of ours but themselves;
* no import cycle between modules (function-level imports count too);
* only the adapter under bot/telegram/aiogram imports aiogram;
* no SQL outside storage/;
* no branch on a case kind (``ticket.kind == "repair"``) outside that kind's own package;
* the composition root (services/capabilities.py) is imported only from bot/ and handlers/.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "handlers", "services", "dialogs", "storage")
# What each top-level package may import of ours (itself included).
ALLOWED: dict[str, frozenset[str]] = {
    "bot": frozenset(PACKAGES),
    "handlers": frozenset({"handlers", "services", "dialogs", "storage"}),
    "services": frozenset({"services", "dialogs", "storage"}),
    "dialogs": frozenset({"dialogs"}),
    "storage": frozenset({"storage"}),
}
CHAT_FRAMEWORKS = ("aiogram", "telegram")  # telegram: python-telegram-bot
ADAPTERS = ("bot.telegram.aiogram",)
# A case kind's name and the places that may branch on it: its own package (and its repository).
KIND_HOMES = {
    "complaint": ("services.complaints", "storage.repositories.complaints"),
    "repair": ("services.repairs", "storage.repositories.repairs"),
}
SQL_TEXT = re.compile(r"^\s*(SELECT\s|INSERT\s+INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s)")
SQL_BUILDERS = {"select", "insert", "update", "delete", "text", "func", "or_", "and_"}


@dataclass
class Module:
    name: str
    path: Path
    tree: ast.Module
    imports: set[str] = field(default_factory=set)  # our modules it imports
    external: set[str] = field(default_factory=set)  # top-level names of other packages


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Module]:
    found: dict[str, Module] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:  # Alembic's revision scripts are not part of the graph
                continue
            name = _module_name(path)
            found[name] = Module(name, path, ast.parse(path.read_text(encoding="utf-8"), str(path)))
    for module in found.values():
        package = module.name if module.path.name == "__init__.py" else module.name.rpartition(".")[0]
        for node in ast.walk(module.tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # relative import
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                # ``from services.cases import owner_actions`` imports that module (the package's
                # __init__ runs first, but what the code depends on is the module).
                submodules = [f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in found]
                targets = submodules if len(submodules) == len(node.names) else [base, *submodules]
            for target in targets:
                top = target.split(".")[0]
                if top in PACKAGES:
                    if target in found:
                        module.imports.add(target)
                    elif target.rpartition(".")[0] in found:
                        module.imports.add(target.rpartition(".")[0])
                else:
                    module.external.add(top)
        module.imports.discard(module.name)
    return found


MODULES = _modules()


def _top(name: str) -> str:
    return name.split(".")[0]


def test_the_walk_sees_the_whole_tree() -> None:
    assert {"handlers.pipeline", "services.cases.kinds", "dialogs.engine", "storage.uow",
            "bot.telegram.aiogram.app"} <= set(MODULES)
    assert "services.cases.kinds" in MODULES["services.cases.owner_actions"].imports


def test_arrows_only_go_downward() -> None:
    upward = sorted(
        f"{module.name} imports {target}"
        for module in MODULES.values()
        for target in module.imports
        if _top(target) not in ALLOWED[_top(module.name)]
    )
    assert upward == []


def _cycles() -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    result: list[list[str]] = []
    counter = 0

    def visit(name: str) -> None:
        nonlocal counter
        index[name] = low[name] = counter
        counter += 1
        stack.append(name)
        on_stack.add(name)
        for target in sorted(MODULES[name].imports):
            if target not in index:
                visit(target)
                low[name] = min(low[name], low[target])
            elif target in on_stack:
                low[name] = min(low[name], index[target])
        if low[name] == index[name]:
            component: list[str] = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == name:
                    break
            if len(component) > 1:
                result.append(sorted(component))

    for name in sorted(MODULES):
        if name not in index:
            visit(name)
    return result


def test_no_import_cycles() -> None:
    assert _cycles() == []


def test_only_the_adapter_imports_a_chat_framework() -> None:
    offenders = sorted(
        module.name for module in MODULES.values()
        if module.external & set(CHAT_FRAMEWORKS) and not module.name.startswith(ADAPTERS)
    )
    assert offenders == []


def _sql_uses(module: Module) -> Iterator[str]:
    for node in ast.walk(module.tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
            names = {alias.name for alias in node.names}
            if names & SQL_BUILDERS or (node.module or "").startswith(("sqlalchemy.dialects", "sqlalchemy.sql")):
                yield f"line {node.lineno}: from {node.module} import {', '.join(sorted(names))}"
        elif isinstance(node, ast.Attribute) and node.attr == "session" and isinstance(node.value, ast.Name) \
                and node.value.id == "uow":
            yield f"line {node.lineno}: uow.session"
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL_TEXT.match(node.value):
            yield f"line {node.lineno}: SQL text"


def test_no_sql_outside_storage() -> None:
    offenders = sorted(
        f"{module.name} {use}" for module in MODULES.values() if _top(module.name) != "storage"
        for use in _sql_uses(module)
    )
    assert offenders == []


def _kind_branches(module: Module) -> Iterator[tuple[str, int]]:
    for node in ast.walk(module.tree):
        if not isinstance(node, ast.Compare):
            continue
        sides = [node.left, *node.comparators]
        on_kind = any(isinstance(side, ast.Attribute) and side.attr == "kind" for side in sides)
        for side in sides:
            if on_kind and isinstance(side, ast.Constant) and side.value in KIND_HOMES:
                yield str(side.value), node.lineno


def test_no_case_kind_branches_outside_the_kinds_own_package() -> None:
    offenders = sorted(
        f"{module.name} line {line}: kind == {kind!r}"
        for module in MODULES.values()
        for kind, line in _kind_branches(module)
        if not module.name.startswith(KIND_HOMES[kind])
    )
    assert offenders == []


def test_the_composition_root_is_imported_only_from_the_top() -> None:
    importers = sorted(m.name for m in MODULES.values() if "services.capabilities" in m.imports)
    assert importers and all(_top(name) in ("bot", "handlers") for name in importers), importers


@pytest.mark.parametrize("source, expected", [
    ("from services.cases import kinds\n", {"services.cases.kinds"}),
    ("from storage.uow import UnitOfWork\n", {"storage.uow"}),
    ("def f() -> None:\n    from dialogs.actions import encode\n", {"dialogs.actions"}),
])
def test_the_walk_sees_every_kind_of_import(source: str, expected: set[str], tmp_path: Path) -> None:
    module = Module("services.example", tmp_path / "example.py", ast.parse(source))
    for node in ast.walk(module.tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            module.imports.add(node.module)
            module.imports.update(f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in MODULES)
    assert expected <= module.imports


def test_the_kind_check_catches_a_branch() -> None:
    tree = ast.parse('if ticket.kind == "repair":\n    pass\n')
    assert list(_kind_branches(Module("services.cases.example", Path("x.py"), tree))) == [("repair", 1)]


def test_the_sql_check_catches_raw_sql() -> None:
    tree = ast.parse('from sqlalchemy import select\nq = "SELECT 1"\nuow.session.get(X, 1)\n')
    assert len(list(_sql_uses(Module("services.example", Path("x.py"), tree)))) == 3
