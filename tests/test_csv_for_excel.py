"""The CSV files a draft writes for officers (issues.csv, chase.csv) and the mail ledgers, as Excel opens them:
UTF-8 with a byte order mark, so "–", "’" and "£" are not read in the computer's own code page; still never a
formula; and read back unchanged by csv ("utf-8-sig"), pandas and reportgen itself."""

from __future__ import annotations

import codecs
import csv
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ACTIONS, REGISTER_HEADINGS, RETURN_HEADINGS, make_workspace
from reportgen.mail.ledger import Ledger, SentRecord

LEAD = "Children’s Services – North"  # a curly apostrophe and an en dash, as Word and Excel type them
UNKNOWN = "Nearly done – awaiting the Council’s £2m sign-off"


def _workspace(root: Path) -> Path:
    """The conftest workspace with one more action, led by LEAD, which sends no return; OPCC's return gives
    action 2 a status no one recognises (with "–", "’" and "£") and action 6 a formula, quoted where it is listed."""
    register = [REGISTER_HEADINGS, *ACTIONS, (7, "Justice", LEAD, "Run the youth diversion pilot.", "18")]
    opcc = [RETURN_HEADINGS, (2, "Publish the commissioning plan.", UNKNOWN, "Waiting.", "2027"),
            (4, "Fund an advocacy service.", "In progress", "Tendered.", "2027"),
            (6, "Lobby for court capacity.", "=HYPERLINK(\"http://x\",\"y\")", "Meeting held.", "2027")]
    police = [RETURN_HEADINGS, (1, "Develop a prevention strategy.", "Completed", "Done.", "2026"),
              (3, "Review victim referrals.", "Not started", "Planned.", "2027")]
    board = [RETURN_HEADINGS, (5, "Measure file quality.", "On hold", "Paused.", "2027")]
    return make_workspace(root, register=register, returns={"opcc.xlsx": opcc, "wessex-police.xlsx": police,
                                                            "criminal-justice-board.xlsx": board})


def _build(root: Path) -> Path:
    """`reportgen build` as an officer runs it; the draft folder it prints last."""
    done = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", "build", "--workspace", str(root)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode in (0, 1) and "Traceback" not in done.stderr, done.stdout + done.stderr
    return Path(done.stdout.strip().splitlines()[-1])


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def test_issues_and_chase_csv_open_in_excel_as_utf8_and_never_as_formulas(tmp_path: Path) -> None:
    """issues.csv and chase.csv had no byte order mark, so Excel on Windows read them in its own code page:
    "Children’s Services – North" showed as "Childrenâ€™s Services â€“ North" in the list of whom to chase."""
    import pandas as pd

    draft = _build(_workspace(tmp_path / "ws"))
    for name in ("issues.csv", "chase.csv"):
        data = (draft / name).read_bytes()
        assert data.startswith(codecs.BOM_UTF8) and not data.startswith(codecs.BOM_UTF8 * 2), name
        assert "–".encode() in data and "’".encode() in data, name

    issues = _rows(draft / "issues.csv")
    assert next(iter(issues[0])) == "code"  # the mark is not part of the first heading
    values = {(row["code"], row["ref"]): row["value"] for row in issues}
    assert values[("unknown-status", "2")] == UNKNOWN
    assert values[("formula-error", "6")] == "'=HYPERLINK(\"http://x\",\"y\")"  # quoted: text, never a formula
    assert not any(value.startswith(("=", "+", "-", "@")) for row in issues for value in row.values())
    missing = [row for row in issues if row["code"] == "missing-return"]
    assert [row["value"] for row in missing] == [LEAD]

    chase = {row["Partner"]: row for row in _rows(draft / "chase.csv")}
    assert chase[LEAD]["Returned"] == "No" and chase[LEAD]["No update (refs)"] == "7"

    frame = pd.read_csv(draft / "chase.csv", dtype=str, keep_default_na=False)
    assert frame.columns[0] == "Partner" and LEAD in set(frame["Partner"])
    assert list(pd.read_csv(draft / "issues.csv", dtype=str).columns[:2]) == ["code", "message"]


@pytest.mark.parametrize("mark", [b"", codecs.BOM_UTF8], ids=["kept-before", "saved-by-excel"])
def test_the_sent_ledger_opens_in_excel_and_reads_back_after_excel_saves_it(tmp_path: Path, mark: bytes) -> None:
    """sent.csv, which an officer is asked to mend by hand (`mail-uncertain`), is written with a byte order mark;
    one saved by Excel as "CSV UTF-8" (a mark, CRLF) and one kept from before (no mark) both read back. Read as
    plain UTF-8, the mark became part of the first heading and the ledger "lacked the column" key."""
    record = SentRecord("workbook:2026-10:" + LEAD, "sent", "workbook", LEAD, "lead@example.org",
                        "Return – October 2026", "<m@x>", "2026-10-01T07:00:00+00:00", "")
    path = tmp_path / "sent.csv"
    Ledger(path, SentRecord).put(record)
    assert path.read_bytes().startswith(codecs.BOM_UTF8)
    as_saved = mark + path.read_bytes().removeprefix(codecs.BOM_UTF8).replace(b"\n", b"\r\n")
    path.write_bytes(as_saved)
    assert Ledger(path, SentRecord).values() == [record]
