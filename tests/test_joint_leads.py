"""Actions led jointly by two partners, each of which leads actions of its own: "OPCC / Wessex Police" in
the register's Lead cell. Each lead's workbook has the action, either one's return updates it, the chase
list never chases the joint name, and the paper prints the cell as the register wrote it."""

from __future__ import annotations

import csv
import email
import email.policy
import io
import shutil
import textwrap
from pathlib import Path

import docx
import openpyxl
import pytest

from conftest import ACTIONS, REGISTER_HEADINGS, RETURN_HEADINGS, default_returns, make_workspace
from mail_helpers import ADDRESS, mail_toml, reply
from reportgen.shells.cli import main

A, B = "2026-10", "2026-11"
JOINT = "OPCC / Wessex Police"
# action 4 led jointly; action 7 under a name that looks joint, but 'Fire Service' leads nothing else;
# action 8 under a name with 'and' in it, no part of which leads anything: one lead, said nothing of
REGISTER = [REGISTER_HEADINGS,
            *((ref, section, JOINT if ref == 4 else lead, text, page) for ref, section, lead, text, page in ACTIONS),
            (7, "Justice", "OPCC and Fire Service", "Inspect fire safety in custody.", "18"),
            (8, "Justice", "Crime and Justice Board", "Publish court waiting times.", "19")]
TOML = textwrap.dedent("""\
    [paper]
    meeting = "Police and Crime Panel"
    date = 2026-12-03
    title = "Test Delivery Plan"
    table_columns = ["ref", "action", "lead", "status", "explanation", "timeframe"]
    """)


def october(root: Path, toml: str = TOML) -> Path:
    """October's returns, each lead's own: OPCC's has action 4 (its lead last month), Wessex Police's not."""
    returns = default_returns()
    returns["opcc-and-fire-service.xlsx"] = [returns["opcc.xlsx"][0], (7, "", "Not started", "Planned.", "")]
    returns["crime-and-justice-board.xlsx"] = [returns["opcc.xlsx"][0], (8, "", "In progress", "Drafted.", "")]
    return make_workspace(root, period=A, toml=toml, register=REGISTER, returns=returns)


def november_workbooks(root: Path, tmp_path: Path) -> dict[str, Path]:
    """`reportgen returns` for November, after October's draft: the workbooks written, by file name."""
    assert main(["build", "--workspace", str(root), "--period", A]) in (0, 1)
    out = tmp_path / "workbooks"
    assert main(["returns", "--workspace", str(root), "--period", B, "--out", str(out)]) == 0
    return {path.name: path for path in out.glob("*.xlsx")}


def rows_of(path: Path) -> dict[object, tuple[object, ...]]:
    return {row[0]: tuple(row) for row in openpyxl.load_workbook(path)["Return"].iter_rows(min_row=2, values_only=True)}


def send_back(workbook: Path, root: Path, changes: dict[int, tuple[str, str]]) -> None:
    """A partner fills in its workbook (status and explanation of each ref in `changes`) and returns it."""
    book = openpyxl.load_workbook(workbook)
    for row in book["Return"].iter_rows(min_row=2):
        if row[0].value in changes:
            row[3].value, row[4].value = changes[row[0].value]
    target = root / "inputs" / "returns" / B / workbook.name
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)


def draft_csv(root: Path, name: str) -> list[dict[str, str]]:
    [folder] = (root / "outputs" / B).glob("draft-*")
    return list(csv.DictReader(io.StringIO((folder / name).read_text(encoding="utf-8-sig"))))


# a movement as the Word paper writes it, the arrow's words beside it
MOVED_UP = "↑ Moved up from In progress (2026-10)"


def plan_row(root: Path, ref: int) -> list[str]:
    """The paper.docx delivery-plan row of action `ref`, cell by cell, as Word shows it."""
    [folder] = (root / "outputs" / B).glob("draft-*")
    table = docx.Document(str(folder / "paper.docx")).tables[-1]
    [row] = [[cell.text for cell in row.cells] for row in table.rows if row.cells[0].text == str(ref)]
    return row


def test_a_joint_action_is_in_each_leads_workbook_and_no_workbook_is_made_for_the_joint_name(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = october(tmp_path / "ws")
    books = november_workbooks(root, tmp_path)
    assert sorted(books) == ["crime-and-justice-board.xlsx", "criminal-justice-board.xlsx",
                             "opcc-and-fire-service.xlsx", "opcc.xlsx", "wessex-police.xlsx"]
    police, opcc = rows_of(books["wessex-police.xlsx"]), rows_of(books["opcc.xlsx"])
    assert sorted(police) == [1, 3, 4] and sorted(opcc) == [2, 4, 6]
    assert police[4] == opcc[4] == (4, "Victims", "Fund an advocacy service.", "In progress", "Update on action 4.",
                                    "Spring 2027")
    assert main(["validate", "--workspace", str(root), "--period", A, "--all"]) in (0, 1)
    printed = " ".join(capsys.readouterr().out.split())
    assert ("row 5, column 'Lead': Lead 'OPCC / Wessex Police' (row 5) is read as a joint lead of 'OPCC' and "
            "'Wessex Police'") in printed
    assert ("row 8, column 'Lead': Lead 'OPCC and Fire Service' (row 8) looks like a joint lead, but "
            "'Fire Service' leads no other action in the register") in printed
    assert "Crime and Justice Board' (row" not in printed


def test_either_leads_return_updates_a_joint_action_and_the_paper_prints_the_lead_as_written(
        tmp_path: Path) -> None:
    """OPCC updates action 4; Wessex Police sends its row 4 back as it was pre-filled: OPCC's update is used,
    nothing is reported, and the chase list counts 4 returned for both."""
    root = october(tmp_path / "ws")
    books = november_workbooks(root, tmp_path)
    send_back(books["opcc.xlsx"], root, {4: ("Completed", "Advocacy service funded from November.")})
    send_back(books["wessex-police.xlsx"], root, {1: ("Completed", "Strategy published.")})
    assert main(["build", "--workspace", str(root), "--period", B]) == 0  # no error: the CJB and others are chased
    assert plan_row(root, 4) == ["4", "Fund an advocacy service.", JOINT, f"Completed\n{MOVED_UP}",
                                 "Advocacy service funded from November.", "Spring 2027"]
    codes = {(row["code"], row["ref"]) for row in draft_csv(root, "issues.csv")}
    assert not codes & {("ambiguous-update", "4"), ("duplicate-update", "4"), ("not-lead", "4")}
    chase = {row["Partner"]: row for row in draft_csv(root, "chase.csv")}
    assert JOINT not in chase
    police, opcc = chase["Wessex Police"], chase["OPCC"]
    assert (police["Actions led"], police["Updated"], police["Returned as sent (refs)"], police["No update (refs)"],
            police["Returned by a joint lead (refs)"], police["Updated only by another partner (refs)"]) == (
        "3", "1", "3", "", "4", "")
    assert (opcc["Actions led"], opcc["Updated"], opcc["Returned as sent (refs)"], opcc["No update (refs)"]) == (
        "3", "1", "2, 6", "")


def test_both_leads_sending_the_same_update_of_a_joint_action_are_both_counted_as_updating_it(
        tmp_path: Path) -> None:
    """OPCC and Wessex Police both fill in action 4 with the same words: the paper takes one of them, but neither
    lead is listed as having left it to the other: each has updated every action of its own return."""
    root = october(tmp_path / "ws")
    books = november_workbooks(root, tmp_path)
    same = ("Completed", "Advocacy service funded from November.")
    send_back(books["opcc.xlsx"], root, {2: ("Completed", "Done."), 4: same, 6: ("On hold", "Paused.")})
    send_back(books["wessex-police.xlsx"], root, {1: ("Completed", "Published."), 3: ("Completed", "Done."), 4: same})
    assert main(["build", "--workspace", str(root), "--period", B]) == 0
    chase = {row["Partner"]: row for row in draft_csv(root, "chase.csv")}
    for lead in ("OPCC", "Wessex Police"):
        row = chase[lead]
        assert (row["Actions led"], row["Updated"], row["No update (refs)"], row["Returned as sent (refs)"],
                row["Returned by a joint lead (refs)"]) == ("3", "3", "", "", ""), lead


def test_two_different_updates_of_a_joint_action_are_reported_not_one_silently_used(tmp_path: Path) -> None:
    root = october(tmp_path / "ws")
    books = november_workbooks(root, tmp_path)
    send_back(books["opcc.xlsx"], root, {4: ("Completed", "Funded.")})
    send_back(books["wessex-police.xlsx"], root, {4: ("On hold", "Paused by the police.")})
    assert main(["build", "--workspace", str(root), "--period", B]) == 1
    [found] = [row for row in draft_csv(root, "issues.csv") if row["code"] == "ambiguous-update"]
    assert (found["severity"], found["file"], found["row"], found["ref"], found["value"]) == (
        "error", f"inputs/returns/{B}/wessex-police.xlsx", "4", "4", "On hold")
    assert found["message"] == (f"Action 4, led jointly by 'OPCC' and 'Wessex Police', is updated differently in "
                                f"inputs/returns/{B}/opcc.xlsx row 3, which is used for now; this update is not.")


def test_a_joint_row_sent_back_as_typed_from_html_fragments_gives_way_to_the_other_leads_update(
        tmp_path: Path) -> None:
    """October's update of action 4 came in HTML fragments; November's workbooks type it as lines and bullets.
    Wessex Police sends its row 4 back untouched, OPCC updates it: OPCC's update is used, nothing blocks."""
    returns = default_returns()
    returns["opcc.xlsx"] = [(*row[:3], "<p>Tender issued.</p><ul><li>Two bids</li></ul>", row[4])
                            if row[0] == 4 else row for row in returns["opcc.xlsx"]]
    root = make_workspace(tmp_path / "ws", period=A, toml=TOML, register=REGISTER, returns=returns)
    books = november_workbooks(root, tmp_path)
    assert rows_of(books["wessex-police.xlsx"])[4][4] == "Tender issued.\n• Two bids"
    send_back(books["opcc.xlsx"], root, {4: ("Completed", "Advocacy service funded.")})
    send_back(books["wessex-police.xlsx"], root, {1: ("Completed", "Strategy published.")})
    assert main(["build", "--workspace", str(root), "--period", B]) == 0
    assert plan_row(root, 4)[2:5] == [JOINT, f"Completed\n{MOVED_UP}", "Advocacy service funded."]
    assert [row["code"] for row in draft_csv(root, "issues.csv") if row["ref"] == "4"] == ["joint-lead"]
    police = {row["Partner"]: row for row in draft_csv(root, "chase.csv")}["Wessex Police"]
    assert (police["Returned as sent (refs)"], police["Returned by a joint lead (refs)"]) == ("3", "4")


def test_a_joint_row_left_blank_in_the_first_period_gives_way_to_the_other_leads(tmp_path: Path) -> None:
    """Blank workbooks (nothing reported before): Wessex Police leaves row 4 blank, OPCC fills it in. No
    'no status' error for the police's blank row; the paper has OPCC's update."""
    root = make_workspace(tmp_path / "ws", period=B, toml=TOML, register=REGISTER, returns={})
    out = tmp_path / "workbooks"
    assert main(["returns", "--workspace", str(root), "--period", B, "--out", str(out)]) == 0
    send_back(out / "opcc.xlsx", root, {2: ("In progress", "a"), 4: ("In progress", "Tender out."),
                                        6: ("Completed", "c")})
    send_back(out / "wessex-police.xlsx", root, {1: ("Completed", "d"), 3: ("On hold", "e")})
    assert main(["build", "--workspace", str(root), "--period", B]) == 0  # nothing blocks it
    found = [(row["code"], row["file"], row["ref"]) for row in draft_csv(root, "issues.csv")
             if row["file"].startswith("inputs/returns")
             and (row["file"].endswith("wessex-police.xlsx") or row["ref"] == "4")]
    assert found == []
    assert plan_row(root, 4)[2:5] == [JOINT, "In progress", "Tender out."]


def test_collect_tells_a_lead_of_a_joint_row_left_blank_only_while_no_other_lead_has_updated_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """First period, blank workbooks: Wessex Police mails its return with row 4 (joint with OPCC) left blank.
    Before OPCC's return is in, the reply asks the police for action 4's status; once OPCC's return, updating
    it, is in (saved earlier, or collected earlier in the same run), the police are not told off for it: the
    build uses OPCC's update."""
    root = make_workspace(tmp_path / "ws", period=B, toml=mail_toml(), register=REGISTER, returns={})
    out = tmp_path / "workbooks"
    assert main(["returns", "--workspace", str(root), "--period", B, "--out", str(out)]) == 0

    def filled(name: str, changes: dict[int, tuple[str, str]]) -> bytes:
        book = openpyxl.load_workbook(out / name)
        for row in book["Return"].iter_rows(min_row=2):
            if row[0].value in changes:
                row[3].value, row[4].value = changes[row[0].value]
        data = io.BytesIO()
        book.save(data)
        return data.getvalue()

    police = filled("wessex-police.xlsx", {1: ("Completed", "Published."), 3: ("On hold", "Paused.")})
    opcc = filled("opcc.xlsx", {2: ("In progress", "a"), 4: ("In progress", "Tender out."), 6: ("Completed", "c")})
    outbox = root / "outputs" / B / "mail" / "outbox"

    def collected(*messages: tuple[str, bytes]) -> dict[str, str]:
        """Collect (a dry run) the partners' messages, in order: each reply's text, by partner address."""
        shutil.rmtree(outbox, ignore_errors=True)
        drop = tmp_path / "drop"
        shutil.rmtree(drop, ignore_errors=True)
        drop.mkdir()
        for number, (address, data) in enumerate(messages, 1):
            name = f"{slug_of[address]}.xlsx"
            (drop / f"{number}.eml").write_bytes(reply(address, [(name, data)], subject=f"Re: Return [reportgen {B}]"))
        assert main(["collect", "--workspace", str(root), "--period", B, "--dry-run", "--from-folder", str(drop)]) == 0
        capsys.readouterr()
        replies = {}
        for path in outbox.glob("*.eml"):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            body = message.get_body(("plain",))
            assert body is not None
            replies[str(message["To"])] = " ".join(body.get_content().split())
        return replies

    slug_of = {ADDRESS["Wessex Police"]: "wessex-police", ADDRESS["OPCC"]: "opcc"}
    alone = collected((ADDRESS["Wessex Police"], police))[ADDRESS["Wessex Police"]]
    assert "row 4, column 'Status this reporting period': Action 4 has no status in row 4." in alone
    both = collected((ADDRESS["OPCC"], opcc), (ADDRESS["Wessex Police"], police))
    assert "We checked it and found nothing to correct." in both[ADDRESS["OPCC"]]
    assert "We checked it and found nothing to correct." in both[ADDRESS["Wessex Police"]]
    (root / "inputs" / "returns" / B / "opcc.xlsx").write_bytes(opcc)  # collected on an earlier day
    later = collected((ADDRESS["Wessex Police"], police))[ADDRESS["Wessex Police"]]
    assert "We checked it and found nothing to correct." in later
    (root / "inputs" / "returns" / B / "wessex-police.xlsx").write_bytes(police)  # as collect saves it
    assert main(["build", "--workspace", str(root), "--period", B]) == 0  # and the build agrees
    assert plan_row(root, 4)[2:4] == ["In progress", "Tender out."]


@pytest.mark.parametrize("police_file", [True, False])
def test_a_file_named_after_no_lead_updating_a_joint_action_is_its_leads_return(
        tmp_path: Path, police_file: bool) -> None:
    """'victims-partnership.xlsx', named after no lead, holds only row 4 (joint), which neither lead's own file
    has: the paper uses it. It is the return of the joint lead that sent no file of its own (Wessex Police), or,
    when each sent one, of each: action 4 is returned, never chased, and a lead with no file of its own is not
    said to have sent no return."""
    returns = default_returns()
    returns["opcc.xlsx"] = [row for row in returns["opcc.xlsx"] if row[0] != 4]
    returns["victims-partnership.xlsx"] = [RETURN_HEADINGS, (4, "", "Completed", "Advocacy service funded.", "")]
    if not police_file:
        del returns["wessex-police.xlsx"]
    root = make_workspace(tmp_path / "ws", period=B, toml=TOML, register=REGISTER, returns=returns)
    assert main(["build", "--workspace", str(root), "--period", B]) == 0
    assert plan_row(root, 4)[2:5] == [JOINT, "Completed", "Advocacy service funded."]
    chase = {row["Partner"]: row for row in draft_csv(root, "chase.csv")}
    stranger = f"inputs/returns/{B}/victims-partnership.xlsx"
    police, opcc = chase["Wessex Police"], chase["OPCC"]
    assert "victims-partnership" not in chase
    if police_file:
        assert police["File"] == f"inputs/returns/{B}/wessex-police.xlsx; {stranger}"
        assert opcc["File"] == f"inputs/returns/{B}/opcc.xlsx; {stranger}"
        assert (police["Updated"], police["No update (refs)"], opcc["Updated"], opcc["No update (refs)"]) == (
            "3", "", "3", "")
    else:
        assert (police["Returned"], police["File"], police["No update (refs)"]) == ("Yes", stranger, "1, 3")
        assert (opcc["File"], opcc["No update (refs)"], opcc["Returned by a joint lead (refs)"]) == (
            f"inputs/returns/{B}/opcc.xlsx", "", "4")
    missing = [row["value"] for row in draft_csv(root, "issues.csv") if row["code"] == "missing-return"]
    assert missing == ["OPCC and Fire Service", "Crime and Justice Board"]  # the register's two others


def test_chase_reminds_the_partners_never_the_joint_name(tmp_path: Path) -> None:
    """Wessex Police sends nothing; OPCC updates the joint action: `reportgen chase --dry-run` reminds the
    police (its workbook has action 4) and the others, never "OPCC / Wessex Police"."""
    root = october(tmp_path / "ws", toml=mail_toml())
    assert main(["returns", "--workspace", str(root), "--period", B, "--out", str(tmp_path / "workbooks")]) == 0
    send_back(tmp_path / "workbooks" / "opcc.xlsx", root, {4: ("Completed", "Funded.")})
    assert main(["chase", "--workspace", str(root), "--period", B, "--dry-run"]) in (0, 1)
    sent = {}
    for path in sorted((root / "outputs" / B / "mail" / "outbox").glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        sent[str(message["To"])] = message
    assert sorted(sent) == sorted([ADDRESS["Wessex Police"], ADDRESS["Criminal Justice Board"]])
    police = sent[ADDRESS["Wessex Police"]]
    [attachment] = list(police.iter_attachments())
    assert attachment.get_filename() == "wessex-police.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(attachment.get_content()))
    assert [row[0] for row in book["Return"].iter_rows(min_row=2, values_only=True)] == [1, 3, 4]


def test_a_joint_leads_return_under_another_name_is_used_over_the_other_leads_row_sent_back_as_it_was(
        tmp_path: Path) -> None:
    """OPCC sends its November workbook back with row 4 as pre-filled; Wessex Police fills in row 4 and saves its
    workbook as 'constabulary.xlsx', a name of no lead. The paper kept October's row 4 (the OPCC file was the only
    one named after a lead of it) and said the police's update was a duplicate; the police's update is used."""
    root = october(tmp_path / "ws")
    books = november_workbooks(root, tmp_path)
    send_back(books["opcc.xlsx"], root, {2: ("Completed", "Plan published.")})
    send_back(books["wessex-police.xlsx"], root, {4: ("Completed", "Funded by the police.")})
    filed = root / "inputs" / "returns" / B
    (filed / "wessex-police.xlsx").rename(filed / "constabulary.xlsx")
    assert main(["build", "--workspace", str(root), "--period", B]) == 0
    assert plan_row(root, 4)[2:5] == [JOINT, f"Completed\n{MOVED_UP}", "Funded by the police."]
    codes = {(row["code"], row["ref"]) for row in draft_csv(root, "issues.csv")}
    assert not codes & {("ambiguous-update", "4"), ("duplicate-update", "4")}
