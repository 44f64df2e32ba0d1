"""The text of a PDF in logical (reading) order, for `pdkg ingest`.

Chosen on measurement (README, "Libraries, and why"): pdfminer.six gives every line of a Persian
PDF, but in visual order (a line's letters right to left as drawn) and, for PDFs from Chromium or
Word, as Arabic presentation forms (ﺑﻪ for به); pypdf gives the letters in logical order but
reverses the digits (۱۵ → ۵۱, a wrong date) and moves the full stop; PDFium (pypdfium2) reverses
whole words on Chromium's PDFs. So pdfminer.six's lines, each folded from presentation forms to
letters (NFKC on those code points only) and reordered with the Unicode bidirectional algorithm
(python-bidi), which turns a visual line back into its logical order, digits and brackets included.

Brackets and guillemets are mirrored by the reordering; where the producer had already written
the mirrored glyph's code point (fpdf2), a paragraph that closes a pair before opening it gets the pair
swapped back. What the extractor cannot recover is said in the README: a ZWNJ drawn as a gap comes back as a
space or not at all (the normaliser folds both the same), and a page of two columns is read in
pdfminer's box order.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from paradiplomacy.project import ProjectError

#: lines closer than this many line heights are one paragraph: pdfminer's default (0.5) made
#: every line of both test PDFs (fpdf2, Chromium) a paragraph of its own; 1.0 groups each
#: paragraph's lines and keeps paragraphs apart
LINE_MARGIN = 1.0
_RTL_LETTER = re.compile(r"[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]")
_PRESENTATION = re.compile(r"[\uFB00-\uFDFF\uFE70-\uFEFF]")


def _letters(line: str) -> str:
    """Presentation forms (contextual glyph code points) folded to the letters they draw."""
    return _PRESENTATION.sub(lambda m: unicodedata.normalize("NFKC", m.group()), line)


def logical_line(line: str) -> str:
    """A visual-order line in logical order: right-to-left when it has a Persian or Arabic letter."""
    from bidi.algorithm import get_display

    line = _letters(line.rstrip("\n"))
    if not _RTL_LETTER.search(line):
        return line
    return get_display(line, base_dir="R")


_PAIRS = ("()", "[]", "«»", "‹›")


def unmirror(text: str) -> str:
    """Brackets the producer already mirrored (fpdf2 and HarfBuzz write the code point of the glyph
    drawn, «)۲۰۲۵(» after reordering): a paragraph whose first bracket of a pair closes is read
    with that pair swapped (a paragraph, not a line: a pair may open on one line and close on the
    next). Well-formed text never closes before it opens, so this never undoes a right one."""
    for o, c in _PAIRS:
        depth = 0
        for ch in text:
            if ch == o:
                depth += 1
            elif ch == c:
                if depth == 0:
                    text = text.translate(str.maketrans({o: c, c: o}))
                    break
                depth -= 1
    return text


def pdf_text(path: Path) -> str:
    """Every text box of every page, lines in logical order; boxes and pages apart by a blank line
    (the paragraph breaks `text.py` splits on)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextBox, LTTextLine
    from pdfminer.psexceptions import PSException  # every pdfminer error: syntax, encryption, password

    boxes: list[str] = []
    try:
        for page in extract_pages(str(path), laparams=LAParams(line_margin=LINE_MARGIN)):
            for element in page:
                if isinstance(element, LTTextBox):
                    lines = [logical_line(x.get_text()) for x in element if isinstance(x, LTTextLine)]
                    box = unmirror("\n".join(x for x in lines if x.strip()))
                    if box:
                        boxes.append(box)
    except OSError as err:
        raise ProjectError(f"{path}: {err.strerror or err}") from err
    except (PSException, ValueError, KeyError, TypeError, AssertionError) as err:
        # pdfminer's own errors, and what it raises on a damaged cross-reference table or stream
        raise ProjectError(f"{path}: not a readable PDF ({type(err).__name__}: {err})") from err
    text = "\n\n".join(boxes)
    if not text.strip():
        raise ProjectError(f"{path}: the PDF has no text layer (a scan?): nothing to extract")
    return text + "\n"
