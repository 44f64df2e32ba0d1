"""Memberships of cities and bodies in networks, and offices held in them (W3C ORG).

``membership-sentence``: «عضو» / «عضویت» / «پیوستن» with a body in the same sentence; the member is
the city (or body) named before it, in the sentence or, in a table row, at the start of the row.
``office-sentence``: a person named beside a role word (رئیس, نایب رئیس, معاون, دبیر کل) and a body.
"""

from __future__ import annotations

import re

from .candidates import Candidate, slug
from .relations import party
from .text import Document

_MEMBER = re.compile(r"عضو|پیوستن|پیوست|ملحق")
_ROLES = (  # folded role word → role slug; longest first
    (re.compile(r"نایب ?رئیس"), "vice-president"),
    (re.compile(r"دبیر ?کل"), "secretary-general"),
    (re.compile(r"رئیس|ریاست"), "president"),
    (re.compile(r"معاون وزیر"), "deputy-minister"),
)


def find_memberships(doc: Document) -> list[Candidate]:
    out: list[Candidate] = []
    for s in doc.sentences:
        folded = doc.folded(s.start, s.end)
        mentions, dates = doc.within(s.start, s.end)
        bodies = [m for m in mentions if m.best.kind == "body"]
        if not bodies:
            continue
        year = next((d.iso[:4] for d in dates), "")
        if _MEMBER.search(folded):
            members = [m for m in mentions if m.best.kind in ("city", "body") and m.start < bodies[-1].start and m not in bodies[-1:]]
            for org in bodies:
                member = next((m for m in reversed(members) if m.start < org.start and m.best is not org.best), None)
                if member is None:
                    continue
                values = {"id": slug(member.best.curie or member.best.label_en, org.best.curie or org.best.label_en),
                          "member": party(member.best), "organization": party(org.best), "role": "member", "year": year,
                          "label_en": f"{member.best.label_en} in {org.best.label_en}",
                          "label_fa": f"عضویت {member.best.label_fa} در {org.best.label_fa}"}
                out.append(Candidate("memberships", values, doc.text[s.start : s.end], s.start, s.end, s.locator,
                                     "membership-sentence", 0.6, {"parties": {party(member.best), party(org.best)}}))
        for pm in (m for m in mentions if m.best.kind == "person"):
            near = doc.folded(max(s.start, pm.start - 40), min(s.end, pm.end + 40))
            role = next((r for pat, r in _ROLES if pat.search(near)), None)
            org = min(bodies, key=lambda b: abs(b.start - pm.start))
            if role is None or abs(org.start - pm.start) > 80:
                continue
            values = {"id": slug(pm.best.curie or pm.best.label_en, org.best.curie or org.best.label_en, role),
                      "holder": party(pm.best), "organization": party(org.best), "role": role,
                      "label_en": f"{pm.best.label_en}, {role.replace('-', ' ')} of {org.best.label_en}",
                      "label_fa": f"{pm.best.label_fa}، {doc.text[org.start:org.end]}"}
            out.append(Candidate("offices", values, doc.text[s.start : s.end], s.start, s.end, s.locator,
                                 "office-sentence", 0.5, {"parties": {party(pm.best), party(org.best)}}))
    return out
