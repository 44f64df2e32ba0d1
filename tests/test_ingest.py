"""`pdkg ingest` on short texts written for the tests, the expected candidates read off each text."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import jdatetime
import pytest
from typer.testing import CliRunner

from paradiplomacy.cli import app
from paradiplomacy.ingest.dates import find_dates, parse_publication_date
from paradiplomacy.ingest.gazetteer import Gazetteer
from paradiplomacy.ingest.normalise import normalise
from paradiplomacy.ingest.pipeline import Meta, extract, ingest, read_input
from paradiplomacy.project import ProjectError

TEXTS = Path(__file__).parent / "ingest_texts"


def run(name: str):
    text, meta = read_input(TEXTS / name, Meta())
    return text, extract(text, meta, Gazetteer.load())


def project_copy(tmp_path: Path, monkeypatch) -> Path:
    """A throw-away copy of the project's sources as the working project; the checkout's root."""
    import shutil

    root = Path(__file__).resolve().parents[1]
    for name in ("ontology", "shapes", "queries", "data"):
        shutil.copytree(root / name, tmp_path / name)
    shutil.copy(root / "pyproject.toml", tmp_path / "pyproject.toml")
    monkeypatch.setenv("PDKG_ROOT", str(tmp_path))
    return root


def of(cands, table):
    return [c for c in cands if c.table == table]


def test_every_quote_is_an_exact_span_of_its_input():
    for path in sorted(TEXTS.glob("*.txt")):
        text, cands = run(path.name)
        for c in cands:
            assert text[c.start : c.end] == c.quote, (path.name, c.rule)


def test_news_twinning_and_trip():
    _, cands = run("news.txt")
    (rel,) = of(cands, "relations")
    # «تفاهم‌نامه خواهرخواندگی شیراز و قازان روز ۱۵ مرداد ۱۴۰۴ … امضا شد»
    assert (rel.values["kind"], rel.values["party_a"], rel.values["party_b"]) == ("sister-city", "city:shiraz", "city:kazan")
    assert rel.values["status"] == "signed"
    assert rel.values["date_sh"] == "1404-05-15"
    assert rel.values["date"] == jdatetime.date(1404, 5, 15).togregorian().isoformat()
    (trip,) = of(cands, "events")
    # «علیرضا زاكانی، شهردار تهران، در سفر به آنکارا …» (Arabic kaf in the name: normalised for matching)
    assert trip.values["kind"] == "trip"
    assert trip.values["traveller"] == "person:alireza-zakani"
    assert trip.values["destination"] == "city:ankara"
    assert trip.values["track"] == "city-diplomacy"
    assert "زاكانی" in trip.quote  # the quote keeps the input's letters
    roles = {c.values["slug"]: c.values["role_as_written"] for c in of(cands, "people")}
    assert roles["alireza-zakani"].startswith("شهردار تهران")


def test_off_topic_text_gives_nothing():
    _, cands = run("offtopic.txt")
    assert cands == []


def test_domestic_twinning_is_not_paradiplomacy():
    _, cands = run("domestic.txt")
    assert of(cands, "relations") == []
    assert of(cands, "events") == []


def test_relative_date_is_resolved_against_publication_and_marked_inferred():
    _, cands = run("relative.txt")
    (rel,) = of(cands, "relations")
    published = jdatetime.date(1404, 5, 20).togregorian()
    assert rel.values["kind"] == "mou"
    assert rel.values["date"] == date.fromordinal(published.toordinal() - 1).isoformat()  # «دیروز»
    assert rel.values["date_sh"] == "1404-05-19"
    assert "inferred" in rel.values["comment_en"]


def test_unknown_place_is_proposed_with_gazetteer_candidates_not_an_iri():
    _, cands = run("unknown.txt")
    (rel,) = of(cands, "relations")
    assert rel.values["party_a"] == "city:mashhad"
    assert rel.values["party_b"] == "new:لیسبون"  # proposed, never a guessed IRI
    assert rel.values["year"] == "2024"  # «سال ۱۴۰۳» begins in March 2024
    (place,) = of(cands, "entities")
    assert place.values["label_fa"] == "لیسبون"
    assert "Lisbon" in place.values["gazetteer_candidates"] and "geonames:" in place.values["gazetteer_candidates"]


def test_dates_in_persian_and_arabic_digits_month_names_ranges_and_weekdays():
    pub = date(2025, 6, 21)  # Saturday 31 Khordad 1404
    found = {d.text: d for d in find_dates(normalise("۱۱ خرداد ۱۴۰۴ و ١٢ و ١٣ خرداد و آبان ماه 1398 و (2019) و چهارشنبه گذشته"), pub)}
    assert found["۱۱ خرداد ۱۴۰۴"].iso == "2025-06-01"
    assert (found["١٢ و ١٣ خرداد"].sh, found["١٢ و ١٣ خرداد"].end_sh) == ("1404-03-12", "1404-03-13")
    assert found["١٢ و ١٣ خرداد"].inferred  # no year printed: taken from the publication
    assert (found["آبان ماه 1398"].sh, found["آبان ماه 1398"].precision) == ("1398-08", "month")
    assert found["(2019)"].iso == "2019"
    assert found["چهارشنبه گذشته"].iso == "2025-06-18" and found["چهارشنبه گذشته"].inferred


def test_dushanbe_is_not_a_monday():
    assert [d for d in find_dates(normalise("سفر به دوشنبه پایتخت تاجیکستان"), date(2025, 6, 21))] == []


def test_normalised_offsets_map_back_to_the_input():
    text = "شهرداري تهــران و يزد"
    n = normalise(text)
    i = n.text.index("تهران")
    a, b = n.span(i, i + len("تهران"))
    assert text[a:b] == "تهــران"


def test_publication_date_solar_hijri_or_iso():
    assert parse_publication_date("۱۴۰۴/۰۳/۳۱") == date(2025, 6, 21)
    assert parse_publication_date("2025-06-21") == date(2025, 6, 21)
    with pytest.raises(ValueError):
        parse_publication_date("Khordad 1404")


def test_bad_header_names_file_and_line(tmp_path):
    p = tmp_path / "bad.txt"
    p.write_text("---\ntitel: x\n---\nمتن\n", encoding="utf-8")
    with pytest.raises(ProjectError, match=r"bad.txt, line 2: header line 'titel: x'"):
        read_input(p, Meta())


def test_rejected_candidate_does_not_come_back_and_accepted_moves_into_the_table(tmp_path):
    src = tmp_path / "news.txt"
    src.write_text((TEXTS / "news.txt").read_text(encoding="utf-8"), encoding="utf-8")
    runner = CliRunner()
    sources = tmp_path / "sources"
    result = runner.invoke(app, ["ingest", str(src), "--out", str(sources), "--doc-id", "test-news"])
    assert result.exit_code == 0, result.output
    folder = sources / "test-news"
    rows = list(csv.DictReader((folder / "candidates" / "relations.csv").open(encoding="utf-8")))
    events = list(csv.DictReader((folder / "candidates" / "events.csv").open(encoding="utf-8")))
    assert [r["id"] for r in rows] == ["shiraz-kazan"]
    r = runner.invoke(app, ["review", str(folder), "--accept", rows[0]["key"], "--reviewer", "tester"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["review", str(folder), "--reject", events[0]["key"], "--reviewer", "tester", "--reason", "test"])
    assert r.exit_code == 0, r.output
    table = list(csv.DictReader((folder / "relations.csv").open(encoding="utf-8")))
    assert [(t["id"], t["party_a"], t["party_b"]) for t in table] == [("shiraz-kazan", "city:shiraz", "city:kazan")]
    assert table[0]["quote"] in src.read_text(encoding="utf-8")
    rejected = list(csv.DictReader((folder / "candidates" / "rejected.csv").open(encoding="utf-8")))
    assert [(x["key"], x["reason"], x["reviewer"]) for x in rejected] == [(events[0]["key"], "test", "tester")]
    runner.invoke(app, ["ingest", str(src), "--out", str(sources), "--doc-id", "test-news"])
    assert not (folder / "candidates" / "relations.csv").exists()  # accepted: not proposed again
    assert not (folder / "candidates" / "events.csv").exists()  # rejected: not proposed again
    assert "prov:Activity" in (folder / "candidates" / "run.ttl").read_text(encoding="utf-8")


def test_reject_without_reason_is_refused(tmp_path):
    src = tmp_path / "news.txt"
    src.write_text((TEXTS / "news.txt").read_text(encoding="utf-8"), encoding="utf-8")
    ingest(src, Meta(doc_id="x"), tmp_path)
    key = next(csv.DictReader((tmp_path / "x" / "candidates" / "relations.csv").open(encoding="utf-8")))["key"]
    r = CliRunner().invoke(app, ["review", str(tmp_path / "x"), "--reject", key, "--reviewer", "t"])
    assert r.exit_code == 2 and "needs a reason" in r.output


@pytest.mark.slow
def test_accepted_rows_enter_the_graph_and_pass_the_shapes(tmp_path, monkeypatch):
    """Ingest → review → validate on a copy of the project: the accepted relation and trip load with
    their quote and the extraction run, and the whole graph still conforms."""
    project_copy(tmp_path, monkeypatch)
    runner = CliRunner()
    folder = tmp_path / "data" / "sources" / "900-test-news"
    assert runner.invoke(app, ["ingest", str(TEXTS / "news.txt"), "--doc-id", "900-test-news"]).exit_code == 0
    keys = {t: k for k, (t, _) in __import__("paradiplomacy.ingest.review", fromlist=["pending"]).pending(folder).items()}
    r = runner.invoke(app, ["review", str(folder), "--accept", keys["relations"], "--accept", keys["events"], "--reviewer", "tester"])
    assert r.exit_code == 0, r.output
    from rdflib import Literal

    from paradiplomacy.namespaces import INSTANCE, PD, PROV
    from paradiplomacy.project import Project
    from paradiplomacy.rdf.sources import load_data

    graphs = load_data(Project(tmp_path)).graphs
    g = next(g for k, g in graphs.items() if "900-test-news" in str(k))
    rel = INSTANCE["rel"]["shiraz-kazan"]
    assert set(g.objects(rel, PD.party)) == {INSTANCE["city"]["shiraz"], INSTANCE["city"]["kazan"]}
    quotes = {q for ev in g.objects(rel, PD.evidence) for q in g.objects(ev, PD.quote)}
    assert Literal("به گزارش خبرنگار ما، تفاهم‌نامه خواهرخواندگی شیراز و قازان روز ۱۵ مرداد ۱۴۰۴ در قازان امضا شد.", lang="fa") in quotes
    assert (INSTANCE["fact"]["ingest-run-900-test-news"], PROV.generated, rel) in g
    assert (rel, PD.relationStatus, INSTANCE["concept"]["relation-status-signed"]) in g  # «… امضا شد»
    r = runner.invoke(app, ["validate"])
    assert r.exit_code == 0, r.output


def test_a_candidates_own_columns_never_overwrite_the_facts():
    from paradiplomacy.ingest.candidates import EXTRA_COLUMNS, Candidate
    from paradiplomacy.rdf.mapping import SOURCE_TABLES

    # offices have their period in `start`/`end`, events their attribution `confidence`: the
    # candidate's offsets, locator and score go under names no table uses
    assert [(t.name, c.name) for t in SOURCE_TABLES for c in t.columns if c.name in EXTRA_COLUMNS] == []
    event = Candidate("events", {"id": "y", "confidence": "medium"}, "سفر", 0, 3, "paragraph 2", "event-sentence", 0.5)
    row = event.row()
    assert (row["confidence"], row["score"], row["span_start"], row["span_end"], row["span_locator"]) == ("medium", "0.50", "0", "3", "paragraph 2")


@pytest.mark.slow
def test_the_cached_gazetteer_is_the_built_one_and_follows_its_data(tmp_path):
    """The gazetteer file under build/cache holds every name of the built gazetteer, and a change
    of the reference data makes a new one (the cache is keyed by what it is built from)."""
    import shutil

    from paradiplomacy.ingest.gazetteer import _load, cache_key

    root = Path(__file__).resolve().parents[1]
    shutil.copytree(root / "data" / "reference", tmp_path / "data" / "reference")
    data = tmp_path / "data"
    built = Gazetteer.build(data)
    first = _load.__wrapped__(data, True)  # not the per-process cache: this writes the file
    (cached,) = (tmp_path / "build" / "cache").glob("gazetteer-*.json")
    assert cached.name == f"gazetteer-{cache_key(data, True)}.json"
    again = _load.__wrapped__(data, True)  # read from the file
    assert again.entries == built.entries == first.entries and again.by_curie == built.by_curie
    assert [e.curie for e in again.lookup("اصفهان")] == ["city:isfahan"]
    places = data / "reference" / "places.csv"
    # an alternative label of Isfahan a knowledge engineer adds: found at once, the old file gone
    places.write_text(places.read_text(encoding="utf-8").replace("city:isfahan,418863,اصفهان,,,,", "city:isfahan,418863,اصفهان,,,سپاهان,"),
                      encoding="utf-8")
    assert "سپاهان" in places.read_text(encoding="utf-8")
    assert [e.curie for e in _load.__wrapped__(data, True).lookup("سپاهان")] == ["city:isfahan"]
    assert [p.name for p in (tmp_path / "build" / "cache").glob("gazetteer-*.json")] == [f"gazetteer-{cache_key(data, True)}.json"]
    assert cache_key(data, True) != cached.name[len("gazetteer-") : -len(".json")]


def test_relation_status_is_read_from_the_words_of_the_sentence():
    _, cands = run("status.txt")
    found = {(c.values["party_a"], c.values["party_b"]): (c.values["kind"], c.values["status"]) for c in of(cands, "relations")}
    assert found == {
        ("city:tabriz", "city:baku"): ("mou", "signed"),  # «… روز ۱۰ تیر ۱۴۰۴ در باکو امضا شد»
        ("city:yazd", "city:sarajevo"): ("sister-city", "planned"),  # «قرار است سند خواهرخواندگی … امضا شود»
        ("city:kerman", "city:bishkek"): ("mou", "under-negotiation"),  # «پیش‌نویس … در حال بررسی است»
        ("city:rasht", "city:tbilisi"): ("sister-city", "renewed"),  # «… برای پنج سال دیگر تمدید شد»
        ("city:hamedan", "city:yerevan"): ("sister-city", "ended"),  # «… را لغو کرد»
    }


def test_a_relation_named_without_a_status_word_gets_no_status():
    # the sentence says the cities are twinned, not whether anything was signed, renewed or ended
    cands = extract("شیراز و قازان از سال‌ها پیش با هم خواهرخوانده‌اند.\n", Meta(doc_id="x"), Gazetteer.load())
    (rel,) = of(cands, "relations")
    assert (rel.values["party_a"], rel.values["party_b"], rel.values["status"]) == ("city:shiraz", "city:kazan", "")


def test_executive_documents_programmes_and_visits_received():
    _, cands = run("kinds.txt")
    rels = {(c.values["kind"], c.values["party_a"], c.values["party_b"]): c.values for c in of(cands, "relations")}
    # «سند اجرایی خواهرخواندگی اصفهان و کوالالمپور روز ۲۰ شهریور ۱۴۰۴ … امضا شد»: the executive document, not the twinning
    doc = rels[("executive-document", "city:isfahan", "city:kuala-lumpur")]
    assert (doc["date_sh"], doc["status"], doc["label_fa"]) == ("1404-06-20", "signed", "سند اجرایی اصفهان و کوالالمپور")
    # «برنامه همکاری سه‌ساله مشهد و کازان … قرار است در آبان امسال امضا شود»
    assert rels[("programme", "city:mashhad", "city:kazan")]["status"] == "planned"
    assert len(rels) == 2
    visits = sorted((c.values["host"], c.values["date"], c.values["participants"])
                    for c in of(cands, "events") if c.values["kind"] == "visit-received")
    assert visits == [
        ("city:shiraz", jdatetime.date(1404, 6, 15).togregorian().isoformat(), "city:baku"),  # «شهردار باکو … در سفر به شیراز»
        ("city:tabriz", jdatetime.date(1404, 6, 12).togregorian().isoformat(), "city:istanbul"),  # «هیئتی از شهرداری استانبول … وارد تبریز شد»
    ]
    assert not [c for c in of(cands, "events") if c.values["kind"] == "trip"]  # inbound: not a trip of an Iranian actor


@pytest.mark.slow
def test_accepted_new_kinds_load_as_their_classes_and_validate(tmp_path, monkeypatch):
    """The executive document, the programme and the visits received of kinds.txt, accepted, load as
    pd:ExecutiveDocument, pd:CooperationProgramme and pd:VisitReceived with their status and host,
    and the graph still passes `pdkg validate` (shapes, OWL, QC)."""
    from rdflib.namespace import RDF

    from paradiplomacy.ingest.review import pending
    from paradiplomacy.namespaces import INSTANCE, PD
    from paradiplomacy.project import Project
    from paradiplomacy.rdf.sources import load_data

    root = project_copy(tmp_path, monkeypatch)
    runner = CliRunner()
    folder = tmp_path / "data" / "sources" / "901-test-kinds"
    assert runner.invoke(app, ["ingest", str(TEXTS / "kinds.txt"), "--doc-id", "901-test-kinds"]).exit_code == 0
    keys = [k for k, (t, _) in pending(folder).items() if t in ("relations", "events")]
    assert len(keys) == 4
    r = runner.invoke(app, ["review", str(folder), *[a for k in keys for a in ("--accept", k)], "--reviewer", "tester"])
    assert r.exit_code == 0, r.output
    g = next(g for k, g in load_data(Project(tmp_path)).graphs.items() if "901-test-kinds" in str(k))
    rel = INSTANCE["rel"]
    assert (rel["isfahan-kuala-lumpur-executive-document"], RDF.type, PD.ExecutiveDocument) in g
    assert (rel["mashhad-kazan-programme"], PD.relationStatus, INSTANCE["concept"]["relation-status-planned"]) in g
    visits = set(g.subjects(RDF.type, PD.VisitReceived))
    assert {g.value(v, PD.host) for v in visits} == {INSTANCE["city"]["tabriz"], INSTANCE["city"]["shiraz"]}
    # the site's map draws the two new kinds with the others, each under its own filter
    from paradiplomacy.publish.map import map_data
    from paradiplomacy.publish.sitegraph import SiteGraph
    from paradiplomacy.rdf.load import load_dataset

    geo = map_data(SiteGraph(load_dataset(Project(tmp_path))))
    kinds = {f["properties"]["iri"]: f["properties"]["kind"] for f in geo["features"] if f["geometry"]["type"] == "LineString"}
    kinds.update({r["iri"]: r["kind"] for r in geo["not_drawn"]})
    assert kinds[str(rel["isfahan-kuala-lumpur-executive-document"])] == "executive-document"
    assert kinds[str(rel["mashhad-kazan-programme"])] == "programme"
    assert kinds[str(rel["isfahan-florence"])] == "sister-city"  # 004 Table 1: «فلورانس (۱۹۹۸)»
    assert (folder / "kinds.txt").read_text(encoding="utf-8") == (TEXTS / "kinds.txt").read_text(encoding="utf-8")  # the document, kept
    seeds = Project(root).seeds_dir
    if seeds.is_dir():  # the quote check runs only beside the seeds: then the accepted quotes are checked against kinds.txt
        monkeypatch.setenv("PDKG_SEEDS", str(seeds))
    r = runner.invoke(app, ["validate"])
    assert r.exit_code == 0, r.output
    assert ("Quotes: all" in r.output) == seeds.is_dir(), r.output


def test_offices_with_their_bodies_read_off_the_roles():
    _, cands = run("offices.txt")
    found = {(c.values["holder"], c.values["organization"], c.values["role"]) for c in of(cands, "offices")}
    assert found == {
        # «علیرضا زاکانی، شهردار تهران، به عنوان نایب‌رئیس اتحادیه شهرهای عضو بریکس انتخاب شد»
        ("person:alireza-zakani", "body:tehran-municipality", "mayor"),
        ("person:alireza-zakani", "body:brics-cities-union", "vice-president"),
        # «سیدعباس عراقچی، وزیر امور خارجه امروز راهی مصر شد»: Iran's minister, not Egypt's
        ("person:abbas-araghchi", "body:iran-foreign-ministry", "foreign-minister"),
        ("person:eghbal-shakeri", "body:tehran-city-council", "city-council-member"),  # «از اعضای شورای اسلامی شهر تهران»
        ("person:mehdi-salimzadeh", "body:azerbaijan-justice-ministry", "deputy-minister"),  # «معاون وزیر دادگستری آذربایجان»
        ("person:mohammad-bagher-ghalibaf", "body:iran-parliament", "speaker-of-parliament"),  # «رئیس مجلس»
        ("person:yvan-gil-pinto", "body:venezuela-foreign-ministry", "foreign-minister"),  # «وزیر امور خارجه ونزوئلا»
    }
    araghchi = next(c for c in of(cands, "offices") if c.values["holder"] == "person:abbas-araghchi")
    assert araghchi.quote == "سیدعباس عراقچی، وزیر امور خارجه"


def test_a_rules_pattern_is_folded_like_the_text():
    from paradiplomacy.ingest.normalise import fold, pattern

    assert pattern(r"رئیس ?جمهور").fullmatch(fold("رئيس جمهور"))  # Arabic ي and hamza seat in the text
    assert pattern(r"\S+").pattern == r"\S+"  # the regex syntax is kept


def test_reported_figures_in_sentences_and_tables():
    _, cands = run("figures.txt")
    found = sorted((c.rule, c.values["value"], c.values["comparator"], c.values["about"]) for c in of(cands, "figures"))
    assert found == [
        ("figure-quantity", "0.4", "exact", "city:tabriz ; country:turkey"),  # «۴۰ درصد گردشگران خارجی تبریز از ترکیه»
        ("figure-quantity", "0.5", "exact", ""),  # «نیمی از این روابط»
        ("figure-sentence", "12", "more-than", "city:tabriz"),  # «بیش از ۱۲ شهر جهان رابطه خواهرخواندگی»
        ("figure-table-cell", "2", "exact", "country:russia"),  # the «تعداد روابط» column
        ("figure-table-cell", "3", "exact", "country:turkey"),
    ]


def test_heads_of_government_from_a_table_with_their_periods():
    # a table laid out as the paper's Table 3: period, head of government, count of relations
    text = "بازه زمانی\tرئیس دولت\tتعداد روابط\n۱۹۹۷-۲۰۰۵\tجناب آقای خاتمی\t۱۵\n۲۰۱۳ تا کنون\tجناب آقای روحانی\t۴\n\nپایان جدول.\n"
    cands = extract(text, Meta(doc_id="x"), Gazetteer.load())
    offices = sorted((c.values["holder"], c.values["organization"], c.values["start"], c.values["end"]) for c in of(cands, "offices"))
    assert offices == [("person:khatami", "body:iran-government", "1997-01-01", "2005-12-31"),
                       ("person:rouhani", "body:iran-government", "2013-01-01", "")]  # «تا کنون»: no end
    assert sorted(c.values["value"] for c in of(cands, "figures")) == ["15", "4"]
    for c in cands:
        assert text[c.start : c.end] == c.quote
