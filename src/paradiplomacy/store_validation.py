"""SHACL at scale: the core constraints in pyshacl-turbo, the SHACL-SPARQL ones in Oxigraph.

A validator evaluates a SHACL-SPARQL constraint once per focus node, with ``$this`` pre-bound;
at a million triples that is most of the validation time. Evaluated once over the whole store,
with ``$this`` a variable joined to the shape's target (``?this a/rdfs:subClassOf* <class>``,
the subclass axioms being in the store), the same SELECT yields the same (focus node, value)
rows, so the report is the same as pySHACL's; ``tests/test_engines.py`` checks that on the real
data, on every shape fixture and on a synthetic graph.
"""

from __future__ import annotations

import re

from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF

from .namespaces import SH
from .store import FastStore
from .validation import run_shacl

_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_THIS = re.compile(r"\$this\b")
_VAR_IN_MESSAGE = re.compile(r"\{[?$](\w+)\}")


def _prefix_lines(shapes: Graph, constraint) -> str:
    lines = []
    for decls in shapes.objects(constraint, SH.prefixes):
        for decl in shapes.objects(decls, SH.declare):
            lines.append(f"PREFIX {shapes.value(decl, SH.prefix)}: <{shapes.value(decl, SH.namespace)}>")
    return "\n".join(sorted(set(lines))) + "\n"


def compile_constraint(shapes: Graph, shape, constraint, target) -> str:
    """The constraint's SELECT over the whole store: ``$this`` a variable bound by the target."""
    select = str(shapes.value(constraint, SH.select))
    match = _WHERE.search(select)
    if match is None:
        raise ValueError(f"{constraint}: a SHACL-SPARQL constraint without a WHERE group")
    target_pattern = f"\n  ?this a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{target}> ."
    return _prefix_lines(shapes, constraint) + _THIS.sub("?this", select[: match.end()] + target_pattern + select[match.end():])


def _message(template: Literal, row: dict) -> Literal:
    return Literal(_VAR_IN_MESSAGE.sub(lambda m: str(row.get(m.group(1), m.group(0))), str(template)))


def validate_store(fast: FastStore, shapes: Graph) -> tuple[bool, Graph]:
    """Validate everything in ``fast`` (data and ontology) against ``shapes``."""
    core = Graph()
    for triple in shapes:
        if triple[1] != SH.sparql:
            core.add(triple)
    conforms, report = run_shacl(fast.store, core, None, "turbo")
    root = report.value(None, RDF.type, SH.ValidationReport)
    for shape, constraint in sorted(shapes.subject_objects(SH.sparql)):
        severity = shapes.value(constraint, SH.severity) or SH.Violation
        messages = list(shapes.objects(constraint, SH.message))
        for target in sorted(shapes.objects(shape, SH.targetClass)):
            for row in fast.select_terms(compile_constraint(shapes, shape, constraint, target)):
                result = BNode()
                report.add((root, SH.result, result))
                report.add((result, RDF.type, SH.ValidationResult))
                report.add((result, SH.focusNode, row["this"]))
                report.add((result, SH.sourceShape, shape))
                report.add((result, SH.sourceConstraint, constraint))
                report.add((result, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
                report.add((result, SH.resultSeverity, severity))
                # as SHACL says: the value is ?value where the SELECT binds it, else the focus node
                report.add((result, SH.value, row.get("value", row["this"])))
                if "path" in row:
                    report.add((result, SH.resultPath, row["path"]))
                for template in messages:
                    report.add((result, SH.resultMessage, _message(template, row)))
                if severity == SH.Violation:
                    conforms = False
    report.set((root, SH.conforms, Literal(conforms)))
    return conforms, report
