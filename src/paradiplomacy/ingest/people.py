"""People with the role the text gives them, and names the project does not know yet.

``person-role``: a known person beside a role (شهردار تهران, رئیس شورای شهر, وزیر امور خارجه …);
``new-person``: two or three words and a comma right before such a role that are no known name — proposed with the
Persian label as written, never linked to another dataset's IRI. ``new-place``: a city only the
gazetteer (GeoNames) knows, proposed with its GeoNames candidates.
"""

from __future__ import annotations

import re

from paradiplomacy.ingest.candidates import Candidate
from paradiplomacy.ingest.normalise import pattern
from paradiplomacy.ingest.text import Document

ROLE = pattern(
    r"(?:شهردار|رئیس شورای (?:اسلامی )?شهر|عضو شورای (?:اسلامی )?شهر|رئیس مجلس|نماینده مجلس|نماینده پارلمان|"
    r"وزیر امور خارجه|وزیر خارجه|معاون وزیر|سفیر|استاندار|فرماندار|رئیس ?جمهور|شهردار کلانشهر)"
    r"(?: \w+)?"
)
_NAME_BEFORE = re.compile(r"(?:^|[.،,:؛\n] ?)([\u0600-\u06FF]{2,}(?: [\u0600-\u06FF]{2,}){1,2}) ?[،,] ?$")
_NOT_NAME = re.compile(r"^(?:و|در|با|به|از|که|این|آن|نیز|هم|را|برای|گفت|اظهار|کرد|است|بود|شد)\b")


def find_people(doc: Document) -> list[Candidate]:
    out: list[Candidate] = []
    norm = doc.norm
    for r in ROLE.finditer(norm.text):
        a, b = norm.span(r.start(), r.end())
        role = doc.text[a:b]
        after = [m for m in doc.mentions if b <= m.start <= b + 3 and m.best.kind == "person"]
        before = [m for m in doc.mentions if a - 3 <= m.end <= a and m.best.kind == "person"]
        person = next(iter(after or before), None)
        if person is not None:
            s, e = min(a, person.start), max(b, person.end)
            out.append(Candidate("people", {"slug": person.best.curie.split(":")[-1], "label_fa": person.best.label_fa,
                                            "label_en": person.best.label_en, "role_as_written": role},
                                 doc.text[s:e], s, e, f"line {doc.line_of(s)}", "person-role", 0.8,
                                 {"parties": {person.best.curie}}))
            continue
        # «نام نام‌خانوادگی، شهردار …»: a name and a comma right before the role
        nm = _NAME_BEFORE.search(norm.text, max(0, r.start() - 40), r.start())
        if nm is None or _NOT_NAME.match(nm.group(1)):
            continue
        na, nb = norm.span(nm.start(1), nm.end(1))
        if any(na < m.end and m.start < nb for m in doc.mentions):
            continue  # a known name (a place, a body): not a new person
        words = nm.group().split(" ")
        if any(_NOT_NAME.match(w + " ") for w in words):
            continue
        out.append(Candidate("people", {"slug": "", "label_fa": doc.text[na:nb], "label_en": "", "role_as_written": role},
                             doc.text[na:b], na, b, f"line {doc.line_of(a)}", "new-person", 0.4,
                             {"parties": set()}))
    seen: set[str] = set()
    for m in doc.mentions:
        best = m.best
        if best.curie or best.source != "geonames" or best.label_fa in seen:
            continue
        seen.add(best.label_fa)
        cands = " ; ".join(f"geonames:{x.geonames_id} {x.label_en} ({x.country}, pop. {x.population})"
                           for x in m.entities if x.source == "geonames")
        out.append(Candidate("entities", {"slug": "", "kind": "city", "label_fa": m.text, "label_en": "",
                                          "gazetteer_candidates": cands},
                             m.text, m.start, m.end, f"line {doc.line_of(m.start)}", "new-place", 0.3, {"parties": set()}))
    return out
