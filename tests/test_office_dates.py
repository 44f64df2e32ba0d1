"""Query 033, who held an office on a day: the answers the documents give, on both engines.

Every expected holder is named by a source for that office: Table 3 of the paper (004) prints
the heads of government by Gregorian years («۱۹۹۷-۲۰۰۵ جناب آقای خاتمی», «۲۰۰۵-۲۰۱۳ جناب آقای
احمدی نژاد», «۲۰۱۳ تا کنون جناب آقای روحانی», «---» for 1979–1989); the Khordad 1404 spread (000)
names Zakani mayor of Tehran at the trip of 7 Khordad 1404 (2025-05-28); the undated report 001
calls Ghalibaf «شهردار تهران» without a day.
"""

from __future__ import annotations

import pytest

from paradiplomacy.build import Runner
from paradiplomacy.query.catalogue import find
from paradiplomacy.query.terms import TermError

GOVERNMENT = {"role": "concept:role-head-of-government", "organization": "body:iran-government"}
MAYOR = {"role": "concept:role-mayor", "organization": "body:tehran-municipality"}


@pytest.fixture(scope="module")
def runners(dataset):
    return Runner(dataset, "fast"), Runner(dataset, "reference")


def holders(project, runners, **values):
    """(holder slug, basis) on each engine, which must agree."""
    query = find(project, "033")
    answers = []
    for runner in runners:
        result = runner.run(query, values)
        holder, basis = result.variables.index("holder"), result.variables.index("basis")
        answers.append(sorted((row[holder].rsplit("/", 1)[1], row[basis]) for row in result.rows))
    assert answers[0] == answers[1], "the two engines disagree"
    return answers[0]


def test_a_day_inside_a_printed_period(project, runners):
    assert holders(project, runners, date="2010-06-01", **GOVERNMENT) == [("mahmoud-ahmadinejad", "period")]
    assert holders(project, runners, date="1993-03-21", **GOVERNMENT) == [("hashemi-rafsanjani", "period")]


def test_a_boundary_year_gives_both_heads_of_government(project, runners):
    # Table 3's periods share their boundary years and the paper gives no day for the handover
    assert holders(project, runners, date="2005-06-01", **GOVERNMENT) == [("khatami", "period"), ("mahmoud-ahmadinejad", "period")]


def test_an_open_end_counts_as_open(project, runners):
    # «۲۰۱۳ تا کنون»: shown in office up to the paper's submission (2018-04-16), open after it
    assert holders(project, runners, date="2015-03-01", **GOVERNMENT) == [("rouhani", "attested")]
    assert holders(project, runners, date="2018-04-16", **GOVERNMENT) == [("rouhani", "attested")]
    assert holders(project, runners, date="2020-01-01", **GOVERNMENT) == [("rouhani", "open-bound")]


def test_no_holder_where_the_source_names_none(project, runners):
    assert holders(project, runners, date="1985-01-01", **GOVERNMENT) == []  # Table 3 prints «---»
    assert holders(project, runners, date="1970-01-01", **GOVERNMENT) == []


def test_mayor_of_tehran(project, runners):
    # Zakani is shown in office on 7 Khordad 1404; 001 gives Ghalibaf's mayoralty no day at all
    assert holders(project, runners, date="2025-05-28", **MAYOR) == [("alireza-zakani", "attested"), ("mohammad-bagher-ghalibaf", "undated")]


def test_a_printed_start_excludes_earlier_days(project, runners):
    # Zakani was elected vice-president of the BRICS cities union at the meeting of 7 Khordad 1404
    brics = {"role": "concept:role-vice-president", "organization": "body:brics-cities-union"}
    assert holders(project, runners, date="2025-05-01", **brics) == []
    assert holders(project, runners, date="2025-05-28", **brics) == [("alireza-zakani", "attested")]
    assert holders(project, runners, date="2025-07-01", **brics) == [("alireza-zakani", "open-bound")]


def test_an_inferred_holder_says_so(project, runners):
    result = runners[0].run(find(project, "033"), {"role": "concept:role-vice-president", "organization": "body:metropolis", "date": "2023-06-11"})
    assert [(r[0].rsplit("/", 1)[1], r[-1]) for r in result.rows] == [("tehran-municipality", "true")]


def test_a_date_as_the_sources_write_it_is_refused(project, runners):
    # «۱۳۹۷/۱/۲۷», as the paper prints its dates: Solar Hijri, Persian digits, slashes
    with pytest.raises(TermError, match="parameter 'date' expects a Gregorian date"):
        runners[0].run(find(project, "033"), {"date": "۱۳۹۷/۱/۲۷"})
