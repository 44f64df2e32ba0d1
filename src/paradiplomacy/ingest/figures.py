"""Reported figures: a number, its unit, what it counts, a comparator, and who said it.

``figure-sentence``: a number (digits, Persian or Arabic) followed by a counted noun of the
domain (شهر خواهرخوانده, خواهرخواندگی, تفاهم‌نامه, سند همکاری, کشور, شهر, مورد); «بیش از» /
«حدود» / «کمتر از» give the comparator. The claimant is a person named in the sentence, else the
document itself.
"""

from __future__ import annotations

import re

from paradiplomacy.ingest.candidates import Candidate, slug
from paradiplomacy.ingest.relations import party
from paradiplomacy.ingest.text import Document

_FIGURE = re.compile(
    r"(?:(?P<cmp>بیش از|بالغ بر|حدود|نزدیک به|کمتر از|تنها) )?(?P<n>\d[\d,]*) ?"
    r"(?P<unit>شهر خواهر ?خوانده|خواهر ?خواندگی|مورد (?:روابط |مناسبات )?(?:دو ?جانبه|خواهر ?خواندگی)|تفاهم ?نامه|سند (?:همکاری|اجرایی)|شهر|کشور)"
    r"(?![\w])"
)
_CMP = {"بیش از": "more-than", "بالغ بر": "more-than", "حدود": "approximately", "نزدیک به": "approximately", "کمتر از": "less-than",
        "تنها": "exact"}
#: a figure about paradiplomacy: the sentence must say what relations it counts
_TOPIC = re.compile(r"خواهر ?خواند|تفاهم ?نامه|سند|دیپلماسی شهری|روابط|مناسبات|همکاری")


def find_figures(doc: Document, doc_curie: str = "") -> list[Candidate]:
    out: list[Candidate] = []
    for s in doc.sentences:
        folded = doc.folded(s.start, s.end)
        if "\t" in doc.text[s.start : s.end] or not _TOPIC.search(folded):
            continue
        mentions, dates = doc.within(s.start, s.end)
        date_spans = [(d.start, d.end) for d in dates]
        people = [m.best for m in mentions if m.best.kind == "person"]
        claimant = party(people[0]) if people else doc_curie
        for f in re.finditer(_FIGURE, doc.norm.text[_nidx(doc, s.start) : _nidx(doc, s.end)]):
            base = _nidx(doc, s.start)
            a, b = doc.norm.span(base + f.start(), base + f.end())
            if any(x <= a < y for x, y in date_spans):
                continue
            value = f.group("n").replace(",", "")
            if f.group("unit") in ("شهر", "کشور") and int(value) < 10:
                continue  # «2 کشور», «2 شهر»: the two parties, not a reported count
            unit = doc.text[doc.norm.span(base + f.start("unit"), base + f.end("unit"))[0] : b]
            # `unit` is English in the table: left to the reviewer; the Persian words go in `counts`
            values = {"id": slug("figure", value, str(s.line), str(a)), "claimant": claimant, "value": value,
                      "unit": "", "comparator": _CMP.get(f.group("cmp") or "", "exact"), "counts": unit,
                      "label_en": f"Reported figure: {value}", "label_fa": f"{doc.text[a:b]}",
                      "about": " ; ".join(sorted({party(m.best) for m in mentions if m.best.kind in ("city", "country", "body")})),
                      "statement_fa": doc.text[s.start : s.end]}
            out.append(Candidate("figures", values, doc.text[s.start : s.end], s.start, s.end, s.locator,
                                 "figure-sentence", 0.5, {"parties": set(), "figure": doc.text[a:b]}))
    return out


def _nidx(doc: Document, offset: int) -> int:
    """Index in the normalised text of the first character at or after input ``offset``."""
    import bisect

    return bisect.bisect_left(doc.norm.offsets, offset)
