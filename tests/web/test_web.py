"""The web app through FastAPI's TestClient: pages, JSON twins, CSP, 404s, traversal, search.

Story listing, articles and search run on the real example folders (FolderSource: reading and
cleaning only, cheap); briefing pages use the hand-built briefing so that no test here waits for
the whole pipeline (the browser test runs it).
"""

from __future__ import annotations

import warnings
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from pathlib import Path

import lxml.html
import pytest

from fixtures.web.sample import EVIL, MALICIOUS, SCRIPT, sample_briefing
from recoupe.model import Briefing, StoryInfo
from recoupe.web.app import ArticlePage, FolderSource, SearchHit, create_app, valid_id
from recoupe.web.briefings import Briefings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


class Inline(Executor):
    """Runs a build as it is submitted: the first request for a story gets its page at once."""

    def submit(self, fn, /, *args, **kwargs):
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:
            future.set_exception(exc)
        return future


def inline_briefings() -> Briefings:
    return Briefings(Inline, 64 * 1024 * 1024)


@dataclass
class SampleJob:
    story_id: str
    source: "SampleSource"

    def brief(self) -> Briefing:
        self.source.briefed.append(self.story_id)
        return sample_briefing()

    def links(self, briefing: Briefing) -> dict[str, str]:
        return {"rfi": "/articles/" + FolderSource.global_id(self.story_id, "rfi")}


class SampleSource(FolderSource):
    """The example folders, with the hand-built briefing instead of running the pipeline."""

    briefed: list[str] = []

    def job(self, story_id: str) -> SampleJob:
        return SampleJob(story_id, self)


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    trap = tmp_path_factory.mktemp("stories") / "piege"
    trap.mkdir()
    (trap / "malicious.txt").write_text(MALICIOUS.read_text(encoding="utf-8"), encoding="utf-8")
    return SampleSource([EXAMPLES, trap.parent])


@pytest.fixture(scope="module")
def client(source):
    return TestClient(create_app(source, briefings=inline_briefings()))


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
    class BrokenJob(SampleJob):
        def brief(self):
            raise IndexError("a stage failed")  # a LookupError subclass: must not become a 404

    class Broken(SampleSource):
        def job(self, story_id):
            return BrokenJob(story_id, self)

    c = TestClient(create_app(Broken([EXAMPLES]), briefings=inline_briefings()), raise_server_exceptions=False)
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
    monkeypatch.setattr(web, "serve", lambda source, host, port, config=None: calls.append((source, host, port)))
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
    found = c.get("/api/search", params={"q": "COSMODROME"}).json()["articles"]  # case and accents folded
    assert {h["article"] for h in found} == {"malicious", "rfi"} and all(h["highlights"] for h in found)


def test_locked_store_answers_503_not_500(tmp_path):
    """Pages wait for a locked store only briefly, then say so with 503 and Retry-After."""
    import sqlite3

    from recoupe.config import Config
    from recoupe.store import Store
    from recoupe.stories import ingest
    from recoupe.web.app import StoreSource

    config = Config()
    config.stories.db = str(tmp_path / "s.db")
    config.web.busy_timeout = 0.2
    with Store(config.stories.db) as store:
        ingest([str(EXAMPLES / "sommet-vladivostok" / "rfi.txt")], store, config)
    c = TestClient(create_app(StoreSource(config), briefings=inline_briefings()))
    holder = sqlite3.connect(config.stories.db, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")  # a process that keeps the file to itself
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("UPDATE stories SET title = title")
    try:
        for path in ("/", "/?q=cosmodrome", "/api/stories", "/stories/s0001", "/articles/rfi"):
            r = c.get(path)
            assert r.status_code == 503, path
            assert r.headers["retry-after"] == "3"
            check_headers(r)
            assert "Traceback" not in r.text and "OperationalError" not in r.text
        assert "occupée" in c.get("/").text
        assert c.get("/api/stories").json() == {"detail": "store busy"}
    finally:
        holder.rollback()
        holder.close()
    assert c.get("/").status_code == 200
    # (story pages run stories.brief_story, i.e. the whole pipeline: tested in tests/test_stories.py)


# --------------------------------------------------------------------------- briefings off the request threads


class SlowJob(SampleJob):
    """A build that waits for the test to let it finish (at most 30 s: never hangs the suite)."""

    release = None
    builds: list[str] = []

    def brief(self) -> Briefing:
        type(self).builds.append(self.story_id)
        type(self).release.wait(30)
        return sample_briefing()


class SlowSource(SampleSource):
    versions: dict[str, int] = {}

    def version(self, story_id):
        super().version(story_id)
        return self.versions.get(story_id, 0)

    def job(self, story_id):
        return SlowJob(story_id, self)


def _wait_for(client, path, status=200, tries=600):
    import time

    for _ in range(tries):
        r = client.get(path)
        if r.status_code == status:
            return r
        time.sleep(0.05)
    raise AssertionError(f"{path} never answered {status}")


def test_a_briefing_being_prepared_answers_at_once_and_is_built_once():
    import threading
    from concurrent.futures import ThreadPoolExecutor

    SlowJob.release, SlowJob.builds = threading.Event(), []
    pool = ThreadPoolExecutor(1)
    c = TestClient(create_app(SlowSource([EXAMPLES]), briefings=Briefings(lambda: pool, 64 * 1024 * 1024)))
    try:
        r = c.get("/stories/sommet-vladivostok")
        assert r.status_code == 202 and r.headers["retry-after"] == "3"
        check_headers(r)
        doc = lxml.html.document_fromstring(r.text)
        assert doc.xpath('//meta[@http-equiv="refresh"]')[0].get("content") == "3"
        assert "en préparation" in doc.text_content() and doc.xpath("//h1")[0].text_content().strip()
        api = c.get("/api/stories/sommet-vladivostok")
        assert api.status_code == 202 and api.json()["detail"] == "being prepared"
        with ThreadPoolExecutor(16) as clients:  # many readers of a story nobody has read yet
            statuses = list(clients.map(lambda _: c.get("/stories/sommet-vladivostok").status_code, range(50)))
        assert statuses == [202] * 50
        assert c.get("/").status_code == 200  # the other pages do not wait for it
        SlowJob.release.set()
        page = _wait_for(c, "/stories/sommet-vladivostok")
        assert SlowJob.builds == ["sommet-vladivostok"]  # built once for 53 requests
        assert lxml.html.document_fromstring(page.text).get_element_by_id("contradictions") is not None
        assert c.get("/api/stories/sommet-vladivostok").json()["title"] == sample_briefing().title
    finally:
        SlowJob.release.set()
        pool.shutdown()


def test_cached_briefing_has_an_etag_and_is_dropped_when_the_story_changes():
    import threading
    from concurrent.futures import ThreadPoolExecutor

    SlowJob.release, SlowJob.builds = threading.Event(), []
    SlowJob.release.set()
    pool = ThreadPoolExecutor(1)
    source = SlowSource([EXAMPLES])
    source.versions = {}
    briefings = Briefings(lambda: pool, 64 * 1024 * 1024)
    c = TestClient(create_app(source, briefings=briefings))
    try:
        c.get("/stories/sommet-vladivostok")
        first = _wait_for(c, "/stories/sommet-vladivostok")
        etag = first.headers["etag"]
        assert etag.startswith('"') and first.headers["cache-control"] == "no-cache"
        again = c.get("/stories/sommet-vladivostok", headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
        check_headers(again)
        assert c.get("/api/stories/sommet-vladivostok", headers={"If-None-Match": etag}).status_code == 200  # another body
        assert briefings.size > 0
        SlowJob.release.clear()  # the next build waits for the test
        source.versions["sommet-vladivostok"] = 1  # the story grew
        assert c.get("/stories/sommet-vladivostok").status_code == 202  # the old page is not served...
        assert briefings.size == 0  # ...nor kept
        SlowJob.release.set()
        _wait_for(c, "/stories/sommet-vladivostok")
        assert SlowJob.builds == ["sommet-vladivostok", "sommet-vladivostok"]
    finally:
        pool.shutdown()


def test_briefing_cache_is_bounded_in_bytes():
    source = SampleSource([EXAMPLES])
    page = len(TestClient(create_app(source, briefings=inline_briefings())).get("/stories/sommet-vladivostok").content)
    briefings = Briefings(Inline, int(page * 2.5))  # room for one page and its JSON, not two
    c = TestClient(create_app(source, briefings=briefings))
    source.briefed.clear()
    for story in ("sommet-vladivostok", "incendie-usine", "sommet-vladivostok"):
        assert c.get(f"/stories/{story}").status_code == 200
    assert 0 < briefings.size <= briefings.max_bytes
    assert source.briefed == ["sommet-vladivostok", "incendie-usine", "sommet-vladivostok"]  # evicted, then rebuilt


def test_head_and_method_not_allowed(client):
    for path in ("/", "/stories/sommet-vladivostok", "/api/stories", "/articles/sommet-vladivostok~rfi"):
        get, head = client.get(path), client.head(path)
        assert head.status_code == 200 and head.content == b"", path
        assert head.headers["content-type"] == get.headers["content-type"]
        check_headers(head)
    for path in ("/", "/api/stories"):
        r = client.post(path)
        assert r.status_code == 405
        assert {m.strip() for m in r.headers["allow"].split(",")} == {"GET", "HEAD"}
        check_headers(r)


def test_search_page_highlights_the_words_found(client):
    r = client.get("/", params={"q": "vostot*"})
    doc = lxml.html.document_fromstring(r.text)
    marks = [m.text_content() for m in doc.xpath('//div[@class="snippet"]/mark')]
    assert marks and all(m.lower().startswith("vostot") for m in marks)
    assert "[" not in "".join(d.text_content() for d in doc.xpath('//div[@class="snippet"]'))
    api = client.get("/api/search", params={"q": "vostotchny"}).json()["articles"][0]
    assert [api["snippet"][s:e] for s, e in api["highlights"]] == ["Vostotchny"] * len(api["highlights"])


def test_stopping_the_app_stops_a_build_in_progress():
    """Ctrl-C on `recoupe serve`: the worker process building a briefing is ended, not left running."""
    import multiprocessing
    import time

    from recoupe.config import Config
    from recoupe.web.briefings import Pending

    config = Config()
    assert config.web.processes
    source = FolderSource([EXAMPLES / "sommet-vladivostok"], config)
    sid = source.stories()[0].id
    with TestClient(create_app(source, config=config)) as c:  # the context runs the app's shutdown at its end
        assert c.get(f"/stories/{sid}").status_code == 202
        # only this app's workers: another test's pool may start a worker of its own meanwhile (a worker
        # that reached config.web.worker_builds is replaced)
        pool = c.app.state.briefings._executor
        deadline = time.monotonic() + 30
        while not getattr(pool, "_processes", None) and time.monotonic() < deadline:
            time.sleep(0.05)
        workers = list(pool._processes.values())
        assert workers and all(w in multiprocessing.active_children() for w in workers)
        assert isinstance(c.app.state.briefings.get(sid, 0, lambda: source.job(sid)), Pending)
    for w in workers:
        w.join(5)
        # ended as the system sees it: Process.is_alive() stays True when another part of the test process
        # (a library reaping every child) collected the exit status first
        assert not w.is_alive() or _process_state(w.pid) in ("gone", "Z"), (w.pid, _process_state(w.pid))


def _process_state(pid: int) -> str:
    """The one-letter state of a process in /proc ("R", "S", "Z"...), or "gone"."""
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as fh:
            return next(line.split()[1] for line in fh if line.startswith("State:"))
    except (OSError, StopIteration):
        return "gone"


def test_story_list_groups_stories_under_their_topic(tmp_path):
    """A bridge that collapses and the experts' report three weeks later: two stories, one topic heading."""
    from recoupe.config import Config
    from recoupe.store import Store
    from recoupe.stories import ingest
    from recoupe.web.app import StoreSource

    fix = Path(__file__).parents[1] / "fixtures" / "stories"
    config = Config()
    config.stories.db = str(tmp_path / "s.db")
    with Store(config.stories.db) as store:
        ingest([str(fix)], store, config)
    c = TestClient(create_app(StoreSource(config)))
    doc = lxml.html.document_fromstring(c.get("/").text)
    topics = doc.xpath('//li[@class="topic"]')
    assert len(topics) == 1
    links = {a.get("href") for a in topics[0].xpath(".//a")}
    stories = {s["id"]: s for s in c.get("/api/stories").json()}
    bridge = {sid for sid, s in stories.items() if any(a.startswith("pont") for a in s["articles"])}
    assert len(bridge) == 2 and {f"/stories/{sid}" for sid in bridge} == links
    assert all(stories[sid]["topic"] == stories[next(iter(bridge))]["topic"] for sid in bridge)
