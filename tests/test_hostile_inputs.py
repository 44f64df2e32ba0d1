"""A regression suite of hostile inputs: each bad source, parameter or text ends in the exit code
the CLI promises (1 a failed check, 2 an unusable input) and a message naming the file, the line
and the term, never in a traceback, and never with exit 0."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from paradiplomacy.cli import app
from paradiplomacy.rdf.fmt import PREFIX_BLOCK

SOURCES = ("ontology", "data", "shapes", "queries")


@pytest.fixture()
def copy(project, tmp_path, monkeypatch):
    for name in SOURCES:
        shutil.copytree(project.root / name, tmp_path / name)
    shutil.copy(project.root / "pyproject.toml", tmp_path / "pyproject.toml")
    monkeypatch.setenv("PDKG_ROOT", str(tmp_path))
    return tmp_path


def run(*args: str):
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def replace_once(path: Path, old: str, new: str) -> int:
    """Replace the first ``old`` in ``path``; returns the line (1-based) where it was."""
    text = path.read_text(encoding="utf-8")
    at = text.index(old)
    path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")
    return text.count("\n", 0, at) + 1


def line_of(path: Path, needle: str) -> int:
    text = path.read_text(encoding="utf-8")
    return text.count("\n", 0, text.index(needle)) + 1


# --- sources that cannot be read: exit 2, file and line ------------------------------------------------

def test_an_ontology_module_with_a_syntax_error_stops_the_build(copy):
    module = copy / "ontology" / "modules" / "time.ttl"
    with module.open("a", encoding="utf-8") as fh:
        fh.write("\npd:broken a owl:Class ] ;\n    rdfs:label \"broken\"@en .\n")
    line = module.read_text(encoding="utf-8").count("\n") - 1  # the stray ']'
    for command in ("validate", "build"):
        result = run(command)
        assert result.exit_code == 2
        assert re.search(rf"ontology/modules/time\.ttl:{line}: Turtle syntax error", result.output), result.output
    assert not (copy / "build" / "paradiplomacy.trig").exists()


def test_an_iri_with_a_space_is_an_error_not_a_warning(copy):
    # rdflib only warns "does not look like a valid URI" and builds on
    module = copy / "ontology" / "modules" / "events.ttl"
    line = replace_once(module, "rdfs:label", "rdfs:seeAlso <https://example.org/a b> ;\n    rdfs:label")
    result = run("validate")
    assert result.exit_code == 2
    assert f"ontology/modules/events.ttl:{line}: Turtle syntax error" in result.output and "Invalid IRI code point ' '" in result.output


def test_the_right_line_after_long_multi_line_literals(copy):
    # rdflib's own count drifts after string literals (2,894 for line 2,620 of a real file)
    literals = "".join(f'city:c{i} rdfs:comment """first line of {i}\nsecond line\n\nfourth line""" ;\n'
                       f'    rdfs:label "c{i}"@en , "ش{i}"@fa .\n' for i in range(300))
    body = PREFIX_BLOCK + "\n" + literals + "city:bad rdfs:label ;\n    rdfs:comment \"x\" .\n"
    (copy / "data" / "reference" / "zz-long.ttl").write_text(body, encoding="utf-8")
    line = body.count("\n", 0, body.index("city:bad")) + 1
    assert line > 1500
    result = run("validate")
    assert result.exit_code == 2 and f"data/reference/zz-long.ttl:{line}: Turtle syntax error" in result.output, result.output


def test_the_right_line_in_a_real_data_file(copy):
    path = copy / "data" / "sources" / "004-dehshiri-khorrami-1397" / "facts.ttl"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i in range(900, len(lines)) if lines[i].strip() == ".") + 1
    path.write_text("".join(lines[:at] + ["city:bad rdfs:label ;\n"] + lines[at:]), encoding="utf-8")
    result = run("validate")
    assert result.exit_code == 2 and f"data/sources/004-dehshiri-khorrami-1397/facts.ttl:{at + 1}: Turtle syntax error" in result.output


def test_an_invalid_date_is_named_with_its_line(copy):
    path = copy / "data" / "sources" / "000-hamshahri-1404" / "facts.ttl"
    date = re.search(r'"\d{4}-\d{2}-\d{2}"\^\^xsd:date', path.read_text(encoding="utf-8")).group(0)
    line = replace_once(path, date, '"2025-13-45"^^xsd:date')
    result = run("validate")
    assert result.exit_code == 2
    assert f"data/sources/000-hamshahri-1404/facts.ttl:{line}: '2025-13-45' is not a valid xsd:date" in result.output


def test_an_invalid_year_is_named(copy):
    path = copy / "data" / "reference" / "concepts.ttl"
    year = re.search(r'"\d{4}"\^\^xsd:gYear', path.read_text(encoding="utf-8")).group(0)
    line = replace_once(path, year, '"1998/99"^^xsd:gYear')
    result = run("validate")
    assert result.exit_code == 2 and f"data/reference/concepts.ttl:{line}: '1998/99' is not a valid xsd:gYear" in result.output


@pytest.mark.slow
def test_a_shape_with_min_count_one_in_words_is_named(copy):
    path = copy / "shapes" / "actors.ttl"
    line = replace_once(path, "sh:minCount 1 ;", 'sh:minCount "one" ;')
    for command in ("validate", "build"):
        result = run(command)
        assert result.exit_code == 2
        assert f"shapes/actors.ttl:{line}: not a valid SHACL shape" in result.output and "sh:minCount 'one'" in result.output


@pytest.mark.slow
def test_a_shape_file_with_a_syntax_error_is_named(copy):
    path = copy / "shapes" / "events.ttl"
    line = replace_once(path, "sh:path", "sh:path sh:path")
    result = run("validate")
    assert result.exit_code == 2 and f"shapes/events.ttl:{line}" in result.output and "Turtle syntax error" in result.output


@pytest.mark.slow
@pytest.mark.parametrize("kind, name, old, new", [
    ("cq", "001-partners-of-a-city.rq", "OPTIONAL {", "OPTIONAL @@ {"),
    ("qc", "missing-label-violation.rq", "ORDER BY", "ORDER BY @@"),
])
def test_a_stored_query_with_a_syntax_error_is_named(copy, kind, name, old, new):
    path = copy / "queries" / kind / name
    line = replace_once(path, old, new)
    for command in ("validate", "build"):
        result = run(command)
        assert result.exit_code == 2
        assert f"queries/{kind}/{name}:{line}: SPARQL syntax error" in result.output, result.output


def test_a_malformed_parameter_line_is_named(copy):
    path = copy / "queries" / "cq" / "001-partners-of-a-city.rq"
    line = replace_once(path, "# param: city = city:tehran (iri)", "# param: city = city:tehran (town)")
    result = run("query", "001")
    assert result.exit_code == 2 and f"queries/cq/001-partners-of-a-city.rq:{line}: malformed parameter line" in result.output


@pytest.mark.slow
def test_a_default_value_of_the_wrong_kind_is_named(copy):
    path = copy / "queries" / "cq" / "016-trips-in-a-window.rq"
    replace_once(path, "# param: from = 2025 (year)", "# param: from = ۲۰۲۵ (year)")
    result = run("validate")
    assert result.exit_code == 2 and "queries/cq/016-trips-in-a-window.rq: default value: parameter 'from'" in result.output


# --- data that reads but is wrong: exit 1, the fact named -----------------------------------------

@pytest.mark.slow
def test_two_english_labels_fail_the_label_shape(copy):
    path = copy / "data" / "reference" / "people.ttl"
    replace_once(path, '"Khatami"@en', '"Khatami"@en , "Mohammad Khatami"@en')
    result = run("validate")
    assert result.exit_code == 1
    assert "person:khatami" in result.output and "exactly one rdfs:label in English" in result.output
    assert "دقیقاً یک برچسب انگلیسی" in result.output


@pytest.mark.slow
def test_an_invented_quote_fails_with_the_fact_and_the_closest_passage(copy, seeds, monkeypatch):
    monkeypatch.setenv("PDKG_SEEDS", str(seeds))
    path = copy / "data" / "sources" / "003-zakerian-interview-1398" / "evidence.csv"
    replace_once(path, "شــده و بازیگران دیگری برای ایجاد رابطه", "شــده و بازیگران تازه‌ای برای ایجاد رابطه")  # the pd:quote
    for command in ("validate", "build"):
        result = run(command)
        assert result.exit_code == 1
        # the row and column of the quote cell (evidence.csv row 2, column quote)
        assert "data/sources/003-zakerian-interview-1398/evidence.csv:2:4: claim:003-beyond-official-diplomacy" in result.output, result.output
        assert "quote not found in 003_a329515348b68e1a.txt" in result.output
        # the closest passage is the source's own wording of the sentence
        closest = re.search(r"closest: «([^»]*)»", result.output).group(1)
        assert "بازیگران دیگری برای ایجاد رابطه میان دولت ها" in closest
    assert not (copy / "build" / "paradiplomacy.trig").exists()


@pytest.mark.slow
def test_a_missing_seed_file_fails_validate(copy, seeds, tmp_path, monkeypatch):
    partial = tmp_path / "seeds"
    partial.mkdir()
    for text in seeds.glob("*.txt"):
        if not text.name.startswith("002_"):
            shutil.copy(text, partial / text.name)
    monkeypatch.setenv("PDKG_SEEDS", str(partial))
    result = run("validate")
    assert result.exit_code == 1
    assert "seed file 002_049c91392d19c26d.txt is missing" in result.output
    assert re.search(r"data/sources/002-hashemi-public-city-diplomacy/evidence\.csv:\d+:4.* cannot be checked", result.output)


@pytest.mark.slow
def test_absent_source_texts_are_said_not_hidden(copy, tmp_path, monkeypatch):
    monkeypatch.setenv("PDKG_SEEDS", str(tmp_path / "nowhere"))
    result = run("validate")
    assert result.exit_code == 0 and "Quotes: NOT checked: no source texts in" in result.output


# --- parameters -------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("query, param, fragment", [
    ("001", 'city=city:tehran> } SERVICE <http://127.0.0.1:9/> { <x', "parameter 'city': city: must be followed by letters"),
    ("001", 'city=<https://w3id.org/x> } SERVICE <http://127.0.0.1:9/> { <x>', "Invalid IRI code point"),
    ("001", "city=https://w3id.org/paradiplomacy/id/city/a b", "Invalid IRI code point ' '"),
    ("001", "city=Tehrann", "nothing in the graph is named 'Tehrann'; closest: city:tehran"),
    ("001", "city=city:teh\udc80ran", "lone surrogate U+DC80"),
    ("001", "source=doc:\"x\"", "parameter 'source'"),
    ("016", "from=۲۰۲۵", "expects a Gregorian year of four ASCII digits"),
    ("016", "from=2025\n} SERVICE <http://127.0.0.1:9/> {", "expects a Gregorian year"),
    ("016", "to=-1", "expects a Gregorian year"),
])
def test_a_hostile_parameter_is_refused(query, param, fragment):
    result = run("query", query, "--param", param)
    assert result.exit_code == 2 and fragment in result.output


@pytest.mark.slow
def test_a_hostile_string_is_a_value_not_sparql():
    # 024's lang is a string: an injected closing quote and pattern stay inside the literal, so
    # the query runs and finds no text in that "language"
    result = run("query", "024", "--param", 'lang=fa"\n} UNION { ?s ?p ?o } #', "--format", "csv")
    assert result.exit_code == 0 and len(result.stdout.strip().splitlines()) == 1  # the header only


# --- pages ------------------------------------------------------------------------------------

def test_the_answers_markdown_shows_data_html_as_text():
    # build/answers.md; the site's answers pages escape through the template (test_publish.py:
    # test_every_answer_cell_is_escaped_once)
    from paradiplomacy.build import Answer, render_answers
    from paradiplomacy.query.catalogue import Result, StoredQuery

    text = "# title.en: <img src=x onerror=alert(1)>\n# title.fa: <b>عنوان</b>\nSELECT ?a WHERE { }\n"
    query = StoredQuery("999-hostile", "cq", Path("999-hostile.rq"), text, {"title.en": "<img src=x onerror=alert(1)>", "title.fa": "<b>عنوان</b>"})
    rows = [("<script>alert(1)</script>",), ("[click](javascript:alert(1))",), ("a | b",)]
    markdown = render_answers([Answer(query, Result(["a"], rows), None)])
    assert "<script>alert" not in markdown and "<img" not in markdown and "<b>عنوان" not in markdown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markdown
    assert r"\[click\](javascript:alert(1))" in markdown  # brackets escaped: no Markdown link is made of a cell
