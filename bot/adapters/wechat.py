"""WeChat adapters: a WeCom (企业微信) self-built app and an Official Account (公众号).

Both only translate.  A callback becomes an `Inbound`; an `Outbound` becomes a passive
reply (when the callback it answers is still open) or an API call.  The shared callback
machinery (signatures, replay window, safe XML, the 5-second rule) is in
`bot.adapters.wechat_callback`; parsing and crypto are wechatpy's.

Rooms.  Neither product calls us for group chats: every message reaches the app or the
account one to one, so each conversation is a private room whose chat id is the sender's
WeCom userid or OA openid, and replies go back there.  An app or account becomes an
intake point with an intake group whose `chat_id` is "*" (see `Config.intake_group`).
Outgoing WeCom chat ids may also name a group: "robot" is the group robot webhook
(`robot_webhook`), "appchat:<chatid>" an app group chat; anything else is a userid.

Sending.  wechatpy's clients are synchronous (`requests`), so every call runs in a worker
thread, with a timeout, with `auto_retry=False` (its retry loop has no bound), and with
the token URL honouring `api_base_url` (wechatpy hard-codes it).  The access token is
cached by wechatpy until shortly before it expires; a token the platform rejects is
dropped and fetched again once.  WeChat cannot edit a sent message, so an edit is sent as
a new message, its news alone (`Outbound.news`); it has no inline buttons either, so
buttons are left out (commands are typed: 认领 12).

Files.  A WeCom app sends a document (the ledger) as WeCom does: the file is uploaded as
temporary media (`media/upload`, type file, at most 20 MB), its caption goes as a text
(a file message has none), then a file message names the media id.  An Official
Account cannot: its customer-service and passive messages have no file type, so the
adapter says it sends no files (`max_document_bytes` None) and /export is answered
with that.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import requests
from starlette.routing import Route
from wechatpy import WeChatClient as OfficialAccountClient
from wechatpy import parse_message as parse_official_account_message
from wechatpy.crypto import WeChatCrypto as OfficialAccountCrypto
from wechatpy.enterprise import WeChatClient as EnterpriseClient
from wechatpy.enterprise import WeChatCrypto as EnterpriseCrypto
from wechatpy.enterprise import parse_message as parse_wecom_message
from wechatpy.enterprise.replies import TextReply as WeComTextReply
from wechatpy.exceptions import WeChatClientException
from wechatpy.replies import TextReply as OfficialAccountTextReply

from bot import commands, i18n
from bot.adapters.base import (
    Attachment,
    AwaitingContact,
    DocumentTooLarge,
    Inbound,
    InboundHandler,
    InboundJournal,
    Outbound,
    PartlySent,
    PermanentFailure,
    Person,
    Room,
    SendWindow,
    Taken,
    TemporaryFailure,
)
from bot.adapters.wechat_callback import (
    PASSIVE_WAIT,
    Callback,
    CallbackEndpoint,
    CallbackRefused,
    check_signature,
    check_timestamp,
    guard_xml,
    parse_xml,
    signed,
    split_text,
)
from bot.config import Config, NoticeTemplate

log = logging.getLogger(__name__)

WECOM = "wecom"
OFFICIAL_ACCOUNT = "official_account"
WECOM_PATH = "/wechat/wecom"
OFFICIAL_ACCOUNT_PATH = "/wechat/official-account"
ROBOT = "robot"
APPCHAT_PREFIX = "appchat:"

API_TIMEOUT = 10.0
# errcodes: the access token is invalid or expired -> fetch a new one and try once more.
TOKEN_ERRORS = {40001, 40014, 42001}
# errcodes worth retrying later: system busy, too many calls at once (seconds to wait).
BUSY_ERRORS = {-1: 5.0, 45033: 60.0}
# The API's calls over a limit of the whole account (接口调用超过限制): its quota a day
# (WeChat resets them at midnight, Beijing time), or an hour or a minute.  From a group
# robot, whose webhook is no API call, it is the robot's 20 a minute.
QUOTA_REACHED = 45009
ROBOT_FULL = 60.0
# After a 45009 the account's API sends wait (`_WeChatAdapter._quota_hold`): a minute, then
# twice as long after each 45009 in a row, but never past just after WeChat's midnight.
QUOTA_FIRST_WAIT = 60.0
QUOTA_RESET_ZONE = ZoneInfo("Asia/Shanghai")
QUOTA_RESET_MARGIN = timedelta(minutes=1)
# errcodes that close until the person writes again: an Official Account may send them
# customer-service messages only within 48 hours of their last message (45015), and only
# so many in that time (45047).
UNTIL_THEY_WRITE = {45015, 45047}
# errcode for a file the platform will not take at its size (不合法的文件大小), as HTTP 413 is
# from a proxy before it: the same file can never go, so the reader is told (`DocumentTooLarge`).
FILE_TOO_LARGE = 40006
# errcodes for a server address the account does not let call its API (WeCom's 企业可信IP,
# the Official Account's IP白名单), with where in the console it is added.  Every send fails
# until an operator adds it, so each row is parked at once, its refusal naming the fix
# (`intake-bot db outbox` shows it), and `--resend` sends them then; retried for a day
# instead, they waited unseen by /healthz until `stalled_after` and then lay parked all
# the same, with WeChat's bare "not allow to access from your ip".
IP_NOT_ALLOWED = {60020: "应用管理 → 企业可信IP", 40164: "基本配置 → IP白名单"}
# A WeCom app's text sent again within this many seconds, word for word to the same member,
# is not shown again (WeCom's duplicate check, `enable_duplicate_check`; at most 4 hours):
# a send whose answer timed out had often reached WeCom, and its retry showed it twice.
# WeCom's default, half an hour: the outbox's retries of a timed-out send (back-off up to 5
# minutes) fall inside it, and a text repeated inside it says what the member just read.
DUPLICATE_CHECK_SECONDS = 1800
# How many messages WeCom takes into one chat, as (limit, seconds): a group robot 20 a minute
# (more are refused with 45009), an app's messages to one member 30 a minute and 1,000 an
# hour (more are dropped unsent, answered ok).
ROBOT_LIMITS = ((20, 60.0),)
MEMBER_LIMITS = ((30, 60.0), (1000, 3600.0))


# inbound --------------------------------------------------------------------------------
# WeChat's own faces (the yellow ones of its picker, 表情) reach the account as codes in the
# text, in the picker's order: "/::)" 微笑 … "/:&>" 右太极 (older clients: a slash and the
# name, "/微笑").  Taken for commands, a smile was answered 不认识的命令 /::); they are read as
# WeChat shows them in the chat, "[微笑]" (chatter to the classifier, as an emoji is).
_CODES = (
    "/::) /::~ /::B /::| /:8-) /::< /::$ /::X /::Z /::'( /::-| /::@ /::P /::D /::O /::( /::+ "
    "/:--b /::Q /::T /:,@P /:,@-D /::d /:,@o /::g /:|-) /::! /::L /::> /::,@ /:,@f /::-S /:? "
    "/:,@x /:,@@ /::8 /:,@! /:!!! /:xx /:bye /:wipe /:dig /:handclap /:&-( /:B-) /:<@ /:@> "
    "/::-O /:>-| /:P-( /::'| /:X-) /::* /:@x /:8* /:pd /:<W> /:beer /:basketb /:oo /:coffee "
    "/:eat /:pig /:rose /:fade /:showlove /:heart /:break /:cake /:li /:bome /:kn /:footb "
    "/:ladybug /:shit /:moon /:sun /:gift /:hug /:strong /:weak /:share /:v /:@) /:jj /:@@ "
    "/:bad /:lvu /:no /:ok /:love /:<L> /:jump /:shake /:<O> /:circle /:kotow /:turn /:skip "
    "/:oY /:#-0 /:hiphot /:kiss /:<& /:&>"
)
_NAMES = (
    "微笑 撇嘴 色 发呆 得意 流泪 害羞 闭嘴 睡 大哭 尴尬 发怒 调皮 呲牙 惊讶 难过 酷 冷汗 抓狂 吐 "
    "偷笑 可爱 白眼 傲慢 饥饿 困 惊恐 流汗 憨笑 大兵 奋斗 咒骂 疑问 嘘 晕 折磨 衰 骷髅 敲打 再见 "
    "擦汗 抠鼻 鼓掌 糗大了 坏笑 左哼哼 右哼哼 哈欠 鄙视 委屈 快哭了 阴险 亲亲 吓 可怜 菜刀 西瓜 "
    "啤酒 篮球 乒乓 咖啡 饭 猪头 玫瑰 凋谢 示爱 爱心 心碎 蛋糕 闪电 炸弹 刀 足球 瓢虫 便便 月亮 "
    "太阳 礼物 拥抱 强 弱 握手 胜利 抱拳 勾引 拳头 差劲 爱你 NO OK 爱情 飞吻 跳跳 发抖 怄火 转圈 "
    "磕头 回头 跳绳 挥手 激动 街舞 献吻 左太极 右太极"
)
_FACE_NAMES = _NAMES.split()
_FACES = dict(zip(_CODES.split(), _FACE_NAMES, strict=True))


def _alternatives(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # longest first


def _code(code: str) -> str:
    """A code that ends in a letter or digit is not one where the word goes on ("/:okay")."""
    return re.escape(code) + ("(?![A-Za-z0-9])" if code[-1].isalnum() else "")


# WeChat puts a face in as a token of its own, right after words ("装修了/::@") or another
# face ("/:strong/:strong", one run).  A run right after a letter, a digit or a URL's or
# path's punctuation is part of that ("https://…/s/:v2", "/usr/:pd", "std/::P"), as is a
# code whose word goes on ("/:okay"): those were turned into faces ("…/s[胜利]2").
_ONE_FACE = re.compile(_alternatives(_FACES))
_FACE_CODE = re.compile(
    r"(?<![A-Za-z0-9/._~%=&?#+-])(?:"
    + "|".join(_code(c) for c in sorted(_FACES, key=len, reverse=True))
    + ")+"
)
# The name forms only as a whole message of faces: "刀具/刀片" in a report is words.
_FACE_BY_NAME = re.compile(rf"/({_alternatives(_FACE_NAMES)})")
_ONLY_FACES = re.compile(rf"(?:\s|\[[^\[\]\s]{{1,8}}\]|/(?:{_alternatives(_FACE_NAMES)}))+")


# What an Official Account is given in place of what it is not passed (a sticker, 表情包; a
# red packet; a contact card): WeChat's words, not the sender's.
UNSUPPORTED = "【收到不支持的消息类型，暂无法显示】"


def faces_as_names(text: str) -> str:
    """WeChat's face codes in `text` as the faces' names in brackets: "/::)" -> "[微笑]"."""
    text = _FACE_CODE.sub(
        lambda run: _ONE_FACE.sub(lambda m: f"[{_FACES[m.group()]}]", run.group()), text
    )
    if "/" in text and _ONLY_FACES.fullmatch(text):
        text = _FACE_BY_NAME.sub(r"[\1]", text)
    return text


def to_inbound(channel: str, message: Any) -> Inbound | None:
    """A parsed wechatpy message or event as an `Inbound`; None for what we do not act on.

    The message id is WeChat's MsgId, which every retry of a callback repeats, so the
    pipeline's (channel, chat, message id) key recognises retries.  Events have no MsgId;
    a menu click becomes its key typed as text (e.g. a "我的" menu item runs 我的; a key
    that is no command, /start: `menu_text`), identified by sender, time and key, which
    retries repeat too; following the account becomes /start, identified by sender and time.
    """
    sender = str(message.source or "")
    if not sender:
        return None
    person = Person(channel, sender)
    room = Room(channel, sender, is_private=True)
    kind = message.type
    if kind == "event":
        event = getattr(message, "event", "")
        if event in ("subscribe", "subscribe_scan"):
            # Following the account (through a QR code with a scene too), or a WeCom member
            # following the app: a first contact, as /start is on Telegram, answered with
            # how to report here.  Retries repeat the time.
            return Inbound(person, room, f"subscribe-{message.time}", "/start")
        if event != "click" or not getattr(message, "key", None):
            return None  # unsubscribe, enter_agent, view ...: nothing to record
        # Not `is_button`: no bot message was pressed; the key is what the menu "types".
        key = str(message.key)
        return Inbound(person, room, f"click-{message.time}-{key}"[:120], menu_text(key))
    message_id = str(message.id or "")
    if not message_id:
        return None
    text = ""
    attachments: tuple[Attachment, ...] = ()
    if kind == "text":
        text = faces_as_names(str(message.content or ""))
        if text.strip() == UNSUPPORTED:
            text = ""  # a message with no words, as a sticker is (their writing all the same)
    elif kind == "image":
        attachments = (Attachment("photo", str(message.media_id or ""), str(message.image or "")),)
    elif kind == "voice":
        text = str(getattr(message, "recognition", None) or "")
        attachments = (Attachment("voice", str(message.media_id or ""), str(message.format or "")),)
    elif kind in ("video", "shortvideo"):
        attachments = (Attachment("video", str(message.media_id or "")),)
    elif kind == "location":
        ref = f"{message.location_x},{message.location_y}"
        attachments = (Attachment("location", ref, str(message.label or "")),)
    elif kind == "link":
        attachments = (Attachment("link", str(message.url or ""), str(message.title or "")),)
    else:
        return None
    return Inbound(person, room, message_id, text, attachments=attachments)


def inbound_of(channel: str, message: Any) -> Inbound | None:
    """`to_inbound`, with a field wechatpy cannot read as its type a 400: wechatpy converts a
    field (MsgId, CreateTime, a location's coordinates) only when it is read, so a signed
    message with `<MsgId>abc</MsgId>` passed the parse and was a 500 with a traceback, which
    WeChat sends again three times."""
    try:
        return to_inbound(channel, message)
    except (ValueError, TypeError, OverflowError, OSError) as exc:
        raise CallbackRefused(400, f"malformed field: {exc}"[:200]) from exc


def menu_text(key: str) -> str:
    """What a menu item's key "types": the key itself when it is a command (我的, 帮助, 查询),
    else /start, answered with how to report here.  A key is often the developer's name for
    the item (V1001_REPORT for 我要反映); taken as typed, it was filed as a report whose words
    were "V1001_REPORT", and a picture sent before it was merged into that."""
    try:
        if commands.parse(key) is None and commands.progress_question(key.strip()) is None:
            log.warning("menu key %r is not a command: answered as /start", key[:60])
            return "/start"
    except commands.CommandError:
        pass  # a command with a fault in it (上报 with nothing to report): its answer says so
    return key


def cdata_safe(text: str) -> str:
    """Text for wechatpy's `<![CDATA[...]]>` fields: a "]]>" in it (people's words are
    echoed in replies) would end the section early and break the reply, so it is split
    across two sections."""
    return text.replace("]]>", "]]]]><![CDATA[>")


def _query(query: dict[str, str], name: str) -> str:
    value = query.get(name)
    if not value:
        raise CallbackRefused(403, f"missing {name}")
    return value


def _decrypt(crypto: Any, fields: dict[str, Any], query: dict[str, str]) -> str:
    """Check msg_signature over the Encrypt field, then decrypt with wechatpy."""
    encrypted = fields.get("Encrypt")
    if not isinstance(encrypted, str) or not encrypted:
        raise CallbackRefused(400, "no Encrypt field")
    signature, timestamp, nonce = (
        query.get("msg_signature"),
        query["timestamp"],
        _query(query, "nonce"),
    )
    check_signature(signature, crypto.token, timestamp, nonce, encrypted)
    try:
        return str(crypto.decrypt_message({"Encrypt": encrypted}, signature, timestamp, nonce))
    except Exception as exc:  # wechatpy raises assorted errors for bad ciphertext
        if type(exc).__name__ in ("InvalidCorpIdException", "InvalidAppIdException"):
            raise CallbackRefused(403, "message is for another corp or app") from exc
        raise CallbackRefused(400, "cannot decrypt") from exc


def _parse(parser: Callable[[str], Any], xml: str) -> Any:
    """wechatpy's parser on guarded XML; any parse failure is the sender's fault (400)."""
    text = guard_xml(xml)
    try:
        message = parser(text)
    except Exception as exc:
        raise CallbackRefused(400, f"malformed message: {type(exc).__name__}") from exc
    if message is None:
        raise CallbackRefused(400, "empty message")
    return message


# sending ---------------------------------------------------------------------------------
class WeChatSendError(PermanentFailure):
    """The platform refused the message for a reason retrying will not fix soon."""


class QuotaReached(TemporaryFailure):
    """The account's API refused a call over its limits (45009): none of its calls goes
    until the limit can have passed (`_WeChatAdapter._quota_hold`)."""


def quota_wait(now: float, refusals: int) -> float:
    """Seconds the account's API sends wait after its `refusals`-th 45009 in a row at `now`:
    `QUOTA_FIRST_WAIT`, doubled for each refusal before it (a limit of a minute or an hour
    passes soon), but not past a minute after the next midnight in Beijing, when WeChat
    resets the quotas of a day."""
    here = datetime.fromtimestamp(now, QUOTA_RESET_ZONE)
    midnight = datetime.combine(here.date() + timedelta(days=1), datetime.min.time(), here.tzinfo)
    reset = (midnight + QUOTA_RESET_MARGIN).timestamp() - now
    return min(QUOTA_FIRST_WAIT * 2.0 ** min(refusals - 1, 20), reset)


def _fetch_token(client: Any, url: str, params: dict[str, str], timeout: float) -> Any:
    """wechatpy's token fetch, but with our base URL and a timeout (it has neither)."""
    response = client._http.get(url=url, params=params, timeout=timeout)
    response.raise_for_status()
    result = response.json()
    if result.get("errcode"):
        raise WeChatClientException(result["errcode"], result.get("errmsg"), client=client)
    expires_in = int(result.get("expires_in", 7200))
    client.session.set(client.access_token_key, result["access_token"], expires_in)
    client.expires_at = int(time.time()) + expires_in
    return result


class WeComClient(EnterpriseClient):  # type: ignore[misc]
    """wechatpy's WeCom client with the token fetched from `API_BASE_URL`, with a timeout."""

    def fetch_access_token(self) -> Any:
        params = {"corpid": self.corp_id, "corpsecret": self.secret}
        return _fetch_token(self, self.API_BASE_URL + "gettoken", params, self.timeout)


class OfficialAccountApiClient(OfficialAccountClient):  # type: ignore[misc]
    """wechatpy's Official Account client with the token fetched from `API_BASE_URL`."""

    def fetch_access_token(self) -> Any:
        params = {"grant_type": "client_credential", "appid": self.appid, "secret": self.secret}
        return _fetch_token(self, self.API_BASE_URL + "token", params, self.timeout)


def _make_client(cls: type[Any], app_id: str, secret: str, base_url: str, timeout: float) -> Any:
    client = cls(app_id, secret, timeout=timeout, auto_retry=False)
    client.API_BASE_URL = base_url if base_url.endswith("/") else base_url + "/"
    return client


def _call(client: Any, call: Callable[[], Any], upload: bool = False) -> Any:
    """Run one API call (in a worker thread); map failures to retry-or-not.

    A rejected token is dropped and the call made once more with a fresh one.  `upload`: a
    file's upload, which alone may be refused as too large (`DocumentTooLarge`); a proxy's
    413 on a text is an outage like any other.
    """
    for attempt in (1, 2):
        try:
            result = call()
            if not isinstance(result, dict):
                # wechatpy hands back a body it cannot read as JSON (a proxy's or captive
                # portal's page, answered with 200): the message did not reach WeChat.
                page = str(getattr(result, "text", result))[:200]
                raise TemporaryFailure(f"not the API's answer: {page!r}")
            return result
        except WeChatClientException as exc:
            code = exc.errcode
            if code in TOKEN_ERRORS and attempt == 1:
                client.session.delete(client.access_token_key)
                client.expires_at = None
                continue
            status = getattr(exc.response, "status_code", None)
            if upload and (code == FILE_TOO_LARGE or (code is None and status == 413)):
                raise DocumentTooLarge(f"WeCom refused the file as too large: {exc}") from exc
            if code is None or code in TOKEN_ERRORS:
                raise TemporaryFailure(f"WeChat API unavailable: {exc}") from exc
            if code in BUSY_ERRORS:
                raise TemporaryFailure(f"WeChat busy: {exc}", BUSY_ERRORS[code]) from exc
            if code == QUOTA_REACHED:
                raise QuotaReached(f"WeChat: the account's calls over its limit: {exc}") from exc
            if code in UNTIL_THEY_WRITE:
                raise AwaitingContact(f"WeChat: not until they write again: {exc}") from exc
            if code in IP_NOT_ALLOWED:
                raise WeChatSendError(
                    f"WeChat refused this server's IP address: {exc}; add it in the console"
                    f" ({IP_NOT_ALLOWED[code]}), then run `intake-bot db outbox --resend`"
                ) from exc
            raise WeChatSendError(f"WeChat refused the message: {exc}") from exc
        except requests.RequestException as exc:
            raise TemporaryFailure(f"WeChat API unreachable: {exc!r}") from exc
    raise AssertionError("unreachable")


class _WeChatAdapter:
    """What both adapters share: the endpoint, start/stop, passive-or-active sending."""

    channel: str
    endpoint: CallbackEndpoint
    path: str
    client: Any
    clock: Callable[[], float]
    window: SendWindow | None = None
    # Until when (on `clock`) the account's API sends wait after a 45009, and how many
    # 45009s came in a row (this process's: each process finds the limit with one call).
    _quota_until = 0.0
    _quota_refusals = 0

    def share_window(self, window: SendWindow) -> None:
        """Keep the platform's per-chat limits (`limits`) with every process delivering
        from the same database (the outbox's record of the sends, `StoredWindow`)."""
        self.window = window

    def waiting_replies(self) -> list[tuple[str, str]]:
        """The (chat id, message id) whose callbacks wait for a passive reply: the outbox
        sends their replies before its backlog (`Dispatcher._answer_waiting`)."""
        return self.endpoint.waiting_replies()

    def limits(self, chat_id: str) -> tuple[tuple[int, float], ...]:
        """How many messages the platform takes into `chat_id` in how many seconds, each
        limit kept; none: not paced."""
        return ()

    def uses_api(self, chat_id: str) -> bool:
        """Whether a send into `chat_id` is a call of the account's API (which has its
        quotas); a group robot's webhook is not."""
        return True

    def _quota_hold(self, chat_id: str) -> None:
        """`TemporaryFailure`, due when the hold ends, while the account's API sends wait
        after a 45009: the rest of a round's rows (a surge's notices) each cost a refused
        call, and the limit stayed reached for them all."""
        wait = self._quota_until - self.clock()
        if wait > 0 and self.uses_api(chat_id):
            raise TemporaryFailure(f"{self.channel}: the account's API calls wait", wait)

    async def _api(self, call: Callable[[], Any], upload: bool = False) -> Any:
        """One call of the account's API (`_call`, in a worker thread); a 45009 holds the
        account's sends (`_quota_hold`) for `quota_wait`."""
        try:
            result = await asyncio.to_thread(_call, self.client, call, upload)
        except QuotaReached as exc:
            self._quota_refusals += 1
            now = self.clock()
            wait = quota_wait(now, self._quota_refusals)
            self._quota_until = now + wait
            log.warning("%s: %s; its API sends wait %.0f s", self.channel, exc, wait)
            raise QuotaReached(str(exc), wait) from exc
        self._quota_refusals = 0
        return result

    async def _take(self, chat_id: str, count: int) -> Taken | None:
        """A place for `count` API messages into the chat in each of its limits' windows,
        or `TemporaryFailure` with when there will be one.  None: not paced."""
        limits = self.limits(chat_id)
        if self.window is None or not limits or count == 0:
            return None
        taken = await self.window.take(self.channel, chat_id, count, limits)
        if not isinstance(taken, Taken):
            kept = ", ".join(f"{limit} in {period:.0f} s" for limit, period in limits)
            raise TemporaryFailure(f"{kept} into {chat_id}", taken)
        return taken

    async def _done(self, taken: Taken | None) -> None:
        if taken is None or self.window is None:
            return
        try:
            await self.window.done(taken)
        except Exception:  # the send's outcome matters more; the place stays taken
            log.warning("recording a send into %s failed", taken.chat_id, exc_info=True)

    def routes(self) -> list[Any]:
        return [Route(self.path, self.endpoint.endpoint, methods=["GET", "POST"])]

    async def start(
        self, handle: InboundHandler, journal: InboundJournal | None = None
    ) -> None:
        self.endpoint.start_handling(handle, journal)

    async def stop_receiving(self) -> None:
        await self.endpoint.stop_handling()

    async def stop(self) -> None:
        await self.endpoint.stop_handling()  # nothing else to close: each call is its own

    async def send(self, message: Outbound) -> str:
        if message.document is not None:
            return await self._send_document(message)
        # No edits here: an edit goes as a message of its own, its news alone where it has
        # one (the acknowledgement's new state, not the whole acknowledgement again); none
        # at all when its news is "": the same turn told that chat already (`told_anew`);
        # nor when only its buttons change, which WeChat has none of (`buttons_only`: a
        # ticket handed to a department loses the 认领 Telegram shows).
        if message.kind == "edit" and (message.news == "" or message.buttons_only):
            return f"out-{message.id}"
        text = message.news if message.kind == "edit" and message.news else message.text
        pieces = split_text(text)
        # A text too long for one message starts as the passive reply (the one answer an
        # account without the customer-service permission can give); the rest follows
        # through the API.  Should a piece fail after others went, the outbox is told how
        # many did (`PartlySent`), and the retry starts from that one: the reader would
        # otherwise get the first pieces twice.
        sent = message.parts_sent
        passive = self.endpoint.offer_passive(message, pieces[0]) if sent == 0 else None
        first = passive or ""
        sent += bool(passive)
        # A surge's notices (each new report to every grid worker and the robot) would
        # outrun WeCom's per-chat limits: the robot refuses the rest, a member's app
        # messages past 30 a minute are dropped unsent.  So they wait their turn.
        taken: Taken | None = None
        try:
            if sent < len(pieces):
                self._quota_hold(message.chat_id)
            taken = await self._take(message.chat_id, len(pieces) - sent)
            for piece in pieces[sent:]:
                platform_id = await self._send_text(message.chat_id, piece)
                sent += 1
                first = first or platform_id
        except Exception as exc:
            if sent > message.parts_sent:
                raise PartlySent(sent, exc) from exc
            raise
        finally:
            await self._done(taken)
        return first or f"out-{message.id}"

    async def _send_text(self, chat_id: str, text: str) -> str:
        raise NotImplementedError

    async def _send_document(self, message: Outbound) -> str:
        raise WeChatSendError(f"{self.channel} cannot send files")


# WeCom ----------------------------------------------------------------------------------
class WeComEndpoint(CallbackEndpoint):
    """A WeCom self-built app's callback: always encrypted (WeCom has no plain mode)."""

    channel = WECOM

    def __init__(self, config: Config, **options: Any) -> None:
        super().__init__(**options)
        wecom = config.wecom
        assert wecom is not None
        self.corp_id = wecom.corp_id
        self.agent_id = str(wecom.agent_id)
        self.crypto = EnterpriseCrypto(wecom.token, wecom.encoding_aes_key, wecom.corp_id)

    def verify_get(self, query: dict[str, str]) -> str:
        timestamp = check_timestamp(query.get("timestamp"), self.clock())
        nonce, echostr = _query(query, "nonce"), _query(query, "echostr")
        check_signature(query.get("msg_signature"), self.crypto.token, timestamp, nonce, echostr)
        try:
            echo = self.crypto.check_signature(query["msg_signature"], timestamp, nonce, echostr)
            return str(echo)
        except Exception as exc:
            raise CallbackRefused(400, "cannot decrypt echostr") from exc

    def verify_post(self, query: dict[str, str], body: bytes) -> Callback:
        check_timestamp(query.get("timestamp"), self.clock())
        fields = parse_xml(body)
        xml = _decrypt(self.crypto, fields, query)
        message = _parse(parse_wecom_message, xml)
        use = signed(query, query["msg_signature"], xml)
        agent = getattr(message, "agent", None)
        if agent is not None and str(agent) not in ("0", self.agent_id):
            return Callback(None, lambda text: "", use)  # another app of the corp: not ours
        nonce = query["nonce"]

        def render(text: str) -> str:
            reply = WeComTextReply(message=message, content=cdata_safe(text)).render()
            return str(self.crypto.encrypt_message(reply, nonce, str(int(self.clock()))))

        return Callback(inbound_of(WECOM, message), render, use)


class WeComAdapter(_WeChatAdapter):
    """A WeCom self-built app: callbacks in, app / appchat / group-robot messages out."""

    channel = WECOM
    path = WECOM_PATH
    # WeCom's limit for temporary media of type file.
    max_document_bytes: int | None = 20_000_000

    def __init__(
        self,
        config: Config,
        *,
        passive_wait: float = PASSIVE_WAIT,
        clock: Callable[[], float] = time.time,
        timeout: float = API_TIMEOUT,
    ) -> None:
        wecom = config.wecom
        if wecom is None:
            raise ValueError("WeComAdapter needs a [wecom] section")
        self.agent_id = int(wecom.agent_id)
        self.robot_webhook = wecom.robot_webhook
        self.endpoint = WeComEndpoint(config, passive_wait=passive_wait, clock=clock)
        self.client = _make_client(
            WeComClient, wecom.corp_id, wecom.secret, wecom.api_base_url, timeout
        )
        self.timeout = timeout
        self.clock = clock

    def uses_api(self, chat_id: str) -> bool:
        return chat_id != ROBOT

    def limits(self, chat_id: str) -> tuple[tuple[int, float], ...]:
        if chat_id == ROBOT:
            return ROBOT_LIMITS
        if chat_id.startswith(APPCHAT_PREFIX):
            return ()
        return MEMBER_LIMITS

    async def _send_text(self, chat_id: str, text: str) -> str:
        if chat_id == ROBOT:
            return await self._send_robot(text)
        if chat_id.startswith(APPCHAT_PREFIX):
            group = chat_id.removeprefix(APPCHAT_PREFIX)
            await self._api(lambda: self.client.appchat.send_text(group, text))
            return ""
        # wechatpy's send_text has no field for the duplicate check: send() merges `msg`.
        msg = {
            "msgtype": "text",
            "text": {"content": text},
            "safe": 0,
            "enable_duplicate_check": 1,
            "duplicate_check_interval": DUPLICATE_CHECK_SECONDS,
        }
        agent = self.agent_id
        result = await self._api(lambda: self.client.message.send(agent, chat_id, msg=msg))
        if isinstance(result, dict) and result.get("invaliduser"):
            raise WeChatSendError(f"not a member the app can reach: {result['invaliduser']}")
        return str(result.get("msgid") or "") if isinstance(result, dict) else ""

    async def _send_document(self, message: Outbound) -> str:
        """Upload the file as temporary media, send the caption, then the file message.
        Uploading first means a failed upload sends nothing; a retry after a failed file
        message repeats the caption (a cheaper duplicate than the file)."""
        document = message.document
        assert document is not None
        chat_id = message.chat_id
        if chat_id == ROBOT or chat_id.startswith(APPCHAT_PREFIX):
            raise WeChatSendError("a file goes to one person's chat with the app, not a group")
        # Its place in the member's minute first: a file uploaded, then refused a place,
        # would be uploaded again.
        caption = split_text(message.text) if message.text else []
        self._quota_hold(chat_id)
        taken = await self._take(chat_id, len(caption) + 1)
        try:
            return await self._upload_and_send(message, chat_id, caption)
        finally:
            await self._done(taken)

    async def _upload_and_send(self, message: Outbound, chat_id: str, caption: list[str]) -> str:
        document = message.document
        assert document is not None

        def upload() -> Any:
            # requests takes (file name, content, type); the name is what the reader sees.
            if document.path is not None:
                with open(document.path, "rb") as content:
                    return self.client.media.upload(
                        "file", (document.filename, content, document.mime_type)
                    )
            data = document.data or b""
            return self.client.media.upload("file", (document.filename, data, document.mime_type))

        uploaded = await self._api(upload, True)
        media_id = uploaded.get("media_id") if isinstance(uploaded, dict) else None
        if not media_id:
            raise TemporaryFailure(f"WeCom media upload returned no media_id: {uploaded!r}")
        for piece in caption:
            await self._send_text(chat_id, piece)
        result = await self._api(
            lambda: self.client.message.send_file(self.agent_id, chat_id, media_id)
        )
        if isinstance(result, dict) and result.get("invaliduser"):
            raise WeChatSendError(f"not a member the app can reach: {result['invaliduser']}")
        return str(result.get("msgid") or "") if isinstance(result, dict) else ""

    async def _send_robot(self, text: str) -> str:
        """A group robot (群机器人) webhook: an httpx POST, as wechatpy has no client for it."""
        if not self.robot_webhook:
            raise WeChatSendError("chat 'robot' needs wecom.robot_webhook")
        payload = {"msgtype": "text", "text": {"content": text}}
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                response = await client.post(self.robot_webhook, json=payload)
            response.raise_for_status()
            result = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise TemporaryFailure(f"robot webhook unreachable: {exc!r}") from exc
        code = int(result.get("errcode", 0))
        if code in BUSY_ERRORS or code == QUOTA_REACHED:
            wait = ROBOT_FULL if code == QUOTA_REACHED else BUSY_ERRORS[code]
            raise TemporaryFailure(f"robot webhook busy: {result}", wait)
        if code:
            raise WeChatSendError(f"robot webhook refused the message: {result}")
        return ""


# Official Account -----------------------------------------------------------------------
class OfficialAccountEndpoint(CallbackEndpoint):
    """An Official Account's callback, in plain or safe (AES) mode."""

    channel = OFFICIAL_ACCOUNT

    def __init__(self, config: Config, **options: Any) -> None:
        super().__init__(**options)
        account = config.official_account
        assert account is not None
        self.token = account.token
        self.crypto: Any = None
        if account.encoding_aes_key:
            self.crypto = OfficialAccountCrypto(
                account.token, account.encoding_aes_key, account.app_id
            )

    def verify_get(self, query: dict[str, str]) -> str:
        timestamp = check_timestamp(query.get("timestamp"), self.clock())
        nonce = _query(query, "nonce")
        check_signature(query.get("signature"), self.token, timestamp, nonce)
        return _query(query, "echostr")

    def verify_post(self, query: dict[str, str], body: bytes) -> Callback:
        timestamp = check_timestamp(query.get("timestamp"), self.clock())
        nonce = _query(query, "nonce")
        encrypted = query.get("encrypt_type", "raw").lower() == "aes"
        if encrypted:
            if self.crypto is None:
                raise CallbackRefused(403, "encrypted callback but no encoding_aes_key set")
            xml = _decrypt(self.crypto, parse_xml(body), query)
            signature = query["msg_signature"]
        elif self.crypto is not None:
            # Safe and compatible modes both send encrypt_type=aes.  A plain callback's
            # signature covers the query alone, not the body: whoever saw one callback's URL
            # could post any message under it, as anyone, inside the replay window.
            raise CallbackRefused(403, "plain callback but encoding_aes_key is set")
        else:
            # The signature covers the query alone: the nonce it signs is remembered with
            # this body, and a second body under it is refused (`CallbackEndpoint`).
            signature = query.get("signature") or ""
            check_signature(signature, self.token, timestamp, nonce)
            xml = guard_xml(body)
        message = _parse(parse_official_account_message, xml)

        def render(text: str) -> str:
            reply = OfficialAccountTextReply(message=message, content=cdata_safe(text)).render()
            reply = str(reply)
            if encrypted:
                return str(self.crypto.encrypt_message(reply, nonce, str(int(self.clock()))))
            return reply

        use = signed(query, signature, xml)
        return Callback(inbound_of(OFFICIAL_ACCOUNT, message), render, use)


class OfficialAccountAdapter(_WeChatAdapter):
    """An Official Account: callbacks in, customer-service (客服) messages out."""

    channel = OFFICIAL_ACCOUNT
    path = OFFICIAL_ACCOUNT_PATH
    # Neither customer-service messages nor passive replies have a file type.
    max_document_bytes: int | None = None

    def __init__(
        self,
        config: Config,
        *,
        passive_wait: float = PASSIVE_WAIT,
        clock: Callable[[], float] = time.time,
        timeout: float = API_TIMEOUT,
    ) -> None:
        account = config.official_account
        if account is None:
            raise ValueError("OfficialAccountAdapter needs an [official_account] section")
        self.endpoint = OfficialAccountEndpoint(config, passive_wait=passive_wait, clock=clock)
        self.client = _make_client(
            OfficialAccountApiClient, account.app_id, account.secret, account.api_base_url, timeout
        )
        self.template = account.notice_template
        self.language = config.language
        self.zone = ZoneInfo(config.timezone)
        self.clock = clock

    async def send(self, message: Outbound) -> str:
        try:
            return await super().send(message)
        except AwaitingContact:
            # Past the 48 hours: the message waits for them to write (the outbox keeps it);
            # a template message tells them so, if the account has one.
            await self._tell_it_waits(message)
            raise
        except PartlySent as partial:
            if isinstance(partial.failure, AwaitingContact):  # the rest of it waits
                await self._tell_it_waits(message)
            raise

    async def _tell_it_waits(self, message: Outbound) -> None:
        template = self.template
        if template is None or message.kind not in template.kinds or message.edit_message_id:
            return
        when = datetime.fromtimestamp(self.clock(), self.zone)
        data = notice_data(template, message, self.language, when)
        try:
            await self._api(
                lambda: self.client.message.send_template(
                    message.chat_id, template.template_id, data, url=template.url
                )
            )
        except (TemporaryFailure, PermanentFailure) as exc:  # the message itself still waits
            log.warning("template message for outbox row %s not sent: %s", message.id, exc)

    async def _send_text(self, chat_id: str, text: str) -> str:
        await self._api(lambda: self.client.message.send_text(chat_id, text))
        return ""


# How long a template's value may be, by the type its key names (thing3 is a thing): WeChat
# refuses the whole message when one value is longer.  Other keys (the older templates'
# first, keyword1, remark) are given the same cap as a thing's double.
_TEMPLATE_LIMITS = {"thing": 20, "character_string": 32, "phrase": 5, "number": 32}


def notice_data(
    template: NoticeTemplate, message: Outbound, language: str, when: datetime
) -> dict[str, dict[str, str]]:
    """A template message's data: each of the bot's values under the key the account
    chose for it, cut to what that key's type allows."""
    # The kinds the catalogue has a word for (i18n "notice_event.*"); any other: 新消息.
    event = message.kind if f"notice_event.{message.kind}" in i18n.NAMES else "other"
    values = {
        "ticket": f"#{message.ticket_id}" if message.ticket_id else "",
        "event": i18n.name(f"notice_event.{event}", language),
        "note": i18n.name("notice_note", language),
        "time": when.strftime("%Y-%m-%d %H:%M"),
    }
    data = {}
    for what, key in template.fields.items():
        limit = _TEMPLATE_LIMITS.get(key.rstrip("0123456789"), 40)
        data[key] = {"value": values[what][:limit]}
    return data
