"""Who the bot knows: residents and staff (`people`), each by platform and user id,
with the role, area and language staff manage with /role and /lang.
"""

from __future__ import annotations

from storage.base import PersonRecord
from storage.sql.base import SQLBase
from storage.sql.common import _PERSON_COLUMNS, Row


def _person(row: Row) -> PersonRecord:
    return PersonRecord(
        id=row["id"],
        channel=row["channel"],
        user_id=row["user_id"],
        display_name=row["display_name"],
        role=row["role"],
        area=row["area"],
        lang=row["lang"],
    )


class PeopleSQL(SQLBase):
    """The people table."""

    async def person(self, person_id: int) -> PersonRecord | None:
        row = await self._one(f"SELECT {_PERSON_COLUMNS} FROM people WHERE id = ?", (person_id,))
        return _person(row) if row else None

    async def person_by_platform(self, channel: str, user_id: str) -> PersonRecord | None:
        row = await self._one(
            f"SELECT {_PERSON_COLUMNS} FROM people WHERE channel = ? AND user_id = ?",
            (channel, user_id),
        )
        return _person(row) if row else None

    async def upsert_person(
        self, channel: str, user_id: str, display_name: str, role: str, area: str | None, at: str
    ) -> PersonRecord:
        # A new person gets `role`/`area`; a known one keeps theirs and only their name
        # is refreshed (people rename themselves; roles change only through /grant).
        row = await self._one(
            f"""INSERT INTO people (channel, user_id, display_name, role, area, created_at)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (channel, user_id) DO UPDATE SET
                    display_name = CASE WHEN excluded.display_name = ''
                                        THEN people.display_name
                                        ELSE excluded.display_name END
                RETURNING {_PERSON_COLUMNS}""",
            (channel, user_id, display_name, role, area, at),
        )
        assert row is not None
        return _person(row)

    async def find_people(self, channel: str, query: str) -> list[PersonRecord]:
        query = query.removeprefix("@")
        rows = await self._all(
            f"""SELECT {_PERSON_COLUMNS} FROM people
                WHERE channel = ? AND (user_id = ? OR display_name = ?) ORDER BY id""",
            (channel, query, query),
        )
        return [_person(r) for r in rows]

    async def people_with_role(self, role: str, lock: bool = False) -> list[PersonRecord]:
        locked = " FOR UPDATE" if lock and self.dialect == "postgres" else ""
        rows = await self._all(
            f"SELECT {_PERSON_COLUMNS} FROM people WHERE role = ? ORDER BY id{locked}", (role,)
        )
        return [_person(r) for r in rows]

    async def people_page(
        self, role: str, area: str | None, limit: int
    ) -> tuple[list[PersonRecord], int]:
        where = "role = ? AND (CAST(? AS TEXT) IS NULL OR area = ?)"
        rows = await self._all(
            f"""SELECT {_PERSON_COLUMNS} FROM people WHERE {where}
                ORDER BY area IS NULL, area, display_name, id LIMIT ?""",
            (role, area, area, limit),
        )
        total = await self._one(
            f"SELECT COUNT(*) AS n FROM people WHERE {where}", (role, area, area)
        )
        return [_person(r) for r in rows], int(total["n"]) if total else 0

    async def set_role(
        self, person_id: int, role: str, area: str | None, keep_area: bool = True
    ) -> None:
        await self._run(
            """UPDATE people SET role = ?,
                      area = CASE WHEN ? THEN COALESCE(?, area) ELSE CAST(? AS TEXT) END
                WHERE id = ?""",
            (role, keep_area, area, area, person_id),
        )

    async def set_lang(self, person_id: int, lang: str) -> None:
        await self._run("UPDATE people SET lang = ? WHERE id = ?", (lang, person_id))
