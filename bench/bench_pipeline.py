"""Intake throughput: reports and commands through the real pipeline and SQLite store.

One transaction per message (record, dedupe, ticket, event, outbox), with the classifier
replaced by a constant so the figure is the workflow's and the store's, not the model's
(bench/bench_classifier.py measures the model).  Prints a table.

    .venv/bin/python bench/bench_pipeline.py [--messages 3000] [--postgres DSN]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg

from bot.adapters.base import Inbound, Person, Room
from bot.adapters.harness import CHANNEL, HarnessAdapter
from bot.app import Bot
from bot.config import Area, Config, IntakeGroup, PersonConfig
from bot.workflow import Role
from classifier import Classification
from storage import SQLiteStore, Store
from storage.postgres import PostgresStore


class Constant:
    def classify(self, text: str) -> Classification:
        return Classification("neighbour", 0.9, "normal", 0.9)


def config(
    db: Path, same_event_minutes: int | None = None, hourly_limit: int = 1000
) -> Config:
    built = Config(
        database=str(db),
        areas=[Area(code="DZ", name="东镇")],
        intake_groups=[IntakeGroup(channel=CHANNEL, chat_id="g", area="DZ")],
        people=[PersonConfig(channel=CHANNEL, user_id="w", role=Role.GRID_WORKER, area="DZ")],
    )
    if same_event_minutes is not None:
        built.intake.same_event_minutes = same_event_minutes
    # 50 residents send every report here within seconds (120 each): at the default of 10 an
    # hour most would be held, not filed.  High enough that none is, so each report still
    # pays for the count; 0 skips the count (`--hourly-limit 0`, to measure what it costs).
    built.intake.max_reports_per_hour = hourly_limit
    # ... and each of a resident's reports within minutes would be read as going on telling
    # their first (`intake.follow_on_minutes`): an addendum, not the filing measured here.
    built.intake.follow_on_minutes = 0
    return built


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def run(
    n: int, postgres: str | None, same_event_minutes: int | None = None, hourly_limit: int = 1000
) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    with tempfile.TemporaryDirectory() as tmp:
        adapter = HarnessAdapter()
        store = PostgresStore(postgres, schema) if postgres else SQLiteStore(Path(tmp) / "b.db")
        try:
            built = config(Path(tmp) / "b.db", same_event_minutes, hourly_limit)
            await measure(n, built, adapter, store, rows)
        finally:
            if postgres:
                conn = await asyncpg.connect(postgres)
                await conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
                await conn.close()
    return rows


async def measure(
    n: int, config: Config, adapter: HarnessAdapter, store: Store, rows: list[tuple[str, str]]
) -> None:
    async with Bot(config, [adapter], store=store, classifier=Constant()) as bot:
        room = Room(CHANNEL, "g")
        latencies = []
        started = time.perf_counter()
        for i in range(n):
            t0 = time.perf_counter()
            await bot.pipeline.handle(
                Inbound(Person(CHANNEL, f"r{i % 50}"), room, f"m{i}", f"第{i}号楼噪音扰民")
            )
            latencies.append(time.perf_counter() - t0)
        elapsed = time.perf_counter() - started
        rows.append(("reports, sequential: messages/s", f"{n / elapsed:,.0f}"))
        rows.append(("report latency p50 (ms)", f"{statistics.median(latencies) * 1e3:.2f}"))
        rows.append(("report latency p99 (ms)", f"{percentile(latencies, 0.99) * 1e3:.2f}"))

        started = time.perf_counter()
        await asyncio.gather(
            *(
                bot.pipeline.handle(
                    Inbound(Person(CHANNEL, f"r{i % 50}"), room, f"c{i}", f"第{i}号楼漏水")
                )
                for i in range(n)
            )
        )
        elapsed = time.perf_counter() - started
        rows.append((f"reports, {n} concurrent: messages/s", f"{n / elapsed:,.0f}"))

        started = time.perf_counter()
        for i in range(1, n + 1):
            await bot.pipeline.handle(Inbound(Person(CHANNEL, "w"), room, f"q{i}", f"认领 {i}"))
        elapsed = time.perf_counter() - started
        rows.append(("claims, sequential: commands/s", f"{n / elapsed:,.0f}"))

        # One to one (every WeCom and Official Account message): each also releases what
        # waited for its sender to write (`Tx.release_awaiting`) and asks unreached visits.
        latencies = []
        for i in range(1, n + 1):
            sender = f"r{i % 50}"
            private = Room(CHANNEL, sender, is_private=True)
            t0 = time.perf_counter()
            await bot.pipeline.handle(Inbound(Person(CHANNEL, sender), private, f"p{i}", "我的"))
            latencies.append(time.perf_counter() - t0)
        p50 = statistics.median(latencies) * 1e3
        rows.append(("private '我的', sequential: p50 (ms)", f"{p50:.2f}"))

        started = time.perf_counter()
        delivered = await bot.dispatcher.flush()
        elapsed = time.perf_counter() - started
        rows.append(("outbox delivery (null platform): messages/s", f"{delivered / elapsed:,.0f}"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--postgres", metavar="DSN", help="measure PostgreSQL instead of SQLite")
    parser.add_argument(
        "--same-event-minutes", type=int, default=None,
        help="intake.same_event_minutes (default: the config's; 0 turns the look-up off; "
        "every bench report is one group's and one type's, its worst case)",
    )
    parser.add_argument(
        "--hourly-limit", type=int, default=1000,
        help="intake.max_reports_per_hour (default 1000: counted for every report, never "
        "reached; 0: not counted)",
    )
    args = parser.parse_args()
    rows = asyncio.run(
        run(args.messages, args.postgres, args.same_event_minutes, args.hourly_limit)
    )
    print(f"engine: {'PostgreSQL' if args.postgres else 'SQLite'}, {args.messages} messages")
    width = max(len(name) for name, _ in rows)
    print(f"{'measure':<{width}}  {'value':>10}")
    print("-" * (width + 12))
    for name, value in rows:
        print(f"{name:<{width}}  {value:>10}")


if __name__ == "__main__":
    main()
