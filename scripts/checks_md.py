"""Write each source's list of checked statements, data/sources/<doc-id>/checks.md, from the data.

A checked statement is a claim of the source (in its named graph) with a pd:checkResult. Each
row gives the claim, its kind, its quotes, what it states, how it was checked (pd:checkNote) and
the result, with the disagreement that concerns it. The lists are Markdown (the loader refuses
CSV files in a source folder that are not tables of its own). tests/test_checks.py keeps each
list and the data in step; run this after changing a claim's check:

    .venv/bin/python scripts/checks_md.py
"""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from paradiplomacy.rdf.load import load_dataset, union
from paradiplomacy.namespaces import PD, SOURCE_GRAPH
from paradiplomacy.project import Project

RESULTS = {"check-agrees": "agrees", "check-disagrees": "disagrees", "check-not-checkable": "not-checkable"}

HEADER = """# Checkable statements of {doc}

Every statement of this source that the graph's data could check: a number, a superlative, a
comparison, a count, a classification, a period boundary, an office attribution. Each is a claim
(`claim:<id>`) in `facts.ttl` with its quote, `pd:checkResult` and `pd:checkNote`; figures are
recomputed by query 022 from what they say they count (`pd:countedClass`, `pd:countScope`,
`pd:countsDistinct`...), classifications of one form of diplomacy under another are compared
across the sources by query 035, the rest were checked by hand as the note says, naming the
stored query that shows the data. A disagreement is a `pd:Disagreement` (queries 010 and 036).
Offices and their periods are in `offices.csv` (query 033 answers who held one on a day).
This list is written from the data by `scripts/checks_md.py` (claims with a `pd:checkResult`);
a statement not listed here has not been checked.
"""


def english(graph, subject, prop) -> str:
    values = sorted(str(v) for v in graph.objects(subject, prop) if isinstance(v, Literal) and v.language == "en")
    return " ".join(values)


def cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def kind(graph, claim) -> str:
    if (claim, RDF.type, PD.ReportedFigure) in graph:
        return "figure"
    if (claim, RDF.type, PD.Definition) in graph:
        return "classification" if graph.value(claim, PD.broaderConcept) is not None else "definition"
    return "statement"


def rows(graph, everything) -> list[str]:
    lines = []
    for claim in sorted(set(graph.subjects(PD.checkResult, None)), key=str):
        result = RESULTS[str(graph.value(claim, PD.checkResult)).rsplit("/", 1)[1]]
        quotes = " … ".join(f"«{cell(str(everything.value(ev, PD.quote)))}»"
                             for ev in sorted(everything.objects(claim, PD.evidence), key=str))
        disagreements = sorted(str(d).rsplit("/", 1)[1] for d in everything.subjects(PD.concerns, claim)
                               if (d, RDF.type, PD.Disagreement) in everything)
        shown = f"**{result}**" + (" — " + ", ".join(f"`{d}`" for d in disagreements) if disagreements else "")
        lines.append(f"| `{str(claim).rsplit('/', 1)[1]}` | {kind(graph, claim)} | {quotes} | "
                     f"{cell(english(graph, claim, PD.statement))} | {cell(english(graph, claim, PD.checkNote))} | {shown} |")
    return lines


def main() -> None:
    project = Project.locate()
    dataset = load_dataset(project)
    everything = union(dataset, SOURCE_GRAPH)  # a disagreement may live in another source's graph
    for folder in sorted((project.root / "data" / "sources").iterdir()):
        if not folder.is_dir():
            continue
        graph = dataset.graph(URIRef(f"{SOURCE_GRAPH}{folder.name}"))
        body = rows(graph, everything)
        text = HEADER.format(doc=folder.name) + "\n| claim | kind | quote | what it states | how it is checked | result |\n|---|---|---|---|---|---|\n"
        text += "\n".join(body) + "\n"
        (folder / "checks.md").write_text(text, encoding="utf-8")
        print(f"{folder.name}/checks.md: {len(body)} checked statements")


if __name__ == "__main__":
    main()
