"""Bulk N-Quads files (`pdkg build --bulk`, build.load's ``extra``): into the Oxigraph store only,
checked there, written into the dumps sorted, and refused with their file and line when bad.

The fixtures in tests/bulk/ are synthetic cities of this test's own making (see its README)."""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset
from typer.testing import CliRunner

from paradiplomacy import build as pipeline
from paradiplomacy.namespaces import GRAPH, ID
from paradiplomacy.project import ProjectError
from paradiplomacy.rdf.bulk import BulkError, load_bulk, write_nquads, write_trig

FIXTURES = Path(__file__).with_name("bulk")
TWO_CITIES = FIXTURES / "two-cities.nq"
NO_COUNTRY = FIXTURES / "city-without-country.nq"
BULK_GRAPH = f"{GRAPH}synthetic/bulk-test"
SOURCE = f"{GRAPH}reference"
SOURCE_LINE = f"<{ID}city/tehran> <http://www.w3.org/2000/01/rdf-schema#label> \"Tehran\"@en <{SOURCE}> .\n"


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines(keepends=True) if line.strip() and not line.startswith("#")]


def _store_with_a_source() -> ox.Store:
    store = ox.Store()
    store.load(SOURCE_LINE.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    return store


def _bad(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "bad.nq"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def test_a_bulk_file_is_loaded_into_the_store_graph_by_graph():
    store = _store_with_a_source()
    graphs = load_bulk(store, [TWO_CITIES], {SOURCE: 1})
    assert graphs == {BULK_GRAPH: TWO_CITIES}
    assert len(store) == 1 + len(_lines(TWO_CITIES))  # the fixture's 8 quads beside the source's one


def test_a_line_that_does_not_parse_is_named_with_its_file_line_and_value(tmp_path):
    good = _lines(TWO_CITIES)
    path = _bad(tmp_path, [*good[:2], f"<{ID}city/syn-bulk-a> <{ID}p> oops <{BULK_GRAPH}> .\n", *good[2:]])
    with pytest.raises(BulkError, match=r"bad\.nq:3: not N-Quads") as caught:
        load_bulk(_store_with_a_source(), [path], {SOURCE: 1})
    assert "oops" in str(caught.value) and isinstance(caught.value, ProjectError)  # exit 2


def test_a_blank_node_is_refused_with_its_line_and_an_iri_holding_underscore_colon_is_not(tmp_path):
    good = _lines(TWO_CITIES)
    # line 1: "_:" inside an IRI and inside a literal, no blank node; line 3 a blank subject
    odd = f"<{ID}city/syn-bulk-a> <http://www.w3.org/2000/01/rdf-schema#comment> \"a _:b\" <{BULK_GRAPH}> .\n"
    iri = f"<{ID}city/syn-bulk-a> <{ID}x_:y> <{ID}city/syn-bulk-b> <{BULK_GRAPH}> .\n"
    path = _bad(tmp_path, [odd, iri, f"_:b1 <{ID}p> \"x\" <{BULK_GRAPH}> .\n", *good])
    with pytest.raises(BulkError, match=r"bad\.nq:3: a blank node"):
        load_bulk(_store_with_a_source(), [path], {SOURCE: 1})
    fine = _bad(tmp_path, [odd, iri, *good])
    assert load_bulk(_store_with_a_source(), [fine], {SOURCE: 1}) == {BULK_GRAPH: fine}


def test_a_triple_in_the_default_graph_or_a_quad_in_a_source_graph_is_refused(tmp_path):
    good = _lines(TWO_CITIES)
    path = _bad(tmp_path, [*good, f"<{ID}city/syn-bulk-a> <{ID}p> <{ID}city/syn-bulk-b> .\n"])
    with pytest.raises(BulkError, match=rf"bad\.nq:{len(good) + 1}: a triple in the default graph"):
        load_bulk(_store_with_a_source(), [path], {SOURCE: 1})
    path = _bad(tmp_path, [good[0], f"<{ID}city/syn-bulk-a> <{ID}p> <{ID}city/syn-bulk-b> <{SOURCE}> .\n"])
    with pytest.raises(BulkError, match=rf"bad\.nq:2: a quad in {SOURCE}, a graph of the sources"):
        load_bulk(_store_with_a_source(), [path], {SOURCE: 1})


def test_a_missing_file_or_another_format_is_refused(tmp_path):
    with pytest.raises(BulkError, match="no such bulk file"):
        load_bulk(ox.Store(), [tmp_path / "none.nq"], {})
    turtle = tmp_path / "x.ttl"
    turtle.write_text("", encoding="utf-8")
    with pytest.raises(BulkError, match=r"x\.ttl: a bulk file must be N-Quads"):
        load_bulk(ox.Store(), [turtle], {})


def test_the_dumps_merge_the_sources_and_the_bulk_graphs_sorted(monkeypatch):
    from paradiplomacy.rdf import bulk

    monkeypatch.setattr(bulk, "RUN_LINES", 3)  # several runs on disk, merged
    store = _store_with_a_source()
    graphs = load_bulk(store, [TWO_CITIES, NO_COUNTRY], {SOURCE: 1})
    out = io.StringIO()
    write_nquads(out, SOURCE_LINE, store, graphs)
    lines = out.getvalue().splitlines(keepends=True)
    expected = [SOURCE_LINE, *_lines(TWO_CITIES), *_lines(NO_COUNTRY)]
    assert lines == sorted(expected)  # every quad once, in code-point order
    trig = io.StringIO()
    write_trig(trig, "", store, graphs)
    parsed = Dataset()
    parsed.parse(data=trig.getvalue(), format="trig")
    from_nq = Dataset()
    from_nq.parse(data="".join(_lines(TWO_CITIES) + _lines(NO_COUNTRY)), format="nquads")
    assert set(parsed.quads()) == set(from_nq.quads())
    assert len(list(ox.parse(trig.getvalue().encode("utf-8"), format=ox.RdfFormat.TRIG))) == len(expected) - 1


@pytest.mark.slow
def test_a_build_with_bulk_files_keeps_them_out_of_rdflib_checks_and_dumps_them(project, tmp_path):
    made = pipeline.run(project, extra=(TWO_CITIES, NO_COUNTRY), answer_invalid=True)  # answered for publish, though invalid
    # the bulk graphs are in the store, not in the rdflib dataset of the sources
    assert made.sources.bulk_graphs == {BULK_GRAPH, BULK_GRAPH + "-2"}
    assert not [g for g in made.dataset.graphs() if str(g.identifier).startswith(BULK_GRAPH)]
    # SHACL on the store found the synthetic city without a country, located in its file
    violations = made.outcome.shacl.violations
    assert [(v.shape, v.focus, v.focus_label, v.files) for v in violations] == [
        ("pdsh:CityShape-country", "city:syn-bulk-c", "Synthetic city C", (str(NO_COUNTRY),))]
    assert not made.outcome.ok and not made.outcome.qc_failures  # labels, countries and terms are all there
    written = pipeline.write(made, tmp_path)
    nq = (tmp_path / "paradiplomacy.nq").read_text(encoding="utf-8").splitlines(keepends=True)
    assert nq == sorted(set(nq)) and set(_lines(TWO_CITIES)) | set(_lines(NO_COUNTRY)) <= set(nq)
    assert set(made.sources.nquads.splitlines(keepends=True)) <= set(nq)  # the sources' lines, all of them
    dumped = Dataset()
    dumped.parse(tmp_path / "paradiplomacy.trig", format="trig")
    assert len(dumped.graph(BULK_GRAPH)) == len(_lines(TWO_CITIES))
    assert sum(len(g) for g in dumped.graphs()) == len(nq)
    assert {p.name for p in written} == set(pipeline.PRODUCTS) - {"site"}
    # the site: the three synthetic cities are left to pdkg serve, which reads the site's full N-Quads dump
    import json

    from paradiplomacy.publish.ondemand import MANIFEST
    from paradiplomacy.publish.site import publish

    publish(made, tmp_path / "site")
    manifest = json.loads((tmp_path / "site" / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["bulk_graphs"] == [BULK_GRAPH, BULK_GRAPH + "-2"] and manifest["entities"] == 3
    assert (tmp_path / "site" / "dumps" / "paradiplomacy.nq").read_bytes() == (tmp_path / "paradiplomacy.nq").read_bytes()
    assert not (tmp_path / "site" / "id" / "city" / "syn-bulk-a.html").exists()


@pytest.mark.slow
def test_pdkg_build_names_the_line_of_a_bad_bulk_file(project, tmp_path):
    from paradiplomacy.cli import app

    path = _bad(tmp_path, [*_lines(TWO_CITIES)[:4], "<not an iri> <x> <y> .\n"])
    result = CliRunner().invoke(app, ["build", "--bulk", str(path)])
    assert result.exit_code == 2, result.output
    assert f"{path}:5: not N-Quads" in result.output
