"""Reading a mediation session's time and place (`bot.sessiontime`), against the desk's clock:
Wednesday 4 March 2026, 10:00 in Shanghai."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.sessiontime import SessionTimeError, parse_session

ZONE = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 4, 10, 0, tzinfo=ZONE)  # a Wednesday


@pytest.mark.parametrize(
    ("words", "when", "place"),
    [
        ("明天下午3点 人民调解室", (3, 5, 15, 0), "人民调解室"),
        ("今天15:00人民调解室", (3, 4, 15, 0), "人民调解室"),
        ("后天两点 行政调解室", (3, 6, 14, 0), "行政调解室"),  # a bare 2: the afternoon
        ("3月5日 14:00 村委会", (3, 5, 14, 0), "村委会"),
        ("3.5 晚上7点 村委会", (3, 5, 19, 0), "村委会"),
        ("3月3日 9:00 村委会", (3, 3, 9, 0), None),  # no year, passed: next year's
        ("周三 下午3点半 司法调解室", (3, 4, 15, 30), "司法调解室"),  # today is Wednesday
        ("星期五 9:15 村委会", (3, 6, 9, 15), "村委会"),
        ("下周一上午十点半 司法调解室", (3, 9, 10, 30), "司法调解室"),
        ("礼拜天 上午10点一刻 村委会", (3, 8, 10, 15), "村委会"),
        ("中午12点 村委会", (3, 4, 12, 0), "村委会"),
        ("明天 十点 村委会", (3, 5, 10, 0), "村委会"),
        ("2026-03-05 14:00 people's mediation room", (3, 5, 14, 0), "people's mediation room"),
        ("tomorrow 3pm village office", (3, 5, 15, 0), "village office"),
    ],
)
def test_the_forms_a_desk_writes(
    words: str, when: tuple[int, int, int, int], place: str | None
) -> None:
    session = parse_session(words, NOW)
    month, day, hour, minute = when
    year = 2027 if (month, day) < (3, 4) else 2026
    assert session.at == datetime(year, month, day, hour, minute, tzinfo=ZONE)
    assert session.place == (place or "村委会")


@pytest.mark.parametrize(
    ("words", "key", "value"),
    [
        ("下个月 人民调解室", "mediation_no_time", "下个月 人民调解室"),
        ("明天 人民调解室", "mediation_no_time", "明天 人民调解室"),
        ("今天9点 人民调解室", "mediation_past", "今天9点"),  # 09:00, before 10:00
        ("2026-03-04 08:00 room", "mediation_past", "2026-03-04 08:00"),
        ("2026-02-30 10:00 村委会", "mediation_bad_time", "2026-02-30"),
        ("明天25点 村委会", "mediation_bad_time", "25点"),
        ("明天下午3点", "mediation_no_place", ""),
    ],
)
def test_what_it_cannot_read_is_named(words: str, key: str, value: str) -> None:
    with pytest.raises(SessionTimeError) as raised:
        parse_session(words, NOW)
    assert (raised.value.key, raised.value.value) == (key, value)
