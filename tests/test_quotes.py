"""Every quote is verbatim: found in its seed text up to ي/ی, ك/ک, ZWNJ, diacritics, whitespace."""

from __future__ import annotations

from paradiplomacy.namespaces import PD
from paradiplomacy.quotes import check_quotes, normalise


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
