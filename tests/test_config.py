"""Loading and validating the config file."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.config import (
    CalendarConfig,
    ChatRef,
    ClassifierConfig,
    Config,
    ConfigError,
    FollowUp,
    HttpConfig,
    Intake,
    NoticeTemplate,
    OfficialAccountConfig,
    Screening,
    Sla,
    SlaResolve,
    Supervision,
    TelegramConfig,
    WeComConfig,
    load_config,
    parse_duration,
    parse_limit,
)
from bot.workcal import WorkingDays

EXAMPLE = Path(__file__).resolve().parent.parent / "config.example.toml"


def test_example_config_loads() -> None:
    config = load_config(EXAMPLE)
    assert config.language == "zh"
    assert config.intake_group("telegram", "-1001234567890") is not None
    assert config.sla.limit("urgent") == timedelta(minutes=30)
    assert config.sla.resolve_limit("high") == timedelta(days=1)
    assert config.sla.limit("normal") == WorkingDays(3)
    assert config.sla.resolve_limit("normal") == WorkingDays(15)
    assert config.sla.resolve_limit("low") == WorkingDays(30)
    assert config.sla.limit("unclassified") == config.sla.limit("normal")
    assert config.calendar == CalendarConfig()
    assert config.supervision.every == timedelta(minutes=1)
    assert [r.chat_id for r in config.notify_rooms] == ["-1005555555555"]
    assert config.followup.enabled and config.followup.wait == timedelta(days=1)
    assert config.followup.unanswered_wait == timedelta(days=7)
    assert config.department_for("public_order") == "派出所"
    assert config.department_for("not_a_report") is None


def test_the_examples_notice_template_loads(tmp_path: Path) -> None:
    """The README's and config.example.toml's [official_account.notice_template], uncommented;
    a field the bot does not fill in is named as the problem."""
    account = """[official_account]
app_id = "wx1"
secret = "s"
token = "t"
[official_account.notice_template]
template_id = "tpl"
fields = { ticket = "character_string1", event = "phrase2", note = "thing3", time = "time4" }
"""
    config = load_config(write(tmp_path, account))
    assert config.official_account is not None
    template = config.official_account.notice_template
    assert template is not None and template.fields["event"] == "phrase2"
    assert template.kinds == ["resolved", "followup", "merged"]
    with pytest.raises(ConfigError, match="notice_template.fields.summary"):
        load_config(write(tmp_path, account.replace("note =", "summary =")))
    # A misspelt kind matched no message, so no template was ever sent.
    with pytest.raises(ConfigError, match=r"kinds: .*unknown kind 'resolve' \(did you mean"):
        load_config(write(tmp_path, account + 'kinds = ["resolve"]\n'))
    every = load_config(write(tmp_path, account + 'kinds = ["resolved", "extended"]\n'))
    assert every.official_account is not None and every.official_account.notice_template
    assert every.official_account.notice_template.kinds == ["resolved", "extended"]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('language = "fr"', "bad.toml: language: "),
        ('databse = "x.db"', "bad.toml: databse: unknown key (did you mean database?)"),
        ('[sla]\nurgent = "soon"', "bad.toml: sla.urgent: "),
        ('[sla]\nurgent = "0m"', "bad.toml: sla.urgent: must be longer than zero"),
        ('[sla.resolve]\nhigh = "1h"', "bad.toml: sla: resolve.high: '1h' is short"),
        ('[sla]\nnormal = "1wd12h"', "sla.normal: not a limit: '1wd12h' (working"),
        ('[sla]\nnormal = "0wd"', "sla.normal: working days must be 1 to 366"),
        # A county writes 15天: whether it meant calendar or working days is not guessed.
        (
            '[sla.resolve]\nnormal = "15天"',
            "sla.resolve.normal: not a limit: '15天' (calendar time: 30m, 4h, 15d; working "
            "days: 15wd or 15工作日)",
        ),
        ('[sla]\nnormal = "20d"', "sla: resolve.normal: '15wd' is shorter than"),
        ('[sla.resolve]\nlow = "5wd"', "sla: resolve.low: '5wd' is shorter than"),
        (
            '[sla.resolve]\nnormal = "30d"',
            "sla: resolve.normal: '30d' is calendar time, but the time to claim "
            "('3wd') is in working days",
        ),
        ('[calendar]\nholidays = ["2027-13-01"]', "calendar: holidays[0]: not a"),
        ("[classifier]\ntriage_below = 1.5", "classifier.triage_below: Input should be less"),
        ('[screening]\nremind_at = "25:00"', "screening.remind_at: not a time of day"),
        (
            '[screening]\nsensitive = ["2027-02-30"]',
            "screening: sensitive[0]: not a date: '2027-02-30'",
        ),
        (
            '[calendar]\nworking_days = ["2027-10-07..2027-10-01"]',
            "calendar: working_days[0]: '2027-10-07..2027-10-01' must run forwards",
        ),
        (
            '[calendar]\nholidays = ["2027-10-01..2027-10-07"]\nworking_days = [2027-10-03]',
            "calendar: 2027-10-03 is both in holidays and in working_days",
        ),
        ('[supervision]\ninterval = "0"', "bad.toml: supervision.interval: "),
        ("[supervision]\nlevels = 9", "bad.toml: supervision.levels: "),
        ('[followup]\ndelay = "tomorrow"', "bad.toml: followup.delay: "),
        # Closed as unanswered the moment it is asked would leave the reporter no time.
        ('[followup]\nunanswered_after = "0"', "bad.toml: followup.unanswered_after: "),
        (
            '[[intake_groups]]\nchannel = "telegram"\nchat_id = "1"\narea = "NOPE"',
            "intake_groups[0].area: unknown area 'NOPE'",
        ),
        (
            "[[people]]\nchannel='t'\nuser_id='1'\nrole='king'",
            "bad.toml: people[0].role: Input should be 'resident'",
        ),
        ("language = ", "bad.toml: not valid TOML"),
        ('[telegram]\ntoken = "${INTAKE_TEST_UNSET_VARIABLE}"', "telegram.token: environment"),
        (
            '[routing]\nneighbor = "司法所"',
            "routing.neighbor: not a dispute type (one of neighbour,",
        ),
        ('[routing]\nnot_a_report = "x"', "routing.not_a_report: not a dispute type"),
        ('[routing]\nneighbour = " "', "routing.neighbour: empty department name"),
        # A typo is named as one, with the key it may stand for, before the key it left
        # missing; a section that does not exist is called one.
        ('[sla]\nurgnt = "1h"', "bad.toml: sla.urgnt: unknown key (did you mean urgent?)"),
        ('[[areas]]\ncode = "DZ"\nnme = "x"', "areas[0].nme: unknown key (did you mean name?)"),
        ("[superviison]\nlevels = 1", "superviison: unknown section (did you mean supervision?)"),
        ("[telegram]\nmode = 'polling'", "bad.toml: telegram.token: required, missing"),
        # What was written, for a value of the wrong kind.
        ('[intake]\nmax_report_chars = "lots"', "max_report_chars: Input should be a valid int"),
        ('[intake]\nmax_report_chars = "lots"', "(got 'lots')"),
        # A time zone the system does not know loaded, and the first export, briefing or
        # deadline ended in ZoneInfoNotFoundError.
        ('timezone = "asia/shanghai"', "timezone: unknown time zone 'asia/shanghai' (an IANA"),
        ('timezone = "UTC+8"', "bad.toml: timezone: unknown time zone 'UTC+8'"),
        ('timezone = ""', "bad.toml: timezone: unknown time zone ''"),
        ("[briefing]\nat = 830", "briefing.at: not a time of day: '830'"),
        ('database = ""', "bad.toml: database: empty (a SQLite file, e.g. intake.db, or a "),
        ('database = "sqlite://x.db"', "database: sqlite://: not a database this bot opens"),
        ('database = "mysql://u:pw@h/db"', "database: mysql://: not a database this bot opens"),
        # Twice the same: the second's area (a group) or role (a person) did nothing.
        (
            '[[areas]]\ncode = "DZ"\nname = "东镇"\n[[areas]]\ncode = "DZ"\nname = "西村"',
            "bad.toml: areas[1]: code 'DZ' is listed twice (also areas[0])",
        ),
        # Two grids of one name: 待办 东镇 meant only the last, and lists named both alike.
        (
            '[[areas]]\ncode = "DZ"\nname = "东镇"\n[[areas]]\ncode = "XC"\nname = "东镇"',
            "bad.toml: areas[1]: name '东镇' is listed twice (also areas[0])",
        ),
        (
            '[[departments]]\ncode = "P"\nname = "a"\n[[departments]]\ncode = "P"\nname = "b"',
            "bad.toml: departments[1]: code 'P' is listed twice (also departments[0])",
        ),
        (
            '[[areas]]\ncode = "DZ"\nname = "东镇"\n[[areas]]\ncode = "XC"\nname = "西村"\n'
            + "".join(
                f'[[intake_groups]]\nchannel = "telegram"\nchat_id = -100{n}\narea = "{area}"\n'
                for n, area in ((1, "DZ"), (2, "DZ"), (1, "XC"))
            ),
            "intake_groups[2]: telegram chat '-1001' is listed twice (also intake_groups[0])",
        ),
        (
            "[[people]]\nchannel = 'wecom'\nuser_id = 'wang'\nrole = 'staff'\n"
            "[[people]]\nchannel = 'wecom'\nuser_id = 'wang'\nrole = 'resident'\n",
            "bad.toml: people[1]: wecom user 'wang' is listed twice (also people[0])",
        ),
        # A channel there is none of: a group nobody can write from, a person never met.
        (
            '[[areas]]\ncode = "DZ"\nname = "东镇"\n'
            '[[intake_groups]]\nchannel = "wechat"\nchat_id = "*"\narea = "DZ"',
            "bad.toml: intake_groups[0].channel: unknown channel 'wechat' (one of telegram, ",
        ),
        (
            "[[people]]\nchannel = 'telegrm'\nuser_id = '1'\nrole = 'staff'",
            "bad.toml: people[0].channel: unknown channel 'telegrm'",
        ),
        ("staff_chat = { channel = 'qq', chat_id = '1' }", "staff_chat.channel: unknown channel"),
        (
            "[supervision]\nnotify = [{ channel = 'wx', chat_id = '1' }]",
            "bad.toml: supervision.notify[0].channel: unknown channel 'wx'",
        ),
        # A platform's keys as its console gives them, or the start ended in a traceback
        # (an empty token: InvalidToken; a short AES key: wechatpy's AssertionError).
        ('[telegram]\ntoken = ""', "bad.toml: telegram.token: not a bot token: BotFather gives"),
        ('[telegram]\ntoken = "bot123:AAx"', "bad.toml: telegram.token: not a bot token"),
        (
            "[telegram]\ntoken = '1:x'\nmode = 'webhook'",
            "bad.toml: telegram: webhook_url: mode = 'webhook' needs the public https://",
        ),
        (
            "[telegram]\ntoken = '1:x'\nmode = 'webhook'\nwebhook_url = 'https://a.cn/tg'",
            "bad.toml: telegram: webhook_secret: mode = 'webhook' needs a secret of 1 to 256",
        ),
        (
            "[wecom]\ncorp_id = 'ww1'\nsecret = ''\nagent_id = 1\ntoken = 't'\n"
            "encoding_aes_key = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'",
            "bad.toml: wecom.secret: empty",
        ),
        (
            "[wecom]\ncorp_id = 'ww1'\nsecret = 's'\nagent_id = 1\ntoken = 't'\n"
            "encoding_aes_key = 'abcdefghijklmnopqrstuvwxyz0123456789'",
            "wecom.encoding_aes_key: must be the 43 letters and digits the console shows (this "
            "one has 36 characters)",
        ),
        (
            "[official_account]\napp_id = 'wx1'\nsecret = 's'\ntoken = 't'\n"
            "encoding_aes_key = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEF='",
            "official_account.encoding_aes_key: must be the 43 letters and digits",
        ),
    ],
)
def test_bad_config_names_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_areas_without_a_name_are_not_two_of_one_name(tmp_path: Path) -> None:
    text = '[[areas]]\ncode = "DZ"\nname = ""\n[[areas]]\ncode = "XC"\nname = ""'
    assert [a.code for a in load_config(write(tmp_path, text)).areas] == ["DZ", "XC"]


def test_notices_default_to_the_staff_chat() -> None:
    config = Config()
    assert config.notify_rooms == []
    config.staff_chat = ChatRef(channel="telegram", chat_id="-1")
    assert config.notify_rooms == [config.staff_chat]


def test_a_number_where_text_is_meant_is_that_text(tmp_path: Path) -> None:
    """WeCom's console shows the AgentId as a number, and a hotline is a number: both were
    refused ("Input should be a valid string")."""
    config = load_config(
        write(
            tmp_path,
            "[intake]\ncrisis_hotline = 12356\n[followup]\ndelay = 0\n[wecom]\n"
            'corp_id = "ww1"\nsecret = "s"\nagent_id = 1000002\ntoken = "t"\n'
            'encoding_aes_key = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"\n',
        )
    )
    assert config.wecom is not None and config.wecom.agent_id == "1000002"
    assert config.intake.crisis_hotline == "12356"
    assert config.followup.wait == timedelta(0)


def test_a_token_is_trimmed_and_never_repeated(tmp_path: Path) -> None:
    """A token pasted with a space around it is BotFather's token; a wrong one is refused
    without the file's secret in the error, which goes to logs and terminals."""
    config = load_config(write(tmp_path, '[telegram]\ntoken = " 123456:AA-b_c "'))
    assert config.telegram is not None and config.telegram.token == "123456:AA-b_c"
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, '[telegram]\ntoken = "123456 AAsecretpart"'))
    assert "secretpart" not in str(caught.value)
    account = "[official_account]\napp_id = 'wx1'\nsecret = 's'\ntoken = 't'\n"
    plain = load_config(write(tmp_path, account + "encoding_aes_key = ''"))
    assert plain.official_account is not None and plain.official_account.encoding_aes_key is None


@pytest.mark.parametrize(
    ("database", "read"),
    [
        ("county.db", "../conf/county.db"),
        ("data/county.db", "../conf/data/county.db"),
        ("sqlite:///county.db", "sqlite:///../conf/county.db"),
        ("/srv/intake/county.db", "/srv/intake/county.db"),
        ("sqlite:////srv/intake/county.db", "sqlite:////srv/intake/county.db"),
        ("postgresql://bot@db/intake", "postgresql://bot@db/intake"),
    ],
)
def test_relative_paths_are_from_the_config_files_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database: str, read: str
) -> None:
    """Not from the directory the bot is started in: `database = "intake.db"` made a new,
    empty database wherever someone ran it from."""
    (tmp_path / "conf").mkdir()
    (tmp_path / "elsewhere").mkdir()
    text = f'database = "{database}"\n[classifier]\nmodel = "models/m.skops"\n'
    (tmp_path / "conf" / "c.toml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path / "elsewhere")
    config = load_config("../conf/c.toml")
    assert config.database == read
    assert config.classifier.model == "../conf/models/m.skops"
    # Named by its full path, the config reads them as full paths; in the working directory,
    # as written (the README's `intake-bot run --config config.toml`).
    config = load_config(tmp_path / "conf" / "c.toml")
    assert config.classifier.model == str(tmp_path / "conf" / "models" / "m.skops")
    monkeypatch.chdir(tmp_path / "conf")
    config = load_config("c.toml")
    assert (config.database, config.classifier.model) == (database, "models/m.skops")
    assert load_config(EXAMPLE).database == str(EXAMPLE.parent / "intake.db")


@pytest.mark.parametrize(
    ("database", "read"),
    [
        ("~/intake/tickets.db", "home/intake/tickets.db"),
        ("sqlite:///~/intake/tickets.db", "sqlite:///home/intake/tickets.db"),
        ("~", "home"),
    ],
)
def test_a_tilde_in_a_path_is_the_home_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database: str, read: str
) -> None:
    """`database = "~/intake/tickets.db"` was read as a directory named ~ beside the config."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "conf").mkdir()
    text = f'database = "{database}"\n[classifier]\nmodel = "~/models/m.skops"\n'
    (tmp_path / "conf" / "c.toml").write_text(text, encoding="utf-8")
    config = load_config(tmp_path / "conf" / "c.toml")
    assert config.database == read.replace("home", str(tmp_path / "home"), 1)
    assert config.classifier.model == str(tmp_path / "home" / "models" / "m.skops")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "absent.toml")


def test_a_file_that_cannot_be_read_is_one_line(tmp_path: Path) -> None:
    """A directory, a file saved in GBK, one saved by Notepad with a byte order mark: each
    used to end `intake-bot run` with a traceback or an error naming no file (GBK: "'utf-8'
    codec can't decode byte 0xd6"), or fail as "Invalid statement (at line 1, column 1)"."""
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert str(caught.value) == f"{tmp_path}: a directory, not a config file"
    gbk = tmp_path / "gbk.toml"
    gbk.write_bytes('language = "zh"\n[[areas]]\ncode = "DZ"\nname = "东镇"\n'.encode("gbk"))
    with pytest.raises(ConfigError) as caught:
        load_config(gbk)
    assert str(caught.value) == f"{gbk}: line 4: not UTF-8 text (save the file as UTF-8, not GBK)"
    bom = tmp_path / "bom.toml"
    bom.write_bytes(b"\xef\xbb\xbf" + b'language = "en"\n')
    assert load_config(bom).language == "en"



def test_a_file_the_bot_may_not_read_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Root reads anything, so the refusal is the file system's answer, as a service user
    meets it for a config only its editor may read: PermissionError's traceback before."""
    path = write(tmp_path, 'language = "zh"')

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value) == f"{path}: cannot read it: Permission denied"


def test_secrets_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTAKE_TEST_TOKEN", "123:abc")
    config = load_config(write(tmp_path, '[telegram]\ntoken = "${INTAKE_TEST_TOKEN}"'))
    assert config.telegram is not None and config.telegram.token == "123:abc"


def test_limits_in_calendar_time_or_working_days() -> None:
    assert parse_limit("4h") == timedelta(hours=4)
    assert parse_limit("3d") == timedelta(days=3)  # calendar days, as before
    assert parse_limit("3wd") == parse_limit("3 wd") == WorkingDays(3)
    assert parse_limit("15工作日") == parse_limit("15个工作日") == WorkingDays(15)
    for bad in ("1wd12h", "wd", "3工作", "3 working days"):
        with pytest.raises(ValueError):
            parse_limit(bad)


def test_a_countys_calendar(tmp_path: Path) -> None:
    """TOML dates and ISO text both work; a range takes both ends."""
    config = load_config(
        write(
            tmp_path,
            '[calendar]\nholidays = [2027-01-01, "2027-02-06..2027-02-08"]\n'
            'working_days = ["2027-01-02"]\n',
        )
    )
    calendar = config.work_calendar
    assert calendar.extra_holidays == {
        date(2027, 1, 1),
        date(2027, 2, 6),
        date(2027, 2, 7),
        date(2027, 2, 8),
    }
    assert calendar.extra_working_days == {date(2027, 1, 2)}
    assert config.work_calendar is calendar  # one per config: each year worked out once


def test_durations() -> None:
    assert parse_duration("1d12h") == timedelta(days=1, hours=12)
    assert parse_duration("0") == parse_duration("0s") == timedelta(0)
    with pytest.raises(ValueError):
        parse_duration("3 weeks")


def test_example_documents_every_channel_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The commented channel sections, uncommented, validate (no stale or misspelt keys),
    and every field of every section is written out in the example."""
    text = EXAMPLE.read_text(encoding="utf-8")
    blocks: list[list[str]] = []
    current: list[str] | None = None
    for line in text.splitlines():
        if line in ("# [telegram]", "# [wecom]", "# [official_account]"):
            current = []
            blocks.append(current)
        if current is not None:
            if not line.startswith("# "):
                current = None
                continue
            current.append(line[2:].split("  #")[0])
    for name in (
        "TELEGRAM_TOKEN",
        "TELEGRAM_WEBHOOK_SECRET",
        "WECOM_SECRET",
        "WECOM_TOKEN",
        "WECOM_AES_KEY",
        "WECOM_ROBOT_KEY",
        "OA_SECRET",
        "OA_TOKEN",
        "OA_AES_KEY",
        "OA_NOTICE_TEMPLATE",
    ):
        monkeypatch.setenv(name, "x")
    monkeypatch.setenv("TELEGRAM_TOKEN", "123456789:AAH-x_y")  # each as its console gives it
    monkeypatch.setenv("WECOM_AES_KEY", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG")
    monkeypatch.setenv("OA_AES_KEY", "GFEDCBA9876543210zyxwvutsrqponmlkjihgfedcba")
    full = text + "\n" + "\n\n".join("\n".join(b) for b in blocks)
    config = load_config(write(tmp_path, full))
    assert config.channels == ["telegram", "wecom", "official_account"]
    assert config.official_account and config.official_account.notice_template
    for model in (
        TelegramConfig,
        WeComConfig,
        OfficialAccountConfig,
        NoticeTemplate,
        Intake,
        HttpConfig,
        Sla,
        SlaResolve,
        Supervision,
        FollowUp,
        CalendarConfig,
        ClassifierConfig,
    ):
        for field in model.model_fields:
            # A key, or a sub-table such as [sla.resolve].
            documented = f"{field} =" in text or f".{field}]" in text
            assert documented, f"{model.__name__}.{field} is not documented"
    for field in Config.model_fields:
        assert field in text, f"{field} is not documented"


def test_the_configs_triage_threshold() -> None:
    """[classifier] triage_below flags below the config's confidence, on a copy: the shipped
    model, shared by the process, keeps its own."""
    from bot.app import load_classifier
    from classifier import load_default
    from classifier.runtime import IntakeClassifier

    shipped = load_default()
    wary = load_classifier(Config(classifier=ClassifierConfig(triage_below=0.95)))
    assert load_classifier(Config()) is shipped  # the default: nothing to change
    texts = ["小区门口的路灯坏了好几天", "村里修路占了我家两分地没给补偿", "楼上天天半夜装修"]
    between = [t for t in texts if 0.6 <= shipped.classify(t).type_confidence < 0.95]
    assert between, "a report the shipped model is fairly but not very sure of"
    for text in between:
        assert not shipped.classify(text).needs_triage
        assert wary.classify(text).needs_triage
    assert isinstance(shipped, IntakeClassifier) and shipped.triage_threshold == 0.6


def test_sensitive_days_follow_the_entries() -> None:
    """The days are read from the entries when asked, so a changed copy answers for its own."""
    period = Screening(sensitive=["2027-02-10..2027-02-20", "2027-03-05"])
    assert period.is_sensitive(date(2027, 2, 12)) and period.is_sensitive(date(2027, 3, 5))
    assert not period.is_sensitive(date(2027, 2, 21))
    assert not period.model_copy(update={"sensitive": []}).is_sensitive(date(2027, 2, 12))
    assert period.kept and not Screening().kept
