"""Memberships of cities and bodies in networks, and offices held in bodies (W3C ORG).

- ``membership-table-row``: a table row about an Iranian city (the paper's Table 1) whose cell
  lists «- عضو …» items: the city is a member of each body named in such an item;
- ``membership-table-list``: a table row whose last cell names one body and whose member cell is
  a list of Iranian cities («تهران، اصفهان، … و اهواز», the paper's Table 4);
- ``membership-sentence``: «عضو» / «عضویت» / «پیوستن» with a body in the same sentence; the member
  is the city (or the body) named just before it;
- ``office-as``: «<person> … به عنوان <role> <body>» (elected or acting as): the person named last
  before it holds the role in the body named after it, or in the body named before «این اتحادیه»;
- ``office-table-row``: a table with a «رئیس دولت» (head of government) column: the person of that
  cell held the office in the period of the row's first cell («۱۹۸۹-۱۹۹۷», «۲۰۱۳ تا کنون»);
- ``office-role``: a known person beside a role (شهردار تهران, رئیس مجلس, نماینده پارلمان
  آذربایجان, دبیرکل …): the office of that role in the body the role names, or — for a mayor or a
  council — the body that governs the city named (``pd:governs``).
"""

from __future__ import annotations

import re
from itertools import pairwise

from paradiplomacy.ingest.candidates import Candidate, slug
from paradiplomacy.ingest.figures import _nidx
from paradiplomacy.ingest.gazetteer import Entity, Mention
from paradiplomacy.ingest.normalise import pattern
from paradiplomacy.ingest.relations import _city, party, table_rows
from paradiplomacy.ingest.text import Document

_MEMBER = re.compile(r"عضو|پیوستن|پیوست|ملحق")
#: folded role words → role concept (concept:role-…); the first that matches wins
ROLES = (
    (pattern(r"نایب ?رئیس"), "vice-president"),
    (pattern(r"دبیر ?کل"), "secretary-general"),
    (pattern(r"معاون وزیر"), "deputy-minister"),
    (pattern(r"معاون امور بین ?الملل"), "deputy-for-international-affairs"),
    (pattern(r"رئیس شورای (?:اسلامی )?شهر"), "city-council-head"),
    (pattern(r"عضو شورای (?:اسلامی )?شهر|اعضای شورای (?:اسلامی )?شهر"), "city-council-member"),
    (pattern(r"عضو کمیسیون|اعضای کمیسیون"), "committee-member"),
    (pattern(r"رئیس مجلس|رئیس قوه مقننه"), "speaker-of-parliament"),
    (pattern(r"نماینده (?:مجلس|پارلمان)|نمایندگان (?:مجلس|پارلمان)"), "member-of-parliament"),
    (pattern(r"وزیر (?:امور )?خارجه"), "foreign-minister"),
    (pattern(r"شهردار(?!ی)"), "mayor"),
    (pattern(r"رئیس ?جمهور"), "head-of-state"),
    (pattern(r"رئیس"), "president"),
)
_ROLE_WORDS = re.compile("|".join(p.pattern for p, _ in ROLES))


def _membership(member: Entity, org: Entity, year: str) -> dict[str, str]:
    return {"id": slug(member.curie or member.label_en, org.curie or org.label_en), "member": party(member),
            "organization": party(org), "role": "member", "year": year,
            "label_en": f"{member.label_en}'s membership of {org.label_en}",
            "label_fa": f"عضویت {member.label_fa} در {org.label_fa}"}


def find_memberships(doc: Document) -> list[Candidate]:
    return [*_table_memberships(doc), *_table_lists(doc), *_sentences(doc), *_offices(doc), *_offices_as(doc), *_office_table(doc)]


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
            rest = re.sub(r"[\s،,و^\d۰-۹{}]", "", "".join(doc.text[x.end : y.start] for x, y in pairwise(ms)))
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


def _org_of_role(doc: Document, role: str, qualifier: Mention | None, ministry: str = "") -> tuple[Entity | None, str]:
    """The body a role belongs to, from the name that qualifies it, and a note when it is inferred."""
    q = qualifier.best if qualifier is not None else None
    if q is not None and q.kind == "body":
        return q, ""
    bodies = doc.gazetteer.bodies()
    city = _city(qualifier) if qualifier is not None else None
    if role in ("mayor", "city-council-head", "city-council-member") and city is not None:
        word = "شهرداری" if role == "mayor" else "شورای"
        return next((e for e in bodies if e.governs == city.curie and e.label_fa.startswith(word)), None), ""
    if role == "deputy-minister" and q is not None and q.kind == "country" and ministry:
        # «معاون وزیر دادگستری آذربایجان»: the ministry of that word in that country
        return next((e for e in bodies if e.country == q.curie and fold_label(e).startswith("وزارت " + ministry)), None), ""
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
            nxt = mentions[i + 1] if i + 1 < len(mentions) else None
            n0 = _nidx(doc, pm.end)
            head = doc.norm.text[n0 : _nidx(doc, min(s.end, pm.end + 50))]
            after = re.match(r"\s*[،,]?\s*(?:از )?(" + _ROLE_WORDS.pattern + ")", head)
            ministry = ""
            if after:
                role = next((r for pat, r in ROLES if pat.match(after.group(1))), None)
                # the role phrase: up to the first name after the role word (its qualifier), which
                # must follow it at once or after one word («معاون وزیر دادگستری آذربایجان»): a name
                # further on is another clause («وزیر امور خارجه … راهی مصر»)
                q = nxt if nxt is not None and nxt.start - pm.end <= 60 else None
                if q is not None:
                    rest = doc.norm.text[n0 + after.end() : _nidx(doc, q.start)].split()
                    if len(rest) > 1:
                        q = None
                    elif rest:
                        ministry = rest[0]
                end = q.end if q is not None else doc.norm.span(n0, n0 + after.end())[1]  # the role words
            else:
                prev = mentions[i - 1] if i > 0 else None
                before = doc.folded(prev.end if prev else max(s.start, pm.start - 40), pm.start)
                hit = re.match(r"\s*(" + _ROLE_WORDS.pattern + r")\s*$", before)
                if hit is None:
                    # other words before the role: only where the previous name bounds the look-back
                    hit = re.search(r"(" + _ROLE_WORDS.pattern + r")\s*$", before)
                    if hit is None or prev is None:
                        continue
                role = next((r for pat, r in ROLES if pat.match(hit.group(1))), None)
                q = prev if prev is not None and pm.start - prev.end <= 40 else None
                end = pm.end
            if role is None:
                continue
            org, note = _org_of_role(doc, role, q, ministry)
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


#: «… به عنوان نایب رئیس اتحادیه …» / «… به عنوان رئیس این اتحادیه»: an office named after its holder
_AS_ROLE = pattern(r"به ?عنوان (" + _ROLE_WORDS.pattern + r")(?: (?:این|آن) (?:اتحادیه|سازمان|مجمع|شبکه|نهاد))?")


def _offices_as(doc: Document) -> list[Candidate]:
    """``office-as``: the person named last before «به عنوان <role>» holds that role in the body named
    right after it, or — «این اتحادیه» (this union) — in the body named last before it."""
    out = []
    for m in _AS_ROLE.finditer(doc.norm.text):
        a, b = doc.norm.span(m.start(), m.end())
        s = next((s for s in doc.sentences if s.start <= a < s.end), None)
        if s is None:
            continue
        mentions, _ = doc.within(s.start, s.end)
        holder = next((x for x in reversed(mentions) if x.end <= a and x.best.kind == "person"), None)
        if holder is None:
            continue
        if m.end() > m.end(1):  # «این اتحادیه»: the body named before
            org = next((x for x in reversed(mentions) if x.end <= a and x.best.kind == "body"), None)
            end = b
        else:
            org = next((x for x in mentions if b <= x.start <= b + 2 and x.best.kind == "body"), None)
            end = org.end if org is not None else b
        role = next((r for pat, r in ROLES if pat.match(m.group(1))), None)
        if org is None or role is None:
            continue
        e = org.best
        values = {"id": slug(holder.best.curie, e.curie or e.label_en, role), "holder": party(holder.best),
                  "organization": party(e), "role": role, "comment_en": "",
                  "label_en": f"{holder.best.label_en}, {role.replace('-', ' ')} ({e.label_en})",
                  "label_fa": f"{holder.best.label_fa}، {e.label_fa}"}
        out.append(Candidate("offices", values, doc.text[holder.start : end], holder.start, end, s.locator, "office-as",
                             0.65, {"parties": {party(holder.best), party(e)}}))
    return out


_HEAD_OF_GOVERNMENT = pattern(r"رئیس دولت")
_PERIOD = re.compile(r"^\s*(\d{4})\s*(?:-\s*(\d{4})|تا کنون)\s*$")


def _office_table(doc: Document) -> list[Candidate]:
    out: list[Candidate] = []
    government = next((e for e in doc.gazetteer.lookup("دولت ایران") if e.kind == "body"), None)
    pos, column = 0, None
    for line in doc.text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        cells = line.split("\t")
        if len(cells) < 3:
            if line.strip():
                column = None  # prose: the table has ended
            continue
        heads = [i for i, c in enumerate(cells) if _HEAD_OF_GOVERNMENT.search(fold_text(c))]
        if heads:
            column = heads[0]
            continue
        if column is None or government is None or column >= len(cells):
            continue
        period = _PERIOD.match(cells[0])
        a = start + sum(len(c) + 1 for c in cells[:column])
        b = a + len(cells[column])
        person = next((m for m in doc.within(a, b)[0] if m.best.kind == "person"), None)
        if period is None or person is None:
            continue
        first, last = int(period.group(1)), int(period.group(2)) if period.group(2) else None
        p = person.best
        values = {"id": slug(p.curie, government.curie, "head-of-government"), "holder": party(p),
                  "organization": party(government), "role": "head-of-government",
                  "start": f"{first}-01-01", "end": f"{last}-12-31" if last else "", "precision": "year",
                  "date_as_written": cells[0].strip(),
                  "comment_en": "The table prints the period in Gregorian years only: year-precise.",
                  "label_en": f"{p.label_en}, head of government ({cells[0].strip()})", "label_fa": f"{p.label_fa}، رئیس دولت ({cells[0].strip()})"}
        out.append(Candidate("offices", values, doc.text[start:b], start, b, f"line {doc.line_of(start)}, table row",
                             "office-table-row", 0.7, {"parties": {party(p), party(government)}}))
    return out


def fold_text(text: str) -> str:
    from paradiplomacy.ingest.normalise import fold

    return fold(text)
