"""Every quote is verbatim: found in its seed text up to ي/ی, ك/ک, ZWNJ, diacritics, whitespace."""

from __future__ import annotations

from paradiplomacy.check.quotes import check_quotes, normalise
from paradiplomacy.namespaces import PD


def test_normalise_folds_only_what_extraction_blurs():
    assert normalise("كلان\u200cشهر ي") == normalise("کلانشهر ی")
    assert normalise("تهران") != normalise("تهرانی")
    assert normalise("۱۳۹۷") != normalise("1397")  # digits are not folded


def test_every_quote_is_in_its_source(data, seeds):
    problems = [str(p) for p in check_quotes(data, seeds)]
    assert problems == []


def test_every_sourced_fact_has_evidence(data, ontology):
    from rdflib.namespace import RDF, RDFS

    fact_classes = {PD.SourcedFact}
    frontier = [PD.SourcedFact]
    while frontier:
        for sub in ontology.subjects(RDFS.subClassOf, frontier.pop()):
            if sub not in fact_classes:
                fact_classes.add(sub)
                frontier.append(sub)
    facts = {s for c in fact_classes for s in data.subjects(RDF.type, c)}
    assert len(facts) > 200
    assert sorted(f for f in facts if (f, PD.evidence, None) not in data) == []


def test_check_evidence_takes_records_from_any_reader_and_names_the_closest_passage(seeds):
    # the records a table reader would make, placed by file:row:column
    from paradiplomacy.check.quotes import Evidence, check_evidence, seed_texts

    texts = seed_texts(seeds)
    real = "بازیگران دیگری برای ایجاد رابطه میان دولت ها"  # Zakerian interview (003), its first answer
    seed = "003_a329515348b68e1a.txt"
    records = [
        Evidence("row 2", "doc:003-zakerian-interview-1398", seed, real, "data/x.csv:2:5", "claim:a"),
        Evidence("row 3", "doc:003-zakerian-interview-1398", seed, real.replace("دیگری", "تازه‌ای"), "data/x.csv:3:5", "claim:b"),
        Evidence("row 4", "doc:999", "999_missing.txt", real, "data/x.csv:4:5"),
        Evidence("row 5", "doc:999", None, real, "data/x.csv:5:5"),
    ]
    problems = check_evidence(records, texts)
    assert [(p.where, p.fact, p.reason) for p in problems] == [
        ("data/x.csv:3:5", "claim:b", f"quote not found in {seed}"),
        ("data/x.csv:4:5", "", "seed file 999_missing.txt is missing"),
        ("data/x.csv:5:5", "", "no pd:sourceDocument with a pd:seedFile"),
    ]
    assert real in problems[0].closest and 80 < problems[0].similarity < 100
    assert "data/x.csv:3:5: claim:b" in str(problems[0]) and "closest: «" in str(problems[0])


def test_a_quote_spread_over_line_breaks_and_letter_forms_is_found(seeds):
    from paradiplomacy.check.quotes import seed_texts

    text = seed_texts(seeds)["003_a329515348b68e1a.txt"]
    assert "بازيگران\nديگري  براي ايجاد" in text  # Arabic ي, a line break and double spaces
    assert "بازیگران دیگری برای ایجاد رابطه میان ملت ها" not in text  # دولت ها, not ملت ها
