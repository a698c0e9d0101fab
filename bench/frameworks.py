"""The two chat-framework adapters side by side, in one run against the Bot API emulator
(``CHAT_FRAMEWORK=aiogram|ptb``, issue 16):

* **start-up**: in a fresh process each, the seconds and memory (max RSS) to import the framework
  alone and the whole bot with its adapter, and the seconds from starting ``python -m bot`` (the
  sandbox) to its answer to a first ``/menu``, with the process's RSS then;
* **throughput and latency**: each framework's echo bot polling as the framework does, then
  estatebot on each adapter running the guided inquiry (bench/updates.py's people, who wait for
  each answer), same emulator, same process: updates/s, p50/p95 latency, CPU per update.

    python -m bench.frameworks [--people 40]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from aiohttp import ClientSession

from bench.updates import ECHO, Done, Run, _drive, _report, echo_bot, estate_bot
from bot.sandbox.emulator import DEFAULT_TOKEN, BotAPIEmulator

ROOT = Path(__file__).resolve().parents[1]
FRAMEWORKS = {"aiogram": ("aiogram", "bot.telegram.aiogram.app"), "ptb": ("telegram.ext", "bot.telegram.ptb.app")}
# The peak resident memory of this process (VmHWM; ru_maxrss would carry the forking parent's over exec).
IMPORT = ("import time; started = time.perf_counter(); import {module}; seconds = time.perf_counter() - started; "
          "print(seconds, next(line.split()[1] for line in open('/proc/self/status') if line.startswith('VmHWM')))")


def _import_cost(module: str) -> tuple[float, float]:
    """Seconds and MB (max RSS) to import ``module`` in a fresh interpreter (best of three)."""
    runs = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", IMPORT.format(module=module)], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout.split()
        runs.append((float(out[0]), int(out[1]) / 1024))
    return min(runs)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text().splitlines()
    return int(next(line for line in status if line.startswith("VmRSS")).split()[1]) / 1024


async def _sandbox_start(framework: str) -> tuple[float, float]:
    """Seconds from starting the sandbox to its answer to /menu, and its RSS (MB) then."""
    with tempfile.TemporaryDirectory() as folder:
        port, web_port = _free_port(), _free_port()
        env = {k: v for k, v in os.environ.items() if k not in ("BOT_TOKEN", "WEBHOOK_URL")}
        env.update(DATABASE_URL=f"sqlite:///{Path(folder) / 'bot.db'}", SANDBOX_PORT=str(port),
                   SANDBOX_WEB_PORT=str(web_port), PYTHONPATH=str(ROOT), CHAT_FRAMEWORK=framework)
        started = time.perf_counter()
        process = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", cwd=folder, env=env,
                                                       stdout=asyncio.subprocess.DEVNULL,
                                                       stderr=asyncio.subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            async with ClientSession() as http:
                while True:
                    try:
                        await http.post(f"{base}/_sandbox/updates", json={"user": 1, "kind": "text", "text": "/menu"})
                        break
                    except OSError:
                        await asyncio.sleep(0.05)
                while True:
                    async with http.get(f"{base}/_sandbox/chats/1") as response:
                        if any(m["direction"] == "out" for m in (await response.json())["messages"]):
                            break
                    await asyncio.sleep(0.02)
            seconds = time.perf_counter() - started
            return seconds, _rss_mb(process.pid)
        finally:
            process.terminate()
            await process.wait()


async def ptb_echo_bot(emulator: BotAPIEmulator, people: int) -> Run:
    """python-telegram-bot's echo, polling as PTB does (its Updater), handlers concurrent."""
    from telegram import Update
    from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

    done = Done()
    base = emulator.base_url.rstrip("/")
    application = (ApplicationBuilder().token(DEFAULT_TOKEN).base_url(f"{base}/bot").concurrent_updates(True)
                   .connection_pool_size(64).pool_timeout(10.0).build())

    async def echo(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        try:
            if update.message is not None:
                await update.message.reply_text(update.message.text or "")
        finally:
            done(update.update_id)

    application.add_handler(MessageHandler(filters.TEXT, echo))
    await application.initialize()
    assert application.updater is not None
    await application.updater.start_polling(timeout=1, poll_interval=0)
    await application.start()
    try:
        result: Run = await _drive(emulator, done, people, ECHO, 400_000)
        return result
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=40)
    args = parser.parse_args()

    print("start-up, each in a fresh process (best of three imports):")
    for name, (framework, adapter) in FRAMEWORKS.items():
        alone, alone_mb = _import_cost(framework)
        whole, whole_mb = _import_cost(adapter)
        ready, ready_mb = await _sandbox_start(name)
        print(f"  {name:<8} import {framework}: {alone:5.2f} s, {alone_mb:5.0f} MB; the bot with its adapter: "
              f"{whole:5.2f} s, {whole_mb:5.0f} MB; the sandbox answers /menu after {ready:5.2f} s, RSS {ready_mb:5.0f} MB")

    emulator = BotAPIEmulator()
    await emulator.start()
    runs: dict[str, Any] = {}
    try:
        runs["aiogram echo"] = _report("aiogram echo bot", await echo_bot(emulator, args.people))
        runs["ptb echo"] = _report("python-telegram-bot echo bot", await ptb_echo_bot(emulator, args.people))
        for name in FRAMEWORKS:
            with tempfile.TemporaryDirectory() as folder:
                url = f"sqlite:///{Path(folder) / 'bench.db'}"
                runs[name] = _report(f"estatebot on {name}, SQLite", await estate_bot(emulator, args.people, url, name))
    finally:
        await emulator.stop()

    def throughput(run: Run) -> float:
        return len(run.latencies) / run.seconds

    print(f"ratio python-telegram-bot / aiogram: echo {throughput(runs['ptb echo']) / throughput(runs['aiogram echo']):.2f}, "
          f"estatebot {throughput(runs['ptb']) / throughput(runs['aiogram']):.2f} by throughput")


if __name__ == "__main__":
    asyncio.run(main())
