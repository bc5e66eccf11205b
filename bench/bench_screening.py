"""Dispute screening (矛盾纠纷排查) at a province's size: time to read and say it.

Fills a SQLite store with N grids, a grid worker each, and for every working day of
November 2026 a zero report from most grids and a reported dispute (a ticket and its
screening find) from some, through the real `Tx` calls; then times what reads the whole
province: 排查情况 of one day (every grid, named) and of the month (each grid's rate), the
briefing's line, the month's figures' line, and the afternoon reminder's reads and writes
(every worker of a grid not yet reported).  Prints a table.

    .venv/bin/python bench/bench_screening.py [--grids 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot import screening
from bot.clock import iso
from bot.config import Area, Config, Screening
from bot.period import parse_period
from storage import SQLiteStore
from storage.base import NewTicket

ZONE = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 1, 17, 0, tzinfo=ZONE)  # the month is over; today unreported


def config_for(grids: int, db: Path) -> Config:
    areas = [Area(code=f"G{i:05d}", name=f"第{i}网格") for i in range(grids)]
    return Config(database=str(db), areas=areas, screening=Screening(daily=True))


async def fill(store: SQLiteStore, config: Config) -> int:
    """Zero reports and finds for November's working days; how many rows in all."""
    rng = random.Random(7)
    calendar = config.work_calendar
    days = [date(2026, 11, d) for d in range(1, 31) if calendar.is_working_day(date(2026, 11, d))]
    rows = 0
    async with store.write() as tx:
        stamp = iso(NOW - timedelta(days=40))
        workers = [
            await tx.upsert_person("bench", f"w{a.code}", f"{a.name}网格员", "grid_worker",
                                   a.code, stamp)
            for a in config.areas
        ]
    for day in days:
        at = iso(datetime.combine(day, datetime.min.time(), ZONE) + timedelta(hours=10))
        async with store.write() as tx:
            for area, worker in zip(config.areas, workers, strict=True):
                draw = rng.random()
                if draw < 0.8:
                    await tx.record_zero_report(area.code, day.isoformat(), worker.id, at, "")
                elif draw < 0.9:
                    ticket = await tx.create_ticket(
                        NewTicket("bench", "g", f"m{rows}", area.code, worker.id, "村东头两户吵架",
                                  "neighbour", 0.9, "normal", 0.9, (), False, at, source="grid")
                    )
                    await tx.record_screening_find(area.code, day.isoformat(), ticket.id,
                                                   worker.id, at)
                rows += 1
    return rows


async def timed(run: Callable[[], Awaitable[object]], repeat: int = 5) -> float:
    spans = []
    for _ in range(repeat):
        start = time.perf_counter()
        await run()
        spans.append(time.perf_counter() - start)
    return statistics.median(spans) * 1000


async def main(grids: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        config = config_for(grids, Path(tmp) / "bench.db")
        async with SQLiteStore(Path(config.database)) as store:
            start = time.perf_counter()
            rows = await fill(store, config)
            filled = time.perf_counter() - start
            areas = [a.code for a in config.areas]
            day, month = date(2026, 11, 30), parse_period("上月", NOW, ZONE)
            month_days = screening.days_of(month, NOW, config)

            async def one_day() -> object:
                async with store.read() as tx:
                    found = await screening.grid_days(tx, areas, [day], config)
                    workers = await screening.workers_by_area(tx)
                return screening.render_day(found, day, workers, config, "zh")

            async def the_month() -> object:
                async with store.read() as tx:
                    found = await screening.grid_days(tx, areas, month_days, config)
                return screening.render_days(found, month_days, NOW.date(), config, "zh")

            async def briefing() -> object:
                async with store.read() as tx:
                    return await screening.briefing_lines(
                        tx, iso(NOW - timedelta(days=1)), iso(NOW), config
                    )

            async def month_line() -> object:
                async with store.read() as tx:
                    return await screening.month_line(tx, month, NOW, config)

            reminded = 0

            async def remind() -> object:
                nonlocal reminded
                reminded = await screening.remind(store, NOW.date(), NOW, config)
                return reminded

            print(f"| measure (SQLite, {grids:,} grids) | value |")
            print("|---|---:|")
            print(f"| fill: November's {rows:,} grid-days (s) | {filled:.1f} |")
            print(f"| 排查情况 of one day, every grid named (ms, median of 5) "
                  f"| {await timed(one_day):.0f} |")
            print(f"| 排查情况 of the month, each grid's rate (ms, median of 5) "
                  f"| {await timed(the_month):.0f} |")
            print(f"| the briefing's line (ms, median of 5) | {await timed(briefing):.0f} |")
            print(f"| the month's figures' line (ms, median of 5) "
                  f"| {await timed(month_line):.0f} |")
            print(f"| the afternoon reminder, {grids:,} workers (ms, once) "
                  f"| {await timed(remind, repeat=1):.0f} |")
            print(f"|   of which reminders queued | {reminded:,} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--grids", type=int, default=2000)
    asyncio.run(main(parser.parse_args().grids))
