"""The desk's recurring duties, each recorded once so two workers never do one twice:
the daily briefing, zero reports (零报告), screening (排查) finds and reminders, and the
notices of failed messages.
"""

from __future__ import annotations

from storage.base import ScreeningFind, ZeroReport
from storage.sql.base import SQLBase
from storage.sql.common import _DISMISSED

# Any constant: names the lock under which a transaction decides on a notice of failed
# messages (`last_failure_notice`), as storage.postgres names the migrations' lock.
_FAILURE_NOTICE_LOCK = 0x1A7A_F417


class RoutinesSQL(SQLBase):
    """Briefings, zero reports, screening, failure notices."""

    async def briefing_sent(self, day: str) -> bool:
        return await self._one("SELECT day FROM briefings WHERE day = ?", (day,)) is not None

    async def last_briefing_end(self) -> str | None:
        row = await self._one("SELECT MAX(ends) AS ends FROM briefings")
        return str(row["ends"]) if row is not None and row["ends"] is not None else None

    async def record_briefing(self, day: str, starts: str, ends: str, at: str) -> bool:
        row = await self._one(
            """INSERT INTO briefings (day, starts, ends, sent_at) VALUES (?, ?, ?, ?)
               ON CONFLICT (day) DO NOTHING RETURNING day""",
            (day, starts, ends, at),
        )
        return row is not None

    async def record_zero_report(
        self, area: str, day: str, person_id: int, at: str, note: str
    ) -> bool:
        row = await self._one(
            """INSERT INTO zero_reports (area, day, person_id, at, note) VALUES (?, ?, ?, ?, ?)
               ON CONFLICT (area, day) DO NOTHING RETURNING day""",
            (area, day, person_id, at, note),
        )
        return row is not None

    async def note_zero_report(self, area: str, day: str, note: str) -> None:
        await self._run(
            "UPDATE zero_reports SET note = ? WHERE area = ? AND day = ?", (note, area, day)
        )

    async def zero_reports(self, first_day: str, last_day: str) -> list[ZeroReport]:
        rows = await self._all(
            """SELECT z.area, z.day, z.person_id,
                      COALESCE(NULLIF(p.display_name, ''), p.user_id) AS display_name, z.at, z.note
                 FROM zero_reports z JOIN people p ON p.id = z.person_id
                WHERE z.day >= ? AND z.day <= ? ORDER BY z.day, z.area""",
            (first_day, last_day),
        )
        return [
            ZeroReport(r["area"], r["day"], int(r["person_id"]), r["display_name"], r["at"],
                       r["note"])
            for r in rows
        ]

    async def record_screening_find(
        self, area: str, day: str, ticket_id: int, person_id: int, at: str
    ) -> None:
        await self._run(
            """INSERT INTO screening_finds (area, day, ticket_id, person_id, at)
               VALUES (?, ?, ?, ?, ?)""",
            (area, day, ticket_id, person_id, at),
        )

    async def screening_finds(self, first_day: str, last_day: str) -> list[ScreeningFind]:
        rows = await self._all(
            f"""SELECT f.area, f.day, f.ticket_id, f.person_id, f.at
                  FROM screening_finds f JOIN tickets t ON t.id = f.ticket_id
                 WHERE f.day >= ? AND f.day <= ? AND t.status <> '{_DISMISSED}'""",
            (first_day, last_day),
        )
        return [
            ScreeningFind(r["area"], r["day"], int(r["ticket_id"]), int(r["person_id"]), r["at"])
            for r in rows
        ]

    async def record_screening_reminder(self, day: str, at: str) -> bool:
        row = await self._one(
            """INSERT INTO screening_reminders (day, sent_at) VALUES (?, ?)
               ON CONFLICT (day) DO NOTHING RETURNING day""",
            (day, at),
        )
        return row is not None

    async def last_failure_notice(self, lock: bool = False) -> tuple[int, str] | None:
        if lock and self.dialect == "postgres":
            # Two messages failing at once in two transactions each read no recent notice
            # under READ COMMITTED, and each told the staff room at once: two notices where
            # the window allows one.  Taken until commit, so the second reads the first's.
            await self._run("SELECT pg_advisory_xact_lock(?)", (_FAILURE_NOTICE_LOCK,))
        row = await self._one(
            "SELECT through_id, at FROM failure_notices ORDER BY through_id DESC LIMIT 1"
        )
        return (int(row["through_id"]), str(row["at"])) if row else None

    async def failed_after(self, after_id: int, before_id: int | None = None) -> tuple[int, int]:
        # By the (disposition, id) index: failed messages are few.
        below, params = ("", [after_id]) if before_id is None else (" AND id < ?", [
            after_id, before_id
        ])
        row = await self._one(
            f"""SELECT COUNT(*) AS n, MAX(id) AS newest FROM inbound_messages
                 WHERE disposition = 'failed' AND id > ?{below}""",
            params,
        )
        if row is None or not row["n"]:
            return 0, 0
        return int(row["n"]), int(row["newest"])

    async def record_failure_notice(self, through_id: int, at: str, messages: int) -> bool:
        row = await self._one(
            """INSERT INTO failure_notices (through_id, at, messages) VALUES (?, ?, ?)
               ON CONFLICT (through_id) DO NOTHING RETURNING through_id""",
            (through_id, at, messages),
        )
        return row is not None
