"""The command line: help everywhere, clear failures, database maintenance, the demo."""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.adapters.console import ConsoleAdapter, ConsoleClock, run_console
from bot.adapters.harness import Harness
from bot.app import Bot, demo_config
from bot.cli import build_parser, main
from storage.sql import migrations
from tests.conftest import T0, KeywordClassifier, harness_with, rows

SUBCOMMANDS = [
    ["run"],
    ["demo"],
    ["db"],
    ["db", "migrate"],
    ["db", "backup"],
    ["db", "corrections"],
    ["db", "export"],
    ["classify"],
    ["train"],
    ["evaluate"],
]


@pytest.mark.parametrize("words", [[], *SUBCOMMANDS])
def test_help_everywhere(words: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        build_parser().parse_args([*words, "--help"])
    assert caught.value.code == 0
    assert "usage: intake-bot" in capsys.readouterr().out


def test_help_says_what_the_command_does(capsys: pytest.CaptureFixture[str]) -> None:
    """`db backup --help` promised a safe copy of "the database", and refuses PostgreSQL;
    `run --help` said nothing of the console it opens with no channel configured."""
    for words in (["db", "--help"], ["run", "--help"], ["db", "export", "--help"]):
        with pytest.raises(SystemExit):
            build_parser().parse_args(words)
    out = " ".join(capsys.readouterr().out.split())
    assert "copy a SQLite database safely while the bot runs (PostgreSQL: use pg_dump)" in out
    assert "With none, the console chat in this terminal" in out
    # run's demo keeps a deployment's database free of its tickets (it said "with the
    # config's database" after they went to the demo's)
    assert "else in the demo's (intake-demo.db" in out
    assert "or of --department's (handed to it, or assisted: a last column 主办/协办)" in out


def test_bad_config_is_one_line_and_non_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "c.toml"
    config.write_text('language = "klingon"\n', encoding="utf-8")
    assert main(["run", "--config", str(config)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("intake-bot: error: ") and "language" in err and "\n" not in err


def test_db_migrate_and_backup(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "x.db"
    assert main(["db", "migrate", "--db", str(db)]) == 0
    latest = max(version for version, _ in migrations("sqlite"))
    assert f"schema version {latest}" in capsys.readouterr().out
    assert main(["db", "backup", str(tmp_path / "b.db"), "--db", str(db)]) == 0
    with sqlite3.connect(tmp_path / "b.db") as copy:
        assert copy.execute("PRAGMA user_version").fetchone()[0] == latest
    assert main(["db", "backup", str(tmp_path / "b.db"), "--db", str(db)]) == 2
    assert "already exists" in capsys.readouterr().err


def test_db_backup_copies_an_old_database_as_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`db backup` before an upgrade (the new version installed, the old bot still
    running) copies the database as it is.  Opening it migrated it first: the backup was
    of the new schema, and the running bot's database changed under it."""
    from tests.test_migrations import version_2_sqlite

    live = version_2_sqlite(tmp_path / "live.db")
    assert main(["db", "backup", str(tmp_path / "before.db"), "--db", str(live)]) == 0
    for path in (live, tmp_path / "before.db"):
        with contextlib.closing(sqlite3.connect(path)) as db:
            assert db.execute("PRAGMA user_version").fetchone()[0] == 2
            assert db.execute("SELECT COUNT(*) FROM tickets").fetchone()[0] == 2
    # Nothing to copy is said, not made into an empty database and copied.
    missing = tmp_path / "missing.db"
    assert main(["db", "backup", str(tmp_path / "m.db"), "--db", str(missing)]) == 2
    assert "no database" in capsys.readouterr().err and not missing.exists()


def test_db_commands_do_not_need_the_platforms_secrets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A backup from cron, or an export from a shell, runs without the service's
    environment: `${TELEGRAM_TOKEN}` unset ended them with "environment variable … is not
    set", though none of them reaches Telegram.  `run` still requires it."""
    monkeypatch.delenv("INTAKE_TEST_UNSET_TOKEN", raising=False)
    config = tmp_path / "config.toml"
    config.write_text(
        'database = "county.db"\n[[areas]]\ncode = "DZ"\nname = "东镇"\n'
        '[telegram]\ntoken = "${INTAKE_TEST_UNSET_TOKEN}"\n',
        encoding="utf-8",
    )
    assert main(["db", "migrate", "--config", str(config)]) == 0
    assert main(["db", "backup", str(tmp_path / "b.db"), "--config", str(config)]) == 0
    assert main(["db", "outbox", "--config", str(config)]) == 0
    assert main(["db", "export", str(tmp_path / "l.csv"), "--config", str(config)]) == 0
    assert (tmp_path / "b.db").exists() and (tmp_path / "l.csv").exists()
    capsys.readouterr()
    assert main(["run", "--config", str(config)]) == 2
    assert "telegram.token: environment variable INTAKE_TEST_UNSET_TOKEN is not set" in (
        capsys.readouterr().err
    )


def test_a_missing_directory_is_named_not_made(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A database in a directory that is not there (a typo in the path) is refused, not
    made with its directories: the bot ran on a new, empty database.  A backup into one
    ended in a traceback (sqlite3.OperationalError)."""
    db = tmp_path / "x.db"
    assert main(["db", "migrate", "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["db", "backup", str(tmp_path / "nodir" / "b.db"), "--db", str(db)]) == 2
    assert capsys.readouterr().err == (
        f"intake-bot: error: {tmp_path / 'nodir' / 'b.db'}: there is no directory "
        f"{tmp_path / 'nodir'}\n"
    )
    config = tmp_path / "config.toml"
    config.write_text('database = "intake-bt/intake.db"\n', encoding="utf-8")
    assert main(["db", "migrate", "--config", str(config)]) == 2
    assert capsys.readouterr().err == (
        f"intake-bot: error: no directory {tmp_path / 'intake-bt'} for the database "
        "intake.db (make it first, or correct the path)\n"
    )
    assert not (tmp_path / "intake-bt").exists() and not (tmp_path / "nodir").exists()


SCRIPT = """\
# a scripted demo session: one line a message
楼上邻居天天半夜装修，吵得老人睡不着，地址东镇幸福小区3栋
/as worker1
/queue
/tap m1
/as worker2
认领 1
/as worker1
办结 1 已上门调解，双方约定晚上10点后不施工
/as resident1
查询 1
/private
我的
"""


def at_nine() -> ConsoleClock:
    """The demo's clock standing at Monday 09:00 in the centre (T0), not the wall clock: a
    run between 08:30 and 08:40 on a working day would open with the morning's briefing
    and shift every message number."""
    return ConsoleClock(start=T0, frozen=True)


def assert_in_order(transcript: str, fragments: list[str]) -> None:
    """Each fragment occurs in the transcript, after the one before it."""
    position = 0
    for fragment in fragments:
        found = transcript.find(fragment, position)
        assert found >= 0, f"missing after offset {position}: {fragment}\n{transcript}"
        position = found


async def console_transcript(tmp_path: Path, script: str) -> str:
    """The demo's console run through `script` on a fresh database at Monday 09:00 (files it
    saves go to `tmp_path`/exports): what it printed."""
    out = io.StringIO()
    config = demo_config(str(tmp_path / "demo.db"))
    adapter = ConsoleAdapter(out=out, export_dir=tmp_path / "exports")
    adapter.names = {p.user_id: p.name for p in config.people}
    async with Bot(config, [adapter], classifier=KeywordClassifier(), clock=at_nine()) as bot:
        await run_console(bot, adapter, io.StringIO(script))
    return out.getvalue()


async def test_console_whole_loop(tmp_path: Path) -> None:
    transcript = await console_transcript(tmp_path, SCRIPT)
    expected_in_order = [
        "[民情群] 张大妈(resident1) > 楼上邻居",
        "综治助手 [m1] 回复 张大妈:",
        "已受理，工单号 #1。",
        "[认领]  (/tap m1)",
        "待认领工单（东镇第一网格）：",
        "综治助手 更新了 [m1]:",
        "当前：处理中（王网格员）",
        "认领未成功：工单 #1 已由 王网格员 认领。",
        "您反映的问题（工单 #1）已办结：已上门调解，双方约定晚上10点后不施工",
        "工单 #1｜已办结｜邻里纠纷",
        "[私聊] 张大妈(resident1) > 我的",
        "#1｜已办结｜一般",
    ]
    assert_in_order(transcript, expected_in_order)


def test_demo_command_runs_a_script_on_a_real_file(tmp_path: Path) -> None:
    """`intake-bot demo --db F < script` as a newcomer would run it, real model included;
    /wait moves the demo's clock past every claim limit, so the sweep escalates."""
    db = tmp_path / "demo.db"
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "demo", "--db", str(db)],
        input="楼上漏水把我家天花板泡坏了，找物业也不管\n/wait 30d\n/as worker1\n认领 1\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert "已受理，工单号 #1" in result.stdout
    assert "[演示时钟] 拨快 30天：" in result.stdout
    assert "→ 中心群:" in result.stdout and "督办】工单 #1 超时未认领" in result.stdout
    assert "工单 #1 已由 王网格员 认领。" in result.stdout
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT status FROM tickets WHERE id = 1").fetchone()[0] == "claimed"


@pytest.mark.parametrize("errors", ["strict", "surrogateescape"])
def test_a_bad_byte_on_the_terminal_costs_one_character_not_the_report(
    tmp_path: Path, errors: str
) -> None:
    """An invalid UTF-8 byte typed or piped in, under either error handler a locale gives
    Python's stdin, becomes U+FFFD, and the report is filed (the console reads it replaced;
    `Inbound` replaces any lone surrogate another platform hands over)."""
    db = tmp_path / "demo.db"
    script = "楼上漏水".encode() + b"\xff" + "把我家天花板泡坏了\n/status 1\n".encode()
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "demo", "--db", str(db)],
        input=script,
        capture_output=True,
        timeout=120,
        check=True,
        env={**os.environ, "PYTHONIOENCODING": f"utf-8:{errors}"},
    )
    out = result.stdout.decode("utf-8")
    assert "已受理，工单号 #1" in out and "工单 #1｜待认领" in out
    with sqlite3.connect(db) as conn:
        text = conn.execute("SELECT text FROM tickets WHERE id = 1").fetchone()[0]
    assert text == "楼上漏水\ufffd把我家天花板泡坏了"


def test_a_lone_surrogate_from_a_platform_is_replaced_at_the_boundary() -> None:
    """Half an emoji escaped in a platform's JSON arrives as a lone surrogate: the neutral
    message holds U+FFFD in its place, in the text, the sender's name and a file's note."""
    from bot.adapters.base import Attachment, Inbound, Person, Room

    person = Person("telegram", "7", "张\ud83d")
    photo = Attachment("photo", "AgAD", "楼道\x00照片")
    inbound = Inbound(person, Room("telegram", "-100"), "1", "停水了\ud83d 三天", None, (photo,))
    assert inbound.text == "停水了\ufffd 三天" and person.display_name == "张\ufffd"
    assert inbound.attachments[0].note == "楼道\ufffd照片"
    assert Inbound(person, Room("telegram", "-100"), "2", "好的").text == "好的"


async def test_a_nul_in_a_report_is_stored_on_either_engine(harness: Harness) -> None:
    """PostgreSQL refuses a NUL in text: the report is filed with U+FFFD in its place."""
    await harness.say("resident1", "楼上漏水\x00把我家泡了")
    assert any("已受理，工单号 #1" in m.text for m in harness.adapter.sent)
    stored = await rows(harness.bot.store, "SELECT text FROM tickets")
    assert stored == [("楼上漏水\ufffd把我家泡了",)]


async def test_retag_corrections_export_as_training_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from classifier.corpus import read
    from tests.conftest import make_config

    db = tmp_path / "r.db"
    async with harness_with(make_config(db)) as h:
        await h.say("resident1", "超市卖过期牛奶还不给退")
        await h.say("staff1", "/retag 1 consumer normal")
    assert (
        await asyncio.to_thread(
            main, ["db", "corrections", str(tmp_path / "c.tsv"), "--db", str(db)]
        )
        == 0
    )
    assert "1 corrections written" in capsys.readouterr().out
    [example] = read(tmp_path / "c.tsv")
    assert (example.text, example.type, example.urgency) == (
        "超市卖过期牛奶还不给退",
        "consumer",
        "normal",
    )


async def test_config_can_name_a_retrained_model(tmp_path: Path) -> None:
    from bot.app import load_classifier
    from classifier.runtime import default_model_path

    config = demo_config(str(tmp_path / "m.db"))
    config.classifier.model = str(default_model_path())
    model = await asyncio.to_thread(load_classifier, config)
    assert model.classify("楼上漏水把我家泡了").type != "unclassified"
    config.classifier.model = str(tmp_path / "missing.skops")
    with pytest.raises(OSError):
        load_classifier(config)


async def console_answers(tmp_path: Path, answers: str) -> tuple[str, str]:
    """A report claimed and resolved in the console, its visit asked at once (no delay),
    then `answers` typed, each "{hint}" the visit question's message (m8): the button hint
    and what the answers printed."""
    out = io.StringIO()
    config = demo_config(str(tmp_path / "demo.db"))
    config.followup.delay = "0"
    adapter = ConsoleAdapter(out=out)
    adapter.names = {p.user_id: p.name for p in config.people}
    script = "/private\n我的\n/group\n楼道灯坏了一个月\n/as worker1\n认领 1\n办结 1 已更换灯泡\n"
    async with Bot(config, [adapter], classifier=KeywordClassifier(), clock=at_nine()) as bot:
        await run_console(bot, adapter, io.StringIO(script))
        transcript = out.getvalue()
        head = transcript.index("私信 → 张大妈:")
        assert "您好！您反映的问题（工单 #1）已办结：已更换灯泡" in transcript[head:]
        hint = transcript[head:].split("[满意]  [基本满意]  [不满意]  (/tap ")[1].split(")")[0]
        await run_console(bot, adapter, io.StringIO(answers.format(hint=hint)))
    return hint, out.getvalue()[len(transcript) :]


async def test_console_follow_up_buttons_are_pressed_in_private(tmp_path: Path) -> None:
    """With no delay the question follows the resolution; /tap on it answers privately."""
    _, answer = await console_answers(tmp_path, "/as resident1\n/tap {hint} 3\n")
    assert "感谢反馈，很抱歉问题没有解决好。工单 #1 已重新打开" in answer
    assert "当前：已重开" in answer  # the acknowledgement in the group, edited


async def test_console_tap_names_a_button_by_its_label(tmp_path: Path) -> None:
    """`/tap m8 不满意` pressed the first button (满意) and recorded the opposite answer; a
    label now presses its own button, and one the message has not is refused."""
    tries = "/as resident1\n/tap {hint} 很满意\n/tap {hint} 4\n/tap {hint} 不满意\n"
    hint, answer = await console_answers(tmp_path, tries)
    buttons = "[满意]  [基本满意]  [不满意]"
    refused = f"那条消息没有这个按钮：{buttons}（/tap {hint} 2 或 /tap {hint} 不满意）"
    assert answer.count(refused) == 2
    assert "感谢您对工单 #1 的评价（满意）" not in answer
    assert "工单 #1 已重新打开" in answer


async def test_console_staff_speak_in_the_staff_room(tmp_path: Path) -> None:
    """/staff moves the speaker into the centre's staff room, where the desk's replies go;
    a button under a group message is still pressed in the group it is under."""
    script = "楼道灯坏了一个月\n/as staff1\n/staff\n待办\n/tap m1\n/group\n我的\n"
    transcript = await console_transcript(tmp_path, script)
    expected_in_order = [
        "[中心群] 综治中心刘主任(staff1) > 待办",
        "→ 中心群 回复 综治中心刘主任:",
        "#1｜待认领",
        "[中心群] 综治中心刘主任(staff1) > /tap m1",
        "当前：处理中（综治中心刘主任）",
        "工单 #1 已由 综治中心刘主任 认领。",
        "[民情群] 综治中心刘主任(staff1) > 我的",
    ]
    assert_in_order(transcript, expected_in_order)
    # The claim's confirmation went to the group the button is in, not the staff room.
    lines = transcript[transcript.index("/tap m1") :].splitlines()
    confirmation = next(i for i, line in enumerate(lines) if "工单 #1 已由" in line)
    assert lines[confirmation - 1].startswith("  综治助手 [m")
    assert "中心群" not in lines[confirmation - 1]


async def test_console_saves_an_exported_ledger_and_prints_where(tmp_path: Path) -> None:
    """The demo has no chat app to download from: the file is kept and its path shown."""
    script = "楼道灯坏了，电话13812345678\n/as staff1\n/private\n导出台账 本月\n导出台账 本月\n"
    transcript = await console_transcript(tmp_path, script)
    assert "综治助手 [m3] 文件 → 综治中心刘主任:" in transcript
    assert "共 1 件。电话、身份证号已隐去。" in transcript
    # Asked twice: the second file does not overwrite the first.
    first, second = sorted((tmp_path / "exports").iterdir(), key=lambda p: len(p.name))
    assert first.name.startswith("台账-") and second.name == first.stem + " (2).csv"
    assert f"已保存到 {first}" in transcript and f"已保存到 {second}" in transcript
    content = first.read_text(encoding="utf-8-sig")
    assert "电话138****5678" in content and "13812345678" not in content


async def test_db_outbox_shows_what_waits_and_sends_parked_rows_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """After an outage outlasted the retries (or a revoked token parked every reply), the
    operator sees what waits and sends the parked rows again; the running bot delivers
    them."""
    from bot.adapters.base import PermanentFailure
    from tests.conftest import make_config
    from tests.test_outbox import Refusing

    db = tmp_path / "o.db"
    adapter = Refusing(PermanentFailure("Unauthorized"))
    config = make_config(db)
    config.staff_chat = None
    async with Bot(config, [adapter], classifier=KeywordClassifier()) as bot:
        await Harness(bot, adapter).say("resident1", "路灯坏了三天")
        assert await asyncio.to_thread(main, ["db", "outbox", "--db", str(db)]) == 0
        assert capsys.readouterr().out == (
            "test: 0 waiting; 1 parked; 0 for people who must write first\n"
            "  last refusal: Unauthorized\n"
        )
        adapter.exc = None
        command = ["db", "outbox", "--db", str(db), "--resend", "--since", "2h"]
        assert await asyncio.to_thread(main, command) == 0
        out = capsys.readouterr().out
        assert out.startswith("1 parked rows queued in the last 2h will be sent again\n")
        assert "test: 1 waiting, the oldest queued " in out
        assert await bot.dispatcher.flush() == 1
    assert await asyncio.to_thread(main, ["db", "outbox", "--db", str(db)]) == 0
    assert capsys.readouterr().out == "nothing waiting: every reply was delivered\n"
    assert main(["db", "outbox", "--db", str(db), "--resend", "--since", "0"]) == 2
    assert "--since must be longer than zero" in capsys.readouterr().err


def test_db_takes_a_postgresql_url_as_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--db postgresql://…` was read as a path, Path() made it "postgresql:/u@h/db", and a
    SQLite database was made in a directory called "postgresql:".  Now it is the URL; one
    that cannot be reached is one line, its password not in it."""
    monkeypatch.chdir(tmp_path)
    url = "postgresql://county:hunter2@127.0.0.1:1/intake"
    assert main(["db", "outbox", "--db", url]) == 2
    err = capsys.readouterr().err
    assert err.startswith("intake-bot: error: cannot open the database ")
    assert "postgresql://county:***@127.0.0.1:1/intake" in err and "hunter2" not in err
    assert "Traceback" not in err and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "words",
    [
        ["db", "outbox", "--db", "{db}"],
        ["db", "corrections", "{out}", "--db", "{db}"],
        ["db", "export", "{out}", "--config", "{config}"],
    ],
)
def test_a_command_that_reads_the_database_makes_none(
    words: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A mistyped database path made an empty database, and `db outbox` answered "nothing
    waiting: every reply was delivered", `db corrections` "0 corrections written"."""
    db = tmp_path / "intkae.db"
    config = tmp_path / "c.toml"
    config.write_text(f'database = "{db}"\n', encoding="utf-8")
    argv = [w.format(db=db, out=tmp_path / "out.tsv", config=config) for w in words]
    assert main(argv) == 2
    assert capsys.readouterr().err == f"intake-bot: error: no database at {db}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.toml"]


def test_a_database_that_is_not_one_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A directory (a traceback ending "Event loop is closed") or a file that is no
    database ("sqlite3.DatabaseError: file is not a database") given for the database."""
    assert main(["db", "migrate", "--db", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        f"intake-bot: error: {tmp_path}: a directory, not a database file\n"
    )
    text = tmp_path / "notes.txt"
    text.write_text("not a database, just words written by hand\n" * 20, encoding="utf-8")
    assert main(["demo", "--db", str(text)]) == 2
    assert capsys.readouterr().err == (
        f"intake-bot: error: cannot open the database {text}: file is not a database\n"
    )
    config = tmp_path / "c.toml"
    config.write_text(f'database = "{text}"\n', encoding="utf-8")
    assert main(["run", "--config", str(config)]) == 2
    assert capsys.readouterr().err == (
        f"intake-bot: error: cannot open the database {text}: file is not a database\n"
    )


def test_run_names_a_missing_model_before_it_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """It read "[Errno 2] No such file or directory: 'models/x.skops'", naming no key,
    after the database had been made and migrated."""
    config = tmp_path / "c.toml"
    db = tmp_path / "county.db"
    config.write_text(
        f'database = "{db}"\n[classifier]\nmodel = "{tmp_path / "x.skops"}"\n', encoding="utf-8"
    )
    assert main(["run", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"intake-bot: error: {config}: classifier.model: no model file at ")
    assert not db.exists()


def test_bad_paths_and_choices_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A ledger into a directory that is not there; a channel misspelt (`db outbox
    --channel telgram` answered "nothing waiting: every reply was delivered")."""
    db = tmp_path / "x.db"
    assert main(["db", "migrate", "--db", str(db)]) == 0
    config = tmp_path / "c.toml"
    config.write_text(f'database = "{db}"\n', encoding="utf-8")
    capsys.readouterr()
    out = tmp_path / "nodir" / "台账.csv"
    assert main(["db", "export", str(out), "--config", str(config)]) == 2
    assert capsys.readouterr().err == (
        f"intake-bot: error: {out}: there is no directory {out.parent}\n"
    )
    with pytest.raises(SystemExit) as caught:
        main(["db", "outbox", "--db", str(db), "--channel", "telgram"])
    assert caught.value.code == 2
    assert "invalid choice: 'telgram'" in capsys.readouterr().err


def test_the_example_config_runs_as_the_readme_says(tmp_path: Path) -> None:
    """`cp config.example.toml config.toml; intake-bot run --config config.toml`, unedited:
    its intake groups are Telegram's and it has no [telegram], so the console chat served
    none of them, ignored every message and knew nobody (`/as worker1`: 没有这个人).  It is
    the console on the demo's people and groups, and says so."""
    example = Path(__file__).resolve().parent.parent / "config.example.toml"
    (tmp_path / "config.toml").write_text(example.read_text(encoding="utf-8"), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "run", "--config", "config.toml"],
        input="楼上漏水把我家天花板泡坏了，找物业也不管\n/as worker1\n认领 1\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(example.parent)},
    )
    assert "已受理，工单号 #1" in result.stdout
    assert "工单 #1 已由 王网格员 认领。" in result.stdout
    assert (
        "intake-bot: config.toml configures no channel ([telegram], [wecom] or "
        "[official_account]) for its intake groups (telegram): the console chat on the "
        "demo's people and groups, in the demo's database (intake-demo.db, not intake.db), "
        "with the config's model"
    ) in result.stderr
    # The demo's tickets are kept out of the deployment's database (they would count in its
    # /stats and ledger), which is not even made.
    with sqlite3.connect(tmp_path / "intake-demo.db") as demo:
        assert demo.execute("SELECT COUNT(*) FROM tickets").fetchone() == (1,)
    assert not (tmp_path / "intake.db").exists()


def test_a_configs_relative_paths_are_from_its_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`database = "county.db"` and `[classifier] model = "models/m.skops"` in
    conf/config.toml, run from another directory: they were read from that directory (a new,
    empty database there; "no model file").  Now from the config's."""
    import shutil

    from bot.app import DEMO_GROUP
    from classifier.runtime import default_model_path

    conf, elsewhere = tmp_path / "conf", tmp_path / "elsewhere"
    (conf / "models").mkdir(parents=True)
    elsewhere.mkdir()
    config = conf / "config.toml"
    text = (
        'database = "county.db"\n[[areas]]\ncode = "DZ"\nname = "东镇"\n'
        f'[[intake_groups]]\nchannel = "console"\nchat_id = "{DEMO_GROUP}"\narea = "DZ"\n'
        '[classifier]\nmodel = "models/m.skops"\n'
    )
    config.write_text(text, encoding="utf-8")
    # The model is looked for beside the config, and named as it was looked for.
    monkeypatch.chdir(elsewhere)
    assert main(["run", "--config", "../conf/config.toml"]) == 2
    assert capsys.readouterr().err == (
        "intake-bot: error: ../conf/config.toml: classifier.model: no model file at "
        "../conf/models/m.skops (a relative path is from the config file's directory)\n"
    )
    shutil.copy(default_model_path(), conf / "models" / "m.skops")
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "run", "--config", "../conf/config.toml"],
        input="楼上漏水把我家天花板泡坏了，找物业也不管\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        cwd=elsewhere,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )
    assert "已受理，工单号 #1" in result.stdout
    with contextlib.closing(sqlite3.connect(conf / "county.db")) as county:
        assert county.execute("SELECT COUNT(*) FROM tickets").fetchone() == (1,)
    assert list(elsewhere.iterdir()) == []
    # The db commands read the same database.
    assert main(["db", "outbox", "--config", str(config)]) == 0
    assert main(["db", "outbox", "--config", "../conf/config.toml"]) == 0
    assert list(elsewhere.iterdir()) == []


def test_a_port_in_use_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """uvicorn ends a server that cannot listen with sys.exit(3), which left the event loop
    at once: a traceback of SystemExit, the database not closed."""
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        config = tmp_path / "c.toml"
        config.write_text(
            f'database = "{tmp_path / "w.db"}"\n[[areas]]\ncode = "DZ"\nname = "东镇"\n'
            '[[intake_groups]]\nchannel = "wecom"\nchat_id = "*"\narea = "DZ"\n'
            f"[http]\nport = {port}\n[wecom]\ncorp_id = 'ww1'\nsecret = 's'\nagent_id = 1\n"
            "token = 't'\nencoding_aes_key = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'\n"
            "api_base_url = 'http://127.0.0.1:1/cgi-bin/'\n",
            encoding="utf-8",
        )
        assert main(["run", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert err.endswith(
        f"intake-bot: error: http: cannot listen on 127.0.0.1:{port} (in use by another "
        "process, or not an address of this machine)\n"
    )
    assert "Traceback" not in err
    assert not (tmp_path / "w.db-wal").exists()  # closed


@pytest.mark.parametrize(
    ("room", "warned"),
    [
        ("", True),
        ('[staff_chat]\nchannel = "telegram"\nchat_id = "-100"\n', False),
        ('[supervision]\nnotify = [{ channel = "telegram", chat_id = "-100" }]\n', False),
        # a residents' group alone: 作风反映 is never told there (`bot.config.no_duty_room`)
        (
            '[[intake_groups]]\nchannel = "telegram"\nchat_id = "-200"\narea = "DZ"\n'
            '[supervision]\nnotify = [{ channel = "telegram", chat_id = "-200" }]\n',
            True,
        ),
    ],
)
def test_run_warns_once_when_no_staff_room_is_configured(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    room: str,
    warned: bool,
) -> None:
    """With no [staff_chat] and no [supervision] notify an urgent report's group read
    已通知值班人员 although no duty room existed, and the start said nothing of it."""

    async def served(config: object) -> int:
        return 0

    monkeypatch.setattr("bot.cli._serve", served)
    config = tmp_path / "config.toml"
    config.write_text(
        'database = "county.db"\n[[areas]]\ncode = "DZ"\nname = "东镇"\n'
        '[telegram]\ntoken = "123:abc"\n' + room,
        encoding="utf-8",
    )
    assert main(["run", "--config", str(config)]) == 0
    said = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    about = [m for m in said if "no staff room hears" in m]
    assert len(about) == (1 if warned else 0), said
    if warned and "intake_groups" in room:
        assert about[0].startswith(f"{config}: [supervision] notify names only residents'")
        assert "作风反映" in about[0]
    elif warned:
        assert about[0].startswith(f"{config}: no [staff_chat]")
        assert "已通知网格员" in about[0]
