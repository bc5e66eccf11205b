"""Reading a hotline platform's export of work orders (工单): CSV or XLSX, its columns
named in Chinese or English, as `intake-bot db import` files them (`bot.hotline`).

The 12345 platform, 民情e点通 and a centre's own spreadsheet each name their columns
their own way (工单编号, 编号, 受理时间, 来电时间 …), and Excel saves CSV in GB18030 on a
Chinese Windows, in UTF-8 with a BOM elsewhere: both are read, and each column by any of
its usual names.  A row is numbered as Excel shows it (the header is row 1), the number
staff look for when told a row was rejected.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

# Each field's column names, compared without spaces, case, a colon or a required-mark (*).
COLUMNS: dict[str, tuple[str, ...]] = {
    "number": ("工单编号", "工单号", "编号", "number", "ordernumber", "workorder"),
    "time": ("受理时间", "来电时间", "time", "receivedat"),
    "name": ("来电人", "姓名", "来电人姓名", "name", "caller"),
    "phone": ("联系电话", "电话", "来电号码", "phone", "telephone"),
    "address": ("地址", "事发地址", "事发地点", "address"),
    "content": ("诉求内容", "内容", "来电内容", "content", "text"),
    "category": ("诉求类别", "类别", "诉求类型", "category"),
    "area": ("所属区域", "街道", "乡镇", "区域", "area"),
}
REQUIRED = ("number", "content")
NUMBER_MAX = 64  # longer is no work-order number: a column read wrongly


class WorkOrderFileError(ValueError):
    """The file cannot be read as work orders at all (not one row is filed)."""


@dataclass(frozen=True)
class WorkOrder:
    """One row: a work order the platform assigned to the county."""

    line: int
    number: str
    content: str
    time: str = ""
    name: str = ""
    phone: str = ""
    address: str = ""
    category: str = ""  # the platform's own class, kept as a note: not our type
    area: str = ""


@dataclass(frozen=True)
class Rejected:
    """A row not filed, and why (as the summary prints it)."""

    line: int
    number: str
    reason: str


def _key(heading: str) -> str:
    return re.sub(r"[\s:：*＊_\-]+", "", heading.replace("\ufeff", "")).lower()


def _fields(header: Sequence[str]) -> dict[str, int]:
    """Each known field's column index (the first of its names); unknown columns ignored."""
    names = {name: field for field, aliases in COLUMNS.items() for name in aliases}
    found: dict[str, int] = {}
    for index, heading in enumerate(header):
        field = names.get(_key(heading))
        if field is not None and field not in found:
            found[field] = index
    missing = [f for f in REQUIRED if f not in found]
    if missing:
        wanted = "; ".join(f"{f} ({' / '.join(COLUMNS[f][:3])})" for f in missing)
        raise WorkOrderFileError(f"no column for {wanted} in the header: {list(header)}")
    return found


def _cell(value: object) -> str:
    """A cell as text: a whole number without ".0" (a work-order number typed as one), a
    date and time as YYYY-MM-DD HH:MM."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _decoded(data: bytes) -> str:
    """UTF-8 (with or without a BOM), else GB18030, which Excel writes on Chinese Windows."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise WorkOrderFileError(f"neither UTF-8 nor GB18030 text: {exc}") from exc


def _csv_rows(path: Path) -> Iterator[list[str]]:
    yield from csv.reader(io.StringIO(_decoded(path.read_bytes()), newline=""))


def _xlsx_rows(path: Path) -> Iterator[list[str]]:
    """The first sheet's rows."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile's, KeyError, its own: all "not XLSX"
        raise WorkOrderFileError(f"not an XLSX workbook: {exc}") from exc
    try:
        sheet = book.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield [_cell(value) for value in row]
    finally:
        book.close()


def read_work_orders(path: Path) -> tuple[list[WorkOrder], list[Rejected]]:
    """The file's work orders, and the rows that are none (no number, no content, a
    number given twice).  Blank rows are skipped."""
    rows = _xlsx_rows(path) if path.suffix.lower() in (".xlsx", ".xlsm") else _csv_rows(path)
    header = next(rows, None)
    if header is None:
        raise WorkOrderFileError("the file is empty")
    return _orders(_fields(header), enumerate(rows, start=2))


def _orders(
    fields: dict[str, int], rows: Iterable[tuple[int, list[str]]]
) -> tuple[list[WorkOrder], list[Rejected]]:
    orders: list[WorkOrder] = []
    rejected: list[Rejected] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        cells = {f: (row[i].strip() if i < len(row) else "") for f, i in fields.items()}
        if not any(cells.values()):
            continue
        number = cells["number"]
        reason = ""
        if not number:
            reason = "no work-order number (工单编号)"
        elif len(number) > NUMBER_MAX:
            reason = f"work-order number longer than {NUMBER_MAX} characters"
        elif not cells["content"]:
            reason = "no content (诉求内容)"
        elif number in seen:
            reason = f"work order {number} is on line {seen[number]} already"
        if reason:
            rejected.append(Rejected(line, number, reason))
            continue
        seen[number] = line
        orders.append(WorkOrder(
            line, number, cells["content"], time=cells.get("time", ""),
            name=cells.get("name", ""), phone=cells.get("phone", ""),
            address=cells.get("address", ""), category=cells.get("category", ""),
            area=cells.get("area", ""),
        ))
    return orders, rejected
