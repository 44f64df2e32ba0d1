"""The analysis API and `pdkg export` answer with the paper's own tables (document 004)."""

from __future__ import annotations

import runpy
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pandas")
networkx = pytest.importorskip("networkx")

import paradiplomacy  # noqa: E402
from paradiplomacy.namespaces import INSTANCE  # noqa: E402

PAPER = "004-dehshiri-khorrami-1397"
CITY, COUNTRY = INSTANCE["city"], INSTANCE["country"]


@pytest.fixture(scope="module")
def dump(dataset, tmp_path_factory):
    path = tmp_path_factory.mktemp("analysis") / "paradiplomacy.nq"
    path.write_bytes(dataset.serialize(format="nquads", encoding="utf-8"))
    return path


@pytest.fixture(scope="module")
def kg(dump):
    return paradiplomacy.open(dump)


def test_table_1_has_70_relations_61_sister_cities_and_9_mous(kg):
    relations = kg.relations(source=PAPER)
    assert len(relations) == 70
    assert relations["kind_en"].value_counts().to_dict() == {"sister-city agreement": 61, "cooperation memorandum of understanding": 9}


def test_every_relation_carries_both_labels_of_both_parties(kg):
    relations = kg.relations()
    row = relations[relations["relation"] == str(INSTANCE["rel"]["isfahan-florence"])].iloc[0]
    assert {row.party_a_fa, row.party_b_fa} == {"اصفهان", "فلورانس"}
    assert {row.party_a_en, row.party_b_en} == {"Isfahan", "Florence"}
    assert row.year == 1998  # «فلورانس (۱۹۹۸)» in Isfahan's row of Table 1


def test_relations_by_region_are_table_2s_totals(kg):
    regions = kg.by_region(kg.relations(source=PAPER))
    # Table 2's printed totals per region, which Table 1 reproduces
    assert dict(zip(regions["region_en"], regions["relations"], strict=True)) == {
        "Middle East and West Asia": 20,
        "Central Asia and the Caucasus": 11,
        "East Asia": 10,
        "Eastern Europe": 13,
        "Africa": 3,
        "Western Europe and North America": 7,
        "Central and South America": 6,
    }


def test_relations_by_period_recount_table_3(kg):
    periods = kg.by_period(kg.relations(source=PAPER))
    # Table 1's dated relations counted by hand with half-open periods [start, end)
    assert periods["relations"].tolist() == [2, 1, 3, 15, 13, 6]
    assert periods["head_en"].tolist()[2:] == ["Hashemi Rafsanjani", "Khatami", "Mahmoud Ahmadinejad", "Rouhani"]


def test_the_city_network_gives_isfahan_its_fourteen_partners(kg):
    network = kg.city_network(kg.relations(source=PAPER))
    # Isfahan's row of Table 1 lists 14 partner cities, from شبان (Xi'an) to گیونگجو (Gyeongju)
    assert network.degree(str(CITY["isfahan"])) == 14
    assert network.nodes[str(CITY["isfahan"])]["label_fa"] == "اصفهان"


def test_tehran_and_isfahan_share_havana_kuwait_and_saint_petersburg(kg):
    shared = kg.shared_partners()
    row = shared[(shared["city_1"] == str(CITY["isfahan"])) & (shared["city_2"] == str(CITY["tehran"]))].iloc[0]
    # both rows of Table 1 list هاوانا, کویت and سن پترزبورگ
    assert row.shared_en.split(" ; ") == ["Havana", "Kuwait City", "Saint Petersburg"]


def test_tehran_is_the_hub_of_the_network(kg):
    measures = kg.network_measures()
    top = measures.iloc[0]
    assert top.city == str(CITY["tehran"])
    # Table 1's 24 partners of Tehran and Ankara, twinned in document 001, at least
    assert top.degree >= 25
    assert top.betweenness == measures["betweenness"].max()


def test_the_paper_tables_example_sets_printed_beside_recomputed(kg, dump):
    example = runpy.run_path("docs/examples/paper_tables.py")
    table_3 = example["table_3"](kg)
    # Table 3 prints 2, 1, 3, 15, 15, 4 relations for its six periods
    assert table_3["printed"].tolist() == [2, 1, 3, 15, 15, 4]
    table_2 = example["table_2"](kg)
    assert (table_2["printed"] == table_2["relations"]).all()


@pytest.mark.slow
def test_export_writes_tables_spreadsheets_read_and_a_network_gephi_reads(kg, dump, tmp_path):
    out = tmp_path / "export"
    run = subprocess.run(
        [str(Path(sys.executable).parent / "pdkg"), "export", "--graph", str(dump), "--out", str(out), "--chart", str(tmp_path / "timeline.svg")],
        capture_output=True, text=True,
    )
    assert run.returncode == 0, run.stderr
    relations = (out / "relations.csv").read_bytes()
    assert relations.startswith(b"\xef\xbb\xbf")  # the byte-order mark spreadsheet programs need for UTF-8
    assert "خواهرخواندگی اصفهان و فلورانس" in relations.decode("utf-8-sig")
    network = networkx.read_graphml(out / "city-network.graphml")
    assert network.nodes[str(CITY["isfahan"])]["label_fa"] == "اصفهان"
    assert networkx.read_gexf(out / "city-network.gexf").number_of_nodes() == network.number_of_nodes()
    import pandas

    assert len(pandas.read_parquet(out / "relations.parquet")) == len(kg.relations())
    assert (tmp_path / "timeline.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_a_missing_build_is_a_clean_error(tmp_path):
    with pytest.raises(paradiplomacy.project.ProjectError, match="run `pdkg build` first"):
        paradiplomacy.open(tmp_path / "nothing.nq")


def test_the_readmes_analysis_example_runs_as_written(project, dump, tmp_path, monkeypatch):
    readme = (project.root / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Analysis in Python, R and Gephi", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    # the example reads build/ of the checkout; here the dump of the sources, and the chart goes to tmp
    code = code.replace("paradiplomacy.open()", f"paradiplomacy.open({str(dump)!r})")
    code = code.replace('"build/relations-per-year.svg"', repr(str(tmp_path / "chart.svg")))
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md", "exec"), {})
    assert (tmp_path / "chart.svg").stat().st_size > 0


# --- the charts page -----------------------------------------------------------------------------

def bar_titles(svg: str, chart: str, series: str) -> list[str]:
    """The titles of a chart's bars of one series, in category order (render_svg's contract)."""
    import re

    found = re.findall(rf'<g id="{chart}-{series}-(\d+)">\s*<title>([^<]*)</title>', svg)
    return [title for _, title in sorted(found, key=lambda f: int(f[0]))]


@pytest.fixture(scope="module")
def charts(kg):
    from paradiplomacy.publish.charts import chart_data

    return {c.id: c for c in chart_data(kg)}


def test_the_period_chart_sets_table_3_beside_table_1_recounted(charts, project):
    from paradiplomacy.publish.charts import FONT, render_svg

    period = charts["period"]
    svg = render_svg(period, "en", project.root / "web" / "node_modules" / FONT)
    # Table 3 prints ۲، ۱، ۳، ۱۵، ۱۵، ۴ for its six periods; Table 1's dated relations counted in
    # the period each year begins give 2, 1, 3, 15, 13, 6
    printed = [int(t.split(": ")[1].split(" ")[0]) for t in bar_titles(svg, "period", "printed")]
    recomputed = [int(t.split(": ")[1].split(" ")[0]) for t in bar_titles(svg, "period", "recomputed")]
    assert printed == [2, 1, 3, 15, 15, 4]
    assert recomputed == [2, 1, 3, 15, 13, 6]
    assert bar_titles(svg, "period", "printed")[3].startswith("dialogue among civilizations (1997–2005): 15")


def test_the_region_chart_gives_table_2s_totals_in_persian(charts, project):
    from paradiplomacy.publish.charts import FONT, render_svg

    svg = render_svg(charts["region"], "fa", project.root / "web" / "node_modules" / FONT)
    shown = dict(t.split(" (")[0].split(": ") for t in bar_titles(svg, "region", "printed"))
    # Table 2's printed totals per region
    assert shown == {"خاورمیانه و غرب آسیا": "20", "آسیای مرکزی و قفقاز": "11", "آسیای شرقی": "10", "اروپای شرقی": "13",
                     "آفریقا": "3", "اروپای غربی و آمریکای شمالی": "7", "آمریکای مرکزی و جنوبی": "6"}


def test_the_year_chart_counts_tehrans_oldest_twinnings(charts):
    year = charts["year"]
    counts = dict(zip((en for en, _ in year.categories), year.values["SisterCityAgreement"], strict=True))
    # Tehran's row of Table 1: «سئول (۱۹۶۳)» the oldest year of any source, «لس آنجلس (۱۹۷۲)» the
    # only 1972 in the five texts; no year between them
    assert year.categories[0] == ("1963", "1963")
    assert counts["1963"] == 1 and counts["1972"] == 1
    assert all(counts[str(y)] == 0 for y in range(1964, 1972))


def test_the_degree_chart_puts_tehran_first_and_isfahan_at_its_14_partners(charts):
    degree = charts["degree"]
    counts = dict(zip((en for en, _ in degree.categories), degree.values["degree"], strict=True))
    # Tehran: Table 1's 24 partners and Ankara (001) at least; Isfahan: Table 1's 14 («فلورانس (۱۹۹۸)» …)
    assert degree.categories[0] == ("Tehran", "تهران") and counts["Tehran"] >= 25
    assert counts["Isfahan"] == 14
    assert degree.values["degree"] == sorted(degree.values["degree"], reverse=True)


def test_the_charts_are_the_same_svg_from_one_process_to_the_next(site, dump):
    # the site was drawn in this process; draw it again in a fresh one (another hash seed, another
    # uuid for matplotlib's default salt) and compare the bytes
    script = (
        "import sys, paradiplomacy\n"
        "from pathlib import Path\n"
        "from paradiplomacy.publish.charts import FONT, chart_data, render_svg\n"
        "from paradiplomacy.project import Project\n"
        "font = Project.locate().root / 'web' / 'node_modules' / FONT\n"
        "for c in chart_data(paradiplomacy.open(sys.argv[1])):\n"
        "    for lang in ('en', 'fa'):\n"
        "        Path(sys.argv[2], f'{c.id}.{lang}.svg').write_text(render_svg(c, lang, font), encoding='utf-8')\n"
    )
    out = site.parent / "charts-again"
    out.mkdir(exist_ok=True)
    run = subprocess.run([sys.executable, "-c", script, str(dump), str(out)], capture_output=True, text=True,
                         env={**__import__("os").environ, "PYTHONHASHSEED": "12345"})
    assert run.returncode == 0, run.stderr
    drawn = sorted(p.name for p in (site / "charts").glob("*.svg"))
    assert drawn == sorted(f"{c}.{lang}.svg" for c in ("country", "degree", "period", "region", "year") for lang in ("en", "fa"))
    for name in drawn:
        assert (site / "charts" / name).read_bytes() == (out / name).read_bytes(), name
    page = (site / "charts.fa.html").read_text(encoding="utf-8")
    assert '<img src="charts/period.fa.svg"' in page and 'lang="fa" dir="rtl"' in page
