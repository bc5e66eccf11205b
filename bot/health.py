"""`GET /healthz`: whether the bot is doing its work, for a monitor or a load balancer.

Why: the failures that matter are silent.  A revoked token or a platform outage leaves
replies waiting in the outbox; a database that cannot be read stops everything; a
supervision sweep that keeps failing stops escalating.  The process is up all the same,
so "is the port open" says nothing.  Each check here reads what the bot itself reads:

* the database answers (the outbox query below is the probe);
* delivery: no reply of the bot's channels has waited longer than `[delivery]
  stalled_after` (parked rows are counted, not judged: they wait for a person);
* supervision: a sweep finished within three intervals (and a minute).

200 and `"status": "ok"` when all hold, 503 with the problems named otherwise.  The
body holds counts and times only: no chat, person or message text, as the endpoint
sits beside the platforms' public callbacks.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bot.app import Bot
from bot.clock import iso, parse_iso

log = logging.getLogger(__name__)

PATH = "/healthz"
# A sweep is late after this many intervals, plus a minute (a slow sweep is not dead).
_SWEEPS_MISSED = 3
_SWEEP_GRACE = timedelta(minutes=1)


@dataclass(frozen=True)
class Health:
    """What /healthz answers."""

    problems: list[str] = field(default_factory=list)
    database: str = "ok"
    waiting: int = 0  # replies to be sent (now, or at their retry time)
    oldest_waiting_seconds: int | None = None
    parked: int = 0  # given up on, for a person (`intake-bot db outbox`)
    # For people the platform lets the bot write to only once they write (WeChat's 48
    # hours, a Telegram user who blocked it): sent when they do, so not a problem either.
    awaiting: int = 0
    last_sweep: str | None = None
    checked_at: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    def body(self) -> dict[str, object]:
        return {"status": "ok" if self.ok else "unhealthy", **asdict(self)}


async def check(bot: Bot) -> Health:
    """Run the checks now (on the bot's clock)."""
    now = bot.clock()
    problems: list[str] = []
    sweep = _sweep_problem(bot, now)
    if sweep:
        problems.append(sweep)
    last_sweep = iso(bot.supervisor.last_sweep) if bot.supervisor.last_sweep else None
    try:
        # A bot with no channel (tests, a health-only start) reads every channel's rows.
        states = await bot.store.outbox_state(sorted(bot.adapters) or None)
    except Exception as exc:  # whatever the driver raises: the answer is "not working"
        log.warning("health check: the database did not answer: %r", exc)
        problems.append(f"database: {type(exc).__name__}")
        return Health(problems, "error", last_sweep=last_sweep, checked_at=iso(now))
    waiting = sum(s.waiting for s in states)
    queued = [parse_iso(s.oldest_waiting) for s in states if s.oldest_waiting]
    oldest = int((now - min(queued)).total_seconds()) if queued else None
    stalled = bot.config.delivery.stalled
    if oldest is not None and oldest > stalled.total_seconds():
        channels = ", ".join(s.channel for s in states if s.oldest_waiting)
        problems.append(f"delivery: a reply has waited {oldest} s ({channels})")
    return Health(
        problems,
        waiting=waiting,
        oldest_waiting_seconds=oldest,
        parked=sum(s.parked for s in states),
        awaiting=sum(s.awaiting for s in states),
        last_sweep=last_sweep,
        checked_at=iso(now),
    )


def _sweep_problem(bot: Bot, now: datetime) -> str | None:
    """Why supervision looks stopped, or None."""
    since = bot.supervisor.last_sweep or bot.started_at
    if since is None:
        return "supervision: the bot is not started"
    allowed = bot.config.supervision.every * _SWEEPS_MISSED + _SWEEP_GRACE
    if now - since <= allowed:
        return None
    seconds = int((now - since).total_seconds())
    if bot.supervisor.last_sweep is None:
        return f"supervision: no sweep has finished in the {seconds} s since the start"
    return f"supervision: the last sweep finished {seconds} s ago"


def route(bot: Bot) -> Route:
    async def healthz(request: Request) -> JSONResponse:
        health = await check(bot)
        return JSONResponse(health.body(), status_code=200 if health.ok else 503)

    return Route(PATH, healthz, methods=["GET"])
