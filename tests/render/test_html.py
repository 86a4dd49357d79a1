"""The HTML briefing: sections, citations that land on their source, escaping, no external resource."""

from __future__ import annotations

import base64
import hashlib
import re

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from fixtures.web.sample import EVIL, MALICIOUS, SCRIPT, sample_briefing
from recoupe.cli import app as cli_app
from recoupe.render.html import Interval, highlight, render_html, safe_url

SECTIONS = ["contradictions", "summary", "coverage", "quotes", "measurements", "timeline", "provenance", "reuse", "entities", "articles"]


@pytest.fixture(scope="module")
def briefing():
    return sample_briefing()


@pytest.fixture(scope="module")
def page(briefing):
    return render_html(briefing)


@pytest.fixture(scope="module")
def doc(page):
    return lxml.html.document_fromstring(page)


def visible_text(el) -> str:
    """Text of an element as a reader sees it, without the back-link glyphs."""
    el = lxml.html.fragment_fromstring(lxml.html.tostring(el, encoding="unicode", with_tail=False))
    for a in el.xpath('.//a[@class="back"]'):
        a.drop_tree()
    return el.text_content()


def norm(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")  # what an HTML parser makes of line ends


def test_sections_present_and_contradictions_first(doc, briefing):
    ids = [el.get("id") for el in doc.xpath("//section")]
    for s in SECTIONS:
        assert s in ids
    assert ids.index("contradictions") < ids.index("summary") < ids.index("coverage")
    assert doc.xpath("//h1")[0].text_content() == briefing.title
    header = doc.get_element_by_id("top").text_content()
    assert "2023-09-13" in header and "2023-09-14" in header
    for outlet, n in briefing.outlets.items():
        assert f"{outlet} · {n}" in header
    assert len(doc.xpath('//article[@class="article"]')) == len(briefing.articles)
    assert doc.xpath('//meta[@name="viewport"]')
    assert "@media print" in doc.xpath("//style")[0].text


def test_contradiction_values_quote_their_spans(doc, briefing):
    section = doc.get_element_by_id("contradictions")
    conflict = section.xpath('.//div[@class="conflict"]')[0]
    text = conflict.text_content()
    for g in briefing.conflicts[0].groups:
        assert g.value in text
        for s in g.spans:
            link = conflict.xpath(f'.//a[@href="#s-{s.article}-{s.start}-{s.end}"]')
            assert link and link[0].text_content() == s.text


def test_contradiction_values_are_read_in_their_sentence(doc, briefing):
    from recoupe.render.common import context

    conflict = doc.get_element_by_id("contradictions").xpath('.//div[@class="conflict"]')[0]
    shown = [" ".join(el.text_content().split()) for el in conflict.xpath('.//span[@class="context"]')]
    texts = {a.id: a.text for a in briefing.articles}
    for g in briefing.conflicts[0].groups:
        for s in g.spans:
            sentence = " ".join(context(texts, s, 200).split())
            assert any(sentence in x for x in shown), (sentence, shown)
    marked = [m.text_content() for m in conflict.xpath('.//span[@class="context"]//mark')]
    assert marked == [s.text for g in briefing.conflicts[0].groups for s in g.spans]


def test_every_citation_lands_on_a_mark_with_the_source_text(doc, briefing):
    ids = [el.get("id") for el in doc.xpath("//*[@id]")]
    assert len(ids) == len(set(ids)), "ids must be unique"
    hrefs = [a.get("href") for a in doc.xpath("//a[@href]") if a.get("href").startswith("#")]
    assert len(hrefs) > 30
    for h in hrefs:
        assert h[1:] in ids, h
    texts = {a.id: a.text for a in briefing.articles}
    for mark in doc.xpath("//mark[@id]"):
        m = re.fullmatch(r"s-(.+)-(\d+)-(\d+)", mark.get("id"))
        source = texts[m.group(1)][int(m.group(2)) : int(m.group(3))]
        shown = visible_text(mark)
        if "cont" in mark.get("class"):
            continue
        # a span crossing the end of the span it starts in is cut there: its first piece is a prefix
        assert norm(source).startswith(shown) and shown, (mark.get("id"), shown, source)
    # summary citations point at the summary spans
    for i, s in enumerate(briefing.summary):
        p = doc.get_element_by_id(f"sum-{i}")
        targets = {a.get("href") for a in p.xpath(".//a[@href]")}
        assert {f"#s-{sp.article}-{sp.start}-{sp.end}" for sp in s.spans} <= targets


def test_article_texts_are_whole_with_removals_struck(doc, briefing):
    for a in briefing.articles:
        el = doc.get_element_by_id(f"a-{a.id}").xpath('.//div[@class="text"]')[0]
        assert visible_text(el) == norm(a.text), a.id  # nothing disappears, nothing is added
        struck = [visible_text(d) for d in el.xpath('.//del[contains(@class, "removed")]')]
        for r in a.removed:
            assert norm(r.span.text) in struck
    # every used span is linked back to where it is used
    ids = {e.get("id") for e in doc.xpath("//*[@id]")}
    marks = doc.xpath('//div[@class="text"]//mark[@id]')
    assert marks
    for mark in marks:
        back = mark.getnext()
        assert back is not None and back.get("class") == "back", mark.get("id")
        assert back.get("href")[1:] in ids


def test_overlapping_spans_nest_and_cross(doc):
    # "Les discussions officielles ont duré environ deux heures" contains "environ deux heures",
    # and "environ deux heures, d'abord en format élargi" crosses its end
    outer = [m for m in doc.xpath("//mark[@id]") if m.get("id").startswith("s-depeche-est-") and visible_text(m).startswith("Les discussions officielles ont duré environ")]
    assert outer
    inner = outer[0].xpath(".//mark[@id]")
    assert {visible_text(m) for m in inner} >= {"environ deux heures"}
    assert doc.xpath('//mark[contains(@class, "cont")]'), "the crossing span continues after the cut"


def test_coverage_matrix(doc, briefing):
    table = doc.xpath('//table[@class="matrix"]')[0]
    columns = [th.text_content() for th in table.xpath(".//thead/tr/th")][1:]
    assert sorted(columns) == sorted(briefing.outlets)
    rows = table.xpath(".//tbody/tr")
    assert len(rows) == len(briefing.facts)
    for row, fact in zip(rows, briefing.facts):
        cells = row.xpath('./td[contains(@class, "cell")]')
        ticked = [columns[i] for i, c in enumerate(cells) if "✓" in c.text_content()]
        assert sorted(ticked) == sorted(fact.outlets)
        assert row.get("class") == fact.status
    exclusive = [r for r, f in zip(rows, briefing.facts) if f.status == "exclusive"][0]
    assert exclusive.text_content().count("✓") == 1


def test_quotes_grouped_by_speaker_with_variants_side_by_side(doc):
    section = doc.get_element_by_id("quotes")
    blocks = {b.xpath("./h3")[0].text_content(): b for b in section.xpath('.//div[@class="quotes-speaker"]')}
    assert "Vladimir Poutine" in blocks and "Locuteur non identifié" in blocks and SCRIPT in blocks
    poutine = blocks["Vladimir Poutine"]
    variants = poutine.xpath('.//div[@class="variant"]')
    assert len(variants) == 2
    assert {v.xpath('.//*[contains(@class, "cite")]')[0].text_content() for v in variants} == {"RFI", "Radio-Canada"}
    assert "Nous avons beaucoup de sujets à discuter" in poutine.text_content()


def test_malicious_text_is_escaped_everywhere(page, doc, briefing):
    assert not doc.xpath("//script | //img | //svg | //iframe | //object | //embed | //textarea | //link | //base")
    for el in doc.iter():
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), (el.tag, name)
            assert "javascript:" not in value.lower() or name == "title", (el.tag, name, value)
    body = doc.body.text_content()
    assert SCRIPT in body
    assert EVIL in body
    assert "javascript:alert(1)" in body  # the article URL is shown as text...
    assert not [a for a in doc.xpath("//a[@href]") if a.get("href").lower().startswith("javascript")]  # ...not as a link
    assert "<script>alert" not in page and "<img src=x" not in page
    # the malicious outlet name is a column header and a citation label, as text
    assert EVIL in [th.text_content() for th in doc.xpath('//table[@class="matrix"]//th')]


def test_no_external_resource_and_csp(doc, briefing):
    urls = {safe_url(a.url) for a in briefing.articles} - {None}
    for el in doc.xpath("//*[@src]"):
        assert el.get("src").startswith("data:")
    for a in doc.xpath("//a[@href]"):
        href = a.get("href")
        assert href.startswith("#") or href in urls, href
    assert not doc.xpath("//link | //script | //img | //iframe")
    csp = doc.xpath('//meta[@http-equiv="Content-Security-Policy"]')[0].get("content")
    assert "default-src 'none'" in csp and "base-uri 'none'" in csp and "script-src" not in csp.replace("default-src", "")
    css = doc.xpath("//style")[0].text
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in csp
    assert not re.search(r"url\(|@import|@font-face", css)


def test_http_article_url_is_a_link(briefing):
    b = briefing.model_copy(deep=True)
    b.articles[0].url = "https://example.org/a?x=1&y=2"
    b.articles[1].url = "data:text/html,<script>alert(1)</script>"
    doc = lxml.html.document_fromstring(render_html(b))
    assert doc.xpath('//a[@href="https://example.org/a?x=1&y=2"]')
    assert not doc.xpath('//a[starts-with(@href, "data:")]')
    assert "data:text/html,<script>alert(1)</script>" in doc.body.text_content()


def test_english_labels():
    doc = lxml.html.document_fromstring(render_html(sample_briefing(language="en")))
    headings = [h.text_content() for h in doc.xpath("//section/h2")]
    assert "Summary" in headings and "Quotes" in headings and "Contradictions" in headings and "Timeline" in headings
    assert "Résumé" not in headings and "Citations" not in headings
    assert doc.get("lang") == "en"
    assert "Unidentified speaker" in doc.get_element_by_id("quotes").text_content()


def test_empty_briefing_renders():
    from recoupe.model import Briefing

    doc = lxml.html.document_fromstring(render_html(Briefing()))
    assert doc.get_element_by_id("contradictions") is not None
    assert "Aucune contradiction" in doc.get_element_by_id("contradictions").text_content()
    assert doc.get_element_by_id("contradictions").get("class") == "none"  # no warning box around "none found"


def test_invalid_spans_are_not_linked(briefing):
    b = briefing.model_copy(deep=True)
    bad = b.summary[0].spans[0].model_copy(update={"start": 10**6, "end": 10**6 + 5})
    b.summary[0].spans = [bad]
    doc = lxml.html.document_fromstring(render_html(b))
    assert not doc.get_element_by_id("sum-0").xpath(".//a[@href]")


def test_safe_url():
    assert safe_url("http://a.fr/x") == "http://a.fr/x"
    assert safe_url("HTTPS://a.fr") == "HTTPS://a.fr"
    for bad in ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:x", "data:text/html,x", "//evil.org", "http:/x", "http://a b", "vbscript:x", None, ""]:
        assert safe_url(bad) is None, bad


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(alphabet="ab<>&\"' \n\r", min_size=0, max_size=40),
    raw=st.lists(st.tuples(st.integers(-5, 45), st.integers(-5, 45), st.sampled_from(["use", "removed", "subhead"])), max_size=8),
)
def test_highlight_keeps_the_text_and_nests(text, raw):
    ivs = [Interval(s, e, k, id=f"x{i}" if k == "use" else None, back="#u" if k == "use" else None) for i, (s, e, k) in enumerate(raw)]
    out = str(highlight(text, ivs))
    wrapped = lxml.html.fragment_fromstring(f"<div>{out}</div>") if out else None
    if wrapped is not None:
        assert visible_text(wrapped) == norm(text)
    # well nested: every opening tag closed in order
    stack = []
    for m in re.finditer(r"<(/?)(mark|del|span|a)\b", out):
        if m.group(1):
            assert stack.pop() == m.group(2)
        else:
            stack.append(m.group(2))
    assert not stack
    ids = re.findall(r'id="([^"]+)"', out)
    assert len(ids) == len(set(ids))


@pytest.fixture(scope="module")
def real_page(tmp_path_factory):
    """The real pipeline on the malicious article, through the command line (--format html -o)."""
    out = tmp_path_factory.mktemp("html") / "briefing.html"
    result = CliRunner().invoke(cli_app, ["brief", str(MALICIOUS), "--format", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def test_real_pipeline_page_escapes_the_article(real_page):
    doc = lxml.html.document_fromstring(real_page)
    for s in SECTIONS:
        assert doc.get_element_by_id(s) is not None
    ids = {el.get("id") for el in doc.xpath("//*[@id]")}
    for a in doc.xpath("//a[@href]"):
        assert a.get("href").startswith("#") and a.get("href")[1:] in ids, a.get("href")
    assert not doc.xpath("//script | //img | //svg | //b[@onmouseover] | //textarea")
    text = doc.xpath('//div[@class="text"]')
    assert len(text) == 1
    assert visible_text(text[0]) == norm(MALICIOUS.read_text(encoding="utf-8"))
    assert SCRIPT in doc.body.text_content() and EVIL in doc.body.text_content()
    assert not [el for el in doc.iter() for name in el.attrib if name.lower().startswith("on")]


def test_a_learned_grouping_of_quotes_shows_its_probability():
    b = sample_briefing()
    b.shared_quotes[0].confidence = 0.62
    note = lxml.html.fromstring(render_html(b)).get_element_by_id("sq-0").find_class("note")[0]
    assert note.text_content() == "Même citation, plusieurs versions (probabilité d'une même citation 0.62)"
