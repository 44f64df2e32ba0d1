"""A real browser (Debian's headless Chromium, driven by Playwright) on the served site: the
Persian page of Tehran, the query UI running a stored query, the map with its outline, labels and
filter, and every kind of page at desktop (1280 px) and phone (375 px) widths in both languages,
checked for horizontal overflow and for runs of mixed script left without isolation. Screenshots
are kept in build/test-artefacts/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from paradiplomacy.namespaces import INSTANCE
from paradiplomacy.query.catalogue import find, read_expected
from test_serve import start

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": 1280, "phone": 375}
# the pages of each kind, by their English path (the Persian one is .fa.html beside it)
PAGES = ("index.html", "id/city/tehran.html", "id/rel/tehran-los-angeles.html", "id/ev/004-t1-tehran-los-angeles.html",
         "id/doc/004-dehshiri-khorrami-1397.html", "answers.html", "ontology.html", "map.html", "charts.html", "sparql.html",
         "graph/source/001-uclg-mewa-summit-turkey.html", "ontology/actors.html")  # a named graph, an ontology module
# Every text node that holds both Arabic-script and Latin letters must sit in an element that
# isolates it (an element with dir, a <bdi>, or SVG text with a direction) below <body>:
# otherwise the bidi algorithm orders its neutral characters by the page's direction.
UNISOLATED = """() => {
  const mixed = /[\u0600-\u06ff].*[A-Za-z]|[A-Za-z].*[\u0600-\u06ff]/s;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const found = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!mixed.test(node.data) || parent.closest("script, style, title")) continue;
    const iso = parent.closest("[dir], bdi, [direction]");
    if (!iso || iso === document.documentElement) found.push(node.data.trim().slice(0, 80));
  }
  return found;
}"""
OVERFLOW = "() => [document.documentElement.scrollWidth, window.innerWidth]"

CITY = INSTANCE["city"]
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
def page(browser, base, request):
    width = getattr(request, "param", WIDTHS["desktop"])
    context = browser.new_context(viewport={"width": width, "height": 900 if width > 500 else 740}, locale="fa-IR",
                                  device_scale_factor=1, is_mobile=width < 500, has_touch=width < 500)
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


# 004 Table 1, Tehran's row (query 001's default): «لس آنجلس (۱۹۷۲)», «سئول (۱۹۶۳)»
LOS_ANGELES = {"en": "Los Angeles", "fa": "لس آنجلس"}
SEOUL = {"en": "Seoul", "fa": "سئول"}


@pytest.mark.parametrize("page", list(WIDTHS.values()), indirect=True, ids=list(WIDTHS))
@pytest.mark.parametrize("lang", ["en", "fa"])
def test_the_query_page_answers_with_labels_in_the_language_chosen(page, base, project, artefacts, lang):
    other = "fa" if lang == "en" else "en"
    # start on the page of the other language, run 001, then switch: the answer is redrawn
    page.goto(base + ("/sparql.html" if other == "en" else "/sparql.fa.html"), wait_until="load")
    page.wait_for_selector(".yasqe .CodeMirror")
    tabs = page.locator(".tabsList .tab")
    assert tabs.count() == len(list((project.root / "queries" / "cq").glob("*.rq")))
    assert "001-partners-of-a-city" in tabs.first.inner_text()
    page.locator(".yasqe_queryButton").first.click()
    results = page.locator(".yasr_results")
    la = results.locator(f'a[data-iri="{CITY["los-angeles"]}"]')
    la.wait_for(timeout=30000)
    assert la.inner_text() == LOS_ANGELES[other]
    page.locator(f'.langswitch button[value="{lang}"]').click()
    page.wait_for_function(f"document.querySelector('.yasr_results').dataset.lang === '{lang}'")
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == [lang, "rtl" if lang == "fa" else "ltr"]
    expected = read_expected(find(project, "001"))  # Tehran's 24 partners in Table 1
    rows = results.locator("table.dataTable tbody tr")
    assert rows.count() == len(expected.rows)
    row = rows.filter(has=page.locator(f'a[data-iri="{CITY["los-angeles"]}"]'))
    assert la.inner_text() == LOS_ANGELES[lang] and la.get_attribute("lang") == lang
    assert la.get_attribute("title") == str(CITY["los-angeles"])  # the IRI stays in reach
    assert la.get_attribute("href") == "id/city/los-angeles" + (".fa.html" if lang == "fa" else ".html")
    assert row.get_by_text("1972", exact=True).is_visible()
    seoul = rows.filter(has=page.locator(f'a[data-iri="{CITY["seoul"]}"]'))
    assert seoul.get_by_text(SEOUL[lang], exact=True).is_visible() and seoul.get_by_text("1963", exact=True).is_visible()
    shown = results.inner_text()
    # no typed-literal syntax, no raw IRI: a year is 1972, a city its name
    for raw in ("^^", "xsd:", '"1972"', "https://", "<http"):
        assert raw not in shown, raw
    scroll_width, inner = page.evaluate(OVERFLOW)
    width = page.viewport_size["width"]
    assert scroll_width <= width and inner == width, f"sparql ({lang}, {width} px) is {scroll_width} px wide"
    assert page.evaluate(UNISOLATED) == []
    page.screenshot(path=str(artefacts / f"query-ui-{lang}-{width}.png"), full_page=True)


def test_the_query_page_keeps_the_iris_one_view_away(page, base):
    page.goto(base + "/sparql.html", wait_until="load")
    page.wait_for_selector(".yasqe .CodeMirror")
    page.locator(".yasqe_queryButton").first.click()
    page.locator(f'.yasr_results a[data-iri="{CITY["los-angeles"]}"]').wait_for(timeout=30000)
    page.locator(".yasr .select_table").click()  # YASR's own table: the IRIs as links
    iri = page.locator(f'.yasr_results a.iri[href="{CITY["los-angeles"]}"]')
    iri.wait_for(timeout=10000)
    assert "los-angeles" in iri.inner_text()


def persian(path: str) -> str:
    return path[: -len(".html")] + ".fa.html"


@pytest.mark.parametrize("page", list(WIDTHS.values()), indirect=True, ids=list(WIDTHS))
@pytest.mark.parametrize("lang", ["en", "fa"])
def test_every_kind_of_page_fits_the_screen_and_isolates_mixed_text(page, base, artefacts, lang):
    width = page.viewport_size["width"]
    for path in PAGES:
        page.goto(f"{base}/{path if lang == 'en' else persian(path)}", wait_until="load")
        page.evaluate("document.fonts.ready.then(() => true)")
        name = f"{path.replace('/', '-')[: -len('.html')]}-{lang}-{width}.png"
        page.screenshot(path=str(artefacts / name), full_page=path != "answers.html")
        assert page.evaluate("document.documentElement.lang") == lang
        # a phone widens its layout viewport (innerWidth) to what overflows: compare with the screen
        scroll_width, inner = page.evaluate(OVERFLOW)
        assert scroll_width <= width and inner == width, f"{path} ({lang}, {width} px) is {scroll_width} px wide"
        box = page.locator("h1").bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, f"{path}: heading off screen: {box}"
        assert page.evaluate(UNISOLATED) == [], path


def test_the_persian_pages_are_set_in_the_vendored_vazirmatn(page, base):
    page.goto(base + "/id/city/isfahan.fa.html", wait_until="load")
    assert page.evaluate("document.fonts.ready.then(() => document.fonts.check('16px Vazirmatn', 'اصفهان'))")
    loaded = page.evaluate("[...document.fonts].filter(f => f.family.replace(/\"/g, '') === 'Vazirmatn' && f.status === 'loaded').length")
    assert loaded >= 1
    assert page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily").startswith('"Vazirmatn"') or \
        page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily").startswith("Vazirmatn")


def test_the_answers_page_has_contents_and_words_whole(page, base, project, artefacts):
    page.goto(base + "/answers.fa.html", wait_until="load")
    stored = sorted((project.root / "queries" / "cq").glob("*.rq"))
    links = page.locator("nav.toc a")
    assert links.count() == len(stored)
    links.nth(0).click()  # 001, the partners of Tehran (004 Table 1)
    assert page.url.endswith("#q001")
    section = page.locator("#q001")
    assert section.locator("h2").is_visible()
    row = section.locator("tr", has=page.locator('a[href="id/city/los-angeles.fa.html"]'))
    assert row.get_by_text("لس آنجلس", exact=True).is_visible() and row.get_by_text("1972", exact=True).is_visible()
    # no cell breaks a word to fit: every word of a label stays on its line
    broken = page.evaluate("""() => [...document.querySelectorAll('.answers td a')].filter(a => {
        const style = getComputedStyle(a.parentElement);
        return style.wordBreak === 'break-all' || style.overflowWrap === 'anywhere';
      }).length""")
    assert broken == 0
    page.screenshot(path=str(artefacts / "answers-001-fa.png"))


def test_the_map_draws_the_links(page, base, artefacts):
    page.goto(base + "/map.html", wait_until="load")
    page.wait_for_selector("#map[data-features]")
    assert int(page.locator("#map").get_attribute("data-features")) > 100
    assert page.locator("#map path.leaflet-interactive").count() > 100  # points and lines
    page.screenshot(path=str(artefacts / "map.png"))


@pytest.mark.parametrize("lang,isfahan", [("en", "Isfahan"), ("fa", "اصفهان")])
def test_the_map_draws_the_world_and_names_the_cities(page, base, artefacts, lang, isfahan):
    page.goto(base + ("/map.html" if lang == "en" else "/map.fa.html"), wait_until="load")
    page.wait_for_selector("#map[data-features]")
    assert page.locator("#map path.country").count() > 150  # Natural Earth's 177 countries at 1:110m
    label = page.locator(".leaflet-tooltip.city-label.iranian", has_text=isfahan)
    assert label.count() == 1 and label.is_visible()
    assert page.locator(".leaflet-tooltip.city-label:not(.iranian)", has_text="Florence" if lang == "en" else "فلورانس").count() == 1
    page.screenshot(path=str(artefacts / f"map-{lang}.png"))


def test_the_map_filter_hides_lines_by_kind_and_year(page, base, artefacts):
    page.goto(base + "/map.html", wait_until="load")
    page.wait_for_selector("#map[data-shown]")
    # 004 Table 1: Isfahan-Florence is a sister-city agreement of 1998, Tehran-Los Angeles of 1972
    florence, los_angeles = page.locator("path.rel-isfahan-florence"), page.locator("path.rel-tehran-los-angeles")
    assert florence.count() == 1 and los_angeles.count() == 1
    every = int(page.locator("#map").get_attribute("data-shown"))
    mous = page.locator("path.link.mou").count()
    assert mous > 0
    page.get_by_label("cooperation memorandum of understanding").uncheck()
    assert page.locator("path.link.mou").count() == 0 and florence.count() == 1
    assert int(page.locator("#map").get_attribute("data-shown")) == every - mous
    page.get_by_label("cooperation memorandum of understanding").check()
    page.locator('input[name="to"]').fill("1980")
    page.locator('input[name="to"]').dispatch_event("change")
    assert florence.count() == 0 and los_angeles.count() == 1
    page.get_by_label("links without a year").uncheck()
    shown = int(page.locator("#map").get_attribute("data-shown"))
    assert shown == page.locator("path.link").count() and shown < every
    page.get_by_label("sister-city agreement", exact=True).uncheck()
    assert los_angeles.count() == 0
    page.screenshot(path=str(artefacts / "map-filtered.png"))
