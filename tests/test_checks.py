"""Each source's list of checked statements (data/sources/<doc-id>/checks.md) says what the data
says: every claim of the source with a pd:checkResult is listed once, with that result and the
disagreements that concern it, and nothing else is listed."""

from __future__ import annotations

import re

import pytest
from rdflib import URIRef
from rdflib.namespace import RDF

from paradiplomacy.namespaces import INSTANCE, PD, SOURCE_GRAPH
from paradiplomacy.project import Project

ROW = re.compile(r"^\| `(?P<claim>[^`]+)` \| (?P<kind>[a-z]+) \|.*\| \*\*(?P<result>[a-z-]+)\*\*(?: — (?P<disagreements>.+))? \|$")
RESULT = {"agrees": "check-agrees", "disagrees": "check-disagrees", "not-checkable": "check-not-checkable"}


def sources():
    return sorted(p for p in (Project.locate().data_dir / "sources").iterdir() if p.is_dir())


def listed(folder):
    rows = {}
    for line in (folder / "checks.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("| `"):
            match = ROW.match(line)
            assert match, f"{folder.name}/checks.md: a row that does not parse: {line[:120]}"
            assert match["claim"] not in rows, f"{folder.name}/checks.md lists {match['claim']} twice"
            rows[match["claim"]] = (RESULT[match["result"]], frozenset(re.findall(r"`([^`]+)`", match["disagreements"] or "")))
    return rows


@pytest.mark.parametrize("folder", sources(), ids=lambda p: p.name)
def test_checks_md_lists_exactly_the_checked_claims(dataset, data, folder):
    graph = dataset.graph(URIRef(f"{SOURCE_GRAPH}{folder.name}"))
    checked = {}
    for claim in set(graph.subjects(PD.checkResult, None)):
        disagreements = frozenset(str(d).rsplit("/", 1)[1] for d in data.subjects(PD.concerns, claim)
                                  if (d, RDF.type, PD.Disagreement) in data)
        checked[str(claim).rsplit("/", 1)[1]] = (str(graph.value(claim, PD.checkResult)).rsplit("/", 1)[1], disagreements)
    assert checked, f"{folder.name}: no statement checked"
    assert listed(folder) == checked


def test_a_claim_that_disagrees_has_its_disagreement(data):
    # concept:check-disagrees promises a pd:Disagreement (pd:checkResult's definition)
    for claim in data.subjects(PD.checkResult, INSTANCE["concept"]["check-disagrees"]):
        assert any((d, RDF.type, PD.Disagreement) in data for d in data.subjects(PD.concerns, claim)), claim


def test_every_check_says_how(data):
    for claim in set(data.subjects(PD.checkResult, None)):
        assert any(n.language == "en" for n in data.objects(claim, PD.checkNote)), claim
