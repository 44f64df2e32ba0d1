"""Stored queries: headers, parameters bound as terms, expected answers written from the documents."""

from __future__ import annotations

import re

import pytest
from rdflib import URIRef
from typer.testing import CliRunner

from paradiplomacy.cli import app
from paradiplomacy.query.catalogue import QueryError, catalogue, find, read_expected, run_local
from paradiplomacy.query.terms import TermError

REQUIRED = ("title.en", "title.fa", "question.en", "source", "tags", "row")


def cq_ids():
    from paradiplomacy.project import Project

    return [q.id for q in catalogue(Project.locate()).values() if q.kind == "cq"]


def qc_ids():
    from paradiplomacy.project import Project

    return [q.id for q in catalogue(Project.locate()).values() if q.kind == "qc"]


def test_the_catalogue_is_every_stored_query_file_and_nothing_else(project):
    """A query file the catalogue skipped (a misspelt name, a stray suffix) would go unanswered."""
    for kind in ("cq", "qc"):
        files = sorted(p.stem for p in (project.queries_dir / kind).glob("*.rq"))
        assert sorted(q.id for q in catalogue(project).values() if q.kind == kind) == files, kind
    assert sorted(qc_ids()) == ["dangling-iri-violation", "deprecated-term-violation", "missing-label-violation", "undeclared-term-violation"]
    unanswered = [q.id for q in catalogue(project).values() if q.kind == "cq" and not q.expected_path.is_file()]
    assert unanswered == []  # every question has its answer written from the documents


@pytest.mark.parametrize("query_id", cq_ids() + qc_ids())
def test_header_is_complete(project, query_id):
    query = find(project, query_id)
    missing = [k for k in REQUIRED if k not in query.header]
    assert missing == [], f"{query.path.name} lacks {missing}"
    if query.kind == "cq":
        assert "question.fa" in query.header
        assert re.fullmatch(r"\d{3}-[a-z0-9-]+", query.id)
    else:
        assert query.id.endswith("-violation")


@pytest.mark.parametrize("query_id", cq_ids())
def test_answer_equals_the_expected_answer(project, runner, query_id):
    query = find(project, query_id)
    expected = read_expected(query)
    actual = runner.run(query)
    assert actual.variables == expected.variables
    assert sorted(actual.rows) == sorted(expected.rows)


@pytest.mark.parametrize("query_id", qc_ids())
def test_quality_check_returns_nothing(project, runner, query_id):
    assert runner.run(find(project, query_id)).rows == []


def test_every_listed_competency_question_has_its_one_stored_query_and_back(project):
    rows = re.findall(r"^\| (\d+) \|(.*)$", (project.root / "docs" / "competency-questions.md").read_text(), re.M)
    cited = [re.findall(r"\[(\d{3})\]", row) for _, row in rows]
    assert [n for (n, _), c in zip(rows, cited, strict=True) if len(c) != 1] == []  # each question names one query
    assert sorted(c[0] for c in cited) == sorted(qid[:3] for qid in cq_ids())  # and each query answers one question


def test_parameters_are_bound_as_rdf_terms(project):
    query = find(project, "001")
    bindings = query.bindings({"city": "city:isfahan"})
    assert bindings == {"city": URIRef("https://w3id.org/paradiplomacy/id/city/isfahan"),
                        "source": URIRef("https://w3id.org/paradiplomacy/id/doc/004-dehshiri-khorrami-1397")}
    assert "isfahan" not in query.text  # the value never enters the query text
    assert find(project, "002").bindings()["source"] == URIRef("https://w3id.org/paradiplomacy/id/doc/004-dehshiri-khorrami-1397")


def test_isfahan_has_14_partners_in_the_paper(project, graph):
    result = run_local(graph, find(project, "001"), {"city": "city:isfahan"})  # the reference engine, with initBindings
    assert len(result.rows) == 14  # Table 1, row Isfahan
    assert ("https://w3id.org/paradiplomacy/id/city/florence", "https://w3id.org/paradiplomacy/id/country/italy",
            "SisterCityAgreement", "1998") in result.rows


def test_unknown_query_lists_what_exists(project):
    with pytest.raises(QueryError, match="stored queries: 001-partners-of-a-city"):
        find(project, "999-nothing")


def test_unknown_parameter_lists_the_parameters(project):
    with pytest.raises(QueryError, match=r"no parameter town \(parameters: city, source\)"):
        find(project, "001").bindings({"town": "city:tehran"})


def test_a_value_of_the_wrong_kind_is_refused(project):
    with pytest.raises(TermError, match="expects an IRI"):
        find(project, "001").bindings({"city": "Tehran } ; DROP ALL"})


def test_cli_query_exit_codes(project):
    runner = CliRunner()
    assert runner.invoke(app, ["query", "--list"]).exit_code == 0
    bad = runner.invoke(app, ["query", "999"])
    assert bad.exit_code == 2 and "unknown query" in bad.output
    bad = runner.invoke(app, ["query", "001", "--param", "town=city:tehran"])
    assert bad.exit_code == 2 and "parameters: city, source" in bad.output
    ok = runner.invoke(app, ["query", "001", "--param", "city=city:ramsar", "--format", "csv"])
    assert ok.exit_code == 0
    assert ok.stdout.splitlines()[1:] == [
        "https://w3id.org/paradiplomacy/id/city/al-wakrah,Al Wakrah,https://w3id.org/paradiplomacy/id/country/qatar,Qatar,SisterCityAgreement,2010",
        "https://w3id.org/paradiplomacy/id/city/puerto-montt,Puerto Montt,https://w3id.org/paradiplomacy/id/country/chile,Chile,SisterCityAgreement,2009",
    ]
