"""The classifier's CLI sub-commands, driven through `add_commands` as `intake-bot` does."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from classifier import gate
from classifier.cli import add_commands
from classifier.corpus import heldout, training_corpus, write
from classifier.taxonomy import TYPES


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="intake-bot")
    sub = parser.add_subparsers(dest="command", required=True)
    add_commands(sub)
    args = parser.parse_args(argv)
    code: int = args.func(args)
    return code


def test_classify_one_argument(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["classify", "他拿着菜刀在门口要砍人"]) == 0
    obj = json.loads(capsys.readouterr().out)
    assert set(obj) >= {"text", "type", "type_confidence", "urgency", "urgency_confidence", "rules"}
    assert obj["text"] == "他拿着菜刀在门口要砍人"
    assert obj["urgency"] == "urgent" and "weapon" in obj["rules"]


def test_classify_stdin_one_json_per_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("收到\n\n小区停水三天了\n老板欠薪\n"))
    assert run(["classify"]) == 0
    lines = capsys.readouterr().out.strip().split("\n")
    objs = [json.loads(x) for x in lines]
    assert [o["text"] for o in objs] == ["收到", "小区停水三天了", "老板欠薪"]
    assert objs[0]["type"] == "not_a_report"
    assert objs[1]["type"] == "property_management"


def test_train_with_data_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("classifier.model.LOGREG_C", 1.0)  # speed only
    data = tmp_path / "retag.tsv"
    write([e for e in training_corpus()[::25] if e.type], data)
    out = tmp_path / "m.skops"
    # --no-gate: a 4 % sample would (rightly) fail the gate against the shipped model; the gate
    # has its own tests (tests/test_train_gate.py).
    assert run(["train", "--no-corpus", "--data", str(data), "--out", str(out), "--no-gate"]) == 0
    assert out.exists() and "extra examples" in capsys.readouterr().out
    assert run(["classify", "--model", str(out), "收到"]) == 0
    assert json.loads(capsys.readouterr().out)["type"] in TYPES


def test_train_rejects_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("text,type,urgency\n停水了,water,high\n", encoding="utf-8")
    assert run(["train", "--data", str(bad), "--out", str(tmp_path / "x.skops")]) == 2
    assert "unknown type" in capsys.readouterr().err


def test_evaluate_csv_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "eval.csv"
    data.write_text(
        "text,type,urgency\n收到,not_a_report,low\n老板拖欠了三个月工资,labour_wages,normal\n"
        "他拿刀砍人了,public_order,urgent\n",
        encoding="utf-8",
    )
    assert run(["evaluate", "--data", str(data), "--json"]) == 0
    rep = json.loads(capsys.readouterr().out)
    assert rep["n"] == 3
    assert rep["urgency"]["urgent"]["recall"] == 1.0
    assert "confusion" in rep["type"] and "macro_f1" in rep["type"]


def test_evaluate_text_type_only_and_baseline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "eval.tsv"
    data.write_text(
        "text\ttype\n收到\tnot_a_report\n停水了\tproperty_management\n", encoding="utf-8"
    )
    assert run(["evaluate", "--data", str(data)]) == 0
    out = capsys.readouterr().out
    assert "macro-F1" in out and "urgency" not in out
    assert run(["evaluate", "--data", str(data), "--baseline"]) == 0
    assert "macro-F1" in capsys.readouterr().out


def test_evaluate_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["evaluate", "--data", "does-not-exist.csv"]) == 2


def test_evaluate_pools_files_and_scores_a_shared_text_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.tsv"
    first.write_text(
        "text,type,urgency\n收到,not_a_report,low\n他拿刀砍人了,public_order,urgent\n",
        encoding="utf-8",
    )
    second.write_text(
        "text\ttype\turgency\n他拿刀砍人了\tpublic_order\turgent\n"
        "老板拖欠了三个月工资\tlabour_wages\tnormal\n",
        encoding="utf-8",
    )
    assert run(["evaluate", "--data", str(first), "--data", str(second), "--json"]) == 0
    rep = json.loads(capsys.readouterr().out)
    assert rep["n"] == 3
    assert rep["urgency"]["urgent"]["tp"] + rep["urgency"]["urgent"]["fn"] == 1


def test_evaluate_held_out_scores_the_gate_sets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--held-out` is what the README's pooled figures ("the 27 gate files") come from."""
    pooled = gate.rows(heldout())
    assert run(["evaluate", "--held-out", "--json"]) == 0
    rep = json.loads(capsys.readouterr().out)
    assert rep["n"] == len(pooled)
    urgent = sum(e.urgency == "urgent" for e in pooled)
    assert rep["urgency"]["urgent"]["tp"] + rep["urgency"]["urgent"]["fn"] == urgent
    extra = tmp_path / "county.csv"
    extra.write_text("text,type,urgency\n本县独有的一条：村口石桥断了,other,high\n", "utf-8")
    assert run(["evaluate", "--held-out", "--data", str(extra), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["n"] == len(pooled) + 1


def test_evaluate_needs_data(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["evaluate"]) == 2
    assert "--held-out" in capsys.readouterr().err


@pytest.mark.parametrize("content", [b"not a model", b""])
def test_a_file_that_is_no_model_is_named_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes
) -> None:
    """`intake-bot classify --model F` (and the bot's `[classifier] model`) on a file that is
    not a model: one line naming the file and why, exit 2."""
    from bot.cli import main

    bad = tmp_path / "intake-local.skops"
    bad.write_bytes(content)
    assert main(["classify", "--model", str(bad), "停水了"]) == 2
    err = capsys.readouterr().err
    assert "intake-local.skops: not a model file" in err and "Traceback" not in err


def test_the_console_run_loads_the_model_its_config_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`intake-bot run` with no channel and no intake group is the console demo on the
    config's database; its `[classifier] model` is still the one loaded (here: refused)."""
    from bot.cli import main

    bad = tmp_path / "intake-local.skops"
    bad.write_bytes(b"not a model")
    config = tmp_path / "county.toml"
    config.write_text(
        f'database = "{tmp_path / "county.db"}"\n[classifier]\nmodel = "{bad}"\n',
        encoding="utf-8",
    )
    assert main(["run", "--config", str(config)]) == 2
    assert "intake-local.skops: not a model file" in capsys.readouterr().err


def test_classify_reads_a_bad_byte_as_one_replacement_character() -> None:
    """`intake-bot classify` on stdin with an invalid UTF-8 byte: U+FFFD, not a traceback."""
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "classify"],
        input="他拿刀".encode() + b"\xff" + "要砍人\n".encode(),
        capture_output=True, timeout=120, check=False,
        env={**os.environ, "PYTHONIOENCODING": "utf-8:strict"},
    )
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    obj = json.loads(result.stdout.decode("utf-8"))
    assert obj["text"] == "他拿刀\ufffd要砍人" and obj["urgency"] == "urgent"


def test_evaluate_names_what_is_wrong_with_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Excel's "CSV" on a Chinese Windows is GBK: it read "'utf-8' codec can't decode byte
    0xd6 in position 20", naming no file.  A quote left open took the rest of the file into
    one unlabelled text, and a file with only its header: both printed an empty report and
    exited 0.  A bad label after empty lines was named at the wrong line.  An empty file
    "must have a 'text' column, got []".  Excel's byte order mark is read as nothing."""
    rows = "text,type,urgency\n楼上漏水,neighbour,normal\n老板欠薪,labour_wages,normal\n"
    cases = {
        "gbk.csv": (rows.encode("gbk"), "gbk.csv:2: not UTF-8 text (from Excel: Save As"),
        "quote.csv": (
            'text,type,urgency\n"楼上漏水,neighbour,normal\n老板欠薪,labour_wages,normal\n'.encode(),
            "quote.csv:3: neither a type nor an urgency (a quote left open",
        ),
        "header.csv": (b"text,type,urgency\n", "header.csv: no rows under the header"),
        "empty.csv": (b"", "empty.csv: empty (the first line is the header"),
        "gaps.csv": (
            (rows + "\n\n村口着火了,publc_order,urgent\n").encode(),
            "gaps.csv:6: unknown type 'publc_order'",
        ),
    }
    for name, (data, message) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        assert run(["evaluate", "--data", str(path)]) == 2, name
        err = capsys.readouterr().err
        assert err.startswith(f"evaluate: {tmp_path}"), err
        assert message in err and err.count("\n") == 1, err
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + rows.encode())
    assert run(["evaluate", "--data", str(bom), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["n"] == 2


def test_a_zip_that_is_no_model_is_named_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A zip archive of anything else (no runtime index, no skops schema) ended
    `classify --model` in KeyError's traceback from skops."""
    import zipfile

    from bot.cli import main

    archive = tmp_path / "photos.skops"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("a.txt", "not a model")
    assert main(["classify", "--model", str(archive), "停水了"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("intake-bot: error: photos.skops: not a model file (KeyError")
    assert "Traceback" not in err and err.count("\n") == 1


def test_classify_into_a_reader_that_stops_is_quiet(tmp_path: Path) -> None:
    """`intake-bot classify < reports.txt | head -1` printed "intake-bot: error: Broken
    pipe" (before that, a traceback): the reader closing early is no error."""
    lines = "".join(f"楼上漏水第{n}天\n" for n in range(3000)).encode()  # past a pipe's buffer
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "classify"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    assert process.stdin is not None and process.stdout is not None
    stdin = process.stdin

    def feed() -> None:  # beside the reading: both pipes' buffers are smaller than this
        with contextlib.suppress(BrokenPipeError):
            stdin.write(lines)
            stdin.close()

    feeding = threading.Thread(target=feed, daemon=True)
    feeding.start()
    assert json.loads(process.stdout.readline())["text"] == "楼上漏水第0天"
    process.stdout.close()  # as head does after its line
    assert process.wait(timeout=120) == 141
    feeding.join(timeout=10)
    assert process.stderr is not None and process.stderr.read() == b""
