"""Make the test PDFs of `tests/test_ingest.py` from `news.txt` beside this script (run by hand; the
PDFs are committed, so the tests need neither tool).

Two producers, because Persian PDFs differ by producer: fpdf2 (text shaped by HarfBuzz, the
letters' code points in the font's ToUnicode map) and Chromium's print to PDF (Skia, which
maps glyphs to Arabic presentation forms, as Word and most browsers' PDFs do). Both use the
Vazirmatn font the site vendors from npm (OFL 1.1), subset into the PDF.

    pip install fpdf2 uharfbuzz      # not a dependency of the project
    python tests/ingest_texts/pdf/make_pdfs.py
"""

from __future__ import annotations

import html
import shutil
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parents[2]
FONT = ROOT / "web" / "node_modules" / "vazirmatn" / "fonts" / "ttf" / "Vazirmatn-Regular.ttf"


def paragraphs() -> list[str]:
    return [p.strip() for p in (HERE / "news.txt").read_text(encoding="utf-8").split("\n\n") if p.strip()]


def with_fpdf2(out: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_creation_date(datetime(2025, 8, 11, tzinfo=UTC))  # a fixed date: the same bytes on every run
    pdf.add_page()
    pdf.add_font("Vazirmatn", fname=str(FONT))
    pdf.set_font("Vazirmatn", size=12)
    pdf.set_text_shaping(use_shaping_engine=True, direction="rtl", script="arab", language="fas")
    for p in paragraphs():
        pdf.multi_cell(0, 8, p, align="R")
        pdf.ln(6)
    pdf.output(str(out))


def with_chromium(out: Path) -> None:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs())
    page = (f'<html dir="rtl" lang="fa"><head><meta charset="utf-8"><style>@font-face{{font-family:V;src:url({FONT.as_uri()})}}'
            f"body{{font-family:V;font-size:14pt;width:12cm}}</style></head><body>{body}</body></html>")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "news.html"
        src.write_text(page, encoding="utf-8")
        subprocess.run([shutil.which("chromium") or "chromium", "--headless", "--no-sandbox", "--disable-gpu",
                        "--no-pdf-header-footer", f"--print-to-pdf={out}", str(src)], check=True, capture_output=True)


if __name__ == "__main__":
    with_fpdf2(HERE / "news-fpdf2.pdf")
    with_chromium(HERE / "news-chromium.pdf")
