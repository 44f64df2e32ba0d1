"""The fused QC check (check/qc.py) finds exactly what each stored QC query finds.

The fixture (tests/qc/) violates each of the three checks, across the two kinds of source the
build reads — the Turtle and tables (an rdflib dataset, indexed in full) and a bulk N-Quads file
(indexed once, slim, in the build cache) — with near misses that must not be found: an IRI
described only in the other source, evidence without a label, a label in fa-IR, an IRI outside
id/. The expected rows are written here by hand from the fixture.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset

from paradiplomacy.check import qc
from paradiplomacy.namespaces import ID, PD
from paradiplomacy.project import ProjectError
from paradiplomacy.query.catalogue import catalogue
from paradiplomacy.query.engine import FastStore
from paradiplomacy.rdf.cache import BuildCache

FIXTURES = Path(__file__).with_name("qc")
BLANK = "_:blank"

EXPECTED_DANGLING = {f"{ID}city/nowhere", f"{ID}city/only-blank-user", f"{ID}city/bulk-nowhere"}
EXPECTED_MISSING = {
    (f"{ID}city/a", "fa"), (f"{ID}concept/unlabelled", "fa"), (f"{ID}concept/unlabelled", "en"), (f"{ID}ev/a-2", "fa"),
    (BLANK, "fa"), (f"{ID}rel/bulk-1", "fa"), (BLANK, "en"),
}
EXPECTED_UNDECLARED = {
    (str(PD) + "undeclaredProperty", "property"), (str(PD) + "bulkOnlyProperty", "property"), (str(PD) + "UndeclaredClass", "class"),
    (str(PD.Claim), "class"), (str(PD) + "LiteralClass", "class"),
}


def blank(value: str) -> str:
    """Blank node ids differ between rdflib and Oxigraph; IRIs are absolute."""
    return value if "://" in value else BLANK


@pytest.fixture()
def fixture(tmp_path):
    sources = Dataset()
    sources.parse(FIXTURES / "sources.trig", format="trig")
    bulk = tmp_path / "bulk.nq"
    bulk.write_bytes((FIXTURES / "bulk.nq").read_bytes())
    store = FastStore.from_dataset(sources)
    store.load_file(bulk)
    return sources, bulk, store, BuildCache(tmp_path / "cache")


def rows(results: dict) -> tuple[set, set, set]:
    return ({r[0] for r in results["dangling-iri-violation"].rows},
            {(blank(e), lang) for e, lang in results["missing-label-violation"].rows},
            set(results["undeclared-term-violation"].rows))


def stored_results(project, store) -> dict:
    queries = catalogue(project)
    return {check: store.run(queries[check]) for check in qc.FUSED}


def test_the_stored_queries_find_what_the_fixture_violates(project, fixture):
    """The published definitions answer the hand-written rows (so the comparison below means something)."""
    _, _, store, _ = fixture
    assert rows(stored_results(project, store)) == (EXPECTED_DANGLING, EXPECTED_MISSING, EXPECTED_UNDECLARED)


def test_the_fused_check_finds_exactly_what_each_stored_query_finds(project, fixture):
    sources, bulk, store, cache = fixture
    stored = stored_results(project, store)
    fused = qc.findings([qc.index_dataset(sources), qc.cached_index(bulk, cache)], store)
    assert list(fused) == list(qc.FUSED)
    for check in qc.FUSED:
        assert fused[check].variables == stored[check].variables, check
    assert rows(fused) == rows(stored) == (EXPECTED_DANGLING, EXPECTED_MISSING, EXPECTED_UNDECLARED)
    # usedBy, a SAMPLE in the stored query, is one of the subjects that use the IRI, the smallest
    used_by = dict(fused["dangling-iri-violation"].rows)
    assert used_by[f"{ID}city/nowhere"] == f"{ID}rel/a-b"  # used by rel:a-b and rel:z-b
    assert used_by[f"{ID}city/bulk-nowhere"] == f"{ID}rel/bulk-1"
    assert blank(used_by[f"{ID}city/only-blank-user"]) == BLANK


def test_complete_indexes_need_no_store(project, fixture):
    sources, bulk, store, _ = fixture
    fused = qc.findings([qc.index_dataset(sources), qc.index_file(bulk)])
    assert rows(fused) == rows(stored_results(project, store))


def test_a_slim_index_without_its_store_is_refused(fixture):
    _, bulk, _, cache = fixture
    with pytest.raises(ValueError, match="needs the store"):
        qc.findings([qc.cached_index(bulk, cache)])


def test_the_bulk_index_is_read_once_per_content(fixture, project):
    sources, bulk, store, cache = fixture
    qc.cached_index(bulk, cache)
    assert (cache.hits, cache.misses) == (0, 1)
    qc.cached_index(bulk, cache)
    assert (cache.hits, cache.misses) == (1, 1)
    # a new label for rel:bulk-1 in the bulk file: the next index is made anew and the finding goes
    fa_label = (f'<{ID}rel/bulk-1> <http://www.w3.org/2000/01/rdf-schema#label> "انبوه"@fa '
                '<https://w3id.org/paradiplomacy/graph/synthetic/fixture> .\n')
    bulk.write_text(bulk.read_text(encoding="utf-8") + fa_label, encoding="utf-8")
    fresh = BuildCache(cache.root)
    store.store.load(fa_label.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    fused = qc.findings([qc.index_dataset(sources), qc.cached_index(bulk, fresh)], store)
    assert fresh.misses == 1
    assert (f"{ID}rel/bulk-1", "fa") not in rows(fused)[1]
    assert rows(fused) == rows(stored_results(project, store))


def test_the_real_graph_gives_the_stored_queries_findings(project, dataset):
    store = FastStore.from_dataset(dataset)
    fused = qc.findings(qc.index_dataset(dataset))
    stored = stored_results(project, store)
    for check in qc.FUSED:
        assert fused[check].rows == stored[check].rows, check


def test_a_prefetched_index_is_the_cached_index(fixture, tmp_path):
    sources, bulk, store, cache = fixture
    prefetch = qc.Prefetch([bulk], cache)  # a child process makes the index into the cache
    fused = qc.check(sources, store, [bulk], prefetch=prefetch)
    assert cache.hits == 1 and cache.misses == 0  # read here, made there
    assert rows(fused) == (EXPECTED_DANGLING, EXPECTED_MISSING, EXPECTED_UNDECLARED)
    missing = tmp_path / "missing.nq"
    with pytest.raises(ProjectError, match="missing.nq"):
        qc.Prefetch([missing], BuildCache(tmp_path / "other")).result()
