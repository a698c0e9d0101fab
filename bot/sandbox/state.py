"""What the sandbox keeps beside its database across restarts of `make run`: the demo clock's offset
and the emulator's chat log (every chat's messages, the people in them, and the uploaded files).

This is Telegram's side of the sandbox — what a real client would still show after the bot restarts —
so it lives next to the database, not in it: ``data/estatebot.db`` keeps it in
``data/estatebot.db.sandbox/``; a PostgreSQL database in ``data/sandbox-<host>-<database>/``. A new
database (the demo community seeded again) starts a new chat log and clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import shutil
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.sandbox.emulator import BotAPIEmulator
from services.common.clock import ManualClock
from storage.db import database_location

LOG_FILE = "chat-log.json"
_SAFE_FILE_ID = re.compile(r"[A-Za-z0-9_-]{1,100}")


@dataclass(frozen=True)
class Saved:
    clock_offset: timedelta
    chat_log: dict[str, Any]


class SandboxState:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    @classmethod
    def beside(cls, database_url: str, data_dir: Path) -> SandboxState:
        database, name = database_location(database_url)
        if database is not None:
            return cls(database.with_name(database.name + ".sandbox"))
        return cls(data_dir / f"sandbox-{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}")

    @property
    def _files(self) -> Path:
        return self.directory / "files"

    def load(self) -> Saved | None:
        """The state saved last, or None (nothing saved, or a file that cannot be read: start anew)."""
        try:
            saved = json.loads((self.directory / LOG_FILE).read_text(encoding="utf-8"))
            return Saved(timedelta(seconds=float(saved["clock_offset_seconds"])), dict(saved["chat_log"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def file_data(self, file_id: str) -> bytes | None:
        if not _SAFE_FILE_ID.fullmatch(file_id):
            return None
        try:
            return (self._files / file_id).read_bytes()
        except OSError:
            return None

    def clear(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)

    def save(self, clock_offset: timedelta, chat_log: str, files: dict[str, bytes]) -> None:
        """Write the state (``chat_log`` already JSON); files are written once, under their file id."""
        self._files.mkdir(parents=True, exist_ok=True)
        for file_id, data in files.items():
            path = self._files / file_id
            if _SAFE_FILE_ID.fullmatch(file_id) and not path.exists():
                path.write_bytes(data)
        body = f'{{"clock_offset_seconds": {clock_offset.total_seconds()!r}, "chat_log": {chat_log}}}'
        partial = self.directory / (LOG_FILE + ".partial")
        partial.write_text(body, encoding="utf-8")
        os.replace(partial, self.directory / LOG_FILE)  # a kill mid-write leaves the previous state whole

    async def keep_saved(self, emulator: BotAPIEmulator, clock: ManualClock, every: float = 1.0) -> None:
        """Save whenever a chat or the clock changed, looking every ``every`` seconds, until cancelled;
        once more on the way out."""
        saved: tuple[int, timedelta] | None = None
        try:
            while True:
                saved = await self._save_if_changed(emulator, clock, saved)
                await asyncio.sleep(every)
        finally:
            with contextlib.suppress(Exception):
                await self._save_if_changed(emulator, clock, saved)

    async def _save_if_changed(self, emulator: BotAPIEmulator, clock: ManualClock,
                               saved: tuple[int, timedelta] | None) -> tuple[int, timedelta]:
        mark = (emulator.revision, clock.offset)
        if mark != saved:
            # Serialised here, on the event loop, where nothing changes the chats meanwhile.
            log = json.dumps(emulator.chat_log(), ensure_ascii=False)
            files = {file_id: data for file_id, (data, _path, _name) in emulator.files.items()}
            await asyncio.to_thread(self.save, clock.offset, log, files)
        return mark
