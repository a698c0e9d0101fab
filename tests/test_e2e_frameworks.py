"""Every end-to-end test runs the bot on both chat frameworks (issue 16): it takes the ``harness``
(or another fixture built on ``chat_framework``). The few that drive something else are named here
with the reason; a new e2e test that runs on one framework only fails this test."""

from __future__ import annotations

import ast
from pathlib import Path

E2E = Path(__file__).parent / "e2e"
# Fixtures that run the test once per framework (tests/conftest.py; test_sender.py, test_webhook.py,
# test_leadership.py, test_delivery_window.py).
ON_BOTH = {"harness", "chat_framework", "env", "webhook", "instances", "transport"}
NOT_THE_BOT = {  # a test module (all its tests) or one test: why it need not run on each framework
    "test_emulator.py": "the Bot API emulator itself, driven with a client",
    "test_instances.py": "`estatebot run` processes behind webhooks: one on aiogram, one on "
                         "python-telegram-bot, sharing one database and one sender",
    "test_leadership.py::test_a_commit_that_adds_outbox_rows_notifies_and_a_rollback_does_not":
        "the database's notification alone, no chat framework",
    "test_report_chat.py::test_the_periods_seen_on_a_monday": "a pure function",
    "test_run_command.py::test_the_sandbox_keeps_its_chats_and_demo_clock_across_restarts":
        "the sandbox's own state file (the sandbox on each framework: test_python_m_bot_runs_the_sandbox)",
    "test_webhook.py::test_the_command_line_refuses_webhook_mode_without_a_secret":
        "refused before any framework is imported",
}


def _tests_without_a_framework() -> list[str]:
    found = []
    for path in sorted(E2E.glob("test_*.py")):
        for node in ast.parse(path.read_text()).body:
            name = f"{path.name}::{getattr(node, 'name', '')}"
            if (isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test_")
                    and not {arg.arg for arg in node.args.args} & ON_BOTH
                    and path.name not in NOT_THE_BOT and name not in NOT_THE_BOT):
                found.append(name)
    return found


def test_every_e2e_test_runs_on_both_frameworks() -> None:
    assert _tests_without_a_framework() == []


def test_the_exceptions_still_exist() -> None:
    for name in NOT_THE_BOT:
        module, _, test = name.partition("::")
        assert (E2E / module).exists() and (not test or f"def {test}(" in (E2E / module).read_text()), name
