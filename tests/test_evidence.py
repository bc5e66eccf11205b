"""Pictures after a report (补充材料), through the harness on SQLite and PostgreSQL, on an
injected clock: people send the words, then the photos, as separate messages (a Telegram
album is one message per picture).  Those photos are the report's evidence, not reports of
their own."""

from __future__ import annotations

from bot.adapters.base import Attachment, Outbound
from tests.conftest import rows
from tests.test_supervision import NORMAL, START, Desk, at

PHOTO, PHOTO_2, VOICE = (
    Attachment("photo", "p1"),
    Attachment("photo", "p2"),
    Attachment("voice", "v1"),
)


def texts(sent: list[Outbound]) -> list[str]:
    return [m.text for m in sent]


async def test_photos_after_a_report_join_it_and_are_acknowledged_once(desk: Desk) -> None:
    await desk.h.say("resident1", NORMAL)  # #1
    first = await desk.h.say("resident1", "", attachments=(PHOTO,))
    assert [(m.kind, m.chat_id, m.text) for m in first] == [
        ("reply", "group", "图片/材料已补充到工单 #1。")
    ]
    # The rest of the album: kept, and quiet (one acknowledgement for a burst).
    assert await desk.h.say("resident1", "", attachments=(PHOTO_2,)) == []
    desk.clock.now = START + at(minutes=20)
    assert texts(await desk.h.say("resident1", "", attachments=(VOICE,))) == [
        "图片/材料已补充到工单 #1。"
    ]
    assert await rows(desk.bot.store, "SELECT COUNT(*) FROM tickets") == [(1,)]
    history = (await desk.h.say("worker1", "/ticket 1"))[0].text
    assert "photo:p1, photo:p2, voice:v1" in history


async def test_a_photo_later_or_elsewhere_is_a_report_of_its_own(desk: Desk) -> None:
    await desk.h.say("resident1", NORMAL)  # #1, in the DZ group
    desk.clock.now = START + at(minutes=31)
    late = await desk.h.say("resident1", "", attachments=(PHOTO,))
    assert any(m.kind == "ack" and "工单号 #2" in m.text for m in late)
    # Another chat, another person: never someone else's ticket.
    await desk.h.say("resident1", "", attachments=(PHOTO_2,), chat="west")
    await desk.h.say("resident2", "", attachments=(VOICE,))
    filed = await rows(
        desk.bot.store,
        "SELECT t.id, p.user_id, t.chat_id FROM tickets t JOIN people p ON p.id = t.reporter_id"
        " ORDER BY t.id",
    )
    assert filed == [
        (1, "resident1", "group"),
        (2, "resident1", "group"),
        (3, "resident1", "west"),
        (4, "resident2", "group"),
    ]


async def test_words_with_the_photo_are_read_as_any_message(desk: Desk) -> None:
    await desk.h.say("resident1", NORMAL)
    other = await desk.h.say("resident1", "还有小区门口的垃圾也没人清", attachments=(PHOTO,))
    assert any(m.kind == "ack" and "工单号 #2" in m.text for m in other)


async def test_not_for_a_resolved_ticket(desk: Desk) -> None:
    await desk.h.say("resident1", NORMAL)
    await desk.h.say("worker1", "认领 1")
    await desk.h.say("worker1", "办结 1 已换灯泡")
    after = await desk.h.say("resident1", "", attachments=(PHOTO,))
    assert any(m.kind == "ack" and "工单号 #2" in m.text for m in after)
