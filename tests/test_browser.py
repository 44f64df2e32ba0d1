"""A real browser (Debian's headless Chromium, driven by Playwright) on the served site: the
Persian page of Tehran, the query UI running a stored query, the map. Screenshots are kept in
build/test-artefacts/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_serve import start

from paradiplomacy.queries import find, read_expected

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: `apt-get install chromium` (.ci/run does it)"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI installs it; never let the browser test vanish there
        pytest.skip(message)
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def base(site):
    server = start(site, timeout=10, limit=10000, workers=1)
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def artefacts(project) -> Path:
    out = project.build_dir / "test-artefacts"
    out.mkdir(parents=True, exist_ok=True)
    return out


@pytest.fixture()
def page(browser, base):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fa-IR")
    page = context.new_page()
    outside = []
    # every request must stay on this server: the site loads nothing from another host
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((base, "data:")) else None)
    yield page
    context.close()
    assert outside == []


def test_the_persian_page_of_tehran_reads_right_to_left(page, base, artefacts):
    response = page.goto(base + "/id/city/tehran", wait_until="load")  # 303 to the Persian page
    assert response.ok and page.url == base + "/id/city/tehran.fa.html"
    heading = page.locator("h1")
    assert heading.is_visible() and heading.inner_text().strip() == "تهران"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    quote = page.get_by_text("لس آنجلس (۱۹۷۲)", exact=True).first  # 004 Table 1, row Tehran
    quote.scroll_into_view_if_needed()
    assert quote.is_visible()
    page.screenshot(path=str(artefacts / "tehran-fa.png"))
    page.locator('a[href="../rel/tehran-los-angeles.fa.html"]').first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/id/rel/tehran-los-angeles.fa.html")
    assert "خواهرخواندگی تهران و لس آنجلس" in page.locator("h1").inner_text()


def test_the_query_ui_runs_a_stored_query_and_shows_its_rows(page, base, project, artefacts):
    page.goto(base + "/sparql", wait_until="load")
    page.wait_for_selector(".yasqe .CodeMirror")
    tabs = page.locator(".tabsList .tab")
    assert tabs.count() >= 11 and "001-partners-of-a-city" in tabs.first.inner_text()
    page.locator(".yasqe_queryButton").first.click()
    rows = page.locator(".yasr table.dataTable tbody tr")
    rows.first.wait_for(timeout=30000)
    expected = read_expected(find(project, "001"))  # Tehran's partners, 004 Table 1
    page.wait_for_function(f"document.querySelectorAll('.yasr table.dataTable tbody tr').length >= {min(len(expected.rows), 50)}")
    assert rows.count() == min(len(expected.rows), 50)
    assert page.get_by_text(f"{len(expected.rows)} results").first.is_visible()
    assert page.locator(".yasr").get_by_text("los-angeles").first.is_visible()
    page.screenshot(path=str(artefacts / "query-ui.png"), full_page=True)


def test_the_map_draws_the_links(page, base, artefacts):
    page.goto(base + "/map.html", wait_until="load")
    page.wait_for_selector("#map[data-features]")
    assert int(page.locator("#map").get_attribute("data-features")) > 100
    assert page.locator("#map path.leaflet-interactive").count() > 100  # points and lines
    page.screenshot(path=str(artefacts / "map.png"))
