"""Residents asking about their own report in plain words, through the real pipeline on
both engines: "我反映的事怎么样了" is answered as /mine, "12号那个事到哪一步了" as /status 12,
with the same permissions and the same group privacy, and neither makes a ticket."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot.adapters.harness import Harness
from bot.workflow import Action
from classifier import Classification
from tests.conftest import KeywordClassifier, StoreFactory, harness_with, make_config, rows, texts
from tests.test_commands import NOT_PROGRESS_QUESTIONS, PROGRESS_QUESTIONS


@dataclass
class RecordingClassifier(KeywordClassifier):
    """The workflow tests' stand-in model, noting every text it is asked about."""

    seen: list[str] = field(default_factory=list)

    def classify(self, text: str) -> Classification:
        self.seen.append(text)
        return super().classify(text)


@dataclass
class Desk:
    h: Harness
    classifier: RecordingClassifier

    async def tickets(self) -> int:
        [(count,)] = await rows(self.h.bot.store, "SELECT COUNT(*) FROM tickets")
        return int(count)


@pytest.fixture
async def desk(db_path: Path, new_store: StoreFactory) -> AsyncIterator[Desk]:
    config, classifier = make_config(db_path), RecordingClassifier()
    async with harness_with(config, new_store(), classifier=classifier) as h:
        yield Desk(h, classifier)


async def test_every_listed_question_is_answered_as_its_command(desk: Desk) -> None:
    """Each phrasing gets exactly the reply its command gets, and makes no ticket."""
    for n in range(1, 13):  # resident1 reports tickets #1..#12, so /status 12 finds one
        await desk.h.say("resident1", f"楼道第{n}层的灯坏了")
    await desk.h.say("worker1", "认领 12")
    seen = len(desk.classifier.seen)
    answers = {
        Action.MINE: texts(await desk.h.say("resident1", "我的")),
        Action.STATUS: texts(await desk.h.say("resident1", "查询 12")),
    }
    assert "#12｜处理中" in answers[Action.MINE][0]
    assert answers[Action.STATUS][0].startswith("工单 #12｜处理中")
    for text, command in PROGRESS_QUESTIONS:
        replies = await desk.h.say("resident1", text)
        assert texts(replies) == answers[command.action], text
        assert [m.kind for m in replies] == ["reply"], text
    assert await desk.tickets() == 12
    assert len(desk.classifier.seen) == seen  # none of them went to the classifier
    # Recorded as commands, so none waits in the workers' list of unfiled chatter either.
    assert texts(await desk.h.say("worker1", "未立案")) == ["没有未立案的群消息。"]


async def test_reports_and_chatter_still_go_to_the_classifier(desk: Desk) -> None:
    """The negatives are not commands: the model decides (the stand-in files them all).
    Each from a resident of its own, or one person's "还没人管" would join their first ticket
    (`bot.repeats`, tests/test_repeats.py)."""
    for number, text in enumerate(NOT_PROGRESS_QUESTIONS, start=1):
        replies = await desk.h.say(f"villager{number}", text)
        ack = next(m for m in replies if m.kind == "ack")
        assert f"工单号 #{number}。" in ack.text, text
    assert desk.classifier.seen == NOT_PROGRESS_QUESTIONS
    assert await desk.tickets() == len(NOT_PROGRESS_QUESTIONS)


async def test_a_report_with_new_facts_is_filed_a_question_is_not(desk: Desk) -> None:
    await desk.h.say("resident1", "楼道漏水，墙皮都泡掉了")
    asked = await desk.h.say("resident1", "我反映的事有人管吗？")
    assert texts(asked) == [texts(await desk.h.say("resident1", "/mine"))[0]]
    assert "#1｜待认领" in asked[0].text and await desk.tickets() == 1
    # New facts go to the classifier; about the same leak, they join the open ticket.
    seen = len(desk.classifier.seen)
    again = await desk.h.say("resident1", "我反映的楼道漏水一个月了还没人管，今天又漏了")
    assert len(desk.classifier.seen) == seen + 1
    assert texts(again)[0].startswith("您已反映过此事，已补充到工单 #1")
    assert await desk.tickets() == 1
    other = await desk.h.say("resident1", "我投诉隔壁饭店油烟太大")
    assert "工单号 #2。" in next(m for m in other if m.kind == "ack").text


async def test_asking_about_someone_elses_number_reads_as_a_missing_one(desk: Desk) -> None:
    """A resident sees only their own tickets, and cannot tell "not yours" from "none"."""
    await desk.h.say("resident1", "我家被隔壁占了两米宅基地")
    theirs = texts(await desk.h.say("resident2", "1号那个事到哪一步了"))
    missing = texts(await desk.h.say("resident2", "99号那个事到哪一步了"))
    assert theirs == ["没有找到工单 #1，或您无权查看。"]
    assert missing == ["没有找到工单 #99，或您无权查看。"]
    assert theirs == texts(await desk.h.say("resident2", "查询 1"))
    assert texts(await desk.h.say("resident2", "我反映的事怎么样了")) == ["暂无记录。"]
    # The reporter and the area's worker do see it, as with 查询 1.
    assert texts(await desk.h.say("resident1", "#1 进度怎么样了"))[0].startswith("工单 #1｜待认领")
    assert texts(await desk.h.say("worker1", "1号那个事到哪一步了"))[0].startswith("工单 #1")
    assert await desk.tickets() == 1


async def test_in_a_group_the_answer_is_the_commands_answer_there(desk: Desk) -> None:
    """/mine and /status answer in the group, as a reply, with phone numbers masked (as
    everything the bot posts in an intake group); privately, in full.  A question in
    words is answered in exactly the same way."""
    await desk.h.say("resident1", "楼道堆满杂物，联系电话13812345678")
    await desk.h.say("worker1", "认领 1")
    await desk.h.say("worker1", "办结 1 已清理，物业电话13987654321")

    asked = await desk.h.say("resident1", "我反映的事有人管吗？", message_id="q1")
    [reply] = asked
    assert (reply.chat_id, reply.reply_to_message_id) == ("group", "q1")
    assert "138****5678" in reply.text and "13812345678" not in reply.text
    assert texts(asked) == texts(await desk.h.say("resident1", "/mine"))

    status = await desk.h.say("resident1", "1号那个事到哪一步了", message_id="q2")
    assert [(m.chat_id, m.reply_to_message_id) for m in status] == [("group", "q2")]
    assert "139****4321" in status[0].text and "13987654321" not in status[0].text
    assert texts(status) == texts(await desk.h.say("resident1", "/status 1"))

    private = await desk.h.say("resident1", "我反映的事有人管吗？", private=True)
    assert private[0].chat_id == "resident1" and "13812345678" in private[0].text
    assert texts(private) == texts(await desk.h.say("resident1", "我的", private=True))
    assert await desk.tickets() == 1


async def test_in_english(db_path: Path, new_store: StoreFactory) -> None:
    config = make_config(db_path, language="en")
    async with harness_with(config, new_store()) as h:
        await h.say("resident1", "the stairwell light has been broken for a week")
        mine = texts(await h.say("resident1", "Any update on my report?"))
        assert mine[0].startswith("Your reports:\n#1 | new")
        assert mine == texts(await h.say("resident1", "/mine"))
        status = texts(await h.say("resident2", "status of ticket 1?"))
        assert status == ["Ticket #1 was not found, or you may not see it."]
        # The list names the urgency short: "High", not "High: escalating, many affected, …";
        # and a resident's own list leaves out the desk's flag (needs triage).
        await h.say("resident1", "my neighbour keeps saying 不想活了")
        [listed] = texts(await h.say("resident1", "my status"))
        assert "\n#2 | new | High | my neighbour" in listed, listed
