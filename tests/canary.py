"""Exempt (Part II) actions for the confidentiality tests: a canary in every exempt field, and where it leaks."""

from __future__ import annotations

import base64
import re
import zipfile
from pathlib import Path

import pikepdf
import pypdf

from conftest import REGISTER_HEADINGS, RETURN_HEADINGS, default_returns, make_workspace

CANARY = "CANARY7f3a"


def exempt_workspace(root: Path, period: str = "2026-10", flag: str = "Yes") -> Path:
    """Actions 1 and 2 open; action 7 exempt (flag), with the canary in each of its fields."""
    register = [(*REGISTER_HEADINGS, "Exempt"), (1, "", "Wessex Police", "Open action", "1", "No"),
                (2, "", "OPCC", "Published action", "2", ""),
                (7, f"{CANARY} section", "OPCC", f"{CANARY} secret action", f"{CANARY} page", flag)]
    returns = default_returns()
    returns = {"wessex-police.xlsx": [RETURN_HEADINGS, (1, "", "Completed", "Open update", "2027")],
               "opcc.xlsx": [RETURN_HEADINGS, (2, "", "In progress", "Published update", "2027"),
                             (7, f"{CANARY} wording", "Not started yet", f"{CANARY} explanation",
                              f"{CANARY} timeframe")]}
    return make_workspace(root, period=period, register=register, returns=returns)


def canary_leaks(folder: Path) -> list[str]:
    """Files (and parts of them) under `folder` where the canary shows, read as each format is read."""
    found = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if CANARY.encode() in data:
            found.append(path.name)
        if path.suffix == ".html":  # pictures are inlined as base64 data: URLs
            pictures = re.findall(rb"data:[a-z/+.-]+;base64,([A-Za-z0-9+/=]+)", data)
            if any(CANARY.encode() in base64.b64decode(picture) for picture in pictures):
                found.append(f"{path.name}:picture")
        if path.suffix in (".docx", ".xlsx"):
            with zipfile.ZipFile(path) as package:
                found += [f"{path.name}:{n}" for n in package.namelist() if CANARY.encode() in package.read(n)]
        if path.suffix == ".pdf":
            text = "".join(page.extract_text() or "" for page in pypdf.PdfReader(path).pages)
            if CANARY in text:
                found.append(f"{path.name}:text")
            with pikepdf.open(path) as pdf:
                if pdf.attachments or CANARY in str(pdf.open_metadata()) or CANARY in str(pdf.docinfo):
                    found.append(f"{path.name}:metadata/attachments")
                for obj in pdf.objects:
                    if isinstance(obj, pikepdf.Stream) and CANARY.encode() in obj.read_bytes():
                        found.append(f"{path.name}:stream")
                        break
    return found
