"""A local Telegram Bot API emulator (aiohttp, 127.0.0.1) for tests, benchmarks and `make run`.

It speaks the Bot API at ``{base}/bot{token}/{method}`` (what aiogram's
``TelegramAPIServer.from_base`` builds), keeps every chat's messages in memory, and offers a
driver API — Python methods and ``/_sandbox/...`` HTTP routes — to inject updates as users
would send them and to read what each chat received. Optional: Telegram's rate limits
(answered with 429 and ``retry_after``), injected faults (429, 5xx, 403, slow responses, timeouts,
responses lost after the message was delivered — scripted, or at a rate with a seeded random
generator) and users who blocked the bot. ``stats`` counts what a well-behaved bot should never
cause: 429s, and sends made while a 429's ``retry_after`` was still running.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import random
import secrets
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, ClassVar, Literal

from aiohttp import ClientError, ClientSession, ClientTimeout, web

DEFAULT_TOKEN = "123456789:SANDBOX-token-for-local-use-only"
BOT_USER = {"id": 123456789, "is_bot": True, "first_name": "Estate Service", "username": "estate_service_bot"}

# Fields sent as plain strings by clients; everything else in a form is JSON-encoded.
STRING_FIELDS = {
    "text", "caption", "parse_mode", "callback_query_id", "url", "secret_token", "language_code",
    "photo", "document", "file_id", "action", "description", "short_description", "name",
    "emoji", "inline_message_id", "business_connection_id", "message_effect_id",
}


# Methods that send a message: what the limits count and a 429's retry window holds back.
SEND_METHODS = frozenset({"sendmessage", "sendphoto", "senddocument"})
TEXT_LIMIT, CAPTION_LIMIT = 4096, 1024  # characters after entities parsing, as Telegram counts


@dataclass
class Fault:
    """One scripted fault. ``status`` 0 with ``delay``: a slow answer; ``hang``: no answer at all
    (the connection drops after ``delay``: the client times out first); ``lost``: the call is
    carried out (the message delivered), then its answer is lost — ``status`` if set (a proxy's
    5xx), else a dropped connection."""

    method: str | None  # None: any method
    status: int
    retry_after: int | None = None
    times: int = 1
    delay: float = 0.0
    description: str = ""
    chat_id: int | None = None  # None: any chat
    hang: bool = False
    lost: bool = False
    skip: int = 0  # matching calls to let through first (a fault on the second message of two)

    @property
    def kind(self) -> str:
        return "lost" if self.lost else "timeout" if self.hang else str(self.status)


FaultKind = Literal["server_error", "timeout", "lost"]


@dataclass
class RandomFaults:
    """Faults at ``rate`` (0–1) of the matching calls, drawn from a seeded generator."""

    kind: FaultKind
    rate: float
    method: str | None
    generator: random.Random
    status: int = 0  # server_error: 502 if 0; lost: a proxy's status, or 0 for a dropped connection
    seconds: float = 60.0  # timeout: how long the call hangs before its connection drops

    def fault(self) -> Fault:
        if self.kind == "server_error":
            return Fault(self.method, self.status or 502)
        if self.kind == "timeout":
            return Fault(self.method, 0, delay=self.seconds, hang=True)
        return Fault(self.method, self.status, lost=True)


@dataclass
class RateLimits:
    """Telegram's documented limits: 30 messages/s overall, ~1/s per chat, 20/min per group."""

    overall_per_second: int = 30
    per_chat_burst: int = 3  # Telegram tolerates short bursts in private chats
    per_chat_per_second: float = 1.0
    per_group_per_minute: int = 20


@dataclass
class Stats:
    requests: int = 0
    by_method: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    rejected_429: int = 0  # 429s sent (by the limits or injected)
    calls_in_retry_window: int = 0  # sends arriving while a 429's retry_after was still running
    faults: Counter[str] = field(default_factory=Counter)  # injected, by kind ("502", "timeout", "lost")


@dataclass
class WebhookDelivery:
    """Updates POSTed to the bot as Telegram does once a webhook is set, to several URLs in turn (as
    a load balancer in front of several instances would spread them)."""

    urls: list[str]
    secret_token: str
    max_connections: int = 40  # requests in flight at once, as setWebhook's max_connections
    max_attempts: int = 20  # then the update is given up (Telegram gives up "after a reasonable amount")
    posts: Counter[str] = field(default_factory=Counter)  # attempts per URL
    refused: int = 0  # attempts that got no 2xx (an error status, a dropped connection): each tried again
    given_up: list[int] = field(default_factory=list)  # update ids


class BotAPIEmulator:
    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        rate_limits: RateLimits | None = None,
        first_update_id: int = 1,
    ) -> None:
        self.token = token
        self.host = host
        self.port = port
        self.rate_limits = rate_limits
        # Telegram's update ids only grow; a sandbox restarted on the same database must not hand
        # out ids the bot recorded as handled before (it would ignore those updates as redeliveries).
        self.first_update_id = first_update_id
        self.stats = Stats()
        self._runner: web.AppRunner | None = None
        self._reset_state()

    # ------------------------------------------------------------ lifecycle

    def _reset_state(self) -> None:
        self._update_ids = itertools.count(self.first_update_id)
        self._updates: deque[dict[str, Any]] = deque()
        self._new_update = asyncio.Event()
        self._messages: dict[int, list[dict[str, Any]]] = defaultdict(list)
        self._message_ids: dict[int, itertools.count[int]] = defaultdict(lambda: itertools.count(1))
        self._changed = asyncio.Condition()
        self.users: dict[int, dict[str, Any]] = {}
        self.files: dict[str, tuple[bytes, str, str]] = {}  # file_id -> (data, file_path, name)
        self.faults: list[Fault] = []
        self.random_faults: list[RandomFaults] = []
        self.blocked: set[int] = set()
        self.commands: list[dict[str, Any]] = []
        self.callback_answers: dict[str, dict[str, Any]] = {}
        self.callback_queries: dict[str, tuple[int, int]] = {}  # query id -> (user id, update id) of a press
        self.revision = 0  # grows with every change to a chat (the sandbox saves its chat log when it moved)
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.delivered: list[int] = []  # update ids handed out by getUpdates, in order
        self.pushed: Counter[int] = Counter()  # how often each update was sent (redeliveries count)
        self._poll_generation = 0
        self._history: list[dict[str, Any]] = []
        self._sent_times: dict[int, deque[float]] = defaultdict(deque)
        self._overall_times: deque[float] = deque()
        self._retry_until = 0.0  # a 429's retry_after runs until then (monotonic)
        self.delivery_log: list[tuple[float, int, int]] = []  # (monotonic time, chat id, message id) of every message sent

    def reset(self) -> None:
        """Forget every chat, update and fault (between tests); the server keeps running."""
        self._reset_state()
        self.stats = Stats()

    async def start(self) -> str:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._file)
        self._add_driver_routes(app)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port).start()
        self.port = int(self._runner.addresses[0][1])
        return self.base_url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    # ------------------------------------------------------------ driver: users and updates

    def user(self, user_id: int, first_name: str = "User", language_code: str | None = "zh-hans",
             username: str | None = None) -> dict[str, Any]:
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if language_code:
            user["language_code"] = language_code
        if username:
            user["username"] = username
        self.users[user_id] = user
        return user

    def _user(self, user: int | Mapping[str, Any]) -> dict[str, Any]:
        if isinstance(user, Mapping):
            self.users[int(user["id"])] = dict(user)
            return dict(user)
        return self.users.get(user) or self.user(user)

    def _incoming(self, user: int | Mapping[str, Any], **content: Any) -> dict[str, Any]:
        sender = self._user(user)
        chat = {"id": sender["id"], "type": "private", "first_name": sender["first_name"]}
        message = {
            "message_id": next(self._message_ids[sender["id"]]),
            "from": sender,
            "chat": chat,
            "date": int(time.time()),
            **content,
        }
        self._record(sender["id"], {**message, "direction": "in"})
        return message

    def push_update(self, update: dict[str, Any]) -> int:
        if "update_id" not in update:
            update = {"update_id": next(self._update_ids), **update}
        self._updates.append(update)
        self.pushed[int(update["update_id"])] += 1
        self._new_update.set()
        return int(update["update_id"])

    def send_text(self, user: int | Mapping[str, Any], text: str) -> int:
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split()[0]
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return self.push_update({"message": self._incoming(user, **content)})

    def send_contact(self, user: int | Mapping[str, Any], phone: str, *, contact_user_id: int | None = None,
                     first_name: str = "Contact") -> int:
        contact: dict[str, Any] = {"phone_number": phone, "first_name": first_name}
        if contact_user_id is not None:
            contact["user_id"] = contact_user_id
        return self.push_update({"message": self._incoming(user, contact=contact)})

    def send_own_contact(self, user: int | Mapping[str, Any], phone: str) -> int:
        sender = self._user(user)
        return self.send_contact(sender, phone, contact_user_id=sender["id"], first_name=sender["first_name"])

    def send_photo(self, user: int | Mapping[str, Any], data: bytes = b"\x89PNG\r\n\x1a\n", caption: str | None = None,
                   file_name: str = "photo.jpg") -> int:
        file_id = self._store_file(data, "photos", file_name)
        sizes = [{"file_id": file_id, "file_unique_id": file_id[-12:], "width": 1280, "height": 960,
                  "file_size": len(data)}]
        content: dict[str, Any] = {"photo": sizes}
        if caption:
            content["caption"] = caption
        return self.push_update({"message": self._incoming(user, **content)})

    def send_document(self, user: int | Mapping[str, Any], data: bytes, file_name: str,
                      mime_type: str = "application/octet-stream") -> int:
        file_id = self._store_file(data, "documents", file_name)
        document = {"file_id": file_id, "file_unique_id": file_id[-12:], "file_name": file_name,
                    "mime_type": mime_type, "file_size": len(data)}
        return self.push_update({"message": self._incoming(user, document=document)})

    def send_sticker(self, user: int | Mapping[str, Any]) -> int:
        sticker = {"file_id": "sticker-1", "file_unique_id": "s1", "type": "regular", "width": 512,
                   "height": 512, "is_animated": False, "is_video": False}
        return self.push_update({"message": self._incoming(user, sticker=sticker)})

    def send_location(self, user: int | Mapping[str, Any], latitude: float = 31.23, longitude: float = 121.47) -> int:
        return self.push_update({"message": self._incoming(user, location={"latitude": latitude,
                                                                           "longitude": longitude})})

    def press(self, user: int | Mapping[str, Any], message: Mapping[str, Any] | int, data: str) -> int:
        """Press an inline button (any data: tests forge it on purpose) under a bot message."""
        sender = self._user(user)
        if isinstance(message, int):
            message = self.message(sender["id"], message)
        bot_message = {k: v for k, v in message.items() if k != "direction"}
        query_id = secrets.token_hex(8)
        query = {
            "id": query_id,
            "from": sender,
            "message": bot_message,
            "chat_instance": str(sender["id"]),
            "data": data,
        }
        update_id = self.push_update({"callback_query": query})
        self.callback_queries[query_id] = (int(sender["id"]), update_id)
        return update_id

    def press_label(self, user: int | Mapping[str, Any], message: Mapping[str, Any], label: str) -> int:
        """Press the inline button under ``message`` whose text contains ``label``."""
        for row in message.get("reply_markup", {}).get("inline_keyboard", []):
            for button in row:
                if label in button["text"]:
                    return self.press(user, message, button["callback_data"])
        raise AssertionError(f"no button {label!r} in {message.get('text')!r}")

    def redeliver(self, update_id: int) -> None:
        """Hand an already delivered update out again, as Telegram does after a lost ack."""
        for update in self.history:
            if update["update_id"] == update_id:
                self._updates.append({**update, "_redelivery": True})
                self.pushed[update_id] += 1
                self._new_update.set()
                return
        raise KeyError(update_id)

    # ------------------------------------------------------------ driver: what chats received

    def messages(self, chat_id: int) -> list[dict[str, Any]]:
        """Every message of a chat, both directions, oldest first (``direction``: in/out)."""
        return list(self._messages.get(chat_id, []))

    def bot_messages(self, chat_id: int) -> list[dict[str, Any]]:
        return [m for m in self._messages.get(chat_id, []) if m["direction"] == "out"]

    def last_bot_message(self, chat_id: int) -> dict[str, Any]:
        sent = self.bot_messages(chat_id)
        if not sent:
            raise AssertionError(f"chat {chat_id} received nothing")
        return sent[-1]

    def message(self, chat_id: int, message_id: int) -> dict[str, Any]:
        for message in self._messages.get(chat_id, []):
            if message["message_id"] == message_id:
                return message
        raise KeyError((chat_id, message_id))

    def chat_ids(self) -> list[int]:
        return sorted(self._messages)

    def answers_to_presses(self, user_id: int) -> list[dict[str, Any]]:
        """How the bot answered a user's button presses, oldest first: ``update_id``, ``text`` (the
        notice, or None) and ``show_alert`` — what a Telegram client shows as a toast or a dialog."""
        return [{"update_id": update_id, **self.callback_answers[query_id]}
                for query_id, (user, update_id) in self.callback_queries.items()
                if user == user_id and query_id in self.callback_answers]

    # ------------------------------------------------------------ driver: keeping chats across restarts

    def chat_log(self) -> dict[str, Any]:
        """Every chat's messages and the people in them, as JSON (the files' bytes are in ``files``), so a
        sandbox restarted on the same database shows the same chats (``restore_chat_log``)."""
        return {
            "messages": {str(chat): messages for chat, messages in self._messages.items()},
            "users": {str(user_id): user for user_id, user in self.users.items()},
            "files": {file_id: [path, name] for file_id, (_data, path, name) in self.files.items()},
        }

    def restore_chat_log(self, log: Mapping[str, Any], file_data: Callable[[str], bytes | None]) -> None:
        """Take back a ``chat_log()``; ``file_data(file_id)`` gives a file's bytes (None: lost, left out).
        Message ids go on from the highest each chat had, as Telegram's do."""
        for file_id, (path, name) in log.get("files", {}).items():
            data = file_data(file_id)
            if data is not None:
                self.files[file_id] = (data, str(path), str(name))
        for user_id, user in log.get("users", {}).items():
            self.users.setdefault(int(user_id), dict(user))
        for chat, messages in log.get("messages", {}).items():
            chat_id = int(chat)
            self._messages[chat_id] = [dict(m) for m in messages] + self._messages.get(chat_id, [])
            highest = max((int(m["message_id"]) for m in self._messages[chat_id]), default=0)
            self._message_ids[chat_id] = itertools.count(highest + 1)
        self.revision += 1

    async def wait_for_bot_messages(self, chat_id: int, count: int, seconds: float = 10.0) -> list[dict[str, Any]]:
        """Wait until the chat has received at least ``count`` bot messages in all."""
        async with self._changed:
            await asyncio.wait_for(
                self._changed.wait_for(lambda: len(self.bot_messages(chat_id)) >= count), seconds
            )
        return self.bot_messages(chat_id)

    async def wait_until(self, condition: Callable[[], bool], seconds: float = 10.0) -> None:
        """Wait until ``condition()`` holds, looked at whenever a chat received something."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(condition), seconds)

    @property
    def pending_updates(self) -> int:
        """Updates not yet confirmed by the bot (Telegram keeps these for redelivery)."""
        return len(self._updates)

    @property
    def history(self) -> list[dict[str, Any]]:
        return list(self._history)

    # ------------------------------------------------------------ driver: webhook delivery

    webhook: WebhookDelivery | None = None  # set: updates are POSTed, and getUpdates answers 409
    _webhook_task: asyncio.Task[None] | None = None

    async def start_webhook(self, urls: Sequence[str], secret_token: str, *, max_connections: int = 40,
                            max_attempts: int = 20) -> WebhookDelivery:
        """From now on, deliver updates by POSTing each to the next of ``urls`` (alternating), with
        the ``X-Telegram-Bot-Api-Secret-Token`` header. A delivery that gets no 2xx is tried again,
        on the next URL, after a growing pause (as Telegram retries). A chat's updates go one at a
        time, in order: the next only once the previous one got its 2xx."""
        await self.stop_webhook()
        self.webhook = WebhookDelivery(list(urls), secret_token, max_connections, max_attempts)
        self._webhook_task = asyncio.create_task(self._deliver_updates(self.webhook), name="emulator-webhook")
        return self.webhook

    async def stop_webhook(self) -> None:
        """Back to getUpdates; deliveries in flight are abandoned."""
        task, self._webhook_task = self._webhook_task, None
        self.webhook = None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _deliver_updates(self, webhook: WebhookDelivery) -> None:
        turn = itertools.cycle(webhook.urls)
        connections = asyncio.Semaphore(webhook.max_connections)
        chats: dict[int, tuple[asyncio.Lock, list[int]]] = {}  # a chat's lock and how many use it
        deliveries: set[asyncio.Task[None]] = set()
        async with ClientSession(timeout=ClientTimeout(total=60)) as http:
            try:
                while True:
                    while self._updates:
                        update = self._updates.popleft()
                        self._history.append(update)
                        delivery = asyncio.create_task(self._post_update(http, webhook, update, turn, connections,
                                                                         chats))
                        deliveries.add(delivery)
                        delivery.add_done_callback(deliveries.discard)
                    arrived = self._new_update
                    arrived.clear()
                    with contextlib.suppress(TimeoutError):  # a reset() replaces the event: look again
                        await asyncio.wait_for(arrived.wait(), 0.5)
            finally:
                for delivery in deliveries:
                    delivery.cancel()
                await asyncio.gather(*deliveries, return_exceptions=True)

    async def _post_update(self, http: ClientSession, webhook: WebhookDelivery, update: dict[str, Any],
                           turn: itertools.cycle[str], connections: asyncio.Semaphore,
                           chats: dict[int, tuple[asyncio.Lock, list[int]]]) -> None:
        chat = _update_chat(update)
        lock, users = chats.setdefault(chat, (asyncio.Lock(), [0]))
        users[0] += 1
        body = {k: v for k, v in update.items() if not k.startswith("_")}
        try:
            async with lock:  # waiters are woken first come, first served: the chat's order
                for attempt in range(webhook.max_attempts):
                    url = next(turn)
                    webhook.posts[url] += 1
                    self.delivered.append(int(update["update_id"]))
                    try:
                        async with connections, http.post(
                                url, json=body, headers={"X-Telegram-Bot-Api-Secret-Token": webhook.secret_token},
                        ) as response:
                            if 200 <= response.status < 300:
                                return
                    except (ClientError, TimeoutError):
                        pass
                    webhook.refused += 1
                    await asyncio.sleep(min(0.05 * 2**attempt, 5.0))
                webhook.given_up.append(int(update["update_id"]))
        finally:
            users[0] -= 1
            if not users[0]:
                del chats[chat]

    # ------------------------------------------------------------ driver: faults

    def inject_fault(self, status: int, method: str | None = None, *, retry_after: int | None = None,
                     times: int = 1, delay: float = 0.0, chat_id: int | None = None, skip: int = 0) -> None:
        self.faults.append(Fault(method, status, retry_after, times, delay, chat_id=chat_id, skip=skip))

    def inject_timeout(self, method: str | None = None, *, seconds: float = 60.0, times: int = 1,
                       chat_id: int | None = None) -> None:
        """The next calls hang for ``seconds`` and are never carried out (the connection then drops)."""
        self.faults.append(Fault(method, 0, times=times, delay=seconds, chat_id=chat_id, hang=True))

    def inject_lost_response(self, method: str | None = None, *, status: int = 0, times: int = 1,
                             chat_id: int | None = None) -> None:
        """The next calls are carried out (the message is delivered), then their answer is lost:
        ``status`` (e.g. a proxy's 502), or with 0 a dropped connection."""
        self.faults.append(Fault(method, status, times=times, chat_id=chat_id, lost=True))

    def inject_random_faults(self, kind: FaultKind, rate: float, method: str | None = None, *, seed: int = 0,
                             status: int = 0, seconds: float = 60.0) -> None:
        """Faults of ``kind`` on ``rate`` of the calls (to ``method``), reproducible by ``seed``."""
        self.random_faults.append(RandomFaults(kind, rate, method, random.Random(seed), status, seconds))

    def block(self, chat_id: int) -> None:
        """The user blocked the bot: further sends to them answer 403."""
        self.blocked.add(chat_id)

    # ------------------------------------------------------------ Bot API

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.match_info["method"]
        params = await _read_params(request)
        self.stats.requests += 1
        self.stats.by_method[method] += 1
        self.calls.append((method, {k: v for k, v in params.items() if not isinstance(v, bytes)}))
        if method.lower() in SEND_METHODS and time.monotonic() < self._retry_until:
            self.stats.calls_in_retry_window += 1
        fault = self._take_fault(method, params)
        if fault is not None:
            self.stats.faults[fault.kind] += 1
        if fault is not None and not fault.lost:
            if fault.delay:
                await asyncio.sleep(fault.delay)
            if fault.hang:
                return _dropped(request)
            if fault.status:
                return self._error(fault.status, fault.description or _DESCRIPTIONS.get(fault.status, "Error"),
                                   fault.retry_after)
        handler = self._methods.get(method.lower())
        if handler is None:
            return _error(404, "Not Found: method not found")
        try:
            result = await handler(self, params)
        except ApiError as exc:
            return self._error(exc.status, exc.description, exc.retry_after)
        if fault is not None and fault.lost:  # carried out; only its answer goes missing
            if fault.status:
                return self._error(fault.status, _DESCRIPTIONS.get(fault.status, "Error"))
            return _dropped(request)
        return web.json_response({"ok": True, "result": result})

    def _error(self, status: int, description: str, retry_after: int | None = None) -> web.Response:
        if status == 429:
            self.stats.rejected_429 += 1
            if retry_after:
                self._retry_until = max(self._retry_until, time.monotonic() + retry_after)
        return _error(status, description, retry_after)

    def _take_fault(self, method: str, params: Mapping[str, Any]) -> Fault | None:
        chat = params.get("chat_id")
        for fault in self.faults:
            if fault.method is not None and fault.method.lower() != method.lower():
                continue
            if fault.chat_id is not None and str(fault.chat_id) != str(chat):
                continue
            if fault.skip > 0:
                fault.skip -= 1
                continue
            fault.times -= 1
            if fault.times <= 0:
                self.faults.remove(fault)
            return fault
        for faults in self.random_faults:
            matches = faults.method is None or faults.method.lower() == method.lower()
            if matches and faults.generator.random() < faults.rate:  # one draw per matching call
                return faults.fault()
        return None

    async def _get_me(self, params: dict[str, Any]) -> Any:
        return {**BOT_USER, "can_join_groups": False, "can_read_all_group_messages": False,
                "supports_inline_queries": False}

    async def _get_updates(self, params: dict[str, Any]) -> Any:
        """Like Telegram: updates stay until a later ``offset`` confirms them, so a poll whose
        client went away (a restart) loses nothing; a newer poll ends an older waiting one."""
        if self.webhook is not None:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook "
                                "to delete the webhook first")
        offset = int(params.get("offset") or 0)
        limit = min(int(params.get("limit") or 100), 100)
        timeout = float(params.get("timeout") or 0)
        deadline = time.monotonic() + timeout
        self._poll_generation += 1
        generation = self._poll_generation
        if offset:
            self._updates = deque(
                u for u in self._updates if u.get("_redelivery") or u["update_id"] >= offset
            )
        while True:
            batch = [u for u in self._updates if u.get("_redelivery") or u["update_id"] >= offset][:limit]
            if batch:
                for update in batch:
                    if update.get("_redelivery"):
                        self._updates.remove(update)
                    self._history.append(update)
                    self.delivered.append(update["update_id"])
                return [{k: v for k, v in u.items() if not k.startswith("_")} for u in batch]
            remaining = deadline - time.monotonic()
            if remaining <= 0 or generation != self._poll_generation:
                return []
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(), remaining)
            except TimeoutError:
                return []

    async def _ok(self, params: dict[str, Any]) -> Any:
        return True

    async def _set_my_commands(self, params: dict[str, Any]) -> Any:
        self.commands = list(params.get("commands") or [])
        return True

    async def _get_my_commands(self, params: dict[str, Any]) -> Any:
        return self.commands

    async def _send_message(self, params: dict[str, Any]) -> Any:
        text = str(params.get("text") or "")
        visible = visible_text(text, params.get("parse_mode"))
        if not visible.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if len(visible) > TEXT_LIMIT:
            raise ApiError(400, "Bad Request: message is too long")
        return await self._deliver(params, text=text)

    @staticmethod
    def _check_caption(params: Mapping[str, Any]) -> None:
        caption = params.get("caption")
        if caption and len(visible_text(str(caption), params.get("parse_mode"))) > CAPTION_LIMIT:
            raise ApiError(400, "Bad Request: message caption is too long")

    async def _send_photo(self, params: dict[str, Any]) -> Any:
        self._check_caption(params)
        photo = params.get("photo")
        file_id = self._file_from(photo, "photos", "photo.jpg")
        sizes = [{"file_id": file_id, "file_unique_id": file_id[-12:], "width": 1280, "height": 960}]
        return await self._deliver(params, photo=sizes, caption=params.get("caption"))

    async def _send_document(self, params: dict[str, Any]) -> Any:
        self._check_caption(params)
        document = params.get("document")
        name = params.get("_filename:document") or "document"
        file_id = self._file_from(document, "documents", str(name))
        doc = {"file_id": file_id, "file_unique_id": file_id[-12:], "file_name": self.files[file_id][2]}
        return await self._deliver(params, document=doc, caption=params.get("caption"))

    async def _deliver(self, params: dict[str, Any], **content: Any) -> dict[str, Any]:
        chat_id = _chat_id(params)
        if chat_id in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        self._check_rate(chat_id)
        message: dict[str, Any] = {
            "message_id": next(self._message_ids[chat_id]),
            "from": BOT_USER,
            "chat": self._chat(chat_id),
            "date": int(time.time()),
            **{k: v for k, v in content.items() if v is not None},
        }
        if params.get("parse_mode"):
            message["_parse_mode"] = params["parse_mode"]
        markup = params.get("reply_markup")
        if markup:
            if "inline_keyboard" in markup:
                message["reply_markup"] = markup
            else:
                message["_reply_keyboard"] = markup
        self.delivery_log.append((time.monotonic(), chat_id, message["message_id"]))
        await self._record_async(chat_id, {**message, "direction": "out"})
        return {k: v for k, v in message.items() if not k.startswith("_")}

    async def _edit_message_text(self, params: dict[str, Any]) -> Any:
        message = self._stored(params)
        message["text"] = str(params.get("text") or "")
        message["_edited"] = True
        if params.get("parse_mode"):
            message["_parse_mode"] = params["parse_mode"]
        return await self._edit_markup(message, params)

    async def _edit_message_reply_markup(self, params: dict[str, Any]) -> Any:
        return await self._edit_markup(self._stored(params), params)

    async def _edit_markup(self, message: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
        """An edit without ``reply_markup`` removes the inline keyboard, as on Telegram."""
        markup = params.get("reply_markup")
        if markup:
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        await self._notify()
        return {k: v for k, v in message.items() if not k.startswith("_") and k != "direction"}

    async def _delete_message(self, params: dict[str, Any]) -> Any:
        message = self._stored(params)
        message["_deleted"] = True
        await self._notify()
        return True

    async def _answer_callback_query(self, params: dict[str, Any]) -> Any:
        self.callback_answers[str(params.get("callback_query_id"))] = {
            "text": params.get("text"), "show_alert": bool(params.get("show_alert"))}
        await self._notify()
        return True

    async def _get_file(self, params: dict[str, Any]) -> Any:
        file_id = str(params.get("file_id"))
        if file_id not in self.files:
            raise ApiError(400, "Bad Request: invalid file_id")
        data, path, _name = self.files[file_id]
        return {"file_id": file_id, "file_unique_id": file_id[-12:], "file_size": len(data), "file_path": path}

    async def _file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        path = request.match_info["path"]
        for data, file_path, _name in self.files.values():
            if file_path == path:
                return web.Response(body=data, content_type="application/octet-stream")
        return web.Response(status=404)

    _methods: ClassVar[dict[str, Callable[[BotAPIEmulator, dict[str, Any]], Any]]] = {
        "getme": _get_me,
        "getupdates": _get_updates,
        "deletewebhook": _ok,
        "setwebhook": _ok,
        "close": _ok,
        "logout": _ok,
        "sendchataction": _ok,
        "setmycommands": _set_my_commands,
        "getmycommands": _get_my_commands,
        "deletemycommands": _ok,
        "sendmessage": _send_message,
        "sendphoto": _send_photo,
        "senddocument": _send_document,
        "editmessagetext": _edit_message_text,
        "editmessagereplymarkup": _edit_message_reply_markup,
        "deletemessage": _delete_message,
        "answercallbackquery": _answer_callback_query,
        "getfile": _get_file,
    }

    # ------------------------------------------------------------ internals

    def _chat(self, chat_id: int) -> dict[str, Any]:
        user = self.users.get(chat_id)
        if chat_id < 0:
            return {"id": chat_id, "type": "group", "title": f"Group {chat_id}"}
        return {"id": chat_id, "type": "private", "first_name": (user or {}).get("first_name", "User")}

    def _record(self, chat_id: int, message: dict[str, Any]) -> None:
        self._messages[chat_id].append(message)
        self.revision += 1

    async def _record_async(self, chat_id: int, message: dict[str, Any]) -> None:
        self._record(chat_id, message)
        await self._notify()

    async def _notify(self) -> None:
        self.revision += 1
        async with self._changed:
            self._changed.notify_all()

    def _stored(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = _chat_id(params)
        try:
            message = self.message(chat_id, int(params.get("message_id") or 0))
        except KeyError:
            raise ApiError(400, "Bad Request: message to edit not found") from None
        if message["direction"] != "out":
            raise ApiError(400, "Bad Request: message can't be edited")
        return message

    def _store_file(self, data: bytes, folder: str, name: str) -> str:
        file_id = "F" + secrets.token_urlsafe(24)
        self.files[file_id] = (data, f"{folder}/file_{len(self.files)}_{name}", name)
        return file_id

    def _file_from(self, value: Any, folder: str, name: str) -> str:
        if isinstance(value, bytes):
            return self._store_file(value, folder, name)
        if isinstance(value, str) and value in self.files:
            return value
        if isinstance(value, str) and value:
            # A file_id we never issued: Telegram would refuse it.
            raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        raise ApiError(400, "Bad Request: there is no file in the request")

    def _check_rate(self, chat_id: int) -> None:
        limits = self.rate_limits
        if limits is None:
            return
        now = time.monotonic()
        overall = self._overall_times
        while overall and now - overall[0] >= 1.0:
            overall.popleft()
        if len(overall) >= limits.overall_per_second:
            self._reject(1)
        window = 60.0 if chat_id < 0 else limits.per_chat_burst / limits.per_chat_per_second
        allowed = limits.per_group_per_minute if chat_id < 0 else limits.per_chat_burst
        times = self._sent_times[chat_id]
        while times and now - times[0] >= window:
            times.popleft()
        if len(times) >= allowed:
            self._reject(max(1, int(window - (now - times[0])) + 1))
        times.append(now)
        overall.append(now)

    def _reject(self, retry_after: int) -> None:
        raise ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)

    # ------------------------------------------------------------ HTTP driver API

    def _add_driver_routes(self, app: web.Application) -> None:
        app.router.add_post("/_sandbox/updates", self._driver_update)
        app.router.add_get("/_sandbox/chats/{chat_id}", self._driver_messages)
        app.router.add_post("/_sandbox/faults", self._driver_fault)
        app.router.add_post("/_sandbox/reset", self._driver_reset)

    async def _driver_update(self, request: web.Request) -> web.Response:
        body = await request.json()
        user = self._user(body["user"]) if isinstance(body.get("user"), dict) else self._user(int(body["user"]))
        kind = body.get("kind", "text")
        if kind == "text":
            update_id = self.send_text(user, str(body["text"]))
        elif kind == "contact":
            update_id = self.send_contact(user, str(body["phone"]), contact_user_id=body.get("contact_user_id"))
        elif kind == "callback":
            update_id = self.press(user, int(body["message_id"]), str(body["data"]))
        elif kind == "photo":
            update_id = self.send_photo(user, bytes.fromhex(body.get("hex", "89504e470d0a1a0a")))
        elif kind == "document":  # a file sent "as a file": its bytes, name and the type the client declared
            update_id = self.send_document(user, bytes.fromhex(body.get("hex", "")), str(body.get("name", "file")),
                                           str(body.get("mime_type", "application/octet-stream")))
        else:
            return web.json_response({"ok": False, "description": f"unknown kind {kind}"}, status=400)
        return web.json_response({"ok": True, "update_id": update_id})

    async def _driver_messages(self, request: web.Request) -> web.Response:
        chat_id = int(request.match_info["chat_id"])
        return web.json_response({"ok": True, "messages": self.messages(chat_id)})

    async def _driver_fault(self, request: web.Request) -> web.Response:
        """``{"status": 502, "method": …, "times": …}``; ``{"kind": "timeout"|"lost", …}``; with
        ``"rate"``, random faults of that kind (``"seed"``)."""
        body = await request.json()
        kind, method, times = body.get("kind"), body.get("method"), int(body.get("times", 1))
        if "rate" in body:
            self.inject_random_faults(kind or "server_error", float(body["rate"]), method, seed=int(body.get("seed", 0)),
                                      status=int(body.get("status", 0)), seconds=float(body.get("seconds", 60)))
        elif kind == "timeout":
            self.inject_timeout(method, seconds=float(body.get("seconds", 60)), times=times)
        elif kind == "lost":
            self.inject_lost_response(method, status=int(body.get("status", 0)), times=times)
        else:
            self.inject_fault(int(body["status"]), method, retry_after=body.get("retry_after"),
                              times=times, delay=float(body.get("delay", 0)))
        return web.json_response({"ok": True})

    async def _driver_reset(self, request: web.Request) -> web.Response:
        self.reset()
        return web.json_response({"ok": True})


class ApiError(Exception):
    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after


_DESCRIPTIONS = {
    403: "Forbidden: bot was blocked by the user",
    429: "Too Many Requests: retry later",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


def _error(status: int, description: str, retry_after: int | None = None) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return web.json_response(body, status=status)


def _dropped(request: web.Request) -> web.Response:
    """The connection closes without an answer (the client sees a disconnect or its timeout)."""
    if request.transport is not None:
        request.transport.close()
    return web.Response(status=204)


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def visible_text(text: str, parse_mode: Any) -> str:
    """The text Telegram keeps after entities parsing (what its length limits count): with
    ``parse_mode`` HTML, tags are dropped and entities such as ``&lt;`` become one character."""
    if str(parse_mode or "").lower() != "html":
        return text
    parser = _Visible()
    parser.feed(text)
    parser.close()
    return "".join(parser.parts)


def _update_chat(update: Mapping[str, Any]) -> int:
    """The chat an update belongs to (0: none), for keeping a chat's updates in order."""
    for kind in ("message", "edited_message", "callback_query"):
        event = update.get(kind)
        if isinstance(event, Mapping):
            message = event.get("message") if kind == "callback_query" else event
            if isinstance(message, Mapping) and isinstance(message.get("chat"), Mapping):
                return int(message["chat"]["id"])
            if isinstance(event.get("from"), Mapping):
                return int(event["from"]["id"])
    return 0


def _chat_id(params: Mapping[str, Any]) -> int:
    try:
        return int(params["chat_id"])
    except (KeyError, TypeError, ValueError):
        raise ApiError(400, "Bad Request: chat not found") from None


async def _read_params(request: web.Request) -> dict[str, Any]:
    """Bot API parameters from a query string, JSON body, urlencoded or multipart form."""
    params: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        body = await request.json()
        if isinstance(body, dict):
            params.update(body)
        return params
    if request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded") and request.can_read_body:
        form = await request.post()
        uploads: dict[str, bytes] = {}
        for key, value in form.items():
            if isinstance(value, web.FileField):
                uploads[key] = value.file.read()
                params[f"_filename:{key}"] = value.filename
            else:
                params[key] = _decode_field(key, str(value))
        # aiogram refers to uploads as "attach://<key>"; python-telegram-bot posts the file as the
        # parameter itself (both are the Bot API's ways).
        for key, value in list(params.items()):
            if isinstance(value, str) and value.startswith("attach://") and value[9:] in uploads:
                params[key] = uploads[value[9:]]
                params[f"_filename:{key}"] = params.get(f"_filename:{value[9:]}") or key
        for key, data in uploads.items():
            params.setdefault(key, data)
    return params


def _decode_field(key: str, value: str) -> Any:
    if key in STRING_FIELDS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value
