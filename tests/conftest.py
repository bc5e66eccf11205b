"""Shared fixtures: a real Bot on a real SQLite file, driven through the test harness."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.adapters.harness import CHANNEL, Harness, HarnessAdapter
from bot.app import Bot
from bot.config import Area, ChatRef, Config, IntakeGroup, PersonConfig
from bot.workflow import Role
from classifier import Classification


class KeywordClassifier:
    """A deterministic stand-in for the model, so workflow tests do not depend on it."""

    def classify(self, text: str) -> Classification:
        if text in {"收到", "谢谢", "好的"}:
            return Classification("not_a_report", 0.99, "low", 0.9)
        if "打人" in text or "着火" in text:
            return Classification("public_order", 0.9, "urgent", 0.9, ("violence",))
        return Classification("neighbour", 0.9, "normal", 0.8)


def make_config(db: Path, language: str = "zh") -> Config:
    return Config(
        language="en" if language == "en" else "zh",
        database=str(db),
        areas=[Area(code="DZ", name="东镇"), Area(code="XC", name="西村")],
        intake_groups=[
            IntakeGroup(channel=CHANNEL, chat_id="group", area="DZ"),
            IntakeGroup(channel=CHANNEL, chat_id="west", area="XC"),
        ],
        staff_chat=ChatRef(channel=CHANNEL, chat_id="staff"),
        people=[
            PersonConfig(channel=CHANNEL, user_id="worker1", role=Role.GRID_WORKER, area="DZ"),
            PersonConfig(channel=CHANNEL, user_id="worker2", role=Role.GRID_WORKER, area="DZ"),
            PersonConfig(channel=CHANNEL, user_id="westworker", role=Role.GRID_WORKER, area="XC"),
            PersonConfig(channel=CHANNEL, user_id="staff1", role=Role.STAFF),
            PersonConfig(channel=CHANNEL, user_id="admin1", role=Role.ADMIN),
        ],
    )


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "intake.db"


@pytest.fixture
async def harness(db_path: Path) -> AsyncIterator[Harness]:
    adapter = HarnessAdapter()
    async with Bot(make_config(db_path), [adapter], classifier=KeywordClassifier()) as bot:
        yield Harness(bot, adapter)


def texts(messages: list) -> list[str]:  # type: ignore[type-arg]
    return [m.text for m in messages]
