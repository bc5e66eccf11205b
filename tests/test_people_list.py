"""/people (人员): who the desk's people are, their roles, areas, and where each role came
from; for admins and staff, one to one only."""

from __future__ import annotations

from pathlib import Path

from bot.adapters.harness import CHANNEL, Harness
from bot.config import PersonConfig
from bot.desk import LIST_LIMIT
from bot.workflow import Role
from tests.conftest import StoreFactory, harness_with, make_config, with_departments

DESK = [
    "人员（共 5 人）：",
    "admin1｜管理员｜配置文件",
    "staff1｜中心工作人员｜配置文件",
    "worker1｜网格员｜东镇｜配置文件",
    "worker2｜网格员｜东镇｜配置文件",
    "westworker｜网格员｜西村｜配置文件",
]


async def test_admins_and_staff_list_the_desk_by_role_and_area(harness: Harness) -> None:
    await harness.say("resident1", "收到")
    [desk] = await harness.say("admin1", "人员", private=True)
    assert desk.text.splitlines() == DESK
    # By role, by area (its name or code), both: grid workers of one grid.
    [workers] = await harness.say("staff1", "人员 网格员", private=True)
    assert workers.text.splitlines()[0] == "人员（共 3 人）："
    [east] = await harness.say("staff1", "人员 东镇", private=True)
    assert east.text.splitlines() == ["人员（共 2 人）：", *DESK[3:5]]
    [west] = await harness.say("staff1", "/people grid_worker XC", private=True)
    assert west.text.splitlines() == ["人员（共 1 人）：", DESK[5]]
    # A /grant shows as one, and a grant the config lists otherwise is the grant's now.
    await harness.say("admin1", "授权 resident1 网格员 东镇", private=True)
    await harness.say("admin1", "授权 worker2 工作人员", private=True)
    [staff] = await harness.say("admin1", "人员 工作人员", private=True)
    assert staff.text.splitlines() == [
        "人员（共 2 人）：",
        "worker2｜中心工作人员｜授权",  # by area first: theirs is kept (东镇), unshown
        "staff1｜中心工作人员｜配置文件",
    ]
    [east] = await harness.say("admin1", "人员 东镇", private=True)
    assert "resident1｜网格员｜东镇｜授权" in east.text.splitlines()
    # Residents are not the desk: listed only when asked for.
    assert "居民" not in (await harness.say("admin1", "人员", private=True))[0].text
    await harness.say("resident2", "收到")
    [residents] = await harness.say("admin1", "人员 居民", private=True)
    assert residents.text.splitlines() == ["人员（共 1 人）：", "resident2｜居民"]
    [bad] = await harness.say("admin1", "人员 国王", private=True)
    assert bad.text.startswith("「国王」不是身份、网格或部门。用法：/people [身份] [网格或部门]")
    [none] = await harness.say("admin1", "人员 管理员 东镇", private=True)
    assert none.text == "没有符合条件的人员。"


async def test_the_list_is_kept_out_of_groups_and_from_the_grid(harness: Harness) -> None:
    """Names and accounts are person data: a group reads only that the list went privately,
    or, to someone the bot may not write to first, how to ask for it privately."""
    [refused] = await harness.say("staff1", "人员 网格员", chat="staff")
    assert refused.text == (
        "人员名单含个人信息，只在私聊中显示。请先私聊机器人（发送 /start），"
        "再在私聊中发送「人员 网格员」。"
    )
    await harness.say("staff1", "/start", private=True)
    sent = await harness.say("staff1", "人员", chat="staff")
    assert [(m.kind, m.chat_id) for m in sent] == [("reply", "staff"), ("direct", "staff1")]
    assert sent[0].text == "人员名单含个人信息，不在群里显示，已私信发给您。"
    assert sent[1].text.startswith("人员（共 5 人）：\n")
    for user in ("worker1", "resident1"):
        [denied] = await harness.say(user, "人员", private=True)
        assert "不能使用「人员」" in denied.text, user


async def test_many_residents_are_counted_and_a_long_list_says_it_is_cut(
    db_path: Path, new_store: StoreFactory
) -> None:
    config = with_departments(make_config(db_path))
    config.people += [
        PersonConfig(channel=CHANNEL, user_id=f"w{i:02}", role=Role.GRID_WORKER, area="XC")
        for i in range(LIST_LIMIT)
    ]
    async with harness_with(config, new_store()) as harness:
        for i in range(LIST_LIMIT + 1):
            await harness.say(f"villager{i}", "收到")
        [residents] = await harness.say("admin1", "/people resident", private=True)
        assert residents.text == f"居民 {LIST_LIMIT + 1} 人（人数多，不逐一列出）。"
        [desk] = await harness.say("admin1", "人员", private=True)
        lines = desk.text.splitlines()
        total = LIST_LIMIT + 7  # the 20, 5 of make_config, and the departments' 2
        assert lines[0] == f"人员（共 {total} 人）："
        assert lines[1:5] == [
            "admin1｜管理员｜配置文件",
            "staff1｜中心工作人员｜配置文件",
            "police1｜部门对接人｜派出所｜配置文件",
            "police2｜部门对接人｜派出所｜配置文件",
        ]
        assert len(lines) == 1 + LIST_LIMIT + 1
        assert lines[-1] == (
            f"只列出前 {LIST_LIMIT} 人，共 {total} 人；可按身份或网格查看，"
            "如「人员 网格员」「人员 东镇」。"
        )
        [police] = await harness.say("staff1", "人员 派出所", private=True)
        assert police.text.splitlines()[1:] == lines[3:5]
        await harness.say("admin1", "/lang en", private=True)
        [english] = await harness.say("admin1", "/people PCS", private=True)
        assert english.text.splitlines() == [
            "People (2):",
            "police1 | department liaison | 派出所 | config file",
            "police2 | department liaison | 派出所 | config file",
        ]
