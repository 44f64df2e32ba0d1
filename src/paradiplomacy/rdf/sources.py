"""Load ``data/``: the reference data (Turtle and ``places.csv``) into one named graph, and each
source folder ``data/sources/<doc-id>/`` (``source.ttl``, Turtle for the irregular facts, CSV
tables for the regular ones) into the graph of its document.

Turtle is read first, then every table, then the cells that name entities are checked against
all of it, so a row may cite anything in ``data/``. Every bad cell of every file is reported in
one :class:`TableError`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS

from paradiplomacy.namespaces import INSTANCE, PD, REFERENCE_GRAPH, source_graph
from paradiplomacy.project import Project, ProjectError
from paradiplomacy.rdf.cache import BuildCache
from paradiplomacy.rdf.load import parse_turtle
from paradiplomacy.rdf.mapping import PLACES, SOURCE_TABLES
from paradiplomacy.rdf.places import PlaceReader, iso2_index
from paradiplomacy.rdf.tables import CellError, Row, RowReader, SourceContext, TableError, check_references, derive_labels, read_table

TABLE_FILES = {f"{t.name}.csv": t for t in SOURCE_TABLES}


@dataclass
class LoadedData:
    """The data's named graphs, and (build metadata, not IRIs) the files each came from."""

    graphs: dict[str, Graph] = field(default_factory=dict)
    files: dict[str, list[str]] = field(default_factory=dict)
    #: the IRI of each row's fact and of each quote's evidence -> file:row:column of the cell to
    #: edit (the quote's cell for evidence), for reports such as the quote check's
    where: dict[str, str] = field(default_factory=dict)


def source_folders(project: Project) -> list[Path]:
    root = project.data_dir / "sources"
    return sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []


def parts_of(graph: Graph, doc: URIRef, where: str = "") -> dict[str, tuple[str, str]]:
    """part id (dcterms:identifier) -> (English, Persian label) of each part of ``doc``; ``where``
    names the files of ``graph`` for an error."""
    parts = {}
    for part in graph.subjects(DCTERMS.isPartOf, doc):
        notation = graph.value(part, DCTERMS.identifier)
        if notation is None:
            continue
        labels = {}
        for lit in graph.objects(part, RDFS.label):
            if not isinstance(lit, Literal):
                raise ProjectError(f"{where or doc}: the part {part} has the rdfs:label {lit}, not a literal")
            labels[lit.language] = str(lit)
        parts[str(notation)] = (labels.get("en", ""), labels.get("fa", ""))
    return parts


def load_data(project: Project, cache: BuildCache | None = None) -> LoadedData:
    """``cache``: rdf/cache.py's, for the Turtle files (the tables are read every time)."""
    out = LoadedData()
    errors: list[CellError] = []
    pending: list[tuple[Graph, RowReader, list[Row]]] = []

    ref = Graph()
    ref_files = []
    for path in sorted((project.data_dir / "reference").glob("*.ttl")):
        ref += parse_turtle(path, project.relative(path), cache)
        ref_files.append(project.relative(path))
    places_path = project.data_dir / "reference" / "places.csv"
    if places_path.is_file():
        label = project.relative(places_path)
        ref_files.append(label)
        rows = read_table(places_path, label, PLACES, errors)
        places = PlaceReader(SourceContext("", None, errors=errors))
        index = iso2_index(rows)
        for row in rows:
            for t in places.triples(row, index):
                ref.add(t)
        pending.append((ref, places, []))
    out.graphs[REFERENCE_GRAPH], out.files[REFERENCE_GRAPH] = ref, ref_files

    for folder in source_folders(project):
        doc_id = folder.name
        graph, files = Graph(), []
        for path in sorted(folder.glob("*.ttl")):
            graph += parse_turtle(path, project.relative(path), cache)
            files.append(project.relative(path))
        doc = INSTANCE["doc"][doc_id]
        if (doc, None, None) not in graph:
            raise ProjectError(f"{project.relative(folder)}/source.ttl: declares no document doc:{doc_id} (the folder's name)")
        ctx = SourceContext(doc_id, doc, parts_of(graph, doc, ", ".join(files)), errors)
        reader = RowReader(ctx)
        rows = []
        for path in sorted(folder.glob("*.csv")):
            label = project.relative(path)
            table = TABLE_FILES.get(path.name)
            if table is None:
                raise ProjectError(f"{label}: not a table of a source folder ({', '.join(sorted(TABLE_FILES))})")
            rows += read_table(path, label, table, errors)
            files.append(label)
        pending.append((graph, reader, rows))
        out.graphs[source_graph(doc_id)], out.files[source_graph(doc_id)] = graph, files

    derived = []
    first: dict[str, tuple[str, int]] = {}  # row IRI -> where it was first written
    for graph, reader, rows in pending:
        for row in rows:
            iri = f"{row.table.prefix}:{row.cells.get(row.table.key, '')}"
            if iri in first:
                where = first[iri]
                reader.error(row, row.table.key, row.cells.get(row.table.key, ""), f"an id not used before ({iri} is already {where[0]}:{where[1]})")
                continue
            first[iri] = (row.path, row.number)
            triples = reader.triples(row)
            for t in triples:
                graph.add(t)
            if triples:
                out.where[str(triples[0][0])] = f"{row.path}:{row.number}:1"
            for s, p, _ in triples:
                if p == PD.quote:
                    out.where[str(s)] = f"{row.path}:{row.number}:{row.position('quote')}"
            if triples:
                derived.append((graph, row, triples[0][0], triples))
    known = {s for g in out.graphs.values() for s in g.subjects(unique=True) if isinstance(s, URIRef)}
    references = [ref for _, reader, _ in pending for ref in reader.ctx.references]
    check_references(references, known, errors)
    labels: dict[URIRef, dict[str, str]] = {}  # the first label per language, in sorted order, so templates are stable
    named: list[tuple[URIRef, Literal]] = []
    for name, g in out.graphs.items():
        for subject, lit in g.subject_objects(RDFS.label):
            if not isinstance(lit, Literal):
                raise ProjectError(f"{', '.join(out.files[name])}: {subject} has the rdfs:label {lit}, not a literal")
            if isinstance(subject, URIRef):  # an entity a row can name (a blank node it cannot)
                named.append((subject, lit))
    for subject, lit in sorted(named):
        labels.setdefault(subject, {}).setdefault(lit.language or "", str(lit))
    for graph, row, s, triples in derived:
        for t in derive_labels([(row, s, triples)], labels):
            graph.add(t)
    if errors:
        raise TableError(errors)
    return out
