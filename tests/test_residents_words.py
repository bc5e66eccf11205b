"""What villagers write in a residents' group, as they write it, through the real pipeline:
a greeting said to the bot ("@综治助手 在吗") is talk, not a report; asking whether this is the
place to report ("这里能投诉吗") is answered with the help; "啥时候来人啊" presses the sender's
one ticket, as "什么时候来修啊" does."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.adapters.harness import Harness
from bot.commands import is_greeting
from bot.repeats import repeated_ticket
from classifier import Classification
from tests.conftest import KeywordClassifier, StoreFactory, harness_with, make_config, rows, texts
from tests.test_repeats import _ticket


async def _tickets(h: Harness) -> int:
    [(count,)] = await rows(h.bot.store, "SELECT COUNT(*) FROM tickets")
    return int(count)


@pytest.mark.parametrize(
    "text",
    [
        "@综治助手 在不在",
        "机器人在不在？",
        "在不在 @DongzhenIntakeBot",
        "@综治助手\u2005你好",
        "综治助手你好",
        "在吗在吗",
        "大家好 在不在",
    ],
)
async def test_a_greeting_said_to_the_bot_is_talk_in_the_group(harness: Harness, text: str) -> None:
    """The model read "@综治助手 在吗" as an urgent report (the stand-in reads 在不在 so):
    a ticket about nothing, escalated in 30 minutes, and the bot answering small talk."""
    assert is_greeting(text)
    assert await harness.say("resident1", text) == []
    assert await _tickets(harness) == 0


async def test_a_report_after_a_greeting_is_still_filed(harness: Harness) -> None:
    replies = await harness.say("resident1", "@综治助手 你好 楼上那家人下来打人了")
    assert "工单号 #1" in texts(replies)[0]
    assert not is_greeting("@王网格员 你好 我家的狗丢了")


async def test_a_greeting_one_to_one_is_still_answered_with_help(harness: Harness) -> None:
    replies = texts(await harness.say("resident1", "@综治助手 你好", private=True))
    assert "直接在群里描述问题即可登记" in replies[0]


@pytest.mark.parametrize(
    "text",
    [
        "你好，请问这里可以反映问题吗",
        "请问可以在这里反映问题吗？",
        "这里能投诉吗",
        "能不能在群里举报",
        "你们是政府的吗",
        "这个机器人是哪个部门的",
    ],
)
async def test_asking_whether_this_is_the_place_gets_the_help(harness: Harness, text: str) -> None:
    """Each was filed as a ticket (待人工研判), and the sender's next words joined it."""
    replies = texts(await harness.say("resident1", text))
    assert len(replies) == 1 and "直接在群里描述问题即可登记" in replies[0], text
    assert await _tickets(harness) == 0


@pytest.mark.parametrize("text", ["这里能投诉物业吗", "能不能举报隔壁天天赌博"])
async def test_with_an_object_it_is_a_question_for_the_desk(harness: Harness, text: str) -> None:
    assert "工单号 #1" in texts(await harness.say("resident1", text))[0]


@pytest.mark.parametrize(
    "text", ["啥时候来人啊", "咋还没人来", "怎么还没有人联系我", "什么时候能来", "怎么没人回复"]
)
def test_pressing_in_everyday_words_nudges_the_one_ticket(text: str) -> None:
    """A nudge: "啥时候来人啊" after a report was filed as a ticket of its own (the model: urgent),
    and the sender's next nudges, with two tickets to choose from, each one more."""
    ditch = _ticket(1, "村东头老李家把排水沟堵了 下雨水全流我家院子里")
    filed = Classification("other", 0.5, "urgent", 0.6, (), True)
    assert repeated_ticket(text, filed, [ditch]) is ditch


async def test_a_nudge_joins_the_report_through_the_pipeline(harness: Harness) -> None:
    await harness.say("resident1", "村东头老李家把排水沟堵了 下雨水全流我家院子里")
    replies = texts(await harness.say("resident1", "啥时候来人啊"))
    assert replies[0].startswith("您已反映过此事，已补充到工单 #1")
    # Joined too, not filed; the group was answered of this ticket a moment ago, and is
    # not answered again (`bot.pipeline.REPEAT_SAID_EVERY`).
    assert texts(await harness.say("resident1", "怎么还没有人联系我")) == []
    assert await _tickets(harness) == 1


async def test_a_command_word_alone_shows_the_residents_own_ticket(harness: Harness) -> None:
    """Alone, 撤回 was answered "用法：撤回 12 原因" to one whose ticket is #1."""
    assert texts(await harness.say("resident1", "撤回")) == ["用法：撤回 12 原因"]
    await harness.say("resident1", "楼上天天半夜剁肉，吵得睡不着")
    assert texts(await harness.say("resident1", "撤回")) == ["用法：撤回 1 原因"]
    assert texts(await harness.say("resident1", "重开")) == ["用法：重开 12"]  # none resolved
    await harness.say("resident1", "村口的路灯坏了")  # two open: which one is theirs to say
    assert texts(await harness.say("resident1", "撤回")) == ["用法：撤回 12 原因"]
    # A private report's number is never shown in the group.
    await harness.say("resident2", "收到")  # seen in the group: its grid takes theirs
    await harness.say("resident2", "我想私下反映村干部优亲厚友", private=True)
    assert texts(await harness.say("resident2", "撤回")) == ["用法：撤回 12 原因"]
    assert texts(await harness.say("resident2", "撤回", private=True)) == ["用法：撤回 3 原因"]


class LampModel(KeywordClassifier):
    """A street lamp is no type of the taxonomy: the model reads it as 其他."""

    def classify(self, text: str) -> Classification:
        if "路灯" in text or "赶紧" in text:
            return Classification("other", 0.4, "normal", 0.7, (), True)
        return super().classify(text)


async def test_a_neighbours_me_too_in_reply_is_a_report_of_theirs(
    db_path: Path, new_store: StoreFactory
) -> None:
    """ "我家也是 路灯不亮好几天了" under a neighbour's acknowledgement was added to it (the
    model: 其他): they read 已补充到工单 #1, then 没有找到工单 #1 when they asked, and were never
    told the outcome.  A neighbour's "赶紧处理一下吧" (其他 too) still joins it."""
    async with harness_with(make_config(db_path), new_store(), classifier=LampModel()) as h:
        await h.say("resident1", "村口的路灯坏了一个月了")
        filed = await h.say("resident2", "我家也是 路灯不亮好几天了", reply_to="m1")
        assert "工单号 #2" in next(m for m in filed if m.kind == "ack").text
        assert any("疑似与工单 #1 为同一事件" in m.text for m in filed if m.chat_id == "staff")
        assert texts(await h.say("resident2", "查询 2"))[0].startswith("工单 #2｜待认领")
        pressed = await h.say("resident2", "赶紧处理一下吧", reply_to="m1")
        assert texts(pressed) == ["已补充到工单 #1。"]
        assert await _tickets(h) == 2


class ImpatientModel(KeywordClassifier):
    """The shipped model read "啥时候来人啊" as urgent (其他)."""

    def classify(self, text: str) -> Classification:
        if "来人" in text or "井盖" in text:
            return Classification("other", 0.4, "urgent", 0.6, (), True)
        return super().classify(text)


async def test_a_nudge_the_model_calls_urgent_is_not_put_to_the_staff_room(
    db_path: Path, new_store: StoreFactory
) -> None:
    """It joined the ticket, and the staff room read 模型判断可能紧急…请核实：啥时候来人啊, a
    check of nothing.  A "still" that names a thing the model calls urgent is still put to it."""
    async with harness_with(make_config(db_path), new_store(), classifier=ImpatientModel()) as h:
        await h.say("resident1", "小区东门的井盖没了")
        await h.say("staff1", "改标 1 其他 一般", chat="staff")
        nudged = await h.say("resident1", "啥时候来人啊")
        assert texts(nudged)[0].startswith("您已反映过此事，已补充到工单 #1")
        assert [m for m in nudged if m.chat_id == "staff"] == []
        again = await h.say("resident1", "井盖还没装上")
        assert any("模型判断可能紧急" in m.text for m in again if m.chat_id == "staff")
