"""The shape compiler refuses what it cannot translate, naming the shape and the construct,
rather than letting a constraint pass unchecked (its translations are proved equal to pySHACL's
results in tests/test_engines.py)."""

from __future__ import annotations

import pytest
from rdflib import Graph

from paradiplomacy.check.shacl_compile import UnsupportedShape, compile_shapes
from paradiplomacy.namespaces import PREFIXES
from paradiplomacy.project import ProjectError

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

