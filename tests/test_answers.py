"""The answers of the stored queries and the passages their rows rest on.

``build.row_sources`` (one ROW_SOURCES query per row) is the definition of a row's passages;
``build.passages`` finds them for every row at once, and must give exactly the same on both
engines. build/answers.md and the site's answers page are each rendered by a template of their
own from the same Answer objects and passages."""

from __future__ import annotations

import dataclasses

import pytest

from paradiplomacy.build import PASSAGES_PER_ROW, Runner, answer_all, passages, render_answers, row_sources
from paradiplomacy.namespaces import INSTANCE

PAPER = "004-dehshiri-khorrami-1397"
# 004, Table 1 (جدول شماره ۱), row Tehran (تهران): «لس آنجلس (۱۹۷۲)» is the first partner printed,
# in the United States (ایالات متحده آمریکا, the first country of the row)
LOS_ANGELES = (PAPER, "Table 1, row Tehran (تهران), partner 1")
CITY, COUNTRY = INSTANCE["city"], INSTANCE["country"]


@pytest.fixture(scope="module")
def answers(project, runner):
    return answer_all(project, runner)


@pytest.fixture(scope="module")
def found(runner, answers):
    return passages(runner, answers)


def per_row(runner, answers):
    """The definition: ROW_SOURCES for each row on its own."""
    return [[row_sources(runner, row, tuple(str(v) for v in a.query.bindings().values())) for row in a.result.rows] for a in answers]


def position(answers, prefix: str) -> int:
    return next(n for n, a in enumerate(answers) if a.query.id.startswith(prefix))


def test_a_partner_of_tehran_rests_on_its_place_in_table_1(answers, found):
    n = position(answers, "001-")  # partners of city:tehran by default
    rows = answers[n].result.rows
    k = next(k for k, row in enumerate(rows) if row[:2] == (str(CITY["los-angeles"]), str(COUNTRY["united-states"])))
    assert LOS_ANGELES in found[n][k]
    # the row names no fact of its own: the passage comes from the relation linking the partner
    # to the city the query was asked about (a parameter, not a cell of the row)
    assert not any(cell.startswith("https://w3id.org/paradiplomacy/id/rel/") for cell in rows[k])


def test_passages_in_bulk_are_the_definition_on_every_row_of_every_stored_query(runner, answers, found):
    assert found == per_row(runner, answers)
    # the comparison reaches every case of the definition: rows cut to the limit, rows with
    # fewer passages and rows with none
    sizes = {len(row) for rows in found for row in rows}
    assert {0, 1, PASSAGES_PER_ROW} <= sizes and max(sizes) == PASSAGES_PER_ROW


@pytest.mark.slow
def test_both_engines_find_the_same_passages(answers, found, graph):
    """rdflib (the reference engine, which joins the entities in Python) gives Oxigraph's passages."""
    assert passages(Runner(engine="reference", graph=graph), answers) == found


@pytest.mark.scale
def test_passages_in_bulk_are_the_definition_on_a_synthetic_graph(project, dataset):
    """The synthetic graph gives the aggregate answers rows of shared concepts (statuses, tracks,
    roles) that thousands of facts name: the pairs the bulk intersects are large there."""
    import io

    import pyoxigraph as ox

    from paradiplomacy.bench.synthetic import write_nquads
    from paradiplomacy.query.engine import FastStore

    text = io.StringIO()
    write_nquads(text, 10_000, seed=3)
    store = FastStore.from_dataset(dataset)
    store.store.load(text.getvalue().encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    runner = Runner(engine="fast", store=store)
    answers = answer_all(project, runner)
    found = passages(runner, answers)
    assert found == per_row(runner, answers)
    assert any(doc.startswith("syn-") for rows in found for row in rows for doc, _ in row)  # synthetic rows were compared too


def test_answers_md_and_the_answers_page_render_the_same_objects(project, runner, answers, found, dataset):
    """Each output has its own template fed with the Answer objects: the page never converts the
    Markdown, so Markdown's syntax in a question is text on the page and escaped in answers.md."""
    from paradiplomacy.build import canonical_dataset
    from paradiplomacy.publish.pages import Pages
    from paradiplomacy.publish.sitegraph import SiteGraph

    n = position(answers, "001-")
    question = "Which *partners* has city_x, [in] `which` year?"
    query = dataclasses.replace(answers[n].query, header=answers[n].query.header | {"question.en": question})
    answer = dataclasses.replace(answers[n], query=query)
    markdown = render_answers([answer], sources=[found[n]])
    assert r"*Which \*partners\* has city\_x, \[in\] \`which\` year?*" in markdown
    la = next(line for line in markdown.splitlines() if line.startswith(f"| {CITY['los-angeles']} |"))
    assert f"{LOS_ANGELES[0]}, {LOS_ANGELES[1]}" in la

    written: dict[str, str] = {}
    pages = Pages(SiteGraph(canonical_dataset(dataset)), lambda path, html: written.setdefault(path, html), "test")
    pages.answers([answer], [found[n]], "en")
    page = written["answers.html"]
    assert f'<em dir="auto">{question}</em>' in page and "\\*" not in page and "<em>partners</em>" not in page
    row = next(r for r in page.split("<tr>") if 'href="id/city/los-angeles.html"' in r)
    assert LOS_ANGELES[1] in row and f">{PAPER}</a>" in row
