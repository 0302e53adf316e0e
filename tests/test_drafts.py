"""Kept drafts: canonical JSON round trips, numbering, atomic publishing under concurrency and kills."""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import signal
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import make_paper as base_paper
from reportgen.drafts.folders import (
    clean_stale_temps,
    discard_draft,
    draft_folders,
    latest_draft,
    load_draft,
    load_manifest,
    previous_draft,
    publish_draft,
    start_draft,
    write_draft_record,
)
from reportgen.drafts.records import (
    InputFile,
    Manifest,
    count_by_severity,
    file_record,
    manifest_from_json,
    manifest_to_json,
    package_versions,
    paper_from_json,
    paper_to_json,
)
from reportgen.errors import ReportgenError
from reportgen.issues import Severity
from reportgen.model import (
    Block,
    CoverRow,
    Inline,
    Paper,
    PaperCell,
    PaperColumn,
    PaperRow,
    PaperSection,
    StatusMove,
)

PERIOD = "2023-02"


def make_paper(title: str = "Delivery Plan") -> Paper:
    """The conftest paper with every field a draft must carry set: tracked changes, unicode, exempt
    actions, status moves, new actions, blocking issues."""
    paper = base_paper(4, sections=2)
    changed = Block("number", (Inline("removed", change="del"), Inline("added", change="ins")), level=2)
    return replace(
        paper,
        title=title,
        cover=(*paper.cover, CoverRow("PURPOSE", "Ünïcode ✓")),
        narrative=(*paper.narrative, changed),
        counts=(("Completed", 3), ("In progress", 1), ("Not started", 0), ("On hold", 0)),
        exempt_count=1,
        exempt_note="1 action is exempt",
        changes=(StatusMove(2, "Reduce ASB", "Not started", "In progress"),),
        new_actions=(3, 4),
        blocking_issues=2,
    )


def make_manifest(period: str = PERIOD) -> Manifest:
    return Manifest(
        period=period,
        edition="public",
        draft="",
        inputs=(InputFile("inputs/register.xlsx", 1234, "ab" * 32),),
        settings_digest="cd" * 32,
        versions=package_versions(),
        counts=(("Completed", 3), ("In progress", 1)),
        issue_counts=count_by_severity([Severity.ERROR, Severity.WARNING, Severity.ERROR]),
        timings=(("read", 0.25), ("render", 1.5)),
    )


# ---------------------------------------------------------------- JSON


def test_paper_round_trip() -> None:
    paper = make_paper()
    text = paper_to_json(paper)
    assert paper_from_json(text) == paper
    assert paper_to_json(paper_from_json(text)) == text  # stable
    data = json.loads(text)
    assert data["schema"] == 1
    assert data["paper"]["counts"][0] == ["Completed", 3]
    assert data["paper"]["narrative"][1]["inlines"][3] == {
        "bold": True, "change": None, "href": None, "italic": False, "text": "progress", "underline": False,
        "lang": None,
    }
    assert "Ünïcode ✓" in text.decode("utf-8") and text.endswith(b"}\n")  # UTF-8, not \u escapes


def test_paper_from_json_names_the_wrong_field() -> None:
    data = json.loads(paper_to_json(make_paper()))
    data["paper"]["sections"][0]["rows"][0]["ref"] = "12"
    with pytest.raises(ReportgenError, match=re.escape("paper.sections[0].rows[0].ref: Input should be a valid "
                                                      "integer, found '12'")):
        paper_from_json(json.dumps(data))
    data = json.loads(paper_to_json(make_paper()))
    data["paper"]["narrative"][0]["kind"] = "table"
    with pytest.raises(ReportgenError, match=re.escape("paper.narrative[0].kind: Input should be 'paragraph', "
                                                      "'heading', 'bullet' or 'number', found 'table'")):
        paper_from_json(json.dumps(data))
    with pytest.raises(ReportgenError, match="schema 2"):
        paper_from_json('{"schema": 2, "paper": {}}')


def test_missing_fields_with_defaults_read_as_defaults() -> None:
    data = json.loads(paper_to_json(make_paper()))
    del data["paper"]["status_colours"]
    assert paper_from_json(json.dumps(data)).status_colours == ()


def test_manifest_round_trip() -> None:
    manifest = replace(make_manifest(), created="2023-02-01T07:00:00+00:00")
    assert manifest_from_json(manifest_to_json(manifest)) == manifest
    assert dict(manifest.versions)["python"]
    assert manifest.issue_counts == (("error", 2), ("warning", 1))


def test_file_record(tmp_path: Path) -> None:
    (tmp_path / "inputs").mkdir()
    (tmp_path / "inputs" / "register.csv").write_bytes(b"abc")
    record = file_record(tmp_path / "inputs" / "register.csv", tmp_path)
    assert record == InputFile(
        "inputs/register.csv", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )


# ---------------------------------------------------------------- publishing


def build(outputs: Path, period: str = PERIOD, marker: str = "", out: Path | None = None) -> Path:
    tmp = start_draft(outputs, period)
    (tmp / "paper.docx").write_bytes(b"docx " + marker.encode())
    write_draft_record(tmp, make_paper(title=marker or "Delivery Plan"), make_manifest(period))
    return publish_draft(tmp, outputs, period, out=out)


def test_two_publishes_number_drafts_and_keep_the_first(tmp_path: Path) -> None:
    first = build(tmp_path, marker="one")
    before = {p.name: p.read_bytes() for p in first.iterdir()}
    second = build(tmp_path, marker="two")
    assert (first.name, second.name) == ("draft-01", "draft-02")
    assert {p.name: p.read_bytes() for p in first.iterdir()} == before
    assert sorted(p.name for p in (tmp_path / PERIOD).iterdir()) == [".lock", "draft-01", "draft-02"]
    paper, manifest = load_draft(second)
    assert paper.title == "two"
    assert manifest.draft == "draft-02"
    assert [o.path for o in manifest.outputs] == ["draft.json", "paper.docx"]
    assert manifest.outputs[1].size == len(b"docx two")
    assert latest_draft(tmp_path) == second
    assert previous_draft(tmp_path, second) == first
    assert previous_draft(tmp_path, first) is None


def test_identical_builds_differ_only_in_run_facts(tmp_path: Path) -> None:
    one, two = build(tmp_path), build(tmp_path)
    assert (one / "draft.json").read_bytes() == (two / "draft.json").read_bytes()
    m1, m2 = load_draft(one)[1], load_draft(two)[1]
    assert replace(m1.reproducible(), draft="") == replace(m2.reproducible(), draft="")


def test_numbers_sort_beyond_99(tmp_path: Path) -> None:
    for folder in (*(tmp_path / PERIOD / name for name in ("draft-09", "draft-99", "draft-100", "draft-10")),
                   tmp_path / "2023-01" / "draft-500"):
        folder.mkdir(parents=True)
        (folder / "manifest.json").write_text("{}", encoding="utf-8")  # kept (a folder without one is not a draft)
    (tmp_path / PERIOD / ".draft-tmp-1-abcd").mkdir()
    names = [p.name for p in draft_folders(tmp_path, PERIOD)]
    assert names == ["draft-09", "draft-10", "draft-99", "draft-100"]
    assert latest_draft(tmp_path) == tmp_path / PERIOD / "draft-100"
    assert latest_draft(tmp_path, "2023-01") == tmp_path / "2023-01" / "draft-500"
    assert previous_draft(tmp_path, tmp_path / PERIOD / "draft-09") == tmp_path / "2023-01" / "draft-500"
    tmp = start_draft(tmp_path, PERIOD)
    assert publish_draft(tmp, tmp_path, PERIOD).name == "draft-101"


def test_out_is_used_exactly_and_never_overwritten(tmp_path: Path) -> None:
    outputs = tmp_path / "outputs"
    empty = tmp_path / "empty"
    empty.mkdir()
    assert build(outputs, out=empty) == empty
    assert load_draft(empty)[1].draft == "empty"
    fresh = tmp_path / "new" / "paper-for-meeting"
    assert build(outputs, out=fresh) == fresh
    kept = (fresh / "paper.docx").read_bytes()
    tmp = start_draft(outputs, PERIOD)
    with pytest.raises(ReportgenError, match="not empty"):
        publish_draft(tmp, outputs, PERIOD, out=fresh)
    assert (fresh / "paper.docx").read_bytes() == kept
    assert tmp.exists()  # the caller decides: discard it
    discard_draft(tmp)
    assert not tmp.exists()
    # an `--out` draft outside outputs/ follows the numbered ones of its period
    numbered = build(outputs)
    assert previous_draft(outputs, fresh) == numbered


def test_a_draft_for_out_is_built_beside_it_and_leaves_outputs_alone(tmp_path: Path) -> None:
    outputs, out = tmp_path / "workspace" / "outputs", tmp_path / "papers" / "for-the-meeting"
    tmp = start_draft(outputs, PERIOD, beside=out)
    assert tmp.parent == out.parent and tmp.name.startswith(".draft-tmp-")
    (tmp / "paper.pdf").write_bytes(b"pdf")
    assert publish_draft(tmp, outputs, PERIOD, out=out) == out
    assert (out / "paper.pdf").read_bytes() == b"pdf"
    assert not outputs.exists()
    assert sorted(p.name for p in out.parent.iterdir()) == ["for-the-meeting"]


def test_load_draft_refuses_a_folder_without_a_draft(tmp_path: Path) -> None:
    with pytest.raises(ReportgenError, match=r"not a draft folder \(no readable draft.json"):
        load_draft(tmp_path)
    (tmp_path / "draft.json").write_text("{", encoding="utf-8")
    (tmp_path / "manifest.json").write_text(manifest_to_json(make_manifest()), encoding="utf-8")
    with pytest.raises(ReportgenError, match="not valid JSON") as caught:
        load_draft(tmp_path)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(("damage", "says"), [
    ('{"schema": 1, "paper": {"title": "x"', "not valid JSON: EOF while parsing"),
    ("[1, 2]", "not a reportgen paper"),
    ('{"schema": 1}', "not a reportgen paper (no 'paper' key)"),
    ('{"schema": 7, "paper": {}}', "paper schema 7 is not 1: written by another reportgen"),
    ("TITLE", "paper JSON does not fit the model: paper.title: Input should be a valid string, found 3"),
    ("EXTRA", "paper JSON does not fit the model: paper.sections[0].rows[0].colour: Unexpected keyword argument"),
    ("WIDTH", "paper JSON does not fit the model: paper.columns[0].width: Input should be a valid number, found '0.1'"),
])
def test_a_damaged_draft_json_is_one_clear_error_naming_the_folder(tmp_path: Path, damage: str, says: str) -> None:
    folder = build(tmp_path, marker="one")
    data = json.loads((folder / "draft.json").read_text(encoding="utf-8"))
    if damage == "TITLE":
        data["paper"]["title"] = 3
    elif damage == "EXTRA":
        data["paper"]["sections"][0]["rows"][0]["colour"] = "red"
    elif damage == "WIDTH":
        data["paper"]["columns"][0]["width"] = "0.1"
    text = json.dumps(data) if damage.isupper() else damage
    (folder / "draft.json").write_text(text, encoding="utf-8")
    with pytest.raises(ReportgenError) as caught:
        load_draft(folder)
    message = str(caught.value)
    assert message.startswith(f"{folder / 'draft.json'}: ") and says in message and "\n" not in message
    assert (folder / "draft.json").read_text(encoding="utf-8") == text  # read, never rewritten


def test_a_draft_changed_after_it_was_kept_is_refused_naming_the_file(tmp_path: Path) -> None:
    """manifest.json records draft.json's SHA-256: a paper edited by hand is not compared or carried
    forward as if the build had kept it."""
    folder = build(tmp_path, marker="one")
    text = (folder / "draft.json").read_text(encoding="utf-8")
    assert '"title": "one"' in text
    (folder / "draft.json").write_text(text.replace('"title": "one"', '"title": "altered"', 1), encoding="utf-8")
    with pytest.raises(ReportgenError) as caught:
        load_draft(folder)
    assert str(caught.value).startswith(f"{folder / 'draft.json'} is not the file the build kept (its SHA-256 "
                                        "differs from the one manifest.json records)")


def test_a_kept_paper_never_holds_a_theme() -> None:
    data = json.loads(paper_to_json(make_paper()))
    assert "theme" not in data["paper"]
    data["paper"]["theme"] = {}
    with pytest.raises(ReportgenError, match=r"paper\.theme: a draft keeps no theme"):
        paper_from_json(json.dumps(data))


def test_the_manifest_reads_alone_and_names_the_folder_when_it_cannot(tmp_path: Path) -> None:
    folder = build(tmp_path, marker="one")
    expected = load_draft(folder)[1]
    (folder / "draft.json").write_text("{", encoding="utf-8")  # its paper is not read
    assert load_manifest(folder) == expected
    with pytest.raises(ReportgenError, match="not valid JSON"):
        load_draft(folder)
    with pytest.raises(ReportgenError, match=rf"{tmp_path}: draft has no readable manifest.json"):
        load_manifest(tmp_path)
    (tmp_path / "manifest.json").write_text('{"schema": 1}', encoding="utf-8")
    with pytest.raises(ReportgenError, match=rf"{tmp_path}: not a reportgen manifest"):
        load_manifest(tmp_path)


def test_bad_period_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ReportgenError, match="not YYYY-MM"):
        start_draft(tmp_path, "../etc")


# ---------------------------------------------------------------- processes


def _publish_many(outputs: str, worker: int, count: int, barrier: object) -> None:
    barrier.wait()  # type: ignore[attr-defined]
    for n in range(count):
        build(Path(outputs), marker=f"{worker}-{n}")


def test_concurrent_publishes_never_collide(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    workers, each = 4, 3
    barrier = context.Barrier(workers)
    processes = [
        context.Process(target=_publish_many, args=(str(tmp_path), w, each, barrier)) for w in range(workers)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
        assert process.exitcode == 0
    folders = draft_folders(tmp_path, PERIOD)
    assert [f.name for f in folders] == [f"draft-{n:02d}" for n in range(1, workers * each + 1)]
    titles = sorted(load_draft(f)[0].title for f in folders)
    assert titles == sorted(f"{w}-{n}" for w in range(workers) for n in range(each))
    assert not [p for p in (tmp_path / PERIOD).iterdir() if p.name.startswith(".draft-tmp")]


def _start_and_hang(outputs: str, queue: object) -> None:
    tmp = start_draft(Path(outputs), PERIOD)
    (tmp / "paper.docx").write_bytes(b"half a paper")
    queue.put(str(tmp))  # type: ignore[attr-defined]
    signal.pause()


def test_killed_build_leaves_no_draft_and_its_temp_is_cleaned(tmp_path: Path) -> None:
    first = build(tmp_path, marker="kept")
    kept = {p.name: p.read_bytes() for p in first.iterdir()}
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_start_and_hang, args=(str(tmp_path), queue))
    process.start()
    tmp = Path(queue.get(timeout=60))
    assert tmp.exists() and clean_stale_temps(tmp_path, PERIOD) == []  # alive: left alone
    os.kill(process.pid, signal.SIGKILL)
    process.join(10)
    assert [f.name for f in draft_folders(tmp_path, PERIOD)] == ["draft-01"]
    assert latest_draft(tmp_path) == first
    assert clean_stale_temps(tmp_path, PERIOD) == [tmp]
    assert not tmp.exists()
    assert {p.name: p.read_bytes() for p in first.iterdir()} == kept
    assert build(tmp_path).name == "draft-02"


# ---------------------------------------------------------------- property

def _few(cls: type) -> st.SearchStrategy[tuple[object, ...]]:
    return st.lists(st.from_type(cls), max_size=2).map(tuple)


# JSON has no NaN or infinity (column widths are finite shares); nesting kept small to stay fast
st.register_type_strategy(PaperColumn, st.builds(PaperColumn, width=st.floats(0, 1)))
st.register_type_strategy(Block, st.builds(Block, inlines=_few(Inline)))
st.register_type_strategy(PaperCell, st.builds(PaperCell, rich=_few(Block)))
st.register_type_strategy(PaperRow, st.builds(PaperRow, cells=_few(PaperCell)))
st.register_type_strategy(PaperSection, st.builds(PaperSection, rows=_few(PaperRow)))


@settings(max_examples=50, deadline=None)
@given(st.from_type(Paper))
def test_any_paper_round_trips(paper: Paper) -> None:
    assert paper_from_json(paper_to_json(paper)) == paper
