"""`PD` is closed (an rdflib DefinedNamespace) and lists exactly the terms the ontology declares."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import OWL, RDF

from paradiplomacy.namespaces import PD

SRC = Path(__file__).resolve().parents[1] / "src" / "paradiplomacy"
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


def listed() -> set[str]:
    return set(PD.__annotations__)


def declared(ontology) -> dict[str, str]:
    """local name -> the kind it is declared as, for every pd: term the ontology declares."""
    found = {}
    for kind in TERM_TYPES:
        for term in ontology.subjects(RDF.type, kind):
            if isinstance(term, URIRef) and str(term).startswith(str(PD)):
                found[str(term)[len(str(PD)):]] = kind.fragment
    return found


def test_pd_lists_every_term_the_ontology_declares_and_no_other(ontology):
    terms = declared(ontology)
    missing = [f"add `{name}: URIRef` to class PD in src/paradiplomacy/namespaces.py (owl:{terms[name]} in the ontology)"
               for name in sorted(terms.keys() - listed())]
    extra = [f"remove `{name}: URIRef` from class PD in src/paradiplomacy/namespaces.py (the ontology does not declare pd:{name})"
             for name in sorted(listed() - terms.keys())]
    assert missing + extra == [], "\n".join(missing + extra)


def test_pd_is_closed():
    assert PD.City == URIRef("https://w3id.org/paradiplomacy/ontology#City")
    assert PD["party"] == URIRef("https://w3id.org/paradiplomacy/ontology#party")
    with pytest.raises(AttributeError, match="Cty"):
        PD.Cty  # noqa: B018 - the access is the test
    assert str(PD) == "https://w3id.org/paradiplomacy/ontology#"


def test_every_pd_term_the_code_names_is_listed():
    """A term named in a function body fails only when the function runs; find it here."""
    unknown = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = None
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "PD":
                name = node.attr
            elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "PD":
                if isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
                    name = node.slice.value
            if name is not None and name not in listed():
                unknown.append(f"{path.relative_to(SRC.parents[1])}:{node.lineno}: PD.{name}")
    assert unknown == [], "\n".join(unknown)
