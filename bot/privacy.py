"""Masking personal numbers, and private reports, in text that a whole group can read; and
who is told the name of an anonymous report's reporter (匿名反映, at the end).

Reports and resolutions often carry a phone number or an ID-card number.  In an intake
group every resident reads the bot's replies, so those numbers are masked there; the
worker handling the ticket and the staff see them in full (private chat, staff chat).
The rules follow common practice on Chinese government service platforms: keep enough
digits to recognise the number (the prefix and the last four), hide the rest.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from bot import i18n
from bot.config import Config
from bot.workflow import Actor, Role, kept_from_words_about_the_desk
from storage.base import EventRecord, TicketRecord

# What follows is every pattern the masking knows, in the order `mask_pii` applies them:
# the longer numbers first (an ID card holds what looks like a mobile number), then the
# numbers named by a word before them, then the phones; a run of digits spelled out (one
# by one, in words) is read whole after the ID cards' patterns for an ID card, and after the
# phones' for a landline (`_spelled_shape`).  Each is kept tight on purpose:
# whatever it matches is hidden from the group, so a loose one eats amounts (欠薪3万5千),
# dates, rooms (3栋2单元501), times and ticket numbers (#123) that the report needs
# (tests/test_telegram_units.py holds both the numbers and the text left alone).

# Full-width digits (１３８…, typed on a Chinese keyboard) are read as the ASCII ones.
_WIDE = str.maketrans("０１２３４５６７８９＋", "0123456789+")
# What people write between a number's groups: dashes, dots, spaces, Chinese commas.
SEPARATORS = "-－—–.·，,、 \u3000"
_S = f"[{SEPARATORS}]?"
# Digits said as words, as a number is read out (一三八…), with the radio's and the dialects'
# 幺 (1), 两 (2), 拐 (7), 勾 (9) and 洞 (0): a number written so that a filter would miss it.
# Only digits: 十, 百, 万 are how amounts and dates are said (三万五千, 三月五日), never phones.
DIGIT_WORDS = "〇零洞一幺二两三四五六七拐八九勾"
# 18-digit resident ID card (the last character may be X), also written 6-8-4.  Checked
# first, so a mobile number is never matched inside one.
_ID_CARD = re.compile(
    rf"(?<![0-9A-Za-z])(\d{{4}})\d\d{_S}\d{{4}}{_S}\d{{4}}{_S}(\d{{3}}[\dXx])(?![0-9A-Za-z])"
)
# The first-generation card (15 digits, 6-6-3: area, birth date YYMMDD, sequence), still
# found in old files and on older residents' papers.  Fifteen digits are also order and
# parcel numbers, so only one whose province and birth date are real is masked.
_PROVINCE = "(?:1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|8[12])"
_MONTH_DAY = r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
_OLD_ID_CARD = re.compile(
    rf"(?<![0-9A-Za-z])({_PROVINCE}\d\d)\d\d{_S}\d\d{_MONTH_DAY}{_S}(\d{{3}})(?![0-9A-Za-z])"
)
# Bank card numbers: 16 to 19 digits, often in groups of four; masked when a card is named
# before them, or when the digits pass the cards' Luhn check.
_CARD_WORD = re.compile(r"(卡号|银行卡|储蓄卡|信用卡|账号|帐号|账户|帐户|卡)[^0-9]{0,6}$")
_CARD = re.compile(r"(?<![0-9A-Za-z*])(\d{4}(?:[ -]?\d{4}){3}(?:[ -]?\d{1,3})?)(?![0-9A-Za-z])")
# WeChat ids (6-20 characters, starting with a letter) after 微信 / vx / V信 and the like.
_WECHAT = re.compile(
    r"((?:微信|威信|薇信|(?<![A-Za-z])(?:vx|wx|v信|weixin|wechat))[号是为：:\s]{0,4})"
    r"([A-Za-z][-_A-Za-z0-9]{5,19})(?![-_A-Za-z0-9])",
    re.IGNORECASE,
)
# QQ numbers (5 to 11 digits, never starting with 0) after QQ, q号, 扣扣 or 企鹅: without the
# word, five to eleven digits are amounts and order numbers.  Not a QQ群's number (a group
# anyone may join is no one's personal data), nor "QQ上聊了 3 次".
_QQ = re.compile(
    r"((?:(?<![A-Za-z])(?:qq|q(?=号))|扣扣|企鹅)[号码是为：:\s]{0,4})([1-9]\d{4,10})(?!\d)",
    re.IGNORECASE,
)
# E-mail addresses: a QQ mailbox is the QQ number (12345678@qq.com), a 163 one often the
# mobile (13812345678@163.com), and any other names its owner.  Masked before the numbers,
# so the mailbox keeps its shape: 12****@qq.com.
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])([A-Za-z0-9][A-Za-z0-9._%+-]*)@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)"
)
# Mainland mobile numbers, optionally +86 / 86 first, in any of the usual groupings
# (3-4-4, 4-4-3, 3-8, 7-4) with dashes, dots, spaces or Chinese commas between.
_MOBILE = re.compile(
    rf"(?<!\d)((?:\+?86[- ]?)?1[3-9]\d){_S}(\d){_S}\d{{3}}{_S}(\d){_S}(\d{{3}})(?!\d)"
)
# The same with a separator after every digit (1 3 8 1 2 3 4 5 6 7 8, 1-3-8-…), a way of
# typing a number past a filter.  Eleven lone digits and no more on either side: "第1、3、5组"
# and "1 2 3 … 10 11" are not one.
_SEP = f"(?:[{SEPARATORS}]{{1,2}})"
_MOBILE_SPACED = re.compile(
    rf"(?<!\d)(?<!\d[{SEPARATORS}])(?P<prefix>(?:\+?86[- ]?)?)(?P<head>1{_SEP}[3-9]{_SEP}\d)"
    rf"(?:{_SEP}\d){{4}}(?P<tail>(?:{_SEP}\d){{4}})(?!{_SEP}?\d)"
)
# The same in words (一三八一二三四五六七八, 幺三八…), groups split or not; masked as written.
_MOBILE_WORDS = re.compile(
    rf"(?<![{DIGIT_WORDS}])(?P<head>[一幺]{_S}[三四五六七拐八九勾]{_S}[{DIGIT_WORDS}])"
    rf"(?:{_S}[{DIGIT_WORDS}]){{4}}(?P<tail>(?:{_S}[{DIGIT_WORDS}]){{4}})(?!{_S}[{DIGIT_WORDS}])"
)
# Landlines with an area code: 010-12345678, 0755 1234567, (021)12345678, （0452）1234567:
# 0, the code, and seven or eight digits split once at most, standing alone.  Digits glued to
# them with letters (SF0731234567890) or a group joined by one of their own separators
# (0571 8888 1234 5678, 0731-2345-6789-0012, 2024 0312 3456 7890) make a longer number, an
# order's, a parcel's or an invoice's, left whole (`_phone`).  The price: a landline with its
# extension after a dash (0571-88881234-808; 转808 is masked) is not masked.  After a space
# a group runs three digits or more: "0571 8888 1234 3号楼", "010 6512 3456 12点" are masked
# (a floor, a unit, an hour).  Letters glued before it are a parcel's prefix, but for tel.
_LANDLINE = re.compile(
    r"(?:(?<![0-9A-Za-z])|(?<=[Tt][Ee][Ll]))(?P<head>[(（]?0\d{2,3}[)）]?(?P<code_sep>[-－— ]?))"
    r"(?P<mid>\d{3,4})(?P<sep>[-－ ]?)(?P<tail>\d{4})(?![0-9A-Za-z])"
)
# A local number without its area code, said to be a phone's: 电话：87654321, 座机 8765-4321.
_LOCAL = re.compile(
    r"(?P<head>(?:电话|座机|固话|联系方式|号码|tel)[号码是为：:\s]{0,4})"
    r"(?P<mid>\d{3,4})(?P<sep>[-－ ]?)(?P<tail>\d{4})(?!\d)",
    re.IGNORECASE,
)
# A group of digits just after or before a phone's, and the separator joining it (a dash's
# group any length, a space's three digits or more: "3楼" after one is an address); a number
# masked already (138****5678) is none.
_GROUP_AFTER = re.compile(r"(?P<sep>[-－—])\d++(?!\*)|(?P<space> )\d{3,}+(?!\*)")
_GROUP_BEFORE = re.compile(r"(?<![\d*])(?:\d+(?P<sep>[-－—])|\d{3,}(?P<space> ))$")
_SEPARATOR = re.compile(f"[{SEPARATORS}]")
# What else is typed that way: an ID card or a landline digit by digit ("1 1 0 1 0 1 …",
# "0 5 7 1 - 8 8 8 8 …"), in groups no pattern above knows ("1101 0119 9003 0712 34",
# "010 - 1234 - 5678") or in words (幺幺洞幺洞幺…, 零五七一八八八八…).  A run of digits with
# marks between is read whole and masked only when the whole of it is such a number
# (`_spelled_shape`): "第1、3、5组", "1 2 3 … 10 11", a date or a list of amounts is a run of
# digits too, but none of these.  Brackets may stand round an area code: (0 1 0) 1 2 3 ….
_GAP = f"[{SEPARATORS}()（）]"
# Each begins with what it may begin with, a digit or a bracket, so the search skips the rest
# of a message quickly: this runs on every message a residents' group reads.
_RUN_DIGITS = re.compile(
    rf"[(（\d](?<!\d\d) ?\d*+(?:{_GAP}{{1,3}}\d++)+(?:[{SEPARATORS}]?[Xx])?"
)
_RUN_WORDS = re.compile(
    rf"[(（{DIGIT_WORDS}](?:{_GAP}{{0,3}}[{DIGIT_WORDS}]){{6,}}(?:[{SEPARATORS}]?[Xx])?"
)
_AS_DIGITS = str.maketrans(DIGIT_WORDS, "0001122345677899")
# What a run must not touch: more of a number (a letter, a digit, what was masked already),
# or, for one in words, how amounts are said (三千五百, 二十一, 一点五).
_NEXT_TO_DIGITS = re.compile(r"[0-9A-Za-z*]")
_NEXT_TO_WORDS = re.compile(f"[{DIGIT_WORDS}十百千万亿点]")
_ID_18 = re.compile(rf"{_PROVINCE}\d{{4}}(?:18|19|20)\d\d{_MONTH_DAY}\d{{3}}[\dXx]")
_ID_15 = re.compile(rf"{_PROVINCE}\d{{4}}\d\d{_MONTH_DAY}\d{{3}}")
# A word that says the digits after it are a phone's, for a local number without its area
# code (电话：8 7 6 5 4 3 2 1, 座机八七六五四三二一): eight digits alone are as often a date.
_PHONE_WORD = re.compile(
    r"(?:电话|座机|固话|联系方式|号码|tel)[号码是为：:\s]{0,4}$", re.IGNORECASE
)
_GAPS = re.compile(f"{_GAP}+")


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _card(match: re.Match[str]) -> str:
    digits = re.sub(r"[ -]", "", match.group(1))
    named = _CARD_WORD.search(match.string, 0, match.start()) is not None
    if not 16 <= len(digits) <= 19 or not (named or _luhn(digits)):
        return match.group(0)
    return digits[:4] + "*" * (len(digits) - 8) + digits[-4:]


def _phone(match: re.Match[str]) -> str:
    """A landline (`_LANDLINE`) or a local number (`_LOCAL`) with its middle digits hidden
    (0571-****1234, 电话：****4321); as it was when a group of digits is joined to it, before
    or after, by one of the separators it uses itself: the digits run on as one longer
    number's (订单号 0571 8888 1234 5678)."""
    text, joins = match.string, {match.groupdict().get("code_sep"), match["sep"]} - {None, ""}
    after = _GROUP_AFTER.match(text, match.end())
    before = _GROUP_BEFORE.search(text, 0, match.start())
    if any(
        group is not None and (group["sep"] or group["space"]) in joins
        for group in (after, before)
    ):
        return match.group(0)
    return match["head"] + "*" * len(match["mid"]) + match["tail"]


def _mobile_spelled(match: re.Match[str]) -> str:
    """A mobile number written digit by digit: its first three and last four as written,
    without the separators (138****5678, 一三八****五六七八)."""
    head, tail = (_SEPARATOR.sub("", match[group]) for group in ("head", "tail"))
    return (match.groupdict().get("prefix") or "") + head + "****" + tail


def _spelled_shape(
    written: str, words: bool, phones: bool, said_phone: bool
) -> tuple[int, int, int] | None:
    """How much of a run of spelled digits (`_RUN_DIGITS`, or `_RUN_WORDS` when `words`) to
    keep and to hide, as (head, hidden, tail) counts of its digits; None when it is no such
    number.  Without `phones`, an ID card: 18 digits (the last may be X) or 15, with a real
    province and birth date.  With them, a landline: 0, an area code (010, 02x, or four
    digits from 03) and seven or eight digits; or seven or eight digits alone, when a word
    before them said a phone's (`said_phone`).  A phone is written in words, digit by digit
    (no group longer than two; a dot there is a decimal point: 0.5 2.5 3.5 …), or, with its
    area code, in its own groups (the code, then groups of three or more): a date
    (2024-03-05) is neither."""
    groups = [g for g in _GAPS.split(written.translate(_AS_DIGITS)) if g]
    digits = "".join(groups)
    if not phones:
        if _ID_18.fullmatch(digits):
            return 4, 10, 4
        if _ID_15.fullmatch(digits):
            return 4, 8, 3
        return None
    if not digits.isdigit():
        return None
    spelled = words or (all(len(g) <= 2 for g in groups) and "." not in written)
    if digits.startswith("0"):
        if digits[1:3] == "10" or digits[1:2] == "2":
            area = 3
        elif digits[1:2] and digits[1] in "3456789":
            area = 4
        else:
            return None
        local = digits[area:]
        own_groups = groups[0] == digits[:area] and all(len(g) >= 3 for g in groups[1:])
        if 7 <= len(local) <= 8 and local[0] != "0" and (spelled or own_groups):
            return area, len(local) - 4, 4
        return None
    if 7 <= len(digits) <= 8 and spelled and said_phone:
        return 0, len(digits) - 4, 4
    return None


# Where a run that is not one number may be several, listed: 0 5 7 1 …，0 5 7 1 ….
_LIST_MARK = re.compile(r"(\s*[，,、]\s*)")


def _spelled(
    phones: bool, words: bool, beside: re.Pattern[str]
) -> Callable[[re.Match[str]], str]:
    """What `re.sub` puts for a run of spelled digits: its first and last digits as written,
    without the marks between (1101**********1234, 零五七一****一二三四), when it is one of
    the numbers `_spelled_shape` knows, or each number of a list of them; else the run as it
    was."""

    def masked(written: str, said_phone: bool) -> str | None:
        shape = _spelled_shape(written, words, phones, said_phone)
        if shape is None:
            return None
        head, hidden, tail = shape
        kept = _GAPS.sub("", written)
        return kept[:head] + "*" * hidden + kept[len(kept) - tail:]

    def sub(match: re.Match[str]) -> str:
        text, written = match.string, match.group(0)
        start, end = match.span()
        if (start and beside.match(text, start - 1)) or beside.match(text, end):
            return written
        said_phone = _PHONE_WORD.search(text, 0, start) is not None
        whole = masked(written, said_phone)
        if whole is not None:
            return whole
        parts = _LIST_MARK.split(written)
        return "".join(
            part if i % 2 else masked(part, said_phone) or part for i, part in enumerate(parts)
        )

    return sub


_ID_DIGITS = _spelled(False, False, _NEXT_TO_DIGITS)
_ID_WORDS = _spelled(False, True, _NEXT_TO_WORDS)
_PHONE_DIGITS = _spelled(True, False, _NEXT_TO_DIGITS)
_PHONE_WORDS = _spelled(True, True, _NEXT_TO_WORDS)


def mask_pii(text: str, public: tuple[str, ...] = ()) -> str:
    """`text` with phone, ID-card, bank-card and QQ numbers, WeChat ids and e-mail addresses
    masked (138****5678, 1101**********123X, 6222***********0123, QQ 12****, wx****,
    12****@qq.com); phones and ID cards also when typed digit by digit or in words
    (0571****1234, 一一〇一**********一二三X).

    `public` numbers (the centre's own helpline, say) are left as they are: they are not
    anybody's personal data, and a masked helpline is useless.
    """
    text = text.translate(_WIDE)
    kept = [number for number in public if number and number in text]
    for i, number in enumerate(kept):
        # Only the number standing alone: "12356" inside an ID-card number is still masked.
        alone = re.compile(rf"(?<![0-9A-Za-z]){re.escape(number)}(?![0-9A-Za-z])")
        text = alone.sub(f"\x00{i}\x00", text)
    text = _EMAIL.sub(lambda m: m.group(1)[:2] + "****@" + m.group(2), text)
    text = _ID_CARD.sub(lambda m: m.group(1) + "*" * 10 + m.group(2), text)
    # Like the 18-digit card's, the birth date goes with the rest: 1101********123.
    text = _OLD_ID_CARD.sub(lambda m: m.group(1) + "*" * 8 + m.group(2), text)
    text = _RUN_DIGITS.sub(_ID_DIGITS, text)
    text = _RUN_WORDS.sub(_ID_WORDS, text)
    text = _CARD.sub(_card, text)
    text = _WECHAT.sub(lambda m: m.group(1) + m.group(2)[:2] + "****", text)
    text = _QQ.sub(lambda m: m.group(1) + m.group(2)[:2] + "****", text)
    text = _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(3)}{m.group(4)}", text)
    text = _MOBILE_SPACED.sub(_mobile_spelled, text)
    text = _MOBILE_WORDS.sub(_mobile_spelled, text)
    text = _LANDLINE.sub(_phone, text)
    text = _LOCAL.sub(_phone, text)
    text = _RUN_DIGITS.sub(_PHONE_DIGITS, text)
    text = _RUN_WORDS.sub(_PHONE_WORDS, text)
    for i, number in enumerate(kept):
        text = text.replace(f"\x00{i}\x00", number)
    return text


def case_outcome_for(config: Config, text: str, may_open: bool) -> str:
    """A case's outcome (its resolution) as a reader of it reads it: as it is for whoever may
    open the case (`bot.workflow.can_see`: its reporter, the desk); masked (`mask_pii`) for
    the reporters of the tickets merged into it (并案), wherever they read it, one to one
    too: the worker wrote it to the case's own reporter, and a number in it is that
    reporter's, or one they gave (a private report's, 私下反映), as much as the report's.
    The group a merged report came from read it masked already; its reporter's 查询, notice
    and follow-up visit one to one showed it whole."""
    return text if may_open else mask_pii(text, (config.intake.crisis_hotline,))


def outcome_aside(config: Config, channel: str, chat_id: str, case: TicketRecord) -> bool:
    """Whether `case`'s outcome, told to the reporter of a ticket merged into it (并案), is
    kept out of the chat `channel`/`chat_id`: a residents' group reads no private report
    nor another group's (`hidden_in`), and the outcome of one is written about it (已联系
    反映人李红…; masking hides numbers, not names).  There they read that it is resolved,
    and its outcome one to one (查询)."""
    return hidden_in(config, channel, chat_id, case.channel, case.chat_id)


def residents_read(config: Config, channel: str, chat_id: str) -> bool:
    """Whether residents read the chat `channel`/`chat_id` (an intake group), and so what a
    notice written for the desk may show there: a `[supervision] notify` room may be one, and
    with no staff chat an urgent ticket's notice goes to those rooms.  The rule, for every
    such notice: the group reads the desk's own account of a ticket (its number and area,
    who holds it or asks, its state, what happens next, what staff may send) and what was
    said in that group, nothing said to the desk elsewhere.  So an escalation shows a
    private or another group's report as （私下反映） (`shown_in`); an urgent notice only
    that the duty staff are needed (its report may be private); 不满意 not who answered nor
    what they said; 延期 not the worker's reason.  All of it is masked besides (`mask_pii`,
    in `bot.turn.enqueue`): masking hides numbers, not names or what happened."""
    return config.is_public_group(channel, chat_id)


def department_said(config: Config, code: str, lang: str | None, public: bool) -> str:
    """The department a case went to, as a chat may name it: in a residents' group
    (`public`, `residents_read`) only "a department" (相关部门), since which one says what
    the case is about, as /status there leaves out; anywhere else its name."""
    if public:
        return i18n.Phrase(i18n.name("department.some", lang or config.language))
    return config.department_name(code)


def holder_said(config: Config, name: str, role: str, lang: str | None, public: bool) -> str:
    """A ticket's holder as a chat names them: in a residents' group (`public`) a department's
    liaison is only 相关部门, since their name (派出所张警官, 张警官) says which department has
    the case, as `department_said` keeps out of such a group; anyone else by their name."""
    if public and role == Role.LIAISON.value:
        return i18n.Phrase(i18n.name("department.some", lang or config.language))
    return name


def hidden_in(
    config: Config, channel: str, chat_id: str, from_channel: str, from_chat: str
) -> bool:
    """Whether what was sent in `from_chat` must not be read out in the chat `channel`/
    `chat_id`: a residents' intake group reads only what was said in it.  A private report's
    reporter (私下反映) chose not to say it there; another group's residents (another grid)
    never read it, and a worker or staff member asking there must not read it out to them."""
    return residents_read(config, channel, chat_id) and (from_channel, from_chat) != (
        channel, chat_id
    )


def hidden_key(config: Config, from_channel: str, from_chat: str) -> str:
    """How a group is told a ticket from `from_chat` is not shown there (a catalogue key,
    with a {ticket} field): a private report's, or another group's."""
    if config.privately_reported(from_channel, from_chat):
        return "private_ticket_here"
    return "elsewhere_ticket_here"


def shown_in(
    config: Config, channel: str, chat_id: str, ticket: TicketRecord, lang: str | None
) -> TicketRecord:
    """`ticket` as a list in the chat `channel`/`chat_id` may show it: where it is hidden
    (`hidden_in`) its words stand as （私下反映） or （其他群反映）; anywhere else unchanged."""
    if hidden_in(config, channel, chat_id, ticket.channel, ticket.chat_id):
        private = config.privately_reported(ticket.channel, ticket.chat_id)
        summary = "private_summary" if private else "elsewhere_summary"
        return replace(ticket, text=i18n.t(summary, lang))
    return ticket


# Anonymous reports (匿名反映), as a county's hotlines take them: the centre keeps who
# reported, and those who handle the case, grid workers and a department's liaisons (often
# the reporter's neighbours), never learn it.  A resident asks for it one to one, the words
# starting with 匿名, 匿名反映 or 匿名举报 (then a mark, or the report straight after the
# longer two), or "anonymous:".  Not "匿名电话天天打来骚扰我": a report about one.
_ANONYMOUS = re.compile(
    r"\s*(?:匿名(?:反映|举报|投诉)[\s：:，,。.、-]*|匿名[\s：:，,。.、-]+|匿名\s*$"
    r"|anonymous(?:ly)?(?:\s+report)?\s*(?:[:：,-]\s*|$))",
    re.IGNORECASE,
)


def anonymous_request(text: str) -> str | None:
    """The words of a report its reporter asked to make anonymously (`_ANONYMOUS`), the
    marker stripped ("" when it was all they wrote); None for any other message.  A zero
    width space a copy put before the marker is gone by now (`bot.adapters.base.plain_text`);
    it had filed the report naming them."""
    match = _ANONYMOUS.match(text)
    return text[match.end():].strip() if match else None


def names_reporter(anonymous: bool, reader: Role | str | None) -> bool:
    """Whether `reader` (a role) is told who reported a ticket: anyone, unless it was reported
    anonymously (匿名反映); then only staff and admins, who answer for keeping it.  None: a
    file that leaves the bot (the ledger as /export and `db export` write it, masked)."""
    return not anonymous or reader in (Role.STAFF, Role.ADMIN)


def reporter_named(
    name: str, anonymous: bool, reader: Role | str | None, lang: str | None
) -> str:
    """The reporter's name as `reader` reads it: the name, or 匿名反映人 (`names_reporter`).
    The one rule for every notice, list, history and file that names a reporter."""
    if names_reporter(anonymous, reader):
        return name
    return i18n.Phrase(i18n.t("anonymous_reporter", lang))


# The mark on an event whose words are about the desk's own people though its ticket is not
# a 作风反映 (a visit's 不满意 comment, `bot.desk.rating`): `history_seen` leaves them out
# for whoever is kept from such words (`kept_from_words_about_the_desk`).
ABOUT_THE_DESK_WORDS = "about_the_desk"
# The payload fields of such an event that hold the words (its comment, the reply it was
# read from).
_WORDS = ("text", "said")


def history_seen(
    ticket: TicketRecord, events: list[EventRecord], reader: Actor, lang: str | None
) -> list[EventRecord]:
    """`ticket`'s history as `reader` reads it: what its reporter did (登记, 补充, 撤回, 评价)
    under 匿名反映人 where they are not to be named (`names_reporter`); and, to whoever is
    kept from them (`kept_from_words_about_the_desk`), an event's words about the desk's own
    people left out (`ABOUT_THE_DESK_WORDS`): its 评价 不满意 reads as one without a comment."""
    if kept_from_words_about_the_desk(reader):
        events = [
            replace(e, payload={k: v for k, v in e.payload.items() if k not in _WORDS})
            if e.payload.get(ABOUT_THE_DESK_WORDS) else e
            for e in events
        ]
    if names_reporter(ticket.anonymous, reader.role):
        return events
    hidden = reporter_named("", True, reader.role, lang)
    return [
        replace(e, actor_name=hidden) if e.actor_id == ticket.reporter_id else e for e in events
    ]
