"""Bilateral relations between an Iranian city and a foreign one: kind, status, year.

Two rules:

- ``relation-sentence``: a sentence naming a kind of agreement (خواهرخواندگی, تفاهم‌نامه,
  سند اجرایی, برنامه همکاری) and at least one foreign city; the Iranian party is a city of the
  same sentence or, failing that, of the six sentences before it (lower confidence, said in the comment). Two Iranian
  cities and no foreign one is a domestic twinning: not paradiplomacy, no candidate.
- ``relation-table-row``: a table row extracted as a line of tab-separated cells (the paper's
  Table 1): an Iranian city, then its partners, each optionally followed by «(year)» and
  «(تفاهم‌نامه همکاری)»; a row whose first word is a foreign city continues the previous row.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from paradiplomacy.ingest.candidates import Candidate, slug
from paradiplomacy.ingest.gazetteer import Entity, Gazetteer, Mention
from paradiplomacy.ingest.text import Document

#: folded keyword pattern → kind; the first that matches wins, so «سند اجرایی خواهرخواندگی» (the
#: executive document of a twinning) and «برنامه همکاری … در چارچوب تفاهم‌نامه» are the document
#: they name, not the agreement they carry out
KINDS = (
    (re.compile(r"سند (?:همکاری(?:های)? )?اجرایی"), "executive-document"),
    (re.compile(r"برنامه (?:مشترک |جامع )?همکاری(?!\S)"), "programme"),  # not «برنامه همکاری‌های …» (plans of cooperation)
    (re.compile(r"خواهر ?خواند"), "sister-city"),
    (re.compile(r"تفاهم ?نامه|یادداشت تفاهم"), "mou"),
)
#: folded status words → the relation's status (concept:relation-status-…); the first that matches
#: wins, so a future («امضا خواهد شد») or a negotiation is read before the signing word it contains.
#: No word, no status: a relation the text only names («خواهرخوانده‌اند») is left without one.
STATUS = (
    (re.compile(r"تمدید|تجدید (?:شد|کرد|میشود)"), "renewed"),
    (re.compile(r"لغو|فسخ|تعلیق|متوقف|پایان (?:یافت|داد|دادند|یافته)"), "ended"),
    (re.compile(r"در (?:حال|دست) (?:مذاکره|بررسی|پیگیری|تهیه|تدوین|نهایی)|مذاکرات|پیش ?نویس|مذاکره (?:میکنند|می کنند|کردند)"),
     "under-negotiation"),
    (re.compile(r"قرار (?:است|شد)|امضا(?:ء)? خواه|به امضا خواهد|امضا(?:ء)? (?:میشود|می شود|شود|کنند|میکنند)|خواهد شد|برنامه ریزی|به زودی|در آینده"),
     "planned"),
    (re.compile(r"امضا(?:ء)? (?:شد|کرد|کردند|رسید|شده|کرده|نمودند)|به امضا رسید|منعقد|برقرار (?:شد|است|کرد|شده)"
                r"|ایجاد (?:کرده|شد|شده)|انجام (?:شد|شده)|دارند|داشته اند"),
     "signed"),
)
_KIND_EN = {"sister-city": "sister-city agreement", "mou": "cooperation MoU", "executive-document": "executive document",
            "programme": "cooperation programme"}
_KIND_FA = {"sister-city": "خواهرخواندگی", "mou": "تفاهم‌نامه همکاری", "executive-document": "سند اجرایی",
            "programme": "برنامه همکاری"}
_SUFFIX = {"sister-city": "", "mou": "-mou", "executive-document": "-executive-document", "programme": "-programme"}


def _city(m: Mention, gazetteer: Gazetteer | None = None) -> Entity | None:
    """The city a name denotes: a city, or the city a named municipality or council governs."""
    city = next((e for e in m.entities if e.kind == "city"), None)
    if city is None and gazetteer is not None and m.best.governs:
        city = gazetteer.by_curie.get(m.best.governs)
    return city


def party(e: Entity) -> str:
    """The CURIE of a linked entity, or ``new:`` + its Persian label for a proposed one."""
    return e.curie or f"new:{e.label_fa}"


def relation(kind: str, a: Entity, b: Entity, status: str, year: str, date_as_written: str) -> dict[str, str]:
    ident = slug(a.curie or a.label_en, b.curie or b.label_en) + _SUFFIX[kind]
    return {
        "id": ident, "kind": kind, "party_a": party(a), "party_b": party(b), "year": year, "status": status,
        "date_as_written": date_as_written,
        "label_en": f"{a.label_en}–{b.label_en} {_KIND_EN[kind]}",
        "label_fa": f"{_KIND_FA[kind]} {a.label_fa} و {b.label_fa}",
    }


def find_relations(doc: Document) -> list[Candidate]:
    return [*_sentences(doc), *_table_rows(doc)]


def _sentences(doc: Document) -> list[Candidate]:
    out: list[Candidate] = []
    for i, s in enumerate(doc.sentences):
        if "\t" in doc.text[s.start : s.end]:
            continue  # a table row: the table rule reads it cell by cell
        folded = doc.folded(s.start, s.end)
        kind = next((k for pat, k in KINDS if pat.search(folded)), None)
        if kind is None:
            continue
        mentions, dates = doc.within(s.start, s.end)
        cities = [(m, c) for m in mentions if (c := _city(m, doc.gazetteer)) is not None]
        foreign = [(m, c) for m, c in cities if not c.iranian]
        iranian = [c for _, c in cities if c.iranian]
        if not foreign:
            continue  # nothing, or a domestic twinning of two Iranian cities
        confidence = 0.9
        if not iranian:
            for prev in reversed(doc.sentences[max(0, i - 6) : i]):
                pm, _ = doc.within(prev.start, prev.end)
                iranian = [c for m in pm if (c := _city(m, doc.gazetteer)) is not None and c.iranian]
                if iranian:
                    confidence = 0.6
                    break
        if not iranian:
            continue
        status = next((st for pat, st in STATUS if pat.search(folded)), "")
        years = [d for d in dates if d.precision == "year" or d.iso]
        year = years[0].iso[:4] if years else ""
        written = years[0].text if years else ""
        a = iranian[0]
        for _m, b in foreign:
            if b.curie == a.curie:
                continue
            values = relation(kind, a, b, status, year, written)
            if confidence < 0.9:
                values["comment_en"] = (f"The Iranian party is not named in the sentence; {a.label_en} is the Iranian city named in the "
                                        "sentences before it.")
            if years and years[0].precision in ("day", "month"):
                values["date"] = years[0].iso
                values["date_sh"] = years[0].sh if years[0].precision == "day" else ""
            if years and years[0].inferred:
                values["date_inferred"] = "true"
                inferred = f" Date inferred: «{years[0].text}» counted from the publication date."
                values["comment_en"] = (values.get("comment_en", "") + inferred).strip()
            out.append(Candidate("relations", values, doc.text[s.start : s.end], s.start, s.end, s.locator,
                                 "relation-sentence", confidence if b.curie else confidence - 0.2,
                                 {"parties": {party(a), party(b)}, "dates": years[:1]}))
    return out


_YEAR_AFTER = re.compile(r"\s*(?:\^\S+\s*)?\(\s*([0-9۰-۹]{4})\s*\)")
_MOU_AFTER = re.compile(r"\s*(?:\^\S+\s*)?(?:\(\s*[0-9۰-۹]{4}\s*\)\s*)?(?:\^\S+\s*)?\(\s*تفاهم\s?\u200c?\s?نامه همکاری\s*\)")
_FOOTNOTE = re.compile(r"\s*\^(?:\{[^}]*\}|\S+)")


@dataclass(frozen=True)
class TableRow:
    """A line of tab-separated cells whose row belongs to an Iranian city (``owner``)."""

    start: int  # input offset of the line
    line: str
    owner: Entity
    partners_from: int  # input span of the partner cell
    cell_end: int


def table_rows(doc: Document) -> Iterator[TableRow]:
    """The rows of a table extracted as tab-separated lines, each with the Iranian city it is about;
    a row whose first word is a foreign city continues the previous row (interleaved runs)."""
    owner: Entity | None = None
    pos = 0
    for line in doc.text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        if line.count("\t") < 2:
            continue
        cell_end = start + line.index("\t")
        mentions, _ = doc.within(start, start + len(line))
        first = next((m for m in mentions), None)
        if first is None or first.start != start + len(line) - len(line.lstrip()):
            continue
        partners_from = first.end
        city = _city(first)
        if city is not None and city.iranian:
            owner = city
            if first.end >= cell_end - 1:  # «تهران<TAB>partners…»: the partners are the next cell
                nxt = line.find("\t", cell_end - start + 1)
                cell_end = start + (nxt if nxt > 0 else len(line))
        elif owner is None or city is None:
            continue
        else:
            partners_from = first.start  # a continuation: its first word is a partner
        yield TableRow(start, line, owner, partners_from, cell_end)


def _table_rows(doc: Document) -> list[Candidate]:
    out: list[Candidate] = []
    for row in table_rows(doc):
        owner, partners_from, cell_end = row.owner, row.partners_from, row.cell_end
        number = 0
        for m in doc.within(partners_from, cell_end)[0]:
            b = _city(m)
            if b is None or b.iranian:
                continue
            number += 1
            tail = doc.text[m.end : cell_end]
            year_m = _YEAR_AFTER.match(tail)
            mou_m = _MOU_AFTER.match(tail)
            kind = "mou" if mou_m else "sister-city"
            end = m.end + max(year_m.end() if year_m else 0, mou_m.end() if mou_m else 0)
            if not year_m and not mou_m:
                fn = _FOOTNOTE.match(tail)
                end = m.end + (fn.end() if fn else 0)
            year = ""
            if year_m:
                year = year_m.group(1).translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))
            values = relation(kind, owner, b, "", year, year_m.group(1) if year_m else "")
            item = f"row {owner.label_en} ({owner.label_fa}), partner {m.text}"
            out.append(Candidate("relations", values, doc.text[m.start : end], m.start, end,
                                 f"line {doc.line_of(m.start)}, table row {owner.label_en}", "relation-table-row",
                                 0.95 if b.curie else 0.7,
                                 {"parties": {party(owner), party(b)}, "year": year, "item": item}))
    return out
