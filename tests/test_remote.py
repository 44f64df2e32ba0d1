"""The stored queries give the same answers on a real SPARQL server (Oxigraph) as embedded."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from paradiplomacy.build import same_rows
from paradiplomacy.query.catalogue import catalogue, find, run_local
from paradiplomacy.query.remote import EndpointError, run_remote


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(found).exists():
        pytest.fail("the oxigraph server (PyPI package 'oxigraph') is not installed")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def oxigraph_server(location: Path, *options: str):
    """A real Oxigraph SPARQL server on a free loopback port, stopped afterwards; yields its base URL."""
    port = free_port()
    server = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", *options],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def endpoint(dataset, tmp_path_factory):
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph"), "--union-default-graph") as base:
        # load the built dataset over the Graph Store Protocol (N-Quads into the store)
        body = dataset.serialize(format="nquads").encode("utf-8")
        request = urllib.request.Request(base + "/store", data=body, method="POST",
                                         headers={"Content-Type": "application/n-quads"})
        urllib.request.urlopen(request, timeout=60)
        yield base + "/query"


@pytest.mark.slow
def test_every_stored_query_answers_the_same_on_oxigraph(project, graph, endpoint):
    differing = []
    for query in catalogue(project).values():
        local, remote = run_local(graph, query), run_remote(endpoint, query)
        if not same_rows(local, remote):
            differing.append(query.id)
    assert differing == []


def test_parameters_travel_as_a_values_block(project, endpoint):
    result = run_remote(endpoint, find(project, "001"), {"city": "city:ramsar"})
    assert sorted(r[0].rsplit("/", 1)[1] for r in result.rows) == ["al-wakrah", "puerto-montt"]  # Table 1, Ramsar


def test_an_unreachable_endpoint_is_a_clear_error(project):
    port = free_port()
    with pytest.raises(EndpointError, match=f"127.0.0.1:{port}"):
        run_remote(f"http://127.0.0.1:{port}/query", find(project, "001"), timeout=2)
