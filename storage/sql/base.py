"""What the mixins of `SQLTx` share: the engine's primitives and its dialect."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any, ClassVar

from storage.sql.common import Row


class SQLBase(ABC):
    """What every mixin of `SQLTx` stands on: the four primitives an engine's
    subclass supplies (`storage.sqlite`, `storage.postgres`) and its `dialect`."""

    dialect: ClassVar[str]

    @abstractmethod
    async def _one(self, sql: str, params: Sequence[Any] = ()) -> Row | None: ...

    @abstractmethod
    async def _all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]: ...

    @abstractmethod
    async def _run(self, sql: str, params: Sequence[Any] = ()) -> None: ...

    @abstractmethod
    async def _run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...
