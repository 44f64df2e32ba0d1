"""SHACL Core constraints compiled to SPARQL SELECTs that run once over the whole store.

A SHACL engine walks the focus nodes one by one; at ten million triples that walk, and the copy
of the data a validator needs, cost more than everything else in the build. Each constraint of
the shapes is instead one SELECT whose rows are the focus nodes (and values) that violate it.
The focus nodes are the instances of the target class and of its subclasses, as pySHACL finds
them once the ontology is mixed into the data; the subclasses are looked up in the store once
and listed in the query (``VALUES ?focusClass {...} ?this a ?focusClass``), because Oxigraph
evaluates ``?this a/rdfs:subClassOf* <class>`` from the class end, reading every instance of
the class for each node it checks (seconds per constraint at 10^6 triples). The compiler covers
the components the project's shapes use and refuses any other with an error naming the shape
and the component, so a new kind of constraint can never pass unchecked;
``tests/test_engines.py`` proves the results equal to pySHACL's on the real data, on every shape
fixture and on a synthetic graph with injected defects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, XSD
from rdflib.term import Identifier, Node

from paradiplomacy.namespaces import SH
from paradiplomacy.project import ProjectError

# the classes whose instances are instances of a class: itself and its subclasses, transitively
Subclasses = Callable[[URIRef], Iterable[URIRef]]
# a shape is named by an IRI, or is a blank node (a property shape written inline)
ShapeNode = URIRef | BNode

# sh: predicates a shape may carry that are not constraints of their own (or are the extra
# parameters of one: sh:flags of sh:pattern, the qualified counts of sh:qualifiedValueShape).
NOT_CONSTRAINTS = {
    SH.deactivated, SH.description, SH.flags, SH.group, SH.message, SH.name, SH.order, SH.path,
    SH.prefixes, SH.property, SH.qualifiedMaxCount, SH.qualifiedMinCount, SH.severity, SH.sparql,
    SH.targetClass,
}


class UnsupportedShape(ProjectError):
    """A shape uses SHACL the store validator does not compile (use the reference engine)."""


@dataclass(frozen=True)
class CompiledConstraint:
    """One constraint of one shape: a SELECT of ``?this`` (and ``?value``) per violation."""

    shape: ShapeNode
    component: URIRef
    path: URIRef | None
    query: str
    reports_value: bool


def _integer(shape: ShapeNode, parameter: URIRef, value: Node) -> int:
    """A count or length parameter's value, which SHACL (and pySHACL) demand be an xsd:integer
    of at least 0: anything else (``"1"``, ``1.0``, an IRI) would be read as some number or fail
    far from the shape."""
    if isinstance(value, Literal) and value.datatype == XSD.integer and isinstance(value.value, int) and value.value >= 0:
        return value.value
    raise ProjectError(f"{shape}: {parameter} {_shown(value)} is not an xsd:integer of at least 0, as SHACL requires")


def _n3(term: Identifier) -> str:
    return term.n3()


def _shown(term: Node) -> str:
    return term.n3() if isinstance(term, Identifier) else str(term)


def terms(nodes: Iterable[Node]) -> list[Identifier]:
    """rdflib types a graph's terms as Node; a shapes graph holds IRIs, blank nodes and literals
    (Identifiers, which have an n3() form and sort in rdflib's order of terms)."""
    out = []
    for node in nodes:
        if not isinstance(node, Identifier):
            raise ProjectError(f"{node!r}: not an RDF term (an IRI, a blank node or a literal) in the shapes")
        out.append(node)
    return out


def shape_node(shape: Node, where: str) -> ShapeNode:
    if not isinstance(shape, URIRef | BNode):
        raise ProjectError(f"{where}: {_shown(shape)} is not an IRI or a blank node")
    return shape


def iri(shape: ShapeNode, parameter: URIRef, value: Node) -> URIRef:
    if not isinstance(value, URIRef):
        raise ProjectError(f"{shape}: {parameter} {_shown(value)} is not an IRI, as SHACL requires")
    return value


def _list(shapes: Graph, head: Node) -> list[Node]:
    return list(Collection(shapes, head))


def _path(shapes: Graph, shape: ShapeNode) -> URIRef | None:
    path = shapes.value(shape, SH.path)
    if path is not None and not isinstance(path, URIRef):
        raise UnsupportedShape(f"{shape}: only a predicate IRI is supported as sh:path, not a path expression")
    return path


def _datatype_test(var: str, datatype: URIRef) -> str:
    if datatype == RDF.langString:
        return f"(isLiteral({var}) && LANG({var}) != \"\")"
    if datatype == XSD.string:
        return f"(isLiteral({var}) && DATATYPE({var}) = {_n3(XSD.string)})"
    # a literal of the datatype must also be well formed: its lexical form casts to the datatype
    return f"(isLiteral({var}) && DATATYPE({var}) = {_n3(datatype)} && COALESCE(isLiteral({_n3(datatype)}(STR({var}))), false))"


def _one_of(var: str, classes: Iterable[URIRef]) -> str:
    return f"{var} IN ({', '.join(sorted(_n3(t) for t in classes))})"


def value_test(shapes: Graph, shape: ShapeNode, component: URIRef, param: Node, var: str, subclasses: Subclasses) -> str:
    """A SPARQL expression true when the value in ``var`` satisfies one value-type constraint."""
    if component == SH.ClassConstraintComponent:
        return f"EXISTS {{ {var} a ?valueClass . FILTER ({_one_of('?valueClass', subclasses(iri(shape, SH['class'], param)))}) }}"
    if component == SH.DatatypeConstraintComponent:
        return _datatype_test(var, iri(shape, SH.datatype, param))
    if component == SH.PatternConstraintComponent:
        flags = shapes.value(shape, SH.flags)
        flag_arg = f", {Literal(str(flags)).n3()}" if flags else ""
        return f"(!isBlank({var}) && REGEX(STR({var}), {Literal(str(param)).n3()}{flag_arg}))"
    if component == SH.LanguageInConstraintComponent:
        tags = " || ".join(f"langMatches(LANG({var}), {Literal(str(t)).n3()})" for t in _list(shapes, param))
        return f"(isLiteral({var}) && ({tags or 'false'}))"
    if component == SH.InConstraintComponent:
        members = " || ".join(f"sameTerm({var}, {_n3(t)})" for t in terms(_list(shapes, param)))
        return f"({members or 'false'})"
    if component == SH.MaxLengthConstraintComponent:
        return f"(!isBlank({var}) && STRLEN(STR({var})) <= {_integer(shape, SH.maxLength, param)})"
    if component == SH.MinLengthConstraintComponent:
        return f"(!isBlank({var}) && STRLEN(STR({var})) >= {_integer(shape, SH.minLength, param)})"
    if component == SH.NodeKindConstraintComponent:
        kinds = {
            SH.IRI: f"isIRI({var})", SH.BlankNode: f"isBlank({var})", SH.Literal: f"isLiteral({var})",
            SH.BlankNodeOrIRI: f"!isLiteral({var})", SH.BlankNodeOrLiteral: f"!isIRI({var})", SH.IRIOrLiteral: f"!isBlank({var})",
        }
        if not isinstance(param, URIRef) or param not in kinds:
            raise ProjectError(f"{shape}: sh:nodeKind {_shown(param)} is none of SHACL's six node kinds")
        return kinds[param]
    raise AssertionError(component)


# the parameter of each value-type component: it tests each value on its own
VALUE_COMPONENTS = {
    SH["class"]: SH.ClassConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent,
    SH.languageIn: SH.LanguageInConstraintComponent,
    SH["in"]: SH.InConstraintComponent,
    SH.maxLength: SH.MaxLengthConstraintComponent,
    SH.minLength: SH.MinLengthConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent,
}
# parameters whose constraint is handled below, per focus node rather than per value
FOCUS_PARAMETERS = {SH.minCount, SH.maxCount, SH.qualifiedValueShape, SH["or"]}


def _check_supported(shapes: Graph, shape: ShapeNode) -> None:
    for predicate in set(shapes.predicates(shape, None)):
        if str(predicate).startswith(str(SH)) and predicate not in NOT_CONSTRAINTS | set(VALUE_COMPONENTS) | FOCUS_PARAMETERS:
            raise UnsupportedShape(f"{shape}: {predicate} is not supported by the store validator (use --engine reference)")
    if shapes.value(shape, SH.qualifiedValueShapesDisjoint) not in (None, Literal(False)):
        raise UnsupportedShape(f"{shape}: sh:qualifiedValueShapesDisjoint is not supported by the store validator")


def conforms(shapes: Graph, shape: ShapeNode, var: str, subclasses: Subclasses) -> str:
    """A SPARQL expression true when the node in ``var`` conforms to ``shape`` (used inside
    sh:or and sh:qualifiedValueShape): its value-type constraints, and counts of 0 or 1."""
    _check_supported(shapes, shape)
    path = _path(shapes, shape)
    tests = []
    for parameter, component in VALUE_COMPONENTS.items():
        for param in shapes.objects(shape, parameter):
            if path is None:
                tests.append(value_test(shapes, shape, component, param, var, subclasses))
            else:
                tests.append(f"NOT EXISTS {{ {var} {_n3(path)} ?v . FILTER (!{value_test(shapes, shape, component, param, '?v', subclasses)}) }}")
    for param in shapes.objects(shape, SH.minCount):
        count = _integer(shape, SH.minCount, param)
        if path is None or count > 1:
            raise UnsupportedShape(f"{shape}: sh:minCount other than 0 or 1 inside sh:or or a qualified value shape")
        if count == 1:
            tests.append(f"EXISTS {{ {var} {_n3(path)} ?any }}")
    for param in shapes.objects(shape, SH.maxCount):
        if path is None or _integer(shape, SH.maxCount, param) != 0:
            raise UnsupportedShape(f"{shape}: sh:maxCount other than 0 inside sh:or or a qualified value shape")
        tests.append(f"NOT EXISTS {{ {var} {_n3(path)} ?any }}")
    for members in shapes.objects(shape, SH["or"]):
        alternatives = (conforms(shapes, shape_node(m, f"{shape} sh:or"), var, subclasses) for m in _list(shapes, members))
        tests.append("(" + " || ".join(alternatives) + ")")
    if shapes.value(shape, SH.qualifiedValueShape) is not None or shapes.value(shape, SH.property) is not None:
        raise UnsupportedShape(f"{shape}: nested property or qualified shapes inside sh:or or a qualified value shape")
    return "(" + " && ".join(tests or ["true"]) + ")"


def focus_pattern(targets: Iterable[URIRef], subclasses: Subclasses) -> str:
    """The focus nodes of target classes; a node typed twice comes twice, so callers that list
    nodes say DISTINCT (and counts count distinct values)."""
    classes = sorted({_n3(c) for t in targets for c in subclasses(t)})
    return f"VALUES ?focusClass {{ {' '.join(classes)} }} ?this a ?focusClass ."


def _targets(shapes: Graph) -> dict[ShapeNode, list[URIRef]]:
    """Every shape that is checked on focus nodes, with the target classes that reach it: a node
    shape's own targets, and for a property shape those of every node shape that lists it."""
    targets: dict[ShapeNode, set[URIRef]] = {}
    for node in set(shapes.subjects(SH.targetClass, None)):
        shape = shape_node(node, "sh:targetClass")
        if shapes.value(shape, SH.deactivated) == Literal(True):
            continue
        classes = {iri(shape, SH.targetClass, c) for c in shapes.objects(shape, SH.targetClass)}
        targets.setdefault(shape, set()).update(classes)
        for prop in shapes.objects(shape, SH.property):
            if shapes.value(prop, SH.deactivated) != Literal(True):
                targets.setdefault(shape_node(prop, f"{shape} sh:property"), set()).update(classes)
    for other in (SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target):
        for node in shapes.subjects(other, None):
            raise UnsupportedShape(f"{node}: {other} is not supported by the store validator (only sh:targetClass)")
    return {shape: sorted(classes) for shape, classes in sorted(targets.items())}


def _count(focus: str, values: Callable[[str], str], comparison: str, count: int) -> str:
    """Focus nodes whose number of values (the pattern ``values(var)`` binds) compares so."""
    # "at least one" and "at most one", the common cases, are cheaper without grouping
    if (comparison, count) == ("<", 1):
        return f"SELECT DISTINCT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ {values('?value')} }} }}"
    if (comparison, count) == (">", 1):
        return f"SELECT DISTINCT ?this WHERE {{ {values('?value')} . {values('?other')} . FILTER (!sameTerm(?value, ?other)) {focus} }}"
    return f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ {values('?value')} }} }} GROUP BY ?this HAVING (COUNT(DISTINCT ?value) {comparison} {count})"


def compile_shapes(shapes: Graph, subclasses: Subclasses) -> list[CompiledConstraint]:
    """Every core constraint of ``shapes`` as a query over the store (SHACL-SPARQL ones aside)."""
    compiled = []
    for shape, classes in _targets(shapes).items():
        _check_supported(shapes, shape)
        focus, path = focus_pattern(classes, subclasses), _path(shapes, shape)
        p = _n3(path) if path is not None else None
        if path is None and any(shapes.value(shape, c) is not None for c in (SH.minCount, SH.maxCount, SH.qualifiedValueShape)):
            raise UnsupportedShape(f"{shape}: counts need a sh:path (they belong on a property shape)")

        def add(component: URIRef, query: str, reports_value: bool, shape: ShapeNode = shape, path: URIRef | None = path) -> None:
            compiled.append(CompiledConstraint(shape, component, path, query, reports_value))

        for parameter, component in VALUE_COMPONENTS.items():
            for param in sorted(terms(shapes.objects(shape, parameter))):
                if path is None:  # a node shape tests the focus node itself
                    test = value_test(shapes, shape, component, param, "?this", subclasses)
                    add(component, f"SELECT DISTINCT ?this (?this AS ?value) WHERE {{ {focus} FILTER (!{test}) }}", True)
                else:
                    test = value_test(shapes, shape, component, param, "?value", subclasses)
                    add(component, f"SELECT DISTINCT ?this ?value WHERE {{ {focus} ?this {p} ?value . FILTER (!{test}) }}", True)
        def values(var: str, p: str | None = p) -> str:
            return f"?this {p} {var}"

        for count in shapes.objects(shape, SH.minCount):
            add(SH.MinCountConstraintComponent, _count(focus, values, "<", _integer(shape, SH.minCount, count)), False)
        for count in shapes.objects(shape, SH.maxCount):
            add(SH.MaxCountConstraintComponent, _count(focus, values, ">", _integer(shape, SH.maxCount, count)), False)
        for node in shapes.objects(shape, SH.qualifiedValueShape):
            qualified = shape_node(node, f"{shape} sh:qualifiedValueShape")

            def conforming(var: str, qualified: ShapeNode = qualified, p: str | None = p) -> str:
                return f"?this {p} {var} . FILTER {conforms(shapes, qualified, var, subclasses)}"

            for count in shapes.objects(shape, SH.qualifiedMinCount):
                add(SH.QualifiedMinCountConstraintComponent, _count(focus, conforming, "<", _integer(shape, SH.qualifiedMinCount, count)), False)
            for count in shapes.objects(shape, SH.qualifiedMaxCount):
                add(SH.QualifiedMaxCountConstraintComponent, _count(focus, conforming, ">", _integer(shape, SH.qualifiedMaxCount, count)), False)
        for members in shapes.objects(shape, SH["or"]):
            if path is not None:
                raise UnsupportedShape(f"{shape}: sh:or on a property shape is not supported by the store validator")
            alternatives = " || ".join(conforms(shapes, shape_node(m, f"{shape} sh:or"), "?this", subclasses) for m in _list(shapes, members))
            add(SH.OrConstraintComponent, f"SELECT DISTINCT ?this (?this AS ?value) WHERE {{ {focus} FILTER (!({alternatives})) }}", True)
    return compiled
