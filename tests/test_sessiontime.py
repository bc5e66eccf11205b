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
        # The day and its part in one word; a day part with a Chinese hour.
        ("今晚8点 村委会", (3, 4, 20, 0), "村委会"),
        ("今晚上8点 村委会", (3, 4, 20, 0), "村委会"),
        ("明早9点 村委会", (3, 5, 9, 0), "村委会"),
        ("明晚7点半 村委会", (3, 5, 19, 30), "村委会"),
        ("下午两点 村委会", (3, 4, 14, 0), "村委会"),
        ("周六上午9点 村委会", (3, 7, 9, 0), "村委会"),
        # 晚上12点: the midnight that ends that evening, 00:00 of the next day.
        ("晚上12点 村委会", (3, 5, 0, 0), "村委会"),
        ("明晚12点半 村委会", (3, 6, 0, 30), "村委会"),
        ("中午12点半 村委会", (3, 4, 12, 30), "村委会"),
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
        # A day part with no hour: asked for the hour, none picked.
        ("周六上午 村委会", "mediation_no_hour", "周六上午"),
        ("今天下午 人民调解室", "mediation_no_hour", "今天下午"),
        ("今晚 村委会", "mediation_no_hour", "今晚"),
        ("下午 村委会", "mediation_no_hour", "下午"),
        ("今早8点 村委会", "mediation_past", "今早8点"),
    ],
)
def test_what_it_cannot_read_is_named(words: str, key: str, value: str) -> None:
    with pytest.raises(SessionTimeError) as raised:
        parse_session(words, NOW)
    assert (raised.value.key, raised.value.value) == (key, value)


@pytest.mark.parametrize(
    ("words", "when"),
    [
        ("晚上12点 村委会", (3, 5, 0, 0)),  # ten minutes off, not noon past
        ("今晚12点 村委会", (3, 5, 0, 0)),
        ("今晚11点55 村委会", (3, 4, 23, 55)),
        ("明晚12点 村委会", (3, 6, 0, 0)),
    ],
)
def test_midnight_said_late_in_the_evening_is_to_come(
    words: str, when: tuple[int, int, int, int]
) -> None:
    late = datetime(2026, 3, 4, 23, 50, tzinfo=ZONE)
    month, day, hour, minute = when
    assert parse_session(words, late).at == datetime(2026, month, day, hour, minute, tzinfo=ZONE)


def test_a_time_past_late_in_the_evening_is_still_refused() -> None:
    late = datetime(2026, 3, 4, 23, 50, tzinfo=ZONE)
    with pytest.raises(SessionTimeError) as raised:
        parse_session("今晚8点 村委会", late)
    assert (raised.value.key, raised.value.value) == ("mediation_past", "今晚8点")
