"""One table of RDF formats (formats.RDF_FORMATS): it agrees with the registries the libraries
carry, and every consumer (content negotiation, the SPARQL endpoint's graph results, the pages'
alternate links, the dumps and their DCAT description) reads its formats from it."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from paradiplomacy.formats import RDF_FORMATS, format_names, rdf_format

NAMES = [f.name for f in RDF_FORMATS]


@pytest.mark.parametrize("name", NAMES)
def test_a_format_agrees_with_oxigraph_on_suffix_media_type_and_w3c_iri(name):
    """Oxigraph carries the formats' registry (IANA media type, extension, W3C format IRI)."""
    fmt = rdf_format(name)
    theirs = ox.RdfFormat.from_media_type(fmt.media_type)
    assert theirs is not None, fmt.media_type
    assert (f".{theirs.file_extension}", theirs.media_type, theirs.name) == (fmt.suffix, fmt.media_type, fmt.label)
    if name == "jsonld":
        # Oxigraph names JSON-LD by the IRI of W3C's newer page (…/ns/formats/data/JSON-LD); the site
        # publishes the one W3C's format list has always given, and a published IRI never changes
        assert fmt.w3c == "http://www.w3.org/ns/formats/JSON-LD"
    else:
        assert fmt.w3c == theirs.iri


@pytest.mark.parametrize("name", NAMES)
def test_the_rdflib_name_reads_back_what_it_wrote(name):
    fmt = rdf_format(name)
    data = Dataset()
    g = data.graph(URIRef("https://w3id.org/paradiplomacy/graph/reference"))
    g.add((URIRef("https://w3id.org/paradiplomacy/id/city/tehran"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
           Literal("تهران", lang="fa")))
    quads = fmt.name in ("trig", "nq")
    text = (data if quads else g).serialize(format=fmt.rdflib)
    back = Dataset() if quads else Graph()
    back.parse(data=text, format=fmt.rdflib)
    assert isomorphic(back.graph(g.identifier) if quads else back, g)


def test_names_suffixes_and_media_types_are_each_one_format():
    for field in ("name", "suffix", "media_type", "w3c"):
        values = [getattr(f, field) for f in RDF_FORMATS]
        assert len(set(values)) == len(values), field
    spellings = [s for f in RDF_FORMATS for s in (f.name, *f.aliases, f.media_type)]
    assert len(set(spellings)) == len(spellings) == len(format_names())
    assert rdf_format(".ttl") is rdf_format("ttl")
    with pytest.raises(KeyError, match="known are ttl, jsonld"):
        rdf_format(".xyz")


def test_content_types_name_a_charset_for_text_only():
    assert rdf_format("ttl").content_type == "text/turtle; charset=utf-8"
    assert rdf_format("nt").content_type == "application/n-triples"  # N-Triples is UTF-8 by its registration: no parameter


def _row(media_type: str, suffix: str):
    matches = [f for f in RDF_FORMATS if f.media_type == media_type and suffix in (f.suffix, f.name)]
    assert len(matches) == 1, f"{media_type} {suffix}: not one row of formats.RDF_FORMATS"
    return matches[0]


def test_content_negotiation_reads_the_table():
    from paradiplomacy.publish.conneg import MEDIA_TYPES, RESOURCES

    rdf = {r.name: [v for v in r.variants if "html" not in v.media_type] for r in RESOURCES}
    # entities offer Turtle, JSON-LD and N-Triples; the ontology and its parts RDF/XML as well
    assert [v.key for v in rdf["entity"]] == ["ttl", "jsonld", "nt"]
    assert [v.key for v in rdf["ontology"]] == ["ttl", "jsonld", "nt", "rdf"]
    for variants in rdf.values():
        for v in variants:
            assert _row(v.media_type, v.key).suffix == "." + v.target.rsplit(".", 1)[-1]
    assert {s: MEDIA_TYPES[s] for s in (f.suffix for f in RDF_FORMATS)} == {f.suffix: f.content_type for f in RDF_FORMATS}


def test_the_endpoint_reads_the_table():
    from paradiplomacy.serve.results import FORMAT_NAMES, GRAPH_OFFERS, MEDIA

    assert [_row(o.media_type, o.suffix).name for o in GRAPH_OFFERS] == ["ttl", "nt", "jsonld"]
    assert {o.suffix: MEDIA[o.suffix] for o in GRAPH_OFFERS} == {o.suffix: rdf_format(o.suffix).content_type for o in GRAPH_OFFERS}
    assert format_names().items() <= FORMAT_NAMES.items()
    assert FORMAT_NAMES["xml"] == "xml"  # ?format=xml stays SPARQL results in XML, not RDF/XML


def test_the_pages_read_the_table():
    from paradiplomacy.publish.pages import RDF_FORMATS as PAGE_FORMATS

    assert [(s, label, _row(media, s).label) for s, label, media in PAGE_FORMATS] == [
        (".ttl", "Turtle", "Turtle"), (".jsonld", "JSON-LD", "JSON-LD"), (".nt", "N-Triples", "N-Triples")]


def test_the_dumps_and_their_dcat_description_read_the_table(tmp_path):
    from paradiplomacy.publish.dumps import write_dumps

    def write(path: str, text: str) -> Path:
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        return target

    data = Dataset()
    data.graph(URIRef("https://w3id.org/paradiplomacy/graph/reference")).add(
        (URIRef("https://w3id.org/paradiplomacy/id/city/tehran"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal("Tehran", lang="en")))
    dumps = write_dumps(data, write)
    for dump in dumps:
        fmt = rdf_format(Path(dump.path).suffix)
        assert (dump.media_type, dump.format_iri) == (fmt.media_type, fmt.w3c), dump.path
        assert dump.format == ("JSON-LD context" if dump.path.endswith("context.jsonld") else fmt.label)
        assert dump.size == (tmp_path / dump.path).stat().st_size > 0
    assert sorted(Path(d.path).suffix for d in dumps) == [".jsonld", ".jsonld", ".nq", ".nt", ".trig", ".ttl"]
