"""`python -m bot` without a token: the real bot against the local emulator, in its own process."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from pathlib import Path

from aiohttp import ClientSession

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def _sandbox(tmp_path: Path, port: int, web_port: int, framework: str = "aiogram") -> asyncio.subprocess.Process:
    env = {k: v for k, v in os.environ.items() if k not in ("BOT_TOKEN", "WEBHOOK_URL")}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}", SANDBOX_PORT=str(port),
               SANDBOX_WEB_PORT=str(web_port), PYTHONPATH=str(ROOT), CHAT_FRAMEWORK=framework)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )
    assert process.stdout is not None
    while True:
        line = (await asyncio.wait_for(process.stdout.readline(), 60)).decode()
        assert line, "the bot exited"
        if "web chat: http://" in line:
            return process


async def _answers(base: str, user: int, text: str, *, until: str | None = None) -> list[dict[str, object]]:
    """Send ``text`` as ``user`` and wait for the bot's answer to it (with ``until``: for a reply of
    that text, as an answer to an earlier message may arrive first)."""
    async with ClientSession() as http:
        async with http.get(f"{base}/_sandbox/chats/{user}") as response:
            before = sum(m["direction"] == "out" for m in (await response.json())["messages"])
        await http.post(f"{base}/_sandbox/updates", json={"user": user, "kind": "text", "text": text})
        for _ in range(200):
            async with http.get(f"{base}/_sandbox/chats/{user}") as response:
                replies = [m for m in (await response.json())["messages"] if m["direction"] == "out"]
            if len(replies) > before and (until is None or any(m.get("text") == until for m in replies[before:])):
                return replies[before:]
            await asyncio.sleep(0.05)
    raise AssertionError(f"no answer to {text!r}")


async def test_python_m_bot_runs_the_sandbox(tmp_path: Path, chat_framework: str) -> None:
    port, web_port = _free_port(), _free_port()
    process = await _sandbox(tmp_path, port, web_port, chat_framework)
    try:
        base = f"http://127.0.0.1:{port}"
        assert (await _answers(base, 77, "/menu"))[0]["text"] == "请问您需要办理什么？"
        async with ClientSession() as http, http.get(f"http://127.0.0.1:{web_port}/api/personas") as response:
            assert len(await response.json()) == 27  # the demo community was seeded
        assert (tmp_path / "bot.db").exists()  # migrated on start
    finally:
        process.terminate()
        await process.wait()
    # Started again on the same database: its updates are new ones, not redeliveries to ignore.
    process = await _sandbox(tmp_path, port, web_port)
    try:
        assert (await _answers(f"http://127.0.0.1:{port}", 77, "/menu"))[0]["text"] == "请问您需要办理什么？"
    finally:
        process.terminate()
        await process.wait()


async def test_the_sandbox_keeps_its_chats_and_demo_clock_across_restarts(tmp_path: Path) -> None:
    """Issue 12, item 16: the demo clock starts inside working hours and keeps its offset; the page's chats
    (and the photos in them) are still there after `make run` is started again."""
    port, web_port = _free_port(), _free_port()
    base, page = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{web_port}"
    wang = 1001
    process = await _sandbox(tmp_path, port, web_port)
    try:
        async with ClientSession() as http:
            async with http.get(f"{page}/api/clock") as response:
                clock = await response.json()
            assert clock["working"], clock  # a new sandbox starts inside working hours, whatever the real time
            async with http.post(f"{page}/api/clock", json={"hours": 1}) as response:
                offset = (await response.json())["offset_seconds"]
            assert offset == clock["offset_seconds"] + 3600
            await http.post(f"{base}/_sandbox/updates", json={"user": wang, "kind": "photo", "hex": "89504e470d0a1a0a"})
        await _answers(base, wang, "/menu", until="请问您需要办理什么？")  # the photo's answer may come first
        async with ClientSession() as http, http.get(f"{page}/api/chats/{wang}") as response:
            before = (await response.json())["messages"]
    finally:
        process.terminate()
        await process.wait()
    assert (tmp_path / "bot.db.sandbox" / "chat-log.json").exists()

    process = await _sandbox(tmp_path, port, web_port)
    try:
        async with ClientSession() as http:
            async with http.get(f"{page}/api/clock") as response:
                assert (await response.json())["offset_seconds"] == offset  # the same demo time as real time goes on
            async with http.get(f"{page}/api/chats/{wang}") as response:
                assert (await response.json())["messages"] == before
            photo = next(m["photo"] for m in before if m.get("photo"))
            async with http.get(f"{page}/api/files/{photo}") as response:
                assert (response.status, await response.read()) == (200, bytes.fromhex("89504e470d0a1a0a"))
        replies = await _answers(base, wang, "/menu")  # the chat goes on after what it showed
        assert replies[0]["message_id"] > max(m["message_id"] for m in before)
    finally:
        process.terminate()
        await process.wait()
