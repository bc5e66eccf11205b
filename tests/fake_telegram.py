"""A local fake of the Telegram Bot API, for driving the real python-telegram-bot stack.

It listens on 127.0.0.1 on an ephemeral port and speaks the real JSON shapes for the
methods the bot uses (getMe, getUpdates with long polling, sendMessage,
editMessageText, editMessageReplyMarkup, answerCallbackQuery, getChat, setWebhook,
deleteWebhook), and takes
sendDocument as the Bot API does: a multipart/form-data upload, whose file is kept
(name, type, bytes) on the message in `sent`.  Tests play
the people: `say()` and `press()` queue updates the way Telegram would, and read back
what the bot did from `sent` / `chat_log()`.

Faults on request: `fail(method, status, times, retry_after)` answers the next calls with
429 (with `parameters.retry_after`, as Telegram does) or a 5xx, *without* carrying them
out, so a test can count that every reply arrived exactly once.  `group_limit` makes the
server enforce a per-group rate like Telegram's and count violations.

Forums (supergroups with topics): `forum()` makes one, `open_topic()` adds a topic and
`say(..., thread=)` writes in it, as Telegram shapes such a message (`message_thread_id`,
`is_topic_message`, and the topic's opening service message as `reply_to_message`).  A
send goes to its `message_thread_id`, else to the topic of the message it replies to, else
to the General topic; `close_topic()` (the General topic: thread None) and
`delete_topic()` make those refuse it as the Bot API does a bot that is no admin:
"Bad Request: TOPIC_CLOSED", "Bad Request: message thread not found" (so does a thread id
sent to a group without topics).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import socket
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

TOKEN = "123456:TEST-token"
# `fail(method, DROP)`: the connection breaks in the middle of the response (a network
# error, not an HTTP status), and the request is not carried out.
DROP = 0
BOT_ID = 123456


@dataclass
class Fault:
    method: str
    status: int
    times: int
    retry_after: int | None = None


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart request."""

    filename: str
    content_type: str
    data: bytes


def parse_multipart(body: bytes, content_type: str) -> dict[str, Any]:
    """The fields of a multipart/form-data body, exactly as sent: text fields (JSON
    values decoded, as the Bot API reads them) and `Upload`s, bytes untouched."""
    found = re.search(r'boundary="?([^";]+)"?', content_type)
    assert found, content_type
    delimiter = b"--" + found.group(1).encode()
    fields: dict[str, Any] = {}
    for chunk in body.split(delimiter)[1:]:
        if chunk.startswith(b"--"):
            break  # the closing delimiter
        head, _, content = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        content = content.removesuffix(b"\r\n")
        headers = head.decode("utf-8")
        name = re.search(r'name="([^"]*)"', headers)
        assert name, headers
        filename = re.search(r'filename="([^"]*)"', headers)
        kind = re.search(r"(?im)^content-type:\s*(\S+)", headers)
        if filename is not None:
            mime = kind.group(1) if kind else "application/octet-stream"
            fields[name.group(1)] = Upload(filename.group(1), mime, content)
            continue
        text = content.decode("utf-8")
        try:
            fields[name.group(1)] = json.loads(text)
        except ValueError:
            fields[name.group(1)] = text
    return fields


@dataclass
class SentMessage:
    """A message the bot sent, as the fake keeps it (edits update it in place).  For a
    document, `text` is its caption and `document` the uploaded file."""

    chat_id: int
    message_id: int
    text: str
    reply_to: int | None
    buttons: list[list[dict[str, Any]]]
    edits: int = 0
    raw: dict[str, Any] = field(default_factory=dict)
    document: Upload | None = None
    thread: int | None = None  # the forum topic it went to; None: General, or no forum

    def commands(self) -> list[str]:
        return [b["callback_data"] for row in self.buttons for b in row]


class _CutOff(Response):
    """Promises a body, sends a fragment, and ends: the client sees a broken connection."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", b"64")],
            }
        )
        await send({"type": "http.response.body", "body": b'{"ok": tr', "more_body": False})


def user(user_id: int, name: str) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": name}


class FakeTelegram:
    def __init__(self, username: str = "IntakeBot", privacy_mode: bool = False) -> None:
        self.username = username
        self.privacy_mode = privacy_mode
        self.token = TOKEN
        self.updates: list[dict[str, Any]] = []
        self.confirmed = 0  # updates below this id were confirmed by an offset
        self.allowed_updates: list[str] | None = None  # getUpdates' latest allowed_updates
        self.calls: list[tuple[str, dict[str, Any], int]] = []
        self.call_times: list[float] = []  # monotonic, parallel to `calls`
        self.sent: list[SentMessage] = []
        self.answered: list[str] = []
        self.webhook: dict[str, Any] | None = None
        self.faults: list[Fault] = []
        self.chats: dict[int, dict[str, Any]] = {}
        self.migrated: dict[int, int] = {}  # old group id -> supergroup id
        # Forums: chat -> topic (message_thread_id) -> its opening service message.
        self.topics: dict[int, dict[int, dict[str, Any]]] = {}
        self.closed_topics: set[tuple[int, int | None]] = set()  # (chat, topic); None: General
        self.group_limit: tuple[int, float] | None = None
        self.max_upload = 50 * 1024 * 1024  # the Bot API's limit for a bot's upload
        self.limit_violations = 0
        self.send_times: dict[int, deque[float]] = defaultdict(deque)
        self.all_send_times: dict[int, list[float]] = defaultdict(list)
        self._ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._changed = asyncio.Condition()
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None
        self._closing = asyncio.Event()
        self.port = 0

    # lifecycle --------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    async def start(self) -> None:
        app = Starlette(routes=[Route("/bot{token}/{method}", self._api, methods=["GET", "POST"])])
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(app, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        self._task = asyncio.create_task(self._server.serve(sockets=[sock]))
        while not self._server.started:  # noqa: ASYNC110 - uvicorn has no started event
            if self._task.done():
                self._task.result()
            await asyncio.sleep(0.005)

    async def stop(self) -> None:
        self._closing.set()
        async with self._changed:
            self._changed.notify_all()
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    # what tests do ------------------------------------------------------------------------
    def chat(self, chat_id: int, kind: str = "group", title: str = "") -> dict[str, Any]:
        found = self.chats.get(chat_id)
        if found is None:
            found = {"id": chat_id, "type": kind}
            if kind == "private":
                found["first_name"] = title or str(chat_id)
            else:
                found["title"] = title or f"group {chat_id}"
            self.chats[chat_id] = found
        return found

    def forum(self, chat_id: int, title: str = "") -> dict[str, Any]:
        """A supergroup with topics (its General topic open)."""
        chat = self.chat(chat_id, "supergroup", title)
        chat["type"] = "supergroup"
        chat["is_forum"] = True
        self.topics.setdefault(chat_id, {})
        return chat

    def open_topic(self, chat_id: int, name: str) -> int:
        """A new topic in forum `chat_id`; its id (`message_thread_id`) is that of its
        opening service message, as in Telegram."""
        message_id = self.next_message_id(chat_id)
        self.topics[chat_id][message_id] = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": self.chats[chat_id],
            "from": user(999, "群主"),
            "message_thread_id": message_id,
            "is_topic_message": True,
            "forum_topic_created": {"name": name, "icon_color": 7322096},
        }
        return message_id

    def close_topic(self, chat_id: int, thread: int | None = None) -> None:
        """Only admins may write there now (thread None: the General topic)."""
        self.closed_topics.add((chat_id, thread))

    def reopen_topic(self, chat_id: int, thread: int | None = None) -> None:
        self.closed_topics.discard((chat_id, thread))

    def delete_topic(self, chat_id: int, thread: int) -> None:
        del self.topics[chat_id][thread]

    def next_message_id(self, chat_id: int) -> int:
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    def _allowed(self, update: dict[str, Any]) -> bool:
        """Whether `allowed_updates` lets this update through (all kinds when never given)."""
        kinds = set(update) - {"update_id"}
        return self.allowed_updates is None or bool(kinds & set(self.allowed_updates))

    def push(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update (an `update_id` is added unless given)."""
        update.setdefault("update_id", next(self._ids))
        self.updates.append(update)
        asyncio.get_running_loop().create_task(self._notify())
        return update

    def message(
        self,
        chat_id: int,
        sender: dict[str, Any],
        text: str | None = None,
        *,
        kind: str | None = None,
        reply_to: int | None = None,
        thread: int | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        """A Message object as Telegram would put it in an update (`thread`: written in
        that topic of a forum)."""
        chat_kind = kind or ("private" if chat_id > 0 else "group")
        message: dict[str, Any] = {
            "message_id": self.next_message_id(chat_id),
            "date": int(time.time()),
            "chat": self.chat(chat_id, chat_kind),
            "from": sender,
        }
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                command = text.split()[0]
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        if reply_to is not None:
            replied = self._find(chat_id, reply_to)
            message["reply_to_message"] = replied or {
                "message_id": reply_to,
                "date": int(time.time()),
                "chat": self.chat(chat_id),
            }
        if thread is not None:
            # In a topic, a message that replies to nothing replies to the topic's opener.
            message["message_thread_id"] = thread
            message["is_topic_message"] = True
            message.setdefault("reply_to_message", self.topics[chat_id][thread])
        message.update(extra)
        return message

    def say(
        self, chat_id: int, sender: dict[str, Any], text: str | None = None, **extra: Any
    ) -> dict[str, Any]:
        """Someone writes in a chat; returns the queued update."""
        if self.privacy_mode and chat_id < 0 and not self._visible_in_privacy_mode(text, extra):
            return {}
        return self.push({"message": self.message(chat_id, sender, text, **extra)})

    def _visible_in_privacy_mode(self, text: str | None, extra: dict[str, Any]) -> bool:
        """What Telegram delivers to a bot with privacy mode on: commands and replies
        to the bot's own messages."""
        if text and text.startswith("/"):
            return True
        reply_to = extra.get("reply_to")
        return any(m.message_id == reply_to for m in self.sent)

    def press(self, sender: dict[str, Any], message: SentMessage, index: int = 0) -> dict[str, Any]:
        """Someone taps the `index`-th button under a bot message."""
        command = message.commands()[index]
        return self.push(
            {
                "callback_query": {
                    "id": f"cbq{next(self._ids)}",
                    "from": sender,
                    "chat_instance": f"ci{message.chat_id}",
                    "data": command,
                    "message": message.raw,
                }
            }
        )

    def fail(
        self, method: str, status: int, times: int = 1, retry_after: int | None = None
    ) -> None:
        self.faults.append(Fault(method, status, times, retry_after))

    def chat_log(self, chat_id: int) -> list[SentMessage]:
        return [m for m in self.sent if m.chat_id == chat_id]

    def method_calls(self, method: str) -> list[tuple[dict[str, Any], int]]:
        return [(params, status) for name, params, status in self.calls if name == method]

    async def wait_for(self, predicate: Callable[[], Any], seconds: float = 10.0) -> Any:
        """Wait until `predicate()` is truthy (checked after every API call)."""
        async with asyncio.timeout(seconds):
            async with self._changed:
                while True:
                    result = predicate()
                    if result:
                        return result
                    await self._changed.wait()

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    def _find(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        for m in self.sent:
            if m.chat_id == chat_id and m.message_id == message_id:
                return m.raw
        for u in self.updates:
            msg = u.get("message")
            if isinstance(msg, dict) and msg.get("message_id") == message_id:
                chat = msg.get("chat", {})
                if isinstance(chat, dict) and chat.get("id") == chat_id:
                    return msg
        return None

    # the API ------------------------------------------------------------------------------
    async def _api(self, request: Request) -> Response:
        method = request.path_params["method"]
        if request.path_params["token"] != self.token:
            return self._error(401, "Unauthorized")
        params = await self._params(request)
        try:
            status, body = await self._call(method, params)
        finally:
            await self._notify()
        self.calls.append((method, params, status))
        self.call_times.append(time.monotonic())
        await self._notify()
        if status == DROP:
            return _CutOff()
        return JSONResponse(body, status_code=status)

    async def _params(self, request: Request) -> dict[str, Any]:
        raw = await request.body()
        content_type = request.headers.get("content-type", "")
        if content_type.startswith("application/json"):
            data: dict[str, Any] = json.loads(raw or b"{}")
            return data
        if content_type.startswith("multipart/form-data"):
            return parse_multipart(raw, content_type)
        params: dict[str, Any] = {}
        for key, value in parse_qsl(raw.decode(), keep_blank_values=True):
            try:
                params[key] = json.loads(value)
            except ValueError:
                params[key] = value
        return params

    @staticmethod
    def _error(status: int, description: str, **parameters: Any) -> JSONResponse:
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if parameters:
            body["parameters"] = parameters
        return JSONResponse(body, status_code=status)

    def _fault_for(self, method: str) -> Fault | None:
        for fault in self.faults:
            if fault.method == method and fault.times > 0:
                fault.times -= 1
                return fault
        return None

    async def _call(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        fault = self._fault_for(method)
        if fault is not None and fault.status == DROP:
            return DROP, {}
        if fault is not None:
            body: dict[str, Any] = {"ok": False, "error_code": fault.status}
            if fault.status == 429:
                body["description"] = f"Too Many Requests: retry after {fault.retry_after}"
                body["parameters"] = {"retry_after": fault.retry_after or 1}
            else:
                body["description"] = {
                    502: "Bad Gateway",
                    403: "Forbidden: bot can't initiate conversation with a user",
                }.get(fault.status, "Internal Server Error")
            return fault.status, body
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        result: tuple[int, dict[str, Any]] = await handler(params)
        return result

    @staticmethod
    def _ok(result: Any) -> tuple[int, dict[str, Any]]:
        return 200, {"ok": True, "result": result}

    def _bot_user(self) -> dict[str, Any]:
        return {"id": BOT_ID, "is_bot": True, "first_name": "Intake", "username": self.username}

    async def _m_getMe(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        me = self._bot_user() | {
            "can_join_groups": True,
            "can_read_all_group_messages": not self.privacy_mode,
            "supports_inline_queries": False,
        }
        return self._ok(me)

    async def _m_deleteWebhook(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        self.webhook = None
        return self._ok(True)

    async def _m_setWebhook(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        self.webhook = params
        return self._ok(True)

    def _migrated_error(self, chat_id: int) -> tuple[int, dict[str, Any]]:
        """What the Bot API answers for a group that became a supergroup."""
        return 400, {
            "ok": False,
            "error_code": 400,
            "description": "Bad Request: group chat was upgraded to a supergroup chat",
            "parameters": {"migrate_to_chat_id": self.migrated[chat_id]},
        }

    async def _m_getChat(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        chat_id = int(params["chat_id"])
        if chat_id in self.migrated:
            return self._migrated_error(chat_id)
        chat = self.chat(chat_id)
        full = chat | {
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }
        return self._ok(full)

    async def _m_getUpdates(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        limit = int(params.get("limit") or 100)
        if params.get("allowed_updates") is not None:
            # As Telegram does: the latest list given is kept, and other kinds never delivered.
            self.allowed_updates = list(params["allowed_updates"])
        if offset:
            self.confirmed = max(self.confirmed, offset)
        deadline = asyncio.get_running_loop().time() + min(timeout, 5.0)
        async with self._changed:  # checked under the lock, so no wake-up is missed
            self._changed.notify_all()  # tests wait for the new confirmed offset
            while True:
                pending = [
                    u
                    for u in self.updates
                    if (not isinstance(u["update_id"], int) or u["update_id"] >= self.confirmed)
                    and self._allowed(u)
                ][:limit]
                if pending or self._closing.is_set():
                    # An update without a usable id cannot be confirmed: hand it out once.
                    self.updates = [u for u in self.updates if isinstance(u["update_id"], int)]
                    return self._ok(pending)
                left = deadline - asyncio.get_running_loop().time()
                if left <= 0:
                    return self._ok([])
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), left)

    def _rate_check(self, chat_id: int) -> bool:
        """Record a send into a group; False if it breaks the configured group limit."""
        now = time.monotonic()
        self.all_send_times[chat_id].append(now)
        if chat_id >= 0 or self.group_limit is None:
            return True
        count, period = self.group_limit
        times = self.send_times[chat_id]
        while times and times[0] <= now - period:
            times.popleft()
        if len(times) >= count:
            self.limit_violations += 1
            return False
        times.append(now)
        return True

    def _topic(self, chat_id: int, params: dict[str, Any]) -> tuple[int | None, str | None]:
        """The topic a send goes to, or the Bot API's refusal of it."""
        given = params.get("message_thread_id")
        topics = self.topics.get(chat_id)
        if topics is None:  # no forum
            return None, "Bad Request: message thread not found" if given else None
        thread = int(given) if given else None
        reply_to = _reply_to(params)
        if thread is None and reply_to is not None:
            replied = self._find(chat_id, int(reply_to)) or {}
            if replied.get("is_topic_message"):
                thread = int(replied["message_thread_id"])  # a reply goes where it answers
        if thread is not None and thread not in topics:
            return None, "Bad Request: message thread not found"
        if (chat_id, thread) in self.closed_topics:
            return None, "Bad Request: TOPIC_CLOSED"
        return thread, None

    def _in_topic(self, raw: dict[str, Any], thread: int | None) -> dict[str, Any]:
        if thread is not None:
            raw["message_thread_id"] = thread
            raw["is_topic_message"] = True
        return raw

    async def _m_sendMessage(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        chat_id = int(params["chat_id"])
        if chat_id in self.migrated:
            return self._migrated_error(chat_id)
        thread, refused = self._topic(chat_id, params)
        if refused is not None:
            return _refused(400, refused)
        if not self._rate_check(chat_id):
            return 429, {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry after 1",
                "parameters": {"retry_after": 1},
            }
        reply_to = _reply_to(params)
        markup = params.get("reply_markup") or {}
        buttons = markup.get("inline_keyboard", []) if isinstance(markup, dict) else []
        message_id = self.next_message_id(chat_id)
        raw: dict[str, Any] = {**self._sent_by_bot(chat_id, message_id), "text": params["text"]}
        self._in_topic(raw, thread)
        if buttons:
            raw["reply_markup"] = {"inline_keyboard": buttons}
        if reply_to is not None:
            replied = self._find(chat_id, int(reply_to))
            if replied is not None:
                raw["reply_to_message"] = replied
        self.sent.append(
            SentMessage(
                chat_id, message_id, params["text"], reply_to, buttons, raw=raw, thread=thread
            )
        )
        return self._ok(raw)

    def _sent_by_bot(self, chat_id: int, message_id: int) -> dict[str, Any]:
        """The fields of every message the bot sends, whatever it carries."""
        return {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": self.chat(chat_id, "private" if chat_id > 0 else "group"),
            "from": self._bot_user(),
        }

    async def _m_sendDocument(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """An upload (a file_id is for a file Telegram has already: not what the bot does)."""
        chat_id = int(params["chat_id"])
        upload = params.get("document")
        if not isinstance(upload, Upload):
            return _refused(400, "Bad Request: there is no document in the request")
        if len(upload.data) > self.max_upload:
            return _refused(413, "Request Entity Too Large")
        thread, refused = self._topic(chat_id, params)
        if refused is not None:
            return _refused(400, refused)
        reply_to = _reply_to(params)
        message_id = self.next_message_id(chat_id)
        raw: dict[str, Any] = {
            **self._sent_by_bot(chat_id, message_id),
            "document": {
                "file_id": f"DOC-{message_id}",
                "file_unique_id": f"d{message_id}",
                "file_name": upload.filename,
                "mime_type": upload.content_type,
                "file_size": len(upload.data),
            },
        }
        caption = str(params.get("caption") or "")
        if caption:
            raw["caption"] = caption
        self._in_topic(raw, thread)
        self.sent.append(
            SentMessage(
                chat_id, message_id, caption, reply_to, [], raw=raw, document=upload,
                thread=thread,
            )
        )
        return self._ok(raw)

    async def _m_editMessageText(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        chat_id, message_id = int(params["chat_id"]), int(params["message_id"])
        for message in self.sent:
            if message.chat_id == chat_id and message.message_id == message_id:
                break
        else:
            return 400, {
                "ok": False,
                "error_code": 400,
                "description": "Bad Request: message to edit not found",
            }
        markup = params.get("reply_markup") or {}
        buttons = markup.get("inline_keyboard", []) if isinstance(markup, dict) else []
        if params["text"] == message.text and buttons == message.buttons:
            return 400, {
                "ok": False,
                "error_code": 400,
                "description": "Bad Request: message is not modified",
            }
        if not self._rate_check(chat_id):
            return 429, {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry after 1",
                "parameters": {"retry_after": 1},
            }
        message.text = params["text"]
        message.raw["text"] = message.text
        _edited(message, buttons)
        return self._ok(message.raw)

    async def _m_editMessageReplyMarkup(
        self, params: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        """The buttons alone; none given (no `reply_markup`) takes them all away."""
        chat_id, message_id = int(params["chat_id"]), int(params["message_id"])
        message = next(
            (m for m in self.sent if (m.chat_id, m.message_id) == (chat_id, message_id)), None
        )
        if message is None:
            return _refused(400, "Bad Request: message to edit not found")
        markup = params.get("reply_markup") or {}
        buttons = markup.get("inline_keyboard", []) if isinstance(markup, dict) else []
        if buttons == message.buttons:
            return _refused(400, "Bad Request: message is not modified")
        _edited(message, buttons)
        return self._ok(message.raw)

    async def _m_answerCallbackQuery(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        self.answered.append(str(params["callback_query_id"]))
        return self._ok(True)


def _reply_to(params: dict[str, Any]) -> Any:
    """The message id a send call replies to (`reply_parameters.message_id`), if any."""
    reply_parameters = params.get("reply_parameters") or {}
    return reply_parameters.get("message_id") if isinstance(reply_parameters, dict) else None


def _edited(message: SentMessage, buttons: list[list[dict[str, Any]]]) -> None:
    """An edit's mark on a message, with the buttons it leaves (none: no keyboard)."""
    message.buttons = buttons
    message.edits += 1
    message.raw["edit_date"] = int(time.time())
    if buttons:
        message.raw["reply_markup"] = {"inline_keyboard": buttons}
    else:
        message.raw.pop("reply_markup", None)


def _refused(status: int, description: str) -> tuple[int, dict[str, Any]]:
    """A method's refusal, as `_call` returns it (the Bot API's error body)."""
    return status, {"ok": False, "error_code": status, "description": description}
