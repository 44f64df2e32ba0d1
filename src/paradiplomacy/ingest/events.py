"""Trips, meetings, summits, signings and visits received: who, where, when, which track.

Two rules:

- ``event-box``: an infographic box «زمان: … مقصد: … هدف: …» (time, destination, purpose), as
  the newspaper spreads print their lists of trips: a trip to the destination on that date.
- ``event-sentence``: a sentence with an event word (سفر, دیدار, اجلاس, امضا, میزبان, …) and at
  least one foreign place, body or person — an event among Iranian actors at home is not
  paradiplomacy and gives no candidate. A trip to an Iranian city («… وارد تبریز شد», «در سفر
  به شیراز») or a welcome at home («میزبان», «استقبال») is a visit received, its host that city.

The track of diplomacy comes from the words of the sentence or box (شهردار/شورای شهر → city,
مجلس/پارلمان → parliamentary, وزیر امور خارجه → formal); empty when the text does not say.
"""

from __future__ import annotations

import re

from paradiplomacy.ingest.candidates import Candidate, slug
from paradiplomacy.ingest.dates import DateMention
from paradiplomacy.ingest.gazetteer import Entity, Mention
from paradiplomacy.ingest.normalise import pattern
from paradiplomacy.ingest.relations import party
from paradiplomacy.ingest.text import Document

#: folded event word → kind; the first that matches wins
KINDS = (
    (re.compile(r"امضا|منعقد|خواهر ?خواندگی .{0,80}انجام (?:شد|شده)"), "signing"),
    (re.compile(r"مجمع عمومی"), "general-assembly"),
    (re.compile(r"اجلاس|نشست|همایش|کنفرانس|اجتماع|سمینار|کنگره|مجمع پارلمانی|مجمع شهرداران|میزبان این رویداد"), "summit"),
    (re.compile(r"کمیسیون مشترک"), "meeting"),
    (re.compile(r"سفر|عازم|راهی|وارد فرودگاه|وارد .{0,20}شد"), "trip"),
    (re.compile(r"دیدار|ملاقات|گفت ?وگو کرد|رایزنی کرد|مذاکره کرد"), "meeting"),
    (re.compile(r"میزبان|استقبال|پذیرای|به تهران آمد|سفر .{0,30}به تهران"), "visit-received"),
)
TRACKS = (
    (pattern(r"پارلمان|مجلس|نمایندگان|رئیس مجلس"), "parliamentary-diplomacy"),
    (pattern(r"وزیر (?:امور )?خارجه|وزارت (?:امور )?خارجه|سفیر|رئیس ?جمهور"), "official-diplomacy"),
    (pattern(r"شهردار|شورای (?:اسلامی )?شهر|شهرداری|دیپلماسی شهری"), "city-diplomacy"),
)
#: «زمان: …» then «مقصد: …» and «هدف: …», each running over broken lines (a box is narrow) up to
#: the next field or «دستاوردهای ویژه»
_FIELD_END = r"(?=\n\s*(?:زمان|مقص\S*د|هدف|دستاورد\S*(?: ویژه)?)\s*:|\Z)"
_BOX = re.compile(r"زمان\s*:\s*(?P<when>[^\n]*)\n\s*مقص\S*د\s*:\s*(?P<where>.{1,160}?)" + _FIELD_END
                  + r"(?:\n\s*هدف\s*:\s*(?P<why>.{1,200}?)" + _FIELD_END + ")?", re.S)


_TRIP_TO = re.compile(r"سفر \S+ (?:\S+ ){0,4}به ")


_KIND_FA = {"trip": "سفر", "meeting": "دیدار", "summit": "اجلاس", "signing": "امضای سند", "visit-received": "میزبانی",
            "general-assembly": "مجمع عمومی"}


def _track(folded: str) -> str:
    return next((t for pat, t in TRACKS if pat.search(folded)), "")


def _foreign(e: Entity) -> bool:
    """Not Iranian: a foreign place or person, or a body of another country or of none (international)."""
    if e.kind in ("city", "country"):
        return not e.iranian
    if e.kind == "body":
        return not e.iranian
    return bool(e.country) and not e.iranian


def _event(kind: str, when: DateMention | None, people: list[Entity], places: list[Entity], bodies: list[Entity],
           track: str, purpose: str) -> dict[str, str]:
    names = [p.label_en for p in people[:1]] + [p.label_en for p in places[:2]]
    start = when.iso if when else ""
    # the loader derives start, end and precision from `date` (ISO) or `date_sh`; a range has its end
    ident = slug(start, kind, *names) or slug(kind)
    what = {"trip": "trip", "meeting": "meeting", "summit": "summit", "signing": "signing",
            "visit-received": "visit received", "general-assembly": "general assembly"}[kind]
    values = {
        "id": ident, "kind": kind, "date": start if not (when and when.end_iso) else "",
        "date_sh": when.sh if when and when.end_iso else "", "date_sh_end": when.end_sh if when else "",
        "date_as_written": when.text if when else "", "track": track, "purpose_fa": purpose,
        "label_en": f"{what.capitalize()}" + (f": {', '.join(names)}" if names else ""),
        "label_fa": " ".join([_KIND_FA[kind], *(p.label_fa for p in people[:1]),
                              *(("به " if kind == "trip" else "") + p.label_fa for p in places[:1]),
                              *(p.label_fa for p in places[1:2])]),
        "participants": " ; ".join(party(e) for e in people + bodies),
        "status": "",
        "date_inferred": "true" if when and when.inferred else "",
        "date_note": f"«{when.text}» resolved against the publication date" if when and when.inferred else "",
    }
    if kind == "trip":
        values["traveller"] = party(people[0]) if people else ""
        values["destination"] = " ; ".join(party(e) for e in places)
    else:
        values["location"] = " ; ".join(party(e) for e in places if e.kind == "city")
    return values


def find_events(doc: Document) -> list[Candidate]:
    out: list[Candidate] = []
    boxes: list[tuple[int, int]] = []
    for m in _BOX.finditer(doc.text):
        a, b = m.span()
        boxes.append((a, b))
        mentions, dates = doc.within(*m.span("where"))
        places = [e for mm in mentions if (e := mm.best).kind in ("city", "country")]
        when = next(iter(doc.within(*m.span("when"))[1]), None)
        if not places or when is None:
            continue
        head = doc.text[max(0, a - 200) : a]
        before = doc.within(max(0, a - 200), a)[0]
        people = [mm.best for mm in before if mm.best.kind == "person"][-1:]
        why = m.group("why") or ""
        track = _track(doc.folded(a - len(head), b))
        values = _event("trip", when, people, places, [], track, " ".join(why.split()))
        out.append(Candidate("events", values, doc.text[a:b], a, b, f"line {doc.line_of(a)}, infographic box",
                             "event-box", 0.85, {"parties": {party(e) for e in people + places}, "dates": [when]}))
        # «هدف: شرکت در نوزدهمین اجلاس …»: the trip's purpose is an event of its own, at the destination
        purpose = doc.folded(*m.span("why")) if m.group("why") is not None else ""
        gathering = next((k for pat, k in KINDS[1:3] if pat.search(purpose)), None)
        if gathering:
            bodies = [mm.best for mm in doc.within(m.start("why"), min(len(doc.text), m.end("why") + 120))[0] if mm.best.kind == "body"]
            sv = _event(gathering, when, [], places, bodies, track, " ".join(why.split()))
            sv["id"] = slug(when.iso, gathering, *(p.label_en for p in places[:1]))
            sv["part_of"] = ""
            out.append(Candidate("events", sv, doc.text[a:b], a, b, f"line {doc.line_of(a)}, infographic box, purpose",
                                 "event-box-purpose", 0.8,
                                 {"parties": {party(e) for e in places + bodies}, "dates": [when]}))
    for s in doc.sentences:
        if any(a <= s.start < b for a, b in boxes):
            continue
        folded = doc.folded(s.start, s.end)
        kind = next((k for pat, k in KINDS if pat.search(folded)), None)
        if kind is None:
            continue
        mentions, dates = doc.within(s.start, s.end)
        ents = [m.best for m in mentions]
        if not any(_foreign(e) for e in ents):
            continue
        people = _unique([e for e in ents if e.kind == "person"])
        places = _unique([e for e in ents if e.kind in ("city", "country") and (kind != "trip" or _foreign(e))])
        bodies = _unique([e for e in ents if e.kind == "body"])
        # «… وارد تبریز شد», «در سفر به شیراز»: foreign visitors, an Iranian city receives them
        host = _inbound(doc, s.start, mentions) if kind in ("trip", "visit-received") else None
        if host is None and kind == "visit-received":
            host = next((e for e in places if e.kind == "city" and e.iranian), None)
        if host is not None:
            kind = "visit-received"
        elif kind == "visit-received":
            kind = "meeting"  # welcomed abroad: a meeting there, not a visit received at home
        is_gathering = kind in ("summit", "general-assembly") and bool(places) and bool(dates)
        received = host is not None and any(_foreign(e) for e in places + people + bodies)
        if not people and not bodies and not is_gathering and not received and not (kind == "trip" and places and _TRIP_TO.search(folded)):
            continue  # an event needs an actor (a trip «سفر … به» a foreign place names one by its role)
        when = next((d for d in dates if d.precision == "day"), dates[0] if dates else None)
        values = _event(kind, when, people, places, bodies, _track(folded), "")
        if host is not None:  # a visit received
            values["host"] = values["location"] = party(host)
            # the visitors: named people and bodies, else the foreign city they come from (city-level actors)
            visitors = [e for e in people + bodies if _foreign(e)] or [e for e in places if e.kind == "city" and _foreign(e)]
            values["participants"] = " ; ".join(party(e) for e in _unique(visitors + people + bodies))
        conf = 0.7 if when else 0.5
        out.append(Candidate("events", values, doc.text[s.start : s.end], s.start, s.end, s.locator, "event-sentence",
                             conf, {"parties": {party(e) for e in people + places + bodies}, "dates": [when] if when else []}))
    return out


#: a trip's destination written just before an Iranian city: «به تبریز», «وارد تبریز (شد)»
_TO = re.compile(r"(?:^|\s)(?:به|وارد)\s*$")


def _inbound(doc: Document, start: int, mentions: list[Mention]) -> Entity | None:
    """The Iranian city a trip of the sentence goes to, if any: then the trip is a visit received."""
    for m in mentions:
        city = m.best
        if city.kind == "city" and city.iranian and _TO.search(doc.folded(start, m.start)):
            return city
    return None


def _unique(ents: list[Entity]) -> list[Entity]:
    seen: dict[str, Entity] = {}
    for e in ents:
        seen.setdefault(party(e), e)
    return list(seen.values())
