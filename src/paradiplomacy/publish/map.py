"""The map of the bilateral relations between cities: sister-city agreements, MoUs, executive
documents and cooperation programmes.

The map's data comes from the graph's own coordinates (geo:hasGeometry/geo:asWKT POINTs of
data/reference/places.ttl); it is drawn by the vendored Leaflet without any tile layer, since
the site loads nothing from outside.
"""

from __future__ import annotations

import json
import re

from rdflib import URIRef

from paradiplomacy.namespaces import GEO, INSTANCE, PD
from paradiplomacy.publish.sitegraph import SiteGraph, entity_path

# kind class -> (slug of the map's filter and the line's class, colour); the slugs are the
# ingest tables' kinds. Not green: green marks the Iranian cities.
RELATION_KINDS = {PD.SisterCityAgreement: ("sister-city", "#1f6fb2"), PD.CooperationMoU: ("mou", "#d9822b"),
                  PD.ExecutiveDocument: ("executive-document", "#7b3fa0"), PD.CooperationProgramme: ("programme", "#b03a48")}
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
    """(relation, kind class, party, party) of every relation of a kind in RELATION_KINDS; the parties
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
    kinds = {slug: colour for slug, colour in RELATION_KINDS.values()}
    return {"type": "FeatureCollection", "features": features, "not_drawn": not_drawn, "kinds": kinds}


def kind_legend(site: SiteGraph, lang: str) -> list[dict]:
    """The map's filter: each kind's slug, colour and its class's label in ``lang``."""
    return [dict(slug=slug, colour=colour, label=site.label(cls, lang)) for cls, (slug, colour) in RELATION_KINDS.items()]


def map_script(data: dict) -> str:
    """The map's data as a script (a page opened from the file system cannot fetch JSON)."""
    return "window.PD_MAP = " + json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + ";\n"
