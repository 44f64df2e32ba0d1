"""The package's small vocabularies, in one place: its engines (and, in time, its RDF formats).

Kept free of heavy imports: the CLI reads it while parsing options, before any engine loads.
"""

from __future__ import annotations

#: engine -> the SHACL validator it uses. fast: queries and SHACL (compiled to SPARQL) in
#: Oxigraph; reference: rdflib's SPARQL and pySHACL. Both give the same answers and the same
#: validation results (tests/test_engines.py).
ENGINES = {"fast": "store", "reference": "pyshacl"}
