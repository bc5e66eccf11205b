"""`intake-bot`: run the bot, try it in a terminal, manage its database, train its model."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import re
import signal
import sqlite3
import sys
from collections.abc import AsyncIterator, Coroutine, Sequence
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.config import Config, ConfigError, load_config, no_duty_room
from storage import Store, open_store
from storage.base import OutboxState

DEFAULT_DEMO_DB = "intake-demo.db"


def _config_or_db(args: argparse.Namespace) -> str:
    if getattr(args, "db", None):
        return str(args.db)
    if getattr(args, "config", None):
        return load_config(args.config, channels=False).database
    raise ConfigError("give --config FILE or --db FILE")


def _shown(database: str) -> str:
    """A database as an error may name it: a PostgreSQL URL without its password."""
    return re.sub(r"(://[^/@:]*:)[^/@]*@", r"\1***@", database)


def _sqlite_file(database: str) -> Path | None:
    """The SQLite file a database names (as `storage.open_store` reads it), or None."""
    if "://" in database.removeprefix("sqlite:///"):
        return None
    return Path(database.removeprefix("sqlite:///"))


@contextlib.asynccontextmanager
async def _opened(
    database: str, migrate: bool = True, existing: bool = False
) -> AsyncIterator[Store]:
    """The database, opened (pending migrations applied, unless not to) and closed again,
    whatever happens in between.  `existing`: a SQLite file must be there already (a
    command that reads one: a mistyped path made an empty database, and `db outbox` said
    every reply was delivered).  A database that cannot be opened is one line naming it."""
    path = _sqlite_file(database)
    if path is not None and path.is_dir():
        raise ConfigError(f"{path}: a directory, not a database file")
    if path is not None and existing and not path.exists():
        raise FileNotFoundError(f"no database at {path}")
    store = open_store(database)
    errors: tuple[type[BaseException], ...] = (OSError, sqlite3.DatabaseError)
    if path is None:
        import asyncpg

        errors += (asyncpg.PostgresError, asyncpg.InterfaceError)
    try:
        await store.open(migrate)
    except FileNotFoundError:
        raise
    except errors as exc:
        raise ConfigError(f"cannot open the database {_shown(database)}: {exc}") from exc
    try:
        yield store
    finally:
        await store.close()


async def _demo(config: Config) -> int:
    from bot.adapters.console import ConsoleAdapter, ConsoleClock, run_console
    from bot.app import Bot

    adapter = ConsoleAdapter(out=sys.stdout, lang=config.language, color=sys.stdout.isatty())
    adapter.names = {p.user_id: p.name for p in config.people if p.channel == "console"}
    # Ledgers (/export) are saved beside a SQLite database: intake-demo.db ->
    # intake-demo-exports/ (else the adapter's default, intake-exports/ here).
    if "://" not in config.database.removeprefix("sqlite:///"):
        database = Path(config.database.removeprefix("sqlite:///"))
        adapter.export_dir = database.parent / f"{database.stem}-exports"
    # A script's time stands still between lines (/wait moves it), so it replays the same.
    clock = ConsoleClock(frozen=not sys.stdin.isatty())
    async with Bot(config, [adapter], clock=clock) as bot:
        await run_console(bot, adapter)
    return 0


def _check_database(database: str) -> None:
    """The database opens (made and migrated if new), or one line says why not."""

    async def opens() -> None:
        async with _opened(database):
            pass

    asyncio.run(opens())


def cmd_demo(args: argparse.Namespace) -> int:
    from bot.app import demo_config

    _check_database(args.db)  # a directory or a text file for --db: a traceback
    return asyncio.run(_demo(demo_config(args.db, args.lang)))


def _check_start(path: Path, config: Config, database: str) -> None:
    """What `run` needs before it starts, each a line naming it: the model the config names
    (missing, it was "[Errno 2] No such file or directory" after the database was migrated)
    and the database it will use (a traceback: a directory, not a database, PostgreSQL
    refusing)."""
    model = config.classifier.model
    if model and not Path(model).is_file():
        raise ConfigError(
            f"{path}: classifier.model: no model file at {model} (a relative path is from "
            "the config file's directory)"
        )
    _check_database(database)


def cmd_run(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    # No platform configured: the embedded default, a console chat on this config, or on the
    # demo's people and groups when it has no console group (the example's are Telegram's:
    # the console served none of them, and nobody in it was known).  A deployment's config,
    # its platform not set up yet, keeps the demo's tickets and cast out of its database
    # (they would count in /stats and the ledger), which is neither made nor opened.
    demo_cast = not config.channels and not any(
        g.channel == "console" for g in config.intake_groups
    )
    database = config.database
    if demo_cast and config.intake_groups:
        database = DEFAULT_DEMO_DB
    _check_start(args.config, config, database)
    if not demo_cast and (missing := no_duty_room(config)):  # the demo's cast has its room
        logging.getLogger(__name__).warning("%s: %s", args.config, missing)
    if not config.channels:
        from bot.app import demo_config

        if not demo_cast:
            return asyncio.run(_demo(config))
        if config.intake_groups:
            channels = ", ".join(sorted({g.channel for g in config.intake_groups}))
            print(
                f"intake-bot: {args.config} configures no channel ([telegram], [wecom] or "
                f"[official_account]) for its intake groups ({channels}): the console chat "
                f"on the demo's people and groups, in the demo's database ({database}, not "
                f"{_shown(config.database)}), with the config's model",
                file=sys.stderr,
            )
        demo = demo_config(database, config.language)
        demo.classifier = config.classifier  # a retrained model named in the config still counts
        return asyncio.run(_demo(demo))
    return asyncio.run(_until_stopped(_serve(config)))


async def _serve(config: Config) -> int:
    """The bot on its channels; a platform that refuses it or cannot be reached as it starts
    is one line (a traceback of python-telegram-bot's, a token in it for a refused one)."""
    from bot.channels import serve

    ready = asyncio.Event()
    try:
        return await serve(config, ready)
    except Exception as exc:
        if ready.is_set():
            raise
        raise _start_failure(config, exc) from exc


def _start_failure(config: Config, exc: Exception) -> Exception:
    """What went wrong as the bot started, as the operator can fix it; else `exc` itself."""
    if config.telegram is not None:
        from telegram.error import InvalidToken, NetworkError

        if isinstance(exc, InvalidToken):  # its message holds the token: not repeated
            return ConfigError(
                "telegram.token: Telegram refused the token (revoked, or not this bot's): "
                "copy it again from BotFather"
            )
        if isinstance(exc, NetworkError):
            return ConfigError(f"cannot reach Telegram at {config.telegram.base_url}: {exc}")
    return exc


async def _until_stopped(main: Coroutine[Any, Any, int]) -> int:
    """Run `main` until it ends or SIGTERM (systemd's and docker's stop) asks the bot to
    stop.  Then it is cancelled, as Ctrl-C cancels it: the adapters stop taking messages,
    a message being handled commits or rolls back (the platform delivers it again), and
    the database is closed.  Python's own answer to SIGTERM is to die on the spot."""
    task = asyncio.ensure_future(main)
    loop = asyncio.get_running_loop()
    asked: list[int] = []

    def stop(signum: int) -> None:
        asked.append(signum)
        task.cancel()

    loop.add_signal_handler(signal.SIGTERM, stop, signal.SIGTERM)
    try:
        return await task
    except asyncio.CancelledError:
        if not asked:
            raise
        logging.getLogger(__name__).warning("stopped by signal %s", signal.Signals(asked[0]).name)
        return 0
    finally:
        loop.remove_signal_handler(signal.SIGTERM)


def cmd_db_migrate(args: argparse.Namespace) -> int:
    async def migrate() -> int:
        async with _opened(_config_or_db(args)) as store:  # opening migrates
            return await store.migrate()

    print(f"schema version {asyncio.run(migrate())}")
    return 0


def cmd_db_backup(args: argparse.Namespace) -> int:
    async def backup() -> None:
        # As it is: a backup taken before an upgrade is of the old schema, and the bot
        # still running on the database is not migrated under it.
        async with _opened(_config_or_db(args), migrate=False) as store:
            await store.backup(Path(args.path))

    asyncio.run(backup())
    print(f"backed up to {args.path}")
    return 0


def cmd_db_corrections(args: argparse.Namespace) -> int:
    """Export the desk's corrections (/retag, /dismiss) in the format `train --data` reads."""
    from classifier.corpus import Example, write

    async def corrections() -> list[tuple[str, str, str]]:
        async with _opened(_config_or_db(args), existing=True) as store:
            return await store.training_examples()

    target = Path(args.path)
    if target.exists():
        raise FileExistsError(f"{target} already exists")
    rows = asyncio.run(corrections())
    write((Example(text, type_, urgency) for text, type_, urgency in rows), target)
    print(f"{len(rows)} corrections written to {target}")
    return 0


def cmd_db_export(args: argparse.Namespace) -> int:
    """Write the ledger (台账): one row per ticket received in the chosen days."""
    from bot import clock
    from bot.ledger import LedgerFormat, Written, format_for, ledger_rows, write_ledger
    from bot.period import day_bounds, parse_day

    config = load_config(args.config, channels=False)
    zone = ZoneInfo(config.timezone)
    first = parse_day(args.date_from) if args.date_from else None
    last = parse_day(args.date_to) if args.date_to else None
    start, end = day_bounds(first, last, zone)
    target = Path(args.out)
    if not target.parent.is_dir():  # it read "No such file or directory: 'x/台账.csv.partial'"
        raise FileNotFoundError(f"{target}: there is no directory {target.parent}")
    fmt = format_for(target, args.format)
    if args.area is not None and args.area not in {area.code for area in config.areas}:
        codes = ", ".join(area.code for area in config.areas) or "none configured"
        raise ValueError(f"unknown area {args.area!r} (area codes: {codes})")
    if args.department is not None and args.department not in config.department_names:
        codes = ", ".join(config.department_names) or "none configured"
        raise ValueError(f"unknown department {args.department!r} (department codes: {codes})")
    if target.exists():  # before the database is looked at (write_ledger checks again)
        raise FileExistsError(f"{target} already exists")
    # 超期 as at now, by the bot's clock (`bot.clock`), as /export measures it.
    ledger = LedgerFormat(
        config, args.lang or config.language, masked=not args.unmasked,
        department=args.department, now=clock.utc_now(),
    )

    async def export() -> Written:
        async with _opened(config.database, existing=True) as store:
            rows = ledger_rows(store, start, end, area=args.area, department=args.department)
            return await write_ledger(rows, target, fmt, ledger)

    written = asyncio.run(export())
    # As /export's caption: the tickets /stats counts as received (a department's: those
    # handed to it and those it assists with), and those it counts apart.
    apart = [f", {n} {what}" for what, n in (("dismissed", written.dismissed),
                                             ("merged", written.merged)) if n]
    split = f": {written.received} received as /stats counts them" if apart else ""
    if written.assisted:
        split = (f": {written.received} received as /stats counts them ({written.led} handed "
                 f"to it, {written.assisted} it assists with)")
    print(f"{written.rows} tickets written to {target} ({fmt}){split}{''.join(apart)}")
    if args.unmasked:
        print(
            f"intake-bot: warning: {target} is unmasked: it holds residents' phone and ID "
            "numbers; keep it as you keep the database",
            file=sys.stderr,
        )
    return 0


def cmd_db_import(args: argparse.Namespace) -> int:
    """File a hotline platform's work orders (12345热线工单) as tickets (`bot.hotline`);
    1 when a row was rejected, so a script notices."""
    from bot import clock
    from bot.app import load_classifier
    from bot.clock import iso
    from bot.hotline import Imported, import_orders, summary
    from bot.hotline_file import read_work_orders

    config = load_config(args.config, channels=False)
    if not args.source.strip() or len(args.source) > 32:
        raise ValueError(f"--source: a platform's short name, as 12345: {args.source!r}")
    orders, rejected = read_work_orders(Path(args.file))
    classifier = load_classifier(config)
    now = iso(clock.utc_now())

    async def run() -> Imported:
        async with _opened(config.database, existing=True) as store:
            return await import_orders(
                store, orders, args.source.strip(), config, classifier, now, args.dry_run
            )

    done = asyncio.run(run())
    done.rejected = rejected
    print("\n".join(summary(done, config, args.dry_run)))
    return 1 if rejected else 0


def cmd_db_outbox(args: argparse.Namespace) -> int:
    """What is waiting in the outbox, per channel; with --resend, the parked rows queued
    in the last --since made due again (after an outage outlasted the retries, or once a
    revoked token is replaced).  A running bot picks them up within seconds."""
    from bot.clock import iso, utc_now
    from bot.config import parse_duration

    since = parse_duration(args.since)
    if since.total_seconds() <= 0:
        raise ValueError(f"--since must be longer than zero: {args.since!r}")

    async def outbox() -> tuple[int | None, list[OutboxState]]:
        async with _opened(_config_or_db(args), existing=True) as store:
            sent_again = None
            if args.resend:
                now = utc_now()
                sent_again = await store.resend_parked(iso(now - since), iso(now), args.channel)
            states = await store.outbox_state([args.channel] if args.channel else None)
            return sent_again, states

    sent_again, states = asyncio.run(outbox())
    if sent_again is not None:
        print(f"{sent_again} parked rows queued in the last {args.since} will be sent again")
    if not states:
        print("nothing waiting: every reply was delivered")
    for state in states:
        oldest = f", the oldest queued {state.oldest_waiting}" if state.oldest_waiting else ""
        print(
            f"{state.channel}: {state.waiting} waiting{oldest}; {state.parked} parked; "
            f"{state.awaiting} for people who must write first"
        )
        if state.last_error:
            print(f"  last refusal: {state.last_error}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="intake-bot",
        description="Chat intake bot for grassroots dispute-resolution centres.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug output")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser(
        "run",
        help="run the bot on the channels in a config file",
        description="Run the bot on the channels ([telegram], [wecom], [official_account]) "
        "the config file configures, until Ctrl-C or SIGTERM.  With none, the console chat "
        "in this terminal: on the config's console intake groups, else on the demo's people "
        "and groups with the config's model, in the config's database if it lists no intake "
        "group, else in the demo's (intake-demo.db: trial tickets kept out of a deployment's).",
    )
    run.add_argument("--config", required=True, type=Path, help="TOML config file")
    run.set_defaults(func=cmd_run)

    demo = sub.add_parser("demo", help="chat with the bot in this terminal (no accounts needed)")
    demo.add_argument(
        "--db", metavar="FILE|URL", default=DEFAULT_DEMO_DB,
        help=f"SQLite file (default {DEFAULT_DEMO_DB}), or a postgresql:// URL",
    )
    demo.add_argument("--lang", choices=["zh", "en"], default="zh", help="reply language")
    demo.set_defaults(func=cmd_demo)

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    migrate = db_sub.add_parser("migrate", help="apply pending schema migrations")
    backup = db_sub.add_parser(
        "backup",
        help="copy a SQLite database safely while the bot runs (PostgreSQL: use pg_dump)",
    )
    backup.add_argument("path", type=Path, help="where to write the copy (must not exist)")
    corrections = db_sub.add_parser(
        "corrections",
        help="export /retag and /dismiss corrections as training data (TSV for train --data)",
    )
    corrections.add_argument("path", type=Path, help="TSV file to write (must not exist)")
    outbox = db_sub.add_parser(
        "outbox",
        help="replies waiting to be delivered, and parked ones; --resend sends parked ones again",
        description="Per channel: replies waiting (to be sent now or at their retry time), "
        "parked ones (given up on after [delivery] give_up_after, or refused for good), with "
        "the newest refusal, and those for people who must write to the bot first (sent when "
        "they do).  --resend makes the parked rows queued in the last --since due "
        "again; a running bot sends them within seconds.",
    )
    outbox.add_argument("--resend", action="store_true", help="send parked rows again")
    outbox.add_argument(
        "--since", default="24h", help="with --resend: rows queued this long ago or later (24h)"
    )
    outbox.add_argument(
        "--channel", choices=["telegram", "wecom", "official_account"], help="one channel only"
    )
    outbox.set_defaults(func=cmd_db_outbox)
    for p in (migrate, backup, corrections, outbox):
        where = p.add_mutually_exclusive_group(required=True)
        where.add_argument("--config", type=Path, help="take the database from this config")
        # Text, not a Path: Path("postgresql://h/db") is "postgresql:/h/db", a SQLite file
        # made in a directory called "postgresql:".
        where.add_argument(
            "--db", metavar="FILE|URL", help="SQLite file, or a postgresql:// URL"
        )
    export = db_sub.add_parser(
        "export",
        help="write the ledger (台账): one row per ticket, CSV for Excel or XLSX",
        description="Write the centre's ledger: one row per ticket received from --from to "
        "--to (local days, both included; default: every ticket), of every area, of "
        "--area or of --department's (handed to it, or assisted: a last column 主办/协办).  "
        "Phone, ID-card and bank-card numbers "
        "and WeChat ids are masked unless --unmasked is given.",
    )
    export.add_argument("out", type=Path, help="file to write (must not exist)")
    export.add_argument("--config", required=True, type=Path, help="the bot's config file")
    export.add_argument("--from", dest="date_from", metavar="DATE", help="first day, YYYY-MM-DD")
    export.add_argument("--to", dest="date_to", metavar="DATE", help="last day, YYYY-MM-DD")
    export.add_argument(
        "--area", metavar="CODE", help="one area's tickets, by its code (default: every area)"
    )
    export.add_argument(
        "--department", metavar="CODE",
        help="only the tickets handed to this department (转办) or that it assists with (协办), "
        "by its code",
    )
    export.add_argument(
        "--format",
        choices=["csv", "xlsx"],
        help="csv (UTF-8 with BOM, opens in Excel) or xlsx (needs openpyxl); "
        "default: from OUT's suffix, else csv",
    )
    export.add_argument(
        "--unmasked",
        action="store_true",
        help="keep phone and ID-card numbers in full (for a copy that stays in the centre)",
    )
    export.add_argument(
        "--lang", choices=["zh", "en"], help="headings and labels (default: the config's)"
    )
    export.set_defaults(func=cmd_db_export)
    hotline = db_sub.add_parser(
        "import",
        help="file a hotline's work orders (12345热线工单) as tickets, from CSV or XLSX",
        description="File each work order of FILE (CSV in UTF-8 or GB18030, or XLSX; columns "
        "工单编号 and 诉求内容 required, 受理时间, 来电人, 联系电话, 地址, 诉求类别, 所属区域 read "
        "when there, by their Chinese or English names) as a ticket from the hotline: "
        "classified, routed to its area's grid workers, supervised from now.  A work order "
        "imported before is not filed again.  Exit status 1 when a row was rejected.",
    )
    hotline.add_argument("file", type=Path, help="the platform's export, .csv or .xlsx")
    hotline.add_argument("--config", required=True, type=Path, help="the bot's config file")
    hotline.add_argument(
        "--source", default="12345",
        help="the platform that assigned the orders, as the ledger names it (default 12345)",
    )
    hotline.add_argument(
        "--dry-run", action="store_true", help="file nothing; print what would be filed"
    )
    hotline.set_defaults(func=cmd_db_import)
    migrate.set_defaults(func=cmd_db_migrate)
    backup.set_defaults(func=cmd_db_backup)
    corrections.set_defaults(func=cmd_db_corrections)

    from classifier.cli import add_commands

    add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        return int(args.func(args))
    except (ConfigError, FileExistsError, FileNotFoundError, ValueError) as exc:
        print(f"intake-bot: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `intake-bot classify < f | head`: the reader has had enough
        # Nothing more can be written, nor flushed at exit ("Exception ignored … BrokenPipe").
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # as a shell reports a command ended by SIGPIPE
    except OSError as exc:  # a directory for a file, no permission, a full disk
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"intake-bot: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
