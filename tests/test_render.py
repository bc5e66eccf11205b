"""Lists shown in a group: a report's summary is cut, but never inside a number, which the
group's masking (`bot.privacy`) would then not recognise."""

from __future__ import annotations

from bot.adapters.harness import Harness
from bot.render import SUMMARY_CHARS, clip


def test_a_clipped_summary_never_keeps_a_piece_of_a_number() -> None:
    head = "楼" * (SUMMARY_CHARS - 6)
    assert clip(head + "电话13812345678", SUMMARY_CHARS) == head + "电话…"
    assert clip(head + "电1381234-5678", SUMMARY_CHARS) == head + "电…"
    assert clip(head + "3栋2单元", SUMMARY_CHARS) == head + "3栋2单元"  # short enough
    assert clip(head + "在3栋门口等着", SUMMARY_CHARS) == head + "在3栋门口等…"
    # Marks the masking reads inside a number, and full-width digits.
    assert clip(head + "电138，1234，5678", SUMMARY_CHARS) == head + "电…"
    assert clip(head + "电１３８１２３４５６７８", SUMMARY_CHARS) == head + "电…"
    assert clip(head + "(0452)1234567", SUMMARY_CHARS) == head + "…"
    # A number spelled digit by digit, in numerals or in words.
    assert clip(head + "电 1 3 8 1 2 3 4 5 6 7 8", SUMMARY_CHARS) == head + "电…"
    assert clip(head + "电话一三八一二三四五六七八", SUMMARY_CHARS) == head + "电话…"
    assert clip(head + "打幺三八 幺二三四", SUMMARY_CHARS) == head + "打…"
    assert clip(head + "在三楼门口等着", SUMMARY_CHARS) == head + "在三楼门口等…"
    # An ID card cut before its X: seventeen digits are no ID card to the masking.
    assert clip("楼" * 10 + "身份证11010119900307123X", 30) == "楼" * 10 + "身份证…"
    assert clip("楼" * 24 + "型号AB12X", 30) == "楼" * 24 + "型号AB…"


async def test_the_queue_in_a_group_shows_no_piece_of_a_phone_number(harness: Harness) -> None:
    await harness.say("resident1", "楼上邻居天天半夜装修，电钻声吵得睡不着，电话13812345678")
    queue = (await harness.say("worker1", "待办"))[0].text
    assert queue.splitlines()[1].endswith("电钻声吵得睡不着，电话…")
    assert "1381" not in queue


async def test_the_queue_in_a_group_masks_numbers_as_residents_type_them(
    harness: Harness,
) -> None:
    await harness.say("resident1", "噪音扰民，电话１３８１２３４５６７８，微信zhang_san88")
    await harness.say("resident1", "狗叫扰民，手机138，1234，5678")
    queue = (await harness.say("worker1", "待办"))[0].text
    assert "1234" not in queue and "zhang_s" not in queue, queue
    assert "１２３４" not in queue and "138****5678" in queue


async def test_a_group_reads_id_cards_and_landlines_spelled_out_masked(
    harness: Harness,
) -> None:
    spelled = "0 5 7 1 8 8 8 8 1 2 3 4"
    await harness.say("resident1", f"噪音，座机 {spelled}")
    await harness.say("resident1", "漏水，身份证一一〇一〇一一九九〇〇三〇七一二三X")
    queue = (await harness.say("worker1", "待办"))[0].text
    assert "座机 0571****1234" in queue and "身份证一一〇一**********一二三X" in queue, queue
    assert "8 8 8 8" not in queue and "九九〇〇" not in queue
    # The worker reads it in full one to one.
    assert spelled in (await harness.say("worker1", "详情 1", private=True))[0].text


async def test_an_edits_news_names_no_urgency_the_model_alone_gave(harness: Harness) -> None:
    """The one-line news WeChat sends for an edit named 紧急 and the type where the
    acknowledgement itself says only 值班人员会尽快核实 (the model alone called it urgent)."""
    await harness.say("resident1", "人在不在，赶紧来处理")  # the harness: urgent, no rule
    await harness.say("resident1", "楼下有人打人了")  # an urgent safety rule fires
    news = {}
    for number in (1, 2):
        # One to one, as on WeChat: claimed in the group, the reply there says it (news "").
        sent = await harness.say("worker1", f"认领 {number}", private=True)
        [edit] = [m for m in sent if m.kind == "edit"]
        news[number] = edit.news
    assert news[1] == "工单 #1 进展：处理中（worker1）"
    assert news[2] is not None and news[2].startswith("工单 #2 进展：处理中（worker1）｜")
    assert news[2].endswith("｜紧急")
