"""The shape compiler refuses what it cannot translate (and a parameter SHACL does not allow), naming the shape and the construct,
rather than letting a constraint pass unchecked (its translations are proved equal to pySHACL's
results in tests/test_engines.py)."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef

from paradiplomacy.check.shacl_compile import UnsupportedShape, compile_shapes
from paradiplomacy.check.shacl_store import subclasses_in, validate_store
from paradiplomacy.namespaces import PREFIXES, SH
from paradiplomacy.project import ProjectError
from paradiplomacy.query.engine import FastStore

PREFIX_LINES = "".join(f"@prefix {p}: <{n}> .\n" for p, n in PREFIXES.items())


def shapes_of(text: str) -> Graph:
    return Graph().parse(data=PREFIX_LINES + text, format="turtle")


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("pdsh:CityShape a sh:NodeShape ; sh:targetClass pd:City ; sh:closed true .", "closed"),
        ("pdsh:CityShape a sh:NodeShape ; sh:targetNode city:tehran ; sh:property [ sh:path pd:country ; sh:minCount 1 ] .", "targetNode"),
        ("pdsh:CityShape a sh:NodeShape ; sh:targetClass pd:City ; sh:property pdsh:p . "
         "pdsh:p sh:path [ sh:inversePath pd:party ] ; sh:minCount 1 .", "sh:path"),
        ("pdsh:CityShape a sh:NodeShape ; sh:targetClass pd:City ; sh:property pdsh:p . "
         "pdsh:p sh:path pd:country ; sh:node pdsh:CountryShape .", "node"),
    ],
)
def test_an_untranslatable_shape_is_an_error_naming_it(text, named):
    with pytest.raises(UnsupportedShape) as err:
        compile_shapes(shapes_of(text), lambda cls: [cls])
    assert "https://w3id.org/paradiplomacy/shapes#" in str(err.value) and named in str(err.value)
    assert isinstance(err.value, ProjectError)  # so the CLI reports it and exits 2



@pytest.mark.parametrize(
    ("value", "shown"),
    [('"1"', '"1"'), ("1.0", "1.0"), ("-1", "-1"), ("pd:City", "ontology#City>")],
)
@pytest.mark.parametrize("parameter", ["minCount", "maxCount", "maxLength"])
def test_a_count_or_length_that_is_no_integer_of_at_least_0_is_an_error_naming_the_shape(parameter, value, shown):
    # SHACL (and pySHACL) take only an xsd:integer >= 0; the store engine once read "1" as 1 and
    # failed on 1.0 with int()'s message, naming no shape
    text = f"pdsh:CityShape a sh:NodeShape ; sh:targetClass pd:City ; sh:property pdsh:p . pdsh:p sh:path pd:country ; sh:{parameter} {value} ."
    with pytest.raises(ProjectError) as err:
        compile_shapes(shapes_of(text), lambda cls: [cls])
    message = str(err.value)
    assert message.startswith("https://w3id.org/paradiplomacy/shapes#p: ")
    assert f"shacl#{parameter}" in message and shown in message and "xsd:integer of at least 0" in message


@pytest.mark.parametrize(
    ("text", "shown"),
    [('pdsh:CityShape a sh:NodeShape ; sh:targetClass "City" ; sh:property pdsh:p . pdsh:p sh:path pd:country ; sh:minCount 1 .',
      'shapes#CityShape: http://www.w3.org/ns/shacl#targetClass "City"'),
     ('pdsh:CityShape a sh:NodeShape ; sh:targetClass pd:City ; sh:property pdsh:p . pdsh:p sh:path rdfs:label ; sh:datatype "string" .',
      'shapes#p: http://www.w3.org/ns/shacl#datatype "string"')],
)
def test_a_target_class_or_datatype_that_is_no_iri_is_an_error_naming_the_shape(text, shown):
    with pytest.raises(ProjectError) as err:
        compile_shapes(shapes_of(text), lambda cls: [cls])
    assert shown in str(err.value) and str(err.value).endswith("is not an IRI, as SHACL requires")


EX = "https://example.org/"
ONTOLOGY = f"""@prefix ex: <{EX}> . @prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:Capital rdfs:subClassOf _:expression . _:expression owl:unionOf ( ex:Capital ) ; rdfs:subClassOf ex:City .
ex:tehran a ex:Capital . ex:tabriz a ex:City ; ex:country ex:iran .
"""


def test_a_blank_node_among_the_subclasses_is_passed_over_and_its_named_subclasses_are_still_reached():
    # a class expression (a blank node) between a class and its subclass: a VALUES block cannot hold
    # a blank node (Oxigraph: a syntax error), and the path reaches ex:Capital through it
    fast = FastStore.from_graphs({"data": Graph().parse(data=ONTOLOGY, format="turtle")})
    assert subclasses_in(fast)(URIRef(f"{EX}City")) == (URIRef(f"{EX}Capital"), URIRef(f"{EX}City"))
    shapes = shapes_of(f"pdsh:CityShape a sh:NodeShape ; sh:targetClass <{EX}City> ; "
                       f"sh:property [ sh:path <{EX}country> ; sh:minCount 1 ] .")
    conforms, report = validate_store(fast, shapes)
    assert not conforms
    assert set(report.objects(None, SH.focusNode)) == {URIRef(f"{EX}tehran")}


def test_a_message_that_is_no_literal_is_an_error_naming_the_shape():
    fast = FastStore.from_graphs({"data": Graph().parse(data=ONTOLOGY, format="turtle")})
    shapes = shapes_of(f"pdsh:CityShape a sh:NodeShape ; sh:targetClass <{EX}City> ; sh:property pdsh:country . "
                       f"pdsh:country sh:path <{EX}country> ; sh:minCount 1 ; sh:message <{EX}message> .")
    with pytest.raises(ProjectError) as err:
        validate_store(fast, shapes)
    assert str(err.value) == f"https://w3id.org/paradiplomacy/shapes#country: sh:message {EX}message is not a literal, as SHACL requires"
