"""Reported figures: a number, its unit, what it counts, a comparator, and who said it.

``figure-sentence``: a number (digits, Persian or Arabic) followed by a counted noun of the
domain (شهر خواهرخوانده, خواهرخواندگی, تفاهم‌نامه, سند همکاری, کشور, شهر, مورد); «بیش از» /
«حدود» / «کمتر از» give the comparator. The claimant is a person named in the sentence, else the
document itself. ``figure-quantity``: other quantities (hours, months, per cents — kept as a
fraction —, dollars, meetings, people, and «نیمی از», «یک‌سوم») in any sentence of the topic.
``figure-table-cell``: the numbers of a table with a «تعداد روابط» column.
"""

from __future__ import annotations

import re

from paradiplomacy.ingest.candidates import Candidate, slug
from paradiplomacy.ingest.relations import party
from paradiplomacy.ingest.text import Document

#: a number written as a word (the seeds: «یکصد شهر», «هزار دلار», «نیمی از», «یک‌سوم»), folded
_WORDS = {"یکصد": "100", "صد": "100", "هزار": "1000", "نصف": "0.5", "نیمی": "0.5", "یکسوم": "0.3333", "یک سوم": "0.3333",
          "صفر": "0"}
_NUMBER = r"(?P<n>\d[\d,]*(?:\.\d+)?|" + "|".join(sorted(_WORDS, key=len, reverse=True)) + ")"
_FIGURE = re.compile(
    r"(?:(?P<cmp>بیش از|بالغ بر|حدود|نزدیک به|کمتر از|تنها|نهایتا) )?" + _NUMBER + " ?"
    r"(?P<unit>شهر خواهر ?خوانده|خواهر ?خواندگی|مورد(?: (?:روابط |مناسبات )?(?:دو ?جانبه|خواهر ?خواندگی))?|رابطه(?: دو ?جانبه)?"
    r"|تفاهم ?نامه|سند (?:همکاری|اجرایی)|شهر|کشور)"
    r"(?![\w])"
)
#: ``figure-quantity``: other quantities the texts report (hours, months, per cents, dollars, meetings, people)
_QUANTITY = re.compile(
    r"(?:(?P<cmp>بیش از|بالغ بر|حدود|نزدیک به|کمتر از|تنها|نهایتا) )?" + _NUMBER + " ?"
    r"(?P<unit>ساعت|ماه|سال قبل|درصد|دلار|جلسه|نماینده|تن از|سوم|از)(?!\w)"
)
_FRACTION_OF = re.compile(r"(?:نصف|نیمی|یک ?سوم)(?: از)?$")
_CMP = {"بیش از": "more-than", "بالغ بر": "more-than", "حدود": "approximately", "نزدیک به": "approximately", "کمتر از": "less-than",
        "تنها": "exact", "نهایتا": "less-than"}  # «نهایتا» (at most): an upper bound, as the curated 000 records it
#: a figure about paradiplomacy: the sentence must say what relations it counts
_TOPIC = re.compile(r"خواهر ?خواند|تفاهم ?نامه|سند|دیپلماسی|روابط|مناسبات|همکاری|بین ?المللی")


def find_figures(doc: Document, doc_curie: str = "") -> list[Candidate]:
    out: list[Candidate] = []
    for s in doc.sentences:
        folded = doc.folded(s.start, s.end)
        if "\t" in doc.text[s.start : s.end]:
            continue
        mentions, dates = doc.within(s.start, s.end)
        topical = bool(_TOPIC.search(folded))
        # a quantity outside the topic's words counts when the sentence is about a foreign actor
        # or a known person («۱۷ ساعت پرواز میان ایران و ونزوئلا»), never in a text about nothing foreign
        if not topical and not any((m.best.kind == "person" and m.best.curie) or (m.best.kind in ("city", "country") and not m.best.iranian)
                                   for m in mentions):
            continue
        date_spans = [(d.start, d.end) for d in dates]
        people = [m.best for m in mentions if m.best.kind == "person"]
        claimant = party(people[0]) if people else doc_curie
        base = _nidx(doc, s.start)
        window = doc.norm.text[base : _nidx(doc, s.end)]
        found = [(f, "figure-sentence") for f in _FIGURE.finditer(window)] if topical else []
        taken = [f.span() for f, _ in found]
        found += [(f, "figure-quantity") for f in _QUANTITY.finditer(window)
                  if not any(x < f.end() and f.start() < y for x, y in taken) and _quantity(f)]
        for f, rule in found:
            a, b = doc.norm.span(base + f.start(), base + f.end())
            if any(x <= a < y for x, y in date_spans):
                continue
            value = _value(f)
            if f.group("unit") in ("شهر", "کشور") and float(value) < 10:
                continue  # «2 کشور», «2 شهر»: the two parties, not a reported count
            unit = doc.text[doc.norm.span(base + f.start("unit"), base + f.end("unit"))[0] : b]
            # `unit` is English in the table: left to the reviewer; the Persian words go in `counts`
            values = {"id": slug("figure", value, str(s.line), str(a)), "claimant": claimant, "value": value,
                      "unit": "", "comparator": _CMP.get(f.group("cmp") or "", "exact"), "counts": unit,
                      "label_en": f"Reported figure: {value}", "label_fa": f"{doc.text[a:b]}",
                      "about": " ; ".join(sorted({party(m.best) for m in mentions if m.best.kind in ("city", "country", "body")})),
                      "statement_fa": doc.text[s.start : s.end]}
            out.append(Candidate("figures", values, doc.text[s.start : s.end], s.start, s.end, s.locator,
                                 rule, 0.5 if rule == "figure-sentence" else 0.4, {"parties": set(), "figure": doc.text[a:b]}))
    return [*out, *_table_counts(doc, doc_curie)]


def _value(f: re.Match) -> str:
    n = f.group("n").replace(",", "")
    value = _WORDS.get(n, n)
    if f.group("unit") == "درصد":
        value = f"{float(value) / 100:g}"  # the graph keeps a share as a fraction: «50درصد» is 0.5
    return value


def _quantity(f: re.Match) -> bool:
    """A quantity worth proposing: a number before a unit, or a fraction («نیمی از», «یک‌سوم»)
    before the thing it divides; a bare «از» or «سوم» after a digit is a date or an ordinal."""
    n, unit = f.group("n"), f.group("unit").strip()
    if unit in ("از", "سوم"):
        return n in ("نصف", "نیمی", "یکسوم", "یک سوم")
    return n not in ("نصف", "نیمی", "یکسوم", "یک سوم") or unit != "سوم"


_COUNT_HEADER = re.compile(r"تعداد (?:روابط|مناسبات)")
_CELL_NUMBER = re.compile(r"(?:^|\t|•)\s*(\d+)\s*(?=\t|•|$)")


def _table_counts(doc: Document, doc_curie: str) -> list[Candidate]:
    """``figure-table-cell``: the numbers of a table whose header has a «تعداد روابط» (number of
    relations) column, each a count of relations (the paper's Tables 2 and 3). The table runs
    from the header over its tab-separated lines and the blank lines between them."""
    out: list[Candidate] = []
    pos, inside = 0, False
    for line in doc.text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        if "\t" not in line:
            if line.strip():
                inside = False
            continue
        folded = doc.folded(start, start + len(line))
        if _COUNT_HEADER.search(folded):
            inside = True
            continue
        if not inside:
            continue
        mentions, _ = doc.within(start, start + len(line))
        countries = {party(m.best) for m in mentions if m.best.kind == "country"}
        for f in _CELL_NUMBER.finditer(line):  # the input line: normalising turns its tabs into spaces
            a, b = start + f.start(1), start + f.end(1)
            value = str(int(f.group(1)))  # Persian or Arabic digits too
            values = {"id": slug("figure", value, str(doc.line_of(a)), str(a)), "claimant": doc_curie, "value": value,
                      "unit": "", "comparator": "exact", "counts": "تعداد روابط",
                      "label_en": f"Reported figure: {value} (table)", "label_fa": doc.text[a:b],
                      "about": next(iter(countries)) if len(countries) == 1 else "",
                      "statement_fa": line.strip()}
            out.append(Candidate("figures", values, doc.text[a:b], a, b, f"line {doc.line_of(a)}, table cell",
                                 "figure-table-cell", 0.6, {"parties": set(), "figure": doc.text[a:b]}))
    return out


def _nidx(doc: Document, offset: int) -> int:
    """Index in the normalised text of the first character at or after input ``offset``."""
    import bisect

    return bisect.bisect_left(doc.norm.offsets, offset)
