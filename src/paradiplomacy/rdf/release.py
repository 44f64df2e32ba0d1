"""The ontology's release artefact: the one file OWL tools are given (as the ODK's release files).

The sources keep one module per file (ontology/modules/), each with a header of its own, imported
by ontology/paradiplomacy.ttl; those module IRIs resolve to nothing an OWL tool can load, so the
release merges everything under the one header of the ontology, with no owl:imports.

Ranges outside the OWL 2 datatype map are the other difference. The sources state the datatypes
the data really has (xsd:gYear, xsd:date, rdf:langString) and SHACL checks them; an OWL 2 DL
reasoner rejects xsd:gYear and xsd:date (not in the map) and Openllet calls an rdf:langString
range inconsistent. The release states what OWL 2 reads such values as — rdf:PlainLiteral for a
language-tagged string, rdfs:Literal for the two date types — and says on the property, in a
comment, which datatype the data uses. The reasoners (reasoning.py) run on this file.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, RDFS, XSD

from paradiplomacy.namespaces import bind_prefixes
from paradiplomacy.rdf.load import ONTOLOGY_IRI

#: range in the sources -> the range the release states (inside the OWL 2 datatype map)
RELEASE_RANGES = {
    RDF.langString: RDF.PlainLiteral,
    XSD.gYear: RDFS.Literal,
    XSD.date: RDFS.Literal,
}
WIDENED_NOTE = {
    "en": "In the data every value is an {dt} literal (SHACL checks it); this release states the range as {to}, "
          "because {dt} is outside the OWL 2 datatype map that OWL 2 DL reasoners accept.",
    "fa": "در داده‌ها هر مقدار یک لیترال {dt} است (SHACL آن را می‌سنجد)؛ این نسخه انتشار برد را {to} می‌گوید، "
          "زیرا {dt} بیرون از نگاشت نوع‌داده‌های OWL 2 است که استدلال‌گرهای OWL 2 DL می‌پذیرند.",
}


def release_date() -> str:
    """The day of this release: $SOURCE_DATE_EPOCH (the reproducible-builds convention) when set,
    else today (UTC), so that a rebuild of one day's sources gives the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    return moment.date().isoformat()


def curie(iri: URIRef) -> str:
    return bind_prefixes(Graph()).namespace_manager.normalizeUri(iri)


def citation(ontology: Graph, version: str) -> str:
    """Creators (as the header names them), title, version and version IRI."""
    creators = sorted(
        str(name)
        for creator in ontology.objects(ONTOLOGY_IRI, DCTERMS.creator)
        for name in ([creator] if isinstance(creator, Literal) else ontology.objects(creator, FOAF.name))
        if not isinstance(name, Literal) or name.language in (None, "en")
    )
    title = next((str(t) for t in ontology.objects(ONTOLOGY_IRI, DCTERMS.title) if isinstance(t, Literal) and t.language == "en"),
                 str(ONTOLOGY_IRI))
    version_iri = ontology.value(ONTOLOGY_IRI, OWL.versionIRI) or ONTOLOGY_IRI
    return f"{'; '.join(creators)}. {title}, version {version}. {version_iri}"


def release_graph(ontology: Graph, version: str, date: str | None = None) -> Graph:
    """The merged release of ``ontology`` (the union of the ontology's named graphs, version
    already stamped by loading.stamp_version)."""
    if (ONTOLOGY_IRI, RDF.type, OWL.Ontology) not in ontology:
        raise ValueError(f"the ontology has no header <{ONTOLOGY_IRI}> (ontology/paradiplomacy.ttl)")
    modules = {s for s in ontology.subjects(RDF.type, OWL.Ontology) if s != ONTOLOGY_IRI}
    out = bind_prefixes(Graph())
    for s, p, o in ontology:
        if p == OWL.imports or s in modules:
            continue
        if p == RDFS.range and isinstance(o, URIRef) and o in RELEASE_RANGES:
            widened = RELEASE_RANGES[o]
            out.add((s, p, widened))
            if widened == RDFS.Literal:
                for lang, text in WIDENED_NOTE.items():
                    out.add((s, RDFS.comment, Literal(text.format(dt=curie(o), to=curie(widened)), lang=lang)))
            continue
        out.add((s, p, o))
    day = Literal(date or release_date(), datatype=XSD.date)
    out.set((ONTOLOGY_IRI, DCTERMS.issued, day))
    out.set((ONTOLOGY_IRI, DCTERMS.modified, day))
    out.set((ONTOLOGY_IRI, DCTERMS.bibliographicCitation, Literal(citation(out, version), lang="en")))
    return out


def release_of(dataset: Dataset, version: str, date: str | None = None) -> Graph:
    """The release of the ontology's named graphs of ``dataset``."""
    from paradiplomacy.namespaces import GRAPH
    from paradiplomacy.rdf.load import union

    return release_graph(union(dataset, f"{GRAPH}ontology/"), version, date)
