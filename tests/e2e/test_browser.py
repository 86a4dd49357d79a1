"""End to end in headless Chromium: the real server over the example folders, the real pipeline.

Needs Debian's chromium at /usr/bin/chromium (Playwright's own browser download is not used).
Screenshots are kept under tests/artifacts/ (gitignored) for a human to look at.
"""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest

from fixtures.web.sample import EVIL, MALICIOUS, SCRIPT, sample_briefing

CHROMIUM = Path("/usr/bin/chromium")
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)"),
]

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """uvicorn in a thread on a free 127.0.0.1 port, over the examples and a trap story."""
    import uvicorn

    from recoupe.web.app import FolderSource, create_app

    trap = tmp_path_factory.mktemp("stories") / "piege"
    trap.mkdir()
    (trap / "malicious.txt").write_text(MALICIOUS.read_text(encoding="utf-8"), encoding="utf-8")
    port = free_port()
    app = create_app(FolderSource([EXAMPLES, trap.parent]), allowed_hosts=["127.0.0.1", "localhost"])
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.05)
    assert srv.started, "server did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A page that records dialogs, console CSP complaints and any request leaving 127.0.0.1/file."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.dialogs, page.csp_errors, page.outside = [], [], []

    def on_dialog(d):
        page.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", on_dialog)
    page.on("console", lambda m: "Content Security Policy" in m.text and page.csp_errors.append(m.text))
    page.on("request", lambda r: r.url.startswith(("http://127.0.0.1", "file:", "data:")) or page.outside.append(r.url))
    yield page
    context.close()


def shot(page, name: str, full_page: bool = True) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=full_page)
    assert path.stat().st_size > 1000
    return path


def test_story_briefing_contradiction_and_citation(server, page):
    page.set_default_timeout(300_000)  # the first view runs the whole pipeline
    page.goto(server + "/")
    listed = page.locator("a[href='/stories/sommet-vladivostok']").inner_text().strip()
    page.goto(f"{server}/stories/sommet-vladivostok")
    # nobody asked for this briefing yet: a page says it is being prepared, and reloads itself
    assert "en préparation" in page.inner_text("main")
    assert page.locator("h1").inner_text().strip() == listed
    shot(page, "story-pending.png", full_page=False)
    page.wait_for_selector("section#contradictions")  # after one of its reloads
    assert page.locator("h1").inner_text().strip() == listed  # called as in the list
    section = page.locator("section#contradictions")
    assert section.is_visible()
    shot(page, "story-desktop-top.png", full_page=False)
    conflicts = page.locator("section#contradictions .conflict")
    assert conflicts.count() >= 1
    text = section.inner_text()
    assert "environ deux heures" in text
    assert "plus de quatre heures" in text or "près de six heures" in text
    # the contradiction section comes before the summary
    top = page.evaluate("[...document.querySelectorAll('section')].map(s => s.id)")
    assert top.index("contradictions") < top.index("summary")

    # click a citation of the "près de six heures"/"plus de quatre heures" value: land on the source
    link = section.locator("a[href^='#s-']", has_text="heures").last
    href = link.get_attribute("href")
    quoted = link.inner_text()
    link.click()
    page.wait_for_function("h => location.hash === h", arg=href)
    target = page.locator(":target")
    assert target.count() == 1
    assert target.get_attribute("id") == href[1:]
    assert page.evaluate("() => document.querySelector(':target').tagName") == "MARK"
    assert quoted.startswith(target.inner_text().rstrip("↩").strip()[:20])
    assert target.is_visible()
    box = target.bounding_box()
    assert box is not None and 0 <= box["y"] < 900, box  # scrolled into view
    outline = page.evaluate("() => getComputedStyle(document.querySelector(':target')).outlineStyle")
    assert outline == "solid"  # the :target highlight (CSS, no script)
    shot(page, "story-desktop-citation.png", full_page=False)

    # the back-link returns to where the span is used
    back = page.locator(":target + a.back, :target > a.back").first
    back_href = back.get_attribute("href")
    back.click()
    page.wait_for_function("h => location.hash === h", arg=back_href)

    assert page.dialogs == [] and page.csp_errors == [] and page.outside == []


def test_story_page_on_a_phone(server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(300_000)
    page.goto(f"{server}/stories/sommet-vladivostok")
    page.wait_for_selector("section#contradictions")
    # nothing wider than the screen: wide tables scroll inside their own box
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 392, width
    shot(page, "story-phone-top.png", full_page=False)
    page.locator("#coverage").scroll_into_view_if_needed()
    shot(page, "story-phone-coverage.png", full_page=False)
    context.close()


def test_story_list_and_search(server, page):
    page.goto(server + "/")
    assert page.locator("a[href='/stories/sommet-vladivostok']").is_visible()
    page.fill("input[name=q]", "Vostotchny")
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/?q=Vostotchny")
    assert page.locator("a[href='/stories/incendie-usine']").count() == 0
    assert page.locator("a[href^='/articles/sommet-vladivostok~']").count() >= 4
    # the words found are highlighted, not wrapped in brackets
    marks = page.locator(".snippet mark")
    assert marks.count() >= 4 and marks.first.is_visible()
    assert {m.lower() for m in marks.all_inner_texts()} == {"vostotchny"}
    assert page.evaluate("() => getComputedStyle(document.querySelector('.snippet mark')).backgroundColor") == "rgb(255, 243, 176)"
    assert "[" not in " ".join(page.locator(".snippet").all_inner_texts())
    shot(page, "stories-search.png")
    # accents and prefixes
    page.goto(server + "/?q=" + "cosmo*")
    assert page.locator(".snippet mark").count() >= 4
    page.goto(server + "/?q=" + "prefecture")
    assert any("préfecture" in m.lower() for m in page.locator(".snippet mark").all_inner_texts())
    assert page.csp_errors == []


def test_malicious_article_is_shown_as_text(server, page):
    page.goto(f"{server}/articles/piege~malicious")
    text = page.locator("div.text")
    assert text.get_by_text(SCRIPT, exact=False).first.is_visible()
    body = page.inner_text("body")
    assert SCRIPT in body and EVIL in body and "javascript:alert(1)" in body
    assert page.locator("div.text img, div.text script, div.text svg, div.text b").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    text.hover()
    shot(page, "article-malicious.png")
    assert page.dialogs == [] and page.outside == []


def test_standalone_file_works_offline_with_its_own_csp(page, tmp_path):
    """The hand-built briefing (every section filled, malicious strings everywhere) as a file."""
    from recoupe.render.html import render_html

    path = tmp_path / "briefing.html"
    path.write_text(render_html(sample_briefing()), encoding="utf-8")
    page.goto(path.as_uri())
    # the inline stylesheet is allowed by its hash: the contradictions box has its red border
    color = page.evaluate("() => getComputedStyle(document.querySelector('section#contradictions')).borderTopColor")
    assert color == "rgb(179, 38, 30)"
    assert page.dialogs == [] and page.csp_errors == [] and page.outside == []
    assert SCRIPT in page.inner_text("section#contradictions")
    page.locator("#sum-0 a.cite").first.click()
    assert page.evaluate("() => document.querySelector(':target').tagName") == "MARK"
    for q in page.locator("section#quotes .variant").all():
        assert q.is_visible()
    shot(page, "standalone-sample.png")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(path.as_uri() + "#top")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 392
    shot(page, "standalone-sample-phone.png", full_page=False)
    page.emulate_media(media="print")
    assert page.locator("nav.toc").is_hidden()
    assert page.dialogs == []


def test_no_contradiction_box_without_contradictions(page, tmp_path):
    from recoupe.render.html import render_html

    b = sample_briefing().model_copy(update={"conflicts": []})
    path = tmp_path / "calm.html"
    path.write_text(render_html(b), encoding="utf-8")
    page.goto(path.as_uri())
    section = page.locator("section#contradictions")
    assert "Aucune contradiction" in section.inner_text()
    style = page.evaluate("() => { const s = getComputedStyle(document.querySelector('section#contradictions'));"
                          " return [s.borderTopStyle, s.backgroundColor]; }")
    assert style == ["none", "rgba(0, 0, 0, 0)"]  # no red box around "none found"
    shot(page, "standalone-no-conflict.png", full_page=False)


def test_long_outlet_names_stay_inside_the_contradiction_cards(page, tmp_path):
    from recoupe.render.html import render_html

    b = sample_briefing()
    long_name = "Radio-Télévision-Régionale-Du-Grand-Est-Et-Des-Territoires-Frontaliers-Édition-Du-Soir"
    b.articles = [a.model_copy(update={"outlet": long_name + f" {k}"}) for k, a in enumerate(b.articles)]
    for c in b.conflicts:
        for g in c.groups:
            g.outlets = [long_name + f" {k}" for k in range(len(g.outlets))]
    path = tmp_path / "long.html"
    path.write_text(render_html(b), encoding="utf-8")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(path.as_uri())
        overflow = page.evaluate("""() => [...document.querySelectorAll('#contradictions .group')].map(g => {
            const box = g.getBoundingClientRect();
            const out = [...g.querySelectorAll('.outlet')].filter(o => o.getBoundingClientRect().right > box.right + 1);
            return out.length + (g.scrollWidth > g.clientWidth + 1 ? 1 : 0); })""")
        assert overflow and not any(overflow), (width, overflow)
    shot(page, "contradiction-long-outlets-phone.png", full_page=False)

