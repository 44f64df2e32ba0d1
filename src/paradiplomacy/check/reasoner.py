"""OWL 2 DL checks of the ontology's release file (release.py): consistency in HermiT and in
Pellet (both shipped by owlready2, both on Java), and the OWL API's OWL 2 DL profile check
(Debian's libowlapi-java).

owlready2 reads N-Triples or RDF/XML, not Turtle, and resolves owl:imports over the network; the
release has no imports and goes in as N-Triples. The reasoners are not told to ignore any
datatype: every range of the release is inside the OWL 2 datatype map, and the ontology alone
(no data) is what they check — the data's xsd:gYear and xsd:date values are SHACL's to check.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import OWL

from paradiplomacy.project import ProjectError

REASONERS = ("hermit", "pellet")
PROFILE_CHECK = Path(__file__).with_name("java") / "OwlProfileCheck.java"
OWLAPI_PACKAGE = "libowlapi-java"


class ReasonerUnavailable(ProjectError):
    """HermiT cannot run here (no Java); said plainly, never passed over."""


class ProfileCheckUnavailable(ProjectError):
    """The OWL API (or a JDK to run its checker) is missing; the message says what to install."""


@dataclass
class ConsistencyResult:
    consistent: bool
    unsatisfiable: list[str] = field(default_factory=list)
    message: str = ""
    reasoner: str = "hermit"

    @property
    def ok(self) -> bool:
        return self.consistent and not self.unsatisfiable


def check_consistency(graph: Graph, reasoner: str = "hermit") -> ConsistencyResult:
    """Run HermiT or Pellet on ``graph`` (the release ontology, optionally with data)."""
    if reasoner not in REASONERS:
        raise ValueError(f"unknown reasoner {reasoner!r} (reasoners: {', '.join(REASONERS)})")
    if shutil.which("java") is None:
        raise ReasonerUnavailable(f"{reasoner} needs Java: install a JRE (e.g. apt-get install default-jre-headless)")
    import owlready2

    merged = Graph()
    merged += graph
    merged.remove((None, OWL.imports, None))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "merged.nt"
        merged.serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        world.get_ontology(path.as_uri()).load()
        run = owlready2.sync_reasoner_hermit if reasoner == "hermit" else owlready2.sync_reasoner_pellet
        try:
            with world.get_ontology("http://paradiplomacy.invalid/inferences#"):
                run(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as err:
            return ConsistencyResult(False, message=str(err), reasoner=reasoner)
        unsat = sorted(c.iri for c in world.inconsistent_classes() if c is not owlready2.Nothing)
        message = "unsatisfiable classes: " + ", ".join(unsat) if unsat else "consistent"
        return ConsistencyResult(True, unsat, message, reasoner)


@dataclass
class ProfileReport:
    violations: list[str]
    summary: str

    @property
    def ok(self) -> bool:
        return not self.violations


def owlapi_classpath() -> str:
    """The jars of the OWL API and of its dependencies as Debian installs them, from the package
    database ($PDKG_OWLAPI_CLASSPATH overrides, for another layout)."""
    if os.environ.get("PDKG_OWLAPI_CLASSPATH"):
        return os.environ["PDKG_OWLAPI_CLASSPATH"]
    hint = f"the OWL 2 DL profile check needs the OWL API: apt-get install {OWLAPI_PACKAGE} (or set PDKG_OWLAPI_CLASSPATH)"
    if shutil.which("dpkg-query") is None:
        raise ProfileCheckUnavailable(hint)

    def query(*args: str) -> str:
        done = subprocess.run(["dpkg-query", *args], capture_output=True, text=True)
        if done.returncode:
            raise ProfileCheckUnavailable(hint)
        return done.stdout

    depends = query("-W", "-f=${Depends}", OWLAPI_PACKAGE)
    packages = [OWLAPI_PACKAGE] + [d.split("(")[0].split("|")[0].strip() for d in depends.split(",") if d.strip()]
    jars = set()
    for package in packages:
        for line in query("-L", package).splitlines():
            # unversioned names only (Debian installs owlapi-api.jar beside owlapi-api-5.1.20.jar)
            if line.startswith("/usr/share/java/") and line.endswith(".jar") and line.count("/") == 4 \
                    and not line[:-4].rsplit("-", 1)[-1].replace(".", "").isdigit():
                jars.add(line)
    # one SLF4J binding, the silent one (libslf4j-java installs several)
    jars = {j for j in jars if not Path(j).name.startswith(("slf4j-", "jcl-over", "log4j-over", "jul-to"))}
    jars |= {j for j in ("/usr/share/java/slf4j-api.jar", "/usr/share/java/slf4j-nop.jar") if Path(j).is_file()}
    return ":".join(sorted(jars))


def check_dl_profile(path: Path) -> ProfileReport:
    """The OWL API's OWL2DLProfile on the ontology file ``path`` (RDF/XML, Turtle, N-Triples)."""
    if shutil.which("java") is None:
        raise ProfileCheckUnavailable("the OWL 2 DL profile check needs Java (apt-get install default-jdk-headless)")
    done = subprocess.run(["java", "-cp", owlapi_classpath(), str(PROFILE_CHECK), str(path)],
                          capture_output=True, text=True, timeout=600)
    if done.returncode not in (0, 1):
        raise ProfileCheckUnavailable(f"{path}: the OWL API profile check failed: {done.stderr.strip()[-2000:]}")
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    return ProfileReport(lines, done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "")
