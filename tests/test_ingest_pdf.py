"""`pdkg ingest` on PDFs: two PDFs of one short news text (tests/ingest_texts/pdf/news.txt), made
by two producers with `make_pdfs.py` beside them (fpdf2 with HarfBuzz; Chromium's print to PDF,
which writes Arabic presentation forms). The expected answers are read off news.txt."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import jdatetime
import pytest
from typer.testing import CliRunner

from paradiplomacy.cli import app
from paradiplomacy.ingest.pdf import logical_line, pdf_text, unmirror
from paradiplomacy.project import ProjectError

PDFS = Path(__file__).parent / "ingest_texts" / "pdf"
SOURCE = (PDFS / "news.txt").read_text(encoding="utf-8")


def letters(text: str) -> str:
    # a PDF keeps no line breaks of its source and may draw a ZWNJ as a gap: compare the rest
    return re.sub(r"[\s\u200c]", "", text)


@pytest.mark.parametrize("name", ["news-fpdf2.pdf", "news-chromium.pdf"])
def test_pdf_text_is_the_source_text_in_logical_order(name):
    text = pdf_text(PDFS / name)
    assert letters(text) == letters(SOURCE)  # every letter, digit and bracket, in reading order
    assert "۱۵ مرداد ۱۴۰۴" in text and "(۲۰۲۵)" in text  # digits not reversed, brackets not mirrored
    assert text.count("\n\n") == 1  # the two paragraphs, apart


@pytest.mark.parametrize("name", ["news-fpdf2.pdf", "news-chromium.pdf"])
def test_pdf_ingest_quotes_are_spans_of_the_saved_text(tmp_path, name):
    r = CliRunner().invoke(app, ["ingest", str(PDFS / name), "--out", str(tmp_path), "--doc-id", "pdf-news",
                                 "--published", "1404-05-21"])
    assert r.exit_code == 0, r.output
    folder = tmp_path / "pdf-news"
    stored = (folder / name.replace(".pdf", ".txt")).read_text(encoding="utf-8")
    assert stored == pdf_text(PDFS / name)
    assert f'pd:seedFile "{name.replace(".pdf", ".txt")}"' in (folder / "source.ttl").read_text(encoding="utf-8")
    rows = {}
    for path in sorted((folder / "candidates").glob("*.csv")):
        rows[path.stem] = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    assert sum(map(len, rows.values())) >= 3
    for table in rows.values():
        for row in table:
            assert stored[int(row["span_start"]) : int(row["span_end"])] == row["quote"]
    (rel,) = rows["relations"]
    # «تفاهم‌نامه خواهرخواندگی شیراز و قازان روز ۱۵ مرداد ۱۴۰۴ در قازان امضا شد»
    assert (rel["kind"], rel["party_a"], rel["party_b"], rel["date_sh"], rel["status"]) == (
        "sister-city", "city:shiraz", "city:kazan", "1404-05-15", "signed")
    (trip,) = rows["events"]
    # «علیرضا زاکانی، شهردار تهران، روز ۲۰ مرداد ۱۴۰۴ (۲۰۲۵) در سفر به آنکارا …»
    assert (trip["kind"], trip["traveller"], trip["destination"]) == ("trip", "person:alireza-zakani", "city:ankara")
    assert trip["date"] == jdatetime.date(1404, 5, 20).togregorian().isoformat()
    listing = CliRunner().invoke(app, ["review", str(folder)])
    assert listing.exit_code == 0 and rel["key"] in listing.output and trip["key"] in listing.output


def test_a_bad_pdf_is_refused_naming_the_file(tmp_path):
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.7\nnot really a PDF")
    r = CliRunner().invoke(app, ["ingest", str(bad), "--out", str(tmp_path / "out")])
    assert r.exit_code == 2
    assert f"{bad}: not a readable PDF" in r.output
    cut = tmp_path / "cut.pdf"
    cut.write_bytes((PDFS / "news-fpdf2.pdf").read_bytes()[:3000])
    with pytest.raises(ProjectError, match=r"cut\.pdf: not a readable PDF"):
        pdf_text(cut)
    assert not (tmp_path / "out").exists()  # nothing written


def test_a_visual_line_is_read_in_logical_order():
    # a line as pdfminer gives it from Chromium's PDF: drawn right to left, presentation forms
    assert logical_line("ﺪﺷ ﺎﻀﻣا ۱۴۰۴ دادﺮﻣ ۱۵ زور") == "روز ۱۵ مرداد ۱۴۰۴ امضا شد"
    assert logical_line("12/6/26, 9:32 PM") == "12/6/26, 9:32 PM"  # no Persian letter: as drawn
    assert unmirror("روز )۲۰۲۵( و «شهر»") == "روز (۲۰۲۵) و «شهر»"
    assert unmirror("(الف) و (ب)") == "(الف) و (ب)"  # well-formed: untouched
