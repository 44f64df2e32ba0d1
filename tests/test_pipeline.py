"""build.run(): one load, each view made once, and a wrong answer stopping the build before it writes."""

from __future__ import annotations

import shutil
import sys

import pytest
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from paradiplomacy import build as pipeline
from paradiplomacy.namespaces import GRAPH
from paradiplomacy.project import Project
from paradiplomacy.publish.site import deliver
from paradiplomacy.rdf import load as rdf_load
from paradiplomacy.rdf.serialize import nquads_text


def _copy(project: Project, root) -> Project:
    for name in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(project.root / name, root / name)
    shutil.copy(project.root / "pyproject.toml", root / "pyproject.toml")
    return Project(root)


@pytest.fixture()
def counted_unions(monkeypatch):
    """Every call of rdf.load.union, by prefix, whichever module's name for it is used."""
    calls: list[str] = []
    real = rdf_load.union

    def counting(dataset, prefix=""):
        calls.append(prefix if isinstance(prefix, str) else "|".join(prefix))
        return real(dataset, prefix)

    for module in list(sys.modules.values()):
        if getattr(module, "__name__", "").startswith("paradiplomacy") and getattr(module, "union", None) is real:
            monkeypatch.setattr(module, "union", counting)
    return calls


@pytest.mark.slow
def test_a_whole_build_makes_each_union_once(project, tmp_path, counted_unions):
    from paradiplomacy.publish.site import publish

    made = pipeline.run(project)
    written = pipeline.write(made, tmp_path / "out")
    publish(made, tmp_path / "out" / "site")
    ontology = f"{GRAPH}ontology/"
    # the ontology union was built six times in one build before: HermiT's release, SHACL, the
    # release file, the site's ontology pages and its ontology files, the dumps
    assert counted_unions.count(ontology) == 1, counted_unions
    assert counted_unions.count(str(GRAPH)) == 1, counted_unions  # the union dumps and JSON-LD terms
    assert len(counted_unions) == len(set(counted_unions)), counted_unions
    assert made.ok and {p.name for p in written} == set(pipeline.PRODUCTS) - {"site"}
    # the N-Quads dump of build/ and of the site is one text, the one the store was loaded from
    assert (tmp_path / "out" / "paradiplomacy.nq").read_bytes() == (tmp_path / "out" / "site" / "dumps" / "paradiplomacy.nq").read_bytes()


@pytest.mark.slow
def test_build_metadata_lives_in_the_build_not_on_the_dataset(project):
    made = pipeline.run(project, answer=False)
    assert not hasattr(made.dataset, "pdkg_where") and not hasattr(made.dataset, "pdkg_canonical")
    # the quote of Tehran's MoU with Baghdad (004, Table 1) sits in the quote column (the 4th)
    # of its row of evidence.csv: the build knows the cell, for the quote check's messages
    table = "data/sources/004-dehshiri-khorrami-1397/evidence.csv"
    lines = (project.root / table).read_text(encoding="utf-8").splitlines()
    row = next(n for n, line in enumerate(lines, start=1) if line.startswith("004-t1-tehran-baghdad-mou,"))
    assert lines[0].split(",")[3] == "quote"
    assert made.sources.cells["https://w3id.org/paradiplomacy/id/ev/004-t1-tehran-baghdad-mou"] == f"{table}:{row}:4"
    assert made.answers == () and not made.answered and not made.ok  # checked, not answered: nothing may be written
    with pytest.raises(ValueError, match="not answered"):
        deliver(made)


@pytest.mark.slow
def test_a_wrong_expected_answer_fails_the_build_before_anything_is_written(project, tmp_path):
    copy = _copy(project, tmp_path)
    expected = copy.queries_dir / "cq" / "001-partners-of-a-city.expected.csv"
    rows = expected.read_text(encoding="utf-8").splitlines(keepends=True)
    expected.write_text("".join(rows[:-1]), encoding="utf-8")  # Tehran's last partner of Table 1 lost
    made = pipeline.run(copy)
    assert made.outcome.ok and not made.ok
    assert [a.query.id for a in made.wrong] == ["001-partners-of-a-city"]
    assert any(line.startswith("  + https://w3id.org/paradiplomacy/id/city/tbilisi, ") for line in made.wrong[0].diff())
    assert "001-partners-of-a-city: DIFFERS from queries/cq/001-partners-of-a-city.expected.csv" in made.report()
    with pytest.raises(ValueError, match="answers differ from the expected ones: 001-partners-of-a-city"):
        deliver(made)
    # build/ holds nothing but the parse cache: no product, no staging folder
    assert sorted(p.name for p in copy.build_dir.iterdir()) == ["cache"]


def test_canonicalise_labels_blank_nodes_by_content_and_leaves_other_graphs_alone():
    def dataset(label: str) -> Dataset:
        d = Dataset()
        restriction = BNode(label)
        axioms = d.graph(URIRef(f"{GRAPH}ontology/x"))
        axioms.add((URIRef("urn:C"), RDFS.subClassOf, restriction))
        axioms.add((restriction, RDF.type, OWL.Restriction))
        axioms.add((restriction, OWL.onProperty, URIRef("urn:p")))
        d.graph(URIRef(f"{GRAPH}reference")).add((URIRef("urn:a"), RDFS.label, Literal("a", lang="en")))
        return d

    first, second = dataset("b1"), dataset("zz")
    plain = first.graph(URIRef(f"{GRAPH}reference"))
    before = set(plain)
    pipeline.canonicalise(first)
    pipeline.canonicalise(second)
    assert nquads_text(first) == nquads_text(second)  # the same content, the same bytes
    assert "_:b1" not in nquads_text(first) and set(plain) == before
    assert len(first.graph(URIRef(f"{GRAPH}ontology/x"))) == 3


def test_an_unknown_engine_is_refused_before_loading(project):
    with pytest.raises(ValueError, match="fast, reference"):
        pipeline.Sources(project, "nope", Dataset(), {}, {})


@pytest.mark.slow
def test_the_bench_measures_the_real_build_stage_by_stage(project):
    """`pdkg bench` at its smallest size on the fast engine: the run, write and publish of the
    build, each stage timed, in a child process whose peak memory is its own."""
    from paradiplomacy.bench.pipeline import STAGES, measure, synthetic_file

    run = measure(project, 1000, "fast", seed=0, timeout=600)
    assert run.error == "", run.error
    assert set(run.stages) == set(STAGES) and all(seconds > 0 for seconds in run.stages.values())
    assert set(run.cpu) == set(STAGES) and run.total_cpu > 0
    synthetic = sum(1 for line in synthetic_file(project, 1000, 0).open(encoding="utf-8") if line.strip())
    sources = pipeline.load(project)
    assert run.triples == sum(len(g) for g in sources.dataset.graphs()) + synthetic  # the synthetic quads are in graphs of their own
    assert run.violations == 0  # the generator writes valid data (tests/test_synthetic.py)
    from paradiplomacy.check.qc import FUSED

    # every stored query timed: the competency queries, the QC queries, and the three QC scans fused into one
    assert set(run.queries) == (set(sources.queries) - set(FUSED)) | {pipeline.FUSED_QC}
    assert run.peak_mib > 100 and run.files > 1000
    assert not list((project.build_dir / "bench").glob("out-fast-1000-*"))  # the products are removed
