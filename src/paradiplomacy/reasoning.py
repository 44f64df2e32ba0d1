"""OWL 2 DL consistency with HermiT, through owlready2.

owlready2 reads N-Triples or RDF/XML, not Turtle, and resolves owl:imports over the network;
so the merged ontology (imports removed, every module already in it) goes in as N-Triples.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import OWL


class ReasonerUnavailable(RuntimeError):
    """HermiT cannot run here (no Java); said plainly, never passed over."""


@dataclass
class ConsistencyResult:
    consistent: bool
    unsatisfiable: list[str] = field(default_factory=list)
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.consistent and not self.unsatisfiable


def check_consistency(graph: Graph) -> ConsistencyResult:
    """Run HermiT on ``graph`` (ontology, optionally with data)."""
    if shutil.which("java") is None:
        raise ReasonerUnavailable("HermiT needs Java: install a JRE (e.g. apt-get install default-jre-headless)")
    import owlready2

    merged = Graph()
    merged += graph
    merged.remove((None, OWL.imports, None))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "merged.nt"
        merged.serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        world.get_ontology(path.as_uri()).load()
        try:
            with world.get_ontology("http://paradiplomacy.invalid/inferences#"):
                owlready2.sync_reasoner_hermit(
                    world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True
                )
        except owlready2.OwlReadyInconsistentOntologyError as err:
            return ConsistencyResult(False, message=str(err))
        unsat = sorted(c.iri for c in world.inconsistent_classes() if c is not owlready2.Nothing)
        return ConsistencyResult(True, unsat, "unsatisfiable classes: " + ", ".join(unsat) if unsat else "consistent")
