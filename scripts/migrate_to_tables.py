"""One-off: move data/assertions/*.ttl, data/reference/documents.ttl and places.ttl into the
folder-of-tables layout (issue 13). Kept so that the move can be re-done and read: each regular
fact becomes a row holding every value it has; then each derivable cell is emptied only if the
loader, deriving it, gives back exactly the same triples. Whatever a row cannot hold stays in
Turtle. tests/test_migration.py proves the result equals the old graph.

    git checkout d35cf99 -- data/assertions data/reference/documents.ttl data/reference/places.ttl
    rm -r data/sources data/reference/places.csv
    .venv/bin/python scripts/migrate_to_tables.py && .venv/bin/pdkg fmt

(it reads the old files and deletes them once their content is in the new layout).
"""

from __future__ import annotations

import io
import sys
from collections import defaultdict
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from paradiplomacy.mapping import EVIDENCE, FACT_TABLES, PLACES, Table
from paradiplomacy.namespaces import BIBO, INSTANCE, PD, PREFIXES, bind_prefixes
from paradiplomacy.places import PlaceReader, iso2_index
from paradiplomacy.tables import PRECISION, Row, RowReader, SourceContext, derive_labels
from paradiplomacy.formatting import format_turtle_graph, write_table

ROOT = Path(__file__).resolve().parents[1]

#: per document: part id, English label, Persian label, other locator prefixes of the same part
PARTS = {
    "000-hamshahri-1404": [
        ("infographic", "Infographic", "اینفوگرافیک", []),
        ("interview", "Interview «دیپلماسی برای خدمت» (Hamidreza Gholamzadeh on Hamshahri Internet TV)", "گفت‌وگوی «دیپلماسی برای خدمت»", []),
        ("intro", "Intro (Mohsen Tavallaei)", "مقدمه", []),
        ("lead", "Lead article «تعامل برای گره\u200cگشایی» (Alireza Ahmadi)", "سرمقاله «تعامل برای گره\u200cگشایی»", []),
        ("report", "Report «صدای مشترک تهران و کاراکاس در برابر استکبار» (Zahra Abdollahi)", "گزارش «صدای مشترک تهران و کاراکاس در برابر استکبار»",
         ["Report «صدای مشترک تهران و کاراکاس در برابر استکبار»"]),
    ],
    "001-uclg-mewa-summit-turkey": [
        ("lead", "Lead paragraph (under the headline)", "لید (زیر تیتر)", []),
        ("p1", "Paragraph 1 (first paragraph of the body)", "بند ۱", []),
        ("p2", "Paragraph 2 (the Azerbaijani delegation)", "بند ۲", []),
        ("p3", "Paragraph 3 (Salimzadeh and Badamov)", "بند ۳", []),
        ("p4", "Paragraph 4 (Ghalibaf in the Azerbaijani meeting)", "بند ۴", ["Paragraph 4 (Thursday's session of the West Asia section)"]),
        ("s-national", "Section «افزایش تعاملات ملی با دیپلماسی شهری»", "بخش «افزایش تعاملات ملی با دیپلماسی شهری»", []),
        ("s-opportunity", "Section «فرصت درخشان دیپلماسی شهری»", "بخش «فرصت درخشان دیپلماسی شهری»", []),
        ("s-palestine", "Section «پیگیری تحقق وحدت فلسطینی ها»", "بخش «پیگیری تحقق وحدت فلسطینی ها»", []),
    ],
    "002-hashemi-public-city-diplomacy": [
        ("p1", "Paragraph 1", "بند ۱", []),
        ("p2", "Paragraph 2", "بند ۲", []),
        ("p3", "Paragraph 3", "بند ۳", []),
        ("standfirst", "Standfirst under the title", "لید زیر عنوان", []),
    ],
    "003-zakerian-interview-1398": [
        ("a1", "Answer 1 (what is city diplomacy)", "پاسخ ۱", []),
        ("a2", "Answer 2", "پاسخ ۲", ["Answer 2 (can city diplomacy be realized)"]),
        ("a3", "Answer 3 (is that possible in Iran)", "پاسخ ۳", ["Answer 3"]),
        ("a4", "Answer 4 (twinnings and city diplomacy)", "پاسخ ۴", []),
        ("a5", "Answer 5 (city diplomacy reduced to twinnings?)", "پاسخ ۵", []),
        ("a6", "Answer 6 (who should realize city diplomacy)", "پاسخ ۶", []),
        ("a8", "Answer 8 (awareness of city diplomacy)", "پاسخ ۸", []),
        ("q3", "Question 3", "پرسش ۳", ["Question 3 (the interviewer's question; its first line"]),
    ],
    "004-dehshiri-khorrami-1397": [
        ("conclusion", "Conclusion (نتیجه\u200cگیری)", "نتیجه\u200cگیری", []),
        ("s1", "§1 (مفهوم شناسی دیپلماسی شهری)", "مفهوم شناسی دیپلماسی شهری", ["Section 1 (۱)"]),
        ("s2", "§2 (تحولات مفهومی دیپلماسی شهری)", "تحولات مفهومی دیپلماسی شهری", ["Section 2 (۲)"]),
        ("s4", "§4 (مبانی نظری سیاست خارجی جمهوری اسلامی ایران و تعاملات غیر دولتی)", "مبانی نظری سیاست خارجی جمهوری اسلامی ایران و تعاملات غیر دولتی", []),
        ("s5", "§5 (عملکرد سیاست خارجی کشور در حوزه دیپلماسی شهری)", "عملکرد سیاست خارجی کشور در حوزه دیپلماسی شهری", []),
        ("s5-1", "§5-1 (تحلیل تعاملات دوجانبه شهرهای ایران)", "تحلیل تعاملات دوجانبه شهرهای ایران", []),
        ("s5-2", "Section 5-2 (۲-۵)", "تحلیل تعاملات چندجانبه شهرهای ایران", ["§5-2 (تحلیل تعاملات چندجانبه شهرهای ایران)"]),
        ("t1", "Table 1", "جدول ۱", []),
        ("t2", "Table 2 (جدول شماره ۲: طبقه بندی تعاملات دوجانبه شهرهای ایران)", "جدول شماره ۲: طبقه بندی تعاملات دوجانبه شهرهای ایران", []),
        ("t3", "Table 3 (جدول شماره ۳: طبقه\u200cبندی تعاملات دوجانبه شهری با توجه به گفتمان\u200cهای سیاسی)", "جدول شماره ۳: طبقه\u200cبندی تعاملات دوجانبه شهری با توجه به گفتمان\u200cهای سیاسی", []),
        ("t4", "Table 4 (جدول شماره ۴)", "جدول شماره ۴", []),
    ],
}

TABLE_CLASSES = {t.name: set(t.classes.values()) for t in FACT_TABLES}


def part_iri(doc_id: str, part_id: str) -> URIRef:
    return INSTANCE["doc"][f"{doc_id}-part-{part_id}"]


def curie(iri) -> str:
    for prefix, ns in PREFIXES.items():
        if str(iri).startswith(ns) and prefix not in ("rdf", "rdfs", "owl", "xsd"):
            return f"{prefix}:{str(iri)[len(ns):]}"
    raise ValueError(iri)


def cell_values(graph: Graph, s, col) -> list[str] | None:
    """The cell strings for one column, or None if some value does not fit the column."""
    objs = list(graph.objects(s, col.predicate))
    if col.name in ("party_a", "party_b"):
        objs = list(graph.objects(s, PD.iranianParty if col.name == "party_a" else PD.partnerParty))
    if col.kind in ("fa", "en"):
        objs = [o for o in objs if isinstance(o, Literal) and o.language == col.kind]
    out = []
    for o in objs:
        if col.kind in ("fa", "en", "string"):
            if isinstance(o, Literal) and o.datatype is None and (o.language or None) == (None if col.kind == "string" else col.kind):
                out.append(str(o))
        elif col.kind in ("year", "date", "decimal", "integer", "boolean"):
            dt = {"year": XSD.gYear, "date": XSD.date, "decimal": XSD.decimal, "integer": XSD.integer, "boolean": XSD.boolean}[col.kind]
            if isinstance(o, Literal) and o.datatype == dt:
                out.append(str(o) if col.kind != "boolean" else ("true" if o.toPython() else "false"))
        elif col.kind == "solar-hijri":
            if isinstance(o, Literal) and o.datatype is None and not o.language:
                out.append(str(o))
        elif col.kind == "precision":
            inv = {v: k for k, v in PRECISION.items()}
            if o in inv:
                out.append(inv[o])
        elif col.kind == "concept":
            c = curie(o)
            short = "concept:" + col.concept
            out.append(c[len(short):] if c.startswith(short) else c)
        elif col.kind == "iri":
            if isinstance(o, URIRef):
                out.append(curie(o))
    return sorted(out)


def full_row(graph: Graph, table: Table, s) -> dict[str, str]:
    row = {table.key: str(s).rsplit("/", 1)[1]}
    types = set(graph.objects(s, RDF.type))
    if "kind" in table.names:
        row["kind"] = next(k for k, c in table.classes.items() if c in types)
    for col in table.columns:
        if col.predicate is None or col.kind == "evidence" or col.name in row:
            continue
        vals = cell_values(graph, s, col)
        if not vals:
            continue
        if col.multi:
            row[col.name] = " ; ".join(vals)
        elif len(vals) == 1:
            row[col.name] = vals[0]
    ev = sorted(str(o).rsplit("/", 1)[1] for o in graph.objects(s, PD.evidence))
    if ev and "evidence" in table.names:
        row["evidence"] = " ; ".join(ev)
    return row


DERIVABLE = ["label_en", "label_fa", "start", "end", "year", "precision", "locator", "country", "lat", "lon", "iso2", "iso3"]


def generate(reader, table, cells, labels, extra=None):
    row = Row(table, "x", 0, {k: v for k, v in cells.items() if v}, table.names)
    if isinstance(reader, PlaceReader):
        triples = reader.triples(row, extra)
    else:
        triples = reader.triples(row)
    if triples:
        triples += derive_labels([(row, triples[0][0], triples)], labels)
    return set(triples)


def minimise(reader, table, cells, target, labels, extra=None):
    """Empty each derivable cell whose derivation gives the same triples back."""
    for name in DERIVABLE:
        if name in table.names and cells.get(name):
            trial = dict(cells, **{name: ""})
            if generate(reader, table, trial, labels, extra) == target:
                cells = trial
    return cells


def render_csv(table: Table, rows: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    write_table(buf, table, rows)
    return buf.getvalue()


def main() -> int:
    old = Graph()
    by_file: dict[str, Graph] = {}
    for path in sorted((ROOT / "data" / "assertions").glob("*.ttl")):
        g = Graph().parse(path)
        by_file[path.stem] = g
        old += g
    reference = Graph()
    for path in sorted((ROOT / "data" / "reference").glob("*.ttl")):
        reference += Graph().parse(path)
    everything = old + reference
    labels: dict = {}
    for s, lit in sorted(everything.subject_objects(RDFS.label)):
        labels.setdefault(s, {}).setdefault(lit.language, str(lit))
    docs = sorted(PARTS)
    doc_of_file = {stem: next(d for d in docs if stem.startswith(d)) for stem in by_file}
    documents = Graph().parse(ROOT / "data" / "reference" / "documents.ttl")
    sources = ROOT / "data" / "sources"
    covered: set = set()
    report = defaultdict(int)

    for doc_id in docs:
        folder = sources / doc_id
        folder.mkdir(parents=True, exist_ok=True)
        doc = INSTANCE["doc"][doc_id]
        source = Graph()
        for t in documents.triples((doc, None, None)):
            source.add(t)
            covered.add(("documents", t))
        prefix_to_part = {}
        for part_id, en, fa, aliases in PARTS[doc_id]:
            p = part_iri(doc_id, part_id)
            source.add((p, RDF.type, BIBO.DocumentPart))
            source.add((p, DCTERMS.isPartOf, doc))
            source.add((p, DCTERMS.identifier, Literal(part_id)))
            source.add((p, RDFS.label, Literal(en, lang="en")))
            source.add((p, RDFS.label, Literal(fa, lang="fa")))
            for prefix in [en, *aliases]:
                prefix_to_part[prefix] = part_id
        parts = {pid: (en, fa) for pid, en, fa, _ in PARTS[doc_id]}
        ctx = SourceContext(doc_id, doc, parts, [])
        reader = RowReader(ctx)
        graph = Graph()
        for stem, g in by_file.items():
            if doc_of_file[stem] == doc_id:
                graph += g
        # relations with the new country-neutral parties, as the loader writes them
        target_graph = Graph()
        for s, p, o in graph:
            target_graph.add((s, PD.party if p in (PD.iranianParty, PD.partnerParty) else p, o))

        residual = set(target_graph)
        # evidence
        ev_rows = []
        for s in sorted(graph.subjects(RDF.type, PD.Evidence)):
            if graph.value(s, PD.sourceDocument) != doc:
                continue
            locator = str(graph.value(s, PD.locator))
            prefix, _, item = locator.partition(", ")
            part = prefix_to_part.get(prefix, "")
            if part and parts[part][0] != prefix:
                item = locator  # an alias: the locator stays as written
            cells = {"id": str(s).rsplit("/", 1)[1], "part": part, "item": item if part else "",
                     "quote": str(graph.value(s, PD.quote)), "locator": locator}
            target = set(target_graph.triples((s, None, None)))
            if generate(reader, EVIDENCE, cells, labels) != target:
                print("evidence does not fit:", s, file=sys.stderr)
                continue
            cells = minimise(reader, EVIDENCE, cells, target, labels)
            if cells.get("locator") and part and parts[part][0] != prefix:
                cells["item"] = ""  # the written locator says it all
                if generate(reader, EVIDENCE, cells, labels) != target:
                    cells["item"] = item
            ev_rows.append(cells)
            residual -= target
            report["evidence"] += 1
        tables_out = {"evidence": ev_rows}
        for table in FACT_TABLES:
            rows = []
            for s in sorted(set(target_graph.subjects(RDF.type, None))):
                types = set(target_graph.objects(s, RDF.type))
                if not types & TABLE_CLASSES[table.name] or len(types) != 1 or not str(s).startswith(str(INSTANCE[table.prefix])):
                    continue
                cells = full_row(graph, table, s)
                mine = set(target_graph.triples((s, None, None)))
                produced = generate(reader, table, cells, labels)
                # a value the table cannot hold exactly (a second comment, an @en date) stays in Turtle
                extra = produced - mine
                if extra:
                    for name in list(cells):
                        if name == table.key:
                            continue
                        trial = dict(cells, **{name: ""})
                        if not (generate(reader, table, trial, labels) - mine):
                            cells = trial
                    produced = generate(reader, table, cells, labels)
                    if produced - mine:
                        print("does not fit:", s, produced - mine, file=sys.stderr)
                        continue
                cells = minimise(reader, table, cells, produced, labels)
                rows.append(cells)
                residual -= produced
                report[table.name] += 1
            if rows:
                tables_out[table.name] = rows
        for name, rows in tables_out.items():
            table = EVIDENCE if name == "evidence" else next(t for t in FACT_TABLES if t.name == name)
            (folder / f"{name}.csv").write_text(render_csv(table, rows), encoding="utf-8")
        (folder / "source.ttl").write_text(format_turtle_graph(bind_prefixes(source)), encoding="utf-8")
        rest = bind_prefixes(Graph())
        for t in residual:
            rest.add(t)
        if len(rest):
            (folder / "facts.ttl").write_text(format_turtle_graph(rest), encoding="utf-8")
        report["residual triples"] += len(rest)

    # places
    places = Graph().parse(ROOT / "data" / "reference" / "places.ttl")
    place_rows = []
    subjects = sorted(set(places.subjects(RDF.type, PD.City)) | set(places.subjects(RDF.type, PD.Country)))
    pre_rows = [Row(PLACES, "x", 0, full_row(places, PLACES, s) | {"slug": curie(s)}, PLACES.names) for s in subjects]
    index = iso2_index(pre_rows)
    reader = PlaceReader(SourceContext("", None, errors=[]))
    residual = set(places)
    for s, row in zip(subjects, pre_rows):
        cells = dict(row.cells)
        wkt = places.value(URIRef(f"{s}/geometry"), URIRef("http://www.opengis.net/ont/geosparql#asWKT"))
        if wkt is not None:
            lon, lat = str(wkt)[len("POINT("):-1].split()
            cells["lat"], cells["lon"] = lat, lon
        target = set(places.triples((s, None, None))) | set(places.triples((URIRef(f"{s}/geometry"), None, None)))
        produced = generate(reader, PLACES, cells, labels, index)
        if produced - target:
            print("place does not fit:", s, produced - target, file=sys.stderr)
            continue
        cells = minimise(reader, PLACES, cells, produced, labels, index)
        place_rows.append(cells)
        residual -= produced
    (ROOT / "data" / "reference" / "places.csv").write_text(render_csv(PLACES, place_rows), encoding="utf-8")
    rest = bind_prefixes(Graph())
    for t in residual:
        rest.add(t)
    if len(rest):
        (ROOT / "data" / "reference" / "places.ttl").write_text(format_turtle_graph(rest), encoding="utf-8")
    else:
        (ROOT / "data" / "reference" / "places.ttl").unlink()
    (ROOT / "data" / "reference" / "documents.ttl").unlink()
    for path in (ROOT / "data" / "assertions").glob("*.ttl"):
        path.unlink()
    (ROOT / "data" / "assertions").rmdir()
    print(dict(report), "place rows", len(place_rows), "place residual", len(rest))
    return 0


if __name__ == "__main__":
    sys.exit(main())
