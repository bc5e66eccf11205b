"""Starting the platform adapters a config names, and the HTTP server their callbacks need
(and `/healthz`, `bot.health`)."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import uvicorn

from bot import health
from bot.adapters.base import ChannelAdapter
from bot.app import Bot
from bot.config import Config, ConfigError, unserved
from bot.http import build_app, build_server

log = logging.getLogger(__name__)


def build_adapters(config: Config) -> list[ChannelAdapter]:
    """One adapter per configured platform (imported lazily: each pulls in its SDK)."""
    adapters: list[ChannelAdapter] = []
    if config.telegram is not None:
        from bot.adapters.telegram import TelegramAdapter

        adapters.append(TelegramAdapter(config))
    if config.wecom is not None:
        from bot.adapters.wechat import WeComAdapter

        adapters.append(WeComAdapter(config))
    if config.official_account is not None:
        from bot.adapters.wechat import OfficialAccountAdapter

        adapters.append(OfficialAccountAdapter(config))
    return adapters


async def _listen(server: uvicorn.Server) -> None:
    """uvicorn's server; one that cannot listen (the port in use) has logged why and ends,
    for `serve` to say so.  uvicorn ends it with sys.exit(3), which left the event loop at
    once: a traceback, the database not closed."""
    try:
        await server.serve()
    except SystemExit:
        return


async def serve(config: Config, ready: asyncio.Event | None = None) -> int:
    """Run until cancelled: adapters, outbox delivery and (if any adapter has callbacks)
    the HTTP server.  `ready` is set once everything listens (tests wait on it)."""
    if idle := unserved(config):
        log.warning(
            "%s on a channel this config sets up no section for ([telegram], [wecom], "
            "[official_account]): nobody there is heard, nothing reaches them", ", ".join(idle),
        )
    adapters = build_adapters(config)
    async with Bot(config, adapters) as bot:
        routes = [route for adapter in adapters for route in adapter.routes()]
        server_task: asyncio.Task[None] | None = None
        if routes or config.http.health:
            routes.append(health.route(bot))
            server = build_server(
                build_app(routes, config.http.max_body_bytes), config.http.host, config.http.port
            )
            server_task = asyncio.create_task(_listen(server))
            # uvicorn offers no "started" event, only this flag.
            while not server.started and not server_task.done():  # noqa: ASYNC110
                await asyncio.sleep(0.01)
            if not server.started:
                raise ConfigError(
                    f"http: cannot listen on {config.http.host}:{config.http.port} (in use by "
                    "another process, or not an address of this machine)"
                )
        serving = asyncio.create_task(bot.serve(adapters, ready))
        try:
            await serving
        finally:
            serving.cancel()
            if server_task is not None:
                server.should_exit = True
                with contextlib.suppress(asyncio.CancelledError):
                    await server_task
    return 0
