"""The charts page (``charts.html``, ``charts.fa.html``): the analysis API's tables drawn as SVG.

Every number comes from ``paradiplomacy.analysis`` (the API a researcher uses in Python), none
is counted here: relations per year, per foreign-policy period and per region of the partner
country (the paper's Tables 3 and 2, recomputed from Table 1 beside the counts the paper
prints), per partner country, and the cities with most partners in the network. Each chart is
drawn by matplotlib once per language (labels in the page's language, Persian shaped and
ordered for matplotlib, bars running right to left on the Persian page) into ``charts/``, with
its numbers in a table beside it and in a ``<title>`` on each bar.

The SVG is the same byte for byte from one build to the next: ``svg.hashsalt`` fixes the ids,
no date is written, and the font is the vendored Vazirmatn (DejaVu Sans where it is absent).
Without the ``analysis`` extra the page says so, and the build goes on.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from paradiplomacy.project import ProjectError

PAPER = "004-dehshiri-khorrami-1397"  # the paper whose Tables 2 and 3 the charts recompute
FONT = "vazirmatn/fonts/ttf/Vazirmatn-Regular.ttf"  # in web/node_modules; OFL 1.1, as on the pages
# by series: the map's colours for the two kinds of relation, grey for what the paper prints
COLOURS = {"SisterCityAgreement": "#1f6fb2", "CooperationMoU": "#d9822b", "recomputed": "#1f6fb2", "printed": "#a0a0a0"}
TOP_CITIES = 15


@dataclass
class Chart:
    """One chart: categories (en, fa), series (key, en, fa) and one value per category and series."""

    id: str
    title: tuple[str, str]
    caption: tuple[str, str]
    categories: list[tuple[str, str]]
    series: list[tuple[str, str, str]]
    values: dict[str, list[int]]
    horizontal: bool = True
    stacked: bool = False
    axis: tuple[str, str] = ("relations", "روابط")
    svg: dict[str, str] = field(default_factory=dict)

    def rows(self, lang: str) -> list[tuple[str, list[int]]]:
        i = 0 if lang == "en" else 1
        return [(category[i], [self.values[key][n] for key, _, _ in self.series]) for n, category in enumerate(self.categories)]


def _int(value) -> int:
    try:
        return 0 if value is None or value != value else int(value)
    except (TypeError, ValueError):  # pandas.NA
        return 0


def _span(start, end) -> str:
    return f"{_int(start) or '…'}–{_int(end) or '…'}"


def chart_data(kg) -> list[Chart]:
    """The charts' numbers, every one from the analysis API on ``kg``."""
    table_1 = kg.relations(source=PAPER)
    printed = kg.reported_values(PAPER)
    periods = kg.by_period(table_1)
    regions = kg.by_region(table_1)
    both = [("recomputed", "recomputed from Table 1", "بازشمرده از جدول ۱"), ("printed", "printed in the paper", "چاپ‌شده در مقاله")]
    charts = [
        Chart(
            "period", ("Relations by foreign-policy period", "روابط در دوره‌های سیاست خارجی"),
            ("The dated relations of the paper's Table 1 in each period of its Table 3, a year counted in the period that begins "
             "with it, beside the count Table 3 prints (document 004). For 2005–2013 and from 2013 the two differ; the graph keeps "
             "both as a disagreement (query 010).",
             "روابط سال‌دار جدول ۱ مقاله در هر دورهٔ جدول ۳ آن (هر سال در دوره‌ای که با آن آغاز می‌شود) در کنار شماری که جدول ۳ "
             "چاپ کرده است (سند ۰۰۴). برای ۲۰۰۵ تا ۲۰۱۳ و از ۲۰۱۳ به بعد این دو با هم نمی‌خوانند؛ گراف هر دو را به صورت یک ناسازگاری "
             "نگه می‌دارد (پرس‌وجوی ۰۱۰)."),
            [(f"{r.period_en} ({_span(r.start, r.end)})", f"{r.period_fa} ({_span(r.start, r.end)})") for r in periods.itertuples()],
            both,
            {"recomputed": [_int(v) for v in periods["relations"]], "printed": [_int(printed.get(p)) for p in periods["period"]]},
        ),
        Chart(
            "region", ("Relations by region of the partner country", "روابط بر حسب منطقهٔ کشور طرف"),
            ("The relations of the paper's Table 1 by the region its Table 2 gives the partner's country, beside Table 2's "
             "printed totals (document 004).",
             "روابط جدول ۱ مقاله بر حسب منطقه‌ای که جدول ۲ برای کشور طرف آورده است، در کنار جمع‌های چاپ‌شدهٔ جدول ۲ (سند ۰۰۴)."),
            list(zip(regions["region_en"], regions["region_fa"], strict=True)),
            both,
            {"recomputed": [_int(v) for v in regions["relations"]], "printed": [_int(printed.get(r)) for r in regions["region"]]},
        ),
    ]
    relations = kg.relations()
    kinds = sorted(relations["kind"].dropna().unique(), reverse=True)  # sister cities, then MoUs
    kind_names = [(k.rsplit("#", 1)[-1], kg.label(k, "en"), kg.label(k, "fa")) for k in kinds]
    timeline = kg.timeline(relations)
    if len(timeline):  # every year from the first to the last, so that the gaps show
        timeline = timeline.reindex(range(int(timeline.index.min()), int(timeline.index.max()) + 1), fill_value=0)
    charts.append(Chart(
        "year", ("Relations per year", "روابط در هر سال"),
        ("Sister-city agreements and cooperation MoUs per year, from every source that dates them; relations without a year "
         "are left out.",
         "خواهرخواندگی‌ها و تفاهم‌نامه‌های همکاری در هر سال، از همهٔ منابعی که سالشان را آورده‌اند؛ روابط بی‌سال کنار گذاشته شده‌اند."),
        [(str(int(y)), str(int(y))) for y in timeline.index],
        kind_names,
        {key: [_int(v) for v in timeline[en]] if en in timeline else [0] * len(timeline) for key, en, _ in kind_names},
        horizontal=False, stacked=True,
    ))
    countries = kg.by_country(relations)
    charts.append(Chart(
        "country", ("Relations by partner country", "روابط بر حسب کشور طرف"),
        ("Sister-city agreements and cooperation MoUs of Iranian cities by the partner's country, from every source.",
         "خواهرخواندگی‌ها و تفاهم‌نامه‌های همکاری شهرهای ایران بر حسب کشور طرف، از همهٔ منابع."),
        list(zip(countries["country_en"], countries["country_fa"], strict=True)),
        kind_names,
        {key: [_int(v) for v in countries[en]] if en in countries else [0] * len(countries) for key, en, _ in kind_names},
        stacked=True,
    ))
    # the degree alone, not kg.network_measures: its exact betweenness and communities are the
    # chart's whole cost and do not end at 10^6 triples; the same order (degree, then city IRI)
    network = kg.city_network(relations)
    top = sorted(network.nodes(data=True), key=lambda node: (-network.degree(node[0]), node[0]))[:TOP_CITIES]
    measures = {"city_en": [d["label_en"] for _, d in top], "city_fa": [d["label_fa"] for _, d in top],
                "degree": [network.degree(n) for n, _ in top]}
    charts.append(Chart(
        "degree", ("Cities with the most partners", "شهرهایی با بیشترین شهر طرف"),
        (f"The {TOP_CITIES} cities with the most partner cities in the network of sister-city agreements and MoUs (degree), "
         "from every source.",
         f"{TOP_CITIES} شهری که در شبکهٔ خواهرخواندگی‌ها و تفاهم‌نامه‌ها بیشترین شهر طرف را دارند (درجه)، از همهٔ منابع."),
        list(zip(measures["city_en"], measures["city_fa"], strict=True)),
        [("degree", "partner cities", "شهرهای طرف")],
        {"degree": [_int(v) for v in measures["degree"]]},
        axis=("partner cities", "شهرهای طرف"),
    ))
    return charts


def render_svg(chart: Chart, lang: str, font: Path | None = None) -> str:
    """The chart in ``lang`` as SVG text; each bar a group ``<chart>-<series>-<n>`` with a title."""
    try:
        import matplotlib
        from matplotlib import font_manager
        from matplotlib.backends.backend_svg import FigureCanvasSVG
        from matplotlib.figure import Figure
        from matplotlib.ticker import MaxNLocator
    except ImportError as error:
        raise ProjectError(f"the charts need matplotlib: pip install 'paradiplomacy-kg[analysis]' ({error})") from error
    from paradiplomacy.analysis import shaped

    family = ["DejaVu Sans"]
    if font is not None and font.is_file():
        font_manager.fontManager.addfont(str(font))
        family = [font_manager.FontProperties(fname=str(font)).get_name(), "DejaVu Sans"]
    fa = lang == "fa"
    pick = (lambda en, fa_: shaped(fa_)) if fa else (lambda en, fa_: en)
    names = [pick(*c) for c in chart.categories]
    count = max(len(names), 1)
    settings: dict[Any, Any] = {"svg.hashsalt": f"paradiplomacy-{chart.id}-{lang}", "font.family": family, "font.size": 9,
                "svg.fonttype": "path", "axes.spines.top": False, "axes.spines.right": fa and chart.horizontal,
                "axes.spines.left": not (fa and chart.horizontal)}
    titles: dict[str, str] = {}
    with matplotlib.rc_context(settings):
        if chart.horizontal:
            figure = Figure(figsize=(8, 0.8 + count * (0.22 + 0.14 * (len(chart.series) if not chart.stacked else 1))))
        else:
            figure = Figure(figsize=(min(10, max(6, 0.32 * count + 1.5)), 3.6))
        FigureCanvasSVG(figure)
        axes = figure.subplots()
        positions = list(range(len(names)))
        groups = 1 if chart.stacked else len(chart.series)
        width = 0.8 / groups
        bottom = [0] * len(names)
        for s, (key, en, fa_name) in enumerate(chart.series):
            values = chart.values[key]
            offset = 0 if chart.stacked else (s - (groups - 1) / 2) * width
            where = [p + offset for p in positions]
            colour = COLOURS.get(key, "#1f6fb2")
            if chart.horizontal:
                bars = axes.barh(where, values, height=width, left=bottom if chart.stacked else 0, color=colour, label=pick(en, fa_name))
            else:
                bars = axes.bar(where, values, width=width, bottom=bottom if chart.stacked else 0, color=colour, label=pick(en, fa_name))
            for n, (patch, value) in enumerate(zip(bars.patches, values, strict=True)):
                gid = f"{chart.id}-{key}-{n}"
                patch.set_gid(gid)
                category = chart.categories[n][1 if fa else 0]
                titles[gid] = f"{category}: {value} ({fa_name if fa else en})"
            if not chart.stacked:
                axes.bar_label(bars, labels=[str(v) if v else "" for v in values], padding=2, fontsize=8)
            if chart.stacked:
                bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        if chart.stacked and chart.horizontal:
            axes.bar_label(bars, labels=[str(v) if v else "" for v in bottom], padding=2, fontsize=8)
        (axes.xaxis if chart.horizontal else axes.yaxis).set_major_locator(MaxNLocator(integer=True))  # counts
        axis_label = pick(*chart.axis)
        if chart.horizontal:
            axes.set_yticks(positions, names)
            axes.invert_yaxis()  # the first category on top, as in the table
            axes.set_xlabel(axis_label)
            if fa:  # bars grow from the right, names on the right, as a Persian reader reads
                axes.invert_xaxis()
                axes.yaxis.tick_right()
        else:
            step = -(-count // 30)  # at most 30 names under the bars
            axes.set_xticks(positions[::step], names[::step], rotation=90)
            axes.set_ylabel(axis_label)
            axes.set_xlim(-0.6, len(names) - 0.4)
        if len(chart.series) > 1:  # above the bars, where it covers none
            axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=len(chart.series), frameon=False, markerfirst=not fa)
        out = io.StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None}, bbox_inches="tight", pad_inches=0.1)
    return _with_titles(out.getvalue(), titles)


def _with_titles(svg: str, titles: dict[str, str]) -> str:
    """A ``<title>`` in each bar's group: the tooltip, and the number a test or screen reader reads."""
    def add(match: re.Match) -> str:
        text = titles.get(match[1])
        return match[0] + (f"\n   <title>{escape(text)}</title>" if text is not None else "")

    return re.sub(r'<g id="([^"]+)">', add, svg)


def write_charts(pages, write, store, modules: Path) -> None:
    """charts/<id>.<lang>.svg and the page in both languages, from the graph in ``store`` (an
    Oxigraph store holding the union the site publishes)."""
    charts: list[Chart] = []
    missing = ""
    try:
        from paradiplomacy.analysis import KnowledgeGraph

        charts = chart_data(KnowledgeGraph(store))
        for chart in charts:
            for lang in ("en", "fa"):
                chart.svg[lang] = f"charts/{chart.id}.{lang}.svg"
                write(chart.svg[lang], render_svg(chart, lang, modules / FONT))
    except ProjectError as error:  # the analysis extra is not installed: say so on the page
        charts, missing = [], str(error)
    for lang in ("en", "fa"):
        pages.render("charts.html", "charts.html" if lang == "en" else "charts.fa.html", lang,
                     "Charts" if lang == "en" else "نمودارها", charts=charts, missing=missing)
