"""Load the hand-edited sources into one rdflib Dataset, one named graph per file."""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, XSD
from rdflib.plugins.parsers.notation3 import BadSyntax

from paradiplomacy.namespaces import BASE, bind_prefixes, graph_iri
from paradiplomacy.project import Project, ProjectError
from paradiplomacy.rdf.cache import BuildCache

ONTOLOGY_IRI = URIRef(BASE + "ontology")


class SourceError(ProjectError):
    """A source file that cannot be read; names the file and, where known, the line."""

    def __init__(self, path: str, line: int | None, reason: str):
        self.path, self.line, self.reason = path, line, reason
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {reason}")


def _oxigraph_position(err: SyntaxError) -> tuple[int | None, str]:
    """Line and message of a pyoxigraph SyntaxError (it carries filename, line, column, end)."""
    line = err.args[1][1] if len(err.args) > 1 and isinstance(err.args[1], tuple) else getattr(err, "lineno", None)
    return line, str(err.args[0]) if err.args else str(err)


# Gregorian years and year-months; the other XSD types the sources use (xsd:date, integers,
# decimals, booleans, dateTime) are checked by rdflib's own converters (Literal.ill_typed).
_LEXICAL = {
    XSD.gYear: re.compile(r"-?[0-9]{4,}(Z|[+-][0-9]{2}:[0-9]{2})?"),
    XSD.gYearMonth: re.compile(r"-?[0-9]{4,}-(0[1-9]|1[0-2])(Z|[+-][0-9]{2}:[0-9]{2})?"),
}


def ill_typed(literal: Literal) -> bool:
    pattern = _LEXICAL.get(literal.datatype)
    if pattern is not None:
        return not pattern.fullmatch(str(literal))
    return bool(literal.ill_typed) and str(literal.datatype).startswith(str(XSD))


def _line_of(text: str, needle: str) -> int | None:
    at = text.find(needle)
    return text.count("\n", 0, at) + 1 if at >= 0 else None


def parse_turtle(path: Path, label: str | None = None, cache: BuildCache | None = None) -> Graph:
    """Parse one Turtle file; any fault becomes a SourceError naming the file, the line and the term.
    With a ``cache`` (rdf/cache.py), a file whose content is unchanged since it last parsed is
    read from its checked N-Triples instead.

    Oxigraph's strict parser reads the file first: it reports the right line (rdflib's count
    drifts by one line per some string literals, 2,620 reported as 2,894) and refuses what
    rdflib only warns about (an IRI with a space). rdflib then builds the graph, and every
    literal of an XSD datatype must be in that datatype's lexical space ("2025-13-45"^^xsd:date)."""
    label = label or path.as_posix()
    if cache is not None:
        return cache.graph(path, lambda: parse_turtle(path, label))
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise SourceError(label, None, f"cannot read: {err}") from None
    try:
        for _ in ox.parse(text, format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri()):
            pass
    except SyntaxError as err:
        line, why = _oxigraph_position(err)
        raise SourceError(label, line, f"Turtle syntax error: {why}") from None
    graph = Graph()
    quiet = logging.getLogger("rdflib.term")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # an ill-typed literal is reported below, without rdflib's traceback
    try:
        graph.parse(data=text, format="turtle", publicID=path.resolve().as_uri())
    except BadSyntax as err:
        raise SourceError(label, err.lines + 1, f"Turtle syntax error (line as rdflib counts it): {err._why}") from None
    except Exception as err:  # rdflib raises assorted errors for bad IRIs, literals...
        raise SourceError(label, None, f"cannot parse: {err}") from None
    finally:
        quiet.setLevel(level)
    for literal in sorted({o for o in graph.objects() if isinstance(o, Literal) and o.datatype is not None}, key=lambda o: (str(o.datatype), str(o))):
        if ill_typed(literal):
            datatype = graph.namespace_manager.normalizeUri(literal.datatype)
            raise SourceError(label, _line_of(text, f'"{literal}"^^'),
                              f"{str(literal)!r} is not a valid {datatype} (its lexical form is outside the datatype)")
    return graph


def project_version(project: Project) -> str:
    with open(project.root / "pyproject.toml", "rb") as fh:
        return tomllib.load(fh)["project"]["version"]


def stamp_version(graph: Graph, version: str) -> None:
    """Give the ontology header the one version of pyproject.toml."""
    if (ONTOLOGY_IRI, None, None) in graph:
        graph.set((ONTOLOGY_IRI, OWL.versionInfo, Literal(version)))
        graph.set((ONTOLOGY_IRI, OWL.versionIRI, URIRef(f"{ONTOLOGY_IRI}/{version}")))


def load_files(project: Project, files: Iterable[Path], dataset: Dataset | None = None,
               cache: BuildCache | None = None) -> Dataset:
    dataset = dataset if dataset is not None else bind_prefixes(Dataset())
    version = project_version(project)
    for path in files:
        rel = project.relative(path)
        graph = parse_turtle(path, rel, cache)
        stamp_version(graph, version)
        named = dataset.graph(URIRef(graph_iri(rel)))
        for triple in graph:
            named.add(triple)
    return dataset


def load_sources(project: Project, cache: BuildCache | None = None) -> tuple[Dataset, dict[str, str]]:
    """The ontology (a named graph per file), the data (a named graph for the reference data and
    one per source document, see sources.py), and the links out derived from them (links.py: ISO
    3166 entries, the Wikidata crosswalk); shapes are kept apart. With a ``cache``
    (``BuildCache.of(project)``) every unchanged Turtle source is read from the build cache.
    Beside the dataset: where each table row's subjects and each quote cell came from (IRI ->
    file:row:column), for the quote check's messages: build metadata, so kept beside the graph."""
    from paradiplomacy.rdf.links import add_links
    from paradiplomacy.rdf.sources import load_data

    dataset = load_files(project, project.ontology_files(), cache=cache)
    data = load_data(project, cache)
    for iri, graph in data.graphs.items():
        dataset.graph(URIRef(iri)).__iadd__(graph)
    return add_links(project, dataset), data.where


def load_dataset(project: Project, cache: BuildCache | None = None) -> Dataset:
    """The dataset of load_sources, without the cell map."""
    return load_sources(project, cache)[0]


def load_shapes(project: Project, cache: BuildCache | None = None) -> Graph:
    shapes = bind_prefixes(Graph())
    for path in project.shape_files():
        shapes += parse_turtle(path, project.relative(path), cache)
    return shapes


def union(dataset: Dataset, prefix: str | tuple[str, ...] = "") -> Graph:
    """One graph holding the triples of every named graph whose IRI starts with ``prefix`` (or
    one of several)."""
    merged = bind_prefixes(Graph())
    for graph in dataset.graphs():
        if str(graph.identifier).startswith(prefix) and str(graph.identifier) != "urn:x-rdflib:default":
            merged += graph
    return merged
