"""Links out that the build derives, each in a named graph of its own.

- ISO 3166: every country's pd:iso3166Alpha2 code (pycountry's data, in places.ttl) becomes a
  typed link, pd:iso3166Entry, to the code's entry in ISO's Online Browsing Platform.
- Wikidata: only from the dated crosswalk data/crosswalk/wikidata-geonames.csv, which a maintainer
  produces by running ``pdkg crosswalk-query`` (Wikidata items by GeoNames ID, property P1566) on
  Wikidata's public query service; each row links the place whose pd:geonamesId it names to its
  item with skos:exactMatch. No QID is ever typed in by hand, and nothing is fetched at build time.
  The file ships with its header only (see data/crosswalk/README.md).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from paradiplomacy.namespaces import DATA_GRAPHS, GRAPH, PD, WD
from paradiplomacy.project import Project
from paradiplomacy.rdf.load import SourceError

CROSSWALK = "data/crosswalk/wikidata-geonames.csv"
COLUMNS = ("geonames_id", "wikidata", "label", "retrieved")
ISO_GRAPH = URIRef(f"{GRAPH}links/iso3166")
WIKIDATA_GRAPH = URIRef(f"{GRAPH}links/wikidata")
ISO_ENTRY = "https://www.iso.org/obp/ui/#iso:code:3166:"  # ISO's Online Browsing Platform, by alpha-2 code
_QID = re.compile(r"^(?:http://www\.wikidata\.org/entity/)?(Q[1-9][0-9]*)$")
_GEONAMES_ID = re.compile(r"^[1-9][0-9]*$")


class CrosswalkError(SourceError):
    """A crosswalk row that cannot be used: names the file, row (its line), column and value."""

    def __init__(self, path: str, row: int, column: str, value: str, reason: str):
        self.column, self.value = column, value
        super().__init__(path, row, f"column {column} = {value!r}: {reason}")


@dataclass(frozen=True)
class CrosswalkRow:
    line: int
    geonames_id: str
    qid: str
    label: str
    retrieved: date


def read_crosswalk(path: Path, label: str | None = None) -> list[CrosswalkRow]:
    """The rows of a crosswalk CSV (columns COLUMNS, in any order); an empty file body is fine."""
    label = label or path.as_posix()
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise SourceError(label, 1, f"the header lacks the column(s) {', '.join(missing)} "
                                            f"(expected {','.join(COLUMNS)})")
            rows = []
            for record in reader:
                line = reader.line_num
                rows.append(_row(label, line, record))
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise SourceError(label, None, f"cannot read: {err}") from None
    return rows


def _row(label: str, line: int, record: dict) -> CrosswalkRow:
    values = {c: (record.get(c) or "").strip() for c in COLUMNS}
    if not _GEONAMES_ID.match(values["geonames_id"]):
        raise CrosswalkError(label, line, "geonames_id", values["geonames_id"], "a GeoNames ID is a positive integer")
    qid = _QID.match(values["wikidata"])
    if not qid:
        raise CrosswalkError(label, line, "wikidata", values["wikidata"], "expected a Wikidata item (Q123 or its entity IRI)")
    text = values["retrieved"]
    try:
        retrieved = (datetime.fromisoformat(text.replace("Z", "+00:00")).date() if "T" in text
                     else date.fromisoformat(text))
    except ValueError:
        raise CrosswalkError(label, line, "retrieved", text, "expected the ISO date (or date-time) of the query") from None
    return CrosswalkRow(line, values["geonames_id"], qid.group(1), values["label"], retrieved)


def places_by_geonames_id(graph: Graph) -> dict[str, list[URIRef]]:
    places: dict[str, list[URIRef]] = {}
    for place, gid in graph.subject_objects(PD.geonamesId):
        if isinstance(place, URIRef):  # the places' shape: an IRI
            places.setdefault(str(gid), []).append(place)
    return {gid: sorted(p) for gid, p in places.items()}


def crosswalk_triples(rows: list[CrosswalkRow], graph: Graph, label: str = CROSSWALK) -> set:
    """skos:exactMatch from each place with the row's GeoNames ID to the row's item; a row whose
    GeoNames ID no place has is refused (a stale crosswalk is redone, not half used)."""
    places = places_by_geonames_id(graph)
    triples = set()
    for row in rows:
        if row.geonames_id not in places:
            raise CrosswalkError(label, row.line, "geonames_id", row.geonames_id, "no place of the graph has this pd:geonamesId")
        for place in places[row.geonames_id]:
            triples.add((place, SKOS.exactMatch, WD[row.qid]))
    return triples


def iso_triples(graph: Graph) -> set:
    return {(country, PD.iso3166Entry, URIRef(ISO_ENTRY + str(code)))
            for country, code in graph.subject_objects(PD.iso3166Alpha2)}


def add_links(project: Project, dataset: Dataset) -> Dataset:
    """The two derived graphs, from the data already in ``dataset``."""
    data = Graph()
    for graph in dataset.graphs():
        if str(graph.identifier).startswith(DATA_GRAPHS):
            for triple in graph.triples((None, PD.iso3166Alpha2, None)):
                data.add(triple)
            for triple in graph.triples((None, PD.geonamesId, None)):
                data.add(triple)
    named = dataset.graph(ISO_GRAPH)
    for triple in sorted(iso_triples(data)):
        named.add(triple)
    path = project.root / CROSSWALK
    if path.is_file():
        rows = read_crosswalk(path, CROSSWALK)
        if rows:
            named = dataset.graph(WIKIDATA_GRAPH)
            for triple in sorted(crosswalk_triples(rows, data)):
                named.add(triple)
    return dataset


CROSSWALK_QUERY = """# The Wikidata items of the graph's places, by GeoNames ID (Wikidata property P1566).
# Run on https://query.wikidata.org/ (or POST to https://query.wikidata.org/sparql with a
# User-Agent naming you), download the result as CSV and save it as {path}.
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
SELECT ?geonames_id ?wikidata ?label ?retrieved WHERE {{
  VALUES ?geonames_id {{
{values}
  }}
  ?wikidata wdt:P1566 ?geonames_id .
  OPTIONAL {{ ?wikidata rdfs:label ?label . FILTER (LANG(?label) = "en") }}
  BIND (NOW() AS ?retrieved)
}}
ORDER BY xsd:integer(?geonames_id) ?wikidata
"""


def crosswalk_query(graph: Graph) -> str:
    """The query a maintainer runs on Wikidata's service to (re)make the crosswalk; the GeoNames
    IDs are bound as literals of the graph, never pasted from anywhere else."""
    ids = sorted(places_by_geonames_id(graph), key=int)
    values = "\n".join("    " + Literal(gid).n3() for gid in ids)
    return CROSSWALK_QUERY.format(path=CROSSWALK, values=values)
