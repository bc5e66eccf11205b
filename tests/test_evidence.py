"""Pictures after a report (补充材料), through the harness on SQLite and PostgreSQL, on an
injected clock: people send the words, then the photos, as separate messages (a Telegram
album is one message per picture).  Those photos are the report's evidence, not reports of
their own."""

from __future__ import annotations

from bot.adapters.base import Attachment, Outbound
from classifier import Classification
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
    history = (await desk.h.say("worker1", "/ticket 1", private=True))[0].text
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


async def test_a_photo_in_another_forum_topic_is_not_the_reports(desk: Desk) -> None:
    """A Telegram forum's topic is a conversation of its own: a photo posted in another
    topic right after a report is about whatever that topic is, not added to the report."""
    await desk.h.say("resident1", NORMAL, thread_id="7")  # #1, in topic 7
    elsewhere = await desk.h.say("resident1", "", attachments=(PHOTO,), thread_id="9")
    assert any(m.kind == "ack" and "工单号 #2" in m.text for m in elsewhere)
    same = await desk.h.say("resident1", "", attachments=(PHOTO_2,), thread_id="7")
    assert texts(same) == ["图片/材料已补充到工单 #1。"]
    assert await rows(desk.bot.store, "SELECT id, thread_id FROM tickets ORDER BY id") == [
        (1, "7"),
        (2, "9"),
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


async def test_pictures_first_then_the_words_make_one_case(desk: Desk) -> None:
    """The other order: the photo is filed at once (it may be all there is), and when the
    words follow, they are filed with everything a report gets and the photo's ticket goes
    into theirs, so the desk has one case."""
    photo = await desk.h.say("resident1", "", attachments=(PHOTO,))  # #1, pictures only
    assert any(m.kind == "ack" and "工单号 #1" in m.text for m in photo)
    desk.clock.now = START + at(minutes=2)
    words = await desk.h.say("resident1", "村口有人打人了")  # #2: urgent, read from the words
    ack = next(m for m in words if m.kind == "ack")
    assert "工单号 #2" in ack.text and "紧急" in ack.text
    [edit] = [m for m in words if m.kind == "edit"]  # #1's acknowledgement
    assert edit.text.endswith("当前：已并案") and edit.buttons == []
    assert "工单 #1（只有图片/材料）已并入工单 #2：同一居民随后补充了文字说明。" in [
        m.text for m in words if m.chat_id == "staff"
    ]
    assert await rows(
        desk.bot.store, "SELECT id, status, merged_into FROM tickets ORDER BY id"
    ) == [(1, "merged", 2), (2, "new", None)]
    history = (await desk.h.say("staff1", "/ticket 2", chat="staff"))[0].text
    assert "系统 并入 #1" in history and "photo:p1" in history
    # One case in the figures.
    assert "\n受理 1 件，" in (await desk.h.say("staff1", "统计"))[0].text


async def test_pictures_a_worker_took_up_are_left_alone(desk: Desk) -> None:
    await desk.h.say("resident1", "", attachments=(PHOTO,))  # #1
    await desk.h.say("worker1", "认领 1")
    await desk.h.say("resident1", "楼道灯坏了一个月")  # #2, on its own
    assert await rows(desk.bot.store, "SELECT id, status FROM tickets ORDER BY id") == [
        (1, "claimed"),
        (2, "new"),
    ]


async def test_one_resolution_notice_and_one_visit_for_the_folded_case(desk: Desk) -> None:
    await desk.h.say("resident1", "我的", private=True)  # reachable for the visit
    await desk.h.say("resident1", "", attachments=(PHOTO,))  # #1
    await desk.h.say("resident1", NORMAL)  # #2, #1 folded into it
    await desk.h.say("worker1", "认领 2")
    done = await desk.h.say("worker1", "办结 2 已换灯泡")
    assert [m.reply_to_message_id for m in done if m.kind == "resolved"] == ["u3"]  # the words
    report, sent = await desk.sweep_at(at(days=1, hours=1))
    assert report.asked == 1
    assert [m.text.splitlines()[0] for m in sent] == [
        "您好！您反映的问题（工单 #2）已办结：已换灯泡"
    ]


class ReadsNothingAsChatter:
    """The model on a message with no words, as the real one reads it: not a report."""

    def classify(self, text: str) -> Classification:
        if text.strip() in ("", "大家看看"):
            return Classification("not_a_report", 1.0, "low", 1.0)
        return Classification("neighbour", 0.9, "normal", 0.8)


async def test_a_photo_alone_is_filed_for_a_person_to_type(desk: Desk) -> None:
    """A typhoon night: a resident posts a photo of the flood, no words.  It is filed (it
    may be all there is), but it was filed typed 非报事消息 (the model's reading of no
    words), and the resident read "类型：非报事消息" in its acknowledgement."""
    desk.bot.pipeline.classifier = ReadsNothingAsChatter()
    alone = await desk.h.say("resident1", "", attachments=(PHOTO,))
    [ack] = [m for m in alone if m.kind == "ack"]
    assert "工单号 #1" in ack.text and "类型：待工作人员确认" in ack.text
    assert "非报事" not in ack.text
    [staff] = [m.text for m in alone if m.chat_id == "staff"]
    assert "｜其他｜" in staff and "需人工研判" in staff and "非报事" not in staff
    # Words that say nothing with a picture: the same.
    worded = await desk.h.say("resident2", "大家看看", attachments=(PHOTO_2,))
    assert any(m.kind == "ack" and "工单号 #2" in m.text for m in worded)
    filed = await rows(
        desk.bot.store, "SELECT id, type, needs_triage, urgency FROM tickets ORDER BY id"
    )
    # At least 一般: the model's 咨询/建议 for no words gave the flood's photo 7 working days.
    assert [(n, kind, bool(triage), level) for n, kind, triage, level in filed] == [
        (1, "other", True, "normal"),
        (2, "other", True, "normal"),
    ]
    # Words alone that say nothing are still chatter.
    assert await desk.h.say("resident3", "大家看看") == []
