"""WeCom and Official Account adapters, end to end over HTTP with real crypto.

Every test runs the real HTTP app (`bot.http.build_app`, with its body limit) on an
ephemeral port of 127.0.0.1, a real `Bot` on an SQLite file in tmp_path, and the fake
WeChat API of `tests.fake_wechat` on another port.  Callbacks are built and encrypted with
wechatpy's own crypto classes, exactly as WeChat's servers send them; passive replies are
decrypted the same way.  The classifier is a fake defined here, so tests do not depend on
the model.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import secrets
import sqlite3
import threading
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.parsers.expat import ExpatError

import httpx
import pytest
import requests
import xmltodict
from wechatpy.crypto import WeChatCrypto as OfficialAccountCrypto
from wechatpy.enterprise import WeChatCrypto as EnterpriseCrypto
from wechatpy.enterprise.crypto import PrpCrypto
from wechatpy.exceptions import WeChatClientException

from bot.adapters.base import AwaitingContact, Outbound, PartlySent, TemporaryFailure
from bot.adapters.wechat import (
    OFFICIAL_ACCOUNT_PATH,
    WECOM_PATH,
    OfficialAccountAdapter,
    OfficialAccountEndpoint,
    WeChatSendError,
    WeComAdapter,
    cdata_safe,
    faces_as_names,
    notice_data,
)
from bot.adapters.wechat_callback import CallbackRefused, parse_xml, sign, split_text
from bot.app import Bot
from bot.clock import iso, utc_now
from bot.config import (
    Area,
    ChatRef,
    Config,
    Intake,
    IntakeGroup,
    NoticeTemplate,
    OfficialAccountConfig,
    PersonConfig,
    WeComConfig,
)
from bot.http import build_app
from bot.workflow import Role
from classifier import NOT_A_REPORT, Classification
from storage import Store
from tests.conftest import port_of
from tests.fake_wechat import Call, FakeWeChat, running_server

CORP_ID = "ww-test-corp"
AGENT_ID = "1000002"
WECOM_TOKEN = "wecom-callback-token"
WECOM_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"  # 43 characters, as in the console
OA_APP_ID = "wx-test-app"
OA_TOKEN = "oa-callback-token"
OA_KEY = "GFEDCBA9876543210zyxwvutsrqponmlkjihgfedcba"
OA_ORIGINAL_ID = "gh_0123456789ab"

RESIDENT = "zhangdm"  # a WeCom member who reports
WORKER = "wangwg"  # a grid worker, named in the config
STAFF_USER = "liuzr"  # centre staff on WeCom
OA_RESIDENT = "oAbCdEf-openid-1"
OA_STAFF = "oStaff-openid-9"  # centre staff who follows the Official Account

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE xml [
 <!ENTITY a "ha">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
 <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
 <!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">
]>
<xml><ToUserName>x</ToUserName><FromUserName>y</FromUserName><CreateTime>1</CreateTime>
<MsgType>text</MsgType><Content>&i;</Content><MsgId>1</MsgId></xml>"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE xml [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<xml><ToUserName>x</ToUserName><FromUserName>y</FromUserName><CreateTime>1</CreateTime>
<MsgType>text</MsgType><Content>&secret;</Content><MsgId>1</MsgId></xml>"""

# "<xml" inside a processing instruction, then a DTD: the guard took the first "<xml" for the
# root and let the DTD through to the parser (expat reads an external DTD's declaration).
DTD_BEHIND_A_PI = """<?x <xml?><!DOCTYPE xml SYSTEM "http://127.0.0.1:9/wechat.dtd">
<xml><ToUserName>x</ToUserName><FromUserName>y</FromUserName><CreateTime>1</CreateTime>
<MsgType>text</MsgType><Content>楼上漏水</Content><MsgId>1</MsgId></xml>"""


class FakeClassifier:
    """Every text is a neighbour dispute, except greetings; `gate` makes it slow on demand."""

    def __init__(self, gate: threading.Event | None = None) -> None:
        self.gate = gate

    def classify(self, text: str) -> Classification:
        if self.gate is not None:
            self.gate.wait(10)
        # Faces alone ("[微笑][强]"), as the model reads them: chatter.
        if text.strip() in ("你好", "谢谢") or re.fullmatch(r"(\s*\[[^\]]+\])+", text):
            return Classification(NOT_A_REPORT, 0.9, "low", 0.9)
        return Classification("neighbour", 0.9, "normal", 0.9)


def make_config(tmp_path: Path, api: str, notice_template: NoticeTemplate | None = None) -> Config:
    return Config(
        database=str(tmp_path / "intake.db"),
        areas=[Area(code="DZ", name="东镇第一网格")],
        intake_groups=[
            IntakeGroup(channel="wecom", chat_id="*", area="DZ"),
            IntakeGroup(channel="official_account", chat_id="*", area="DZ"),
        ],
        # One sender's reports in a row are each a ticket here, as the platform's tests
        # count them (joining them is tests/test_repeats.py's).
        intake=Intake(follow_on_minutes=0),
        staff_chat=ChatRef(channel="wecom", chat_id="robot"),
        people=[
            PersonConfig(
                channel="wecom", user_id=WORKER, name="王网格员", role=Role.GRID_WORKER, area="DZ"
            ),
            PersonConfig(channel="wecom", user_id=STAFF_USER, name="刘主任", role=Role.STAFF),
            PersonConfig(channel="official_account", user_id=OA_STAFF, role=Role.STAFF),
        ],
        wecom=WeComConfig(
            corp_id=CORP_ID,
            secret="wecom-secret",
            agent_id=AGENT_ID,
            token=WECOM_TOKEN,
            encoding_aes_key=WECOM_KEY,
            api_base_url=f"{api}/cgi-bin/",
            robot_webhook=f"{api}/cgi-bin/webhook/send?key=robot-key",
        ),
        official_account=OfficialAccountConfig(
            app_id=OA_APP_ID,
            secret="oa-secret",
            token=OA_TOKEN,
            encoding_aes_key=OA_KEY,
            api_base_url=f"{api}/cgi-bin/",
            notice_template=notice_template,
        ),
    )


def message_xml(to: str, sender: str, msg_type: str = "text", **fields: Any) -> str:
    """A callback message as WeChat writes it (CDATA for strings)."""
    parts = [
        f"<ToUserName><![CDATA[{to}]]></ToUserName>",
        f"<FromUserName><![CDATA[{sender}]]></FromUserName>",
        f"<CreateTime>{int(time.time())}</CreateTime>",
        f"<MsgType><![CDATA[{msg_type}]]></MsgType>",
    ]
    for name, value in fields.items():
        parts.append(
            f"<{name}>{value}</{name}>"
            if isinstance(value, int)
            else f"<{name}><![CDATA[{cdata_safe(str(value))}]]></{name}>"
        )
    return "<xml>" + "".join(parts) + "</xml>"


@dataclass
class Posted:
    """A callback request as sent, so a test can send exactly the same one again."""

    path: str
    params: dict[str, str]
    body: str


def wecom_encrypt(inner: str, *, timestamp: int | None = None) -> Posted:
    """Encrypt and sign a WeCom callback exactly as WeCom's servers do (wechatpy crypto)."""
    ts, nonce = str(timestamp or int(time.time())), secrets.token_hex(8)
    outer = EnterpriseCrypto(WECOM_TOKEN, WECOM_KEY, CORP_ID).encrypt_message(inner, nonce, ts)
    signature = xmltodict.parse(outer)["xml"]["MsgSignature"]
    params = {"msg_signature": signature, "timestamp": ts, "nonce": nonce}
    return Posted(WECOM_PATH, params, outer)


@dataclass
class World:
    base: str
    http: httpx.AsyncClient
    fake: FakeWeChat
    bot: Bot
    config: Config
    wecom: WeComAdapter
    oa: OfficialAccountAdapter
    wecom_crypto: Any = field(
        default_factory=lambda: EnterpriseCrypto(WECOM_TOKEN, WECOM_KEY, CORP_ID)
    )
    oa_crypto: Any = field(
        default_factory=lambda: OfficialAccountCrypto(OA_TOKEN, OA_KEY, OA_APP_ID)
    )
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(7_000_000_001))

    def msg_id(self) -> int:
        return next(self._ids)

    # building callbacks ------------------------------------------------------------
    def wecom_callback(
        self, sender: str, msg_type: str = "text", *, timestamp: int | None = None, **fields: Any
    ) -> Posted:
        fields.setdefault("MsgId", self.msg_id())
        fields.setdefault("AgentID", int(AGENT_ID))
        inner = message_xml(CORP_ID, sender, msg_type, **fields)
        return self.wecom_encrypt(inner, timestamp=timestamp)

    def wecom_encrypt(self, inner: str, *, timestamp: int | None = None) -> Posted:
        return wecom_encrypt(inner, timestamp=timestamp)

    def oa_callback(
        self,
        sender: str,
        msg_type: str = "text",
        *,
        encrypted: bool = True,
        timestamp: int | None = None,
        **fields: Any,
    ) -> Posted:
        fields.setdefault("MsgId", self.msg_id())
        inner = message_xml(OA_ORIGINAL_ID, sender, msg_type, **fields)
        ts, nonce = str(timestamp or int(time.time())), secrets.token_hex(8)
        params = {
            "signature": sign(OA_TOKEN, ts, nonce),
            "timestamp": ts,
            "nonce": nonce,
            "openid": sender,
        }
        if not encrypted:
            return Posted(OFFICIAL_ACCOUNT_PATH, params, inner)
        outer = self.oa_crypto.encrypt_message(inner, nonce, ts)
        params["encrypt_type"] = "aes"
        params["msg_signature"] = xmltodict.parse(outer)["xml"]["MsgSignature"]
        return Posted(OFFICIAL_ACCOUNT_PATH, params, outer)

    # sending ---------------------------------------------------------------------
    async def post(self, posted: Posted) -> httpx.Response:
        return await self.http.post(
            self.base + posted.path, params=posted.params, content=posted.body
        )

    def reply_text(self, response: httpx.Response, crypto: Any | None = None) -> str | None:
        """The passive reply's text (decrypted with real crypto); None for "success"."""
        assert response.status_code == 200, response.text
        if response.text == "success":
            return None
        xml = response.text
        if crypto is not None:
            outer = xmltodict.parse(xml)["xml"]
            xml = crypto.decrypt_message(
                xml, outer["MsgSignature"], outer["TimeStamp"], outer["Nonce"]
            )
        content = str(xmltodict.parse(xml)["xml"]["Content"])
        assert len(content.encode()) <= 2048, "WeChat shows no passive reply over 2048 bytes"
        return content

    async def wecom_says(self, sender: str, text: str) -> str | None:
        response = await self.post(self.wecom_callback(sender, Content=text))
        return self.reply_text(response, self.wecom_crypto)

    async def oa_says(self, sender: str, text: str, encrypted: bool = True) -> str | None:
        response = await self.post(self.oa_callback(sender, Content=text, encrypted=encrypted))
        return self.reply_text(response, self.oa_crypto if encrypted else None)

    # the database ------------------------------------------------------------------
    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        with contextlib.closing(sqlite3.connect(self.config.database)) as db:
            return list(db.execute(sql))

    def count(self, table: str) -> int:
        return int(self.rows(f"SELECT count(*) FROM {table}")[0][0])


@contextlib.asynccontextmanager
async def running_world(
    tmp_path: Path,
    passive_wait: float = 1.0,
    classifier: Any = None,
    notice_template: NoticeTemplate | None = None,
    clock: Callable[[], datetime] = utc_now,
    configure: Callable[[Config], None] | None = None,
    store: Store | None = None,
) -> AsyncIterator[World]:
    """The fake API, a started Bot with both WeChat adapters, and their HTTP server.
    `clock`: the bot's (WeChat's timestamps stay real); `configure` changes the config;
    `store`: the database (None: the SQLite file the config names, which `World.rows`
    reads)."""
    fake = FakeWeChat()
    async with running_server(fake.app()) as api:
        config = make_config(tmp_path, api, notice_template)
        if configure is not None:
            configure(config)
        wecom = WeComAdapter(config, passive_wait=passive_wait, timeout=5.0)
        oa = OfficialAccountAdapter(config, passive_wait=passive_wait, timeout=5.0)
        adapters = [wecom, oa]
        classifier = classifier or FakeClassifier()
        async with Bot(config, adapters, store, classifier=classifier, clock=clock) as bot:
            routes = [route for adapter in adapters for route in adapter.routes()]
            app = build_app(routes, config.http.max_body_bytes)
            async with running_server(app) as base, httpx.AsyncClient(timeout=10) as http:
                # What Bot.serve does, without its wait-forever, so the test knows when
                # the adapters have started.
                bot.start_delivery()
                for adapter in adapters:
                    await adapter.start(bot.pipeline.handle, bot.journal)
                try:
                    yield World(base, http, fake, bot, config, wecom, oa)
                finally:
                    for adapter in adapters:
                        await adapter.stop()


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    async with running_world(tmp_path) as w:
        yield w


# the full story --------------------------------------------------------------------------
def sent_to(world: World, user: str) -> list[Call]:
    """What the API sent `user` (message/send)."""
    return [c for c in world.fake.sent("message/send") if c.to == user]


NOISE = "楼上邻居每天半夜装修，噪音很大，沟通无果"
# Every WeCom conversation is one to one: the area's grid worker, who sees the report in no
# group, is told of it (`bot.filing._tell_the_grid`), typing 认领 as WeCom shows no button.
GRID_NOTICE = (
    f"【群众反映】新工单 #1｜东镇第一网格｜邻里纠纷｜一般\n{RESIDENT}：{NOISE}\n"
    "认领请发送「认领 1」。"
)


async def test_report_query_claim_resolve_entirely_through_wecom_callbacks(world: World) -> None:
    """A resident reports and queries, a worker claims and resolves: all over encrypted
    callbacks; answers to the speaker come back as (encrypted) passive replies, news for
    others goes out through the API, the staff hears through the group robot."""
    ack = await world.wecom_says(RESIDENT, NOISE)
    assert ack is not None and "已受理" in ack and "#1" in ack
    await world.fake.wait_for(lambda: len(world.fake.sent("webhook/send")) == 1)
    assert "新工单 #1" in world.fake.sent("webhook/send")[0].content

    await world.fake.wait_for(lambda: len(sent_to(world, WORKER)) == 1)
    [told] = sent_to(world, WORKER)
    assert told.content == GRID_NOTICE and told.body["agentid"] == int(AGENT_ID)
    assert sent_to(world, RESIDENT) == []  # the reporter: only the (passive) acknowledgement

    status = await world.wecom_says(RESIDENT, "查询 1")
    assert status is not None and status.startswith("工单 #1｜")

    claimed = await world.wecom_says(WORKER, "认领 1")
    assert claimed == "工单 #1 已由 王网格员 认领。"
    # WeChat cannot edit the acknowledgement, so the reporter gets the new state as a message.
    await world.fake.wait_for(lambda: len(sent_to(world, RESIDENT)) == 1)
    update = sent_to(world, RESIDENT)[0]
    assert update.to == RESIDENT and "王网格员" in update.content
    assert update.body["agentid"] == int(AGENT_ID)

    resolved = await world.wecom_says(WORKER, "办结 1 已调解，双方签订协议")
    assert resolved is not None and "已办结" in resolved
    await world.fake.wait_for(
        lambda: any("您反映的问题" in c.content for c in world.fake.sent("message/send"))
    )
    notice = [c for c in world.fake.sent("message/send") if "您反映的问题" in c.content][0]
    assert notice.to == RESIDENT and "已调解，双方签订协议" in notice.content

    mine = await world.wecom_says(WORKER, "我的")
    assert mine is not None
    assert world.rows("SELECT status, resolution FROM tickets") == [
        ("resolved", "已调解，双方签订协议")
    ]
    # Every outbox row was delivered (passively or actively); none is waiting.
    assert world.rows("SELECT count(*) FROM outbox WHERE sent_at IS NULL") == [(0,)]


async def test_official_account_report_in_safe_mode_and_worker_on_wecom(world: World) -> None:
    """A resident on the Official Account (AES mode); the worker acts from WeCom; the
    resident hears back through customer-service messages."""
    ack = await world.oa_says(OA_RESIDENT, "小区门口垃圾堆了一个星期没人清理")
    assert ack is not None and "已受理" in ack and "#1" in ack
    # The area's grid worker, on WeCom, is told of it there.
    await world.fake.wait_for(lambda: len(sent_to(world, WORKER)) == 1)
    assert sent_to(world, WORKER)[0].content.startswith("【群众反映】新工单 #1｜东镇第一网格｜")
    assert world.fake.sent("message/custom/send") == []  # the resident: only the ack
    status = await world.oa_says(OA_RESIDENT, "查询1")
    assert status is not None and "#1" in status

    assert await world.wecom_says(WORKER, "认领 1") == "工单 #1 已由 王网格员 认领。"
    assert await world.wecom_says(WORKER, "办结 1 已清理") is not None
    await world.fake.wait_for(
        lambda: any("已清理" in c.content for c in world.fake.sent("message/custom/send"))
    )
    custom = world.fake.sent("message/custom/send")
    assert {c.to for c in custom} == {OA_RESIDENT}
    assert all(c.body["msgtype"] == "text" for c in custom)
    assert world.rows("SELECT channel, chat_id, status FROM tickets") == [
        ("official_account", OA_RESIDENT, "resolved")
    ]


async def test_past_the_48_hours_the_notice_waits_for_the_resident_to_write(
    world: World,
) -> None:
    """An Official Account may send a customer-service message only within 48 hours of the
    person's last message (errcode 45015).  A resolution that comes later is not lost: it
    waits in the outbox, and goes out when the resident next writes."""
    assert await world.oa_says(OA_RESIDENT, "小区门口垃圾堆了一个星期没人清理") is not None
    assert await world.wecom_says(WORKER, "认领 1") is not None
    await world.bot.dispatcher.flush()  # the claim's news to the resident has gone
    assert world.rows("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL") == [(0,)]
    # Days later the window has closed: the resolution notice is refused.  (The
    # acknowledgement's new state, which WeChat would get as a message of its own, is not
    # sent: the notice says it.)
    world.fake.fail_next = [45015]
    assert await world.wecom_says(WORKER, "办结 1 已清理") is not None
    awaiting = (
        "SELECT text FROM outbox WHERE sent_at IS NULL AND next_attempt_at LIKE '9999-12-30%'"
    )
    for _ in range(50):
        await world.bot.dispatcher.flush()
        if len(world.rows(awaiting)) == 1:
            break
        await asyncio.sleep(0.05)
    assert any("已清理" in text for (text,) in world.rows(awaiting))
    assert not any("已清理" in c.content for c in world.fake.sent("message/custom/send"))
    [state] = await world.bot.store.outbox_state(["official_account"])
    assert (state.waiting, state.parked, state.awaiting) == (0, 0, 1)
    # The resident writes again (the window opens): the notice goes, after which the
    # answer to what they wrote comes back as usual.
    reply = await world.oa_says(OA_RESIDENT, "我的")
    assert reply is not None and "#1" in reply
    await world.fake.wait_for(
        lambda: any("已清理" in c.content for c in world.fake.sent("message/custom/send"))
    )
    await world.bot.dispatcher.flush()  # waits for a flush under way: both have gone
    assert world.rows(awaiting) == []


async def test_past_the_48_hours_a_template_message_says_a_notice_waits(
    tmp_path: Path,
) -> None:
    """With a template message configured, the resident whose window has closed is told
    that the outcome waits, by the template's fields (cut to what each key's type allows),
    once for the notice and not for the acknowledgement's new state; the notice itself goes
    when they write."""
    template = NoticeTemplate(
        template_id="tpl-notice",
        fields={
            "ticket": "character_string1",
            "event": "phrase2",
            "note": "thing3",
            "time": "time4",
        },
    )
    async with running_world(tmp_path, notice_template=template) as world:
        assert await world.oa_says(OA_RESIDENT, "小区门口垃圾堆了一个星期没人清理") is not None
        assert await world.wecom_says(WORKER, "认领 1") is not None
        await world.bot.dispatcher.flush()
        world.fake.closed_windows.add(OA_RESIDENT)  # days later
        assert await world.wecom_says(WORKER, "办结 1 已清理") is not None
        await world.fake.wait_for(lambda: bool(world.fake.sent("message/template/send")))
        [nudge] = world.fake.sent("message/template/send")
        assert (nudge.body["touser"], nudge.body["template_id"]) == (OA_RESIDENT, "tpl-notice")
        data = {key: value["value"] for key, value in nudge.body["data"].items()}
        assert data["character_string1"] == "#1" and data["phrase2"] == "已办结"
        assert data["thing3"] == "请回复任意文字查看详情" and len(data["thing3"]) <= 20
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", data["time4"])
        assert "已清理" not in json.dumps(nudge.body, ensure_ascii=False)  # counts and words
        # The resident replies: the window opens, and the notice itself goes.
        await world.bot.dispatcher.flush()  # the refusals are on record: the rows wait
        awaiting = "SELECT text FROM outbox WHERE next_attempt_at LIKE '9999-12-30%'"
        assert any("已清理" in text for (text,) in world.rows(awaiting))
        world.fake.closed_windows.clear()
        reply = await world.oa_says(OA_RESIDENT, "我的")
        assert reply is not None and "#1" in reply
        await world.fake.wait_for(
            lambda: any("已清理" in c.content for c in world.fake.sent("message/custom/send"))
        )
        assert len(world.fake.sent("message/template/send")) == 1


async def test_a_refused_template_message_leaves_the_notice_waiting(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    template = NoticeTemplate(template_id="tpl-gone", fields={"ticket": "keyword1"})
    async with running_world(tmp_path, notice_template=template) as world:
        assert await world.oa_says(OA_RESIDENT, "小区门口垃圾堆了一个星期没人清理") is not None
        assert await world.wecom_says(WORKER, "认领 1") is not None
        await world.bot.dispatcher.flush()
        # The notice is refused (the window has closed), then the template message (an id
        # the account no longer has, 40037).
        world.fake.closed_windows.add(OA_RESIDENT)
        world.fake.fail_next = [40037]
        assert await world.wecom_says(WORKER, "办结 1 已清理") is not None
        awaiting = "SELECT text FROM outbox WHERE next_attempt_at LIKE '9999-12-30%'"
        for _ in range(50):
            await world.bot.dispatcher.flush()
            if world.rows(awaiting):
                break
            await asyncio.sleep(0.05)
        assert any("已清理" in text for (text,) in world.rows(awaiting))
        assert world.fake.sent("message/template/send") == []
        assert "template message for outbox row" in caplog.text


def test_template_values_fit_their_keys() -> None:
    template = NoticeTemplate(
        template_id="t", fields={"event": "phrase1", "note": "thing2", "ticket": "keyword3"}
    )
    message = Outbound("official_account", "o1", "…", ticket_id=12, kind="followup")
    when = datetime(2026, 12, 1, 9, 5, tzinfo=UTC)
    assert notice_data(template, message, "zh", when) == {
        "phrase1": {"value": "待评价"},
        "thing2": {"value": "请回复任意文字查看详情"},
        "keyword3": {"value": "#12"},
    }
    english = notice_data(template, message, "en", when)
    assert english["thing2"]["value"] == "Reply with any text to read it"[:20]
    assert english["phrase1"]["value"] == "rate it"[:5]


def plain_mode(world: World) -> None:
    """The Official Account as configured without `encoding_aes_key` (明文模式)."""
    endpoint = world.oa.endpoint
    assert isinstance(endpoint, OfficialAccountEndpoint)
    endpoint.crypto = None


async def test_official_account_plain_mode(world: World) -> None:
    """明文模式 is the config without `encoding_aes_key`; with one, the account is in safe
    mode, and a plain callback is refused: its signature covers the query alone (token,
    timestamp, nonce), so whoever saw one callback's URL could post any body under it for
    the five minutes of the replay window, as any sender (a staff member's openid)."""
    forged = world.oa_callback(OA_STAFF, Content="/export", encrypted=False)
    response = await world.post(forged)
    assert response.status_code == 403
    assert world.rows("SELECT count(*) FROM inbound_messages") == [(0,)]
    plain_mode(world)
    reply = await world.oa_says(OA_RESIDENT, "我的", encrypted=False)
    assert reply is not None and "暂无记录" in reply


# handshakes -----------------------------------------------------------------------------
async def test_wecom_url_verification_returns_decrypted_echostr(world: World) -> None:
    ts, nonce = str(int(time.time())), "nonce1"
    echostr = PrpCrypto(world.wecom_crypto.key).encrypt("echo-4711", CORP_ID).decode()
    params = {
        "msg_signature": sign(WECOM_TOKEN, ts, nonce, echostr),
        "timestamp": ts,
        "nonce": nonce,
        "echostr": echostr,
    }
    response = await world.http.get(world.base + WECOM_PATH, params=params)
    assert (response.status_code, response.text) == (200, "echo-4711")

    params["msg_signature"] = "0" * 40
    response = await world.http.get(world.base + WECOM_PATH, params=params)
    assert response.status_code == 403


async def test_official_account_url_verification(world: World) -> None:
    ts, nonce = str(int(time.time())), "nonce2"
    params = {"signature": sign(OA_TOKEN, ts, nonce), "timestamp": ts, "nonce": nonce}
    response = await world.http.get(
        world.base + OFFICIAL_ACCOUNT_PATH, params=params | {"echostr": "8812"}
    )
    assert (response.status_code, response.text) == (200, "8812")
    bad = params | {"echostr": "8812", "signature": sign("wrong-token", ts, nonce)}
    response = await world.http.get(world.base + OFFICIAL_ACCOUNT_PATH, params=bad)
    assert response.status_code == 403


# retries --------------------------------------------------------------------------------
async def test_retries_of_one_msgid_make_one_ticket_and_one_acknowledgement(
    world: World,
) -> None:
    """WeChat retries a callback up to three times; identical resends (and a re-signed
    resend with a fresh nonce, as WeChat does) are recognised by the MsgId."""
    msg_id = world.msg_id()
    first = world.wecom_callback(RESIDENT, Content="路灯坏了一个月，晚上很黑", MsgId=msg_id)
    responses = await asyncio.gather(*(world.post(first) for _ in range(3)))
    resigned = world.wecom_callback(RESIDENT, Content="路灯坏了一个月，晚上很黑", MsgId=msg_id)
    responses.append(await world.post(resigned))
    replies = [world.reply_text(r, world.wecom_crypto) for r in responses]
    acks = [r for r in replies if r is not None]
    assert len(acks) == 1 and "已受理" in acks[0]
    assert world.count("tickets") == 1
    assert world.count("inbound_messages") == 1
    assert world.rows("SELECT count(*) FROM outbox WHERE kind = 'ack'") == [(1,)]
    await world.fake.wait_for(lambda: len(world.fake.sent("webhook/send")) == 1)
    assert sent_to(world, RESIDENT) == []  # the one ack went passively
    await world.fake.wait_for(lambda: len(sent_to(world, WORKER)) == 1)  # the grid, once
    await world.bot.dispatcher.flush()
    assert len(sent_to(world, WORKER)) == 1


async def test_slow_pipeline_still_answers_within_five_seconds(tmp_path: Path) -> None:
    """A classifier stuck for longer than WeChat waits: the callback answers "success"
    within the passive wait, a retry meanwhile is answered too, and once the work is
    done the acknowledgement goes out actively, once."""
    gate = threading.Event()
    async with running_world(tmp_path, passive_wait=0.5, classifier=FakeClassifier(gate)) as w:
        try:
            posted = w.wecom_callback(RESIDENT, Content="工地每天早上五点就开工，吵得睡不着")
            started = time.monotonic()
            response = await w.post(posted)
            assert time.monotonic() - started < 5.0
            assert (response.status_code, response.text) == (200, "success")
            retry = await w.post(posted)
            assert (retry.status_code, retry.text) == (200, "success")
            assert time.monotonic() - started < 5.0
            assert w.count("tickets") == 0  # still classifying
        finally:
            gate.set()
        await w.fake.wait_for(lambda: len(w.fake.sent("message/send")) == 1)
        ack = w.fake.sent("message/send")[0]
        assert ack.to == RESIDENT and "已受理" in ack.content
        assert w.count("tickets") == 1
        assert w.rows("SELECT count(*) FROM outbox WHERE kind = 'ack'") == [(1,)]


@pytest.mark.parametrize("channel", ["official_account", "wecom"])
async def test_a_reply_a_callback_waits_for_goes_before_the_backlog(
    tmp_path: Path, channel: str
) -> None:
    """A surge: the outbox works through a backlog of notices to other chats (WeCom's, read
    before the Official Account's, and each slower than WeChat waits: the fake holds every
    call until the test lets it go).  A resident's report arrives meanwhile: its
    acknowledgement goes as the passive reply, in the HTTP answer, as soon as the send under
    way is done.  It used to wait for the whole backlog, the callback answered "success",
    and an Official Account without the customer-service permission never answered."""
    async with running_world(tmp_path, passive_wait=3.0) as world:
        oa = channel == "official_account"
        adapter = world.oa if oa else world.wecom
        endpoint, crypto = adapter.endpoint, world.oa_crypto if oa else world.wecom_crypto
        resident = OA_RESIDENT if oa else RESIDENT
        handled = asyncio.Event()  # the report stored, its acknowledgement queued

        async def handle(inbound: Any) -> bool:
            try:
                return await world.bot.pipeline.handle(inbound)
            finally:
                handled.set()

        endpoint.start_handling(handle, world.bot.journal)
        first = world.fake.hold = asyncio.Event()
        members = [f"member{n}" for n in range(6)]
        async with world.bot.store.write() as tx:
            for n, member in enumerate(members):
                notice = Outbound("wecom", member, f"【群众反映】新工单 #{100 + n}")
                await tx.enqueue(notice, iso(utc_now()))
        world.bot.dispatcher.wake()
        await world.fake.wait_for(lambda: len(world.fake.sent("held:message/send")) == 1)
        rest = world.fake.hold = asyncio.Event()  # every later call waits for the test

        posted = (world.oa_callback if oa else world.wecom_callback)(resident, Content=NOISE)
        answer = asyncio.create_task(world.post(posted))
        await handled.wait()
        first.set()  # the send under way ends; the backlog's next sends would hang
        response = await answer
        rest.set()
        ack = world.reply_text(response, crypto)
        assert ack is not None and "已受理" in ack and "#1" in ack

        # The backlog still goes, each notice once, and so do the report's own notices.
        def backlog() -> list[str]:
            return [c.to for c in world.fake.sent("message/send") if c.to in members]

        await world.fake.wait_for(
            lambda: len(backlog()) == len(members)
            and len(sent_to(world, WORKER)) == 1
            and len(world.fake.sent("webhook/send")) == 1
        )
        assert await world.bot.dispatcher.flush() == 0  # after the flush under way ends
        assert sorted(backlog()) == members and len(sent_to(world, WORKER)) == 1
        # The acknowledgement went passively only.
        assert world.fake.sent("message/custom/send") == [] and sent_to(world, RESIDENT) == []
        assert world.rows("SELECT count(*) FROM outbox WHERE sent_at IS NULL") == [(0,)]
        assert world.rows("SELECT platform_message_id FROM outbox WHERE kind = 'ack'")[0][
            0
        ].startswith("passive-")


# refusals ----------------------------------------------------------------------------------
async def assert_nothing_stored(world: World) -> None:
    assert world.count("inbound_messages") == 0
    assert world.count("tickets") == 0
    assert world.count("outbox") == 0
    assert world.fake.calls == []


async def test_bad_signature_is_403_and_nothing_processed(world: World) -> None:
    posted = world.wecom_callback(RESIDENT, Content="有人在河边倾倒垃圾")
    posted.params["msg_signature"] = sign("not-the-token", posted.params["timestamp"], "x")
    response = await world.post(posted)
    assert response.status_code == 403
    oa = world.oa_callback(OA_RESIDENT, Content="有人在河边倾倒垃圾", encrypted=False)
    oa.params["signature"] = "f" * 40
    assert (await world.post(oa)).status_code == 403
    oa_aes = world.oa_callback(OA_RESIDENT, Content="有人在河边倾倒垃圾")
    oa_aes.params["msg_signature"] = "e" * 40
    assert (await world.post(oa_aes)).status_code == 403
    await assert_nothing_stored(world)


async def test_replayed_old_timestamp_is_refused(world: World) -> None:
    """Correctly signed, but ten minutes old: a captured request replayed later."""
    old = int(time.time()) - 600
    posted = world.wecom_callback(RESIDENT, Content="隔壁狗天天叫", timestamp=old)
    assert (await world.post(posted)).status_code == 403
    future = world.wecom_callback(RESIDENT, Content="隔壁狗天天叫", timestamp=old + 1200)
    assert (await world.post(future)).status_code == 403
    await assert_nothing_stored(world)


async def test_message_for_another_corp_is_refused(world: World) -> None:
    other = EnterpriseCrypto(WECOM_TOKEN, WECOM_KEY, "ww-other-corp")
    ts, nonce = str(int(time.time())), "n3"
    inner = message_xml("ww-other-corp", RESIDENT, Content="x", MsgId=5, AgentID=int(AGENT_ID))
    outer = other.encrypt_message(inner, nonce, ts)
    sig = xmltodict.parse(outer)["xml"]["MsgSignature"]
    response = await world.post(
        Posted(WECOM_PATH, {"msg_signature": sig, "timestamp": ts, "nonce": nonce}, outer)
    )
    assert response.status_code == 403
    await assert_nothing_stored(world)


@pytest.mark.parametrize(
    "body",
    [
        b"garbage, not xml at all",
        b"<xml><Encrypt><![CDATA[abc",  # truncated
        b"<xml><ToUserName>x</ToUserName></xml>",  # no Encrypt field
        BILLION_LAUGHS.encode(),
        EXTERNAL_ENTITY.encode(),
        b"<xml>\xff\xfe</xml>",  # not UTF-8
        DTD_BEHIND_A_PI.encode(),
    ],
    ids=[
        "garbage",
        "truncated",
        "no-encrypt",
        "billion-laughs",
        "external-entity",
        "not-utf8",
        "dtd-behind-a-pi",
    ],
)
async def test_bad_xml_is_400_and_nothing_stored(world: World, body: bytes) -> None:
    ts, nonce = str(int(time.time())), "n4"
    params = {"msg_signature": sign(WECOM_TOKEN, ts, nonce, "abc"), "timestamp": ts, "nonce": nonce}
    started = time.monotonic()
    response = await world.http.post(world.base + WECOM_PATH, params=params, content=body)
    assert response.status_code == 400
    assert time.monotonic() - started < 1.0
    # The same payloads in plain-mode Official Account callbacks (signature is valid).
    plain_mode(world)
    oa_params = {"signature": sign(OA_TOKEN, ts, nonce), "timestamp": ts, "nonce": nonce}
    response = await world.http.post(
        world.base + OFFICIAL_ACCOUNT_PATH, params=oa_params, content=body
    )
    assert response.status_code == 400
    await assert_nothing_stored(world)


async def test_entities_inside_a_correctly_encrypted_message_are_refused(world: World) -> None:
    """Even with the key (signature and decryption fine), the inner XML gets the guard."""
    posted = world.wecom_encrypt(BILLION_LAUGHS)
    response = await world.post(posted)
    assert response.status_code == 400
    truncated = world.wecom_encrypt(message_xml(CORP_ID, RESIDENT, Content="x")[:-10])
    assert (await world.post(truncated)).status_code == 400
    await assert_nothing_stored(world)


async def test_a_signed_message_with_a_field_wechat_never_writes_is_400(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """Signed and decrypted fine, but a number field is not a number: wechatpy reads a field
    only when asked for it, so the parse passed and reading MsgId (or an event's CreateTime)
    raised, a 500 with a traceback, which WeChat sends three times.  A 400, logged."""
    text = message_xml(CORP_ID, RESIDENT, Content="楼上漏水", MsgId="abc", AgentID=int(AGENT_ID))
    event = message_xml(CORP_ID, RESIDENT, "event", Event="subscribe", AgentID=int(AGENT_ID))
    event = re.sub(r"<CreateTime>\d+</CreateTime>", "<CreateTime>soon</CreateTime>", event)
    for inner in (text, event):
        response = await world.post(world.wecom_encrypt(inner))
        assert (response.status_code, response.text[:15]) == (400, "malformed field")
    # The second is of the same kind, within the minute: counted, not logged again.
    refused = [r.getMessage() for r in caplog.records if "callback refused" in r.getMessage()]
    assert refused == [
        "wecom callback refused (400): malformed field: invalid literal for int() with base 10: "
        "'abc'"
    ]
    await assert_nothing_stored(world)


async def test_every_refused_callback_is_logged_with_its_reason(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """What the operator reads when WeChat's callbacks stop getting through (a clock out of
    the replay window, a token changed in the console): each refusal, its status, its
    reason, as a warning (at INFO, which the bot does not log unless -v, none was seen).
    A flood of one kind is logged once a minute."""
    forged = world.oa_callback(OA_RESIDENT, Content="有人打架")
    forged.params["msg_signature"] = "e" * 40
    stale = world.wecom_callback(RESIDENT, Content="有人打架", timestamp=int(time.time()) - 600)
    for posted in (forged, stale, forged, forged):
        assert (await world.post(posted)).status_code == 403
    garbage = Posted(WECOM_PATH, dict(stale.params, timestamp=str(int(time.time()))), "x")
    assert (await world.post(garbage)).status_code == 400
    assert [r.getMessage() for r in caplog.records if "refused" in r.getMessage()] == [
        "official_account callback refused (403): bad signature",
        "wecom callback refused (403): timestamp outside the replay window",
        "wecom callback refused (400): not a WeChat XML document",
    ]
    await assert_nothing_stored(world)


async def test_oversized_body_is_413(world: World) -> None:
    posted = world.wecom_callback(RESIDENT, Content="长" * 30_000)
    assert len(posted.body.encode()) > world.config.http.max_body_bytes
    assert (await world.post(posted)).status_code == 413
    await assert_nothing_stored(world)


def test_xmltodict_itself_refuses_entity_declarations() -> None:
    """The parser wechatpy uses does not expand entities (we guard before it anyway)."""
    with pytest.raises((ValueError, ExpatError)):
        xmltodict.parse(BILLION_LAUGHS)
    with pytest.raises((ValueError, ExpatError)):
        xmltodict.parse(EXTERNAL_ENTITY)


def test_guard_refuses_a_dtd_before_any_parser_runs() -> None:
    for body in (BILLION_LAUGHS, DTD_BEHIND_A_PI, "<!-- <xml --><!DOCTYPE xml><xml/>"):
        with pytest.raises(CallbackRefused) as refused:
            parse_xml(body)
        assert refused.value.status == 400 and "DTD" in refused.value.reason
    # A declaration, processing instructions and comments before the root are fine.
    fields = parse_xml('\ufeff<?xml version="1.0"?>\n<!-- x --><?pi ?>\n<xml><A>1</A></xml>')
    assert fields == {"A": "1"}
    # Markup-looking text inside CDATA (where WeChat puts what people type) is fine.
    fields = parse_xml("<xml><Content><![CDATA[<!DOCTYPE x> 你好]]></Content></xml>")
    assert fields["Content"] == "<!DOCTYPE x> 你好"


# what people send ---------------------------------------------------------------------------
async def test_images_voice_location_and_links_become_attachment_references(
    world: World,
) -> None:
    posts = [
        world.wecom_callback(
            RESIDENT, "image", PicUrl="https://wx.qlogo.example/pic1", MediaId="media-img-1"
        ),
        world.wecom_callback(
            RESIDENT, "voice", MediaId="media-voice-1", Format="amr", Recognition="楼道里堆满杂物"
        ),
        world.wecom_callback(
            RESIDENT,
            "location",
            Location_X="31.2304",
            Location_Y="121.4737",
            Scale=15,
            Label="东镇幸福路12号",
        ),
        world.oa_callback(
            OA_RESIDENT,
            "link",
            Title="小区违建举报",
            Description="见链接",
            Url="https://mp.weixin.qq.example/s/abc",
        ),
    ]
    for posted in posts:
        response = await world.post(posted)
        assert response.status_code == 200
    assert world.rows("SELECT kind, ref, note FROM attachments ORDER BY id") == [
        ("photo", "media-img-1", "https://wx.qlogo.example/pic1"),
        ("voice", "media-voice-1", "amr"),
        ("location", "31.2304,121.4737", "东镇幸福路12号"),
        ("link", "https://mp.weixin.qq.example/s/abc", "小区违建举报"),
    ]
    assert world.rows("SELECT text FROM tickets WHERE id = 2") == [("楼道里堆满杂物",)]


async def test_wechats_own_faces_are_faces_not_commands(world: World) -> None:
    """WeChat's own faces (the yellow ones of its picker) reach the account as codes in the
    text: "/::)" is 微笑, "/:strong" 强.  A resident's smile was answered
    `不认识的命令 /::)。发送 /help 查看可用命令。`, and a report ending in one was stored with the
    code.  They are read as the faces they are, "[微笑]", as WeChat shows them in a chat."""
    assert await world.oa_says(OA_RESIDENT, "/::)") is None  # a smile: chatter, unanswered
    assert await world.oa_says(OA_RESIDENT, "/:strong/:rose") is None
    assert await world.wecom_says(RESIDENT, "/::D /:handclap") is None
    ack = await world.oa_says(OA_RESIDENT, "楼上又在半夜装修了/::@/::@")
    assert ack is not None and ack.startswith("已受理，工单号 #1。")
    assert world.rows("SELECT text FROM tickets") == [("楼上又在半夜装修了[发怒][发怒]",)]
    # A face's name after a slash is one only as the whole message ("/微笑"): in a report,
    # "刀具/刀片" keeps its words.
    assert await world.oa_says(OA_RESIDENT, "/微笑") is None
    ack = await world.oa_says(OA_RESIDENT, "楼下店铺门口堆满刀具/刀片，很危险")
    assert ack is not None and "#2" in ack
    assert world.rows("SELECT text FROM tickets WHERE id = 2") == [
        ("楼下店铺门口堆满刀具/刀片，很危险",)
    ]
    assert world.rows("SELECT text FROM inbound_messages ORDER BY id LIMIT 3") == [
        ("[微笑]",), ("[强][玫瑰]",), ("[呲牙] [鼓掌]",)
    ]


@pytest.mark.parametrize(
    ("text", "read"),
    [
        # Where WeChat puts them: after words, after one another, before words.
        ("楼上又在半夜装修了/::@/::@", "楼上又在半夜装修了[发怒][发怒]"),
        ("/:strong/:strong", "[强][强]"),
        ("/::)好的", "[微笑]好的"),
        ("好的/:ok了", "好的[OK]了"),
        ("小区门口 /:rose /::D", "小区门口 [玫瑰] [呲牙]"),
        # Inside a URL, a path, a word or a number they are what was written: they were
        # turned into faces ("…/s[胜利]2/list").
        ("链接 https://example.com/s/:v2/list", "链接 https://example.com/s/:v2/list"),
        ("见 /usr/:pd/x", "见 /usr/:pd/x"),
        ("a/::b std/::P C:/::Docs", "a/::b std/::P C:/::Docs"),
        ("http://a.cn/:okay", "http://a.cn/:okay"),
        ("比例 12/:8*3", "比例 12/:8*3"),
        # A face's name in brackets is how WeChat shows one: left as it is.
        ("[微笑]", "[微笑]"),
    ],
)
def test_face_codes_are_faces_only_as_wechat_inserts_them(text: str, read: str) -> None:
    assert faces_as_names(text) == read


async def test_a_sticker_is_no_words_of_the_senders(world: World) -> None:
    """An Official Account is not given stickers (表情包), red packets or contact cards: it
    gets a text of WeChat's own words in their place, 【收到不支持的消息类型，暂无法显示】.  That
    was read as the resident's words: kept as what they wrote, classified, and filed by a
    model that took it for a report.  It is a message with no words, as a sticker is on
    Telegram: unanswered, no ticket; it still counts as their writing (what waited for them
    goes, as WeChat allows)."""
    assert await world.oa_says(OA_RESIDENT, "【收到不支持的消息类型，暂无法显示】") is None
    assert world.count("tickets") == 0
    assert world.rows("SELECT text, disposition FROM inbound_messages") == [("", "chatter")]


async def test_menu_click_runs_its_key_as_a_command(world: World) -> None:
    posted = world.wecom_callback(RESIDENT, "event", Event="click", EventKey="我的", MsgId=0)
    reply = world.reply_text(await world.post(posted), world.wecom_crypto)
    assert reply == "暂无记录。"


async def test_a_menu_key_that_is_no_command_is_answered_with_how_to_report(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """A menu item's key is often the developer's name for it (V1001_REPORT for 我要反映).
    Taken as typed, it was filed as a report whose words were "V1001_REPORT" (the staff and
    the grid worker told of it), and the picture the resident had just sent was merged into
    that.  It is answered as following the account is, and the operator warned; a key that
    is a command, or a question about one's report, still runs it."""
    photo = world.oa_callback(OA_RESIDENT, "image", PicUrl="https://x/1.jpg", MediaId="img-1")
    assert world.reply_text(await world.post(photo), world.oa_crypto) is not None  # #1
    click = world.oa_callback(
        OA_RESIDENT, "event", Event="CLICK", EventKey="V1001_REPORT", MsgId=0
    )
    answer = world.reply_text(await world.post(click), world.oa_crypto)
    assert answer is not None and answer.startswith("直接在这里描述问题即可登记")
    assert world.rows("SELECT id, status, text FROM tickets") == [(1, "new", "")]
    await world.bot.dispatcher.flush()
    assert not any("V1001_REPORT" in c.content for c in world.fake.calls)
    assert "menu key 'V1001_REPORT' is not a command: answered as /start" in caplog.text
    asked = world.oa_callback(
        OA_RESIDENT, "event", Event="CLICK", EventKey="我反映的事怎么样了", MsgId=0
    )
    mine = world.reply_text(await world.post(asked), world.oa_crypto)
    assert mine is not None and mine.startswith("您反映的问题：\n#1｜待认领｜")


async def test_following_the_account_is_answered_with_how_to_report_here(world: World) -> None:
    """Following the account (关注) is the first thing a resident does, and it was met with
    silence: nothing said what to do next.  It is answered as Telegram's /start is (the help,
    whose first line says to describe the problem right here), once, retries and all; through
    a QR code with a scene (subscribe_scan) as well.  Unfollowing is said nothing."""
    subscribe = world.oa_callback(OA_RESIDENT, "event", Event="subscribe", EventKey="", MsgId=0)
    welcome = world.reply_text(await world.post(subscribe), world.oa_crypto)
    assert welcome is not None
    # ... and that it may be done anonymously (匿名反映), as it may one to one here.
    assert welcome.startswith(
        "直接在这里描述问题即可登记（时间、地点、涉及的人）。\n"
        "怕被打击报复的，可以发送「匿名反映：」加上要反映的事，办理的网格员和部门看不到您的姓名。\n"
        "查询 12"
    )
    assert world.reply_text(await world.post(subscribe), world.oa_crypto) is None  # a retry
    scanned = world.oa_callback(
        "oQr-openid-2", "event", Event="subscribe", EventKey="qrscene_poster", MsgId=0
    )
    welcome = world.reply_text(await world.post(scanned), world.oa_crypto)
    assert welcome is not None and welcome.startswith("直接在这里描述问题即可登记")
    member = world.wecom_callback(RESIDENT, "event", Event="subscribe", MsgId=0)
    welcome = world.reply_text(await world.post(member), world.wecom_crypto)
    assert welcome is not None and welcome.startswith("直接在这里描述问题即可登记")
    unfollow = world.oa_callback(OA_RESIDENT, "event", Event="unsubscribe", MsgId=0)
    assert world.reply_text(await world.post(unfollow), world.oa_crypto) is None
    assert world.count("inbound_messages") == 3
    assert world.count("tickets") == 0


async def test_events_and_other_apps_messages_are_answered_but_not_stored(world: World) -> None:
    entering = world.wecom_callback(RESIDENT, "event", Event="enter_agent", MsgId=0)
    unfollow = world.oa_callback(OA_RESIDENT, "event", Event="unsubscribe", MsgId=0)
    other_app = world.wecom_callback(RESIDENT, Content="有人打架", AgentID=1000099)
    for posted in (entering, unfollow, other_app):
        response = await world.post(posted)
        assert (response.status_code, response.text) == (200, "success")
    await assert_nothing_stored(world)


async def test_chatter_gets_no_reply_and_no_ticket(world: World) -> None:
    assert await world.wecom_says(RESIDENT, "谢谢") is None
    assert world.count("tickets") == 0
    assert world.count("inbound_messages") == 1


async def test_a_greeting_is_answered_with_what_the_desk_does(world: World) -> None:
    """ "你好" is the first thing people write to an account; it gets /help, not silence."""
    help_text = await world.wecom_says(RESIDENT, "你好！")
    # The conversation is the intake point here: report here, not "in the group".
    assert help_text is not None and help_text.startswith("直接在这里描述问题即可登记")
    assert world.count("tickets") == 0


# sending ------------------------------------------------------------------------------------
async def test_access_token_is_cached_and_refreshed_when_rejected(world: World) -> None:
    for n in range(3):
        await world.wecom.send(Outbound("wecom", RESIDENT, f"第{n}条", id=n + 1))
    assert world.fake.token_requests == 1
    world.fake.expire_tokens()
    await world.wecom.send(Outbound("wecom", RESIDENT, "换了令牌", id=9))
    assert world.fake.token_requests == 2
    assert [c.content for c in world.fake.sent("message/send")] == [
        "第0条",
        "第1条",
        "第2条",
        "换了令牌",
    ]


async def test_platform_errors_map_to_retry_or_not(world: World) -> None:
    message = Outbound("official_account", OA_RESIDENT, "您好", id=1)
    world.fake.fail_next = [-1]
    with pytest.raises(TemporaryFailure) as busy:
        await world.oa.send(message)
    assert busy.value.retry_after == 5.0
    world.fake.fail_next = [500]
    with pytest.raises(TemporaryFailure):
        await world.oa.send(message)
    world.fake.fail_next = [45015]  # OA: the user has not written in the last 48 hours
    with pytest.raises(AwaitingContact):
        await world.oa.send(message)
    world.fake.fail_next = [40003]  # an openid the account does not know: for good
    with pytest.raises(WeChatSendError):
        await world.oa.send(message)
    await world.oa.send(message)
    assert [c.to for c in world.fake.sent("message/custom/send")] == [OA_RESIDENT]


async def test_an_answer_that_is_not_the_apis_is_not_taken_as_sent(world: World) -> None:
    """A proxy or captive portal on the way answers 200 with an HTML page.  wechatpy hands
    back what it could not read as JSON, and the message was marked sent without having
    reached WeChat; it is now an outage, retried later."""
    for adapter, chat in (
        (world.wecom, RESIDENT),
        (world.oa, OA_RESIDENT),
        (world.wecom, "appchat:g"),
    ):
        world.fake.fail_next = [200]
        with pytest.raises(TemporaryFailure, match="not the API's answer"):
            await adapter.send(Outbound(adapter.channel, chat, "工单 #1 已办结", id=1))
    assert world.fake.calls == []
    await world.oa.send(Outbound("official_account", OA_RESIDENT, "工单 #1 已办结", id=1))
    assert [c.to for c in world.fake.sent("message/custom/send")] == [OA_RESIDENT]


async def test_failed_active_send_stays_in_the_outbox_and_is_retried(world: World) -> None:
    """The ack of a claim goes to the reporter actively; the first try meets "system
    busy", the dispatcher keeps the row, and delivers it when its retry time comes."""
    assert await world.wecom_says(RESIDENT, "邻居家漏水到我家") is not None
    await world.fake.wait_for(lambda: len(world.fake.sent("webhook/send")) == 1)
    await world.fake.wait_for(lambda: len(sent_to(world, WORKER)) == 1)  # told of the report
    world.fake.fail_next = [-1]
    assert await world.wecom_says(WORKER, "认领 1") is not None
    pending = "SELECT attempts, last_error IS NOT NULL FROM outbox WHERE sent_at IS NULL"
    await world.bot.dispatcher.flush()
    # "System busy" comes with a wait of WeChat's choosing: rescheduled, not counted as a
    # failed attempt (so a long busy spell can never park the reply).
    assert world.rows(pending) == [(0, 1)]
    assert sent_to(world, RESIDENT) == []
    world.bot.dispatcher.clock = lambda: datetime.now(UTC) + timedelta(seconds=30)
    # The background delivery loop may take the row first; after this flush (which waits
    # for any flush under way) it has gone either way, exactly once.
    await world.bot.dispatcher.flush()
    assert [c.to for c in world.fake.sent("message/send")] == [WORKER, RESIDENT]
    assert world.rows(pending) == []


async def test_group_notifications_via_appchat_and_robot(world: World) -> None:
    await world.wecom.send(Outbound("wecom", "appchat:grid-dz", "网格群通知", id=1))
    await world.wecom.send(Outbound("wecom", "robot", "值班提醒", id=2))
    assert [(c.to, c.content) for c in world.fake.sent("appchat/send")] == [
        ("grid-dz", "网格群通知")
    ]
    assert [c.content for c in world.fake.sent("webhook/send")] == ["值班提醒"]
    world.wecom.robot_webhook = None
    with pytest.raises(WeChatSendError):
        await world.wecom.send(Outbound("wecom", "robot", "x", id=3))


async def test_wecom_keeps_each_chats_limit_a_minute(world: World) -> None:
    """A disaster night's notices (every new report to each grid worker and the robot) kept
    to WeCom's limits: the group robot takes 20 a minute (more are refused with 45009) and
    a member 30 app messages a minute (more are dropped unsent, though answered ok).  Past
    them a send waits for the window, asking nothing of WeChat: it used to send all."""
    for n in range(20):
        await world.wecom.send(Outbound("wecom", "robot", f"新工单 #{n}", id=n))
    with pytest.raises(TemporaryFailure) as robot_full:
        await world.wecom.send(Outbound("wecom", "robot", "新工单 #20", id=20))
    assert 45 < (robot_full.value.retry_after or 0) <= 60.1  # when the first leaves it
    assert len(world.fake.sent("webhook/send")) == 20
    for n in range(29):
        await world.wecom.send(Outbound("wecom", WORKER, f"【群众反映】新工单 #{n}", id=100 + n))
    # A text of two pieces does not fit the one place left: nothing of it goes.
    long = "\n".join(f"第{n}行：" + "调解记录" * 20 for n in range(20))
    with pytest.raises(TemporaryFailure):
        await world.wecom.send(Outbound("wecom", WORKER, long, id=200))
    await world.wecom.send(Outbound("wecom", WORKER, "【群众反映】新工单 #29", id=201))
    with pytest.raises(TemporaryFailure):
        await world.wecom.send(Outbound("wecom", WORKER, "【群众反映】新工单 #30", id=202))
    assert len(sent_to(world, WORKER)) == 30
    # Another member's chat has its own 30; app group chats are not paced here.
    await world.wecom.send(Outbound("wecom", RESIDENT, "工单 #1 进展：处理中", id=300))
    await world.wecom.send(Outbound("wecom", "appchat:grid-dz", "网格群通知", id=301))
    assert len(sent_to(world, RESIDENT)) == 1 and len(world.fake.sent("appchat/send")) == 1


async def test_long_text_is_split_under_the_2048_byte_limit(world: World) -> None:
    text = "\n".join(f"第{n}行：" + "调解记录" * 20 for n in range(40))
    await world.wecom.send(Outbound("wecom", RESIDENT, text, id=1))
    pieces = [c.content for c in world.fake.sent("message/send")]
    assert len(pieces) > 1
    assert all(len(p.encode()) <= 2048 for p in pieces)
    assert "\n".join(pieces) == text


async def test_a_reply_too_long_for_one_message_starts_as_the_passive_reply(
    world: World,
) -> None:
    """A reply longer than one WeChat text (2048 bytes: a staff member's 帮助 or a long list)
    has its first piece as the passive reply, the only answer an account without the
    customer-service permission (an unverified account) can give at all; the rest follows
    through the API.  The whole reply used to go through the API, so such an account's
    people got nothing."""
    long_reply = "\n".join(f"第{n}条：" + "调解记录" * 20 for n in range(40))
    deliveries: list[asyncio.Task[str]] = []

    def replying(adapter: Any) -> Any:
        async def handle(inbound: Any) -> bool:
            # What the pipeline and the outbox do, the reply being this long text.
            reply = Outbound(
                adapter.channel, inbound.room.chat_id, long_reply, id=len(deliveries) + 1
            )
            reply.reply_to_message_id = inbound.message_id
            deliveries.append(asyncio.create_task(adapter.send(reply)))
            return True

        return handle

    world.oa.endpoint.start_handling(replying(world.oa))
    world.wecom.endpoint.start_handling(replying(world.wecom))
    world.fake.fail_next = [48001]  # api unauthorized: an account without the permission
    first = await world.oa_says(OA_STAFF, "帮助")
    assert first is not None and len(first.encode()) <= 2048
    assert long_reply.startswith(first)
    with pytest.raises(PartlySent) as partly:  # the rest: parked, as any text
        await deliveries[0]
    assert partly.value.sent == 1 and isinstance(partly.value.failure, WeChatSendError)
    assert "48001" in str(partly.value.failure)
    # With the API open (a verified account, a WeCom app), the rest follows.
    first = await world.wecom_says(STAFF_USER, "帮助")
    assert first is not None
    await deliveries[1]
    rest = [c.content for c in world.fake.sent("message/send")]
    assert rest and all(len(p.encode()) <= 2048 for p in rest)
    assert "\n".join([first, *rest]) == long_reply


async def test_a_long_text_never_sends_an_empty_piece(world: World) -> None:
    """A piece that fills a message, a blank line, then a paragraph longer than a message:
    the blank line was a piece of its own, an empty text WeChat refuses (44004), so the
    row was parked after its first piece and the paragraph never went."""
    first = "调解记录" * 166 + "。。."  # 1,999 bytes: with its line end, a whole piece
    paragraph = "当事人陈述：" + "楼上漏水" * 200
    text = f"{first}\n\n{paragraph}"
    await world.wecom.send(Outbound("wecom", RESIDENT, text, id=1))
    pieces = [c.content for c in world.fake.sent("message/send")]
    assert all(p.strip() and len(p.encode()) <= 2048 for p in pieces)
    assert "".join(pieces) == first + paragraph


async def test_a_long_text_whose_second_piece_fails_is_retried_from_that_piece(
    world: World,
) -> None:
    """Piece 1 of a long text went, piece 2 met an outage: the retry sends pieces 2 and
    on, so the reader gets piece 1 once (the whole text used to go again)."""
    text = "\n".join(f"第{n}行：" + "调解记录" * 20 for n in range(60))
    pieces = split_text(text)
    assert len(pieces) >= 3
    world.fake.fail_next = [0, 500]  # the first piece goes, the second fails once
    async with world.bot.store.write() as tx:
        row = await tx.enqueue(Outbound("wecom", RESIDENT, text), iso(utc_now()))
    await world.bot.dispatcher.flush()
    state = f"SELECT parts_sent, sent_at IS NOT NULL, attempts FROM outbox WHERE id = {row}"
    assert world.rows(state) == [(1, 0, 1)]
    assert [c.content for c in sent_to(world, RESIDENT)] == pieces[:1]
    world.bot.dispatcher.clock = lambda: datetime.now(UTC) + timedelta(seconds=30)
    await world.bot.dispatcher.flush()
    assert [c.content for c in sent_to(world, RESIDENT)] == pieces
    assert world.rows(state) == [(1, 1, 2)]


async def test_a_long_reply_whose_passive_piece_went_is_retried_after_it(world: World) -> None:
    """The first piece went as the passive reply, the next through the API failed: the
    retry sends the rest through the API, not the passive piece again."""
    world.fake.fail_next = [500]
    first = await world.oa_says(OA_STAFF, "帮助")
    assert first is not None
    await world.bot.dispatcher.flush()
    [(row, text, parts)] = world.rows(
        "SELECT id, text, parts_sent FROM outbox WHERE sent_at IS NULL"
    )
    assert parts == 1 and first == split_text(text)[0]
    world.bot.dispatcher.clock = lambda: datetime.now(UTC) + timedelta(seconds=30)
    await world.bot.dispatcher.flush()
    rest = [c.content for c in world.fake.sent("message/custom/send") if c.to == OA_STAFF]
    assert [first, *rest] == split_text(text)
    assert world.rows(f"SELECT sent_at IS NOT NULL FROM outbox WHERE id = {row}") == [(1,)]


async def test_sync_api_calls_do_not_block_the_event_loop(world: World) -> None:
    """While an API call hangs (the fake holds it), callbacks are still answered."""
    world.fake.hold = asyncio.Event()
    sending = asyncio.create_task(world.wecom.send(Outbound("wecom", RESIDENT, "稍等", id=1)))
    await world.fake.wait_for(lambda: bool(world.fake.sent("held:message/send")))
    ts, nonce = str(int(time.time())), "n5"
    params = {"signature": sign(OA_TOKEN, ts, nonce), "timestamp": ts, "nonce": nonce}
    response = await world.http.get(
        world.base + OFFICIAL_ACCOUNT_PATH, params=params | {"echostr": "alive"}
    )
    assert response.text == "alive" and not sending.done()
    world.fake.hold.set()
    await sending
    assert [c.content for c in world.fake.sent("message/send")] == ["稍等"]


def test_channels_builds_both_adapters_with_routes(tmp_path: Path) -> None:
    from bot.channels import build_adapters

    adapters = build_adapters(make_config(tmp_path, "http://127.0.0.1:9"))
    assert [a.channel for a in adapters] == ["wecom", "official_account"]
    paths = [route.path for a in adapters for route in a.routes()]
    assert paths == [WECOM_PATH, OFFICIAL_ACCOUNT_PATH]


@pytest.mark.parametrize(
    ("text", "limit"),
    [
        ("", 10),
        ("短", 10),
        ("一二三四五六七八九十" * 3, 10),
        ("a\nb\nc", 3),
        ("ab\n" * 5, 4),
        ("abc\n\n" + "x" * 9, 4),
        ("\n" + "x" * 9, 4),
    ],
)
def test_split_text_keeps_every_character_within_the_limit(text: str, limit: int) -> None:
    pieces = split_text(text, limit)
    assert all(len(p.encode()) <= limit for p in pieces)
    assert all(pieces) or pieces == [""]  # WeChat refuses an empty text
    assert "".join(pieces).replace("\n", "") == text.replace("\n", "")


class FailingOnceClassifier(FakeClassifier):
    def __init__(self) -> None:
        super().__init__()
        self.failed = False

    def classify(self, text: str) -> Classification:
        if not self.failed:
            self.failed = True
            raise RuntimeError("model file unreadable")
        return super().classify(text)


async def test_pipeline_failure_is_500_so_wechat_retries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing could be stored (the database is down), so the callback must not say
    "success": WeChat's retry of the same message then goes through."""
    async with running_world(tmp_path) as w:
        write = w.bot.store.write

        def down(*args: Any, **kwargs: Any) -> Any:
            raise ConnectionError("database is down")

        monkeypatch.setattr(w.bot.store, "write", down)
        posted = w.wecom_callback(RESIDENT, Content="村口的桥栏杆断了")
        assert (await w.post(posted)).status_code == 500
        assert w.count("inbound_messages") == 0
        monkeypatch.setattr(w.bot.store, "write", write)
        reply = w.reply_text(await w.post(posted), w.wecom_crypto)
        assert reply is not None and "已受理" in reply
        assert w.count("tickets") == 1


async def test_a_step_that_fails_once_is_tried_again_at_once(tmp_path: Path) -> None:
    """The pipeline tries a failed message again itself before anything is answered."""
    async with running_world(tmp_path, classifier=FailingOnceClassifier()) as w:
        reply = await w.wecom_says(RESIDENT, "村口的桥栏杆断了")
        assert reply is not None and "已受理" in reply
        assert w.count("tickets") == 1


async def test_callback_before_the_adapter_started_is_503(tmp_path: Path) -> None:
    config = make_config(tmp_path, "http://127.0.0.1:9")
    adapter = WeComAdapter(config)
    app = build_app(adapter.routes(), config.http.max_body_bytes)
    inner = message_xml(CORP_ID, RESIDENT, Content="有人在楼道里吸烟", MsgId=42, AgentID=1000002)
    async with running_server(app) as base, httpx.AsyncClient() as http:
        posted = wecom_encrypt(inner)
        response = await http.post(base + posted.path, params=posted.params, content=posted.body)
        assert response.status_code == 503


async def test_production_entry_point_serves_the_callbacks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, served: list[Any]
) -> None:
    """`bot.channels.serve` (what `intake-bot` runs): one HTTP server with both WeChat
    endpoints, the bot behind them.  Only the port (ephemeral) and the model are swapped."""
    import bot.channels

    monkeypatch.setattr("bot.app.load_default", FakeClassifier)
    fake = FakeWeChat()
    async with running_server(fake.app()) as api, httpx.AsyncClient(timeout=10) as http:
        config = make_config(tmp_path, api)
        ready = asyncio.Event()
        serving = asyncio.create_task(bot.channels.serve(config, ready))
        try:
            async with asyncio.timeout(10):
                await ready.wait()
            base = f"http://127.0.0.1:{port_of(served[0])}"
            ts, nonce = str(int(time.time())), "n6"
            params = {"signature": sign(OA_TOKEN, ts, nonce), "timestamp": ts, "nonce": nonce}
            response = await http.get(
                base + OFFICIAL_ACCOUNT_PATH, params=params | {"echostr": "up"}
            )
            assert response.text == "up"
            inner = message_xml(CORP_ID, RESIDENT, Content="水管爆了", MsgId=77, AgentID=1000002)
            posted = wecom_encrypt(inner)
            response = await http.post(
                base + posted.path, params=posted.params, content=posted.body
            )
            crypto = EnterpriseCrypto(WECOM_TOKEN, WECOM_KEY, CORP_ID)
            outer = xmltodict.parse(response.text)["xml"]
            reply = crypto.decrypt_message(
                response.text, outer["MsgSignature"], outer["TimeStamp"], outer["Nonce"]
            )
            assert "已受理" in xmltodict.parse(reply)["xml"]["Content"]
        finally:
            serving.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await serving


async def test_passive_reply_survives_cdata_terminators_in_echoed_text(world: World) -> None:
    """Replies echo people's words; a "]]>" in them must not break the reply XML."""
    reply = await world.wecom_says(RESIDENT, "/x]]><MsgType>image</MsgType>")
    assert reply is not None and "/x]]><MsgType>" in reply
    plain_mode(world)
    reply = await world.oa_says(OA_RESIDENT, "/y]]>z", encrypted=False)
    assert reply is not None and "/y]]>z" in reply


async def test_token_is_refreshed_before_it_expires(world: World) -> None:
    await world.oa.send(Outbound("official_account", OA_RESIDENT, "一", id=1))
    assert world.fake.token_requests == 1
    world.oa.client.expires_at = int(time.time()) + 30  # within wechatpy's 60 s margin
    await world.oa.send(Outbound("official_account", OA_RESIDENT, "二", id=2))
    assert world.fake.token_requests == 2
    assert len(world.fake.sent("message/custom/send")) == 2


async def test_one_http_app_hosts_the_telegram_webhook_and_both_wechat_callbacks(
    tmp_path: Path,
) -> None:
    """With Telegram in webhook mode too, all callbacks share the one server's app."""
    from bot.channels import build_adapters
    from bot.config import TelegramConfig

    config = make_config(tmp_path, "http://127.0.0.1:9").model_copy(
        update={
            "telegram": TelegramConfig(
                token="123:abc",
                mode="webhook",
                webhook_url="https://bot.example.cn/telegram-hook",
                webhook_secret="s3cret",
            )
        }
    )
    adapters = build_adapters(config)
    routes = [route for adapter in adapters for route in adapter.routes()]
    assert [route.path for route in routes] == ["/telegram-hook", WECOM_PATH, OFFICIAL_ACCOUNT_PATH]
    app = build_app(routes, config.http.max_body_bytes)
    ts, nonce = str(int(time.time())), "n7"
    params = {"signature": sign(OA_TOKEN, ts, nonce), "timestamp": ts, "nonce": nonce}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bot") as http:
        response = await http.get(OFFICIAL_ACCOUNT_PATH, params=params | {"echostr": "shared"})
    assert response.text == "shared"


# files: /export (导出台账) --------------------------------------------------------------------
LEDGER_CONFIG = """
database = "{database}"
[[areas]]
code = "DZ"
name = "东镇第一网格"
[[intake_groups]]
channel = "wecom"
chat_id = "*"
area = "DZ"
[[intake_groups]]
channel = "official_account"
chat_id = "*"
area = "DZ"
"""


async def test_export_uploads_the_ledger_and_sends_it_as_a_wecom_file(
    world: World, tmp_path: Path
) -> None:
    """The request is answered passively; the file goes through WeCom's media upload (a
    real multipart request from wechatpy, in a worker thread, with a token that has to
    be fetched again) and a file message after its caption; what was uploaded is byte
    for byte what `db export` writes, and the file made for it is gone."""
    from zoneinfo import ZoneInfo

    from bot.cli import main

    spool = tmp_path / "spool"
    spool.mkdir()
    world.bot.documents.directory = str(spool)
    assert await world.wecom_says(RESIDENT, "楼上漏水把我家泡了，我电话13812345678") is not None
    today = datetime.now(ZoneInfo(world.config.timezone)).date()
    first, last = today - timedelta(days=1), today + timedelta(days=1)
    await asyncio.to_thread(world.wecom.client.fetch_access_token)
    world.fake.expire_tokens()  # the upload meets 42001 and fetches a new token once

    coming = await world.wecom_says(STAFF_USER, f"导出台账 {first}..{last}")
    assert coming is not None and coming.startswith("正在生成台账（全部网格，")

    def file_messages() -> list[Any]:
        return [c for c in world.fake.sent("message/send") if c.msgtype == "file"]

    await world.fake.wait_for(lambda: bool(file_messages()))
    await world.bot.dispatcher.flush()  # waits for the send in flight to be recorded
    assert world.fake.token_requests == 2
    [upload] = world.fake.sent("media/upload")
    [message] = file_messages()
    to_staff = [c for c in world.fake.sent("message/send") if c.to == STAFF_USER]
    assert [c.msgtype for c in to_staff] == ["text", "file"]  # the caption, then the file
    caption = f"台账：全部网格，{first} 至 {last} 受理，共 1 件。电话、身份证号已隐去。"
    assert to_staff[0].content == caption
    assert message.body["file"]["media_id"] == upload.body["media_id"]
    assert message.body["agentid"] == int(AGENT_ID)
    media = world.fake.media[upload.body["media_id"]]
    assert (media.filename, media.content_type) == (f"台账-{first}至{last}.csv", "text/csv")
    assert list(spool.iterdir()) == []

    config_file = tmp_path / "ledger.toml"
    config_file.write_text(LEDGER_CONFIG.format(database=world.config.database), encoding="utf-8")
    out = tmp_path / "cli.csv"
    argv = ["db", "export", "--config", str(config_file), "--from", str(first), "--to", str(last)]
    assert await asyncio.to_thread(main, [*argv, str(out)]) == 0
    assert media.data == out.read_bytes()
    assert "一对一会话" in media.data.decode("utf-8-sig")  # never the resident's own id
    assert b"13812345678" not in media.data


async def test_a_ledger_over_wecoms_limit_is_answered_with_the_limit(world: World) -> None:
    assert await world.wecom_says(RESIDENT, "小区门口垃圾堆了一个星期没人清理") is not None
    world.wecom.max_document_bytes = 100
    coming = await world.wecom_says(STAFF_USER, "导出台账")
    assert coming is not None and coming.startswith("正在生成台账")
    await world.fake.wait_for(
        lambda: any("未能发送" in c.content for c in world.fake.sent("message/send"))
    )
    [refusal] = [c for c in world.fake.sent("message/send") if c.to == STAFF_USER]
    assert refusal.content.startswith("台账文件超过企业微信单个文件 0.1 kB 的上限，未能发送。")
    assert world.fake.sent("media/upload") == []


@pytest.mark.parametrize("refusal", ["wecom", "proxy"])
async def test_a_file_wecom_refuses_as_too_large_is_answered_not_retried(
    world: World, refusal: str
) -> None:
    """Under the adapter's own limit, WeCom (errcode 40006, 不合法的文件大小) or a proxy
    before it (HTTP 413) refuses the upload: the asker is told so at once, in place of
    the file being made and uploaded again for hours."""
    assert await world.wecom_says(RESIDENT, "小区门口垃圾堆了一个星期没人清理") is not None
    if refusal == "wecom":
        world.fake.max_file_bytes = 100
    else:
        world.fake.upload_status = 413
    assert (await world.wecom_says(STAFF_USER, "导出台账") or "").startswith("正在生成台账")
    await world.fake.wait_for(
        lambda: any("拒收" in c.content for c in world.fake.sent("message/send"))
    )
    [refused] = [c for c in world.fake.sent("message/send") if c.to == STAFF_USER]
    assert refused.content.startswith("台账文件被企业微信以文件过大拒收，未能发送。")
    assert world.fake.sent("media/upload") == []  # nothing was taken
    assert world.rows("SELECT count(*) FROM outbox WHERE document IS NOT NULL") == [(0,)]


def test_a_proxys_413_on_a_text_is_an_outage_not_a_file_too_large() -> None:
    """Only an upload may be refused as too large; a 413 on anything else is retried like
    any outage (the outbox has no file to say it of)."""
    from bot.adapters.base import DocumentTooLarge
    from bot.adapters.wechat import _call

    response = requests.Response()
    response.status_code = 413
    refusal = WeChatClientException(None, None, response=response)

    def refuse() -> None:
        raise refusal

    with pytest.raises(TemporaryFailure):
        _call(object(), refuse)
    with pytest.raises(DocumentTooLarge):
        _call(object(), refuse, upload=True)


async def test_the_official_account_cannot_send_files_and_says_so(world: World) -> None:
    reply = await world.oa_says(OA_STAFF, "导出台账 本月")
    assert reply == (
        "微信公众号不能由机器人发送文件，台账无法在这里导出。请在企业微信或 Telegram 中私聊"
        "机器人发送「导出台账」，或请管理员在服务器上运行 intake-bot db export。"
    )
    assert world.rows("SELECT count(*) FROM outbox WHERE document IS NOT NULL") == [(0,)]


async def test_a_group_on_a_platform_not_set_up_is_named_as_the_bot_starts(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    served: list[Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Groups still Telegram's with only the WeChat sections written: nobody there would
    be heard, and the start said nothing of it."""
    import bot.channels

    monkeypatch.setattr("bot.app.load_default", FakeClassifier)
    async with running_server(FakeWeChat().app()) as api:
        config = make_config(tmp_path, api)
        config.intake_groups.append(IntakeGroup(channel="telegram", chat_id="-100", area="DZ"))
        ready = asyncio.Event()
        serving = asyncio.create_task(bot.channels.serve(config, ready))
        try:
            async with asyncio.timeout(10):
                await ready.wait()
        finally:
            serving.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await serving
    [warning] = [r.getMessage() for r in caplog.records if r.name == "bot.channels"]
    named, _, said = warning.partition(" on a channel ")
    assert named == "intake_groups[2] (telegram)"  # the WeChat groups are served
    assert said.startswith("this config sets up no section for")
