"""One content-negotiation rule set on two servers: the same probes against `pdkg serve` and a
real Apache (Debian's apache2, on loopback, serving the published site with the .htaccess and
type maps `pdkg publish` wrote) must give the same answers: status, Location (host aside), Vary,
Content-Type, Content-Language and the CORS header. The expected answers of the main cases are
written out by hand from the contract (Cool URIs: 303 to the document; q-values; Persian for
Persian readers); the rest must merely agree."""

from __future__ import annotations

import http.client
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from paradiplomacy.cli import app
from paradiplomacy.publish.conneg import DeployError, apache_server_config, deploy_site_url, w3id_htaccess
from paradiplomacy.rdf.load import project_version
from paradiplomacy.serve.server import make_server

APACHE = "/usr/sbin/apache2"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
ACCEPTS = (None, "", "*/*", "text/html", BROWSER, "application/xhtml+xml", "text/turtle", "application/ld+json",
           "application/n-triples", "application/rdf+xml", "text/turtle;q=0.5, application/n-triples",
           "application/ld+json;q=0.9, text/turtle;q=0.95", "text/turtle, */*", "text/*", "text/html;q=0.1, */*;q=0.2",
           "text/turtle;q=0, */*;q=0.5", "image/png", "TEXT/Turtle ; Q=0.7 , application/ld+json;q=0.70")
LANGUAGES = (None, "fa", "fa-IR", "fa-IR,fa;q=0.9,en;q=0.5", "en-US,en;q=0.9,fa;q=0.8", "de", "*", "fa;q=0, en;q=0.1")
DOC = "004-dehshiri-khorrami-1397"


def negotiated(version: str) -> tuple[str, ...]:
    """IRIs of every kind the table has (and a few that do not exist)."""
    return ("/id/city/tehran", "/id/rel/tehran-los-angeles", "/id/city/tehran/geometry", "/id/city/atlantis", "/id/city/tehran/",
            "/id/rel/tehran-los-angeles/no-such-part",
            "/ontology", "/ontology/", "/ontology/actors", "/ontology/no-such-module", f"/ontology/{version}", "/ontology/9.9.9",
            f"/graph/source/{DOC}", "/graph/reference", "/graph/links/iso3166", "/graph/ontology/modules/actors",
            "/graph/source/999-no-such-document", "/void")


DOCUMENTS = ("/", "/index.fa.html", "/id/city/tehran.ttl", "/id/city/tehran.jsonld", "/id/city/tehran.nt", "/id/city/tehran.html",
             "/id/city/tehran.fa.html", "/ontology.ttl", "/ontology.rdf", "/ontology.jsonld", "/ontology.fa.html",
             "/ontology/actors.ttl", "/void.ttl", "/void.jsonld", "/void.nt", "/dumps/paradiplomacy.nq", "/dumps/paradiplomacy.trig",
             "/dumps/paradiplomacy.ttl", "/dumps/paradiplomacy.nt", "/dumps/paradiplomacy.jsonld", "/dumps/context.jsonld",
             f"/graph/source/{DOC}.nt", f"/graph/source/{DOC}.fa.html", "/assets/site.css", "/vendor/leaflet/leaflet.js",
             "/map.geojson", "/vendor/vazirmatn/Vazirmatn-Variable.woff2", "/vendor/vazirmatn/OFL.txt", "/no/such/file.html")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def apache_binary() -> str:
    if Path(APACHE).is_file():
        return APACHE
    if os.environ.get("CI") == "true":
        pytest.fail(f"{APACHE} is missing: .ci/run installs Debian's apache2 (apt-get install -y apache2)")
    pytest.skip(f"{APACHE} is not installed (apt-get install -y apache2); in CI this fails instead")


def start_apache(root: Path, run: Path) -> tuple[subprocess.Popen, int]:
    """Apache in the foreground (-X, one process) serving ``root`` on 127.0.0.1 only; ``root``
    and ``run`` must be readable by the user Apache serves as (see ``served_copy``)."""
    binary = apache_binary()
    user = ("www-data" if _has_user("www-data") else "nobody") if os.geteuid() == 0 else None
    port = free_port()
    conf = run / "httpd.conf"
    conf.write_text(apache_server_config(str(root), "127.0.0.1", port, str(run), user=user), encoding="utf-8")
    proc = subprocess.Popen([binary, "-f", str(conf), "-X"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log = (run / "error.log").read_text() if (run / "error.log").exists() else ""
            pytest.fail(f"apache2 stopped at start: {proc.stdout.read().decode()} {log}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, port
        except OSError:
            time.sleep(0.1)
    proc.kill()
    pytest.fail("apache2 did not listen within 15 s")


def served_copy(source: Path | None = None) -> Path:
    """A folder of our own in the temporary directory, open to Apache's unprivileged user (pytest's
    own folders are 0700, and every pytest run on the machine resets them to 0700), holding
    ``source`` as hard links (no bytes copied) when given."""
    folder = Path(tempfile.mkdtemp(prefix="pdkg-apache-"))
    folder.chmod(0o755)
    if source is not None:
        try:
            shutil.copytree(source, folder / "site", copy_function=os.link)
        except OSError:  # another file system: copy
            shutil.rmtree(folder / "site", ignore_errors=True)
            shutil.copytree(source, folder / "site")
    return folder


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)


def _has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


@pytest.fixture(scope="module")
def apache(site):
    folder = served_copy(site)
    (folder / "run").mkdir()
    proc, port = start_apache(folder / "site", folder / "run")
    yield f"http://127.0.0.1:{port}"
    stop(proc)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def pdkg(site):
    server = make_server(site, "127.0.0.1", 0, timeout=5, workers=1)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}"
    server.shutdown()
    server.server_close()


def answer(base: str, path: str, accept: str | None = None, language: str | None = None, method: str = "GET") -> dict:
    """The parts of an answer both servers must agree on (Location without scheme and host,
    Vary as the set of its names: HTTP field names ignore case and order)."""
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    headers = {k: v for k, v in (("Accept", accept), ("Accept-Language", language)) if v is not None}
    try:
        conn.request(method, path, headers=headers)
        r = conn.getresponse()
        r.read()
    finally:
        conn.close()
    location = r.getheader("Location")
    vary = r.getheader("Vary")
    return dict(status=r.status, location=location.removeprefix(base) if location else None,
                vary=frozenset(v.strip().lower() for v in vary.split(",")) if vary else None,
                # a redirect's body is a note for people: only a document's type counts
                type=None if r.status == 303 else r.getheader("Content-Type"),
                language=r.getheader("Content-Language"), cors=r.getheader("Access-Control-Allow-Origin"))


@pytest.fixture(scope="module")
def probes(project):
    version = project_version(project)
    found = [(path, accept, lang) for path in negotiated(version) for accept in ACCEPTS for lang in LANGUAGES]
    found += [(path, accept, lang) for path in DOCUMENTS for accept in (None, "text/turtle", BROWSER) for lang in (None, "fa")]
    return found


@pytest.fixture(scope="module")
def answers(probes, pdkg, apache):
    """probe -> (pdkg serve's answer, Apache's answer)."""
    return {probe: (answer(pdkg, *probe), answer(apache, *probe)) for probe in probes}


def test_pdkg_serve_and_apache_give_the_same_answers(answers):
    differing = [(probe, ours, theirs) for probe, (ours, theirs) in answers.items() if ours != theirs]
    assert len(answers) > 2000
    assert differing[:5] == [] and len(differing) == 0


def test_the_answers_are_the_cool_uris_ones(answers, project):
    """Written from the contract, not from the code: checked on both servers."""
    version = project_version(project)
    expected = {
        ("/id/city/tehran", BROWSER, None): (303, "/id/city/tehran.html"),
        ("/id/city/tehran", BROWSER, "fa-IR,fa;q=0.9,en;q=0.5"): (303, "/id/city/tehran.fa.html"),  # a Persian browser
        ("/id/city/tehran", "text/html", "fa-IR"): (303, "/id/city/tehran.fa.html"),
        ("/id/city/tehran", "text/html", "de"): (303, "/id/city/tehran.html"),  # no page in German: English
        ("/id/city/tehran", "text/html", "en-US,en;q=0.9,fa;q=0.8"): (303, "/id/city/tehran.html"),
        ("/id/city/tehran", "text/turtle", "fa"): (303, "/id/city/tehran.ttl"),
        ("/id/city/tehran", "text/turtle;q=0.5, application/n-triples", None): (303, "/id/city/tehran.nt"),  # q-values
        ("/id/city/tehran", "application/ld+json;q=0.9, text/turtle;q=0.95", None): (303, "/id/city/tehran.ttl"),
        ("/id/city/tehran", "text/turtle;q=0, */*;q=0.5", None): (303, "/id/city/tehran.html"),
        ("/id/city/tehran", "text/turtle, */*", None): (303, "/id/city/tehran.ttl"),  # */* without q counts little
        ("/id/city/tehran", None, None): (303, "/id/city/tehran.html"),
        ("/id/city/tehran", "application/rdf+xml", None): (406, None),  # entities have no RDF/XML
        ("/id/city/tehran", "image/png", None): (406, None),
        ("/id/city/tehran/geometry", "application/n-triples", None): (303, "/id/city/tehran/geometry.nt"),
        ("/id/city/atlantis", "text/turtle", None): (404, None),
        ("/id/rel/tehran-los-angeles/no-such-part", "text/turtle", None): (404, None),
        ("/ontology", "application/rdf+xml", None): (303, "/ontology.rdf"),
        ("/ontology/", "text/turtle", None): (303, "/ontology.ttl"),
        ("/ontology", BROWSER, "fa"): (303, "/ontology.fa.html"),
        ("/ontology/actors", "text/turtle", None): (303, "/ontology/actors.ttl"),  # a module negotiates like the rest
        ("/ontology/actors", BROWSER, "fa"): (303, "/ontology/actors.fa.html"),
        (f"/ontology/{version}", "application/rdf+xml", None): (303, f"/ontology/{version}.rdf"),  # the version IRI
        ("/ontology/9.9.9", "text/turtle", None): (404, None),  # a version never published
        (f"/graph/source/{DOC}", "application/n-triples", None): (303, f"/graph/source/{DOC}.nt"),
        ("/graph/reference", BROWSER, "fa"): (303, "/graph/reference.fa.html"),
        ("/graph/source/999-no-such-document", "text/turtle", None): (404, None),
        ("/void", "text/turtle", None): (303, "/void.ttl"),  # the dataset …/void#paradiplomacy
        ("/void", BROWSER, "fa"): (303, "/index.fa.html"),  # its landing page
    }
    for probe, (status, location) in expected.items():
        for server, got in zip(("pdkg serve", "apache"), answers[probe], strict=True):
            assert (got["status"], got["location"]) == (status, location), (server, probe)
    for probe, pair in answers.items():
        for got in pair:
            assert got["cors"] == "*", probe  # every answer, documents, dumps and errors alike
            if got["status"] in (303, 406):
                assert got["vary"] == {"accept", "accept-language"}, probe
            if got["status"] == 303:
                assert got["location"].startswith("/"), probe


def test_documents_have_their_types_and_languages(answers):
    ours = {path: a[0] for (path, accept, lang), a in answers.items() if accept is None and lang is None}
    assert ours["/id/city/tehran.ttl"]["type"] == "text/turtle; charset=utf-8"
    assert ours["/id/city/tehran.jsonld"]["type"] == "application/ld+json"
    assert ours["/dumps/paradiplomacy.nq"]["type"] == "application/n-quads"
    assert ours["/dumps/context.jsonld"]["type"] == "application/ld+json"
    assert ours["/ontology.rdf"]["type"] == "application/rdf+xml"
    assert (ours["/id/city/tehran.fa.html"]["language"], ours["/id/city/tehran.html"]["language"]) == ("fa", "en")
    assert ours["/id/city/tehran.ttl"]["language"] is None  # both languages inside: no single one
    assert ours["/no/such/file.html"]["status"] == 404 and ours["/no/such/file.html"]["type"].startswith("text/plain")


# --- the persistent-IRI service's rules, on Apache too -------------------------------------------------

def test_the_w3id_rules_forward_to_the_site_which_negotiates(apache):
    folder = served_copy()
    (folder / "w3id").mkdir(mode=0o755)
    (folder / "run").mkdir()
    (folder / "w3id" / ".htaccess").write_text(w3id_htaccess(apache + "/"), encoding="utf-8")
    proc, port = start_apache(folder / "w3id", folder / "run")
    try:
        first = answer(f"http://127.0.0.1:{port}", "/id/city/tehran", "text/turtle")
        assert first["status"] == 307 and first["location"] == apache + "/id/city/tehran" and first["cors"] == "*"
        assert answer(apache, "/id/city/tehran", "text/turtle")["location"] == "/id/city/tehran.ttl"
        dump = answer(f"http://127.0.0.1:{port}", "/dumps/paradiplomacy.nq")
        assert dump["status"] == 307 and dump["location"] == apache + "/dumps/paradiplomacy.nq"
    finally:
        stop(proc)
        shutil.rmtree(folder, ignore_errors=True)


# --- publishing for deployment -------------------------------------------------------------------------

@pytest.mark.parametrize("value", [None, "https://paradiplomacy.invalid/", "https://kg.example.org/", "http://localhost:8000/",
                                   "ftp://kg.paradiplomacy.net/", "kg.paradiplomacy.net", "https://site.test/x"])
def test_a_placeholder_site_url_is_refused_for_deployment(value):
    with pytest.raises(DeployError) as err:
        deploy_site_url(value)
    assert (value or "--site-url") in str(err.value)


def test_a_real_site_url_is_kept_with_its_slash():
    assert deploy_site_url("https://kg.paradiplomacy.net/site") == "https://kg.paradiplomacy.net/site/"


def test_publish_deploy_with_the_placeholder_exits_2_naming_it(project, tmp_path, monkeypatch):
    for name in ("ontology", "data", "queries"):
        shutil.copytree(project.root / name, tmp_path / name)
    shutil.copy(project.root / "pyproject.toml", tmp_path / "pyproject.toml")
    monkeypatch.setenv("PDKG_ROOT", str(tmp_path))
    result = CliRunner().invoke(app, ["publish", "--deploy", "--site-url", "https://paradiplomacy.invalid/"])
    assert result.exit_code == 2 and "'https://paradiplomacy.invalid/'" in result.output
    assert not (tmp_path / "build" / "site").exists()  # refused before anything was written
    result = CliRunner().invoke(app, ["publish", "--deploy"])
    assert result.exit_code == 2 and "--site-url" in result.output
