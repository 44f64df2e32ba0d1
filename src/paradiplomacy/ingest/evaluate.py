"""The tool on the five seed texts, against the curated graph as gold standard.

The gold is read with SPARQL from the built graph (``build/paradiplomacy.nq`` plus
``build/ontology.ttl``): relations and events reach their parties through ``pd:party`` and its
sub-properties (declared in the ontology), and their document through ``pd:evidence`` /
``pd:sourceDocument`` — never through file names, so the queries survive the change of layout.

A candidate matches a gold fact of the same document when the kinds agree, the parties overlap
(relations: the same two parties), and the dates agree at the precision given (relations: the
same year where both give one — for Table 1 the year must agree, printed or absent; events: the intervals overlap where the gold is dated; an
undated candidate never matches a dated fact). Each gold fact is matched at most once.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TypedDict

import pyoxigraph as ox

from paradiplomacy.ingest.candidates import Candidate
from paradiplomacy.ingest.gazetteer import Gazetteer
from paradiplomacy.ingest.pipeline import Meta, extract, read_input
from paradiplomacy.project import Project, ProjectError
from paradiplomacy.rdf.solutions import select

_ID = "https://w3id.org/paradiplomacy/id/"
_PREFIXES = """PREFIX pd: <https://w3id.org/paradiplomacy/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX time: <http://www.w3.org/2006/time#>
"""
#: gold class → the candidate kinds that may match it
RELATION_KINDS = {"SisterCityAgreement": "sister-city", "CooperationMoU": "mou", "ExecutiveDocument": "executive-document",
                  "CooperationProgramme": "programme"}
EVENT_KINDS = {"Trip": {"trip"}, "Meeting": {"meeting"}, "Summit": {"summit", "general-assembly"},
               "GeneralAssembly": {"general-assembly", "summit"}, "Signing": {"signing"},
               "HostedEvent": {"visit-received", "summit"}, "AwardCeremony": {"summit", "visit-received"}}

GOLD_RELATIONS = _PREFIXES + """
SELECT ?doc ?rel ?cls ?party ?year ?start ?status WHERE {
  ?rel pd:evidence/pd:sourceDocument ?doc ; a ?cls ; ?p ?party .
  ?p rdfs:subPropertyOf* pd:party .
  ?cls rdfs:subClassOf* pd:BilateralRelation .
  OPTIONAL { ?rel pd:year ?year } OPTIONAL { ?rel schema:startDate ?start }
  OPTIONAL { ?rel pd:relationStatus ?status }
}"""
GOLD_EVENTS = _PREFIXES + """
SELECT ?doc ?ev ?cls ?party ?start ?end ?year ?precision WHERE {
  ?ev pd:evidence/pd:sourceDocument ?doc ; a ?cls .
  ?cls rdfs:subClassOf* pd:Event .
  OPTIONAL { VALUES ?p { pd:traveller pd:participant pd:destination pd:location pd:host pd:organizer }
             ?ev ?p ?party }
  OPTIONAL { ?ev schema:startDate ?start } OPTIONAL { ?ev schema:endDate ?end }
  OPTIONAL { ?ev pd:year ?year } OPTIONAL { ?ev pd:datePrecision ?precision }
}"""
GOLD_MEMBERS = _PREFIXES + """PREFIX org: <http://www.w3.org/ns/org#>
SELECT ?doc ?m ?member ?org ?person WHERE {
  ?m pd:evidence/pd:sourceDocument ?doc ; org:member ?member ; org:organization ?org .
  BIND(EXISTS { ?member a pd:Person } AS ?person)
}"""
GOLD_FIGURES = _PREFIXES + """
SELECT ?doc ?c ?v WHERE { ?c pd:reportedValue ?v ; pd:evidence/pd:sourceDocument ?doc }"""
GOLD_DOCS = _PREFIXES + """
SELECT ?doc ?seed ?published ?cls WHERE {
  ?doc pd:seedFile ?seed ; a ?cls .
  OPTIONAL { ?doc pd:latestPublicationDate ?published }
}"""


def curie(iri: str) -> str:
    return iri[len(_ID) :].replace("/", ":", 1) if iri.startswith(_ID) else iri


class GoldDocument(TypedDict):
    seed: str  # the seed file's name
    published: str  # pd:latestPublicationDate, "" where the graph gives none
    cls: set[str]  # the local names of its classes


@dataclass
class Gold:
    doc: str
    ident: str
    kind: str
    parties: set[str] = field(default_factory=set)
    year: str = ""
    interval: tuple[date, date] | None = None
    status: str = ""  # a relation's status, short (signed, planned, …)


def load_gold(project: Project) -> tuple[dict[str, GoldDocument], list[Gold], list[Gold], list[Gold], list[Gold]]:
    """The seed documents, and the gold relations, events, memberships and offices, and figures."""
    nq = project.build_dir / "paradiplomacy.nq"
    onto = project.build_dir / "ontology.ttl"
    if not nq.is_file() or not onto.is_file():
        raise ProjectError(f"{nq}: the built graph is missing; run `make run` (or `pdkg build`) first")
    store = ox.Store()
    store.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
    store.bulk_load(path=str(onto), format=ox.RdfFormat.TURTLE, to_graph=ox.DefaultGraph())
    docs: dict[str, GoldDocument] = {}
    for r in select(store, GOLD_DOCS):
        d = docs.setdefault(curie(r["doc"].value), {"seed": r["seed"].value, "published": "", "cls": set()})
        d["cls"].add(r["cls"].value.rpartition("#")[2])
        if r["published"] is not None:
            d["published"] = r["published"].value
    relations: dict[tuple[str, str], Gold] = {}
    for r in select(store, GOLD_RELATIONS):
        cls = r["cls"].value.rpartition("#")[2]
        if cls not in RELATION_KINDS:
            continue
        g = relations.setdefault((r["doc"].value, r["rel"].value), Gold(curie(r["doc"].value), curie(r["rel"].value), RELATION_KINDS[cls]))
        g.parties.add(curie(r["party"].value))
        if r["year"] is not None:
            g.year = r["year"].value[:4]
        if r["status"] is not None:
            g.status = r["status"].value.rpartition("/relation-status-")[2]
    events: dict[tuple[str, str], Gold] = {}
    for r in select(store, GOLD_EVENTS):
        cls = r["cls"].value.rpartition("#")[2]
        if cls not in EVENT_KINDS:
            continue
        g = events.setdefault((r["doc"].value, r["ev"].value), Gold(curie(r["doc"].value), curie(r["ev"].value), cls))
        if r["party"] is not None:
            g.parties.add(curie(r["party"].value))
        g.interval = _interval(r) or g.interval
    members: dict[tuple[str, str], Gold] = {}
    for r in select(store, GOLD_MEMBERS):
        kind = "offices" if r["person"].value == "true" else "memberships"
        g = members.setdefault((r["doc"].value, r["m"].value), Gold(curie(r["doc"].value), curie(r["m"].value), kind))
        g.parties |= {curie(r["member"].value), curie(r["org"].value)}
    figures: dict[tuple[str, str], Gold] = {}
    for r in select(store, GOLD_FIGURES):
        g = figures.setdefault((r["doc"].value, r["c"].value), Gold(curie(r["doc"].value), curie(r["c"].value), "figure"))
        g.year = str(float(r["v"].value))  # the value, compared as a number
    return (docs, sorted(relations.values(), key=lambda g: g.ident), sorted(events.values(), key=lambda g: g.ident),
            sorted(members.values(), key=lambda g: g.ident), sorted(figures.values(), key=lambda g: g.ident))


def _interval(r: ox.QuerySolution) -> tuple[date, date] | None:
    precision = r["precision"].value.rpartition("#")[2] if r["precision"] is not None else "unitDay"
    if r["start"] is not None:
        a = date.fromisoformat(r["start"].value[:10])
        if r["end"] is not None:
            return a, date.fromisoformat(r["end"].value[:10])
        if precision == "unitMonth":
            nxt = date(a.year + (a.month == 12), a.month % 12 + 1, 1)
            return a, nxt - timedelta(days=1)
        if precision == "unitYear":
            return a, date(a.year, 12, 31) if a.month == 1 else a + timedelta(days=365)
        return a, a
    if r["year"] is not None:
        y = int(r["year"].value[:4])
        return date(y, 1, 1), date(y, 12, 31)
    return None


def _relation_match(c: Candidate, g: Gold) -> bool:
    """Kind and parties agree, and the year where the candidate gives one (a news text often gives none,
    while the graph has the year from another document)."""
    return (c.values["kind"] == g.kind and {c.values["party_a"], c.values["party_b"]} == g.parties
            and (not g.year or not c.values["year"] or c.values["year"] == g.year))


def _relation_match_strict(c: Candidate, g: Gold) -> bool:
    """Table 1's target: kind, parties and the year (printed or not) all agree."""
    return (c.values["kind"] == g.kind and {c.values["party_a"], c.values["party_b"]} == g.parties
            and c.values["year"] == g.year)


def _member_match(c: Candidate, g: Gold) -> bool:
    """Member (or holder) and organization agree; the role is not compared."""
    return c.meta["parties"] == g.parties


def _event_match(c: Candidate, g: Gold) -> bool:
    if c.values["kind"] not in EVENT_KINDS[g.kind] or not (c.meta["parties"] & g.parties):
        return False
    if g.interval is None:
        return True
    dates = c.meta.get("dates") or []
    if not dates:
        return False
    a, b = dates[0].interval
    return a <= g.interval[1] and g.interval[0] <= b


def _score(cands: list[Candidate], gold: list[Gold], match: Callable[[Candidate, Gold], bool]) -> dict[str, object]:
    free = list(gold)
    hits: list[tuple[str, str]] = []
    statuses = [0, 0]  # of the matched facts with a status in the graph: how many the candidate gives right
    wrong: list[Candidate] = []
    for c in sorted(cands, key=lambda c: -c.confidence):
        # the free gold fact sharing most parties (a meeting's candidate should not take another meeting)
        fits = [g for g in free if match(c, g)]
        g = max(fits, key=lambda g: (len(c.meta.get("parties", set()) & g.parties), g.ident == c.values.get("id")), default=None)
        if g is None:
            wrong.append(c)
        else:
            free.remove(g)
            hits.append((c.values["id"], g.ident))
            c.meta["gold"] = g.ident
            if g.status:
                statuses[0] += c.values.get("status") == g.status
                statuses[1] += 1
    n, m = len(gold), len(cands)
    return {"gold": n, "candidates": m, "matched": len(hits),
            "recall": round(len(hits) / n, 3) if n else None, "precision": round(len(hits) / m, 3) if m else None,
            "status_agrees": statuses,
            "not_found": sorted(g.ident for g in free),
            "unmatched_candidates": sorted(f"{c.values['id']} ({c.rule}, {c.locator})" for c in wrong)}


def evaluate(project: Project | None = None, gazetteer: Gazetteer | None = None, keep: bool = False) -> dict:
    """The report; ``keep`` adds each document's candidates (``_candidates``, not written to JSON)."""
    project = project or Project.locate()
    docs, relations, events, members, figures = load_gold(project)
    gazetteer = gazetteer or Gazetteer.load()
    report: dict = {"documents": {}, "totals": {}}
    table1 = _table1(project)
    for doc_curie, info in sorted(docs.items()):
        path = project.seeds_dir / info["seed"]
        if not path.is_file():
            raise ProjectError(f"{path}: seed text missing (set $PDKG_SEEDS)")
        text, meta = read_input(path, Meta(doc_id=doc_curie.split(":")[1], published=info["published"]))
        cands = extract(text, meta, gazetteer)
        spans_ok = sum(text[c.start : c.end] == c.quote for c in cands)
        rel_c = [c for c in cands if c.table == "relations"]
        ev_c = [c for c in cands if c.table == "events"]
        rel_g = [g for g in relations if g.doc == doc_curie]
        ev_g = [g for g in events if g.doc == doc_curie]
        entry: dict[str, object] = {
            "seed": info["seed"], "published": info["published"],
            "candidates": {t: sum(c.table == t for c in cands) for t in sorted({c.table for c in cands})},
            "quotes_exact": f"{spans_ok}/{len(cands)}",
            "relations": _score(rel_c, rel_g, _relation_match),
            "relations_table": _score([c for c in rel_c if c.rule == "relation-table-row"],
                                      [g for g in rel_g if g.ident in table1], _relation_match_strict),
            "events_dated": _score([c for c in ev_c if c.meta.get("dates")], [g for g in ev_g if g.interval is not None], _event_match),
            "events_all": _score(ev_c, ev_g, _event_match),
            "memberships": _score([c for c in cands if c.table == "memberships"],
                                  [g for g in members if g.doc == doc_curie and g.kind == "memberships"], _member_match),
            "offices": _score([c for c in cands if c.table == "offices"],
                              [g for g in members if g.doc == doc_curie and g.kind == "offices"], _member_match),
            "figures": _score([c for c in cands if c.table == "figures"], [g for g in figures if g.doc == doc_curie],
                              lambda c, g: str(float(c.values["value"])) == g.year),
        }
        report["documents"][doc_curie] = entry
        if keep:
            entry["_candidates"] = cands
    news = [d for k, d in report["documents"].items() if k.split(":")[1][:3] in ("000", "001", "002", "003")]
    for what in ("relations", "events_dated", "events_all", "memberships", "offices", "figures"):
        g = sum(d[what]["gold"] for d in news)
        m = sum(d[what]["candidates"] for d in news)
        h = sum(d[what]["matched"] for d in news)
        report["totals"][f"news {what}"] = {"gold": g, "candidates": m, "matched": h,
                                            "recall": round(h / g, 3) if g else None, "precision": round(h / m, 3) if m else None}
        if what == "relations":
            report["totals"]["news relations"]["status_agrees"] = [sum(d[what]["status_agrees"][i] for d in news) for i in (0, 1)]
    paper = next((d for k, d in report["documents"].items() if k.split(":")[1].startswith("004")), None)
    if paper:
        for what in ("memberships", "offices", "figures"):
            report["totals"][f"paper {what}"] = {k: paper[what][k] for k in ("gold", "candidates", "matched", "recall", "precision")}
        report["totals"]["paper table 1 relations"] = {k: paper["relations_table"][k]
                                                       for k in ("gold", "candidates", "matched", "recall", "precision")}
    return report


def _table1(project: Project) -> set[str]:
    """The relations whose evidence is a row of the paper's Table 1 (locator «Table 1, row …»)."""
    store = ox.Store()
    store.bulk_load(path=str(project.build_dir / "paradiplomacy.nq"), format=ox.RdfFormat.N_QUADS)
    q = _PREFIXES + 'SELECT DISTINCT ?rel WHERE { ?rel pd:evidence ?ev . ?ev pd:locator ?loc . FILTER(STRSTARTS(?loc, "Table 1, row")) }'
    return {curie(r["rel"].value) for r in select(store, q)}


def table(report: dict) -> str:
    lines = ["| document | what | gold | candidates | matched | recall | precision |", "|---|---|---|---|---|---|---|"]
    pct = lambda v: "–" if v is None else f"{100 * v:.0f} %"  # noqa: E731
    for doc, d in report["documents"].items():
        for what in ("relations", "relations_table", "events_dated", "events_all", "memberships", "offices", "figures"):
            s = d[what]
            if s["gold"] or s["candidates"]:
                lines.append(f"| {doc} | {what} | {s['gold']} | {s['candidates']} | {s['matched']} | {pct(s['recall'])} | {pct(s['precision'])} |")
    for what, s in report["totals"].items():
        lines.append(f"| **all** | {what} | {s['gold']} | {s['candidates']} | {s['matched']} | {pct(s['recall'])} | {pct(s['precision'])} |")
    status = report["totals"].get("news relations", {}).get("status_agrees")
    if status:
        lines.append(f"\nnews relations with a status in the graph: the candidate's status agrees on {status[0]} of {status[1]}")
    quotes = ", ".join(f"{k.split(':')[1][:3]} {d['quotes_exact']}" for k, d in report["documents"].items())
    return "\n".join(lines) + f"\n\nquotes that are exact spans of their input: {quotes}\n"


def write(report: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
