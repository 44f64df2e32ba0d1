"""The paper (004) against itself: its printed figures recomputed from the graph's Table 1.

Every number asserted here is printed in the paper; where the paper's own data gives another
number, the test asserts both and that the graph records the disagreement.
"""

from __future__ import annotations

from collections import Counter

import pytest
from rdflib import URIRef
from rdflib.namespace import RDF

from paradiplomacy.namespaces import INSTANCE, PD

CITY, COUNTRY, DOC = INSTANCE["city"], INSTANCE["country"], INSTANCE["doc"]
PAPER = DOC["004-dehshiri-khorrami-1397"]


def table1(data):
    """Relations with evidence from the paper's Table 1: (relation, type, iranian city, partner, year);
    the Iranian party is the one whose country is Iran."""
    rows = []
    for rel in set(data.subjects(PD.party, None)):
        evidence = list(data.objects(rel, PD.evidence))
        if not any(data.value(ev, PD.sourceDocument) == PAPER and "Table 1" in str(data.value(ev, PD.locator)) for ev in evidence):
            continue
        kind = PD.SisterCityAgreement if (rel, RDF.type, PD.SisterCityAgreement) in data else PD.CooperationMoU
        year = data.value(rel, PD.year)
        city, partner = sorted(data.objects(rel, PD.party), key=lambda p: data.value(p, PD.country) != COUNTRY["iran"])
        rows.append((rel, kind, city, partner, int(str(year)) if year else None))
    return rows


@pytest.fixture(scope="module")
def rows(data):
    return table1(data)


def test_61_sister_city_relations_and_9_mous_make_70(rows):
    kinds = Counter(r[1] for r in rows)
    assert kinds[PD.SisterCityAgreement] == 61
    assert kinds[PD.CooperationMoU] == 9
    assert len(rows) == 70


def test_mous_belong_to_tehran_and_mashhad_only(rows):
    assert {r[2] for r in rows if r[1] == PD.CooperationMoU} == {CITY.tehran, CITY.mashhad}


def test_40_dated_and_30_undated(rows):
    assert sum(r[4] is not None for r in rows) == 40
    assert sum(r[4] is None for r in rows) == 30


def test_relations_per_iranian_city(rows):
    per_city = Counter(r[2] for r in rows)
    assert per_city == {CITY.tehran: 24, CITY.isfahan: 14, CITY.tabriz: 9, CITY.yazd: 5, CITY.shiraz: 5,
                        CITY.mashhad: 7, CITY.arak: 4, CITY.ramsar: 2}


def partner_country(data, rel_row):
    return data.value(rel_row[3], PD.country)


def test_table_2_counts_per_country_equal_table_1(data, rows):
    counted = Counter(partner_country(data, r) for r in rows)
    printed = {  # Table 2, as printed
        "afghanistan": 1, "pakistan": 3, "turkey": 3, "yemen": 1, "kuwait": 2, "iraq": 6, "qatar": 1, "oman": 1,
        "palestine": 1, "lebanon": 1, "tajikistan": 3, "georgia": 3, "azerbaijan": 2, "armenia": 1, "kazakhstan": 1,
        "kyrgyzstan": 1, "china": 5, "south-korea": 3, "malaysia": 1, "thailand": 1, "russia": 4, "belarus": 2,
        "hungary": 3, "bosnia-and-herzegovina": 1, "romania": 1, "cyprus": 1, "serbia": 1, "sudan": 1, "senegal": 1,
        "south-africa": 1, "germany": 2, "italy": 2, "spain": 1, "france": 1, "united-states": 1, "cuba": 3,
        "venezuela": 1, "chile": 1, "brazil": 1,
    }
    assert counted == {COUNTRY[k]: v for k, v in printed.items()}


def test_table_2_printed_counts_are_recorded_as_claims(data):
    claims = {}
    for fig in data.subjects(RDF.type, PD.ReportedFigure):
        if str(fig).startswith(str(INSTANCE["claim"]) + "004-t2-count-"):
            claims[str(fig).rsplit("-count-", 1)[1]] = int(float(data.value(fig, PD.reportedValue)))
    assert claims["iraq"] == 6 and claims["china"] == 5 and claims["russia"] == 4 and len(claims) == 39


def test_region_totals_and_the_papers_groupings(data, rows):
    region_of = {data.value(c, PD.classifiedCountry): data.value(c, PD.region)
                 for c in data.subjects(RDF.type, PD.CountryClassification)}
    per_region = Counter(region_of[partner_country(data, r)] for r in rows)
    concept = INSTANCE["concept"]
    assert per_region == {
        concept["region-middle-east-west-asia"]: 20, concept["region-central-asia-caucasus"]: 11,
        concept["region-east-asia"]: 10, concept["region-eastern-europe"]: 13, concept["region-africa"]: 3,
        concept["region-western-europe-north-america"]: 7, concept["region-central-south-america"]: 6,
    }
    # "countries around Iran 31, East Asia and Eastern Europe 23, other regions 16"
    assert per_region[concept["region-middle-east-west-asia"]] + per_region[concept["region-central-asia-caucasus"]] == 31
    assert per_region[concept["region-east-asia"]] + per_region[concept["region-eastern-europe"]] == 23


def test_table_3_periods_disagree_with_table_1_at_the_boundaries(data, rows):
    printed = [2, 1, 3, 15, 15, 4]  # Table 3: before 1979, 1979-89, 1989-97, 1997-2005, 2005-13, 2013-
    bounds = [(None, 1979), (1979, 1989), (1989, 1997), (1997, 2005), (2005, 2013), (2013, None)]
    years = [r[4] for r in rows if r[4] is not None]

    def half_open(lo, hi):
        return sum((lo is None or y >= lo) and (hi is None or y < hi) for y in years)

    assert [half_open(lo, hi) for lo, hi in bounds] == [2, 1, 3, 15, 13, 6]
    assert sum(printed) == 40 == len(years)
    # The printed counts need 1989, 1997 and 2005 in the later period but 2013 in the earlier one:
    assert sorted(y for y in years if y == 2013) == [2013, 2013]
    disagreement = INSTANCE["claim"]["disagreement-table3-period-boundaries"]
    assert (disagreement, RDF.type, PD.Disagreement) in data
    assert {float(v) for v in data.objects(disagreement, PD.recomputedValue)} >= {13.0, 6.0}


def test_asian_mayors_forum_has_the_most_iranian_members(data):
    members = Counter()
    for m in data.subjects(RDF.type, PD.Membership):
        members[data.value(m, URIRef("http://www.w3.org/ns/org#organization"))] += 1
    top, n = members.most_common(1)[0]
    assert top == INSTANCE["body"]["asian-mayors-forum"] and n == 16


def test_more_than_30_relations_with_islamic_countries(data, rows):
    # §5-1: «بیش از ۳۰ مورد مناسبات دوجانبه معطوف به شهرهای کشورهای اسلامی»; Table 2 marks the
    # affiliation of each country, and every affiliation naming Islam counts
    islamic = set()
    for c in data.subjects(RDF.type, PD.CountryClassification):
        if any("islamic" in str(a) for a in data.objects(c, PD.civilizationalAffiliation)):
            islamic.add(data.value(c, PD.classifiedCountry))
    with_islamic = sum(partner_country(data, r) in islamic for r in rows)
    assert with_islamic == 32 and with_islamic > 30


def test_western_civilizations_do_not_have_the_fewest_relations(data, rows):
    # §5-1: «شهرهای متعلق به تمدنهای غربی کمترین تعداد مناسبات دوجانبه را به خود [اختصاص داده است]»;
    # Table 2 calls only Germany, Spain, France, the United States («غربی») and Italy («مسیحی-غربی»)
    # Western, and prints 7 for their region, 3 for Africa and 6 for Central and South America
    concept = INSTANCE["concept"]
    classified = {data.value(c, PD.classifiedCountry): (data.value(c, PD.region), data.value(c, PD.civilizationalAffiliation))
                  for c in data.subjects(RDF.type, PD.CountryClassification)}
    western = {concept["civ-western"], concept["civ-christian-western"]}
    per_region = Counter(classified[partner_country(data, r)][0] for r in rows)
    with_western = sum(classified[partner_country(data, r)][1] in western for r in rows)
    assert with_western == 7 == per_region[concept["region-western-europe-north-america"]]
    assert per_region[concept["region-africa"]] == 3 and per_region[concept["region-central-south-america"]] == 6
    assert min(per_region.values()) < with_western
    disagreement = INSTANCE["claim"]["disagreement-western-civilizations-fewest"]
    claim = INSTANCE["claim"]["004-western-civilizations-fewest"]
    assert (disagreement, PD.concerns, claim) in data
    assert {float(v) for v in data.objects(disagreement, PD.recomputedValue)} == {3.0, 6.0, 7.0}
    assert data.value(claim, PD.checkResult) == concept["check-disagrees"]
    assert {lit.language for lit in data.objects(disagreement, URIRef("http://www.w3.org/2000/01/rdf-schema#comment"))} == {"en", "fa"}


def test_relations_with_the_geopolitical_circles(data, rows):
    # §5-1: «کشورهای غرب ایران (عراق، ترکیه، سوریه و اردن)» and «حوزه شرق (افغانستان، پاکستان و هند)»;
    # Table 2 prints Iraq 6, Turkey 3, Pakistan 3, Afghanistan 1 and lists no Syria, Jordan or India
    concept = INSTANCE["concept"]
    named = {}
    for circle in (concept["circle-west"], concept["circle-east"]):
        named[circle] = {c for claim in data.subjects(PD.about, circle) for c in data.objects(claim, PD.about)
                         if (c, RDF.type, PD.Country) in data}
    assert named[concept["circle-west"]] == {COUNTRY[c] for c in ("iraq", "turkey", "syria", "jordan")}
    assert named[concept["circle-east"]] == {COUNTRY[c] for c in ("afghanistan", "pakistan", "india")}
    per_country = Counter(partner_country(data, r) for r in rows)
    assert sum(per_country[c] for c in named[concept["circle-west"]]) == 9
    assert sum(per_country[c] for c in named[concept["circle-east"]]) == 4
    assert per_country.most_common(1)[0] == (COUNTRY["iraq"], 6)  # the western circle's Iraq leads every country
    assert {c for c in named[concept["circle-west"]] | named[concept["circle-east"]] if per_country[c] == 0} == \
        {COUNTRY["syria"], COUNTRY["jordan"], COUNTRY["india"]}


def test_the_idealist_periods_have_the_most_relations(rows):
    # §5-1: the «گفتگوی تمدنها» and «اصولگرایی عدالت محور» periods had the greatest influence; Table 3
    # prints 15 each against 2, 1, 3 and 4; Table 1's years (half-open periods) give 15 and 13
    years = [r[4] for r in rows if r[4] is not None]
    bounds = [(None, 1979), (1979, 1989), (1989, 1997), (1997, 2005), (2005, 2013), (2013, None)]
    counts = [sum((lo is None or y >= lo) and (hi is None or y < hi) for y in years) for lo, hi in bounds]
    assert sorted(counts, reverse=True)[:2] == [counts[3], counts[4]] == [15, 13]
