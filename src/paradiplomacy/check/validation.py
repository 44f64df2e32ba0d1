"""SHACL validation of the data (shapes kept out of the data graph) and its report."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyshacl
from rdflib import Dataset, Graph, Literal, Node, URIRef
from rdflib.namespace import RDF, RDFS

from paradiplomacy.check.shacl_store import validate_store
from paradiplomacy.namespaces import DATA_GRAPHS, GRAPH, SH, bind_prefixes, graph_location
from paradiplomacy.query.engine import FastStore
from paradiplomacy.rdf.load import union

SEVERITY_ORDER = {SH.Violation: 0, SH.Warning: 1, SH.Info: 2}

# pySHACL is the reference; "store" compiles the same shapes to SPARQL run in Oxigraph
# (store_validation.py), and tests/test_engines.py proves the two give the same results on the
# real data, on every fixture and on synthetic graphs.
VALIDATORS = ("pyshacl", "store")


@dataclass(frozen=True)
class Finding:
    shape: str
    focus: str
    focus_label: str
    path: str
    value: str
    message: str
    severity: str
    component: str
    files: tuple[str, ...]


@dataclass
class ValidationReport:
    conforms: bool
    findings: list[Finding]
    graph: Graph

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Violation"]

    def by_shape(self) -> dict[str, list[Finding]]:
        groups: dict[str, list[Finding]] = defaultdict(list)
        for finding in self.findings:
            groups[finding.shape].append(finding)
        return dict(sorted(groups.items()))

    def render(self) -> str:
        if not self.findings:
            return "SHACL: the data conforms (no violations, warnings or notes)."
        out = []
        for shape, findings in self.by_shape().items():
            out.append(f"{shape} ({len(findings)})")
            for f in findings:
                where = ", ".join(f.files) or "?"
                value = f" value {f.value}" if f.value else ""
                path = f" path {f.path}" if f.path else ""
                out.append(f"  [{f.severity}] {f.focus} «{f.focus_label}»{path}{value}\n    {f.message}\n    in {where}")
        counts = defaultdict(int)
        for f in self.findings:
            counts[f.severity] += 1
        out.append("SHACL: " + ", ".join(f"{n} {sev.lower()}(s)" for sev, n in sorted(counts.items())))
        return "\n".join(out)


def _short(graph: Graph, node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except Exception:
            return f"<{node}>"
    if isinstance(node, Literal):
        return repr(str(node)) + (f"@{node.language}" if node.language else "")
    return str(node)


def _label(data: Graph, node: Node) -> str:
    labels = {lit.language: str(lit) for lit in data.objects(node, RDFS.label) if isinstance(lit, Literal)}
    return labels.get("en") or labels.get("fa") or next(iter(labels.values()), "")


def _files(dataset: Dataset, focus: Node, path: Node | None) -> tuple[str, ...]:
    files = set()
    for graph in dataset.graphs():
        if (focus, path if isinstance(path, URIRef) else None, None) in graph or (focus, RDF.type, None) in graph:
            ident = str(graph.identifier)
            if ident.startswith(str(GRAPH)):
                files.add(graph_location(ident))
    return tuple(sorted(files))


def run_shacl(data: Graph | FastStore, shapes: Graph, ontology: Graph, validator: str = "pyshacl") -> tuple[bool, Graph]:
    """SHACL with the ontology mixed in, so targets reach subclass instances. ``data`` is an
    rdflib Graph, or for the store validator a FastStore that already holds the ontology."""
    if validator not in VALIDATORS:
        raise ValueError(f"unknown validator {validator!r} (validators: {', '.join(VALIDATORS)})")
    if validator == "store":
        store = data if isinstance(data, FastStore) else FastStore.from_graphs({"data": data, "ontology": ontology})
        return validate_store(store, shapes)
    conforms, results, _ = pyshacl.validate(
        data_graph=data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        advanced=True,
    )
    return conforms, results


_META_CHECKED: set[int] = set()


def check_shapes(project) -> None:
    """Validate the shapes themselves against SHACL's own shapes (shacl-shacl, shipped by pySHACL):
    a shape with ``sh:minCount "one"`` or a path that is not a path stops the build with a
    SourceError naming the file, the line and the shape, before any engine compiles it. The
    check takes about 3 s, so it runs once per process for the same shapes."""
    from pyshacl.entrypoints import meta_validate

    from paradiplomacy.rdf.load import SourceError, parse_turtle

    files = project.shape_files()
    key = hash(tuple((project.relative(path), path.read_bytes()) for path in files))
    if key in _META_CHECKED:
        return
    graphs = {project.relative(path): parse_turtle(path, project.relative(path)) for path in files}
    shapes = bind_prefixes(Graph())
    for graph in graphs.values():
        shapes += graph
    conforms, results, _ = meta_validate(shapes, inference="none")
    if conforms:
        _META_CHECKED.add(key)
        return
    problems = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        message = results.value(result, SH.resultMessage)
        files = sorted(name for name, graph in graphs.items() if (focus, None, None) in graph) or ["shapes/"]
        curie = _short(shapes, focus)
        line = _line_starting(project.root / files[0], curie, _short(shapes, path)) if files[0] != "shapes/" else None
        where = f"{files[0]}:{line}" if line else files[0]
        shown = f" {_short(shapes, path)} {_short(shapes, value)}" if value is not None else f" {_short(shapes, path)}"
        problems.append(f"{where}: shape {curie}{shown}: {message}")
    first, *rest = sorted(problems)
    path, _, reason = first.partition(": ")
    raise SourceError(path, None, "not a valid SHACL shape: " + reason + "".join(f"\n  {p}" for p in rest))


def _line_starting(path, curie: str, then: str) -> int | None:
    """The line of ``then`` in the block of ``curie`` (or the block's first line)."""
    start = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        words = line.split()
        if start is None and words and words[0] == curie and not line[0].isspace():  # the subject, not a mention
            start = number
        if start is not None:
            if then in words:
                return number
            if words == ["."]:
                return start
    return start


def _in_store(store: FastStore, focus: Node, bulk: dict[str, Path]) -> tuple[str, tuple[str, ...]]:
    """The label and the bulk files of a focus node that only the store's bulk graphs describe."""
    if not isinstance(focus, URIRef):
        return "", ()
    rows = store.select_terms(f"SELECT ?g ?label WHERE {{ GRAPH ?g {{ {focus.n3()} ?p ?o }} "
                              f"OPTIONAL {{ GRAPH ?g {{ {focus.n3()} <{RDFS.label}> ?label }} }} }}")
    labels = {lit.language: str(lit) for row in rows if isinstance(lit := row.get("label"), Literal)}
    files = sorted({str(bulk[str(row["g"])]) for row in rows if str(row["g"]) in bulk})
    return labels.get("en") or labels.get("fa") or next(iter(sorted(labels.values())), ""), tuple(files)


def validate_dataset(dataset: Dataset, shapes: Graph, validator: str = "pyshacl", store: FastStore | None = None,
                     data: Graph | None = None, ontology: Graph | None = None,
                     bulk: dict[str, Path] | None = None) -> ValidationReport:
    """Validate the data (the ontology mixed in); the store validator may be handed a store that
    already holds the whole dataset, and any caller the unions of the data and the ontology
    graphs it has already made. ``bulk``: the named graphs the store holds beside ``dataset``
    (build.Sources.bulk_files, graph -> file): the store validator checks them with the rest, and
    a finding on a node only they describe is labelled and located from the store."""
    data = data if data is not None else union(dataset, DATA_GRAPHS)
    ontology = ontology if ontology is not None else union(dataset, f"{GRAPH}ontology/")
    conforms, results = run_shacl(store if store is not None and validator == "store" else data, shapes, ontology, validator)
    bind_prefixes(results)
    bind_prefixes(data)
    findings = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        label, files = _label(data, focus), _files(dataset, focus, path := results.value(result, SH.resultPath))
        if bulk and store is not None and not files:
            label, files = _in_store(store, focus, bulk)
        severity = results.value(result, SH.resultSeverity)
        # English first, then Persian; SHACL-SPARQL messages come back without a language tag.
        order = {"en": 0, "fa": 1}
        messages = sorted(results.objects(result, SH.resultMessage), key=lambda m: (order.get(m.language, 2), str(m)))
        message = " / ".join(dict.fromkeys(str(m) for m in messages))
        findings.append(
            Finding(
                shape=_short(data, results.value(result, SH.sourceShape)),
                focus=_short(data, focus),
                focus_label=label,
                path=_short(data, path),
                value=_short(data, results.value(result, SH.value)),
                message=message,
                severity=str(severity).rsplit("#", 1)[-1],
                component=_short(data, results.value(result, SH.sourceConstraintComponent)),
                files=files,
            )
        )
    findings.sort(key=lambda f: (f.shape, SEVERITY_ORDER.get(SH[f.severity], 9), f.focus, f.path, f.value))
    # pySHACL's `conforms` is False on warnings too; only violations fail a build.
    conforms = not any(f.severity == "Violation" for f in findings)
    return ValidationReport(conforms, findings, results)
