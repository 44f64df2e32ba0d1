"""Bulk N-Quads files: loaded straight into the Oxigraph store, never into rdflib.

A bulk file (``pdkg build --bulk FILE.nq``, the benchmark's synthetic graph) may hold millions
of quads; as rdflib terms they would cost about 3 KiB a triple (3.2 GiB at 10^6). The fast
engine parses them in Oxigraph only, and every step that needs the whole dataset takes the
bulk part from the store: SHACL and the QC run there, and the dumps are written by merging the
sources' sorted lines with the bulk graphs' lines as Oxigraph writes them, sorted in bounded
runs on disk (``write_nquads``, ``write_trig``), so no step holds a 10^7-line string.

What a bulk file may hold: quads in named graphs of its own, no blank nodes (the sources' blank
nodes get canonical labels from rdflib; Oxigraph relabels a file's blank nodes at every parse, so
a bulk blank node would make two builds of the same file differ), nothing in the default graph
or in a graph of the sources. Each is refused with a :class:`BulkError` naming the file, the
line and the value.
"""

from __future__ import annotations

import heapq
import mmap
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from paradiplomacy.project import ProjectError
from paradiplomacy.rdf.solutions import rdflib_term

#: lines per sorted run on disk while the N-Quads dump is merged (about 130 MiB of Python strings)
RUN_LINES = 500_000


class BulkError(ProjectError):
    """A bulk file that cannot be loaded: its file, line and value."""


def _line(path: Path, number: int) -> str:
    with path.open("rb") as handle:
        for n, raw in enumerate(handle, start=1):
            if n == number:
                return raw.decode("utf-8", "replace").rstrip("\r\n")
    return ""


def _shown(text: str, limit: int = 160) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")


def _first_line(path: Path, wanted) -> tuple[int, str]:
    """The first line of ``path`` whose quad satisfies ``wanted(quad)`` (only on an error path)."""
    with path.open("rb") as handle:
        for n, raw in enumerate(handle, start=1):
            text = raw.decode("utf-8", "replace").rstrip("\r\n")
            try:
                quads = list(ox.parse(raw, format=ox.RdfFormat.N_QUADS))
            except SyntaxError:
                continue
            if any(wanted(q) for q in quads):
                return n, text
    return 0, ""


def refuse_blank_nodes(path: Path) -> None:
    """A BulkError at the first blank node of ``path``: found with one memory search for ``_:``,
    each hit confirmed by parsing its line (``_:`` may also sit inside an IRI or a literal)."""
    if path.stat().st_size == 0:
        return
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        at = data.find(b"_:")
        while at >= 0:
            start = data.rfind(b"\n", 0, at) + 1
            end = data.find(b"\n", at)
            end = len(data) if end < 0 else end
            raw = data[start:end]
            try:
                quads = list(ox.parse(raw, format=ox.RdfFormat.N_QUADS))
            except SyntaxError:
                quads = []  # reported by the load, with its position
            if any(isinstance(term, ox.BlankNode) for q in quads for term in (q.subject, q.object, q.graph_name)):
                number = data[:start].count(b"\n") + 1
                raise BulkError(f"{path}:{number}: a blank node in a bulk file ({_shown(raw.decode('utf-8', 'replace'))}): "
                                "bulk quads must name their nodes with IRIs, so that two builds of the same file are identical")
            at = data.find(b"_:", end)


def load_bulk(store: ox.Store, paths: Sequence[Path], source_graphs: Mapping[str, int]) -> dict[str, Path]:
    """Load each bulk file into ``store`` (which already holds the sources: ``source_graphs``
    maps each of their named graphs to its number of triples); returns each new named graph
    with the file it came from."""
    graphs: dict[str, Path] = {}
    for path in paths:
        if not path.is_file():
            raise BulkError(f"{path}: no such bulk file")
        if path.suffix != ".nq":
            raise BulkError(f"{path}: a bulk file must be N-Quads (.nq), not {path.suffix or 'a file without a suffix'}")
        refuse_blank_nodes(path)
        before = {g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)}
        default_before = _count(store, ox.DefaultGraph())
        try:
            store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
        except SyntaxError as err:
            line = err.lineno or 0
            reason = str(err.args[0]) if err.args else str(err)
            raise BulkError(f"{path}:{line}: not N-Quads ({reason}): {_shown(_line(path, line))}") from None
        except (OSError, ValueError) as err:
            raise BulkError(f"{path}: {err}") from None
        if _count(store, ox.DefaultGraph()) != default_before:
            n, text = _first_line(path, lambda q: isinstance(q.graph_name, ox.DefaultGraph))
            raise BulkError(f"{path}:{n}: a triple in the default graph ({_shown(text)}): every bulk quad names its graph")
        for name, size in source_graphs.items():
            if _count(store, ox.NamedNode(name)) != size:
                n, text = _first_line(path, lambda q, name=name: q.graph_name == ox.NamedNode(name))
                raise BulkError(f"{path}:{n}: a quad in {name}, a graph of the sources ({_shown(text)}): "
                                "a bulk file writes only graphs of its own")
        for name in sorted({g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)} - before):
            graphs[name] = path
    return graphs


def _count(store: ox.Store, graph) -> int:
    return sum(1 for _ in store.quads_for_pattern(None, None, None, graph))


def graph_lines(store: ox.Store, graph: str) -> list[str]:
    """The triples of one named graph as sorted N-Triples lines, as Oxigraph writes them (a store
    graph is a set: no line twice)."""
    lines = (store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph)) or b"").decode("utf-8").splitlines()
    lines.sort()
    return lines


def _sorted_runs(store: ox.Store, graphs: Iterable[str], folder: str) -> list[Path]:
    """The bulk graphs' N-Quads lines in sorted runs of at most RUN_LINES lines on disk."""
    runs: list[Path] = []
    buffer: list[str] = []

    def spill() -> None:
        if buffer:
            buffer.sort()
            run = Path(folder) / f"run-{len(runs):05d}.nq"
            run.write_text("".join(buffer), encoding="utf-8")
            runs.append(run)
            buffer.clear()

    for graph in graphs:
        tail = f" <{graph}> .\n"
        for line in graph_lines(store, graph):
            buffer.append(line[:-2] + tail)  # "<s> <p> <o> ." -> "<s> <p> <o> <g> ."
            if len(buffer) >= RUN_LINES:
                spill()
    spill()
    return runs


def _distinct(lines: Iterable[str]) -> Iterator[str]:
    previous = None
    for line in lines:
        if line != previous:
            yield line
            previous = line


def write_nquads(out: IO[str], sources: str, store: ox.Store, graphs: Iterable[str]) -> None:
    """The sorted N-Quads dump: the sources' sorted lines (``sources``, build.Sources.nquads)
    merged with the bulk graphs' lines, streamed to ``out``."""
    with tempfile.TemporaryDirectory(prefix="pdkg-nq-") as folder, ExitStack() as files:
        runs = _sorted_runs(store, sorted(graphs), folder)
        streams = [files.enter_context(run.open(encoding="utf-8")) for run in runs]
        out.writelines(_distinct(heapq.merge(sources.splitlines(keepends=True), *streams)))


def write_trig(out: IO[str], sources: str, store: ox.Store, graphs: Iterable[str]) -> None:
    """The TriG dump: the sources' TriG (build.Sources.trig), then one block per bulk graph in
    IRI order, its triples as sorted N-Triples lines (valid TriG inside a graph block)."""
    out.write(sources)
    for graph in sorted(graphs):
        out.write(f"\n<{graph}> {{\n")
        out.writelines(line + "\n" for line in graph_lines(store, graph))
        out.write("}\n")


def write_dump(path: Path, writer, *args) -> Path:
    """``writer(handle, *args)`` into ``path``, through a temporary file renamed at the end."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with tmp.open("w", encoding="utf-8", newline="\n") as handle:
        writer(handle, *args)
    tmp.replace(path)
    return path


def term_samples(store: ox.Store, graphs: Iterable[str]) -> list[tuple]:
    """One (subject, predicate, object) of each kind of value each property of the bulk graphs
    takes (an IRI, a language-tagged string, a datatype), and one rdf:type triple per class, as
    rdflib terms: what rdf.serialize.json_terms needs of those graphs to give the site's JSON-LD
    keys, found in one scan by Oxigraph instead of 10^7 triples through Python."""
    names = " ".join(f"<{g}>" for g in sorted(graphs))
    if not names:
        return []
    query = f"""SELECT ?p (SAMPLE(?s) AS ?x) (SAMPLE(?o) AS ?y) WHERE {{
  VALUES ?g {{ {names} }} GRAPH ?g {{ ?s ?p ?o }}
  BIND(IF(isLiteral(?o), IF(LANG(?o) != "", "@language", STR(DATATYPE(?o))),
          IF(?p = <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>, STR(?o), "@id")) AS ?kind)
}} GROUP BY ?p ?kind"""
    solutions = store.query(query)
    assert isinstance(solutions, ox.QuerySolutions)  # a SELECT
    samples = [(rdflib_term(row["x"]), rdflib_term(row["p"]), rdflib_term(row["y"])) for row in solutions]
    return sorted(samples, key=lambda t: tuple(str(x) for x in t))

