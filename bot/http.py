"""The one HTTP server for platform callbacks (Telegram webhook, WeCom, Official Account).

Adapters contribute Starlette routes; this module only serves them, with a body-size cap
applied before any handler reads the request.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# How long a stop waits for the requests still open when the server closes, before cutting
# them off (`timeout_graceful_shutdown`).  By then every callback has been answered 503 for
# the adapters' own grace: what is still open is stuck (a Telegram webhook's update waiting
# for a database that is down), and cut off it is not lost: Telegram delivers an update not
# answered 200 again, and a WeChat message answered "success" is kept (`bot.journal`).
# Without a bound uvicorn waited for it for ever, until systemd killed the process.
SHUTDOWN_GRACE = 5  # seconds (uvicorn takes whole ones)


class BodyLimit:
    """Refuse bodies over `limit` bytes with 413, whatever Content-Length claims."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await PlainTextResponse("request body too large", 413)(scope, receive, send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except BodyTooLarge:
            await PlainTextResponse("request body too large", 413)(scope, receive, send)


class BodyTooLarge(Exception):
    pass


def build_app(routes: Sequence[Any], max_body_bytes: int) -> ASGIApp:
    return BodyLimit(Starlette(routes=list(routes)), max_body_bytes)


def build_server(app: ASGIApp, host: str, port: int) -> uvicorn.Server:
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        lifespan="off",
        timeout_graceful_shutdown=SHUTDOWN_GRACE,
    )
    return uvicorn.Server(config)
