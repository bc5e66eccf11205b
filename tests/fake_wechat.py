"""A local stand-in for the WeCom and Official Account APIs, for tests.

It serves just what the adapters call, under one `/cgi-bin/` base URL: the two token
endpoints, WeCom app messages (`message/send`, text or file), app group chats
(`appchat/send`), the group robot webhook (`webhook/send`), Official Account
customer-service messages (`message/custom/send`: refused with 45015 to a user in
`closed_windows`, as past WeChat's 48 hours) and template messages
(`message/template/send`), and WeCom temporary media
(`media/upload`: a multipart upload, kept in `media` by the media id it answers with,
at most 20 MB for a file as on WeCom).  Tokens are checked like the real thing (an
unknown or expired one gets errcode 42001), a text over WeChat's 2048 bytes is refused
(45002) as WeChat refuses it, a WeCom app message repeated within its duplicate check's
interval is answered ok and not delivered (`delivered_at`), an account whose quota is
spent is refused (45009) until it is reset (`quota_reached`), and tests can script
failures.  Everything it receives is kept in `calls`; `wait_for` lets a test wait for a
delivery without sleeping.

It also holds `running_server`, which starts any ASGI app on an ephemeral port of
127.0.0.1 (tests may run in parallel, so no fixed ports).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import socket
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

from tests.fake_telegram import Upload, parse_multipart

# WeChat's limit for one text message, in bytes of UTF-8 (app, customer-service and robot
# messages alike): a longer one is refused with 45002.
TEXT_LIMIT = 2048

SEND_PATHS = (
    "message/send",
    "appchat/send",
    "message/custom/send",
    "message/template/send",
    "webhook/send",
)


@dataclass
class Call:
    path: str
    query: dict[str, str]
    body: dict[str, Any]

    @property
    def content(self) -> str:
        return str(self.body.get("text", {}).get("content", ""))

    @property
    def to(self) -> str:
        return str(self.body.get("touser") or self.body.get("chatid") or "")

    @property
    def msgtype(self) -> str:
        return str(self.body.get("msgtype", ""))


@dataclass
class FakeWeChat:
    """The fake API's state: issued tokens, received calls, scripted failures."""

    corp_id: str = "ww-test-corp"
    corp_secret: str = "wecom-secret"
    app_id: str = "wx-test-app"
    app_secret: str = "oa-secret"
    robot_key: str = "robot-key"
    calls: list[Call] = field(default_factory=list)
    token_requests: int = 0
    tokens: set[str] = field(default_factory=set)
    # errcodes to answer the next send calls with, in order (500 = an HTTP 500; 0 = this
    # one goes through, so [0, -1] fails the second piece of a long text).
    fail_next: list[int] = field(default_factory=list)
    # Official Account users whose 48 hours have passed: customer-service messages to them
    # are refused with 45015, as WeChat does; template messages are not.
    closed_windows: set[str] = field(default_factory=set)
    # Send paths whose account has spent its API quota (WeChat's 45009): refused, each
    # refusal kept in `calls` as "refused:<path>", until the test resets it (midnight).
    quota_reached: set[str] = field(default_factory=set)
    # When set, a WeCom app message waits for it after it was delivered, before the answer
    # (the answer times out while the member already has the message).
    stall_answer: asyncio.Event | None = None
    # WeCom's duplicate check: when each (member, message) went, on `clock`.  A message
    # sent with enable_duplicate_check, the same as one delivered to that member within
    # its duplicate_check_interval (1800 s by default), is answered ok and not delivered
    # (kept in `calls` as "duplicate:message/send").
    delivered_at: dict[tuple[str, str], float] = field(default_factory=dict)
    clock: Callable[[], float] = time.monotonic
    # When set, send calls wait for it (to prove the bot's event loop stays free).
    hold: asyncio.Event | None = None
    # Uploaded temporary media by media id, and WeCom's size limit for a file.
    media: dict[str, Upload] = field(default_factory=dict)
    max_file_bytes: int = 20 * 1024 * 1024
    # When set, every upload is answered with this HTTP status (413: a proxy's limit).
    upload_status: int | None = None
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def sent(self, path: str) -> list[Call]:
        return [c for c in self.calls if c.path == path]

    def expire_tokens(self) -> None:
        """Invalidate every token issued so far (as WeChat does after two hours)."""
        self.tokens.clear()

    async def wait_for(self, ready: Callable[[], bool], within: float = 5.0) -> None:
        """Wait until `ready()` holds; it is re-checked whenever a call arrives."""
        async with asyncio.timeout(within), self._changed:
            await self._changed.wait_for(ready)

    async def _record(self, call: Call) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    # endpoints -----------------------------------------------------------------------
    async def _token(self, request: Request) -> Response:
        self.token_requests += 1
        q = request.query_params
        wecom = (q.get("corpid"), q.get("corpsecret")) == (self.corp_id, self.corp_secret)
        oa = (q.get("appid"), q.get("secret"), q.get("grant_type")) == (
            self.app_id,
            self.app_secret,
            "client_credential",
        )
        if not (wecom or oa):
            return JSONResponse({"errcode": 40013, "errmsg": "invalid credential"})
        token = f"token-{next(self._ids)}"
        self.tokens.add(token)
        return JSONResponse({"errcode": 0, "access_token": token, "expires_in": 7200})

    async def _send(self, request: Request) -> Response:
        path = request.url.path.removeprefix("/cgi-bin/")
        query = dict(request.query_params)
        try:
            body = json.loads(await request.body())
        except ValueError:
            return JSONResponse({"errcode": 47001, "errmsg": "data format error"})
        if self.hold is not None:
            await self._record(Call("held:" + path, query, body))
            await self.hold.wait()
        if path == "webhook/send":
            if query.get("key") != self.robot_key:
                return JSONResponse({"errcode": 93000, "errmsg": "invalid webhook url"})
        elif query.get("access_token") not in self.tokens:
            return JSONResponse({"errcode": 42001, "errmsg": "access_token expired"})
        if path in self.quota_reached:
            await self._record(Call("refused:" + path, query, body))
            return JSONResponse({"errcode": 45009, "errmsg": "api freq out of limit"})
        if path == "message/custom/send" and body.get("touser") in self.closed_windows:
            return JSONResponse({"errcode": 45015, "errmsg": "response out of time limit"})
        if self.fail_next and (failure := self._scripted_failure()) is not None:
            return failure
        text = body.get("text")
        if isinstance(text, dict) and not str(text.get("content") or "").strip():
            return JSONResponse({"errcode": 44004, "errmsg": "empty content"})  # as WeChat
        if isinstance(text, dict) and len(str(text.get("content")).encode()) > TEXT_LIMIT:
            return JSONResponse({"errcode": 45002, "errmsg": "content size out of limit"})
        reply: dict[str, Any] = {"errcode": 0, "errmsg": "ok"}
        if path == "message/send":
            reply.update(invaliduser="", msgid=f"wecom-msg-{next(self._ids)}")
            if self._duplicate(body):
                await self._record(Call("duplicate:" + path, query, body))
                return JSONResponse(reply)
        await self._record(Call(path, query, body))
        if path == "message/send" and self.stall_answer is not None:
            await self.stall_answer.wait()
        return JSONResponse(reply)

    def _duplicate(self, body: dict[str, Any]) -> bool:
        """Whether WeCom's duplicate check drops this app message; else it is remembered."""
        kind = str(body.get("msgtype", ""))
        key = (str(body.get("touser", "")), kind + json.dumps(body.get(kind), sort_keys=True))
        now, last = self.clock(), self.delivered_at.get(key)
        interval = float(body.get("duplicate_check_interval") or 1800)
        if body.get("enable_duplicate_check") and last is not None and now - last < interval:
            return True
        self.delivered_at[key] = now
        return False

    def _scripted_failure(self) -> Response | None:
        """The next failure a test asked for: an HTTP 500, a 200 that is not the API's (an
        HTML page, as a proxy or captive portal answers), or a WeChat error code; None for
        a call scripted to go through (0)."""
        code = self.fail_next.pop(0)
        if code == 0:
            return None
        if code == 500:
            return Response("upstream error", 500)
        if code == 200:
            return Response(
                "<html><body>请先登录上网认证</body></html>", 200, media_type="text/html"
            )
        return JSONResponse({"errcode": code, "errmsg": "scripted failure"})

    async def _upload(self, request: Request) -> Response:
        """WeCom's media/upload: ?access_token=&type=file, the file in the part "media"."""
        query = dict(request.query_params)
        if query.get("access_token") not in self.tokens:
            return JSONResponse({"errcode": 42001, "errmsg": "access_token expired"})
        if self.upload_status is not None:
            return Response("413 Request Entity Too Large", self.upload_status)
        if self.fail_next and (failure := self._scripted_failure()) is not None:
            return failure
        content_type = request.headers.get("content-type", "")
        if not content_type.startswith("multipart/form-data"):
            return JSONResponse({"errcode": 41001, "errmsg": "media data missing"})
        upload = parse_multipart(await request.body(), content_type).get("media")
        if not isinstance(upload, Upload) or query.get("type") != "file":
            return JSONResponse({"errcode": 41001, "errmsg": "media data missing"})
        if len(upload.data) > self.max_file_bytes:
            return JSONResponse({"errcode": 40006, "errmsg": "invalid file size"})
        media_id = f"media-{next(self._ids)}"
        self.media[media_id] = upload
        info = {"filename": upload.filename, "type": query["type"], "media_id": media_id}
        await self._record(Call("media/upload", query, info))
        return JSONResponse(
            {"errcode": 0, "errmsg": "ok", "type": "file", "media_id": media_id, "created_at": "1"}
        )

    def app(self) -> Starlette:
        routes = [
            Route("/cgi-bin/gettoken", self._token),
            Route("/cgi-bin/token", self._token),
            Route("/cgi-bin/media/upload", self._upload, methods=["POST"]),
        ] + [Route(f"/cgi-bin/{path}", self._send, methods=["POST"]) for path in SEND_PATHS]
        return Starlette(routes=routes)


@contextlib.asynccontextmanager
async def running_server(app: ASGIApp) -> AsyncIterator[str]:
    """Serve `app` on 127.0.0.1 at an ephemeral port; yield its base URL.

    The socket is bound and listening before uvicorn starts, so the URL works at once
    (connections wait in the backlog) and no polling for "started" is needed.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await task
        sock.close()
