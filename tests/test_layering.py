"""The shape of the code, checked on its source (an AST walk, no imports run):

* arrows only downward: bot → handlers → services → {dialogs, storage}; dialogs and storage
  import nothing of ours but themselves;
* no import cycle between modules (function-level imports count too);
* only the adapter under bot/telegram/aiogram imports aiogram, only bot/telegram/ptb python-telegram-bot;
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
# Each chat framework and the one adapter that may import it (telegram: python-telegram-bot).
ADAPTERS = {"aiogram": "bot.telegram.aiogram", "telegram": "bot.telegram.ptb"}
# A case kind's name and the places that may branch on it: its own package (and its repository).
KIND_HOMES = {
    "complaint": ("services.complaints", "storage.repositories.complaints"),
    "repair": ("services.repairs", "storage.repositories.repairs"),
}
SQL_TEXT = re.compile(r"^\s*(SELECT\s.+\sFROM\s|INSERT\s+INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s)",
                      re.IGNORECASE | re.DOTALL)
# The only sqlalchemy a layer above storage may import: the async session types it passes along.
SQLALCHEMY_ALLOWED = ("sqlalchemy.ext.asyncio",)
SESSION_CALLS = {"execute", "scalar", "scalars", "get", "add", "delete", "merge", "flush"}


@dataclass
class Module:
    name: str
    path: Path
    tree: ast.Module
    imports: set[str] = field(default_factory=set)  # our modules it imports
    external: set[str] = field(default_factory=set)  # top-level names of other packages


def _module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules(root: Path = ROOT) -> dict[str, Module]:
    found: dict[str, Module] = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            if "migrations" in path.parts:  # Alembic's revision scripts are not part of the graph
                continue
            name = _module_name(path, root)
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
        f"{module.name} imports {framework}" for module in MODULES.values()
        for framework in sorted(module.external & set(ADAPTERS))
        if not module.name.startswith(ADAPTERS[framework])
    )
    assert offenders == []


def _is_uow(node: ast.expr) -> bool:
    """``uow``, ``ctx.uow``, ``self.uow`` …"""
    return (isinstance(node, ast.Name) and node.id == "uow") or (isinstance(node, ast.Attribute) and node.attr == "uow")


def _sql_uses(module: Module) -> Iterator[str]:
    for node in ast.walk(module.tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "sqlalchemy":
            if not (node.module or "").startswith(SQLALCHEMY_ALLOWED):
                names = ", ".join(sorted(alias.name for alias in node.names))
                yield f"line {node.lineno}: from {node.module} import {names}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "sqlalchemy" and not alias.name.startswith(SQLALCHEMY_ALLOWED):
                    yield f"line {node.lineno}: import {alias.name}"
        elif isinstance(node, ast.Attribute) and node.attr == "session" and _is_uow(node.value):
            yield f"line {node.lineno}: uow.session"
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in SESSION_CALLS \
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "session":
            yield f"line {node.lineno}: session.{node.func.attr}()"
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL_TEXT.match(node.value):
            yield f"line {node.lineno}: SQL text"


def test_no_sql_outside_storage() -> None:
    offenders = sorted(
        f"{module.name} {use}" for module in MODULES.values() if _top(module.name) != "storage"
        for use in _sql_uses(module)
    )
    assert offenders == []


def _is_kind(node: ast.expr) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "kind"


def _kind_names(node: ast.expr) -> Iterator[str]:
    """Case-kind names an operand stands for: a literal, a tuple/list/set of them, or a KIND constant."""
    if isinstance(node, ast.Constant) and node.value in KIND_HOMES:
        yield str(node.value)
    elif isinstance(node, ast.Tuple | ast.List | ast.Set):
        for item in node.elts:
            yield from _kind_names(item)
    elif (isinstance(node, ast.Name) and node.id.endswith("KIND")) or (
            isinstance(node, ast.Attribute) and node.attr.endswith("KIND")):
        yield "*"  # some kind's name constant: a branch on a kind whichever it is


def _kind_branches(module: Module) -> Iterator[tuple[str, int]]:
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(_is_kind(side) for side in sides):
                for side in sides:
                    for kind in _kind_names(side):
                        yield kind, node.lineno
        elif isinstance(node, ast.Match) and _is_kind(node.subject):
            yield "*", node.lineno


def test_no_case_kind_branches_outside_the_kinds_own_package() -> None:
    offenders = sorted(
        f"{module.name} line {line}: kind == {kind!r}"
        for module in MODULES.values()
        for kind, line in _kind_branches(module)
        if not module.name.startswith(KIND_HOMES[kind] if kind in KIND_HOMES else _all_homes())
    )
    assert offenders == []


def _all_homes() -> tuple[str, ...]:
    return tuple(home for homes in KIND_HOMES.values() for home in homes)


def test_the_composition_root_is_imported_only_from_the_top() -> None:
    importers = sorted(m.name for m in MODULES.values() if "services.capabilities" in m.imports)
    assert importers and all(_top(name) in ("bot", "handlers") for name in importers), importers


def test_the_walk_sees_every_kind_of_import(tmp_path: Path) -> None:
    files = {
        "services/__init__.py": "",
        "services/cases/__init__.py": "",
        "services/cases/kinds.py": "",
        "services/a.py": "from services.cases import kinds\nimport storage.uow\n",
        "services/b.py": "def f() -> None:\n    from dialogs.actions import encode\n",
        "services/c.py": "from . import a\nfrom .cases.kinds import X\n",
        "storage/__init__.py": "", "storage/uow.py": "from services import a\n",
        "dialogs/__init__.py": "", "dialogs/actions.py": "",
        "bot/__init__.py": "", "handlers/__init__.py": "",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    walked = _modules(tmp_path)
    assert walked["services.a"].imports == {"services.cases.kinds", "storage.uow"}
    assert walked["services.b"].imports == {"dialogs.actions"}
    assert walked["services.c"].imports == {"services.a", "services.cases.kinds"}
    assert walked["storage.uow"].imports == {"services.a"}  # an upward arrow the test above would refuse


@pytest.mark.parametrize("source", [
    'if ticket.kind == "repair":\n    pass\n',
    'if ticket.kind in ("repair", "x"):\n    pass\n',
    'if ticket.kind != KIND:\n    pass\n',
    'if ticket.kind == filing.KIND:\n    pass\n',
    'match ticket.kind:\n    case "repair":\n        pass\n',
])
def test_the_kind_check_catches_a_branch(source: str) -> None:
    assert list(_kind_branches(Module("services.cases.example", Path("x.py"), ast.parse(source))))


def test_the_kind_check_leaves_other_kinds_of_kind_alone() -> None:
    source = 'if event.kind == "resolved" or period.kind == "years":\n    pass\n'
    assert not list(_kind_branches(Module("services.cases.example", Path("x.py"), ast.parse(source))))


@pytest.mark.parametrize("source", [
    "from sqlalchemy import select\n",
    "import sqlalchemy as sa\n",
    "from sqlalchemy.dialects.postgresql import insert\n",
    'q = "SELECT id FROM tickets"\n',
    'q = "update outbox set status = 1"\n',
    "uow.session.get(X, 1)\n",
    "ctx.uow.session.get(X, 1)\n",
    "session.execute(q)\n",
])
def test_the_sql_check_catches_sql(source: str) -> None:
    assert list(_sql_uses(Module("services.example", Path("x.py"), ast.parse(source))))


def test_the_sql_check_leaves_words_alone() -> None:
    source = ('from sqlalchemy.ext.asyncio import AsyncSession\nlog.warning("update %s failed")\n'
              'x = "Select the trades, then press Done."\n')
    assert not list(_sql_uses(Module("services.example", Path("x.py"), ast.parse(source))))
