"""/stats, /search and the ledger export on a large store: time, and memory that does not grow.

Fills a store with N tickets spread over a year (through the real `Tx` calls: ticket,
'created' event, and for most a claim, a resolution, whether it was on time, and a
follow-up visit, most of those answered), then times `ticket_stats` for
30 days and for everything, `search_tickets` for a word in every ticket, in one and in
none (the worst case: every ticket and event read), /workload's and the daily briefing's
reads (its counts, the requests for more time waiting among the open tickets, and the
resolved tickets waiting to be closed: 待结案, before and after the older ones are closed), what
every supervision sweep reads and works out before it writes anything, and `db export` of
the same ranges to CSV.  Prints a table.
On PostgreSQL the tables are ANALYZEd after the fill, as autovacuum would do.

    .venv/bin/python bench/bench_reports.py [--tickets 200000] [--postgres DSN] [--created-index]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import asyncpg

from bot import extension, supervision
from bot.clock import iso
from bot.config import Area, Config
from bot.ledger import LedgerFormat, ledger_rows, write_ledger
from bot.render import Renderer
from bot.workflow import EXTENDABLE, MEDIATION_ALLOWED, SUPERVISED
from storage import SQLiteStore, Store
from storage.base import BEGINNING, END_OF_TIME, NewTicket, TicketSearch
from storage.postgres import PostgresStore

END = datetime(2026, 11, 30, tzinfo=UTC)
TYPES = ["neighbour", "labour_wages", "property_management", "contract_debt", "other"]
URGENCIES = ["normal"] * 6 + ["high"] * 2 + ["urgent", "low"]


async def fill(store: Store, n: int, days: int, batch: int = 2000) -> None:
    rng = random.Random(7)
    step = timedelta(days=days) / n
    start = END - timedelta(days=days)
    async with store.write() as tx:
        stamp = iso(start)
        resident = await tx.upsert_person("bench", "r", "张大妈", "resident", None, stamp)
        worker = await tx.upsert_person("bench", "w", "王网格员", "grid_worker", "DZ", stamp)
    for first in range(0, n, batch):
        async with store.write() as tx:
            for i in range(first, min(n, first + batch)):
                created = start + step * i
                text = f"第{i}号：楼上漏水，电话1381234{i % 10000:04d}，已经三天了"
                ticket = await tx.create_ticket(
                    NewTicket(
                        "bench", "g", f"m{i}", "DZ", resident.id, text, rng.choice(TYPES), 0.9,
                        rng.choice(URGENCIES), 0.9, (), False, iso(created),
                    )
                )  # fmt: skip
                await tx.add_event(ticket.id, resident.id, "created", iso(created), {"text": text})
                if rng.random() < 0.85:
                    claimed = created + timedelta(minutes=rng.expovariate(1 / 90))
                    await tx.transition(ticket.id, ["new"], "claimed", iso(claimed), worker.id)
                    await tx.add_event(ticket.id, worker.id, "claim", iso(claimed), {})
                    if rng.random() < 0.8:
                        done = claimed + timedelta(hours=rng.expovariate(1 / 30))
                        await tx.transition(
                            ticket.id, ["claimed"], "resolved", iso(done), worker.id, "已调解"
                        )
                        await tx.add_event(ticket.id, worker.id, "resolve", iso(done), {})
                        # 按期办结, as the desk records it (no draw: the fill stays as it was).
                        await tx.set_resolution_marks(
                            ticket.id, done - created > timedelta(days=3), None
                        )
                        due = done + timedelta(days=1)
                        await tx.schedule_followup(ticket.id, iso(done), iso(due))
                        if rng.random() < 0.6:  # the reporter answers the visit
                            visit = await tx.latest_followup(ticket.id)
                            assert visit is not None
                            rating = rng.choice(["satisfied"] * 4 + ["fair", "unsatisfied"])
                            await tx.rate_followup(visit.id, ["pending"], rating, iso(due))


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def median_ms(action: Callable[[], Awaitable[None]], runs: int = 5) -> str:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        await action()
        times.append(time.perf_counter() - began)
    return f"{1000 * statistics.median(times):.0f}"


async def execute(store: Store, sql: str) -> None:
    """A maintenance statement outside the bot's own SQL (bench set-up only)."""
    if isinstance(store, PostgresStore):
        async with store.pool.acquire() as conn:
            await conn.execute(sql)
    else:
        assert isinstance(store, SQLiteStore)
        await store.db.execute(sql)


async def measure(
    store: Store, n: int, days: int, tmp: Path, created_index: bool
) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    began = time.perf_counter()
    await fill(store, n, days)
    if created_index:
        # Not in the schema (it would need a migration): measures what one would buy.
        await execute(store, "CREATE INDEX bench_tickets_created ON tickets (created_at)")
    if isinstance(store, PostgresStore):
        # What autovacuum does soon after a bulk load; without it the planner guesses.
        await execute(store, "ANALYZE tickets, ticket_events, people, followups")
    rows.append((f"fill {n:,} tickets over {days} days (s)", f"{time.perf_counter() - began:.0f}"))
    month = (iso(END - timedelta(days=30)), iso(END))

    async def stats(bounds: tuple[str, str]) -> None:
        async with store.read() as tx:
            await tx.ticket_stats(*bounds)

    everything = (BEGINNING, END_OF_TIME)
    rows.append(("/stats, last 30 days (ms, median of 5)", await median_ms(lambda: stats(month))))
    rows.append(
        ("/stats, every ticket (ms, median of 5)", await median_ms(lambda: stats(everything)))
    )
    async def search(words: tuple[str, ...], area: str | None = None) -> None:
        async with store.read() as tx:
            await tx.search_tickets(TicketSearch(words, area, 2 if area else None, limit=21))

    one = f"第{n // 2}号"  # in one ticket (the middle one)
    for label, words, area in (
        ("/search, a word in every ticket", ("漏水",), None),
        (f"/search, a word in one ticket ({one})", (one,), None),
        ("/search, a word in none (every row read)", ("暖气",), None),
        ("/search, a word in none, a grid worker's scope", ("暖气",), "DZ"),
    ):
        rows.append((f"{label} (ms, median of 5)", await median_ms(partial(search, words, area))))
    async def resolutions() -> None:
        async with store.read() as tx:
            await tx.resolutions(*month)

    async def activity() -> None:
        async with store.read() as tx:
            await tx.activity(iso(END - timedelta(days=1)), iso(END))

    rows.append(("/workload's resolutions, last 30 days (ms, median of 5)",
                 await median_ms(resolutions)))  # fmt: skip
    rows.append(("briefing's activity, one day (ms, median of 5)", await median_ms(activity)))

    async def time_asked() -> None:  # 延期 requests waiting: every open ticket's, read
        async with store.read() as tx:
            await tx.events_of_kind(extension.EVENTS, sorted(EXTENDABLE))

    rows.append(("briefing's requests for more time (ms, median of 5)",
                 await median_ms(time_asked)))  # fmt: skip

    async def mediation_sessions() -> None:  # 调解: every sweep reads them
        async with store.read() as tx:
            await tx.mediation_events(sorted(MEDIATION_ALLOWED))

    rows.append(("a sweep's mediation sessions, every open ticket (ms, median of 5)",
                 await median_ms(mediation_sessions)))  # fmt: skip

    sweeping = Config(areas=[Area(code="DZ", name="东镇")])

    async def sweep_checks() -> None:
        """What every sweep does before it writes anything: read the open tickets and the
        once-only keys, and work out each one's breaches and reminder (临期提醒)."""
        async with store.read() as tx:
            clocked = await supervision.supervised_now(tx)
            await tx.once_keys(sorted(SUPERVISED))
        supervision.find_overdue(clocked, END, sweeping, sweeping.supervision.levels)
        for item in clocked:
            supervision.reminder_moments(item, sweeping)

    rows.append(("a sweep's reads and checks, every open ticket (ms, median of 5)",
                 await median_ms(sweep_checks)))  # fmt: skip
    # Between full reads (bot.supervision.Agenda): the agenda planned a minute before, so
    # the sweep reads every open ticket's stamp and the rows of those due in that minute.
    supervisor = supervision.Supervisor(store, sweeping, Renderer())
    planned, _ = await supervisor.to_check(END - timedelta(minutes=1), full=True)
    supervisor.agenda.plan(planned, END - timedelta(minutes=1), sweeping, full=True)
    due: list[int] = []

    async def sweep_agenda() -> None:
        clocked, _ = await supervisor.to_check(END, full=False)
        supervision.find_overdue(clocked, END, sweeping, sweeping.supervision.levels)
        due[:] = [item.ticket.id for item in clocked]

    rows.append(("a sweep between full reads (the agenda), every open ticket (ms, median of 5)",
                 await median_ms(sweep_agenda)))  # fmt: skip
    rows.append(("  of which tickets due in that minute, read in full", str(len(due))))
    ledger = LedgerFormat(Config(areas=[Area(code="DZ", name="东镇")]), "zh", now=END)
    for label, bounds in (("30 days", month), ("every ticket", everything)):
        target = tmp / f"ledger-{label.replace(' ', '-')}.csv"
        before, began = rss_mb(), time.perf_counter()
        count = (await write_ledger(ledger_rows(store, *bounds), target, "csv", ledger)).rows
        seconds = time.perf_counter() - began
        rows.append((f"export {label}: {count:,} rows (s)", f"{seconds:.1f}"))
        rows.append((f"export {label}: rows/s", f"{count / seconds:,.0f}"))
        rows.append((f"export {label}: peak RSS growth (MB)", f"{rss_mb() - before:.0f}"))

    async def to_close() -> None:  # 待结案: the first of the list, and the briefing's counts
        async with store.read() as tx:
            await tx.awaiting_closure(None, None, 20)
            await tx.awaiting_closure_counts(None, None, ["fair", "satisfied"])

    rows.append(("待结案, nothing ever closed: every resolved ticket (ms, median of 5)",
                 await median_ms(to_close)))  # fmt: skip
    # Last, as it changes the store: a centre that closes its cases (结案 满意) holds its
    # latest resolved ones only.  Those resolved before the last 30 days closed, then those
    # before the last day, as the desk would (bench set-up only).
    for days in (30, 1):
        since = iso(END - timedelta(days=days))
        await execute(
            store,
            "UPDATE tickets SET status = 'closed' "
            f"WHERE status = 'resolved' AND updated_at < '{since}'",
        )
        if isinstance(store, PostgresStore):
            await execute(store, "ANALYZE tickets")
        async with store.read() as tx:
            waiting = (await tx.awaiting_closure_counts(None, None, [])).waiting
        label = f"待结案, the rest closed: {waiting:,} resolved in the last {days} day(s)"
        rows.append((f"{label} (ms, median of 5)", await median_ms(to_close)))
    return rows


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=200_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--postgres", help="PostgreSQL DSN (default: a SQLite file)")
    parser.add_argument(
        "--created-index",
        action="store_true",
        help="add an index on tickets(created_at) first (not in the shipped schema)",
    )
    args = parser.parse_args()
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        store: Store = (
            PostgresStore(args.postgres, schema) if args.postgres else SQLiteStore(tmp / "b.db")
        )
        await store.open()
        try:
            rows = await measure(store, args.tickets, args.days, tmp, args.created_index)
        finally:
            await store.close()
            if args.postgres:
                conn = await asyncpg.connect(args.postgres)
                await conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
                await conn.close()
    engine = "PostgreSQL" if args.postgres else "SQLite"
    engine += ", index on created_at" if args.created_index else ""
    print(f"| measure ({engine}) | value |\n|---|---:|")
    for label, value in rows:
        print(f"| {label} | {value} |")


if __name__ == "__main__":
    asyncio.run(main())
