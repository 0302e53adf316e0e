"""Write a `Paper` as a tagged PDF (WeasyPrint, PDF/UA-1): the entry point of the PDF renderer.

The HTML comes from `reportgen.render.pdf.html`; a short paper is one WeasyPrint document
(`reportgen.render.pdf.document`), a long one is laid out in parts by worker processes and joined
(`reportgen.render.pdf.parallel`, `reportgen.render.pdf.parts`, `reportgen.render.pdf.join`).

Security: every value is autoescaped, so partner text can never become markup; and WeasyPrint
reads nothing but files inside the templates folder and base64 `data:` pictures (the template's
logo, PNG/JPEG/GIF, and our SVG charts: bytes already in the document)
(`reportgen.render.pdf.fetch.TemplateFetcher`), so no value can make it fetch a URL, read a local file or
embed an attachment.

Importing this module does not import WeasyPrint (~0.8 s in a fresh process): `reportgen validate`
never needs it, and a build's PDF workers import it while the inputs are read.

Reproducible: the same Paper and templates give the same PDF bytes (the date is `Paper.pdf_created`,
the file identifier a hash of the HTML).
"""

from __future__ import annotations

from pathlib import Path

from reportgen.files import write_atomically
from reportgen.long_words import breakable_paper
from reportgen.model import Paper
from reportgen.render.pdf.document import write_whole
from reportgen.render.pdf.parallel import PdfWorkers, write_in_parts


def write_pdf(paper: Paper, templates: Path, out: Path, workers: PdfWorkers | None = None) -> None:
    """Write the paper as a tagged PDF (PDF/UA-1) to `out`, atomically (a temp file, then rename).

    With `workers` (started by `reportgen.render.pdf.parallel.start_workers` while the inputs were read), the
    PDF is made in them, and this process never imports WeasyPrint.
    """
    templates = Path(templates).resolve()
    out = Path(out)
    paper = breakable_paper(paper)  # unbroken runs of thousands of characters would take minutes to lay out
    if workers is not None and not workers.used:  # (a retried stage starts workers of its own)
        data = workers.write(paper)
    else:  # a long paper: in parts, in parallel, in bounded memory
        data = write_in_parts(paper, templates) or write_whole(paper, templates)
    write_atomically(out, data)
