"""Memberships of cities and bodies in networks, and offices held in bodies (W3C ORG).

- ``membership-table-row``: a table row about an Iranian city (the paper's Table 1) whose cell
  lists «- عضو …» items: the city is a member of each body named in such an item;
- ``membership-table-list``: a table row whose last cell names one body and whose member cell is
  a list of Iranian cities («تهران، اصفهان، … و اهواز», the paper's Table 4);
- ``membership-sentence``: «عضو» / «عضویت» / «پیوستن» with a body in the same sentence; the member
  is the city (or the body) named just before it;
- ``office-role``: a known person beside a role (شهردار تهران, رئیس مجلس, نماینده پارلمان
  آذربایجان, دبیرکل …): the office of that role in the body the role names, or — for a mayor or a
  council — the body that governs the city named (``pd:governs``).
"""

from __future__ import annotations

import re

from paradiplomacy.ingest.candidates import Candidate, slug
from paradiplomacy.ingest.gazetteer import Entity, Mention
from paradiplomacy.ingest.relations import _city, party, table_rows
from paradiplomacy.ingest.text import Document

_MEMBER = re.compile(r"عضو|پیوستن|پیوست|ملحق")
#: folded role words → role concept (concept:role-…); the first that matches wins
ROLES = (
    (re.compile(r"نایب ?رئیس"), "vice-president"),
    (re.compile(r"دبیر ?کل"), "secretary-general"),
    (re.compile(r"معاون وزیر"), "deputy-minister"),
    (re.compile(r"معاون امور بین ?الملل"), "deputy-for-international-affairs"),
    (re.compile(r"رئیس شورای (?:اسلامی )?شهر"), "city-council-head"),
    (re.compile(r"عضو شورای (?:اسلامی )?شهر|اعضای شورای (?:اسلامی )?شهر"), "city-council-member"),
    (re.compile(r"رئیس مجلس|رئیس قوه مقننه"), "speaker-of-parliament"),
    (re.compile(r"نماینده (?:مجلس|پارلمان)|نمایندگان (?:مجلس|پارلمان)"), "member-of-parliament"),
    (re.compile(r"وزیر (?:امور )?خارجه"), "foreign-minister"),
    (re.compile(r"شهردار(?!ی)"), "mayor"),
    (re.compile(r"رئیس ?جمهور"), "head-of-state"),
    (re.compile(r"رئیس"), "president"),
)
_ROLE_WORDS = re.compile("|".join(p.pattern for p, _ in ROLES))


def _membership(member: Entity, org: Entity, year: str) -> dict[str, str]:
    return {"id": slug(member.curie or member.label_en, org.curie or org.label_en), "member": party(member),
            "organization": party(org), "role": "member", "year": year,
            "label_en": f"{member.label_en}'s membership of {org.label_en}",
            "label_fa": f"عضویت {member.label_fa} در {org.label_fa}"}


def find_memberships(doc: Document) -> list[Candidate]:
    return [*_table_memberships(doc), *_table_lists(doc), *_sentences(doc), *_offices(doc)]


def _table_memberships(doc: Document) -> list[Candidate]:
    out = []
    for row in table_rows(doc):
        end = row.start + len(row.line)
        for item in re.finditer(r"-\s*([^-]+)", doc.text[row.cell_end : end]):
            a, b = row.cell_end + item.start(1), row.cell_end + item.end(1)
            if not _MEMBER.search(doc.folded(a, b)):
                continue
            while b > a and doc.text[b - 1].isspace():
                b -= 1
            for m in doc.within(a, b)[0]:
                if m.best.kind == "body":
                    out.append(Candidate("memberships", _membership(row.owner, m.best, ""), doc.text[a:b], a, b,
                                         f"line {doc.line_of(a)}, table row {row.owner.label_en}", "membership-table-row",
                                         0.85, {"parties": {party(row.owner), party(m.best)}}))
    return out


def _table_lists(doc: Document) -> list[Candidate]:
    out, pos = [], 0
    for line in doc.text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        cells = line.split("\t")
        if len(cells) < 3:
            continue
        last_start = start + len(line) - len(cells[-1])
        bodies = [m for m in doc.within(last_start, start + len(line))[0] if m.best.kind == "body"]
        if len(bodies) != 1:
            continue
        offset = start
        for cell in cells[:-1]:
            a, b = offset, offset + len(cell)
            offset = b + 1
            ms = doc.within(a, b)[0]
            cities = [c for m in ms if (c := _city(m)) is not None and c.iranian]
            # a list of cities and nothing else: names, «،», «و», footnote marks
            rest = re.sub(r"[\s،,و^\d۰-۹{}]", "", "".join(doc.text[x.end : y.start] for x, y in zip(ms, ms[1:])))
            if len(cities) < 1 or len(cities) != len(ms) or rest or ms[0].start - a > 2:
                continue
            b = ms[-1].end
            for c in cities:
                out.append(Candidate("memberships", _membership(c, bodies[0].best, ""), doc.text[ms[0].start : b],
                                     ms[0].start, b, f"line {doc.line_of(a)}, table row {bodies[0].text}",
                                     "membership-table-list", 0.85, {"parties": {party(c), party(bodies[0].best)}}))
    return out


def _sentences(doc: Document) -> list[Candidate]:
    out = []
    for s in doc.sentences:
        if "\t" in doc.text[s.start : s.end]:
            continue  # table rows: the table rules read them cell by cell
        folded = doc.folded(s.start, s.end)
        if not _MEMBER.search(folded):
            continue
        mentions, dates = doc.within(s.start, s.end)
        year = next((d.iso[:4] for d in dates), "")
        for word in _MEMBER.finditer(doc.text, s.start, s.end):
            after = [m for m in mentions if word.end() <= m.start <= word.end() + 40 and m.best.kind == "body"]
            before = [m for m in mentions if m.end <= word.start() and m.best.kind in ("city", "body")]
            if not after or not before:
                continue
            member, org = before[-1], after[0]
            if member.best == org.best:
                continue
            out.append(Candidate("memberships", _membership(member.best, org.best, year), doc.text[s.start : s.end],
                                 s.start, s.end, s.locator, "membership-sentence", 0.6,
                                 {"parties": {party(member.best), party(org.best)}}))
    return out


def _org_of_role(doc: Document, role: str, qualifier: Mention | None) -> tuple[Entity | None, str]:
    """The body a role belongs to, from the name that qualifies it, and a note when it is inferred."""
    q = qualifier.best if qualifier is not None else None
    if q is not None and q.kind == "body":
        return q, ""
    bodies = [e for v in doc.gazetteer.entries.values() for e in v if e.kind == "body"]
    city = _city(qualifier) if qualifier is not None else None
    if role in ("mayor", "city-council-head", "city-council-member") and city is not None:
        word = "شهرداری" if role == "mayor" else "شورای"
        return next((e for e in bodies if e.governs == city.curie and e.label_fa.startswith(word)), None), ""
    if role == "foreign-minister":
        country = q.curie if q is not None and q.kind == "country" else ""
        note = "" if country else "The text names no country: the minister of Iran's foreign affairs, as the Persian press writes it."
        country = country or "country:iran"
        return next((e for e in bodies if e.country == country and fold_label(e).startswith("وزارت امور خارجه")), None), note
    return None, ""


def fold_label(e: Entity) -> str:
    from paradiplomacy.ingest.normalise import fold

    return fold(e.label_fa)


def _offices(doc: Document) -> list[Candidate]:
    out = []
    for s in doc.sentences:
        mentions, _ = doc.within(s.start, s.end)
        for i, pm in enumerate(mentions):
            if pm.best.kind != "person":
                continue
            # «نام، نقش …» (the role right after the name and a comma) or «نقش … نام» (right before it)
            gap = doc.text[pm.end : min(s.end, pm.end + 3)]
            nxt = mentions[i + 1] if i + 1 < len(mentions) else None
            head = doc.folded(pm.end, min(s.end, pm.end + 50))
            after = re.match(r"\s*[،,]?\s*(" + _ROLE_WORDS.pattern + ")", head)
            if after:
                role = next((r for pat, r in ROLES if pat.match(after.group(1))), None)
                # the role phrase: up to the first name after the role word (its qualifier)
                q = nxt if nxt is not None and nxt.start - pm.end <= 60 else None
                end = q.end if q is not None else pm.end + len(gap)
            else:
                prev = mentions[i - 1] if i > 0 else None
                before = doc.folded(prev.end if prev else max(s.start, pm.start - 40), pm.start)
                hit = re.match(r"\s*(" + _ROLE_WORDS.pattern + r")\s*$", before)
                if not hit:
                    hit2 = re.search(r"(" + _ROLE_WORDS.pattern + r")\s*$", before)
                    if not hit2 or prev is None:
                        continue
                role = next((r for pat, r in ROLES if pat.match((hit or hit2).group(1))), None)
                q = prev if prev is not None and pm.start - prev.end <= 40 else None
                end = pm.end
            if role is None:
                continue
            org, note = _org_of_role(doc, role, q)
            if org is None or org == pm.best:
                continue
            a = min(pm.start, q.start) if q is not None else pm.start
            values = {"id": slug(pm.best.curie, org.curie or org.label_en, role), "holder": party(pm.best),
                      "organization": party(org), "role": role, "comment_en": note,
                      "label_en": f"{pm.best.label_en}, {role.replace('-', ' ')} ({org.label_en})",
                      "label_fa": f"{pm.best.label_fa}، {org.label_fa}"}
            out.append(Candidate("offices", values, doc.text[a:end], a, end, s.locator, "office-role",
                                 0.7, {"parties": {party(pm.best), party(org)}}))
    return out
