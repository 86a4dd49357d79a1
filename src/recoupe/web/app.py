"""A small read-only web app to browse stories: HTML pages and their JSON twins.

Why this shape: the app only reads from a :class:`StorySource` (folders given on the command
line, or the SQLite store), so the same pages serve both; ids from requests are checked against
a strict pattern and then only used as keys of what the source listed, never as paths. It never
fetches a URL. Every response carries a Content-Security-Policy that allows no script, no
external resource, and only the app's own stylesheet (by hash).
"""

from __future__ import annotations

import copy
import re
import threading
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol
from urllib.parse import quote

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..config import Config
from ..model import ArticleInfo, Briefing, Document, StoryInfo
from ..render.common import labels
from ..render.html import CSP_WEB, Interval, environment, highlight, render_html

# Ids: word characters and a few separators, no slash, no "..", bounded length.
ID_RE = re.compile(r"[\w][\w .~+@,()'-]{0,199}")


class NotFound(LookupError):
    """An id the source does not know (a pipeline's own IndexError/KeyError is not one: that is a 500)."""


def valid_id(value: str) -> bool:
    return bool(ID_RE.fullmatch(value)) and ".." not in value


# --------------------------------------------------------------------------- JSON models


class ArticlePage(BaseModel):
    """One article as the app shows it: its story and its original text with removals."""

    story: str
    article: ArticleInfo


class SearchHit(BaseModel):
    article: str
    story: str | None = None
    outlet: str = ""
    title: str | None = None
    date: str | None = None
    snippet: str = ""  # plain text, copied from the article


class SearchResult(BaseModel):
    query: str
    stories: list[StoryInfo] = Field(default_factory=list)
    articles: list[SearchHit] = Field(default_factory=list)


# --------------------------------------------------------------------------- sources


class StorySource(Protocol):
    """Where stories come from. Lookups raise NotFound for unknown ids."""

    def stories(self) -> list[StoryInfo]: ...

    def briefing(self, story_id: str) -> Briefing: ...

    def article(self, article_id: str) -> ArticlePage: ...

    def search(self, query: str, limit: int = 50) -> list[SearchHit]: ...


def fold(text: str) -> str:
    """Lower case without accents, for a forgiving search."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in text if not unicodedata.combining(c))


def article_info(doc: Document, config: Config) -> ArticleInfo:
    """ArticleInfo of a document without running the analysis: cleaning only (cheap)."""
    from ..clean import clean

    return clean(doc, config).info(doc.lang)


def _snippet(text: str, words: list[str], width: int = 160) -> str:
    low = "".join((fold(c) or c)[0] for c in text)  # folded char by char: same offsets as text
    at = max(0, low.find(words[0]) if words else 0)
    start = max(0, at - width // 3)
    return " ".join(text[start : start + width].split())


class _Briefings:
    """Briefings made once per story and kept in memory; one lock per story."""

    def __init__(self):
        self._cache: dict[object, Briefing] = {}
        self._locks: dict[object, threading.Lock] = {}
        self._guard = threading.Lock()

    def get(self, key: object, make) -> Briefing:
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._cache:
                self._cache[key] = make()
            return self._cache[key]


_SLUG_BAD = re.compile(r"[^A-Za-z0-9._-]+")


class FolderSource:
    """Folders given on the command line: each subfolder is one story (a folder holding article
    files directly is a story itself). Briefed with the pipeline on first view, cached in memory."""

    def __init__(self, folders: Iterable[str | Path], config: Config | None = None):
        from ..read import read_inputs

        self.config = config or Config()
        self._docs: dict[str, list[Document]] = {}
        self._infos: dict[str, dict[str, ArticleInfo]] = {}
        self._story: dict[str, StoryInfo] = {}
        self._briefings = _Briefings()
        for folder in folders:
            folder = Path(folder)
            if not folder.is_dir():
                raise NotFound(f"{folder} is not a folder")
            subs = sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
            direct = [p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")]
            for story_dir in ([folder] if direct and not subs else subs):
                docs, _ = read_inputs([str(story_dir)], self.config)
                if docs:
                    self._add(story_dir.name, docs)

    def _add(self, name: str, docs: list[Document]) -> None:
        base = _SLUG_BAD.sub("-", name).strip("-.") or "story"
        sid, k = base, 2
        while sid in self._story:
            sid, k = f"{base}-{k}", k + 1
        seen: dict[str, int] = {}
        for d in docs:  # unique ids within the story, as the pipeline would make them
            seen[d.id] = seen.get(d.id, 0) + 1
            if seen[d.id] > 1:
                d.id = f"{d.id}-{seen[d.id]}"
        infos = {d.id: article_info(d, self.config) for d in docs}
        dates = sorted(i.date for i in infos.values() if i.date)
        titles = [i.title for i in infos.values() if i.title]
        self._docs[sid] = docs
        self._infos[sid] = infos
        self._story[sid] = StoryInfo(
            id=sid,
            title=min(titles, key=len) if titles else name,
            first_date=dates[0] if dates else None,
            last_date=dates[-1] if dates else None,
            outlets=sorted({i.outlet for i in infos.values()}),
            articles=[self.global_id(sid, d.id) for d in docs],
        )

    @staticmethod
    def global_id(story_id: str, article_id: str) -> str:
        return f"{story_id}~{article_id}"

    def stories(self) -> list[StoryInfo]:
        return list(self._story.values())

    def briefing(self, story_id: str) -> Briefing:
        if story_id not in self._story:
            raise NotFound(story_id)

        def make() -> Briefing:
            from ..pipeline import run

            docs = [copy.copy(d) for d in self._docs[story_id]]
            return run(docs, self.config)[0]

        return self._briefings.get(story_id, make)

    def article(self, article_id: str) -> ArticlePage:
        story_id, _, local = article_id.partition("~")
        info = self._infos.get(story_id, {}).get(local)
        if info is None:
            raise NotFound(article_id)
        return ArticlePage(story=story_id, article=info)

    def article_links(self, story_id: str, briefing: Briefing) -> dict[str, str]:
        known = self._infos.get(story_id, {})
        return {a.id: "/articles/" + quote(self.global_id(story_id, a.id), safe="") for a in briefing.articles if a.id in known}

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        words = fold(query).split()
        if not words:
            return []
        hits = []
        for sid, infos in self._infos.items():
            for info in infos.values():
                hay = fold(f"{info.title or ''} {info.outlet} {info.text}")
                if all(w in hay for w in words):
                    hits.append(
                        SearchHit(article=self.global_id(sid, info.id), story=sid, outlet=info.outlet, title=info.title,
                                  date=info.date, snippet=_snippet(info.text, words))
                    )
        return hits[:limit]


class StoreSource:
    """The SQLite store of ``recoupe ingest``, read through recoupe.stories and recoupe.store."""

    def __init__(self, config: Config):
        self.config = config
        self._briefings = _Briefings()

    def stories(self) -> list[StoryInfo]:
        from ..stories import list_stories

        return list_stories(self.config)

    def briefing(self, story_id: str) -> Briefing:
        from ..stories import brief_story

        story = next((s for s in self.stories() if s.id == story_id), None)
        if story is None:
            raise NotFound(story_id)
        # the cache key includes the article list: a story that grew is briefed again
        return self._briefings.get((story_id, tuple(story.articles)), lambda: brief_story(story_id, self.config))

    def article(self, article_id: str) -> ArticlePage:
        from ..store import Store
        from ..stories import story_documents

        story = next((s for s in self.stories() if article_id in s.articles), None)
        if story is None:
            raise NotFound(article_id)
        with Store(self.config.stories.db, self.config.stories.busy_timeout) as store:
            rows = [r for r in store.story_articles(story.id) if r["id"] == article_id]
        if not rows:
            raise NotFound(article_id)
        doc = story_documents(rows)[0]
        return ArticlePage(story=story.id, article=article_info(doc, self.config))

    def article_links(self, story_id: str, briefing: Briefing) -> dict[str, str]:
        return {a.id: "/articles/" + quote(a.id, safe="") for a in briefing.articles}

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        from ..stories import search

        return [
            SearchHit(article=h["id"], story=h.get("story"), outlet=h.get("outlet") or "", title=h.get("title"),
                      date=h.get("date"), snippet=h.get("snippet") or "")
            for h in search(query, self.config, limit)
        ]


# --------------------------------------------------------------------------- the app

SECURITY_HEADERS = [
    (b"content-security-policy", CSP_WEB.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class SecurityHeaders:
    """Pure ASGI middleware: the security headers on every HTTP response, whatever made it."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [(k, v) for k, v in SECURITY_HEADERS if k not in names]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _page(template: str, status: int = 200, **ctx) -> HTMLResponse:
    html = environment().get_template(template).render(web=True, csp="", **ctx)
    return HTMLResponse(html, status_code=status)


def _not_found(request: Request, what: str = "") -> HTMLResponse | JSONResponse:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": "not found"}, status_code=404)
    L = labels("fr")
    return _page("error.html.j2", status=404, L=L, lang="fr", title=L["not_found"], message=L["not_found_text"])


def create_app(source: StorySource, allowed_hosts: list[str] | None = None) -> FastAPI:
    """The web app over ``source``. ``allowed_hosts`` (e.g. ["127.0.0.1", "localhost"]) refuses
    requests for other Host headers, against DNS rebinding; None accepts any."""
    app = FastAPI(
        title="recoupe",
        summary="Browse cross-checked briefings of news stories.",
        docs_url=None,  # the Swagger/ReDoc pages load scripts from a CDN: the schema is at /openapi.json
        redoc_url=None,
    )
    app.state.source = source

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 404:
            return _not_found(request)
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        L = labels("fr")
        return _page("error.html.j2", status=exc.status_code, L=L, lang="fr", title=str(exc.status_code), message=str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": "bad request"}, status_code=422)
        L = labels("fr")
        return _page("error.html.j2", status=422, L=L, lang="fr", title="422", message="bad request")

    def need(value: str) -> None:
        if not valid_id(value):
            raise StarletteHTTPException(404)

    def find_stories(q: str | None) -> list[StoryInfo]:
        stories = sorted(source.stories(), key=lambda s: (s.last_date or "", s.id), reverse=True)
        words = fold(q or "").split()
        if not words:
            return stories
        hit_stories = {h.story for h in source.search(q or "")}
        return [s for s in stories if s.id in hit_stories or all(w in fold(f"{s.title} {' '.join(s.outlets)}") for w in words)]

    def links(story_id: str, b: Briefing) -> dict[str, str]:
        fn = getattr(source, "article_links", None)
        return fn(story_id, b) if fn else {}

    # ---- HTML pages

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(q: str | None = Query(default=None, max_length=200)):
        L = labels("fr")
        stories = find_stories(q)
        hits = source.search(q) if q and q.strip() else []
        return _page("stories.html.j2", L=L, lang="fr", q=q or "", stories=stories, hits=hits, quote=quote)

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(story_id: str):
        need(story_id)
        try:
            b = source.briefing(story_id)
        except NotFound:
            raise StarletteHTTPException(404) from None
        return HTMLResponse(render_html(b, web=True, story_id=quote(story_id, safe=""), article_links=links(story_id, b)))

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(article_id: str):
        need(article_id)
        try:
            page = source.article(article_id)
        except NotFound:
            raise StarletteHTTPException(404) from None
        a = page.article
        L = labels(a.language)
        ivs = [
            Interval(r.span.start, r.span.end, "removed", title=f"{L['removed']} ({r.kind}): {r.reason}", kind_detail=r.kind)
            for r in a.removed
        ]
        ivs += [Interval(s.start, s.end, "subhead", order=2) for s in a.subheads]
        return _page(
            "article.html.j2", L=L, lang=a.language or "fr", a=a, story=page.story, story_href="/stories/" + quote(page.story, safe=""),
            article_id=quote(article_id, safe=""), text=highlight(a.text, ivs, L),
        )

    # ---- JSON twins

    @app.get("/api/stories", response_model=list[StoryInfo], summary="Stories, most recent first (filtered by q)")
    def api_stories(q: str | None = Query(default=None, max_length=200)):
        return find_stories(q)

    @app.get("/api/stories/{story_id}", response_model=Briefing, summary="The briefing of one story")
    def api_story(story_id: str):
        need(story_id)
        try:
            return source.briefing(story_id)
        except NotFound:
            raise StarletteHTTPException(404) from None

    @app.get("/api/articles/{article_id}", response_model=ArticlePage, summary="One article with its original text")
    def api_article(article_id: str):
        need(article_id)
        try:
            return source.article(article_id)
        except NotFound:
            raise StarletteHTTPException(404) from None

    @app.get("/api/search", response_model=SearchResult, summary="Stories and articles matching every word of q")
    def api_search(q: str = Query(default="", max_length=200)):
        return SearchResult(query=q, stories=find_stories(q) if q.strip() else [], articles=source.search(q) if q.strip() else [])

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception):
        # answered by Starlette's outermost middleware: the security headers are set here too
        headers = {k.decode(): v.decode() for k, v in SECURITY_HEADERS}
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": "internal error"}, status_code=500, headers=headers)
        L = labels("fr")
        html = environment().get_template("error.html.j2").render(web=True, csp="", L=L, lang="fr", title="500", message=type(exc).__name__)
        return HTMLResponse(html, status_code=500, headers=headers)

    if allowed_hosts:
        from starlette.middleware.trustedhost import TrustedHostMiddleware

        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)
    app.add_middleware(SecurityHeaders)  # added last = outermost: also wraps the host check
    return app


def serve(source: StorySource, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the app with uvicorn (blocking)."""
    import uvicorn

    loopback = host in ("127.0.0.1", "localhost", "::1")
    hosts = ["127.0.0.1", "localhost", "[::1]", "::1"] if loopback else None
    uvicorn.run(create_app(source, allowed_hosts=hosts), host=host, port=port, log_level="info", server_header=False)
