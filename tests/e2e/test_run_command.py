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


async def test_python_m_bot_runs_the_sandbox(tmp_path: Path) -> None:
    port, web_port = _free_port(), _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("BOT_TOKEN", "WEBHOOK_URL")}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}", SANDBOX_PORT=str(port),
               SANDBOX_WEB_PORT=str(web_port), PYTHONPATH=str(ROOT))
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )
    try:
        assert process.stdout is not None
        while True:
            line = (await asyncio.wait_for(process.stdout.readline(), 60)).decode()
            assert line, "the bot exited"
            if "web chat: http://" in line:
                break
        base = f"http://127.0.0.1:{port}"
        async with ClientSession() as http:
            await http.post(f"{base}/_sandbox/updates", json={"user": 77, "kind": "text", "text": "/menu"})
            for _ in range(200):
                async with http.get(f"{base}/_sandbox/chats/77") as response:
                    messages = (await response.json())["messages"]
                replies = [m for m in messages if m["direction"] == "out"]
                if replies:
                    break
                await asyncio.sleep(0.05)
        assert replies[0]["text"] == "请问您需要办理什么？"
        async with ClientSession() as http, http.get(f"http://127.0.0.1:{web_port}/api/personas") as response:
            assert len(await response.json()) == 27  # the demo community was seeded
        assert (tmp_path / "bot.db").exists()  # migrated on start
    finally:
        process.terminate()
        await process.wait()
