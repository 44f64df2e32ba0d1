"""Answers a researcher can read: labels beside entities, parameters given by name."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from paradiplomacy.build import Runner
from paradiplomacy.cli import app
from paradiplomacy.query.catalogue import QueryError
from paradiplomacy.query.labels import LabelIndex, normalise

CITY = "https://w3id.org/paradiplomacy/id/city/"


@pytest.fixture(scope="module")
def index(dataset):
    return LabelIndex.from_runner(Runner(dataset, "fast"))


@pytest.mark.parametrize("name", ["اصفهان", "Isfahan", "isfahan", "city:isfahan", f"<{CITY}isfahan>", "اصفهان ", "ISFAHAN"])
def test_isfahan_by_any_of_its_names(index, name):
    assert index.resolve(name, "city") == CITY + "isfahan"


def test_a_name_without_its_half_space_is_the_same_name(index):
    # the seed's Table 1 prints «سن پترزبورگ»; the PDF extraction elsewhere drops half-spaces
    assert index.resolve("سنپترزبورگ", "city") == index.resolve("سن پترزبورگ", "city") == CITY + "saint-petersburg"


def test_arabic_letters_match_persian_ones():
    assert normalise("كويت") == normalise("کویت")


def test_a_misspelt_entity_is_refused_with_the_closest_name(index):
    with pytest.raises(QueryError, match=r"no entity 'city:isfahann'.*closest: city:isfahan \(Isfahan / اصفهان\)"):
        index.resolve("city:isfahann", "city")


def test_a_name_of_two_entities_is_refused_naming_both(index):
    # «کویت» in Table 1 is both the city (Tehran's and Isfahan's partner) and its country
    with pytest.raises(QueryError, match=r"names 2 entities: city:kuwait-city .*country:kuwait"):
        index.resolve("کویت", "city")


@pytest.mark.slow
def test_the_cli_answers_with_persian_labels_for_a_persian_name():
    result = CliRunner().invoke(app, ["query", "001", "--param", "city=اصفهان", "--lang", "fa", "--format", "csv"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "partner,partner_label,country,country_label,kind,year"
    # Isfahan's row of Table 1: «فلورانس (۱۹۹۸)», Italy
    assert f"{CITY}florence,فلورانس,https://w3id.org/paradiplomacy/id/country/italy,ایتالیا,SisterCityAgreement,1998" in lines
    assert "001-partners-of-a-city with city = city:isfahan (اصفهان)" in result.stderr


@pytest.mark.slow
def test_the_cli_refuses_a_misspelt_city_instead_of_an_empty_answer():
    result = CliRunner().invoke(app, ["query", "001", "--param", "city=Isfahn"])
    assert result.exit_code == 2
    assert "nothing in the graph is named 'Isfahn'; closest: city:isfahan" in result.output


def test_the_list_shows_each_querys_parameters():
    result = CliRunner().invoke(app, ["query", "--list"])
    assert "--param city=…  (iri, default city:tehran)" in result.stdout


def test_a_querys_help_shows_its_question_and_parameters():
    result = CliRunner().invoke(app, ["query", "001", "--help"])
    assert result.exit_code == 0
    assert "--param city=VALUE   iri, default city:tehran: the city whose partners are listed" in result.stdout
    assert "source: 004 Table 1 (جدول شماره ۱), the row of the city" in result.stdout


@pytest.mark.slow
def test_an_answer_with_numbers_is_drawn_and_one_without_is_refused(tmp_path):
    chart = tmp_path / "regions.svg"
    drawn = CliRunner().invoke(app, ["query", "003", "--chart", str(chart), "--format", "csv"])
    assert drawn.exit_code == 0, drawn.output
    svg = chart.read_text(encoding="utf-8")
    # 003 has two numeric columns (recomputed, printed) over Table 2's seven regions
    assert svg.count('<g id="patch_') >= 2 * 7
    refused = CliRunner().invoke(app, ["query", "009", "--chart", str(tmp_path / "x.svg")])
    assert refused.exit_code == 2 and "nothing to chart: no column of numbers" in refused.output
