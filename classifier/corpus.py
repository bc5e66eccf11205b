"""Reading and writing labelled examples (`text,type,urgency` CSV/TSV files).

Why one format: the shipped corpus, the held-out split, the desk's `/retag` corrections and any
evaluation file all use the same header, so `intake-bot train --data` and `intake-bot evaluate
--data` accept each other's files.  Either label column may be absent (an evaluation set may
label only urgency); a row's missing label is the empty string.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from classifier.taxonomy import TYPES, URGENCIES, urgency_target

#: Corpus files shipped in `classifier/data/` that the default model is trained on.
TRAIN_FILES = (
    "generated.tsv",
    "handwritten.tsv",
    "handwritten_consult.tsv",
    "handwritten_crisis.tsv",
    "handwritten_chatter.tsv",
    "handwritten_r4_a.tsv",
    "handwritten_r4_b.tsv",
    "handwritten_r4_c.tsv",
    "handwritten_r4_crisis.tsv",
    "handwritten_r5_a.tsv",
    "handwritten_r5_b.tsv",
    "handwritten_r5_crisis.tsv",
    "handwritten_r6_short.tsv",
    "handwritten_r9_types.tsv",
    "handwritten_r9_letters.tsv",
    "handwritten_r10_terse.tsv",
    "handwritten_r11_hazards.tsv",
    "handwritten_r12_consumer_letters.tsv",
    "handwritten_r13_dangers.tsv",
)
#: Training files that teach the type head only (`classifier.model.TrainingRows`): registers
#: the types lacked (questions about crimes and police matters; letters about public policy
#: against the employer's faults; formal letters to a government board on public services;
#: terse group-chat complaints that name everyday things, which were dropped as chatter;
#: formal letters of consumers against businesses, and their look-alikes), where rows that
#: shared the urgency head's features would move its decisions.  The files keep their urgency
#: labels, for reading and scoring; training drops them (`training_rows`).
TYPE_ONLY_FILES = (
    "handwritten_r9_types.tsv", "handwritten_r9_letters.tsv", "handwritten_r10_terse.tsv",
    "handwritten_r12_consumer_letters.tsv",
)
#: Training files that teach the urgency head only (seventeenth round): dangers now in eight
#: families and their look-alikes, told in every register.  As full rows the file found 14 more
#: of the gate's urgent rows but cost lawbench 0.07 type macro-F1, because its 400 dangers pulled
#: the type head towards `other`; as urgency-only rows the type head and the features are exactly
#: as without it (docs/classifier-history.md §5).  Their chatter rows carry the urgency head's
#: own chatter class (`training_rows`).
URGENCY_ONLY_FILES = ("handwritten_r13_dangers.tsv",)
#: The hand-written training files (weighted x2, used to calibrate the temperatures).
HANDWRITTEN_FILES = tuple(f for f in TRAIN_FILES if f.startswith("handwritten"))
#: Hand-written files never trained on: held out for the not_a_report and urgent figures.
#: `heldout.tsv` was also used for error analysis during development; `heldout2.tsv` was written
#: later, scored once clean, then used for one round of rule fixes (README, classifier section).
#: `heldout3.tsv` (consultation questions, chatter, crisis messages) was written before the
#: consultation/crisis corpus round and scored once before and once after it.  `heldout4.tsv`
#: (all types, long letters, chatter, crisis rows graded by risk) was written by someone who had
#: not seen the training files, before the fourth corpus round, and scored once before and once
#: after it.
#: `heldout5.tsv` likewise, before the fifth round; `heldout6_crisis.tsv` (crisis messages, most
#: of them oblique, and look-alikes) was written blind during it, to decide whether to train on
#: the round's crisis file.  `dev_chatter5.tsv` was written in the fifth round *as training data*
#: (chatter and look-alike reports); trained on, it lowered chatter recall and precision on
#: heldout4 and doubled the real questions dropped as chatter (docs/classifier-history.md §5), so
#: it is kept out of training as a development set.  Its writer had seen training files.
#: `heldout7_short.tsv` (short messages of every kind, 2-21 characters) was written blind before
#: the sixth round and scored before and after it.  `dev_crisis6b.tsv` (short crisis posts in
#: reply and code forms, and their harmless twins) was written in the sixth round as training
#: data by someone who saw no project file; trained on, it lowered sos1k recall and dropped more
#: real letters as chatter, so it is kept out of training as a development set.
#: `heldout8.tsv` (all types, three registers, crisis rows, chatter) was written blind at the
#: end of the sixth round, after every decision of it, and scored once with its model: the
#: next round's clean starting figure.  `heldout9_boundaries.tsv` (requisition vs homestead,
#: medical vs the types that also mention medical costs) was written blind in the seventh round
#: and scored with the shipped model before the round's training file was tried;
#: `dev_boundaries7.tsv` is that training file: trained on, it cost urgent rows found and filed
#: below "high" on the other held-out files and sos1k, so the retraining gate refused it and it
#: is kept out of training as a development set.  `heldout10_registers.tsv` (questions about
#: crimes and police matters, letters about public policy, the employer's faults, consumer
#: complaints, and every other type; three registers) was written blind in the ninth round,
#: from the labelling guide only, and scored with the shipped model before the round's
#: type-only training file was tried.  `heldout11_letters.tsv` (formal letters to a government
#: message board, most of them on public services) likewise, before the round's letters file,
#: and `heldout12_social.tsv` (social-security administration against the employer's faults)
#: before the round's social-security file, `dev_social9.tsv`: trained on as type-only rows it
#: moved teddy's pension letters out of labour, as our labels have them, but dropped the mapped
#: teddy figure below the keyword baseline, so it is kept out of training as a development set.
#: `heldout13_consumer.tsv` (consumer disputes against their look-alikes: private sales, scams
#: by strangers, market policy; letters and chat) was written blind in the tenth round and
#: scored with the shipped model before the round's consumer file was tried.
#: `dev_consumer10.tsv` is that file: as type-only rows it traded lawbench for teddy and took
#: teddy's mapped figure below the keyword baseline; as full rows the retraining gate refused
#: it (one urgent row fewer found).  Kept out of training as a development set.
#: `heldout14_terse.tsv` (terse group-chat reports of every type that name everyday things,
#: and chatter that looks like them) was written blind in the tenth round and scored with the
#: shipped model before the round's terse-complaint file was tried.
#: `heldout15_hazards.tsv` (physical dangers — water and electricity, people missing, extreme
#: acts, explosions and toxic gas, collapse — and their look-alikes) was written blind in the
#: eleventh round and scored before the round's rules; `dev_hazards11.tsv`, by another writer,
#: is the development set the rules were written from.  `heldout16_chatter.tsv` (group chatter of
#: six kinds — notices, logistics, questions about the group, settled matters, small talk,
#: adverts — and reports dressed as them) was written blind in the twelfth round and scored
#: before the chatter forms (`classifier.chatter`); `dev_chatter12.tsv`, by another writer, is
#: the development set the forms were checked on.  `heldout17_recounted.tsv` (dangers that are
#: over, told in letters, chat and legal questions; dangers happening now in the same registers;
#: short everyday reports) was written blind in the thirteenth round and scored before the
#: round's rule contexts (`classifier.rules`: past events, letters); `dev_recounted13.tsv`, by
#: another writer from the same brief, is the development set those contexts were written from.
#: `heldout18_timeline.tsv` (dangers over, dangers now told beside past ones, short messages)
#: was written blind after every decision of the thirteenth round and scored once with the
#: round's starting code and once with its final code.  `heldout19_consult.tsv` (consultation
#: questions of every type, 20 rows of chatter) was written blind in the fourteenth round and
#: scored before the round's consultation training file was tried (not adopted:
#: docs/classifier-history.md §5).
HELDOUT_FILES = (
    "heldout.tsv",
    "heldout2.tsv",
    "heldout3.tsv",
    "heldout4.tsv",
    "heldout5.tsv",
    "heldout6_crisis.tsv",
    "dev_chatter5.tsv",
    "heldout7_short.tsv",
    "dev_crisis6b.tsv",
    "heldout8.tsv",
    "heldout9_boundaries.tsv",
    "dev_boundaries7.tsv",
    "heldout10_registers.tsv",
    "heldout11_letters.tsv",
    "heldout12_social.tsv",
    "dev_social9.tsv",
    "heldout13_consumer.tsv",
    "dev_consumer10.tsv",
    "heldout14_terse.tsv",
    "heldout15_hazards.tsv",
    "dev_hazards11.tsv",
    "heldout16_chatter.tsv",
    "dev_chatter12.tsv",
    "heldout17_recounted.tsv",
    "dev_recounted13.tsv",
    "heldout18_timeline.tsv",
    "heldout19_consult.tsv",
)


@dataclass(frozen=True)
class Example:
    """One labelled message; an empty label means "not labelled in this file"."""

    text: str
    type: str = ""
    urgency: str = ""


class CorpusError(ValueError):
    """A corpus file is malformed or uses a label outside the taxonomy."""


def _dialect_for(first_line: str) -> str:
    return "\t" if first_line.count("\t") > first_line.count(",") else ","


def parse(text: str, source: str = "<data>") -> list[Example]:
    """Parse CSV or TSV text with a `text` column and optional `type` / `urgency` columns."""
    first = text.split("\n", 1)[0]
    reader = csv.DictReader(io.StringIO(text), delimiter=_dialect_for(first))
    fields = [f.strip() for f in (reader.fieldnames or [])]
    if not fields:
        raise CorpusError(f"{source}: empty (the first line is the header: text,type,urgency)")
    if "text" not in fields:
        raise CorpusError(f"{source}: header must have a 'text' column, got {fields}")
    labelled = "type" in fields or "urgency" in fields
    rows: list[Example] = []
    for raw in reader:
        # The file's line, empty lines counted (a count of rows named the wrong line after
        # one); for a cell over several lines, its last.
        lineno = reader.line_num
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items()}
        ex = Example(row.get("text", ""), row.get("type", ""), row.get("urgency", ""))
        if not ex.text:
            continue
        if labelled and not ex.type and not ex.urgency:
            # Nothing to learn or score: most often a quote left open, which takes the rest
            # of the file into one text (evaluate printed an empty report, exit 0).
            raise CorpusError(
                f"{source}:{lineno}: neither a type nor an urgency (a quote left open, or "
                "the delimiters missing?)"
            )
        if ex.type and ex.type not in TYPES:
            raise CorpusError(f"{source}:{lineno}: unknown type {ex.type!r}")
        if ex.urgency and ex.urgency not in URGENCIES:
            raise CorpusError(f"{source}:{lineno}: unknown urgency {ex.urgency!r}")
        rows.append(ex)
    return rows


def read(path: Path | str) -> list[Example]:
    """Read one CSV/TSV file (delimiter guessed from the header line)."""
    p = Path(path)
    data = p.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:  # Excel's "CSV" on a Chinese Windows is GBK
        line = data[: exc.start].count(b"\n") + 1
        raise CorpusError(
            f"{p}:{line}: not UTF-8 text (from Excel: Save As \"CSV UTF-8\")"
        ) from None
    return parse(text, str(p))


def shipped(name: str) -> list[Example]:
    """Read a corpus file shipped inside the package (works from a wheel too)."""
    raw = resources.files("classifier").joinpath("data", name).read_text("utf-8")
    return parse(raw, name)


def training_rows(name: str) -> list[Example]:
    """A training file's rows as training sees them: without urgency in a `TYPE_ONLY_FILES`
    file, so that they teach the type head only; without type in an `URGENCY_ONLY_FILES` file,
    so that they teach the urgency head only (a chatter row as the urgency head's chatter)."""
    rows = shipped(name)
    if name in TYPE_ONLY_FILES:
        return [Example(e.text, e.type, "") for e in rows]
    if name in URGENCY_ONLY_FILES:
        return [
            Example(e.text, "", urgency_target(e.type, e.urgency))
            for e in rows
        ]
    return rows


def training_corpus() -> list[Example]:
    """Every shipped training example (generated + hand-written), held-out files excluded;
    rows of a type-only file carry no urgency, rows of an urgency-only file no type
    (`training_rows`)."""
    out: list[Example] = []
    for name in TRAIN_FILES:
        out.extend(training_rows(name))
    return out


def heldout() -> list[Example]:
    """All hand-written held-out examples (never trained on by the shipped model)."""
    out: list[Example] = []
    for name in HELDOUT_FILES:
        out.extend(shipped(name))
    return out


def text_key(text: str) -> str:
    """What makes two rows the same message, for keeping gate and held-out texts out of training.

    The exact text, as the corpus is de-duplicated (`corpus_gen` and the held-out files compare
    texts exactly), trimmed as `parse` trims every cell: a correction read from the database is
    not trimmed, a file row is.
    """
    return text.strip()


def from_tuples(rows: Iterable[tuple[str, str, str]]) -> Iterator[Example]:
    """Turn (text, type, urgency) tuples (e.g. `/retag` corrections) into validated Examples."""
    for text, type_, urgency in rows:
        if type_ not in TYPES:
            raise CorpusError(f"unknown type {type_!r} for {text[:20]!r}")
        if urgency not in URGENCIES:
            raise CorpusError(f"unknown urgency {urgency!r} for {text[:20]!r}")
        yield Example(text, type_, urgency)


def write(rows: Iterable[Example], path: Path | str) -> None:
    """Write examples as TSV with the standard header (the format `train --data` reads)."""
    with Path(path).open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(["text", "type", "urgency"])
        for ex in rows:
            w.writerow([ex.text.replace("\t", " ").replace("\n", " "), ex.type, ex.urgency])
