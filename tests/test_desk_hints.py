"""A desk member's plain words about one ticket ("1号办好了", "3号需要派出所处理", "5号我来
处理") are answered with the command that does it, and not carried out; a resident's words,
a question, a ticket the sender may not act on: as before.  Through the real pipeline, both
engines (`bot.desk_hints`)."""

from __future__ import annotations

import pytest

from bot.adapters.harness import Harness
from bot.desk_hints import Said, read
from bot.workflow import Action
from tests.conftest import rows, texts

RESOLVE_HINT = "要办结工单 #1，请发送「办结 1 处理结果」，如「办结 1 已上门调解，双方和解」。"
CLAIM_HINT = "要认领工单 #1，请发送「认领 1」。"


async def statuses(h: Harness) -> list[tuple[int, str, object]]:
    """(id, status, department) of every ticket."""
    found = await rows(h.bot.store, "SELECT id, status, department FROM tickets ORDER BY id")
    return [(int(i), str(s), d) for i, s, d in found]


async def reported(h: Harness) -> None:
    """Ticket #1, reported by resident1 in the group of area DZ (worker1's and worker2's)."""
    await h.say("resident1", "楼上漏水三天了，物业不管")


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("1号办好了", Said(Action.RESOLVE, 1)),
        ("#1 已经处理好了", Said(Action.RESOLVE, 1)),
        ("1号调解成功了", Said(Action.RESOLVE, 1)),
        ("1 号办完了", Said(Action.RESOLVE, 1)),
        ("工单12已化解", Said(Action.RESOLVE, 12)),
        ("第3号解决了，双方已和解", Said(Action.RESOLVE, 3)),
        ("5号我处理好了", Said(Action.RESOLVE, 5)),
        ("3号需要派出所处理", Said(Action.DISPATCH, 3, "派出所")),
        ("3号转给司法所", Said(Action.DISPATCH, 3, "司法所")),
        ("把3号移交给PCS吧", Said(Action.DISPATCH, 3, "PCS")),
        ("3号应由司法来调解", Said(Action.DISPATCH, 3, "司法")),
        ("5号我来处理", Said(Action.CLAIM, 5)),
        ("5号我去看看", Said(Action.CLAIM, 5)),
        ("2号我认领了", Said(Action.CLAIM, 2)),
        ("好的，#5 我来跟，下午过去", Said(Action.CLAIM, 5)),
        ("5号交给我吧", Said(Action.CLAIM, 5)),
        # Not a claim that it was done, nor one ticket, nor a ticket at all.
        ("1号办好了吗？", None),
        ("1号办好了没", None),
        ("1号办好了吧", None),
        ("1号还没办好", None),
        ("1号没有处理好", None),
        ("3号需要派出所处理吗", None),
        ("1号和2号办好了", None),
        ("1号办好了，2号明天去", None),
        ("3号楼办好了", None),
        ("3号楼漏水", None),
        ("1号处理", None),
        # In English, for a desk member who reads it (/lang en).
        ("#1 is done", Said(Action.RESOLVE, 1)),
        ("ticket 1 resolved, both sides agreed", Said(Action.RESOLVE, 1)),
        ("Ticket #12 has been sorted out.", Said(Action.RESOLVE, 12)),
        ("#3 needs PCS", Said(Action.DISPATCH, 3, "PCS")),
        ("please hand #4 over to the SFS", Said(Action.DISPATCH, 4, "SFS")),
        ("I'll take #5", Said(Action.CLAIM, 5)),
        ("I'm on ticket 5, going this afternoon", Said(Action.CLAIM, 5)),
        ("#5 is mine", Said(Action.CLAIM, 5)),
        ("is #1 done", None),
        ("#1 done?", None),
        ("#1 is not done", None),
        ("#1 and #2 are done", None),
        ("5 is done", None),  # a number not marked as a ticket's
        ("1号我来", None),  # also "I will come on the 1st"
        ("办好了", None),
    ],
)
def test_what_is_read_from_the_words(text: str, said: Said | None) -> None:
    assert read(text) == said


async def test_resolved_in_words_is_answered_with_the_command(harness: Harness) -> None:
    await reported(harness)
    for text in ("1号办好了", "#1 已经处理好了", "1号调解成功了", "工单1处理完了", "第1号已化解"):
        replies = await harness.say("worker1", text)
        assert texts(replies) == [RESOLVE_HINT], text
        assert replies[0].chat_id == "group" and replies[0].reply_to_message_id is not None
    # Only a hint: the ticket is neither claimed nor resolved, the reporter told nothing.
    assert await statuses(harness) == [(1, "new", None)]


async def test_an_english_readers_words_are_answered_in_english(harness: Harness) -> None:
    await reported(harness)
    await harness.say("worker1", "/lang en")
    [hint] = texts(await harness.say("worker1", "#1 is done"))
    assert hint.startswith("To resolve ticket #1, send /resolve 1 ")
    [hint] = texts(await harness.say("worker1", "I'll take #1"))
    assert hint.startswith("To claim ticket #1, send /claim 1")
    assert await statuses(harness) == [(1, "new", None)]


async def test_a_claim_in_words_is_answered_with_the_command(harness: Harness) -> None:
    await reported(harness)
    for text in ("1号我来处理", "1号我去看看", "1号我认领了", "1号我接了", "我去看看1号"):
        assert texts(await harness.say("worker2", text)) == [CLAIM_HINT], text
    assert await statuses(harness) == [(1, "new", None)]


async def test_only_what_the_sender_may_do_is_hinted(harness: Harness) -> None:
    """A ticket another worker holds may be neither claimed nor resolved by worker2; one of
    another grid's is not theirs to see (nothing tells westworker #1 exists); nor one that
    does not exist."""
    await reported(harness)
    await harness.say("worker1", "认领 1")
    assert await harness.say("worker2", "1号我来处理") == []
    assert await harness.say("worker2", "1号办好了") == []
    assert await harness.say("westworker", "1号办好了", chat="west") == []
    assert await harness.say("westworker", "1号我来处理", chat="west") == []
    assert await harness.say("worker1", "9号办好了") == []
    # The holder may resolve it, and is told how; claiming it again is nothing to hint.
    assert texts(await harness.say("worker1", "1号处理好了")) == [RESOLVE_HINT]
    assert await harness.say("worker1", "1号我来处理") == []
    assert await statuses(harness) == [(1, "claimed", None)]


async def test_a_question_or_a_denial_is_no_hint(harness: Harness) -> None:
    await reported(harness)
    asked = texts(await harness.say("worker1", "1号办好了吗？"))
    assert asked and not any("要办结" in t for t in asked)  # the status, as before
    assert await harness.say("worker1", "1号还没办好") == []
    assert await harness.say("worker1", "1号和2号办好了") == []
    assert await statuses(harness) == [(1, "new", None)]


async def test_a_residents_same_words_are_theirs_as_before(harness: Harness) -> None:
    """ "3号楼漏水" is a report; "1号办好了" from the reporter of #1 or another resident is no
    hint: residents' messages are reports or talk, exactly as before."""
    await reported(harness)
    filed = texts(await harness.say("resident2", "3号楼漏水"))
    assert any("工单号 #2" in t for t in filed)
    for who in ("resident1", "resident2"):
        for text in ("1号办好了", "1号我来处理", "1号需要派出所处理", "1号办好了吗"):
            said = texts(await harness.say(who, text))
            assert not any("请发送「办结" in t or "请发送「认领" in t for t in said), (who, text)
    assert (1, "new", None) in await statuses(harness)


async def test_routing_in_words(departments: Harness) -> None:
    """Staff are told the 转办 that hands it on (a department named by its name, its start
    or its code); a grid worker, who may not hand a ticket on, how to note where it should
    go; a name that is no department is no hint."""
    h = departments
    await reported(h)
    said = texts(await h.say("staff1", "1号需要派出所处理", chat="staff"))
    assert said == ["要转办工单 #1，请发送「转办 1 派出所」。"]
    assert texts(await h.say("staff1", "1号转给司法", chat="staff")) == [
        "要转办工单 #1，请发送「转办 1 司法所」。"
    ]
    assert texts(await h.say("staff1", "把1号交给 PCS", chat="staff")) == [
        "要转办工单 #1，请发送「转办 1 派出所」。"
    ]
    assert texts(await h.say("worker1", "1号需要派出所处理")) == [
        "转办工单由中心工作人员操作。请发送「备注 1 需要派出所处理」记在工单 #1 上，并请中心转办。"
    ]
    assert await h.say("worker1", "1号需要网格长处理") == []
    assert await h.say("westworker", "1号转给司法所", chat="west") == []
    assert await statuses(h) == [(1, "new", None)]
    # Already the police's: no hint to hand it to them again.
    await h.say("staff1", "转办 1 派出所", chat="staff")
    assert await h.say("staff1", "1号转给派出所", chat="staff") == []


async def test_one_to_one_the_hint_replaces_not_a_command(harness: Harness) -> None:
    await reported(harness)
    assert texts(await harness.say("worker1", "1号办好了", private=True)) == [RESOLVE_HINT]
    told = texts(await harness.say("worker1", "今天走访了三户", private=True))
    assert told == ["这条消息不是命令，没有登记。发送 /help 查看可用命令。"]


async def test_in_english(harness: Harness) -> None:
    await reported(harness)
    await harness.say("worker1", "/lang en")
    assert texts(await harness.say("worker1", "1号办好了")) == [
        "To resolve ticket #1, send /resolve 1 with the outcome, e.g. "
        "/resolve 1 Visited both sides, they settled."
    ]
    assert texts(await harness.say("worker1", "1号我来处理")) == [
        "To claim ticket #1, send /claim 1."
    ]
