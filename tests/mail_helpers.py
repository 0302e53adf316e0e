"""Workspaces with partners and a mail server, and partner replies made by code, for the mail tests."""

from __future__ import annotations

import io
import textwrap
import zipfile
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import openpyxl
import pytest

from conftest import RETURN_HEADINGS, make_workspace
from mailservers import USER
from reportgen.issues import Issue
from reportgen.read.returns import PERIOD_PROPERTY

PERIOD = "2026-10"
POLICE, OPCC, CJB = "Wessex Police", "OPCC", "Criminal Justice Board"
ADDRESS = {POLICE: "performance@wessex-police.example.org", OPCC: "strategy@wessex-pcc.example.org",
           CJB: "lcjb@wessex-cjb.example.org"}
FROM = "returns@wessex-pcc.example.org"
XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def mail_toml(smtp_port: int = 25, imap_port: int = 143, extra: str = "", auth: str = "login",
              partners: dict[str, str] | None = None) -> str:
    addresses = ADDRESS if partners is None else partners
    tables = "\n".join(f'[partners."{lead}"]\nemails = ["{address}"]\n' for lead, address in addresses.items())
    return textwrap.dedent(f"""\
        [paper]
        title = "Test Delivery Plan"

        [returns]
        deadline = 2026-10-24

        [mail]
        from_address = "{FROM}"
        from_name = "Wessex OPCC"
        auth = "{auth}"
        smtp = {{ host = "127.0.0.1", port = {smtp_port}, tls = "none" }}
        imap = {{ host = "127.0.0.1", port = {imap_port}, tls = "none" }}
        {extra}
        """) + "\n" + tables


def mail_workspace(root: Path, smtp_port: int = 25, imap_port: int = 143, extra: str = "",
                   auth: str = "login") -> Path:
    """The factories' register (leads Wessex Police, OPCC, Criminal Justice Board), no returns yet."""
    return make_workspace(root, period=PERIOD, returns={}, toml=mail_toml(smtp_port, imap_port, extra, auth))


def register_with_its_own_problems(root: Path, left_out: bool = False) -> None:
    """Rows 2 to 4 of the register hidden in Excel (three warnings); `left_out`: and a row numbered "7a" (an error:
    that row is left out, so no workbook is made or mailed until it is mended)."""
    path = root / "inputs" / "register.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["Register"]
    if left_out:
        sheet.append(["7a", "Justice", "OPCC", "Open a second witness suite.", "18"])
    for row in (2, 3, 4):
        sheet.row_dimensions[row].hidden = True
    book.save(path)


def env(password: str = "correct horse", token: str = "") -> dict[str, str]:
    values = {"REPORTGEN_MAIL_USER": USER}
    if password:
        values["REPORTGEN_MAIL_PASSWORD"] = password
    if token:
        values["REPORTGEN_MAIL_OAUTH_TOKEN"] = token
    return values


def returns_sent(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`reportgen send-returns` for PERIOD as the officer runs it, the test servers' login in the environment (left
    set for the commands the test runs next)."""
    from reportgen.shells.cli import main

    for name, value in env().items():
        monkeypatch.setenv(name, value)
    assert main(["send-returns", "--workspace", str(root), "--period", PERIOD]) == 0


def attachment(message: EmailMessage) -> tuple[str, bytes]:
    [part] = list(message.iter_attachments())
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return str(part.get_filename()), payload


def filled(workbook: bytes, statuses: dict[int, str], explanation: str = "Done this month.") -> bytes:
    """The partner fills in its workbook: a status and an explanation for each ref given."""
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    sheet = book["Return"]
    for row in sheet.iter_rows(min_row=2):
        ref = row[0].value
        if ref in statuses:
            row[3].value = statuses[ref]
            row[4].value = f"{explanation} (action {ref})"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def reply(sender: str, files: list[tuple[str, bytes]], subject: str = f"Re: Return [reportgen {PERIOD}]",
          date: str | None = None, message_id: str | None = None, body: str = "Please find our return.") -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = FROM
    message["Subject"] = subject
    message["Date"] = date or "Thu, 22 Oct 2026 10:00:00 +0000"  # before the deadline unless given
    message["Message-ID"] = message_id or make_msgid(domain="partner.example.org")
    message.set_content(body)
    for name, data in files:
        if name.lower().endswith(".csv"):
            message.add_attachment(data, maintype="text", subtype="csv", filename=name)
        else:
            message.add_attachment(data, maintype=XLSX[0], subtype=XLSX[1], filename=name)
    return bytes(message)


def zip_bomb() -> bytes:
    """A small .xlsx-looking package whose one sheet part expands to 200 MiB of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        with package.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            chunk = b"\0" * 2**20
            for _ in range(200):
                sheet.write(chunk)
    return buffer.getvalue()


GOOD_OPCC = [(2, "", "Completed", "Published.", "Done"), (4, "", "In progress", "Tendering.", "2027"),
             (6, "", "On hold", "Paused.", "2028")]


def workbook(rows: list[tuple[object, ...]], made_for: str = "") -> bytes:
    """A return workbook of `rows`; with `made_for` (YYYY-MM), marked as `reportgen returns` marks the workbook it
    pre-fills for that period (a partner's own sheet has no such mark)."""
    from openpyxl.packaging.custom import StringProperty

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Return"
    for row in [RETURN_HEADINGS, *rows]:
        sheet.append(list(row))
    if made_for:
        book.custom_doc_props.append(StringProperty(name=PERIOD_PROPERTY, value=made_for))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def but_the_deadline(issues: list[Issue]) -> list[Issue]:
    """A run's issues but the one saying the returns deadline has passed (the helpers' deadline, 24
    October 2026, is fixed so that the messages' dates fall either side of it: it has passed), and the
    one saying the workbooks are blank (the helpers' period is the workspace's first)."""
    return [i for i in issues if i.code not in ("deadline-passed", "blank-workbooks")]
