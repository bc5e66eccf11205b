"""The centre's ledger (台账): one row per ticket, written for Excel.

`intake-bot db export` streams `LedgerRow`s from the store (in batches, see
`Store.ledger`) through `LedgerFormat` into a CSV or XLSX file, so a province's millions
of tickets never sit in memory at once.

Privacy.  By default the ledger is masked the way the bot masks what a whole group can
read (bot/privacy.py): phone and ID-card numbers in the reporter's name, the report and
the resolution become 138****5678 / 1101**********123X.  A ledger is a file that gets
mailed and printed; `--unmasked` is the operator's deliberate choice for a copy that
stays inside the centre.

Excel.  CSV is UTF-8 with a byte-order mark (without it Excel reads Chinese as GBK and
shows mojibake), quoted by the csv module (commas, quotes and line breaks inside a
report survive), and a cell that starts like a formula (= + - @) gets a leading
apostrophe, so a resident cannot plant a formula in the centre's spreadsheet.  XLSX
cells are written as text, which Excel never evaluates, so they need no apostrophe.
"""

from __future__ import annotations

import asyncio
import csv
import importlib.util
import os
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal, Protocol

from bot import i18n
from bot.clock import iso
from bot.config import Config, parse_limit
from bot.filing import suggested_for
from bot.privacy import mask_pii, reporter_named
from bot.render import Renderer
from bot.supervision import deadlines_of, late_by, limits_of
from bot.workflow import CLOCK_STARTS, Role, Source, Stage, Status, awaits_triage
from classifier import NOT_A_REPORT
from storage.base import LedgerRow, Store

Format = Literal["csv", "xlsx"]
Cell = str | int

# The ledger's columns, in order; their headings are `ledger.<name>` in the catalogue.
COLUMNS = (
    "number",
    "received_at",
    "channel",
    "area",
    "group",
    "reporter",
    "text",
    "type",
    "needs_triage",
    "urgency",
    "status",
    "worker",
    "claimed_at",
    "resolved_at",
    "resolution",
    "events",
    # Last, so a centre's spreadsheets that pick columns by position keep working.
    "dismissed_at",
    "dismissed_by",
    "dismissal",
    "department",  # [routing]'s suggestion for the type (研判分流); after the older columns
    "rating",  # the reporter's latest answer to a follow-up visit (回访评价)
    "resolve_limit",  # the resolve limit staff granted (延期), while it stands
    "on_time",  # resolved by the resolve deadline (按期办结): 是 / 否
    "handled_by",  # the department it was handed to (转办), if any
    "settled",  # the dispute settled or not (调处结果), as the outcome said
    "assisting",  # the departments asked to assist (协办), by name
    "major",  # marked major and difficult (重大疑难) now: 是
    "people_involved",  # 涉及人数, as the report said it or the desk put it right
    "amount_involved",  # 涉及金额, whole yuan (a number, for the centre's own sums)
    "source",  # 信息来源: an intake group, one to one, or the desk's own report (上报)
    "closed_at",  # 结案时间: when a ticket closed now was closed
    "resolve_deadline",  # 办结期限: an open ticket's, as /ticket says it (延期 included)
    "overdue",  # 超期: an open ticket past that deadline when the ledger was written: how far
    "mediation_at",  # 调解时间: the mediation session standing (调解 12 …), if any
    "mediation_place",  # 调解地点: where the parties are called in
)
# A department's ledger (各部门台账) ends with one more: whether it leads the case (主办:
# handed to it, 转办) or assists with it (协办, another leading).
PART = "part"
# Column widths in the XLSX sheet (characters); the rest get the default.
_WIDTHS = {
    "received_at": 17,
    "group": 16,
    "text": 60,
    "type": 14,
    "resolution": 40,
    "dismissed_at": 17,
    "dismissal": 30,
    "closed_at": 17,
    "resolve_deadline": 17,
    "mediation_at": 17,
    "mediation_place": 16,
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MIME_TYPES: dict[str, str] = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Written:
    """What a ledger file lists: its rows, and of them those /stats counts apart (a ticket
    dismissed as not a report, one merged into another's case), which have rows too."""

    rows: int
    dismissed: int = 0
    merged: int = 0
    # Of a department's ledger's rows not apart, those it assists with (协办): /stats counts
    # them for it on a line of their own (本部门协办), the rest as received (受理).
    assisted: int = 0

    @property
    def received(self) -> int:
        """The tickets the file lists as /stats counts them: the rows less those apart."""
        return self.rows - self.dismissed - self.merged

    @property
    def led(self) -> int:
        """Of `received`, those /stats counts as received: a department's own (主办)."""
        return self.received - self.assisted


class LedgerTooLarge(ValueError):
    """The ledger would be larger than the file a platform accepts (`limit` bytes)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the ledger is larger than {limit} bytes")
        self.limit = limit


def ledger_rows(
    store: Store,
    start: str,
    end: str,
    area: str | None = None,
    department: str | None = None,
    about_the_desk: bool = True,
) -> AsyncIterator[LedgerRow]:
    """The rows `db export` and /export write (`Store.ledger`), each open ticket's with its
    clock start, so its deadline is the one supervision keeps.  Not `about_the_desk`: less
    the complaints about the desk's own people (作风反映), for a grid worker's /export."""
    return store.ledger(
        start, end, area=area, department=department, clock_starts=CLOCK_STARTS,
        about_the_desk=about_the_desk,
    )


class LedgerFormat:
    """Turns a stored row into the cells a centre's ledger shows, in one language.

    `now`: when the ledger is written, by the bot's clock, which 超期 is measured at (so
    `db export` and /export give the same file at the same moment); None leaves 超期 empty.
    """

    def __init__(
        self,
        config: Config,
        lang: str,
        masked: bool = True,
        department: str | None = None,
        now: datetime | None = None,
    ) -> None:
        self.config = config
        self.lang = lang
        self.masked = masked
        self.now = now
        self.render = Renderer(config.timezone, config.intake.area_prefix)
        # A department's ledger (`Store.ledger`'s `department`): its rows say which it leads.
        self.department = department
        self.columns = COLUMNS if department is None else (*COLUMNS, PART)

    @property
    def title(self) -> str:
        return i18n.name("ledger.title", self.lang)

    def header(self) -> list[Cell]:
        return [i18n.name(f"ledger.{column}", self.lang) for column in self.columns]

    def assists(self, row: LedgerRow) -> bool:
        """Whether `row` is in a department's ledger because it assists with it (协办),
        another leading (its lead is never among those assisting)."""
        return self.department is not None and row.handled_by != self.department

    def _private(self, text: str | None) -> str:
        """Free text a resident wrote (or a name they chose): masked unless told not to."""
        if text is None:
            return ""
        return mask_pii(text) if self.masked else text

    def _group(self, row: LedgerRow) -> str:
        """The intake group's title; a one-to-one intake point ("*"), or a resident's report
        one to one (私下反映), is named as such, never by the resident's own chat id."""
        group = self.config.intake_group(row.channel, row.chat_id)
        if group is not None:
            return group.title or group.chat_id
        if (
            row.source == Source.PRIVATE
            or self.config.intake_group(row.channel, row.chat_id, private=True) is not None
        ):
            return i18n.name("ledger.one_to_one", self.lang)
        return row.chat_id

    def _source(self, row: LedgerRow) -> str:
        """信息来源: a work order of a platform other than 12345 (民情e点通, `db import
        --source`) by that platform's name."""
        if row.source == Source.HOTLINE and row.chat_id != "12345":
            return row.chat_id
        return i18n.name(f"source.{row.source}", self.lang)

    def _deadline(self, row: LedgerRow) -> tuple[str, str]:
        """An open ticket's resolve deadline (办结期限) as /ticket says it, and how far past it
        the ticket is at `now` (超期) as 我的 marks it; empty for a ticket not open (or a row
        read without its clock start)."""
        if row.since is None:
            return "", ""
        running = limits_of(self.config, row.urgency, row.handled_by, row.resolve_limit)
        for stage, due, limit in deadlines_of(Status(row.status), row.since, running, self.config):
            if stage is not Stage.RESOLVE:
                continue
            shown = self.render.local_time(iso(due))
            if self.now is None or self.now < due:  # as `breaches` counts a missed deadline
                return shown, ""
            late = late_by(row.since, self.now, limit, self.config.work_calendar)
            said = self.render.duration(late, self.lang)
            return shown, i18n.t("ledger_overdue", self.lang, late=said)
        return "", ""

    def cells(self, row: LedgerRow) -> list[Cell]:
        render, lang = self.render, self.lang
        flagged = awaits_triage(Status(row.status), row.needs_triage)
        # A dismissed ticket is what the desk judged it, as the chat shows it: not a
        # report (so a sum of the type column never counts it as a dispute).
        type_ = NOT_A_REPORT if row.status == Status.DISMISSED else row.type
        # Resolved as the ticket stands (/status and /stats say the same): a reopened one is
        # open again, so the earlier resolution's time and outcome are not its own (they stay
        # in its history, /ticket).  A merged one's outcome says where it went.
        done = row.status in (Status.RESOLVED, Status.CLOSED)
        resolved_at = render.local_time(row.resolved_at) if done and row.resolved_at else ""
        outcome = row.resolution if done or row.status == Status.MERGED else None
        outcome = i18n.outcome_in(outcome, lang) if outcome else outcome
        resolve_deadline, overdue = self._deadline(row)
        values: dict[str, Cell] = {
            # A number (Excel sorts 2 before 10, as it does not text), unless it has the
            # area's prefix (DZ-12).
            "number": row.id if render.number(row) == str(row.id) else render.number(row),
            "received_at": render.local_time(row.created_at),
            "channel": i18n.name(f"channel.{row.channel}", lang),
            "area": self.config.area_name(row.area),
            "group": self._group(row),
            # 匿名反映人 in a masked file, which grid workers and liaisons get too (/export).
            "reporter": reporter_named(
                self._private(row.reporter), row.anonymous, None if self.masked else Role.STAFF,
                lang,
            ),
            # The report as told: its words, then the parts told after it (补充), one a line.
            "text": self._private(row.told),
            "type": i18n.type_label(type_, lang),
            "needs_triage": i18n.name("ledger.yes", lang) if flagged else "",
            "urgency": i18n.urgency_label(row.urgency, lang),
            "status": render.status_name(row, lang),  # 已撤回 for a withdrawn one
            "worker": row.worker or "",
            "claimed_at": render.local_time(row.claimed_at) if row.claimed_at else "",
            "resolved_at": resolved_at,
            "resolution": self._private(outcome),
            "events": row.events,
            "dismissed_at": render.local_time(row.dismissed_at) if row.dismissed_at else "",
            "dismissed_by": row.dismissed_by or "",
            "dismissal": self._private(row.dismissal),
            # None for a dismissed one (not a report) nor for a 作风反映 (`suggested_for`).
            "department": (
                "" if type_ == NOT_A_REPORT else suggested_for(row, self.config) or ""
            ),
            "rating": i18n.name(f"rating.{row.rating}", lang) if row.rating else "",
            "resolve_limit": (
                render.duration(parse_limit(row.resolve_limit), lang) if row.resolve_limit else ""
            ),
            "on_time": (
                "" if row.resolved_late is None
                else i18n.name("ledger.no" if row.resolved_late else "ledger.yes", lang)
            ),
            "handled_by": self.config.department_name(row.handled_by) if row.handled_by else "",
            "settled": "" if row.settled is None else i18n.settlement_label(row.settled, lang),
            "assisting": self.config.department_list(row.assisting, lang),
            "major": i18n.name("ledger.yes", lang) if row.major else "",
            "people_involved": "" if row.people_involved is None else row.people_involved,
            "amount_involved": "" if row.amount_involved is None else row.amount_involved,
            "source": self._source(row),
            "closed_at": render.local_time(row.closed_at) if row.closed_at else "",
            "resolve_deadline": resolve_deadline,
            "overdue": overdue,
            "mediation_at": render.local_time(row.mediation_at) if row.mediation_at else "",
            "mediation_place": self._private(row.mediation_place),
            PART: i18n.name("ledger.assists" if self.assists(row) else "ledger.leads", lang),
        }
        return [values[column] for column in self.columns]


def xlsx_available() -> bool:
    """Whether XLSX can be written here (openpyxl is an optional dependency)."""
    return importlib.util.find_spec("openpyxl") is not None


def format_for(path: Path, chosen: str | None) -> Format:
    """The format asked for, else the one the file name says (.xlsx), else CSV."""
    if chosen is None:
        return "xlsx" if path.suffix.lower() == ".xlsx" else "csv"
    if chosen == "xlsx":
        return "xlsx"
    if chosen == "csv":
        return "csv"
    raise ValueError(f"unknown format {chosen!r}: use csv or xlsx")


def _csv_safe(cell: Cell) -> Cell:
    if isinstance(cell, str) and cell.startswith(_FORMULA_START):
        return "'" + cell
    return cell


class _Sink(Protocol):
    """A ledger file being written: rows go in batches, `close` finishes the file."""

    def write(self, rows: list[list[Cell]]) -> None: ...
    def size(self) -> int: ...
    def close(self) -> None: ...
    def abort(self) -> None: ...


class _CsvSink:
    def __init__(self, path: Path, ledger: LedgerFormat) -> None:
        self._file = path.open("w", encoding="utf-8-sig", newline="")
        self._writer = csv.writer(self._file)  # quotes commas, quotes and line breaks
        self._writer.writerow(ledger.header())

    def write(self, rows: list[list[Cell]]) -> None:
        self._writer.writerows([_csv_safe(cell) for cell in cells] for cells in rows)

    def size(self) -> int:
        """Bytes written so far: the file is exactly that long once closed."""
        self._file.flush()
        return os.fstat(self._file.fileno()).st_size

    def close(self) -> None:
        self._file.close()

    abort = close


class _XlsxSink:
    def __init__(self, path: Path, ledger: LedgerFormat) -> None:
        try:
            from openpyxl import Workbook
            from openpyxl.cell import WriteOnlyCell
            from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
            from openpyxl.utils import get_column_letter
        except ImportError as exc:
            raise ValueError(
                "--format xlsx needs openpyxl: pip install 'dispute-intake-bot[xlsx]' "
                "(or export CSV, which Excel opens as well)"
            ) from exc
        self._path = path
        self._text_cell = WriteOnlyCell
        self._illegal = ILLEGAL_CHARACTERS_RE
        self._book = Workbook(write_only=True)  # rows go to a temporary file as they come
        self._sheet = self._book.create_sheet(ledger.title)
        for index, column in enumerate(ledger.columns, start=1):
            if column in _WIDTHS:
                self._sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS[column]
        self._sheet.freeze_panes = "A2"
        self.write([ledger.header()])

    def _cell(self, value: Cell) -> object:
        if isinstance(value, int):
            return value
        # Control characters are not allowed in XLSX; and text is never a formula.
        cell = self._text_cell(self._sheet, value=self._illegal.sub("", value))
        cell.data_type = "s"
        return cell

    def write(self, rows: list[list[Cell]]) -> None:
        for cells in rows:
            self._sheet.append([self._cell(value) for value in cells])

    def size(self) -> int:
        """Unknown until the workbook is zipped on close (a few times smaller than its
        rows as text), so it is measured then."""
        return 0

    def close(self) -> None:
        self._book.save(self._path)

    def abort(self) -> None:
        self._book.close()


BATCH = 500  # rows handed to the file writer at a time (in a worker thread)


async def write_ledger(
    rows: AsyncIterator[LedgerRow],
    path: Path,
    fmt: Format,
    ledger: LedgerFormat,
    max_bytes: int | None = None,
) -> Written:
    """Write the ledger to `path` (which must not exist); return how many tickets it lists.

    The file appears only when complete: it is written beside `path` and renamed, so a
    failed export never leaves half a ledger under the name people will open.  Disk work
    runs in a worker thread, a batch at a time, so it never blocks the event loop.

    `max_bytes`: raise `LedgerTooLarge` (leaving nothing behind) rather than finish a file
    larger than that.  A CSV is measured after every batch, so a province's year stops
    as soon as it passes the limit instead of being written out in full first.
    """
    if await asyncio.to_thread(path.exists):
        raise FileExistsError(f"{path} already exists")
    partial = path.with_name(path.name + ".partial")
    opener = _XlsxSink if fmt == "xlsx" else _CsvSink
    sink: _Sink = await asyncio.to_thread(opener, partial, ledger)
    count = assisted = 0
    apart: Counter[str] = Counter()
    batch: list[list[Cell]] = []
    try:
        async for row in rows:
            batch.append(ledger.cells(row))
            if row.status in (Status.DISMISSED, Status.MERGED):
                apart[row.status] += 1
            else:
                assisted += ledger.assists(row)
            if len(batch) == BATCH:
                await asyncio.to_thread(sink.write, batch)
                count, batch = count + len(batch), []
                if max_bytes is not None and await asyncio.to_thread(sink.size) > max_bytes:
                    raise LedgerTooLarge(max_bytes)
        await asyncio.to_thread(sink.write, batch)
        await asyncio.to_thread(sink.close)
        if max_bytes is not None and await asyncio.to_thread(os.path.getsize, partial) > max_bytes:
            raise LedgerTooLarge(max_bytes)
        await asyncio.to_thread(os.replace, partial, path)
    except BaseException:
        await asyncio.to_thread(sink.abort)
        await asyncio.to_thread(partial.unlink, missing_ok=True)
        raise
    return Written(count + len(batch), apart[Status.DISMISSED], apart[Status.MERGED], assisted)
