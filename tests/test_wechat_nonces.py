"""One message per signed nonce: a WeChat callback's (nonce, timestamp, signature) is
remembered in the database for the replay window, on both engines.

An Official Account in plain mode (明文模式) signs the query alone (token, timestamp, nonce),
not the body: whoever saw one callback's URL (a proxy's access log) could post any message
under it for the five minutes of the replay window, as any openid.  Now the second message
under one nonce is refused with 403, while WeChat's own retry (the very same request, sent
again when our answer did not reach it within 5 s) is answered as a duplicate, as before.

Everything goes through the real HTTP app with wechatpy's real crypto
(`tests.test_wechat.running_world`), on SQLite and on PostgreSQL (`new_store`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.adapters.wechat_callback import NONCE_MARGIN, REPLAY_WINDOW
from tests.conftest import StoreFactory, rows
from tests.test_wechat import (
    CORP_ID,
    OA_ORIGINAL_ID,
    OA_RESIDENT,
    OA_STAFF,
    RESIDENT,
    STAFF_USER,
    Posted,
    World,
    message_xml,
    plain_mode,
    running_world,
    sent_to,
)

MODES = ["wecom", "official_account", "official_account_plain"]
NOISE = "楼道里堆满杂物，消防通道被堵住了"


@pytest.fixture
async def world(tmp_path: Path, new_store: StoreFactory) -> AsyncIterator[World]:
    async with running_world(tmp_path, store=new_store()) as w:
        yield w


async def count(world: World, sql: str) -> int:
    return int((await rows(world.bot.store, sql))[0][0])


def callback(world: World, mode: str, sender: str, text: str) -> Posted:
    """A signed callback (encrypted unless plain) as WeChat's servers send it."""
    if mode == "wecom":
        return world.wecom_callback(sender, Content=text)
    if mode == "official_account_plain":
        plain_mode(world)
    return world.oa_callback(sender, Content=text, encrypted=mode == "official_account")


def under_the_same_nonce(world: World, mode: str, posted: Posted, sender: str, text: str) -> Posted:
    """Another message posted under `posted`'s query: its nonce, timestamp and signature.
    Encrypted, the message is encrypted with that nonce and timestamp as WeChat would (the
    attacker has no token: the captured signature covers the captured ciphertext only)."""
    params = dict(posted.params)
    ts, nonce = params["timestamp"], params["nonce"]
    if mode == "wecom":
        inner = message_xml(CORP_ID, sender, Content=text, MsgId=world.msg_id(), AgentID=1000002)
        body = world.wecom_crypto.encrypt_message(inner, nonce, ts)
    else:
        inner = message_xml(OA_ORIGINAL_ID, sender, Content=text, MsgId=world.msg_id())
        body = (
            inner
            if mode == "official_account_plain"
            else world.oa_crypto.encrypt_message(inner, nonce, ts)
        )
    return Posted(posted.path, params, body)


def crypto(world: World, mode: str) -> object | None:
    return {"wecom": world.wecom_crypto, "official_account": world.oa_crypto}.get(mode)


@pytest.mark.parametrize("mode", MODES)
async def test_another_message_under_a_used_nonce_is_refused_and_nothing_filed(
    world: World, mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    """The resident's report goes through; a second message posted under its URL, as the
    centre's staff member, is refused with 403 and nothing of it is stored or answered.  In
    plain mode only the remembered nonce stops it (the signature is right: it covers the
    query alone); encrypted, the signature over the ciphertext does already."""
    sender = RESIDENT if mode == "wecom" else OA_RESIDENT
    genuine = callback(world, mode, sender, NOISE)
    ack = world.reply_text(await world.post(genuine), crypto(world, mode))
    assert ack is not None and ack.startswith("已受理，工单号 #1。")
    forger = STAFF_USER if mode == "wecom" else OA_STAFF
    forged = under_the_same_nonce(world, mode, genuine, forger, "/export")
    with caplog.at_level(logging.WARNING):
        response = await world.post(forged)
    reason = (
        "nonce used before with another message"
        if mode == "official_account_plain"
        else "bad signature"
    )
    assert (response.status_code, response.text) == (403, reason)
    assert f"{mode.removesuffix('_plain')} callback refused (403): {reason}" in caplog.text
    assert await rows(world.bot.store, "SELECT chat_id FROM inbound_messages") == [(sender,)]
    assert await count(world, "SELECT count(*) FROM tickets") == 1
    await world.bot.dispatcher.flush()
    assert await count(world, f"SELECT count(*) FROM outbox WHERE chat_id = '{forger}'") == 0
    # The same words, signed by WeChat under a fresh nonce, are the staff member's own.
    fresh = callback(world, mode, forger, "我的")
    answer = world.reply_text(await world.post(fresh), crypto(world, mode))
    assert answer == "暂无记录。"
    assert await count(world, "SELECT count(*) FROM inbound_messages") == 2


async def test_a_plain_forgery_is_refused_more_than_once_and_logged_once_a_minute(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    plain_mode(world)
    genuine = world.oa_callback(OA_RESIDENT, Content=NOISE, encrypted=False)
    assert (await world.post(genuine)).status_code == 200
    with caplog.at_level(logging.WARNING):
        for text in ("/export", "我的", "有人打架"):
            forged = under_the_same_nonce(world, "official_account_plain", genuine, OA_STAFF, text)
            assert (await world.post(forged)).status_code == 403
    refusals = [r for r in caplog.records if "callback refused" in r.getMessage()]
    assert len(refusals) == 1
    assert await count(world, "SELECT count(*) FROM inbound_messages") == 1


@pytest.mark.parametrize("mode", MODES)
async def test_wechats_own_retry_is_answered_as_a_duplicate_and_handled_once(
    world: World, mode: str
) -> None:
    """WeChat sends the very same request again (nonce, timestamp, signature and body) when
    our answer did not reach it within 5 s: it gets "success", as a message seen before
    always has, never a 403 (WeChat would tell the resident the account cannot serve)."""
    sender = RESIDENT if mode == "wecom" else OA_RESIDENT
    genuine = callback(world, mode, sender, NOISE)
    ack = world.reply_text(await world.post(genuine), crypto(world, mode))
    assert ack is not None and ack.startswith("已受理，工单号 #1。")
    for _ in range(2):
        retry = await world.post(genuine)
        assert (retry.status_code, retry.text) == (200, "success")
    assert await count(world, "SELECT count(*) FROM inbound_messages") == 1
    assert await count(world, "SELECT count(*) FROM tickets") == 1
    assert await count(world, "SELECT count(*) FROM outbox WHERE kind = 'ack'") == 1
    assert await count(world, "SELECT count(*) FROM callback_nonces") == 1
    await world.bot.dispatcher.flush()
    assert sent_to(world, sender) == []  # the one acknowledgement went passively


@pytest.mark.parametrize("mode", ["wecom", "official_account"])
async def test_an_encrypted_copy_in_another_envelope_is_the_same_message(
    world: World, mode: str
) -> None:
    """Encrypted, what is compared is the decrypted message, which the signature covers:
    the envelope's other fields are signed by nothing and read by nothing."""
    sender = RESIDENT if mode == "wecom" else OA_RESIDENT
    genuine = callback(world, mode, sender, NOISE)
    assert world.reply_text(await world.post(genuine), crypto(world, mode)) is not None
    copy = Posted(genuine.path, genuine.params, genuine.body.replace("<xml>", "<xml>\n  ", 1))
    assert copy.body != genuine.body
    response = await world.post(copy)
    assert (response.status_code, response.text) == (200, "success")
    assert await count(world, "SELECT count(*) FROM tickets") == 1


async def test_a_replayed_menu_click_without_msgid_runs_once(world: World) -> None:
    """Events carry no MsgId: a click is known by sender, time and key, so a replay of a
    captured encrypted one (the same nonce) is a duplicate, not a second command."""
    click = world.wecom_callback(RESIDENT, "event", Event="click", EventKey="我的", MsgId=0)
    assert world.reply_text(await world.post(click), world.wecom_crypto) == "暂无记录。"
    again = await world.post(click)
    assert (again.status_code, again.text) == (200, "success")
    assert await count(world, "SELECT count(*) FROM inbound_messages") == 1


async def test_a_nonce_is_remembered_for_the_window_then_forgotten(world: World) -> None:
    """Each new callback forgets those timestamped more than the window (and a minute's
    margin for clocks apart) ago: by then their timestamp is refused anyway."""
    now = int(time.time())
    endpoint = world.wecom.endpoint
    first = world.wecom_callback(RESIDENT, Content=NOISE, timestamp=now)
    assert (await world.post(first)).status_code == 200
    stamps = "SELECT stamp FROM callback_nonces ORDER BY stamp"
    assert await rows(world.bot.store, stamps) == [(now,)]

    later = now + int(REPLAY_WINDOW)  # the first is still inside the window: kept
    endpoint.clock = lambda: float(later)
    second = world.wecom_callback(RESIDENT, Content="我的", timestamp=later)
    assert (await world.post(second)).status_code == 200
    assert await rows(world.bot.store, stamps) == [(now,), (later,)]

    last = now + int(REPLAY_WINDOW + NONCE_MARGIN) + 1
    endpoint.clock = lambda: float(last)
    third = world.wecom_callback(RESIDENT, Content="我的", timestamp=last)
    assert (await world.post(third)).status_code == 200
    assert await rows(world.bot.store, stamps) == [(later,), (last,)]
    # Forgotten, the first cannot come again: its timestamp is out of the window.
    replayed = await world.post(first)
    assert (replayed.status_code, replayed.text) == (403, "timestamp outside the replay window")
    assert await count(world, "SELECT count(*) FROM tickets") == 1


async def test_the_nonce_is_shared_by_every_process_on_the_database(
    tmp_path: Path, new_store: StoreFactory
) -> None:
    """Two bots on one database (a rolling restart, or two behind one proxy): the URL of a
    callback one of them took carries no other message to the other; WeChat's retry that
    reaches the other is a duplicate there too."""
    async with (
        running_world(tmp_path, store=new_store()) as one,
        running_world(tmp_path, store=new_store()) as other,
    ):
        plain_mode(one)
        plain_mode(other)
        genuine = one.oa_callback(OA_RESIDENT, Content=NOISE, encrypted=False)
        ack = one.reply_text(await one.post(genuine))
        assert ack is not None and ack.startswith("已受理，工单号 #1。")
        forged = under_the_same_nonce(one, "official_account_plain", genuine, OA_STAFF, "/export")
        response = await other.post(forged)
        assert (response.status_code, response.text) == (
            403,
            "nonce used before with another message",
        )
        retry = await other.post(genuine)
        assert (retry.status_code, retry.text) == (200, "success")
        assert await count(one, "SELECT count(*) FROM inbound_messages") == 1
        assert await count(one, "SELECT count(*) FROM tickets") == 1
