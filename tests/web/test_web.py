"""The web app through FastAPI's TestClient: pages, JSON twins, CSP, 404s, traversal, search.

Story listing, articles and search run on the real example folders (FolderSource: reading and
cleaning only, cheap); briefing pages use the hand-built briefing so that no test here waits for
the whole pipeline (the browser test runs it).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import lxml.html
import pytest

from fixtures.web.sample import EVIL, MALICIOUS, SCRIPT, sample_briefing
from recoupe.model import Briefing, StoryInfo
from recoupe.web.app import ArticlePage, FolderSource, NotFound, SearchHit, create_app, valid_id

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


class SampleSource(FolderSource):
    """The example folders, with the hand-built briefing instead of running the pipeline."""

    briefed: list[str] = []

    def briefing(self, story_id: str) -> Briefing:
        if story_id not in {s.id for s in self.stories()}:
            raise NotFound(story_id)
        self.briefed.append(story_id)
        return sample_briefing()


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    trap = tmp_path_factory.mktemp("stories") / "piege"
    trap.mkdir()
    (trap / "malicious.txt").write_text(MALICIOUS.read_text(encoding="utf-8"), encoding="utf-8")
    return SampleSource([EXAMPLES, trap.parent])


@pytest.fixture(scope="module")
def client(source):
    return TestClient(create_app(source))


def check_headers(r):
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp
    assert "script-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp and "base-uri 'none'" in csp and "form-action 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"


def test_folder_source_lists_example_stories(source):
    ids = {s.id for s in source.stories()}
    assert {"sommet-vladivostok", "incendie-usine", "piege"} <= ids
    sommet = next(s for s in source.stories() if s.id == "sommet-vladivostok")
    assert len(sommet.articles) == 5
    assert "RFI" in sommet.outlets
    assert sommet.first_date.startswith("2023-09") and sommet.last_date == "2023-09-14"


def test_index_lists_stories(client, source):
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    check_headers(r)
    doc = lxml.html.document_fromstring(r.text)
    hrefs = {a.get("href") for a in doc.xpath("//a[@href]")}
    for s in source.stories():
        assert f"/stories/{s.id}" in hrefs
    assert doc.xpath('//form[@method="get"]/input[@name="q"]')


def test_search_page_and_api(client):
    r = client.get("/", params={"q": "Vostotchny"})
    doc = lxml.html.document_fromstring(r.text)
    hrefs = {a.get("href") for a in doc.xpath("//a[@href]")}
    assert "/stories/sommet-vladivostok" in hrefs and "/stories/incendie-usine" not in hrefs
    assert any(h.startswith("/articles/sommet-vladivostok~") for h in hrefs)
    assert doc.xpath('//input[@name="q"]')[0].get("value") == "Vostotchny"
    # accents and case do not matter
    api = client.get("/api/search", params={"q": "VOSTOTCHNY cosmodrome"}).json()
    # (the planted malicious article also speaks of the cosmodrome)
    assert {h["story"] for h in api["articles"]} == {"sommet-vladivostok", "piege"}
    assert len(api["articles"]) >= 4
    assert sorted(s["id"] for s in api["stories"]) == ["piege", "sommet-vladivostok"]
    assert all("osmodrome" in h["snippet"] or "ostotchny" in h["snippet"] for h in api["articles"])
    assert client.get("/api/search", params={"q": "zzzqqqxxx"}).json()["articles"] == []
    assert client.get("/api/stories", params={"q": "zzzqqqxxx"}).json() == []


def test_search_query_is_escaped(client):
    r = client.get("/", params={"q": SCRIPT})
    assert r.status_code == 200
    assert "<script>" not in r.text
    doc = lxml.html.document_fromstring(r.text)
    assert not doc.xpath("//script")
    assert doc.xpath('//input[@name="q"]')[0].get("value") == SCRIPT


def test_story_page_is_the_briefing(client):
    r = client.get("/stories/sommet-vladivostok")
    assert r.status_code == 200
    check_headers(r)
    doc = lxml.html.document_fromstring(r.text)
    assert doc.get_element_by_id("contradictions") is not None
    assert not doc.xpath('//meta[@http-equiv="Content-Security-Policy"]')  # sent as a header instead
    assert not doc.xpath("//script | //img | //svg")
    ids = {el.get("id") for el in doc.xpath("//*[@id]")}
    for a in doc.xpath("//a[@href]"):
        href = a.get("href")
        if href.startswith("#"):
            assert href[1:] in ids
        else:
            assert href.startswith("/") and not href.startswith("//"), href
    # article headings link to the app's article pages
    assert doc.xpath('//a[@href="/articles/sommet-vladivostok~rfi"]')


def test_story_api_is_the_briefing_json(client):
    r = client.get("/api/stories/sommet-vladivostok")
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    check_headers(r)
    b = Briefing.model_validate(r.json())
    assert b == sample_briefing()
    stories = [StoryInfo.model_validate(s) for s in client.get("/api/stories").json()]
    assert {s.id for s in stories} >= {"sommet-vladivostok", "incendie-usine"}


def test_article_page_and_api(client):
    r = client.get("/articles/sommet-vladivostok~rfi")
    assert r.status_code == 200
    check_headers(r)
    doc = lxml.html.document_fromstring(r.text)
    text = doc.xpath('//div[@class="text"]')[0].text_content()
    original = (EXAMPLES / "sommet-vladivostok" / "rfi.txt").read_text(encoding="utf-8")
    assert text == original
    assert [d.text_content() for d in doc.xpath('//del[contains(@class, "removed")]')][0].strip() == "date 2023-09"
    assert doc.xpath('//a[@href="/stories/sommet-vladivostok"]')
    page = ArticlePage.model_validate(client.get("/api/articles/sommet-vladivostok~rfi").json())
    assert page.story == "sommet-vladivostok" and page.article.outlet == "RFI" and page.article.text == original


def test_malicious_article_is_text(client):
    r = client.get("/articles/piege~malicious")
    assert r.status_code == 200
    doc = lxml.html.document_fromstring(r.text)
    assert not doc.xpath("//script | //img | //svg | //textarea | //b[@onmouseover]")
    assert not [el for el in doc.iter() for name in el.attrib if name.lower().startswith("on")]
    assert not [a for a in doc.xpath("//a[@href]") if not a.get("href").startswith("/")]
    body = doc.body.text_content()
    assert SCRIPT in body and EVIL in body and "javascript:alert(1)" in body
    data = client.get("/api/articles/piege~malicious").json()
    assert data["article"]["url"] == "javascript:alert(1)"  # JSON keeps the data as it is


@pytest.mark.parametrize(
    "path",
    [
        "/articles/..%2F..%2Fetc%2Fpasswd",
        "/articles/..%2f..%2fetc%2fpasswd",
        "/api/articles/..%2F..%2Fetc%2Fpasswd",
        "/articles/%2Fetc%2Fpasswd",
        "/articles/%2E%2E",
        "/articles/...",
        "/articles/sommet-vladivostok~..",
        "/articles/%00",
        "/articles/a%5C..%5C..%5Cwindows",
        "/stories/..%2Fsommet-vladivostok",
        "/stories/" + "a" * 300,
        "/api/stories/..%2F..%2Fetc%2Fpasswd",
        "/stories/nope",
        "/api/stories/nope",
        "/articles/nope",
        "/api/articles/nope",
        "/no/such/page",
        "/docs",
    ],
)
def test_unknown_and_hostile_ids_are_clean_404s(client, source, path):
    source.briefed.clear()
    r = client.get(path)
    assert r.status_code == 404, path
    check_headers(r)
    assert "root:" not in r.text and "Traceback" not in r.text
    if path.startswith("/api/"):
        assert r.json() == {"detail": "not found"}
    else:
        assert r.headers["content-type"].startswith("text/html")
        assert "<h1>" in r.text
    assert source.briefed == []  # the source was never asked


def test_valid_id():
    assert valid_id("sommet-vladivostok~rfi") and valid_id("s0001") and valid_id("Le Monde (1)")
    for bad in ["..", "../x", "a/b", "a\\b", "a..b", "", "~x", "x\x00", "a" * 201]:
        assert not valid_id(bad), bad


def test_openapi_documents_the_json_twins(client):
    r = client.get("/openapi.json")
    assert r.status_code == 200
    check_headers(r)
    paths = r.json()["paths"]
    assert set(paths) == {"/api/stories", "/api/stories/{story_id}", "/api/articles/{article_id}", "/api/search"}
    ref = paths["/api/stories/{story_id}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert ref.endswith("/Briefing")
    assert "SearchResult" in r.json()["components"]["schemas"]


def test_host_check_against_dns_rebinding(source):
    c = TestClient(create_app(source, allowed_hosts=["127.0.0.1", "localhost"]), base_url="http://127.0.0.1")
    assert c.get("/").status_code == 200
    r = c.get("/", headers={"host": "evil.example"})
    assert r.status_code == 400
    check_headers(r)


def test_server_errors_are_clean_pages_with_headers(tmp_path):
    class Broken(SampleSource):
        def briefing(self, story_id):
            raise IndexError("a stage failed")  # a LookupError subclass: must not become a 404

    c = TestClient(create_app(Broken([EXAMPLES])), raise_server_exceptions=False)
    r = c.get("/stories/sommet-vladivostok")
    assert r.status_code == 500
    check_headers(r)
    assert "Traceback" not in r.text and "a stage failed" not in r.text
    assert c.get("/api/stories/sommet-vladivostok").status_code == 500


def test_search_hit_model():
    assert SearchHit(article="x").snippet == ""


def test_serve_command(monkeypatch, tmp_path):
    from typer.testing import CliRunner

    import recoupe.web.app as web
    from recoupe.cli import app as cli_app

    calls = []
    monkeypatch.setattr(web, "serve", lambda source, host, port: calls.append((source, host, port)))
    runner = CliRunner()
    r = runner.invoke(cli_app, ["serve", str(EXAMPLES), "--port", "8123"])
    assert r.exit_code == 0, r.output
    source, host, port = calls[0]
    assert host == "127.0.0.1" and port == 8123  # loopback unless asked otherwise
    assert {"sommet-vladivostok", "incendie-usine"} <= {s.id for s in source.stories()}
    r = runner.invoke(cli_app, ["serve", "--db", str(tmp_path / "missing.db")])
    assert r.exit_code == 2 and "no store" in r.output
    assert not (tmp_path / "missing.db").exists()  # serving never creates a store
    r = runner.invoke(cli_app, ["serve", str(tmp_path / "nope")])
    assert r.exit_code == 2
    assert len(calls) == 1


def test_store_source(tmp_path):
    """The app over a real store made by ``ingest``: story list, articles, search, 404s."""
    from recoupe.config import Config
    from recoupe.store import Store
    from recoupe.stories import ingest
    from recoupe.web.app import StoreSource

    config = Config()
    config.stories.db = str(tmp_path / "s.db")
    with Store(config.stories.db) as store:
        ingest([str(MALICIOUS), str(EXAMPLES / "sommet-vladivostok" / "rfi.txt")], store, config)
    c = TestClient(create_app(StoreSource(config)))
    stories = c.get("/api/stories").json()
    ids = [a for s in stories for a in s["articles"]]
    assert sorted(ids) == ["malicious", "rfi"]
    r = c.get("/articles/malicious")
    assert r.status_code == 200
    check_headers(r)
    doc = lxml.html.document_fromstring(r.text)
    assert not doc.xpath("//script | //img | //svg")
    assert SCRIPT in doc.xpath('//div[@class="text"]')[0].text_content()
    page = ArticlePage.model_validate(c.get("/api/articles/rfi").json())
    assert page.article.outlet == "RFI" and page.article.removed
    hits = c.get("/api/search", params={"q": "cosmodrome"}).json()["articles"]
    assert {h["article"] for h in hits} == {"malicious", "rfi"}
    assert c.get("/articles/nope").status_code == 404
    assert c.get("/stories/s9999").status_code == 404
    # (story pages run stories.brief_story, i.e. the whole pipeline: tested in tests/test_stories.py)
