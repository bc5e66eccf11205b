"""Shared fixtures: a real Bot on a real SQLite file, driven through the test harness."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import asyncpg
import pytest

from bot import config as bot_config
from bot.adapters.harness import CHANNEL, Harness, HarnessAdapter
from bot.app import Bot
from bot.clock import utc_now
from bot.config import (
    Area,
    Briefing,
    ChatRef,
    Config,
    Department,
    Intake,
    IntakeGroup,
    PersonConfig,
    Supervision,
)
from bot.workflow import Role
from classifier import Classification, Classifier
from storage import SQLiteStore, Store
from storage.postgres import PostgresStore

if TYPE_CHECKING:
    from tests.fake_telegram import FakeTelegram
    from tests.test_supervision import Desk

# The harness's channel is one a config file may name (test_ledger writes one for export).
bot_config.CHANNELS = (*bot_config.CHANNELS, CHANNEL)

# The machine's PostgreSQL (trust auth).  CI must have it: there a missing server fails the
# run instead of skipping half the storage tests.
POSTGRES_DSN = os.environ.get("INTAKE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
_postgres_up: bool | None = None


async def postgres_or_skip() -> str:
    global _postgres_up
    if _postgres_up is None:
        try:
            conn = await asyncpg.connect(POSTGRES_DSN, timeout=5)
            await conn.close()
            _postgres_up = True
        except (OSError, asyncpg.PostgresError, TimeoutError):
            _postgres_up = False
    if not _postgres_up:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_DSN}")
        pytest.skip(f"PostgreSQL is not reachable at {POSTGRES_DSN}")
    return POSTGRES_DSN


class KeywordClassifier:
    """A deterministic stand-in for the model, so workflow tests do not depend on it."""

    def classify(self, text: str) -> Classification:
        if text in {"收到", "谢谢", "好的"}:
            return Classification("not_a_report", 0.99, "low", 0.9)
        if "打人" in text or "着火" in text:
            return Classification("public_order", 0.9, "urgent", 0.9, ("violence",))
        if "在不在" in text:  # the model alone, unsure of the type: urgent on its weights (alone
            # a greeting, and chatter in a group whatever the model says: "人在不在，赶紧来处理")
            return Classification("other", 0.3, "urgent", 0.5, (), True)
        if "不想活" in text:
            return Classification("other", 0.5, "high", 0.9, ("suicidal_ideation",), True)
        return Classification("neighbour", 0.9, "normal", 0.8)


def make_config(db: Path, language: str = "zh") -> Config:
    return Config(
        language="en" if language == "en" else "zh",
        database=str(db),
        areas=[Area(code="DZ", name="东镇"), Area(code="XC", name="西村")],
        intake_groups=[
            IntakeGroup(channel=CHANNEL, chat_id="group", area="DZ"),
            IntakeGroup(channel=CHANNEL, chat_id="west", area="XC"),
        ],
        staff_chat=ChatRef(channel=CHANNEL, chat_id="staff"),
        # Off here, so the other features' tests see only their own messages; on in
        # tests/test_briefing.py.
        briefing=Briefing(at=""),
        # Off too: tests file a month's tickets from one resident in seconds.  On in
        # tests/test_hourly_limit.py; so is the joining of a reporter's next messages to
        # the report they just made (on in tests/test_repeats.py).
        intake=Intake(max_reports_per_hour=0, follow_on_minutes=0),
        # Off here too, so escalation tests see escalations only; on in
        # tests/test_reminder.py.
        supervision=Supervision(remind_at=0),
        people=[
            PersonConfig(channel=CHANNEL, user_id="worker1", role=Role.GRID_WORKER, area="DZ"),
            PersonConfig(channel=CHANNEL, user_id="worker2", role=Role.GRID_WORKER, area="DZ"),
            PersonConfig(channel=CHANNEL, user_id="westworker", role=Role.GRID_WORKER, area="XC"),
            PersonConfig(channel=CHANNEL, user_id="staff1", role=Role.STAFF),
            PersonConfig(channel=CHANNEL, user_id="admin1", role=Role.ADMIN),
        ],
    )


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The HTTP servers `bot.channels.serve` (what `intake-bot run` runs) starts, each put
    on an ephemeral port of 127.0.0.1 instead of the config's; `port_of` reads it."""
    import bot.channels
    from bot.http import build_server

    servers: list[Any] = []

    def on_ephemeral_port(app: Any, host: str, port: int) -> Any:
        servers.append(build_server(app, host, 0))
        return servers[-1]

    monkeypatch.setattr(bot.channels, "build_server", on_ephemeral_port)
    return servers


def port_of(server: Any) -> int:
    """The port a started uvicorn server listens on."""
    return int(server.servers[0].sockets[0].getsockname()[1])


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    """A local Bot API server (`tests.fake_telegram`) for python-telegram-bot's real client."""
    from tests.fake_telegram import FakeTelegram

    server = FakeTelegram()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "intake.db"


StoreFactory = Callable[[], Store]


@pytest.fixture(params=["sqlite", "postgres"])
async def new_store(request: pytest.FixtureRequest, db_path: Path) -> AsyncIterator[StoreFactory]:
    """Makes stores on one fresh database: a SQLite file, or a PostgreSQL schema of its own.

    Calling it twice gives two stores on the same data (a restart, or a second process).
    """
    if request.param == "sqlite":
        yield lambda: SQLiteStore(db_path)
        return
    dsn = await postgres_or_skip()
    schema = f"t_{uuid.uuid4().hex[:16]}"
    yield lambda: PostgresStore(dsn, schema=schema, max_connections=4)
    await drop_schema(dsn, schema)


async def drop_schema(dsn: str, schema: str) -> None:
    """Remove a test's own PostgreSQL schema and everything in it."""
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    finally:
        await conn.close()


@pytest.fixture
async def desk(db_path: Path, new_store: StoreFactory) -> AsyncIterator[Desk]:
    """A started bot on a fake clock (`tests.test_supervision.Desk`), on either engine.
    Imported here, not at the top: that module imports this one."""
    from tests.test_supervision import started

    async for d in started(make_config(db_path), new_store):
        yield d


@asynccontextmanager
async def harness_with(
    config: Config,
    store: Store | None = None,
    *,
    classifier: Classifier | None = None,
    clock: Callable[[], datetime] | None = None,
) -> AsyncIterator[Harness]:
    """A bot on `config` and `store`, driven by the harness: the one start-up of the tests.

    `store` None is the database `config.database` names, opened as `intake-bot run` opens
    it (for make_config, a SQLite file); `classifier` None is the `KeywordClassifier`;
    `clock` None is the real time.  A test whose point is another start-up (another
    adapter, two bots on one database, a restart) builds its `Bot` itself.
    """
    adapter = HarnessAdapter()
    model = KeywordClassifier() if classifier is None else classifier
    async with Bot(config, [adapter], store, model, clock or utc_now) as bot:
        yield Harness(bot, adapter)


@pytest.fixture
async def harness(db_path: Path, new_store: StoreFactory) -> AsyncIterator[Harness]:
    async with harness_with(make_config(db_path), new_store()) as started:
        yield started


def with_departments(config: Config) -> Config:
    """`config` with two departments to hand cases to, 派出所 (PCS) and 司法所 (SFS), and
    PCS's liaisons police1 and police2 (SFS has none)."""
    config.departments = [
        Department(code="PCS", name="派出所"),
        Department(code="SFS", name="司法所"),
    ]
    config.people += [
        PersonConfig(channel=CHANNEL, user_id="police1", role=Role.LIAISON, area="PCS"),
        PersonConfig(channel=CHANNEL, user_id="police2", role=Role.LIAISON, area="PCS"),
    ]
    return config


@pytest.fixture
async def departments(db_path: Path, new_store: StoreFactory) -> AsyncIterator[Harness]:
    """The harness with the departments of `with_departments`."""
    async with harness_with(with_departments(make_config(db_path)), new_store()) as started:
        yield started


async def rows(store: Store, sql: str) -> list[tuple[Any, ...]]:
    """Run a read-only query on either engine (for assertions about stored state)."""
    if isinstance(store, PostgresStore):
        async with store.pool.acquire() as conn:
            return [tuple(r) for r in await conn.fetch(sql)]
    assert isinstance(store, SQLiteStore)
    async with store.db.execute(sql) as cursor:
        return [tuple(r) for r in await cursor.fetchall()]


def texts(messages: list) -> list[str]:  # type: ignore[type-arg]
    return [m.text for m in messages]


@dataclass
class Clock:
    """A settable clock for the bot: tests put events at known times."""

    start: datetime
    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def at(self, **delta: float) -> None:
        """Set the time to `start` + delta (so a scenario reads as a timetable)."""
        self.now = self.start + timedelta(**delta)


@dataclass
class Timed:
    """The harness with a clock: each message is sent at a given offset from the start."""

    harness: Harness
    clock: Clock

    async def say(self, user: str, text: str, chat: str = "group", **delta: float) -> str:
        self.clock.at(**delta)
        return "\n".join(m.text for m in await self.harness.say(user, text, chat=chat))


# 09:00 in Shanghai on Monday 2 November 2026.
T0 = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)


@pytest.fixture
async def timed(db_path: Path, new_store: StoreFactory) -> AsyncIterator[Timed]:
    """A bot on either engine whose clock the test sets (starting at T0)."""
    clock = Clock(T0, T0)
    async with harness_with(make_config(db_path), new_store(), clock=clock) as started:
        yield Timed(started, clock)
