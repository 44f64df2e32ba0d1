"""The CLI's exit codes and messages on good and bad input."""

from __future__ import annotations

import shutil

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDF
from typer.testing import CliRunner

from paradiplomacy.cli import app
from paradiplomacy.namespaces import SH
from paradiplomacy.rdf.fmt import PREFIX_BLOCK


@pytest.fixture()
def copy(project, tmp_path, monkeypatch):
    for name in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(project.root / name, tmp_path / name)
    shutil.copy(project.root / "pyproject.toml", tmp_path / "pyproject.toml")
    monkeypatch.setenv("PDKG_ROOT", str(tmp_path))
    return tmp_path


def test_validate_names_file_and_line_of_a_broken_file(copy):
    (copy / "data" / "sources" / "004-dehshiri-khorrami-1397" / "zz-broken.ttl").write_text(
        PREFIX_BLOCK + '\nrel:x a pd:SisterCityAgreement ;\n    rdfs:label "x\n')
    result = CliRunner().invoke(app, ["validate"])
    assert result.exit_code == 2
    assert "data/sources/004-dehshiri-khorrami-1397/zz-broken.ttl:" in result.output and "Turtle syntax error" in result.output


@pytest.mark.slow
def test_validate_fails_on_a_violation_and_says_where(copy, tmp_path):
    (copy / "data" / "sources" / "004-dehshiri-khorrami-1397" / "zz-bad.ttl").write_text(
        PREFIX_BLOCK + '\nrel:tehran-nowhere a pd:SisterCityAgreement ;\n'
        '    rdfs:label "تهران"@fa , "Tehran alone"@en ;\n    pd:party city:tehran .\n'
    )
    report = tmp_path / "report.ttl"
    result = CliRunner().invoke(app, ["validate", "--report", str(report)])
    assert result.exit_code == 1
    assert "rel:tehran-nowhere" in result.output and "Tehran alone" in result.output
    assert "at least one pd:evidence" in result.output and "exactly two distinct parties" in result.output
    assert "یک شاهد" in result.output and "دقیقاً دو طرف" in result.output  # the Persian message beside the English
    assert "data/sources/004-dehshiri-khorrami-1397/" in result.output
    written = Graph().parse(report, format="turtle")
    reports = list(written.subjects(RDF.type, SH.ValidationReport))
    assert len(reports) == 1 and written.value(reports[0], SH.conforms) == Literal(False)
    refused = CliRunner().invoke(app, ["build"])
    assert refused.exit_code == 1 and "nothing was published" in refused.output
    assert not (copy / "build" / "paradiplomacy.trig").exists()


@pytest.mark.slow
def test_build_writes_the_artefacts(built):
    """The session's one build (conftest.built). That two builds give the same bytes is proven once,
    on the site that holds these dumps too, in two processes with different hash seeds
    (test_publish.test_publishing_twice_gives_the_same_bytes)."""
    for name in ("paradiplomacy.trig", "paradiplomacy.nq", "ontology.ttl", "answers.md", "validation-report.ttl"):
        assert (built / "build" / name).exists(), name
    answers = (built / "build" / "answers.md").read_text()
    assert "001-partners-of-a-city" in answers and "لس آنجلس" not in answers.split("001-partners")[0]
    for name in ("paradiplomacy.nq", "paradiplomacy.trig"):  # one canonical text for build/ and the site's dumps
        assert (built / "build" / name).read_bytes() == (built / "build" / "site" / "dumps" / name).read_bytes(), name


def test_an_unknown_engine_is_refused_with_the_choices():
    result = CliRunner().invoke(app, ["query", "001", "--engine", "nope"])
    assert result.exit_code == 2 and "fast, reference" in result.output


@pytest.mark.slow  # loads every source before the error
def test_a_project_error_from_any_layer_is_one_line_and_exit_2(monkeypatch):
    """The one handler (cli.Commands): an error raised deep in the library, here the reasoner's
    'no Java' (once a RuntimeError that escaped as a traceback), is its message and exit 2."""
    import paradiplomacy.build
    from paradiplomacy.check.reasoner import ReasonerUnavailable

    def no_java(*args, **kwargs):
        raise ReasonerUnavailable("hermit needs Java: install a JRE")

    monkeypatch.setattr(paradiplomacy.build, "check", no_java)
    result = CliRunner().invoke(app, ["validate"])
    assert result.exit_code == 2
    assert result.output.strip() == "pdkg: hermit needs Java: install a JRE"
    assert isinstance(result.exception, SystemExit)  # an exit, not the exception escaping


def test_a_missing_site_is_refused_by_serve_with_exit_2(tmp_path, monkeypatch):
    import paradiplomacy.publish.site

    monkeypatch.setattr(paradiplomacy.publish.site, "site_dir", lambda project: tmp_path / "nothing")
    result = CliRunner().invoke(app, ["serve", "--port", "0"])
    assert result.exit_code == 2 and "holds no published site" in result.output and "pdkg build" in result.output
