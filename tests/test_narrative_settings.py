"""The officer's own files (issue 14): the narrative sandboxed with bounded work, every mistake one
issue with its line; settings validated; cover values are text. Each case failed before its fix
(a hang, a traceback, a file read from outside the workspace, or a silent wrong paper)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import docx
import pytest

from conftest import copy_example, make_workspace
from reportgen.check.narrative import fill_narrative
from reportgen.errors import ReportgenError
from reportgen.run.build import build_draft, validate_draft
from reportgen.settings import settings_from_dict

log = logging.getLogger(__name__)
CONTEXT: dict[str, object] = {"total": 6, "counts": {"Completed": 2}}

HOSTILE = {
    "nested loops": ("Intro\n{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}", 2),
    "huge range": ("{% for i in range(10**9) %}x{% endfor %}", 1),
    "recursion": ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", None),
    "include": ("Text\n\n{% include 'x' %}", 3),
    "division": ("A\nB {{ total / 0 }}", 2),
    "repeat": ('{{ "x" * 10**9 }}', 1),
    "power": ("{{ 9 ** 999999 }}", 1),
    "percent width": ('{{ "%999999999d" % 1 }}', 1),
    "format width": ('{{ "{:>999999999}".format(1) }}', 1),
    "undefined": ("# Title\n\n{{ nope }}", 3),
    "syntax": ("# Title\n{% if total %}", 2),
    "output": ("{% for i in range(10000) %}{{ 'y' * 90 }}{% endfor %}", 1),
    "doubling": ('{% set ns = namespace(x="ab" * 50000) %}{% for i in range(40) %}{% set ns.x = ns.x ~ ns.x %}'
                 "{% endfor %}", 1),
    "doubling with +": ('{% set ns = namespace(x="ab" * 50000) %}{% for i in range(40) %}{% set ns.x = ns.x + ns.x %}'
                        "{% endfor %}", 1),
    "replace": ('{{ ("a" * 100000) | replace("a", "a" * 100000) }}', 1),
    "join": ('{{ ("a" * 100000) | join("b" * 100000) }}', 1),
    "loop over text": ('{% for a in "x" * 100000 %}{% for b in "y" * 100000 %}{% endfor %}{% endfor %}', 1),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_narrative_is_one_issue_with_its_line(name: str) -> None:
    source, line = HOSTILE[name]
    start = time.perf_counter()
    markdown, issues = fill_narrative(source, CONTEXT)
    log.warning("narrative %r: %.2f s", name, time.perf_counter() - start)
    assert markdown is None
    assert [(i.code, i.row) for i in issues] == [("narrative-error", line)]
    assert "could not be filled in" in issues[0].message
    if name == "include":  # in plain words, not Jinja's "no loader for this environment specified"
        assert "cannot include, import or extend another file" in issues[0].message


def test_a_good_narrative_still_fills_in() -> None:
    markdown, issues = fill_narrative("{% for i in range(3) %}{{ i }}{% endfor %} of {{ total }}", CONTEXT)
    assert (markdown, issues) == ("012 of 6", [])


def test_a_count_reads_right_whatever_it_is() -> None:
    source = ('{{ counts["Completed"] | plural("action is", "actions are") }}; {{ counts["On hold"] | '
              'plural("action is", "actions are") }}; {{ total | plural("action") }}; {{ 1204 | plural("cell") }}; '
              '{{ 0 | plural("entry", "entries") }}')
    context: dict[str, object] = {"total": 1, "counts": {"Completed": 2, "On hold": 1}}
    assert fill_narrative(source, context) == ("2 actions are; 1 action is; 1 action; 1,204 cells; 0 entries", [])
    markdown, issues = fill_narrative('A\n{{ paper_title | plural("action") }}', {"paper_title": "Plan"})
    assert markdown is None and [(i.row, i.message) for i in issues] == [
        (2, "The narrative narrative.md could not be filled in: plural counts a number of things, not 'Plan'.")]


def test_a_count_printed_alone_is_grouped_in_thousands_as_the_paper_writes_counts() -> None:
    """A 1,500-action paper's narrative read "the 1500 actions in the plan" from `{{ total }}`, beside "1,500
    actions" from `plural` and in the build's own counts. A whole number printed is grouped as the paper writes
    counts; text, True/False and a number built into text are printed as they are."""
    source = ('{{ total }} actions; {{ total | plural("action") }}; {{ counts["Completed"] }}; {{ 999 }}; '
              '{{ total > 3 }}; {{ "2027" }}')
    context: dict[str, object] = {"total": 1500, "counts": {"Completed": 12345}}
    assert fill_narrative(source, context) == ("1,500 actions; 1,500 actions; 12,345; 999; True; 2027", [])


def test_a_broken_narrative_builds_the_paper_and_blocks(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", narrative="# Delivery\n\n{{ total / 0 }}\n")
    done = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", "build", "--workspace", str(root)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "line 3: The narrative narrative.md could not be filled in: division by zero." in " ".join(
        done.stdout.split())
    assert Path(done.stdout.strip().splitlines()[-1], "paper.pdf").is_file()


@pytest.mark.parametrize(("written", "told"), [
    ('{{ counts["Complete"] }}', "counts has no status 'Complete' (did you mean 'Completed'?); the statuses are "
                                 "Completed, In progress, Not started, On hold."),
    ('{{ counts["On Hold"] | plural("action is", "actions are") }}', "counts has no status 'On Hold' (did you mean "
                                                                     "'On hold'?); the statuses are Completed, "),
    ("{% if counts.Done %}x{% endif %}", "counts has no status 'Done'; the statuses are Completed, In progress, "
                                         "Not started, On hold."),
    ("{{ totl }}", "there is no value 'totl' (did you mean 'total'?); the values are total, counts, counted, "),
    ("{{ paper.metting }}", "paper has no value 'metting' (did you mean 'meeting'?); the values are meeting, "),
])
def test_a_mistyped_name_is_told_in_plain_words_once_at_its_line(tmp_path: Path, written: str, told: str) -> None:
    root = make_workspace(tmp_path / "ws", narrative=f"# Delivery\n\nOf {{{{ total }}}} actions:\n{written}\n")
    done = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", "validate", "--workspace", str(root)],
                          capture_output=True, text=True, timeout=300)
    printed = " ".join(done.stdout.split())
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"error line 4: The narrative narrative.md could not be filled in: {told}" in printed
    assert "object" not in printed and "attribute" not in printed and "undefined" not in printed
    assert "row 4" not in printed and "(line 4)" not in printed


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16"])
def test_narrative_in_another_encoding_is_read(tmp_path: Path, encoding: str) -> None:
    root = make_workspace(tmp_path / "ws")
    (root / "narrative.md").write_bytes("# Café update\n\nOf {{ total }} actions.\n".encode(encoding))
    result = build_draft(root)
    assert [b.text for b in result.paper.narrative] == ["Café update", "Of 6 actions."]
    assert not [i for i in result.issues if i.code == "narrative-error"]


def test_narrative_outside_the_workspace_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("SECRET-NARRATIVE", encoding="utf-8")
    for name in (str(secret), "../secret.md"):
        toml = f'[paper]\ntitle = "T"\nnarrative = "{name}"\n'
        root = make_workspace(tmp_path / f"ws{len(name)}", toml=toml)
        result = build_draft(root)
        assert "SECRET" not in str(result.paper.narrative)
        assert [i.code for i in result.issues if i.code == "narrative-error"] == ["narrative-error"]


def test_a_mistyped_narrative_name_is_an_issue(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", toml='[paper]\ntitle = "T"\nnarrative = "narative.md"\n')
    result = build_draft(root)
    found = [i for i in result.issues if i.code == "narrative-error"]
    assert len(found) == 1 and found[0].blocking and "narative.md" in found[0].message


def test_cover_values_are_text_never_template_markers(tmp_path: Path) -> None:
    toml = textwrap.dedent(f"""\
        [paper]
        meeting = "[[NARRATIVE]]"
        title = "{'T' * 300}"
        submitted_by = "[[CELL]]"
        purpose = "[[SECTION]] and [[SUBSECTION]]"
        """)
    result = build_draft(make_workspace(tmp_path / "ws", toml=toml))
    document = docx.Document(str(result.folder / "paper.docx"))
    cover = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert cover["MEETING"] == "[[NARRATIVE]]" and cover["SUBMITTED BY"] == "[[CELL]]"
    assert cover["PURPOSE OF REPORT"] == "[[SECTION]] and [[SUBSECTION]]"
    assert cover["TITLE OF REPORT"] == "T" * 300
    assert "Of the 6 actions, 2 are complete." in [p.text for p in document.paragraphs]
    assert len(document.core_properties.title) == 255


@pytest.mark.parametrize(("paper", "why"), [
    ({"exempt_note": "{count} {secret}"}, "only {actions}"),
    ({"exempt_note": "{count:>50000000}"}, "only {actions}"),
    ({"exempt_note": "{actions:>50000000}"}, "only {actions}"),
    ({"exempt_note": "{actions!r}"}, "only {actions}"),
    ({"exempt_note": "{count"}, "not a valid note"),
    ({"restricted_marking": " "}, "cannot be empty"),
    ({"title": "Plan\x85update"}, "U+0085"),
    ({"purpose": "To note\x07the report"}, "U+0007 between 'To note' and 'the report'; remove it"),
    ({"meeting": "x" * 20_000}, "limit is 10,000"),
])
def test_bad_paper_settings_are_one_clear_error(paper: dict[str, str], why: str) -> None:
    with pytest.raises(ReportgenError, match=f"paper.*{why}".replace("{", r"\{").replace("}", r"\}")
                       .replace("(", r"\(").replace("+", r"\+")):
        settings_from_dict({"paper": paper})


@pytest.mark.parametrize("schedule", [{"cron": "61 * * * *"}, {"cron": "every month"}, {"cron": "H 7 1 * *"},
                                      {"timezone": "Europe/Londn"}])
def test_bad_schedule_is_one_clear_error(schedule: dict[str, str]) -> None:
    with pytest.raises(ReportgenError, match="schedule"):
        settings_from_dict({"schedule": schedule})


@pytest.mark.parametrize(("cron", "form"), [("0 7 LW * *", "'LW'"), ("0 7 * * 5L", "'5L'"), ("0 18 L/2 * *", "'L/2'")])
def test_a_cron_prefects_scheduler_refuses_is_refused_before_serve_starts_a_server(
        tmp_path: Path, cron: str, form: str) -> None:
    """The secretariat wanted the paper built on the last working day ('LW') or the last Friday ('5L'): the
    settings check took them, `reportgen validate` said nothing, and `reportgen serve` started a Prefect
    server, then died with a 30-line traceback from Prefect ("Invalid cron string"). Now both commands say,
    in one line, which part of the cron Prefect's scheduler does not run, and serve starts nothing."""
    workspace = make_workspace(tmp_path / "ws", toml=f'[schedule]\ncron = "{cron}"\n')
    home = tmp_path / "prefect-home"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")} | {"PREFECT_HOME": str(home)}
    for command in ("serve", "validate"):
        done = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", command, "--workspace", str(workspace)],
                              capture_output=True, text=True, timeout=180, env=env)
        assert done.returncode == 1, done.stdout + done.stderr
        assert done.stderr.splitlines() == [
            f"reportgen: error: {workspace / 'reportgen.toml'}: schedule.cron: cron {cron!r}: Prefect's scheduler does "
            f"not run {form} (it runs 'L', the last day of the month, in the day field, and '5#1', the first Friday, "
            "in the weekday field): choose another day"], done.stderr
    assert not (home / "server.log").exists()  # no server was started


def test_crons_prefects_scheduler_runs_are_taken() -> None:
    for cron in ("0 7 1 * *", "0 23 L * *", "0 7 1,L * *", "0 7 * * 5#1", "0 7 * 1,4,7,10 MON#2"):
        assert settings_from_dict({"schedule": {"cron": cron}}).schedule.cron == cron


def test_an_alias_of_symbols_only_is_refused() -> None:
    with pytest.raises(ReportgenError, match="no letters or digits"):
        settings_from_dict({"statuses": {"aliases": {"-": "Not started"}}})


def test_an_alias_that_would_change_a_status_or_clash_is_refused(tmp_path: Path) -> None:
    """`"In progress" = "Completed"` counted every action in progress as completed, and two spellings of one word
    meaning different statuses made the counts hang on the order of the lines; both were taken without a word."""
    with pytest.raises(ReportgenError, match=r"alias 'In progress' is how partners write the status 'In progress': "
                                             r"it cannot mean 'Completed'"):
        settings_from_dict({"statuses": {"aliases": {"Ongoing": "In progress", "In progress": "Completed"}}})
    with pytest.raises(ReportgenError, match="alias 'not yet started' is how partners write the status 'Not started'"):
        settings_from_dict({"statuses": {"aliases": {"not yet started": "On hold"}}})
    with pytest.raises(ReportgenError, match=r"aliases 'Ongoing' and 'ongoing ' are the same words .* but mean "
                                             r"'In progress' and 'On hold': keep one"):
        settings_from_dict({"statuses": {"aliases": {"Ongoing": "In progress", "ongoing ": "On hold"}}})
    same = {"Ongoing": "In progress", "ON-GOING": "in progress", "completed": "Completed"}  # harmless: taken
    assert settings_from_dict({"statuses": {"aliases": same}}).statuses.aliases == {
        "Ongoing": "In progress", "ON-GOING": "In progress", "completed": "Completed"}
    workspace = copy_example(tmp_path / "ws")  # as the officer sees it
    with (workspace / "reportgen.toml").open("a", encoding="utf-8") as settings:
        settings.write('\n[statuses]\naliases = { "In progress" = "Completed" }\n')
    done = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", "validate", "--workspace", str(workspace)],
                          capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "statuses.aliases: alias 'In progress' is how partners write the status" in done.stderr


def test_an_alias_of_a_status_in_another_case_is_taken_as_that_status() -> None:
    """Statuses match ignoring case everywhere else; an alias's status written "in progress" was refused."""
    aliases = settings_from_dict({"statuses": {"aliases": {"Ongoing": "in progress"}}}).statuses.aliases
    assert aliases == {"Ongoing": "In progress"}


@pytest.mark.parametrize(("settings", "told"), [
    ({"paper": {"date": "02/02/2023"}},
     "paper.date: '02/02/2023' is not a date; write it unquoted, year first, as TOML writes a date: 2023-02-02"),
    ({"paper": {"date": "2 February 2023"}}, "as TOML writes a date: 2023-02-02"),
    ({"paper": {"date": "next Thursday"}}, "'next Thursday' is not a date; write it unquoted, year first, as TOML "
                                           "writes a date, e.g. 2026-11-05 for 5 November 2026"),
    ({"paper": {"date": dt.datetime(2026, 11, 5, 10, 0)}}, "as TOML writes a date: 2026-11-05"),
    ({"paper": {"meetings": True}}, "write it in square brackets, as meetings = [true]"),
    ({"paper": {"meetings": "2026-11-05"}},
     "paper.meetings: is one value where a list goes; write it in square brackets, as meetings = [2026-11-05]"),
    ({"returns": {"columns": {"status": {"aliases": "RAG"}}}},
     "returns.columns.status.aliases: is one value where a list goes; write it in square brackets, as "
     'aliases = ["RAG"]'),
    ({"paper": {"cover": [{"headng": "Contact"}]}}, "paper.cover (the 1st).heading: missing: each such table needs it"),
    ({"papers": {"title": "x"}}, "papers: unknown key (did you mean 'paper'?). reportgen.toml's tables are [paper], "
                                 "[register]"),
])
def test_a_setting_of_the_wrong_kind_says_what_to_write(settings: dict[str, object], told: str) -> None:
    """An officer writes a date as on a letter, one meeting without brackets, or mistypes a table's name: pydantic's
    'Input should be a valid date or datetime, invalid character in year' or 'Input should be a valid tuple' said
    nothing an officer can act on, and an unknown table listed what '[]' takes."""
    with pytest.raises(ReportgenError) as raised:
        settings_from_dict(settings)
    assert told in str(raised.value)
    assert "Input should be" not in str(raised.value)


def _validated_with(tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, replacing: str = "") -> str:
    """What `reportgen validate` says of the example workspace with `line` written in its [paper] table (in place
    of the line starting `replacing`), as one line of words."""
    from reportgen.shells.cli import main

    workspace = copy_example(tmp_path / "ws")
    settings = workspace / "reportgen.toml"
    lines = [known for known in settings.read_text(encoding="utf-8").splitlines()
             if not (replacing and known.startswith(replacing))]
    lines.insert(lines.index("[paper]") + 1, line)
    settings.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["validate", "--workspace", str(workspace)]) == 1
    return " ".join(capsys.readouterr().err.split())


@pytest.mark.parametrize(("line", "told"), [
    ('date = "12th December 2026"', "paper.date: '12th December 2026' is not a date; write it unquoted, year first, "
                                    "as TOML writes a date: 2026-12-12"),
    ('date = "Thursday 10 December 2026"', "'Thursday 10 December 2026' is not a date; write it unquoted, year first, "
                                          "as TOML writes a date: 2026-12-10"),
    ('date = "Dec 10, 2026"', "'Dec 10, 2026' is not a date; write it unquoted, year first, as TOML writes a date: "
                              "2026-12-10"),
    ("date = 10/12/2026", "not valid TOML: Expected newline or end of document after a statement (at line 5, column "
                          "10). The date in date = 10/12/2026 is written as on a letter; write it unquoted, year "
                          "first, as TOML writes a date: date = 2026-12-10"),
    ("date = 10 December 2026", "(at line 5, column 11). The date in date = 10 December 2026 is written as on a "
                                "letter; write it unquoted, year first, as TOML writes a date: date = 2026-12-10"),
    ("meetings = [2026-11-05, Jan 14, 2027]", "The date in meetings = [2026-11-05, Jan 14, 2027] is written as on a "
                                              "letter; write it unquoted, year first, as TOML writes a date: "
                                              "meetings = [2026-11-05, 2027-01-14]"),
])
def test_a_meeting_date_written_as_on_a_letter_is_told_back_year_first(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, told: str) -> None:
    """An officer types the meeting date as on the Panel's agenda: each was told "write it … as TOML writes a
    date: 2026-11-05", a date that looked like theirs converted and was not, or, unquoted, only the TOML reader's
    line and column. The date the officer wrote is now given back, year first, to paste in."""
    error = _validated_with(tmp_path, capsys, line, replacing="meetings" if line.startswith("meetings") else "")
    assert told in error
    assert "2026-11-05" not in error.replace("meetings = [2026-11-05", "")  # no fixed example passed off as theirs


@pytest.mark.parametrize(("line", "told"), [
    ('date = "next Thursday"', "'next Thursday' is not a date; write it unquoted, year first, as TOML writes a date, "
                               "e.g. 2026-11-05 for 5 November 2026"),
    ('date = "Friday 10 December 2026"', "'Friday 10 December 2026' is not a date; write it unquoted, year first, as "
                                         "TOML writes a date, e.g. 2026-11-05 for 5 November 2026"),
    ("date = 2026-13-01", "(at line 5, column 12). The date in date = 2026-13-01 is not one TOML reads; write it "
                          "unquoted, year first, as TOML writes a date, e.g. 2026-11-05 for 5 November 2026"),
])
def test_a_date_that_names_no_one_day_is_told_with_an_example_said_to_be_one(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, told: str) -> None:
    """Words that are no date, or name a weekday the date is not (10 December 2026 is a Thursday), cannot be
    converted: the date shown is said to be an example, not passed off as the officer's."""
    assert told in _validated_with(tmp_path, capsys, line)


def test_a_date_written_unquoted_as_a_cover_rows_text_is_told_to_quote_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A Panel's own cover row giving a date as its text, unquoted, was only the TOML reader's line and column: a
    cover value is text, so the advice is to quote it as written, not to write a date."""
    from reportgen.shells.cli import main

    workspace = copy_example(tmp_path / "ws")
    with (workspace / "reportgen.toml").open("a", encoding="utf-8") as settings:
        settings.write('\n[[paper.cover]]\nheading = "Date of publication"\nvalue = 12 November 2026\n')
    assert main(["validate", "--workspace", str(workspace)]) == 1
    error = " ".join(capsys.readouterr().err.split())
    assert error.endswith("column 12). The text of value = 12 November 2026 goes in quotes: "
                          'value = "12 November 2026"'), error


def test_a_text_holding_its_own_double_quotes_is_told_how_to_quote_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A purpose naming a plan in double quotes was refused with only "Expected newline or end of document after a
    statement (at line 5, column 25)". The line and column stay, with the key and a line to write, which builds
    a paper whose cover shows the quotes; a line that is wrong in another way gets no such guess."""
    from reportgen.shells.cli import main

    error = _validated_with(tmp_path, capsys, 'purpose = "To note the "Safer Wessex" plan"', replacing="purpose")
    fixed = "purpose = 'To note the \"Safer Wessex\" plan'"
    assert ("not valid TOML: Expected newline or end of document after a statement (at line 5, column 25). The text "
            "of purpose holds double quotes of its own, and the second one ends it: put single quotes around the "
            f"whole text, or write each quote inside it as \\\": {fixed}") in error
    error = _validated_with(tmp_path / "apostrophe", capsys, 'purpose = "The PCC\'s "Safer Wessex" plan"',
                            replacing="purpose")
    assert error.endswith('purpose = "The PCC\'s \\"Safer Wessex\\" plan"')  # single quotes would end at the \'

    workspace = tmp_path / "apostrophe" / "ws"
    settings = workspace / "reportgen.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace('purpose = "The PCC\'s "Safer Wessex" plan"',
                                                                     error.rsplit(": ", 1)[1]), encoding="utf-8")
    assert main(["build", "--workspace", str(workspace)]) == 0
    folder = Path(capsys.readouterr().out.strip().splitlines()[-1])
    cover = {row.cells[0].text: row.cells[-1].text for row in docx.Document(str(folder / "paper.docx")).tables[0].rows}
    assert cover["PURPOSE OF REPORT"] == 'The PCC\'s "Safer Wessex" plan'

    error = _validated_with(tmp_path / "other", capsys, "title = Delivery Plan", replacing="title")
    assert error.endswith("Invalid value (at line 5, column 9)")


def test_c1_controls_in_partner_text_are_removed_and_reported() -> None:
    from reportgen.read.cells import clean_text

    assert clean_text("Done\x85 on time\x9b") == ("Done on time", ["control-characters"])


def test_the_papers_own_values_in_the_narrative_are_the_cover_sheets(tmp_path: Path) -> None:
    """An officer writes the paper's title and meeting date into the narrative: with the title following the
    period and the meetings listed (as the README's reportgen.toml has them), the paper said "Delivery Update
    ({period:%B %Y})" and "the meeting on None"; it now says what the cover sheet says."""
    toml = textwrap.dedent("""\
        [paper]
        meeting = "Police and Crime Panel"
        meetings = [2026-09-03, 2026-11-05]
        title = "Northshire Plan: Delivery Update ({period:%B %Y})"
        purpose = "To update the Panel on {period}."
        """)
    narrative = ("# Summary\n\nThis paper, {{ paper.title }}, goes to the {{ paper.meeting }} on {{ paper.date }}. "
                 "{{ paper.purpose }}\n")
    result = build_draft(make_workspace(tmp_path / "ws", toml=toml, narrative=narrative))
    written = [paragraph.text for paragraph in docx.Document(str(result.folder / "paper.docx")).paragraphs]
    assert ("This paper, Northshire Plan: Delivery Update (October 2026), goes to the Police and Crime Panel on "
            "05 November 2026. To update the Panel on October 2026.") in written


def test_a_mistyped_or_unknown_settings_key_is_told_with_the_keys_its_table_takes(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A new office writing its own reportgen.toml mistypes keys and adds cover rows of its own: each unknown
    key is named with the key it is close to, and each table's keys are listed once, so the officer knows
    what to write instead of guessing; nothing is built."""
    from reportgen.shells.cli import main

    toml = textwrap.dedent("""\
        [paper]
        meeting = "Police, Fire and Crime Panel"
        title = "Delivery Report"
        submited_by = "Policy Officer"
        recommendations = "That the Panel notes the report."

        [[register.extra]]
        key = "target"
        heding = "Target Date"

        [partners."Northshire Constabulary"]
        emial = ["performance@northshire.example.org"]
        """)
    root = make_workspace(tmp_path / "ws", toml=toml)
    assert main(["validate", "--workspace", str(root)]) == 1
    error = " ".join(capsys.readouterr().err.split())
    assert "paper.submited_by: unknown key (did you mean 'submitted_by'?)" in error
    assert "paper.recommendations: unknown key;" in error
    assert "register.extra (the 1st).heding: unknown key (did you mean 'heading'?)" in error
    assert "partners.Northshire Constabulary.emial: unknown key (did you mean 'emails'?)" in error
    assert error.count("[paper] takes meeting, date, meetings, title, submitted_by, purpose,") == 1
    assert "[[register.extra]] takes heading, aliases" in error
    assert '[partners."Northshire Constabulary"] takes files, emails' in error
    assert not (root / "outputs").exists()


def test_a_value_in_single_braces_in_the_narrative_is_said_and_blocks(tmp_path: Path) -> None:
    """'{period:%B %Y}' (as reportgen.toml writes a field) or '{ total }' in narrative.md was printed as typed into a
    paper that said nothing blocked it. Other words in braces may be meant ('{sic}'): a warning. Jinja's own tags,
    a {% raw %} block, Markdown code and link targets are not looked in; a form feed or a line separator inside a
    tag (pasted from Word) is no traceback."""
    narrative = ("# Update\n\nFor {period:%B %Y}, the { total } actions; {perod}. {sic}\n"
                 "{{ total }} in all {# a {note}\x0c #} {{ '{' }}x{{ '}' }} {{ \"{quoted}\" }} `{period}` "
                 "[api](https://example.org/{id}) {% raw %}{period}{% endraw %}\u2028\n"
                 "```\n{period}\n```\n{{ total\u2028 }} and {total}\n")
    root = make_workspace(tmp_path / "ws", narrative=narrative, toml='[paper]\nnarrative = "narrative.md"\n')
    said = [i for i in validate_draft(root).issues if i.code in ("narrative-placeholder", "narrative-braces")]
    assert [(i.code, i.row, i.severity, i.message.split(" is in")[0]) for i in said] == [
        ("narrative-placeholder", 3, "error", "'{period:%B %Y}'"), ("narrative-placeholder", 3, "error", "'{ total }'"),
        ("narrative-placeholder", 3, "error", "'{perod}'"), ("narrative-braces", 3, "warning", "'{sic}'"),
        ("narrative-placeholder", 8, "error", "'{total}'")]
    assert [i.advice.split(";")[0] for i in said[:3]] == [
        "Write {{ period }}", "Write {{ total }}", "Write {{ period }}"]
    assert said[0].located == ("narrative.md, line 3: '{period:%B %Y}' is in single braces, so the paper prints it as "
                               "typed: the narrative fills in a value written in double braces.")
    assert said[3].advice.startswith("Nothing to do if the braces are meant; to fill in a value, write it in double "
                                      "braces (carried_forward, ")


@pytest.mark.parametrize(("table", "appended", "told"), [
    ("[paper]", "\n[paper]\nchanges_section = true\n",
     "Cannot declare ('paper',) twice (at line {heading}, column 7). [paper] is already a table at line {first}: a "
     "table is written once, so move the settings under line {heading} up under the [paper] at line {first}, and "
     "delete the heading at line {heading}"),
    ('[partners."OPCC"]', '\n[partners.OPCC]\nemails = ["returns@opcc.example.org"]\n',
     "Cannot declare ('partners', 'OPCC') twice (at line {heading}, column 15). [partners.\"OPCC\"] is already a "
     "table at line {first}: a table is written once, so move the settings under line {heading} up under the "
     "[partners.\"OPCC\"] at line {first}, and delete the heading at line {heading}"),
])
def test_a_table_pasted_again_at_the_end_is_told_where_it_already_is(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], table: str, appended: str, told: str) -> None:
    """A setting copied from the README with its heading, `[paper]`, and pasted at the end of reportgen.toml, which
    has a [paper] table already, was refused with the TOML reader's words alone: "Cannot declare ('paper',) twice".
    The error now says where the table is and what to move."""
    from reportgen.shells.cli import main

    workspace = copy_example(tmp_path / "ws")
    settings = workspace / "reportgen.toml"
    before = settings.read_text(encoding="utf-8")
    lines = before.splitlines()
    first = next(number for number, line in enumerate(lines, start=1) if line.strip() == table)
    settings.write_text(before.rstrip("\n") + "\n" + appended, encoding="utf-8")
    heading = len(lines) + 2
    assert main(["validate", "--workspace", str(workspace)]) == 1
    error = " ".join(capsys.readouterr().err.split())
    assert told.format(heading=heading, first=first) in error


def test_a_setting_written_twice_in_its_table_is_told_both_lines(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A meeting typed again in the same table was only "Cannot overwrite a value" and a line and column."""
    error = _validated_with(tmp_path, capsys, 'meeting = "Wessex Police and Crime Panel"')
    first, second = _lines_of(tmp_path, "meeting =")
    assert error.endswith(f"meeting is set twice in [paper], at lines {first} and {second}: keep the line you mean "
                          "and delete the other"), error


def _lines_of(root: Path, start: str) -> list[int]:
    """The numbers of the workspace's reportgen.toml lines starting `start`, as an editor numbers them."""
    lines = (root / "ws" / "reportgen.toml").read_text(encoding="utf-8").splitlines()
    return [number for number, line in enumerate(lines, start=1) if line.startswith(start)]


@pytest.mark.parametrize(("text", "told"), [
    ('[[paper.cover]]\nheading = "A"\nvalue = "b"\n[[paper.cover]]\nheading = "C"\nvalue = "d"\nvalue = "e"\n',
     "value is set twice in the [[paper.cover]] at line 4, at lines 6 and 7"),  # each entry its own keys
    ('[partners."King\'s Lynn CSP"]\nemails = []\n[partners."King\'s Lynn CSP"]\n',
     '[partners."King\'s Lynn CSP"] is already a table at line 1'),  # the reader quotes the name as "King's …"
    ('[partners."Wessex (North) CSP"]  # the north\nemails = []\n[partners."Wessex (North) CSP"]\n',
     '[partners."Wessex (North) CSP"] is already a table at line 1'),
    ('[returns.columns]\nstatus = { aliases = ["RAG"] }\n[returns.columns.status]\naliases = ["X"]\n',
     "returns.columns.status is already set at line 2 (status = … under [returns.columns])"),
    ("[paper]\nx = 1\n[partners.'Wessex [North]']\nemails = []\nemails = []\n",
     "emails is set twice in [partners.'Wessex [North]'], at lines 4 and 5"),  # brackets inside its name
    ('[partners."The \\"A\\" team"]\nemails = []\n[paper]\ndate = 02/02/2023\n',
     "write it unquoted, year first, as TOML writes a date: date = 2023-02-02"),  # a name's own quotes: no crash
])
def test_a_table_or_setting_written_twice_is_found_whatever_its_name(text: str, told: str) -> None:
    """Partners' names with apostrophes or brackets, comments after headings and the cover's own rows (an array
    of tables, each entry with keys of its own) are read as the TOML reader reads them."""
    import tomllib

    from reportgen.settings_advice import toml_advice

    with pytest.raises(tomllib.TOMLDecodeError) as refused:
        tomllib.loads(text)
    assert told in toml_advice(text, str(refused.value), ("date",), ())
