"""Every shell example of the README, run as written against servers on loopback, with the answer
it documents checked against the documents.

The README's ``sh`` blocks are cut into commands (a command runs on over lines that end in ``\\``
or sit inside quotes). Each one is either run here — its host and port, ``.venv/bin`` and the
paths under ``build/`` replaced by the test's own (a server of the published site on a free port,
a real Oxigraph server loaded by the README's own ``oxigraph`` commands) — or listed in NOT_RUN
with the reason; a command that is in neither fails, so no new example goes untested unseen.
The Python example is run by ``test_analysis.py``.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from paradiplomacy.namespaces import INSTANCE
from paradiplomacy.project import Project
from test_remote import free_port
from test_serve import start

README = Project.locate().root / "README.md"
BIN = Path(sys.executable).parent
CITY = INSTANCE["city"]
PERSON = INSTANCE["person"]


def commands(text: str) -> list[str]:
    """The commands of the README's sh blocks, each as bash reads it (continuations, quotes and
    here-documents kept together; lines that are only a comment left out)."""
    found: list[str] = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        lines = block.splitlines()
        i = 0
        while i < len(lines):
            current = lines[i]
            i += 1
            if not current.strip() or current.lstrip().startswith("#"):
                continue
            heredoc = re.search(r"<<'?(\w+)'?", current)
            if heredoc:
                while i < len(lines) and lines[i - 1].strip() != heredoc[1]:
                    current += "\n" + lines[i]
                    i += 1
                found.append(current)
                continue
            while current.endswith("\\") or not _complete(current):
                current += "\n" + lines[i]
                i += 1
            found.append(current)
    return found


def _complete(command: str) -> bool:
    try:
        shlex.split(command, comments=True)
    except ValueError:  # a quote still open
        return False
    return True


def key(command: str) -> str:
    """A command's words without its comment: what the lists below name it by."""
    first = command.split("\n", 1)[0] if "<<" in command else command
    return " ".join(shlex.split(first, comments=True))


# Commands not run, each with why; the prefix of its key names it.
NOT_RUN = {
    "make run": "the build: the session's fixtures make the same graph and site from the sources",
    "make test": "runs this very suite",
    ".venv/bin/pdkg serve --port 8000": "stands for the server this test starts on a free loopback port: the same "
                                        "serve.server.make_server on the published site (pdkg serve reads build/site/ only)",
    "tdb2.tdbloader": "Apache Jena (TDB2, Fuseki) is not installed on the test machine",
    "cat > fuseki-paradiplomacy.ttl": "Fuseki's configuration, for the Fuseki server that is not installed here",
    "fuseki-server": "Apache Jena Fuseki is not installed on the test machine",
    "mkdir pd-qlever": "QLever runs in Docker, which the tests do not use",
    "printf [data]": "QLever's configuration, for QLever in Docker",
    "qlever index": "QLever runs in Docker, which the tests do not use",
    "importrdf load": "GraphDB is not installed on the test machine",
    ".venv/bin/pdkg ingest article.txt": "article.txt stands for the reader's text; tests/test_ingest.py takes a text "
                                         "of its own through ingest, review and validate",
    ".venv/bin/pdkg review data/sources/900-example": "the keys are those of the reader's candidates; "
                                                      "tests/test_ingest.py runs review --accept and --reject on its own",
    ".venv/bin/pdkg validate": "in the ingest walk-through, after the reader's own review; tests/test_cli.py runs validate",
}
# The commands that start the Oxigraph server the query examples use (run by a fixture).
OXIGRAPH = ("oxigraph load", "oxigraph serve-read-only")


def _list_answers(run, project):
    ids = sorted(p.stem for p in (project.root / "queries" / "cq").glob("*.rq"))
    listed = [line.split("\t", 1)[0] for line in run.stdout.splitlines() if not line.startswith("\t")]
    assert set(ids) <= set(listed)
    # 001's parameters, as its header declares them
    assert "\t  --param city=…  (iri, default city:tehran) the city whose partners are listed" in run.stdout.splitlines()


def table(text: str) -> list[list[str]]:
    """The CLI's pipe table: a row of cells per line, header first, the rule left out."""
    rows = [[c.strip().strip("\u2068\u2069") for c in line.strip("|").split("|")] for line in text.strip().splitlines()]
    return [rows[0], *rows[2:]]


# Isfahan's row of 004 Table 1: 14 partner cities, 13 with a year, «فلورانس (۱۹۹۸)» among them
ISFAHAN_YEARS = [1989, 1997, 1998, 1999, 2000, 2000, 2000, 2000, 2001, 2004, 2004, 2009, 2009]


def _isfahan_partners(lang):
    def check(run, project):
        rows = table(run.stdout)
        header, body = rows[0], rows[1:]
        assert header == ["partner", "partner_label", "country", "country_label", "kind", "year"]
        assert len(body) == 14
        florence = next(r for r in body if r[0] == str(CITY["florence"]))
        assert florence[1] == ("Florence" if lang == "en" else "فلورانس") and florence[-1] == "1998"
        assert sorted(int(r[-1]) for r in body if r[-1]) == ISFAHAN_YEARS
        name = "Isfahan" if lang == "en" else "اصفهان"
        assert f"001-partners-of-a-city with city = city:isfahan ({name})" in run.stderr  # what it ran with
    return check


def _table_3_against_table_1(run, project):
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    # Table 3 prints ۲، ۱، ۳، ۱۵، ۱۵، ۴; Table 1's dated relations give 2, 1, 3, 15, 13, 6
    assert [int(r["printed"]) for r in rows] == [2, 1, 3, 15, 15, 4]
    assert [int(r["recomputed"]) for r in rows] == [2, 1, 3, 15, 13, 6]
    assert rows[3]["discourse_label"] == "dialogue among civilizations" and rows[3]["president_label"] == "Khatami"


def _tehrans_partners(run, project):
    rows = table(run.stdout)
    # Tehran's row of 004 Table 1: 24 partner cities, «لس آنجلس (۱۹۷۲)» among them
    assert len(rows) - 1 == 24
    los_angeles = next(r for r in rows[1:] if r[0] == str(CITY["los-angeles"]))
    assert los_angeles[1] == "Los Angeles" and los_angeles[-1] == "1972"
    assert "001-partners-of-a-city with city = city:tehran (Tehran)" in run.stderr


def _tehrans_mayor_that_day(run, project):
    rows = {r[0]: r for r in table(run.stdout)[1:]}
    # 000 (Hamshahri, 7 Khordad 1404 = 2025-05-28) names Zakani as Tehran's mayor that day; the
    # sources give Ghalibaf's years as mayor no dates, so his office is listed as undated, not excluded
    zakani = rows[str(PERSON["alireza-zakani"])]
    assert zakani[1] == "Alireza Zakani" and zakani[-2] == "attested"
    assert rows[str(PERSON["mohammad-bagher-ghalibaf"])][-2] == "undated"
    assert len(rows) == 2


def _tehran_in_turtle(run, project):
    graph = Graph().parse(data=run.stdout, format="turtle")
    tehran = URIRef(CITY["tehran"])
    assert Literal("Tehran", lang="en") in set(graph.objects(tehran, RDFS.label))
    assert Literal("تهران", lang="fa") in set(graph.objects(tehran, RDFS.label))


def _isfahan_years(run, project):
    rows = list(csv.reader(io.StringIO(run.stdout)))
    assert rows[0] == ["rel", "year"]
    assert [int(r[1]) for r in rows[1:]] == ISFAHAN_YEARS
    assert rows[1][0] == str(INSTANCE["rel"]["isfahan-xian"])  # شبان (۱۹۸۹), the misprint of Xi'an


def _every_source_counted(run, project):
    data = json.loads(run.stdout)
    counts = {b["kind"]["value"]: int(b["relations"]["value"]) for b in data["results"]["bindings"]}
    # the paper's 61 and 9, plus Tehran–Ankara (001) and the Tehran–Belgrade MoU (000)
    assert counts == {"SisterCityAgreement": 62, "CooperationMoU": 10}


# The commands run, by the prefix of their key, with what their answer must be.
RUN = {
    ".venv/bin/pdkg query --list": _list_answers,
    ".venv/bin/pdkg query 001 --param city=city:isfahan": _isfahan_partners("en"),
    ".venv/bin/pdkg query 001 --param city=اصفهان --lang fa": _isfahan_partners("fa"),
    ".venv/bin/pdkg query 004 --format csv": _table_3_against_table_1,
    ".venv/bin/pdkg query 033 --param role=concept:role-mayor": _tehrans_mayor_that_day,
    ".venv/bin/pdkg query 001 --endpoint http://127.0.0.1:7878/query": _tehrans_partners,
    "curl -H Accept: text/turtle -L http://127.0.0.1:8000/id/city/tehran": _tehran_in_turtle,
    "curl -G http://127.0.0.1:8000/sparql --data-urlencode format=csv": _isfahan_years,
    "curl -X POST -H Content-Type: application/sparql-query": _every_source_counted,
    ".venv/bin/pdkg query 001 --endpoint http://127.0.0.1:8000/sparql": _tehrans_partners,
}

EXAMPLES = commands(README.read_text(encoding="utf-8"))


def matching(command: str, table_: dict) -> list[str]:
    return [prefix for prefix in table_ if key(command).startswith(prefix)]


def test_every_shell_example_is_run_or_says_why_not():
    unclassified = [key(c) for c in EXAMPLES if len(matching(c, RUN) + matching(c, NOT_RUN) + [p for p in OXIGRAPH if key(c).startswith(p)]) != 1]
    assert unclassified == []
    named = {p for c in EXAMPLES for p in matching(c, RUN) + matching(c, NOT_RUN)}
    assert named == set(RUN) | set(NOT_RUN)  # no entry for an example the README no longer has
    assert len(EXAMPLES) >= len(RUN) + len(NOT_RUN) + len(OXIGRAPH)


def substituted(command: str, servers: dict[str, str], site: Path, store: Path) -> str:
    """The command with the test's servers, binaries and paths in place of the README's."""
    oxigraph = shutil.which("oxigraph") or str(BIN / "oxigraph")
    text = command.replace(".venv/bin/pdkg", str(BIN / "pdkg"))
    text = re.sub(r"^oxigraph ", oxigraph + " ", text)
    text = text.replace("http://127.0.0.1:8000", servers["site"]).replace("http://127.0.0.1:7878", servers["oxigraph"])
    text = text.replace("--bind 0.0.0.0:7878", "--bind " + servers["oxigraph"].removeprefix("http://"))
    return text.replace("build/site/", f"{site}/").replace("/data/pd-oxigraph", str(store))


@pytest.fixture(scope="module")
def servers(site, tmp_path_factory):
    """The published site on a free port, and Oxigraph loaded and served by the README's commands."""
    server = start(site, timeout=10, limit=10000, workers=1)
    urls = {"site": "http://{}:{}".format(*server.server_address[:2]), "oxigraph": f"http://127.0.0.1:{free_port()}"}
    store = tmp_path_factory.mktemp("readme-oxigraph") / "store"
    load, serve = (next(c for c in EXAMPLES if key(c).startswith(p)) for p in OXIGRAPH)
    loaded = subprocess.run(["bash", "-c", substituted(load, urls, site, store)], capture_output=True, text=True, timeout=300)
    assert loaded.returncode == 0, loaded.stderr
    oxigraph = subprocess.Popen(["bash", "-c", "exec " + substituted(serve, urls, site, store)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(urls["oxigraph"] + "/query?query=ASK%7B%7D", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield urls, store
    finally:
        oxigraph.terminate()
        oxigraph.wait(timeout=10)
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("command", [c for c in EXAMPLES if matching(c, RUN)], ids=lambda c: key(c)[:60])
def test_the_example_answers_as_documented(command, servers, site, project):
    urls, store = servers
    run = subprocess.run(["bash", "-c", substituted(command, urls, site, store)], capture_output=True, text=True,
                         cwd=project.root, timeout=300)
    assert run.returncode == 0, run.stderr
    RUN[matching(command, RUN)[0]](run, project)
