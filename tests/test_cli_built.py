"""`pdkg query` and `pdkg answers` on a built graph: the build's N-Quads while they are newer than
every source, the sources themselves once one is newer; and what the fast path does not import."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from paradiplomacy.query.guard import QueryRefused, _may_hold_service, parsed_services, services

PDKG = str(Path(sys.executable).parent / "pdkg")
BROKEN = Path("data") / "reference" / "people.ttl"


@pytest.fixture
def built_copy(project, dataset, tmp_path):
    """A copy of the sources with build/paradiplomacy.nq made from them, every source a second
    older than the dump."""
    from paradiplomacy.rdf.serialize import nquads_text

    for name in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(project.root / name, tmp_path / name)
    shutil.copy(project.root / "pyproject.toml", tmp_path / "pyproject.toml")
    dump = tmp_path / "build" / "paradiplomacy.nq"
    dump.parent.mkdir()
    dump.write_text(nquads_text(dataset), encoding="utf-8")
    age_sources(tmp_path)
    return tmp_path


def age_sources(root: Path) -> None:
    older = (root / "build" / "paradiplomacy.nq").stat().st_mtime_ns - 10**9
    for folder in ("ontology", "data", "shapes"):
        for path in [root / folder, *(root / folder).rglob("*")]:
            os.utime(path, ns=(older, older))


def pdkg(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([PDKG, *args], capture_output=True, text=True, timeout=300, env={**os.environ, "PDKG_ROOT": str(root)})


def answer_columns(csv_text: str) -> list[list[str]]:
    """The query's own columns of a `pdkg query --format csv` answer (the *_label columns left out)."""
    rows = list(csv.reader(io.StringIO(csv_text)))
    keep = [i for i, name in enumerate(rows[0]) if not name.endswith("_label")]
    return [[row[i] for i in keep] for row in rows]


def expected(project, query_file: str) -> list[list[str]]:
    """The answer written by hand from the documents beside the stored query."""
    return list(csv.reader(io.StringIO((project.queries_dir / "cq" / query_file).read_text(encoding="utf-8"))))


def test_a_fresh_build_is_answered_from_its_dump_without_reading_the_sources(project, built_copy):
    (built_copy / BROKEN).write_text("this is not Turtle .\n", encoding="utf-8")
    age_sources(built_copy)  # broken, but older than the dump: never parsed
    run = pdkg(built_copy, "query", "001", "--format", "csv")
    assert run.returncode == 0, run.stderr
    # 004 Table 1, Tehran's row: the answer written by hand from the paper
    assert answer_columns(run.stdout) == expected(project, "001-partners-of-a-city.expected.csv")
    assert run.stderr.startswith("001-partners-of-a-city with city = city:tehran (Tehran)")
    answered = pdkg(built_copy, "answers")
    assert answered.returncode == 0, answered.stdout + answered.stderr
    competency = sorted(p.stem for p in (project.queries_dir / "cq").glob("*.rq"))
    assert [line.split(":")[0] for line in answered.stdout.splitlines()] == competency
    assert all(": matches (" in line for line in answered.stdout.splitlines())


@pytest.mark.slow  # a build copy re-read in a process of its own
def test_a_source_newer_than_the_dump_is_loaded_again(project, built_copy):
    (built_copy / BROKEN).write_text("this is not Turtle .\n", encoding="utf-8")  # now newer than the dump
    run = pdkg(built_copy, "query", "001", "--format", "csv")
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert f"pdkg: {BROKEN.as_posix()}:1" in run.stderr  # the sources were read: the broken one is named
    shutil.copy(project.root / BROKEN, built_copy / BROKEN)  # mended, and still newer than the dump
    run = pdkg(built_copy, "query", "001", "--param", "city=Isfahan", "--format", "csv")
    assert run.returncode == 0, run.stderr
    assert len(answer_columns(run.stdout)) - 1 == 14  # the paper's Table 1 lists 14 partners of Isfahan


def test_the_fast_path_imports_neither_the_build_nor_the_checks(built_copy):
    """What makes `pdkg query` fast on a built graph: the pipeline (build.py with rdflib's SPARQL
    engine, owlready2, pySHACL, Jinja) is not imported to answer from the dump."""
    heavy = ("paradiplomacy.build", "paradiplomacy.check", "paradiplomacy.publish", "rdflib.plugins.sparql", "owlready2", "pyshacl",
             "jinja2", "pyparsing")
    probe = ("import atexit, sys\n"
             f"atexit.register(lambda: print(sorted(m for m in sys.modules if m.startswith({heavy!r})), file=sys.stderr))\n"
             "from paradiplomacy.cli import run\n"
             "sys.argv = ['pdkg', 'query', '018', '--param', 'provider=body:tehran-municipality']\n"
             "run()\n")
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PDKG_ROOT": str(built_copy)})
    assert run.returncode == 0, run.stderr
    assert run.stderr.strip().splitlines()[-1] == "[]"


# --- SERVICE found without rdflib's parser where it cannot be ---------------------------------------

SERVICE_CALLS = [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?x ?y ?z } }",
    "SELECT * WHERE { service silent <http://127.0.0.1:9/> { ?x ?y ?z } }",
    "PREFIX l: <http://127.0.0.1:9/>\nSELECT * WHERE { SeRvIcE l:sparql { ?x ?y ?z } }",
    "SELECT * WHERE { VALUES ?e { <http://127.0.0.1:9/> } SERVICE ?e { ?x ?y ?z } }",
    "SELECT * WHERE { ?s ?p ?o . SERVICE<http://127.0.0.1:9/>{ ?x ?y ?z } }",
    "SELECT * WHERE { ?s ?p ?o.SERVICE<http://127.0.0.1:9/>{ ?x ?y ?z } }",  # the dot ends the triple
    "SELECT * WHERE { ?s ?p 1SERVICE<http://127.0.0.1:9/>{ ?x ?y ?z } }",  # the number ends the object
    "SELECT * WHERE { ?s ?p ?o FILTER (?o<2) SERVICE <http://127.0.0.1:9/> { ?x ?y ?z } }",
    "SELECT * WHERE { ?s ?p ?o # a comment\n SERVICE <http://127.0.0.1:9/> { ?x ?y ?z } }",
    'SELECT * WHERE { ?s ?p "a \\" SERVICE" . SERVICE <http://127.0.0.1:9/> { ?x ?y ?z } }',
    "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { ?x ?y ?z } }",  # SPARQL's escapes apply before parsing
    # glued to a keyword or a number: Oxigraph reads `true` or `1e1`, then SERVICE
    "SELECT * WHERE { ?s ?p trueSERVICE <http://127.0.0.1:9/> { ?x ?y ?z } }",
    "SELECT * WHERE { ?s ?p falseSERVICE <http://127.0.0.1:9/> { ?x ?y ?z } }",
    "SELECT * WHERE { ?s ?p 1e1SERVICE <http://127.0.0.1:9/> { ?x ?y ?z } }",
    'SELECT * WHERE { ?s ?p "x"^^<http://t>SERVICE <http://127.0.0.1:9/> { ?x ?y ?z } }',
    # an escaped # or ' in a prefixed name opens no comment or string for SPARQL
    "PREFIX pd: <http://x/>\nSELECT * WHERE { ?s ?p pd:a\\# . SERVICE <http://127.0.0.1:9/> { ?x ?y ?z } }",
    "PREFIX pd: <http://x/>\nSELECT * WHERE { ?s ?p pd:a\\' . SERVICE <http://127.0.0.1:9/> { ?x ?y ?z } FILTER (?s != 'x') }",
    "SELECT * WHERE { ?s ?p ?o # a comment ends at CR too\rSERVICE <http://127.0.0.1:9/> { ?x ?y ?z } }",
]

NO_SERVICE = [
    'SELECT ?service WHERE { BIND("SERVICE <http://127.0.0.1:9/>" AS ?service) } # SERVICE',
    "PREFIX pd: <https://w3id.org/paradiplomacy/ontology#>\nSELECT * WHERE { ?x a pd:ServiceExport ; pd:in_service $service }",
    "SELECT * WHERE { ?x <http://example.org/SERVICE> ?y }",
    "# param: provider = body:tehran-municipality (iri) the body providing the services\nSELECT * WHERE { ?s ?p ?o }",
]


@pytest.mark.parametrize("text", SERVICE_CALLS)
def test_a_service_call_is_always_parsed_and_found_or_refused(text):
    """Every text here is one Oxigraph accepts with its SERVICE clause (tried with pyoxigraph 0.5:
    `?o.SERVICE<…>{…}`, `1SERVICE`, `trueSERVICE` too); rdflib finds the clause, or cannot parse
    the text, which is then refused."""
    import pyoxigraph as ox

    if "\\u" not in text:  # Oxigraph parses it (the call would run only once the answer is read)
        ox.Store().query(text)
    assert _may_hold_service(text)
    try:
        found = services(text)
    except QueryRefused:
        return
    assert found == ["http://127.0.0.1:9/sparql" if "l:sparql" in text else "?e" if "?e" in text else "http://127.0.0.1:9/"]


@pytest.mark.parametrize("text", NO_SERVICE)
def test_the_word_service_outside_the_keyword_needs_no_parser(text):
    assert parsed_services(text) == []  # the parser agrees: no SERVICE clause
    assert not _may_hold_service(text)
    assert services(text) == []


@pytest.mark.slow  # rdflib's SPARQL parser on every stored query
def test_the_token_test_agrees_with_the_parser_on_every_stored_query(project):
    from paradiplomacy.query.catalogue import catalogue

    for query in catalogue(project).values():
        assert parsed_services(query.text) == [], query.id
        assert not _may_hold_service(query.text), query.id  # none of them pays for rdflib's parser


# --- names keyed in one pass -------------------------------------------------------------------

def test_a_name_is_keyed_as_the_module_defines_it_for_every_label_of_the_graph(runner):
    """labels.normalise keys a name by str.translate; the definition it must keep is fold(), then
    آ as ا, then spaces, hyphens, quotes and brackets dropped, whatever the label."""
    import unicodedata

    from paradiplomacy.ingest.normalise import fold
    from paradiplomacy.query.labels import LABEL_QUERY, normalise

    def defined(text: str) -> str:
        return "".join(ch for ch in fold(unicodedata.normalize("NFKC", text)).replace("آ", "ا")
                       if not (ch.isspace() or ch in "-_'’‘.,،()«»\""))

    labels = [label for _, _, label, _ in runner.select(LABEL_QUERY).rows]
    assert len(labels) > 2000 and any("\u200c" in label for label in labels)  # Persian labels with half-spaces among them
    assert [normalise(label) for label in labels] == [defined(label) for label in labels]
    assert normalise("سن‌پترزبورگ") == normalise("سن پترزبورگ") == normalise("سنپترزبورگ")  # the seeds' PDFs drop the ZWNJ
    assert normalise("آمل") == normalise("امل") and normalise("۱۳۹۷") == "1397"


# --- labels read for the answer, not for the graph ----------------------------------------------

def test_labels_read_on_demand_are_the_labels_of_the_whole_index(project, runner):
    """`pdkg query` labels its answer from LabelIndex.on_demand (the labels of the answer's
    entities only); every stored query's answer, in both languages, is labelled as by the index
    of every label, and names resolve the same."""
    from paradiplomacy.query.catalogue import catalogue
    from paradiplomacy.query.labels import LabelIndex

    whole = LabelIndex.from_runner(runner)
    for query in catalogue(project).values():
        answer = runner.run(query)
        for lang in ("en", "fa"):
            assert LabelIndex.on_demand(runner).labelled(answer, lang) == whole.labelled(answer, lang), (query.id, lang)
    partners = LabelIndex.on_demand(runner)
    labelled = partners.labelled(runner.run(catalogue(project)["001-partners-of-a-city"]), "fa")
    assert ("https://w3id.org/paradiplomacy/id/city/beijing", "پکن") in {(row[0], row[1]) for row in labelled.rows}
    assert len(partners.labels) < 60 < len(whole.labels)  # Tehran's 24 partners and their countries, not the graph's entities
    for name in ("city:isfahan", "Isfahan", "اصفهان", "isfahan"):
        assert LabelIndex.on_demand(runner).resolve(name, "city") == whole.resolve(name, "city") == "https://w3id.org/paradiplomacy/id/city/isfahan"
