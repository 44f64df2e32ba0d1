"""The map of the sister-city and MoU links between cities, and the charts of the relations by
region, period and partner country.

The map's data comes from the graph's own coordinates (geo:hasGeometry/geo:asWKT POINTs of
data/reference/places.ttl); it is drawn by the vendored Leaflet without any tile layer, since
the site loads nothing from outside. The charts are plain SVG written here, each with its table.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from html import escape

from rdflib import URIRef

from paradiplomacy.namespaces import GEO, INSTANCE, PD
from paradiplomacy.publish.sitegraph import SiteGraph, entity_path
from paradiplomacy.query.catalogue import Result

RELATION_KINDS = {PD.SisterCityAgreement: ("sister-city", "#1f6fb2"), PD.CooperationMoU: ("mou", "#d9822b")}
_POINT = re.compile(r"^\s*POINT\s*\(\s*(-?[\d.]+)\s+(-?[\d.]+)\s*\)\s*$", re.IGNORECASE)


def point(site: SiteGraph, place) -> tuple[float, float] | None:
    """(longitude, latitude) of a place's WKT point, or None."""
    for geometry in site.values(place, GEO.hasGeometry):
        for wkt in site.values(geometry, GEO.asWKT):
            match = _POINT.match(str(wkt))
            if match:
                return float(match[1]), float(match[2])
    return None


def relations(site: SiteGraph) -> list[tuple[URIRef, URIRef, URIRef, URIRef]]:
    """(relation, kind class, party, party) of every sister-city agreement and MoU; the parties
    are of equal standing, an Iranian one (by its pd:country) first, as the sources list them."""
    iran = INSTANCE["country"]["iran"]
    found = []
    for rel in site.entities:
        for cls in site.types(rel):
            if cls in RELATION_KINDS:
                parties = sorted(site.values(rel, PD.party), key=lambda p: (site.value(p, PD.country) != iran, str(p)))
                if len(parties) == 2:
                    found.append((rel, cls, parties[0], parties[1]))
    return found


def map_data(site: SiteGraph) -> dict:
    """A GeoJSON FeatureCollection: a point per city in a link, a line per drawable link; the
    links without coordinates for a party are listed under ``not_drawn``."""
    cities: dict = {}
    lines, not_drawn = [], []

    def props(term) -> dict:
        return {"iri": str(term), "label_en": site.label(term, "en"), "label_fa": site.label(term, "fa"),
                "href": entity_path(str(term)) + ".html"}

    for rel, cls, a, b in relations(site):
        pa, pb = point(site, a), point(site, b)
        kind = RELATION_KINDS[cls][0]
        year = site.value(rel, PD.year)
        if pa is None or pb is None:
            not_drawn.append({**props(rel), "kind": kind, "missing": [str(x) for x, p in ((a, pa), (b, pb)) if p is None]})
            continue
        for term, p in ((a, pa), (b, pb)):
            cities.setdefault(term, {"type": "Feature", "geometry": {"type": "Point", "coordinates": list(p)},
                                     "properties": {**props(term), "iranian": False}})
        cities[a]["properties"]["iranian"] = True
        lines.append({"type": "Feature", "geometry": {"type": "LineString", "coordinates": [list(pa), list(pb)]},
                      "properties": {**props(rel), "kind": kind, "year": str(year) if year is not None else None,
                                     "from": str(a), "to": str(b)}})
    features = [cities[c] for c in sorted(cities, key=str)] + lines
    return {"type": "FeatureCollection", "features": features, "not_drawn": not_drawn}


def map_script(data: dict) -> str:
    """The map's data as a script (a page opened from the file system cannot fetch JSON)."""
    return "window.PD_MAP = " + json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + ";\n"


# --- charts ------------------------------------------------------------------------------------

def bar_chart(title: str, rows: list[tuple[str, str, list[int]]], series: list[tuple[str, str]]) -> str:
    """A horizontal grouped bar chart: English label on the left, Persian on the right."""
    bar, gap, left, width, right = 12, 8, 260, 360, 260
    group = bar * len(series) + gap
    top_margin = 16 * len(series) + 14  # one legend line per series
    height = top_margin + group * len(rows) + 30
    top = max([v for _, _, values in rows for v in values] + [1])
    scale = width / top
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {left + width + right} {height}" '
           f'role="img" aria-label="{escape(title)}" font-size="12" font-family="sans-serif">',
           f'<title>{escape(title)}</title>']
    for i, (name, color) in enumerate(series):  # legend: "English · فارسی", the Persian part isolated
        en, _, fa = name.partition(" · ")
        persian = f' · <tspan direction="rtl" unicode-bidi="isolate" lang="fa">{escape(fa)}</tspan>' if fa else ""
        out.append(f'<rect x="{left}" y="{6 + i * 16}" width="12" height="12" fill="{color}"/>'
                   f'<text x="{left + 16}" y="{16 + i * 16}">{escape(en)}{persian}</text>')
    for n, (en, fa, values) in enumerate(rows):
        y = top_margin + n * group
        middle = y + bar * len(series) / 2 + 4
        out.append(f'<text x="{left - 6}" y="{middle}" text-anchor="end" lang="en">{escape(en)}</text>')
        out.append(f'<text x="{left + width + right - 4}" y="{middle}" text-anchor="start" direction="rtl" lang="fa">{escape(fa)}</text>')
        for i, ((_, color), value) in enumerate(zip(series, values)):
            yy = y + i * bar
            out.append(f'<rect x="{left}" y="{yy}" width="{value * scale:.1f}" height="{bar - 2}" fill="{color}"><title>{value}</title></rect>'
                       f'<text x="{left + value * scale + 3:.1f}" y="{yy + bar - 3}" font-size="10">{value}</text>')
    axis_y = top_margin + group * len(rows)
    out.append(f'<line x1="{left}" y1="{axis_y}" x2="{left + width}" y2="{axis_y}" stroke="#999"/>')
    out.append("</svg>")
    return "\n".join(out)


def _int(text: str) -> int:
    return int(text) if text and re.fullmatch(r"-?\d+", text) else 0


def charts(site: SiteGraph, by_region: Result, by_period: Result) -> list[dict]:
    """The three charts, each with its rows for the table beside it. ``by_region`` and
    ``by_period`` are the answers of stored queries 003 and 004 (recomputed against printed)."""
    both = [("recomputed from Table 1 · بازمحاسبه", "#1f6fb2"), ("printed in the paper · چاپ‌شده", "#b0b0b0")]
    label = lambda iri: (site.label(URIRef(iri), "en"), site.label(URIRef(iri), "fa"))
    region_rows = [(*label(r[0]), [_int(r[1]), _int(r[2])]) for r in by_region.rows]
    period_rows = []
    for discourse, start, end, _president, recomputed, printed in by_period.rows:
        en, fa = label(discourse)
        span = f"{start or '…'}–{end or '…'}"
        period_rows.append((f"{en} ({span})", f"{fa} ({span})", [_int(recomputed), _int(printed)]))
    countries: Counter = Counter()
    for _rel, cls, _a, b in relations(site):
        for country in site.values(b, PD.country):
            countries[(country, cls)] += 1
    names = sorted({c for c, _ in countries}, key=lambda c: (-sum(countries[(c, k)] for k in RELATION_KINDS), site.label(c, "en")))
    kinds = [("sister-city agreements · خواهرخواندگی", RELATION_KINDS[PD.SisterCityAgreement][1]),
             ("cooperation MoUs · تفاهم‌نامه همکاری", RELATION_KINDS[PD.CooperationMoU][1])]
    country_rows = [(site.label(c, "en"), site.label(c, "fa"), [countries[(c, PD.SisterCityAgreement)], countries[(c, PD.CooperationMoU)]]) for c in names]
    specs = [
        ("region", "Relations by region of the partner country (query 003)", "روابط بر حسب منطقه کشور طرف", region_rows, both),
        ("period", "Relations by foreign-policy period (query 004)", "روابط بر حسب دوره سیاست خارجی", period_rows, both),
        ("country", "Sister-city agreements and MoUs by partner country", "خواهرخواندگی‌ها و تفاهم‌نامه‌ها بر حسب کشور طرف", country_rows, kinds),
    ]
    return [dict(id=id_, title_en=en, title_fa=fa, svg=bar_chart(en, rows, series), series=[s for s, _ in series], rows=rows)
            for id_, en, fa, rows, series in specs]
