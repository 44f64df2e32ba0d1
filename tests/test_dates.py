"""Solar Hijri dates as written, converted with jdatetime and cross-checked with convertdate."""

from __future__ import annotations

import datetime as dt

import jdatetime
from convertdate import persian
from rdflib import Literal
from rdflib.namespace import DCTERMS, XSD

from paradiplomacy.namespaces import INSTANCE, PD, SCHEMA


def test_known_conversions_from_the_sources():
    # 24 Mehr 1402 (the Silk Road summit trip) and 7 Khordad 1404 (the BRICS+ cities union meeting)
    assert jdatetime.date(1402, 7, 24).togregorian() == dt.date(2023, 10, 16)
    assert jdatetime.date(1404, 3, 7).togregorian() == dt.date(2025, 5, 28)
    assert persian.to_gregorian(1404, 3, 7) == (2025, 5, 28)


ISO_OF_DAY = (SCHEMA.startDate, DCTERMS.dateAccepted)


def test_every_day_precise_solar_hijri_date_matches_its_iso_date(data):
    checked = 0
    for node, shd in data.subject_objects(PD.solarHijriDate):
        parts = [int(x) for x in str(shd).split("-")]
        iso = next((data.value(node, p) for p in ISO_OF_DAY if (node, p, None) in data), None)
        if len(parts) != 3 or iso is None:
            continue
        assert jdatetime.date(*parts).togregorian() == iso.toPython(), node
        assert dt.date(*persian.to_gregorian(*parts)) == iso.toPython(), node
        checked += 1
    assert checked >= 1


def test_the_paper_was_received_and_accepted_in_spring_1397(data):
    # «تاریخ دریافت: ۱۳۹۷/۱/۲۷» and «تاریخ تصویب: ۱۳۹۷/۲/۱۴»
    paper = INSTANCE["doc"]["004-dehshiri-khorrami-1397"]
    assert data.value(paper, DCTERMS.dateSubmitted).toPython() == jdatetime.date(1397, 1, 27).togregorian()
    assert data.value(paper, DCTERMS.dateAccepted).toPython() == dt.date(2018, 5, 4)


def test_month_precise_dates_span_the_solar_hijri_month(data):
    for fact, shd in data.subject_objects(PD.solarHijriDate):
        parts = [int(x) for x in str(shd).split("-")]
        if len(parts) != 2 or (fact, SCHEMA.startDate, None) not in data:
            continue
        year, month = parts
        first = jdatetime.date(year, month, 1)
        last = jdatetime.date(year + (month == 12), month % 12 + 1, 1) - jdatetime.timedelta(days=1)
        assert data.value(fact, SCHEMA.startDate).toPython() == first.togregorian(), fact
        assert data.value(fact, SCHEMA.endDate).toPython() == last.togregorian(), fact


def test_years_are_gyears_not_before_1900(data):
    for _, year in data.subject_objects(PD.year):
        assert isinstance(year, Literal) and year.datatype == XSD.gYear
        assert 1900 <= int(str(year)) <= 2026
