"""The ledger (台账) from the chat: what /export queues, and the file made when it is sent.

/export (bot/desk/figures.py) decides who may have which tickets and queues one outbox row: a
`Document` whose `source` is a `LedgerRequest` (the period's bounds, the area, the
format, the reader's language), not a file.  The file is made when the dispatcher
delivers the row (`LedgerFiles.ready`): streamed from the store in batches into a
private temporary directory by the code `intake-bot db export` runs (bot/ledger.py), so
both give the same bytes for the same days; handed to the adapter; and deleted as soon
as that attempt is over, sent or not.

Why the row holds the request rather than the bytes (in the row, or in a data directory
the row names):

* it survives a restart like any reply: the row is still due, and the file is made again;
* neither the database nor a data directory (which would need its own clean-up, space
  and backups) ever holds a second copy of residents' reports, tens of megabytes for a
  province's month;
* with PostgreSQL, any bot process can deliver the row, not only the one on the machine
  where a file was written;
* the command's transaction stays short: reading a large ledger inside it would hold
  SQLite's single writer for seconds, and the export's own short reads need the lock
  that transaction holds.

The price: the file shows the tickets as they are when it is sent (超期 as at then, by
the bot's clock, as `db export` measures it when run), normally a moment after it was
asked for (after an outage, later; its caption counts what it holds), and a retry makes
it again.  While a large ledger is made and uploaded, other replies on
that platform wait their turn in the outbox (seconds for a county's year).

Size.  The platform's upload limit (Telegram 50 MB, WeCom 20 MB) is the adapter's
`max_document_bytes`.  A ledger over it is not sent: the row becomes a text naming the
limit and suggesting a shorter period or one area.  Masking is always on (see /export).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from pathlib import Path

from bot import i18n
from bot.adapters.base import Document, Outbound, PermanentFailure
from bot.clock import utc_now
from bot.config import Config
from bot.ledger import (
    MIME_TYPES,
    Format,
    LedgerFormat,
    LedgerTooLarge,
    Written,
    ledger_rows,
    write_ledger,
)
from bot.privacy import department_said
from storage.base import Store

SOURCE_KEY = "ledger"
# Temporary directories of ledgers being sent start with this; one older than an hour
# was left by a process that died mid-send and is removed when a bot starts.
PREFIX = "intake-ledger-"
STALE_SECONDS = 3600.0


@dataclass(frozen=True)
class LedgerRequest:
    """One /export: which tickets, as which file, in which language."""

    start: str  # [start, end): the period as storage compares it (UTC ISO text)
    end: str
    first: str  # the period as people read it: its first and last local day (or minute)
    last: str
    area: str | None  # one area's code; None: every area
    format: Format
    lang: str
    # Only those handed to this department (转办) and those it assists with (协办), by code.
    department: str | None = None
    # False: a grid worker's, less the complaints about the desk's own people (作风反映),
    # which the grid is kept from (`bot.workflow.kept_from`): their reporter and words.
    about_the_desk: bool = True

    def source(self) -> str:
        return json.dumps({SOURCE_KEY: asdict(self)}, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_source(cls, source: str) -> LedgerRequest | None:
        """The request in a document's source; None if the source is something else."""
        try:
            fields = json.loads(source).get(SOURCE_KEY)
            return cls(**fields) if isinstance(fields, dict) else None
        except (ValueError, TypeError, AttributeError):
            return None

    def filename(self) -> str:
        """台账-DZ-2026-11-01至2026-11-30.csv / ledger-2026-11-05.xlsx: the area's code
        (a name could hold a character no file system takes) and the local days."""
        first, last = self.first[:10], self.last[:10]
        days = first if first == last else i18n.t("ledger_days", self.lang, first=first, last=last)
        parts = [i18n.name("ledger.file", self.lang), self.area or "", self.department or "", days]
        return "-".join(part for part in parts if part) + f".{self.format}"

    def document(self) -> Document:
        return Document(self.filename(), MIME_TYPES[self.format], self.source())

    def scope(self, config: Config, public: bool = False) -> str:
        """The area's name, or "every area", as the replies say it; a department's name
        (with the area's, when only that area's tickets handed to it are asked for), but in
        a residents' group (`public`) only 相关部门."""
        if self.department is not None:
            return department_scope(config, self.department, self.area, self.lang, public)
        if self.area is None:
            return i18n.t("all_areas", self.lang)
        return config.area_name(self.area)


def department_scope(
    config: Config, department: str, area: str | None, lang: str | None, public: bool = False
) -> str:
    """A department's tickets as a reply names them: 派出所; of one area, 东镇转派出所, so
    figures or a ledger of one area's are never taken for the whole department's.  In a
    residents' group (`public`) only 相关部门 (`bot.privacy.department_said`)."""
    name = department_said(config, department, lang, public)
    if area is None:
        return name
    return i18n.t("scope_area_department", lang, area=config.area_name(area), department=name)


def apart(written: Written, lang: str | None) -> str:
    """What the caption adds after its 共 N 件, so it agrees with /stats: a department's
    ledger, how many of them are handed to it (主办, /stats' 受理) and how many it assists
    with (协办, /stats' 本部门协办); and the rows /stats counts apart (作废, 并案), which the
    file lists and N leaves out.  Each only when there are some."""
    details = []
    if written.assisted:
        details.append(
            i18n.t("export_caption_assisted", lang, led=written.led, assisted=written.assisted)
        )
    counts = {"export_apart_dismissed": written.dismissed, "export_apart_merged": written.merged}
    items = [i18n.t(key, lang, count=n) for key, n in counts.items() if n]
    if items:
        details.append(i18n.t("export_caption_apart", lang, items=i18n.joined(items, lang)))
    if not details:
        return ""
    joined = i18n.t("export_caption_details_sep", lang).join(details)
    return i18n.t("export_caption_details", lang, details=joined)


def megabytes(size: int) -> str:
    """A platform's limit as its documentation states it: 50 MB, 20 MB (a limit set
    lower, as tests do, in kB)."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:g} MB"
    return f"{size / 1000:g} kB"


class LedgerFiles:
    """Makes the file of a queued ledger when its outbox row is delivered."""

    def __init__(
        self,
        store: Store,
        config: Config,
        directory: str | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.store = store
        self.config = config
        self.directory = directory  # None: the system's temporary directory (TMPDIR)
        self.clock = clock  # the bot's: the ledger's 超期 is as at when the file is made

    @contextlib.asynccontextmanager
    async def ready(self, message: Outbound, limit: int | None) -> AsyncIterator[Outbound]:
        """`message` with its file made (or, when it cannot be sent, the text that says
        why instead); the file is deleted when the block ends, however it ends."""
        document = message.document
        assert document is not None
        request = LedgerRequest.from_source(document.source)
        if request is None:
            raise PermanentFailure(f"no way to make document {document.filename!r}")
        channel = i18n.name(f"channel.{message.channel}", request.lang)
        if limit is None:
            # /export checks this when asked; a row left from a configuration that sent
            # files on this channel can still say what happened.
            yield replace(message, text=i18n.t("export_no_files", request.lang, channel=channel))
            return
        folder = Path(await asyncio.to_thread(tempfile.mkdtemp, prefix=PREFIX, dir=self.directory))
        path = folder / Path(document.filename).name  # a name, never a path elsewhere
        try:
            written = await self._write(request, path, limit)
            if written is None:
                text = i18n.t(
                    "export_too_large", request.lang, channel=channel, limit=megabytes(limit)
                )
                yield replace(message, text=text, document=None)
                return
            caption = i18n.t(
                "export_caption",
                request.lang,
                scope=request.scope(self.config),
                first=request.first,
                last=request.last,
                count=written.received,
                apart=apart(written, request.lang),
            )
            made = replace(document, path=str(path))
            yield replace(message, text=caption, document=made)
        finally:
            await asyncio.to_thread(shutil.rmtree, folder, True)

    def refused(self, message: Outbound) -> str:
        """What to send instead of a file the platform refused as too large: its own limit
        is below what the adapter said (a proxy's, a self-hosted server's)."""
        assert message.document is not None
        request = LedgerRequest.from_source(message.document.source)
        lang = request.lang if request else self.config.language
        channel = i18n.name(f"channel.{message.channel}", lang)
        return i18n.t("export_refused_large", lang, channel=channel)

    async def _write(self, request: LedgerRequest, path: Path, limit: int) -> Written | None:
        """The ledger into `path`, as `db export` writes it (masked); how many tickets it
        lists, or None if it would be larger than `limit` bytes."""
        rows = ledger_rows(
            self.store, request.start, request.end, request.area, request.department,
            request.about_the_desk,
        )
        ledger = LedgerFormat(
            self.config, request.lang, masked=True, department=request.department,
            now=self.clock(),
        )
        try:
            return await write_ledger(rows, path, request.format, ledger, max_bytes=limit)
        except LedgerTooLarge:
            return None

    def remove_stale(self, now: float | None = None) -> int:
        """Delete temporary directories a process left when it died in the middle of a
        send (a running one empties its own within seconds); how many there were."""
        now = time.time() if now is None else now
        base = Path(self.directory or tempfile.gettempdir())
        removed = 0
        for folder in base.glob(PREFIX + "*"):
            try:
                if folder.is_dir() and now - folder.stat().st_mtime > STALE_SECONDS:
                    shutil.rmtree(folder, ignore_errors=True)
                    removed += 1
            except OSError:  # another process removed it first
                continue
        return removed
