"""Load the hand-edited sources into one rdflib Dataset, one named graph per file."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL
from rdflib.plugins.parsers.notation3 import BadSyntax

from .namespaces import BASE, bind_prefixes, graph_iri
from .project import Project, ProjectError

ONTOLOGY_IRI = URIRef(BASE + "ontology")


class SourceError(ProjectError):
    """A source file that cannot be read; names the file and, where known, the line."""

    def __init__(self, path: str, line: int | None, reason: str):
        self.path, self.line, self.reason = path, line, reason
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {reason}")


def parse_turtle(path: Path, label: str | None = None) -> Graph:
    """Parse one Turtle file; a syntax error becomes a SourceError naming file and line."""
    label = label or path.as_posix()
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except BadSyntax as err:
        raise SourceError(label, err.lines + 1, f"Turtle syntax error: {err._why}") from None
    except (OSError, UnicodeDecodeError) as err:
        raise SourceError(label, None, f"cannot read: {err}") from None
    except Exception as err:  # rdflib raises assorted errors for bad IRIs, literals...
        raise SourceError(label, None, f"cannot parse: {err}") from None
    return graph


def project_version(project: Project) -> str:
    with open(project.root / "pyproject.toml", "rb") as fh:
        return tomllib.load(fh)["project"]["version"]


def stamp_version(graph: Graph, version: str) -> None:
    """Give the ontology header the one version of pyproject.toml."""
    if (ONTOLOGY_IRI, None, None) in graph:
        graph.set((ONTOLOGY_IRI, OWL.versionInfo, Literal(version)))
        graph.set((ONTOLOGY_IRI, OWL.versionIRI, URIRef(f"{ONTOLOGY_IRI}/{version}")))


def load_files(project: Project, files: Iterable[Path], dataset: Dataset | None = None) -> Dataset:
    dataset = dataset if dataset is not None else bind_prefixes(Dataset())
    version = project_version(project)
    for path in files:
        rel = project.relative(path)
        graph = parse_turtle(path, rel)
        stamp_version(graph, version)
        named = dataset.graph(URIRef(graph_iri(rel)))
        for triple in graph:
            named.add(triple)
    return dataset


def load_dataset(project: Project) -> Dataset:
    """The ontology (a named graph per file) and the data (a named graph for the reference data
    and one per source document, see sources.py); shapes are kept apart."""
    from .sources import load_data

    dataset = load_files(project, project.ontology_files())
    for iri, graph in load_data(project).graphs.items():
        dataset.graph(URIRef(iri)).__iadd__(graph)
    return dataset


def load_shapes(project: Project) -> Graph:
    shapes = bind_prefixes(Graph())
    for path in project.shape_files():
        shapes += parse_turtle(path, project.relative(path))
    return shapes


def union(dataset: Dataset, prefix: str | tuple[str, ...] = "") -> Graph:
    """One graph holding the triples of every named graph whose IRI starts with ``prefix`` (or
    one of several)."""
    merged = bind_prefixes(Graph())
    for graph in dataset.graphs():
        if str(graph.identifier).startswith(prefix) and str(graph.identifier) != "urn:x-rdflib:default":
            merged += graph
    return merged
