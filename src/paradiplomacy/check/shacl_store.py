"""SHACL at scale: every constraint one query over the Oxigraph store.

The core constraints are compiled by ``shacl_sparql.py``. A SHACL-SPARQL constraint is
evaluated by a validator once per focus node, with ``$this`` pre-bound; at a million triples
that is most of the validation time. Evaluated once over the whole store, with ``$this`` a
variable joined to the shape's targets (their instances and those of their subclasses, as the
store's subclass axioms say), the same SELECT yields the same (focus node, value) rows, so the
report is the same as pySHACL's; ``tests/test_engines.py`` checks that on the real data, on
every shape fixture and on a synthetic graph.
"""

from __future__ import annotations

import functools
import re

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from paradiplomacy.check.shacl_compile import ShapeNode, Subclasses, compile_shapes, focus_pattern, iri, shape_node
from paradiplomacy.namespaces import SH
from paradiplomacy.project import ProjectError
from paradiplomacy.query.engine import FastStore

_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_THIS = re.compile(r"\$this\b")
_VAR_IN_MESSAGE = re.compile(r"\{[?$](\w+)\}")


def _prefix_lines(shapes: Graph, constraint: ShapeNode) -> str:
    lines = []
    for decls in shapes.objects(constraint, SH.prefixes):
        for decl in shapes.objects(decls, SH.declare):
            lines.append(f"PREFIX {shapes.value(decl, SH.prefix)}: <{shapes.value(decl, SH.namespace)}>")
    return "\n".join(sorted(set(lines))) + "\n"


def compile_constraint(shapes: Graph, shape: ShapeNode, constraint: ShapeNode, targets: list[URIRef], subclasses: Subclasses) -> str:
    """The constraint's SELECT over the whole store: ``$this`` a variable bound by the targets."""
    select = str(shapes.value(constraint, SH.select))
    match = _WHERE.search(select)
    if match is None:
        raise ValueError(f"{constraint}: a SHACL-SPARQL constraint without a WHERE group")
    target_pattern = "\n  " + focus_pattern(targets, subclasses)
    return _prefix_lines(shapes, constraint) + _THIS.sub("?this", select[: match.end()] + target_pattern + select[match.end():])


def _message(shape: Node, template: Node, row: dict[str, URIRef | BNode | Literal]) -> Literal:
    if not isinstance(template, Literal):
        raise ProjectError(f"{shape}: sh:message {template} is not a literal, as SHACL requires")
    return Literal(_VAR_IN_MESSAGE.sub(lambda m: str(row.get(m.group(1), m.group(0))), str(template)))


def _add_result(report: Graph, root: BNode, shapes: Graph, shape: ShapeNode, component: URIRef, focus: Node, value: Node | None,
                path: Node | None, constraint: ShapeNode | None = None, row: dict[str, URIRef | BNode | Literal] | None = None) -> bool:
    """Add one result as pySHACL words it; True when it is a violation."""
    severity = shapes.value(shape if constraint is None else constraint, SH.severity) or SH.Violation
    result = BNode()
    report.add((root, SH.result, result))
    report.add((result, RDF.type, SH.ValidationResult))
    report.add((result, SH.focusNode, focus))
    report.add((result, SH.sourceShape, shape))
    report.add((result, SH.sourceConstraintComponent, component))
    report.add((result, SH.resultSeverity, severity))
    if constraint is not None:
        report.add((result, SH.sourceConstraint, constraint))
    if value is not None:
        report.add((result, SH.value, value))
    if path is not None:
        report.add((result, SH.resultPath, path))
    for template in shapes.objects(shape if constraint is None else constraint, SH.message):
        report.add((result, SH.resultMessage, _message(shape if constraint is None else constraint, template, row or {})))
    return severity == SH.Violation


def subclasses_in(fast: FastStore) -> Subclasses:
    """A class and its subclasses, transitively, as the store's subclass axioms say."""

    @functools.cache
    def subclasses(cls: URIRef) -> tuple[URIRef, ...]:
        rows = fast.select_terms(f"SELECT ?c WHERE {{ ?c <{RDFS.subClassOf}>* <{cls}> }}")
        # an IRI has instances; a blank node is a class expression (owl:unionOf …), whose named
        # subclasses the path reaches on its own, and which a VALUES block cannot hold
        return tuple(sorted({c for row in rows if isinstance(c := row["c"], URIRef)} | {cls}))

    return subclasses


def validate_store(fast: FastStore, shapes: Graph) -> tuple[bool, Graph]:
    """Validate everything in ``fast`` (data and ontology) against ``shapes``."""
    subclasses = subclasses_in(fast)
    report = Graph()
    root = BNode()
    report.add((root, RDF.type, SH.ValidationReport))
    conforms = True
    for compiled in compile_shapes(shapes, subclasses):
        for row in fast.select_terms(compiled.query):
            value = row.get("value") if compiled.reports_value else None
            if _add_result(report, root, shapes, compiled.shape, compiled.component, row["this"], value, compiled.path):
                conforms = False
    sparql = sorted((shape_node(s, "sh:sparql"), shape_node(o, f"{s} sh:sparql")) for s, o in shapes.subject_objects(SH.sparql))
    for shape, constraint in sparql:
        targets = sorted(iri(shape, SH.targetClass, c) for c in shapes.objects(shape, SH.targetClass))
        for row in fast.select_terms(compile_constraint(shapes, shape, constraint, targets, subclasses)):
            # as SHACL says: the value is ?value where the SELECT binds it, else the focus node
            value = row.get("value", row["this"])
            if _add_result(report, root, shapes, shape, SH.SPARQLConstraintComponent, row["this"], value, row.get("path"), constraint, row):
                conforms = False
    report.add((root, SH.conforms, Literal(conforms)))
    return conforms, report
