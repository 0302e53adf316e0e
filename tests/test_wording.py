"""Counts read as English wherever a person reads them: "1 action", "3 actions", never "action(s)"; the
console, the mail and the paper, each read back as its reader gets it."""

from __future__ import annotations

import ast
import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import docx
import pypdf
import pytest

from canary import exempt_workspace
from conftest import ROOT, blocked_workspace, default_returns, make_workspace
from mail_helpers import ADDRESS, CJB, GOOD_OPCC, OPCC, PERIOD, POLICE, mail_workspace, reply, workbook
from reportgen.errors import ReportgenError
from reportgen.run.build import build_draft
from reportgen.settings import settings_from_dict
from reportgen.shells.cli import main
from reportgen.wording import counted, listed, plural, row_spans


def test_rows_are_listed_as_a_person_lists_them() -> None:
    assert [row_spans(rows) for rows in ([5], [5, 6], [5, 6, 7, 8], [3, 5], [3, 5, 9, 10, 11, 12])] == [
        "row 5", "rows 5 and 6", "rows 5 to 8", "rows 3 and 5", "rows 3, 5 and 9 to 12"]


def test_counted_agrees_with_its_number() -> None:
    assert [counted(n, "action") for n in (0, 1, 2)] == ["0 actions", "1 action", "2 actions"]
    assert counted(1204, "cell") == "1,204 cells" and counted(1, "exempt action") == "1 exempt action"
    assert counted(3, "entry", "entries") == "3 entries" and counted(1, "entry", "entries") == "1 entry"


def _validate(capsys: pytest.CaptureFixture[str], root: Path) -> list[str]:
    main(["validate", "--workspace", str(root)])
    return capsys.readouterr().out.splitlines()


def test_the_summary_line_says_1_error_and_2_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    returns = default_returns()
    returns["opcc.xlsx"] = [(row[0], row[1], "Maybe later", *row[3:]) if row[0] == 2 else row
                            for row in returns["opcc.xlsx"]]
    one = _validate(capsys, make_workspace(tmp_path / "one", returns=returns))
    assert "1 error, 0 warnings: blocks publication." in one
    assert "  OPCC: 1 error in inputs/returns/2026-10/opcc.xlsx" in one  # the chase list
    assert "1 note for information not shown (--all shows them)." in one  # validate writes no issues.csv
    two = _validate(capsys, blocked_workspace(tmp_path / "two"))
    assert "2 errors, 0 warnings: blocks publication." in two
    assert "  OPCC: 2 errors in inputs/returns/2026-10/opcc.xlsx" in two
    assert "0 errors, 0 warnings: nothing blocks publication." in _validate(capsys, make_workspace(tmp_path / "ok"))


def _note_words(text: str) -> str:
    return " ".join(text.split())


def test_the_exempt_note_of_a_built_paper_says_1_action(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The public paper of a register with one exempt action, read back from each of its files."""
    root = exempt_workspace(tmp_path / "ws")
    assert main(["build", "--workspace", str(root)]) == 0  # action 7's "Not started yet" is read as Not started
    out = capsys.readouterr().out.splitlines()
    assert "1 exempt action left out of this edition." in out
    folder = Path(out[-1])
    note = ("Not shown in this paper: 1 action, exempt from publication under Schedule 12A of the Local "
            "Government Act 1972 and reported to the Panel in Part II.")
    paragraphs = [p.text for p in docx.Document(str(folder / "paper.docx")).paragraphs]
    assert note in paragraphs
    pdf_text = _note_words(" ".join(page.extract_text() or "" for page in pypdf.PdfReader(folder / "paper.pdf").pages))
    assert note in pdf_text
    assert f'<p class="exempt-note">{note}</p>' in (folder / "paper.html").read_text(encoding="utf-8")
    assert all("(s)" not in text for text in (*paragraphs, pdf_text))


def test_an_exempt_note_of_ones_own_may_say_actions_or_count(tmp_path: Path) -> None:
    root = exempt_workspace(tmp_path / "ws")
    with (root / "reportgen.toml").open("a", encoding="utf-8") as toml:  # the [paper] table is the file's last
        toml.write('exempt_note = "Part II: {actions} ({count:,} in all)."\n')
    assert build_draft(root).paper.exempt_note == "Part II: 1 action (1 in all)."
    assert settings_from_dict({"paper": {"exempt_note": "{count} exempt"}}).paper.exempt_note == "{count} exempt"
    with pytest.raises(ReportgenError, match=r"exempt_note may hold only \{actions\}.*not \['action'\]"):
        settings_from_dict({"paper": {"exempt_note": "{action}"}})
    with pytest.raises(ReportgenError, match=r"write \{actions\} where .* and \{\{ or \}\} for a brace"):
        settings_from_dict({"paper": {"exempt_note": "{actions"}})


def test_a_settings_error_names_1_key_or_2_keys() -> None:
    with pytest.raises(ReportgenError, match=r"\[paper\] names an unknown column key \['colour'\]; known"):
        settings_from_dict({"paper": {"table_columns": ["ref", "colour"]}})
    with pytest.raises(ReportgenError, match=r"\[paper\] names unknown column keys \['colour', 'size'\]; known"):
        settings_from_dict({"paper": {"table_columns": ["ref", "colour", "size"]}})
    with pytest.raises(ReportgenError, match=r"returns\.columns: unknown column key \['colour'\]; known"):
        settings_from_dict({"returns": {"columns": {"colour": "Colour"}}})


def _eml(path: Path) -> EmailMessage:
    message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    assert isinstance(message, EmailMessage)
    return message


def _body(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def test_the_mail_counts_1_action_and_1_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """send-returns and collect as an officer runs them (dry runs): the messages as the partners get them."""
    root = mail_workspace(tmp_path / "ws")
    assert main(["send-returns", "--workspace", str(root), "--period", PERIOD, "--dry-run"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"send-returns {PERIOD}: 3 messages written as .eml (dry run), 0 already sent"
    outbox = Path(out[-1])
    bodies = {message["To"]: _body(message) for message in map(_eml, outbox.glob("workbook-*.eml"))}
    assert "lists the 1 action of the plan you lead" in bodies[ADDRESS[CJB]]  # action 5
    assert "lists the 3 actions of the plan you lead" in bodies[ADDRESS[OPCC]]

    drop = tmp_path / "drop"
    drop.mkdir()
    one_wrong = [(2, "", "Nearly there", "Drafting.", "2027"), *GOOD_OPCC[1:]]
    (drop / "opcc.eml").write_bytes(reply(ADDRESS[OPCC], [("opcc.xlsx", workbook(one_wrong))]))
    (drop / "police.eml").write_bytes(reply(ADDRESS[POLICE], [("notes.txt", b"Our return follows.")]))
    main(["collect", "--workspace", str(root), "--period", PERIOD, "--dry-run", "--from-folder", str(drop)])
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"collect {PERIOD}: 2 messages written as .eml (dry run), 0 already sent, 1 return to save"
    answers = {message["To"]: _body(message) for message in map(_eml, outbox.glob("reply-*.eml"))
               if message["To"] in (ADDRESS[OPCC], ADDRESS[POLICE])}
    assert "We checked it and found 1 problem to correct before it can be used in full" in answers[ADDRESS[OPCC]]
    assert "The attachment 'notes.txt' is not a spreadsheet we can read." in answers[ADDRESS[POLICE]]
    assert all("(s)" not in body for body in (*bodies.values(), *answers.values()))


PLURAL_MARK = re.compile(r"\w\(s\)")  # "action(s)"; "http(s)" is a scheme, not a count


def _strings_a_person_may_read(path: Path) -> list[tuple[int, str]]:
    """A module's string constants (f-strings' text included), docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def test_no_text_says_action_s() -> None:
    """Every sentence the package, its templates and the example narrative make: no "(s)" in any."""
    found = [f"{path.relative_to(ROOT)}:{line}: {text!r}"
             for path in sorted((ROOT / "src" / "reportgen").rglob("*.py"))
             for line, text in _strings_a_person_may_read(path)
             if PLURAL_MARK.search(text.replace("http(s)", ""))]
    found += [str(path.relative_to(ROOT)) for path in (*sorted((ROOT / "templates").glob("*.j2")),
                                                       ROOT / "narrative.md", ROOT / "scripts" / "make_example.py")
              if PLURAL_MARK.search(path.read_text(encoding="utf-8"))]
    assert found == []


def test_a_column_heading_in_the_plural() -> None:
    """The web edition's "All themes" and the chart's "each of the 4 themes" name a register's own heading."""
    assert [plural(noun) for noun in ("theme", "plan priority", "business area", "address", "CSP", "day")] == [
        "themes", "plan priorities", "business areas", "addresses", "CSPs", "days"]


@pytest.mark.parametrize(("items", "said"), [([], ""), (["2026-11"], "2026-11"), (["2026-11", "2026-12"],
                                                                                  "2026-11 and 2026-12"),
                                             (["2026-10", "2026-11", "2026-12"], "2026-10, 2026-11 and 2026-12")])
def test_a_list_is_said_as_a_sentence_says_it(items: list[str], said: str) -> None:
    """Three later periods were said '2026-10 and 2026-11 and 2026-12 already has drafts'."""
    assert listed(items) == said
