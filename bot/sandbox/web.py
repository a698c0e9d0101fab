"""The sandbox's web chat: a page on 127.0.0.1 that looks and behaves like a chat client.

Pick any demo owner or staff member, open several of them side by side, type, press inline
and reply-keyboard buttons, share the contact, upload a photo — everything goes through the
Bot API emulator as real Telegram updates, answered by the real bot. The bot's answer to a press
shows as Telegram shows it: a dialog for an alert ("该案件已被受理。"), a passing notice otherwise.
The header shows the demo clock — and when it is outside working hours, that staff pushes wait —
and moves it forward (an hour, the next working morning, or any hours or days), running the
planner, so reminders can be seen without waiting (``bot/sandbox/demo_clock.py``).
No internet resource is used: one static page, plain JavaScript.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.sandbox.demo import DEMO_REGION, Persona, personas
from bot.sandbox.demo_clock import in_working_hours, next_working_morning
from bot.sandbox.emulator import BotAPIEmulator
from services.calendar.workdays import WorkCalendar
from services.common.clock import ManualClock

STATIC = Path(__file__).with_name("static")


class ChatPage:
    def __init__(self, emulator: BotAPIEmulator, clock: ManualClock, on_clock_moved: Any, timezone: str,
                 calendar: WorkCalendar | None = None) -> None:
        self.emulator = emulator
        self.clock = clock
        self.on_clock_moved = on_clock_moved  # async callable: plan and send what became due
        self.timezone = timezone
        self.calendar = calendar or WorkCalendar(DEMO_REGION)
        self.people: dict[int, Persona] = {p.user_id: p for p in personas()}
        for person in self.people.values():
            emulator.user(person.user_id, person.name, person.language_code)

    def app(self) -> web.Application:
        app = web.Application(client_max_size=16 * 1024 * 1024)
        app.router.add_get("/", self._page)
        app.router.add_get("/api/personas", self._personas)
        app.router.add_get("/api/chats/{user}", self._chat)
        app.router.add_post("/api/chats/{user}/text", self._text)
        app.router.add_post("/api/chats/{user}/press", self._press)
        app.router.add_post("/api/chats/{user}/contact", self._contact)
        app.router.add_post("/api/chats/{user}/photo", self._photo)
        app.router.add_get("/api/files/{file_id}", self._file)
        app.router.add_get("/api/clock", self._clock)
        app.router.add_post("/api/clock", self._advance)
        return app

    def _person(self, request: web.Request) -> Persona:
        try:
            return self.people[int(request.match_info["user"])]
        except (KeyError, ValueError):
            raise web.HTTPNotFound(text="no such persona") from None

    async def _page(self, request: web.Request) -> web.StreamResponse:
        return web.FileResponse(STATIC / "chat.html", headers={"Cache-Control": "no-store"})

    async def _personas(self, request: web.Request) -> web.Response:
        return web.json_response([asdict(p) for p in self.people.values()])

    async def _chat(self, request: web.Request) -> web.Response:
        person = self._person(request)
        messages = [_visible(m) for m in self.emulator.messages(person.user_id) if not m.get("_deleted")]
        # The page shows the answer to each press it made itself (by update id), once.
        answers = [a for a in self.emulator.answers_to_presses(person.user_id) if a.get("text")]
        return web.json_response({"messages": messages, "answers": answers})

    async def _text(self, request: web.Request) -> web.Response:
        person = self._person(request)
        text = str((await request.json()).get("text", ""))[:4096]
        if not text.strip():
            raise web.HTTPBadRequest(text="empty message")
        self.emulator.send_text(person.user_id, text)
        return web.json_response({"ok": True})

    async def _press(self, request: web.Request) -> web.Response:
        person = self._person(request)
        body = await request.json()
        update_id = self.emulator.press(person.user_id, int(body["message_id"]), str(body["data"]))
        return web.json_response({"ok": True, "update_id": update_id})

    async def _contact(self, request: web.Request) -> web.Response:
        person = self._person(request)
        if not person.phone:
            raise web.HTTPBadRequest(text="this persona has no phone number")
        self.emulator.send_own_contact(person.user_id, person.phone)
        return web.json_response({"ok": True})

    async def _photo(self, request: web.Request) -> web.Response:
        person = self._person(request)
        form = await request.post()
        upload = form.get("photo")
        if not isinstance(upload, web.FileField):
            raise web.HTTPBadRequest(text="no photo")
        data, name, mime = upload.file.read(), upload.filename or "photo.jpg", upload.content_type or ""
        # As a Telegram client does: a picture goes as a photo, anything else as a file ("document")
        # with its name and type — which the bot checks against the bytes where a photo is asked.
        if mime in ("image/jpeg", "image/png", "image/webp"):
            self.emulator.send_photo(person.user_id, data, file_name=name)
        else:
            self.emulator.send_document(person.user_id, data, name, mime or "application/octet-stream")
        return web.json_response({"ok": True})

    async def _file(self, request: web.Request) -> web.StreamResponse:
        stored = self.emulator.files.get(request.match_info["file_id"])
        if stored is None:
            raise web.HTTPNotFound()
        data, _path, name = stored
        kind = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg" if data[:2] == b"\xff\xd8" else (
            "application/octet-stream")
        return web.Response(body=data, content_type=kind, headers={"Content-Disposition": f'inline; filename="{name}"'})

    async def _clock(self, request: web.Request) -> web.Response:
        return web.json_response(self._now())

    async def _advance(self, request: web.Request) -> web.Response:
        """Forward only (the database holds events at the times the clock showed): by ``hours`` and
        ``days``, or ``{"to": "next_working_morning"}``."""
        body = await request.json()
        if body.get("to") == "next_working_morning":
            now = self.clock.now()
            step = next_working_morning(now, self.timezone, self.calendar) - now
        else:
            hours = float(body.get("hours", 0)) + 24 * float(body.get("days", 0))
            if not 0 < hours <= 24 * 366:
                raise web.HTTPBadRequest(text="advance by 0 to 366 days")
            step = timedelta(hours=hours)
        self.clock.advance(step)
        await self.on_clock_moved()
        return web.json_response(self._now())

    def clock_line(self) -> str:
        now = self._now()
        hours = "inside working hours" if now["working"] else "outside working hours: staff pushes wait"
        return f"{now['now']} ({self.timezone}), {hours}"

    def _now(self) -> dict[str, Any]:
        now = self.clock.now()
        local = now.astimezone(ZoneInfo(self.timezone))
        return {"now": local.strftime("%Y-%m-%d %H:%M %a"), "timezone": self.timezone, "iso": local.isoformat(),
                "working": in_working_hours(now, self.timezone, self.calendar),
                "offset_seconds": round(self.clock.offset.total_seconds())}


def _visible(message: dict[str, Any]) -> dict[str, Any]:
    """What a chat client shows of a message."""
    shown: dict[str, Any] = {
        "message_id": message["message_id"],
        "direction": message["direction"],
        "text": message.get("text") or message.get("caption") or "",
        "html": message.get("_parse_mode") == "HTML",
        "buttons": (message.get("reply_markup") or {}).get("inline_keyboard") or [],
        "keyboard": (message.get("_reply_keyboard") or {}).get("keyboard") or [],
        "one_time": bool((message.get("_reply_keyboard") or {}).get("one_time_keyboard")),
        "remove_keyboard": bool((message.get("_reply_keyboard") or {}).get("remove_keyboard")),
    }
    if message.get("photo"):
        shown["photo"] = message["photo"][-1]["file_id"]
    if message.get("document"):
        shown["document"] = {"file_id": message["document"]["file_id"], "name": message["document"].get("file_name")}
    if message.get("contact"):
        shown["text"] = "📱 " + str(message["contact"].get("phone_number", ""))
    if message.get("sticker"):
        shown["text"] = "[sticker]"
    return shown
