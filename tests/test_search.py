"""Finding tickets by their words (查找, /search), on SQLite and PostgreSQL: the report, the
outcome, the notes and additions, the reporter's name and phone numbers are searched; every
word must occur; only what the searcher may open is listed; a resident's "查找 …" is a
message of theirs, not a search."""

from __future__ import annotations

import random

import pytest

from bot.commands import Command, CommandError, parse, search_terms
from bot.desk import LIST_LIMIT, view
from bot.workflow import Action, Actor, Role, can_see, search_scope
from storage.base import NewTicket, Store, TicketSearch
from tests.conftest import StoreFactory, rows
from tests.test_private_reports import SECRET, private_report
from tests.test_supervision import START, ZONE, Desk

T0 = "2026-11-29T01:00:00.000Z"


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("查找 3栋 漏水", Command(Action.SEARCH, None, "3栋 漏水")),
        ("搜索：张大妈", Command(Action.SEARCH, None, "张大妈")),
        ("检索  13812345678 DZ", Command(Action.SEARCH, None, "13812345678 DZ")),
        ("/search 漏水", Command(Action.SEARCH, None, "漏水")),
        ("/search@IntakeBot leak", Command(Action.SEARCH, None, "leak")),
        # No separator: words of a report, not a search.
        ("查找漏水点要花多少钱", None),
    ],
)
def test_the_words_for_it(text: str, command: Command | None) -> None:
    assert parse(text) == command


def test_a_search_needs_words() -> None:
    with pytest.raises(CommandError) as raised:
        parse("/search")
    assert raised.value.key == "usage"


def test_search_terms_split_at_spaces_and_commas_without_quotes() -> None:
    assert search_terms("“漏水”，3栋  漏水、「张大妈」") == ("漏水", "3栋", "张大妈")
    assert search_terms(" ，、 ") == ()


async def test_staff_find_a_ticket_by_what_was_said_anywhere_in_it(desk: Desk) -> None:
    h = desk.h
    await h.say("resident1", "3栋楼道漏水好几天了，电话13812345678")
    await h.say("resident2", "小区门口垃圾没人清运")
    await h.say("resident3", "5栋电梯坏了")
    await h.say("worker1", "认领 1")
    await h.say("worker1", "备注 1 已联系物业，明天来修水管")
    await h.say("worker1", "办结 1 物业已更换漏水的管道")
    await h.say("resident2", "垃圾桶也满了", reply_to="u2")  # to the report

    async def found(words: str) -> list[str]:
        reply = (await h.say("staff1", f"查找 {words}", chat="staff"))[0].text
        return [line.split("｜")[0] for line in reply.splitlines()[1:]]

    assert await found("漏水") == ["#1"]  # the report and the outcome
    assert await found("水管") == ["#1"]  # a note
    assert await found("13812345678") == ["#1"]  # a phone number in the report
    assert await found("resident3") == ["#3"]  # the reporter's name
    # Every word must occur (in any of those places), newest first.
    assert await found("栋") == ["#3", "#1"]
    assert await found("栋 电梯") == ["#3"]
    assert (await h.say("staff1", "查找 栋 暖气", chat="staff"))[0].text == (
        "没有找到含“栋、暖气”的工单（全部网格）。"
    )


async def test_an_addition_by_reply_is_searched_too(desk: Desk) -> None:
    h = desk.h
    await h.say("resident1", "小区门口垃圾没人清运")
    await h.say("resident1", "就在东门旁边的花坛", reply_to="u1")  # to the report
    reply = (await h.say("staff1", "/search 花坛", chat="staff"))[0].text
    assert reply.splitlines()[1].startswith("#1｜")


async def test_a_line_shows_when_it_was_filed_and_where_it_stands(desk: Desk) -> None:
    await desk.h.say("resident1", "小区门口垃圾没人清运")
    reply = (await desk.h.say("staff1", "查找 垃圾", chat="staff"))[0].text
    header, line = reply.splitlines()
    assert header == "含“垃圾”的工单（全部网格），最新的在前："
    assert line == f"#1｜{START.astimezone(ZONE).date()}｜待认领｜一般｜小区门口垃圾没人清运"


async def test_words_are_matched_as_written_not_as_patterns(desk: Desk) -> None:
    """`%` and `_` are themselves, and a word that names a key of the stored history
    ("text", "via") finds only tickets that say it."""
    h = desk.h
    await h.say("resident1", "物业费涨了50%，没开会")
    await h.say("resident2", "楼下超市卖过期牛奶")
    await h.say("worker1", '备注 2 已转市场监管所，批号"A7"')
    cases = [("%", ["#1"]), ("50%", ["#1"]), ("_", []), ("text", []), ("via", [])]
    # A quote is escaped in the stored history: still found.
    cases += [('批号"A7', ["#2"]), ("批号A7", [])]
    for word, expected in cases:
        reply = (await h.say("staff1", f"/search {word}", chat="staff"))[0].text
        assert [line.split("｜")[0] for line in reply.splitlines()[1:]] == expected, word


async def test_case_is_ignored_for_latin_letters(desk: Desk) -> None:
    await desk.h.say("resident1", "KTV every night until 2am, 楼下太吵")
    for word in ("ktv", "KTV", "Ktv"):
        reply = (await desk.h.say("staff1", f"/search {word}", chat="staff"))[0].text
        assert reply.splitlines()[1].startswith("#1｜"), word


async def test_a_grid_worker_searches_what_they_may_open(desk: Desk) -> None:
    h = desk.h
    await h.say("resident1", "东镇3栋楼道漏水")  # #1, DZ
    await h.say("resident2", "西村2组水管漏水", chat="west")  # #2, XC
    await h.say("resident3", "西村小学门口漏水", chat="west")  # #3, XC
    await h.say("staff1", "指派 3 worker1", chat="staff")  # held by worker1, in XC

    reply = (await h.say("worker1", "查找 漏水", private=True))[0].text
    # Their area is named, and that their own cases elsewhere (#3, in 西村) are found too.
    assert reply.splitlines()[0] == "含“漏水”的工单（东镇，以及您经手的工单），最新的在前："
    assert [line.split("｜")[0] for line in reply.splitlines()[1:]] == ["#3", "#1"]
    # Asked in the DZ group, whose residents read the reply, the XC group's report is not,
    # and the last line says so (GROUP_ONLY, tested below).
    reply = (await h.say("worker1", "查找 漏水"))[0].text
    assert [line.split("｜")[0] for line in reply.splitlines()[1:-1]] == ["#1"]
    reply = (await h.say("westworker", "查找 漏水", chat="west"))[0].text
    assert [line.split("｜")[0] for line in reply.splitlines()[1:-1]] == ["#3", "#2"]
    # Another area's by name: refused, naming what is theirs.
    assert (await h.say("worker1", "查找 漏水 XC"))[0].text == (
        "网格员只能查找本网格（东镇）的工单和自己经手的工单。"
    )
    # Staff: every area, or the one they name.
    reply = (await h.say("staff1", "查找 漏水 XC", chat="staff"))[0].text
    assert reply.splitlines()[0] == "含“漏水”的工单（西村），最新的在前："
    assert [line.split("｜")[0] for line in reply.splitlines()[1:]] == ["#3", "#2"]
    # The area by its name, as by its code; a name alone is what to find, not where.
    assert (await h.say("staff1", "查找 漏水 西村", chat="staff"))[0].text == reply
    reply = (await h.say("staff1", "查找 东镇", chat="staff"))[0].text
    assert reply.splitlines()[0] == "含“东镇”的工单（全部网格），最新的在前："
    assert [line.split("｜")[0] for line in reply.splitlines()[1:]] == ["#1"]


async def test_a_residents_search_words_are_their_report(desk: Desk) -> None:
    """Residents write "查找 …" for a lost person or thing: filed, never swallowed."""
    replies = await desk.h.say("resident1", "查找 走失老人，穿蓝色外套，在村口附近")
    assert replies[0].text.startswith("已受理，工单号 #1")
    refused = await desk.h.say("resident1", "/search 漏水")
    assert [m.text for m in refused] == ["您的身份（居民）不能使用「查找」。"]
    assert await rows(desk.bot.store, "SELECT COUNT(*) FROM tickets") == [(1,)]


async def test_a_search_glued_to_its_word_or_said_as_cha_yi_xia(desk: Desk) -> None:
    """"查找装修" and "查一下 装修" were talk: silence in the staff room, "not a command" one to
    one.  From the desk's people they are the search "查找 装修" is; from a resident, their
    words ("查找走失老人" is a report, as "查找 走失老人…" is)."""
    h = desk.h
    await h.say("resident1", "楼上装修噪音太大")  # #1
    await h.say("resident2", "小区门口垃圾没人清运")  # #2
    spaced = (await h.say("staff1", "查找 装修", chat="staff"))[0].text
    assert spaced.splitlines()[1].startswith("#1｜")
    for typed in ("查找装修", "查一下 装修", "查一下装修", "搜一下装修", "检索装修"):
        assert [m.text for m in await h.say("staff1", typed, chat="staff")] == [spaced], typed
    alone = await h.say("staff1", "查找装修", private=True)
    assert [m.text for m in alone] == [spaced]
    # A question, or a sentence, is no search: talk in the staff room, as before.
    assert await h.say("staff1", "查一下社保怎么交", chat="staff") == []
    assert await h.say("staff1", "查找走失老人，穿蓝色外套", chat="staff") == []
    # Residents: their words, filed.
    for n, text in enumerate(("查找走失老人", "查一下 小区门口的垃圾"), start=3):
        replies = await h.say("resident3", text)
        assert replies[0].text.startswith(f"已受理，工单号 #{n}"), text
    assert await rows(desk.bot.store, "SELECT COUNT(*) FROM tickets") == [(4,)]


async def test_many_matches_list_the_newest_and_say_there_are_more(desk: Desk) -> None:
    for n in range(LIST_LIMIT + 2):
        await desk.h.say(f"r{n}", f"{n}号楼楼道灯坏了")
    reply = (await desk.h.say("staff1", "查找 楼道灯", chat="staff"))[0].text
    lines = reply.splitlines()
    assert len(lines) == 1 + LIST_LIMIT + 1
    assert lines[1].startswith(f"#{LIST_LIMIT + 2}｜") and lines[LIST_LIMIT].startswith("#3｜")
    assert lines[-1] == "只列出最新的 20 件；加一个词可缩小范围，如「查找 漏水 3栋」。"


async def test_too_many_words_and_no_words(desk: Desk) -> None:
    reply = await desk.h.say("staff1", "查找 一 二 三 四 五 六", chat="staff")
    assert reply[0].text == "查找最多用 5 个词，请减少一些。"
    reply = await desk.h.say("staff1", "/search “ ”", chat="staff")
    assert reply[0].text.startswith("用法：/search")


async def test_in_a_group_numbers_stay_masked(desk: Desk) -> None:
    """Asked in the group, the list is the group's to read: no phone number, whole or cut."""
    h = desk.h
    await h.say("resident1", "楼上邻居天天半夜装修，电钻声吵得睡不着，电话13812345678")
    reply = (await h.say("worker1", "查找 13812345678"))[0].text
    assert "13812345" not in reply and "138****5678" in reply
    assert reply.splitlines()[1].endswith("电话…")
    queue = (await h.say("worker1", "待办"))[0].text
    assert "13812345" not in queue


async def test_in_english(desk: Desk) -> None:
    await desk.h.say("staff1", "/lang en", chat="staff")
    await desk.h.say("resident1", "小区门口垃圾没人清运")
    reply = (await desk.h.say("staff1", "/search 垃圾", chat="staff"))[0].text
    assert reply.splitlines()[0] == "Tickets with '垃圾' (all areas), newest first:"
    assert reply.splitlines()[1].startswith("#1 | ") and "| new | Normal |" in reply
    reply = (await desk.h.say("staff1", "/search leak", chat="staff"))[0].text
    assert reply == "No tickets with 'leak' (all areas)."


async def test_the_scope_in_sql_is_exactly_who_may_open_what(new_store: StoreFactory) -> None:
    """For every kind of searcher, the search lists exactly the tickets `can_see` lets them
    open, on random tickets across areas, holders and reporters."""
    rng = random.Random(11)
    async with new_store() as store:
        people, tickets = await _random_desk(store, rng)
        actors = [
            Actor(people["staff"], "staff", Role.STAFF, None),
            Actor(people["w_dz"], "w_dz", Role.GRID_WORKER, "DZ"),
            Actor(people["w_xc"], "w_xc", Role.GRID_WORKER, "XC"),
            Actor(people["w_any"], "w_any", Role.GRID_WORKER, None),
        ]
        async with store.read() as tx:
            everything = await tx.search_tickets(TicketSearch(("事",), limit=1000))
            assert len(everything) == tickets
            for actor in actors:
                for named in (None, "DZ", "XC"):
                    scope = search_scope(actor, named)
                    if scope is None:
                        assert actor.area is not None and named not in (None, actor.area)
                        continue
                    search = TicketSearch(("事",), scope.area, scope.or_person, limit=1000)
                    got = [t.id for t in await tx.search_tickets(search)]
                    may = [
                        t.id
                        for t in everything
                        if can_see(actor, view(t))
                        and (named is None or scope.area == t.area or scope.or_person is not None)
                    ]
                    assert got == may, (actor.name, named)
                    assert all(can_see(actor, view(t)) for t in everything if t.id in got)


async def _random_desk(store: Store, rng: random.Random) -> tuple[dict[str, int], int]:
    """Sixty tickets in two areas (and none), reported and held by random people."""
    async with store.write() as tx:
        people = {
            name: (await tx.upsert_person("t", name, name, role, area, T0)).id
            for name, role, area in (
                ("staff", "staff", None),
                ("w_dz", "grid_worker", "DZ"),
                ("w_xc", "grid_worker", "XC"),
                ("w_any", "grid_worker", None),
                ("r1", "resident", None),
                ("r2", "resident", None),
            )
        }
        n = 60
        for i in range(n):
            area = rng.choice(["DZ", "XC", None])
            reporter = people[rng.choice(["r1", "r2", "w_dz", "w_xc"])]
            new = NewTicket(
                *("t", "g", f"m{i}", area, reporter, f"第{i}件事", "other", 0.9),
                *("normal", 0.9, (), False, T0),
            )
            ticket = await tx.create_ticket(new)
            holder = rng.choice([None, "w_dz", "w_xc", "w_any"])
            if holder is not None:
                await tx.transition(ticket.id, ["new"], "claimed", T0, people[holder])
    return people, n


GROUP_ONLY = "在群里只查本群反映的工单；私下反映的和其他群的，请私聊机器人查找。"


async def test_in_a_group_the_reply_says_what_it_did_not_search(desk: Desk) -> None:
    """Staff searching in a residents' group for a private report's words read "没有找到"
    and took it for none anywhere.  The group is told, every time, what a search there
    leaves out; never whether something was (that would tell it a private report exists)."""
    h = desk.h
    await private_report(h, "resident2")  # #1, private
    await h.say("resident1", "楼道灯坏了一个月")  # #2, in the group
    assert (await h.say("staff1", f"查找 {SECRET}"))[0].text == (
        f"没有找到含“{SECRET}”的工单（全部网格）。\n{GROUP_ONLY}"
    )
    # Where nothing is left out, the same line: its presence tells nothing.
    assert (await h.say("staff1", "查找 电梯"))[0].text == (
        f"没有找到含“电梯”的工单（全部网格）。\n{GROUP_ONLY}"
    )
    found = (await h.say("worker1", "查找 楼道灯"))[0].text.splitlines()
    assert found[1].startswith("#2｜") and found[-1] == GROUP_ONLY
    # One to one and in the staff room, everything, with no such line.
    private = (await h.say("staff1", f"查找 {SECRET}", private=True))[0].text
    assert private.splitlines()[1].startswith("#1｜") and GROUP_ONLY not in private
    staff = (await h.say("staff1", f"查找 {SECRET}", chat="staff"))[0].text
    assert staff.splitlines()[1].startswith("#1｜") and GROUP_ONLY not in staff
