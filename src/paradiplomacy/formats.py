"""The package's small vocabularies, in one place: its engines and its RDF formats.

Kept free of heavy imports (no rdflib, no engine): the CLI reads it while parsing options, and
`pdkg query` on a built graph has 0.3 s in all. The one IRI here, W3C's format IRI, is read from
namespaces.py (which imports rdflib) only when it is asked for.
"""

from __future__ import annotations

from dataclasses import dataclass

#: engine -> the SHACL validator it uses. fast: queries and SHACL (compiled to SPARQL) in
#: Oxigraph; reference: rdflib's SPARQL and pySHACL. Both give the same answers and the same
#: validation results (tests/test_engines.py).
ENGINES = {"fast": "store", "reference": "pyshacl"}


@dataclass(frozen=True)
class RdfFormat:
    name: str  # the short name `?format=` and the code use: "ttl", "nt", "jsonld"
    label: str  # as a reader sees it: "Turtle"
    suffix: str  # of a file: ".ttl"
    media_type: str  # IANA media type, without parameters
    rdflib: str  # rdflib's plugin name, for parse() and serialize()
    w3c_name: str  # its name among W3C's format IRIs (http://www.w3.org/ns/formats/)
    aliases: tuple[str, ...] = ()  # other spellings `?format=` accepts

    @property
    def w3c(self) -> str:
        """The W3C format IRI, the dcterms:format of a dump of this format."""
        from paradiplomacy.namespaces import W3C_FORMATS

        return W3C_FORMATS + self.w3c_name

    @property
    def content_type(self) -> str:
        """The Content-Type header: text/* types name their charset (RFC 6838 §4.2.1)."""
        return f"{self.media_type}; charset=utf-8" if self.media_type.startswith("text/") else self.media_type


#: Every RDF format the project reads or writes. The order is the server's preference among them.
RDF_FORMATS = (
    RdfFormat("ttl", "Turtle", ".ttl", "text/turtle", "turtle", "Turtle", ("turtle",)),
    RdfFormat("jsonld", "JSON-LD", ".jsonld", "application/ld+json", "json-ld", "JSON-LD", ("json-ld",)),
    RdfFormat("nt", "N-Triples", ".nt", "application/n-triples", "nt", "N-Triples", ("ntriples", "n-triples")),
    RdfFormat("rdf", "RDF/XML", ".rdf", "application/rdf+xml", "xml", "RDF_XML", ("rdfxml", "rdf/xml")),
    RdfFormat("trig", "TriG", ".trig", "application/trig", "trig", "TriG"),
    RdfFormat("nq", "N-Quads", ".nq", "application/n-quads", "nquads", "N-Quads", ("nquads", "n-quads")),
)

_BY_NAME = {f.name: f for f in RDF_FORMATS}


def rdf_format(name: str) -> RdfFormat:
    """The format of a short name ("ttl") or file suffix (".ttl"); KeyError names the known ones."""
    found = _BY_NAME.get(name.removeprefix("."))
    if found is None:
        raise KeyError(f"no RDF format {name!r}: known are {', '.join(_BY_NAME)}")
    return found


def rdf_formats(*names: str) -> tuple[RdfFormat, ...]:
    return tuple(rdf_format(n) for n in names)


def format_names() -> dict[str, str]:
    """Every spelling of every format (short name, aliases, media type) -> its short name."""
    return {spelling: f.name for f in RDF_FORMATS for spelling in (f.name, *f.aliases, f.media_type)}
