"""Deterministic Turtle, and errors that name the file and line."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from paradiplomacy.cli import app
from paradiplomacy.rdf.fmt import PREFIX_BLOCK, canonical_turtle, format_source
from paradiplomacy.rdf.load import SourceError, parse_turtle


def test_every_source_is_canonical(project):
    not_canonical = []
    data = set(project.data_files())
    for path in project.turtle_sources():
        text = path.read_text(encoding="utf-8")
        if path not in data and canonical_turtle(parse_turtle(path)) != text:
            not_canonical.append(project.relative(path))
    for path in [*data, *project.data_tables()]:
        if format_source(path, project.relative(path), write=False).changed:
            not_canonical.append(project.relative(path))
    assert not_canonical == [], "run `pdkg fmt`"


def test_every_source_opens_with_the_same_prefix_block(project):
    for path in project.turtle_sources():
        assert path.read_text(encoding="utf-8").startswith(PREFIX_BLOCK), project.relative(path)


def test_fmt_check_fails_on_a_file_that_is_not_canonical(tmp_path, monkeypatch):
    (tmp_path / "ontology").mkdir()
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "0"\n')
    messy = tmp_path / "ontology" / "x.ttl"
    messy.write_text('@prefix pd: <https://w3id.org/paradiplomacy/ontology#> .\npd:B a pd:A . pd:A a pd:A .\n')
    monkeypatch.setenv("PDKG_ROOT", str(tmp_path))
    result = CliRunner().invoke(app, ["fmt", "--check"])
    assert result.exit_code == 1 and "ontology/x.ttl" in result.output
    assert CliRunner().invoke(app, ["fmt"]).exit_code == 0
    assert CliRunner().invoke(app, ["fmt", "--check"]).exit_code == 0


def test_a_syntax_error_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:d ex:e "unterminated .\n')
    with pytest.raises(SourceError) as err:
        parse_turtle(bad, "data/bad.ttl")
    assert err.value.path == "data/bad.ttl" and err.value.line == 3
    assert str(err.value).startswith("data/bad.ttl:3:")


def test_fmt_keeps_comments_orders_data_blocks_by_iri_and_an_edit_stays_local(tmp_path):
    from paradiplomacy.rdf.fmt import format_source

    path = tmp_path / "facts.ttl"
    path.write_text(
        PREFIX_BLOCK + "\n# Section banner: the claims of Table 4\n\n"
        "# note on b\nclaim:b a pd:Claim ; rdfs:label \"B\"@en , \"ب\"@fa .\n"
        "claim:a a pd:Claim ;\n    # inside a\n    rdfs:label \"A\"@en .\n", encoding="utf-8")
    format_source(path, "facts.ttl", write=True)
    text = path.read_text(encoding="utf-8")
    assert text.index("# Section banner") < text.index("claim:a") < text.index("# note on b") < text.index("claim:b")
    assert "# inside a" in text and text.index("# inside a") < text.index("claim:a")
    assert not format_source(path, "facts.ttl", write=False).changed  # idempotent
    edited = text.replace('"A"@en', '"A, edited"@en')
    path.write_text(edited, encoding="utf-8")
    format_source(path, "facts.ttl", write=True)
    before, after = text.splitlines(), path.read_text(encoding="utf-8").splitlines()
    assert len(before) == len(after) and sum(a != b for a, b in zip(before, after, strict=True)) == 1


def test_fmt_sorts_table_rows_by_id_and_keeps_the_columns_in_use(tmp_path):
    from paradiplomacy.rdf.fmt import format_source

    folder = tmp_path / "data" / "sources" / "900-x"
    folder.mkdir(parents=True)
    path = folder / "relations.csv"
    path.write_text("kind,id,party_a,party_b,comment_en\nmou,b,city:a,city:b,\nsister-city,a,city:c,city:d,\"x, y\"\n", encoding="utf-8")
    format_source(path, "relations.csv", write=True)
    assert path.read_text(encoding="utf-8") == "id,kind,party_a,party_b,comment_en\na,sister-city,city:c,city:d,\"x, y\"\nb,mou,city:a,city:b,\n"


def test_fmt_puts_evidence_written_in_turtle_right_after_the_fact_that_cites_it(tmp_path):
    from paradiplomacy.rdf.fmt import format_source

    path = tmp_path / "facts.ttl"
    path.write_text(
        PREFIX_BLOCK + "\nev:000-z a pd:Evidence ; pd:quote \"q\"@fa .\nev:000-y a pd:Evidence ; pd:quote \"r\"@fa .\n"
        "claim:b a pd:Claim ; pd:evidence ev:000-z .\nclaim:a a pd:Claim ; pd:evidence ev:000-y , ev:000-z .\n", encoding="utf-8")
    format_source(path, "facts.ttl", write=True)
    starts = [line for line in path.read_text(encoding="utf-8").splitlines() if line[:1].isalpha() and not line.startswith("PREFIX")]
    assert starts == ["claim:a", "ev:000-y", "ev:000-z", "claim:b"]
