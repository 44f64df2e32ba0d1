"""Pages rendered on demand (publish/ondemand.py, serve/server.py) are the pages the static writer
would have written: the same bytes, read from a store instead of the rdflib dataset.

The bulk file below is made up for these tests (three test cities, a sister-city agreement with
its evidence, a reported figure), in a named graph of its own under graph/synthetic/: nothing
in it is a fact, and it never enters data/."""

from __future__ import annotations

import http.client
import json
import threading
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from paradiplomacy.build import canonical_dataset, query_graph, run
from paradiplomacy.project import ProjectError
from paradiplomacy.publish.ondemand import MANIFEST, Manifest, ManifestError, OnDemand, left_to_serve, read_manifest, rewritten
from paradiplomacy.publish.site import publish, write_entities
from paradiplomacy.publish.sitegraph import SiteGraph, entity_path
from paradiplomacy.query.engine import FastStore
from paradiplomacy.query.labels import LabelIndex
from paradiplomacy.rdf.serialize import json_terms
from paradiplomacy.serve.server import make_server

B = "https://w3id.org/paradiplomacy/"
G = f"<{B}graph/synthetic/test-ondemand>"
ALPHA, BETA, GAMMA = (f"{B}id/city/test-od-{n}" for n in ("alpha", "beta", "gamma"))
REL, EV, DOC, FIGURE = f"{B}id/rel/test-od-alpha-beta", f"{B}id/ev/test-od-1", f"{B}id/doc/test-od-doc", f"{B}id/claim/test-od-figure"
TYPE, LABEL, PD = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", "<http://www.w3.org/2000/01/rdf-schema#label>", B + "ontology#"
# the real data's claim whose reported value is written "13.0"^^xsd:decimal (data/sources/000-…)
BELGRADE_CLAIM = URIRef(f"{B}id/claim/000-belgrade-mou-about-13-years-ago")
DOCUMENTS = (".html", ".fa.html", ".ttl", ".jsonld", ".nt")


def bulk_text() -> str:
    def q(s, p, o):
        return f"<{s}> {p if p.startswith('<') else '<' + PD + p + '>'} {o} {G} .\n"

    lines = []
    for iri, en, fa in ((ALPHA, "Alpha (test city)", "آلفا (شهر آزمایشی)"), (BETA, "Beta (test city)", "بتا (شهر آزمایشی)"),
                        (GAMMA, "Gamma (test city)", "گاما (شهر آزمایشی)")):
        lines += [q(iri, TYPE, f"<{PD}City>"), q(iri, LABEL, f'"{en}"@en'), q(iri, LABEL, f'"{fa}"@fa')]
    lines += [q(REL, TYPE, f"<{PD}SisterCityAgreement>"), q(REL, LABEL, '"Alpha–Beta sister-city agreement (test)"@en'),
              q(REL, LABEL, '"خواهرخواندگی آزمایشی آلفا و بتا"@fa'), q(REL, "party", f"<{ALPHA}>"), q(REL, "party", f"<{BETA}>"),
              q(REL, "year", f'"1999"^^<{XSD.gYear}>'), q(REL, "evidence", f"<{EV}>"),
              q(EV, TYPE, f"<{PD}Evidence>"), q(EV, "sourceDocument", f"<{DOC}>"), q(EV, "locator", '"p. 1"'),
              q(EV, "quote", '"متن آزمایشی، نه نقل از یک منبع"@fa'),
              q(DOC, TYPE, f"<{PD}SourceDocument>"), q(DOC, LABEL, '"Test document (not a source)"@en'),
              q(DOC, LABEL, '"سند آزمایشی (نه یک منبع)"@fa'),
              # a number not in its canonical form: a store gives back "1500", so this claim stays static
              q(FIGURE, TYPE, f"<{PD}ReportedFigure>"), q(FIGURE, LABEL, '"A test figure"@en'), q(FIGURE, LABEL, '"رقم آزمایشی"@fa'),
              q(FIGURE, "claimant", f"<{GAMMA}>"), q(FIGURE, "reportedValue", f'"1500.0"^^<{XSD.decimal}>')]
    return "".join(lines)


# --- the store's slice renders what the whole dataset renders (no build, no site) ----------------

@pytest.fixture(scope="module")
def real(dataset):
    """The real data as the publisher sees it (its SiteGraph) and as a store holds it."""
    canonical = canonical_dataset(dataset)
    fast = FastStore.from_dataset(canonical)
    terms = json_terms(query_graph(canonical))
    return SiteGraph(canonical, LabelIndex.from_runner(fast)), fast, terms, frozenset(str(g.identifier) for g in canonical.graphs())


def static_files(site: SiteGraph, terms, entities, root: Path) -> dict[str, bytes]:
    write_entities(site, terms, root, "9.9", workers=1, cache=None, entities=entities)
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def differing(real, root: Path, step: int) -> tuple[int, list[str]]:
    """Every ``step``-th real entity the store can render (as if every graph were bulk): each of
    its five documents from a store of the dataset, against the files write_entities writes."""
    site, fast, terms, every_graph = real
    served = left_to_serve(site, every_graph)
    sample = [e for e in site.entities if e in served][::step]
    files = static_files(site, terms, sample, root)
    assert len(files) == 5 * len(sample)
    ondemand = OnDemand(fast.store, Manifest("9.9", every_graph, terms, len(served)))
    return len(sample), [name for name, data in files.items() if ondemand.document(name) != data]


def test_the_real_entities_rendered_from_the_store_are_their_static_files(real, tmp_path):
    count, differ = differing(real, tmp_path, 20)
    assert count > 70 and differ == []


@pytest.mark.slow
def test_every_real_entity_rendered_from_the_store_is_its_static_files(real, tmp_path):
    count, differ = differing(real, tmp_path, 1)
    assert count > 1500 and differ == []  # of the real data's 1,599 entities, 1,512 show no blank node or decimal


def test_what_a_store_would_change_stays_static(real):
    """The real claim written "13.0"^^xsd:decimal: Oxigraph gives back "13", so its page from the
    store would say 13; the publisher keeps it static. A gYear and a date come back as written."""
    site, fast, terms, every_graph = real
    assert Literal("13.0", datatype=XSD.decimal) in site.values(BELGRADE_CLAIM, URIRef(PD + "reportedValue"))
    assert rewritten([Literal("13.0", datatype=XSD.decimal), Literal("1989", datatype=XSD.gYear),
                      Literal("2009-05-01", datatype=XSD.date), Literal("Isfahan", lang="en")]) == {Literal("13.0", datatype=XSD.decimal)}
    served = left_to_serve(site, every_graph)
    assert BELGRADE_CLAIM not in served
    assert URIRef(f"{B}id/city/isfahan") in served
    assert left_to_serve(site, frozenset()) == set()  # no bulk graph: every entity is a file


def test_the_memory_cache_is_bounded_in_documents_and_bytes(real):
    site, fast, terms, every_graph = real
    manifest = Manifest("9.9", every_graph, terms, 0)
    names = [entity_path(str(e)) + ".nt" for e in (URIRef(f"{B}id/city/{c}") for c in ("tehran", "isfahan", "mashhad"))]
    ondemand = OnDemand(fast.store, manifest, capacity=2)
    first = [ondemand.document(n) for n in names]
    assert all(first) and list(ondemand._cache) == names[1:]  # the oldest went first
    assert ondemand._bytes == sum(len(d) for d in first[1:])
    small = OnDemand(fast.store, manifest, max_bytes=len(first[0]) + len(first[1]))
    for n in names:
        small.document(n)
    assert small._bytes <= len(first[0]) + len(first[1]) and names[2] in small._cache
    assert small.document(names[0]) == first[0]  # rendered again, the same bytes


def test_paths_that_are_no_entity_document_are_not_rendered():
    assert OnDemand.entity_of("/id/city/tehran.fa.html") == (f"{B}id/city/tehran", ".fa.html")
    assert OnDemand.entity_of("id/city/tehran/geometry.ttl") == (f"{B}id/city/tehran/geometry", ".ttl")
    for path in ("/id/city/tehran", "/graph/reference.html", "/id/.html", "/index.html", "/id/city/tehran.rdf"):
        assert OnDemand.entity_of(path) is None


def test_a_damaged_manifest_is_an_error_naming_the_file(tmp_path):
    assert read_manifest(tmp_path) is None  # no manifest: a site with a file for every entity
    (tmp_path / MANIFEST).write_text('{"layout": "pdkg-ondemand-1", "version": "1"', encoding="utf-8")
    with pytest.raises(ManifestError, match=str(tmp_path / MANIFEST)) as err:
        read_manifest(tmp_path)
    assert isinstance(err.value, ProjectError)
    (tmp_path / MANIFEST).write_text('{"layout": "pdkg-ondemand-0"}', encoding="utf-8")
    with pytest.raises(ManifestError, match="pdkg-ondemand-0"):
        read_manifest(tmp_path)


# --- a build with a bulk file, published both ways, served ------------------------------------------

@pytest.fixture(scope="module")
def sites(project, tmp_path_factory):
    """The real sources plus the bulk file, built once and published twice: as a build with
    bulk graphs publishes it (``partial``), and with every entity written (``whole``)."""
    root = tmp_path_factory.mktemp("ondemand")
    bulk = root / "test-ondemand.nq"
    bulk.write_text(bulk_text(), encoding="utf-8")
    build = run(project, extra=[bulk], answer_invalid=True)  # the test graph is no valid source (no country, no seed)
    assert build.sources.bulk_graphs == frozenset({G.strip("<>")})
    publish(build, root / "partial" / "site")
    # the same build as if its graphs were hand-edited sources: the bulk file parsed into the
    # rdflib dataset too (a bulk file is in the store only), and the views of the dataset made anew
    build.sources.dataset.parse(str(bulk), format="nquads")
    build.sources.bulk = ()
    for view in ("everything", "trig", "nquads", "data", "ontology"):
        build.sources.__dict__.pop(view, None)
    publish(build, root / "whole" / "site")
    return root / "partial" / "site", root / "whole" / "site"


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_the_partial_site_is_the_whole_site_less_the_bulk_entities(sites):
    partial, whole = tree(sites[0]), tree(sites[1])
    # a bulk file is in the store only (rdf/bulk.py): every entity it alone describes is served,
    # the figure too (its "1500.0" comes back from the store as "1500"), and so is its graph's document
    on_demand = [entity_path(iri) for iri in (ALPHA, BETA, GAMMA, REL, EV, DOC, FIGURE)]
    left_out = sorted([stem + ext for stem in on_demand for ext in DOCUMENTS]
                      + ["graph/synthetic/test-ondemand" + ext for ext in DOCUMENTS])
    assert sorted(set(whole) - set(partial)) == left_out
    assert sorted(set(partial) - set(whole)) == [MANIFEST]
    # the real pages and the JSON-LD context are the same; the whole-graph files differ: the TriG and N-Quads dumps hold
    # the bulk graph as the store writes it, the other dumps, VoID and the map the sources only
    # (README, "Bulk N-Quads files": not done), and the index pages give the dumps' sizes
    assert sorted(name for name in partial if name in whole and partial[name] != whole[name]) == sorted(
        [f"dumps/{name}" for name in ("paradiplomacy.jsonld", "paradiplomacy.nq", "paradiplomacy.nt",
                                      "paradiplomacy.trig", "paradiplomacy.ttl")]
        + ["index.fa.html", "index.html", "map-data.js", "map.fa.html", "map.geojson", "map.html", "void.jsonld", "void.nt", "void.ttl"])
    assert f"<{FIGURE}>".encode() in partial["dumps/paradiplomacy.nq"]
    manifest = json.loads(partial[MANIFEST])
    assert manifest["bulk_graphs"] == [G.strip("<>")] and manifest["entities"] == len(on_demand)


def get(base: tuple[str, int], path: str, headers: dict | None = None, method: str = "GET"):
    conn = http.client.HTTPConnection(*base, timeout=60)
    try:
        conn.request(method, path, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def servers(sites):
    """``pdkg serve`` of each site, on free ports of 127.0.0.1."""
    started = []
    for site in sites:
        server = make_server(site, "127.0.0.1", 0, workers=1)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        started.append(server)
    yield [s.server_address[:2] for s in started]
    for server in started:
        server.shutdown()
        server.server_close()


@pytest.mark.slow
def test_pdkg_serve_renders_the_bulk_entities_as_their_static_files(sites, servers):
    partial, whole = servers
    for iri in (ALPHA, BETA, REL, EV, DOC):
        for ext in DOCUMENTS:
            path = "/" + entity_path(iri) + ext
            status, headers, body = get(partial, path)
            static_status, static_headers, static_body = get(whole, path)
            assert (status, static_status) == (200, 200), path
            assert body == static_body == (sites[1] / path[1:]).read_bytes(), path
            for name in ("content-type", "content-language", "etag", "access-control-allow-origin"):
                assert headers.get(name) == static_headers.get(name), (path, name)
            assert "last-modified" in headers
    status, headers, body = get(partial, "/" + entity_path(ALPHA) + ".fa.html")
    assert headers["content-language"] == "fa" and "آلفا (شهر آزمایشی)" in body.decode("utf-8")
    assert "Beta (test city)" in get(partial, "/" + entity_path(REL) + ".html")[2].decode("utf-8")


@pytest.mark.slow
def test_the_bulk_entity_iris_negotiate_and_unknown_ones_are_404(servers):
    partial, _ = servers
    path = "/" + entity_path(ALPHA)
    for accept, language, suffix in (("text/turtle", None, ".ttl"), ("application/ld+json", None, ".jsonld"),
                                     ("text/html", "fa", ".fa.html"), ("text/html", None, ".html")):
        status, headers, _ = get(partial, path, {"Accept": accept, **({"Accept-Language": language} if language else {})})
        assert status == 303 and headers["location"] == path + suffix
        assert headers["vary"] == "Accept, Accept-Language"
    for missing in ("/id/city/test-od-nowhere", "/id/city/test-od-nowhere.html", "/id/city/test-od-nowhere.ttl"):
        assert get(partial, missing)[0] == 404
    status, headers, body = get(partial, path + ".ttl")
    again = get(partial, path + ".ttl", {"If-None-Match": headers["etag"]})
    assert again[0] == 304 and again[2] == b"" and again[1]["etag"] == headers["etag"]
    head = get(partial, path + ".ttl", method="HEAD")
    assert head[0] == 200 and head[2] == b"" and int(head[1]["content-length"]) == len(body)
