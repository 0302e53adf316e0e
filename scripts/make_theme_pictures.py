"""Before/after pictures of a restyled Word template, for the README's "Restyle the paper".

Restyles a copy of templates/paper.docx as a secretariat would in Word (`restyle`: body and heading
fonts, heading colours, the plan table's header and section fills, a logo in the header), builds the
example workspace with the default and with the restyled template, and saves page 1 and the first
plan page of both outputs side by side: docs/restyle-pdf-{before,after}.png (the PDF) and
docs/restyle-docx-{before,after}.png (the DOCX, drawn by LibreOffice). Needs pdftoppm (poppler-utils)
and soffice (libreoffice-writer-nogui): `bash scripts/install-system-deps.sh --bench` installs both.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, RGBColor
from PIL import Image, ImageDraw, ImageFont

from reportgen.run.build import build_draft
from reportgen.run.restyle import PDF_TEMPLATES, copy_templates

ROOT = Path(__file__).resolve().parents[1]
BODY_FONT = "Liberation Serif"
HEADING_FONT = "Carlito"
HEADING_COLOUR = "5B2C83"  # purple
HEADER_FILL = "5B2C83"
SECTION_FILL = "EADFF2"
LOGO_ALT = "Wessex Police and Crime Commissioner logo"
BOLD_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


def logo_png() -> bytes:
    """A small badge: a purple disc with a white W (a stand-in for a council's logo)."""
    image = Image.new("RGBA", (440, 120), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((4, 4, 116, 116), fill=(0x5B, 0x2C, 0x83, 255))
    font = ImageFont.truetype(str(BOLD_FONT), 64) if BOLD_FONT.is_file() else ImageFont.load_default()
    draw.text((60, 60), "W", fill="white", font=font, anchor="mm")
    small = ImageFont.truetype(str(BOLD_FONT), 34) if BOLD_FONT.is_file() else ImageFont.load_default()
    draw.text((132, 60), "Wessex OPCC", fill=(0x5B, 0x2C, 0x83, 255), font=small, anchor="lm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def restyle(template: Path, out: Path, logo: bytes | None = None, alt: str = LOGO_ALT) -> None:
    """What an officer does in Word, done with python-docx: fonts, heading colours, table fills, a logo."""
    document = docx.Document(str(template))
    document.styles["Normal"].font.name = BODY_FONT
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        style = document.styles[name]
        style.font.name = HEADING_FONT
        style.font.color.rgb = RGBColor.from_string(HEADING_COLOUR)
    plan = next(t for t in document.tables if any("[[CELL]]" in c.text for c in t.rows[-1].cells))
    for row, fill in ((plan.rows[0], HEADER_FILL), (plan.rows[1], SECTION_FILL)):
        for tc in row._tr.iter(qn("w:tc")):
            tc.find(f"{qn('w:tcPr')}/{qn('w:shd')}").set(qn("w:fill"), fill)
    if logo is not None:
        header = document.sections[0].header
        paragraph = header.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT  # where the PDF puts it
        run = paragraph.add_run()
        run.add_picture(io.BytesIO(logo), height=Mm(10))
        run._r.find(f".//{qn('wp:docPr')}").set("descr", alt)
    document.save(str(out))


def pages(pdf: Path, numbers: tuple[int, ...], scratch: Path, name: str) -> Image.Image:
    """Pages `numbers` of `pdf` at 50 dpi, side by side."""
    images = []
    for number in numbers:
        prefix = scratch / f"{name}-{number}"
        subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", str(number), "-l", str(number), "-singlefile",
                        str(pdf), str(prefix)], check=True)
        images.append(Image.open(f"{prefix}.png").convert("RGB"))
    height = max(image.height for image in images)
    joined = Image.new("RGB", (sum(image.width for image in images) + 12 * (len(images) - 1), height), "#cccccc")
    left = 0
    for image in images:
        joined.paste(image, (left, 0))
        left += image.width + 12
    return joined


def first_plan_page(pdf: Path) -> int:
    """The first landscape page: where the delivery plan starts (LibreOffice may draw it portrait: page 2)."""
    import pypdf

    reader = pypdf.PdfReader(str(pdf))
    return next((n for n, page in enumerate(reader.pages, 1) if page.mediabox.width > page.mediabox.height), 2)


def build(scratch: Path, name: str, template: Path | None) -> Path:
    workspace = scratch / name
    workspace.mkdir()
    for file in ("reportgen.toml", "narrative.md"):
        shutil.copy(ROOT / file, workspace / file)
    shutil.copytree(ROOT / "inputs", workspace / "inputs")
    if template is not None:
        copy_templates(workspace, PDF_TEMPLATES)  # a workspace template folder needs all three until fallback
        shutil.copy(template, workspace / "templates" / "paper.docx")
    return build_draft(workspace).folder


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        restyled = scratch / "restyled.docx"
        restyle(ROOT / "templates" / "paper.docx", restyled, logo_png())
        for name, template in (("before", None), ("after", restyled)):
            draft = build(scratch, name, template)
            subprocess.run(["soffice", f"-env:UserInstallation={(scratch / 'lo').as_uri()}", "--headless",
                            "--convert-to", "pdf", "--outdir", str(scratch / name),
                            str(draft / "paper.docx")], check=True, capture_output=True, timeout=300)
            for kind, pdf in (("pdf", draft / "paper.pdf"), ("docx", scratch / name / "paper.pdf")):
                picture = pages(pdf, (1, first_plan_page(pdf)), scratch, f"{name}-{kind}")
                target = ROOT / "docs" / f"restyle-{kind}-{name}.png"
                picture.save(target, optimize=True)
                sys.stdout.write(f"{target.relative_to(ROOT)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
