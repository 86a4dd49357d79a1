"""A small read-only web app to browse stories: HTML pages and their JSON twins.

Why this shape: the app only reads from a :class:`StorySource` (folders given on the command
line, or the SQLite store), so the same pages serve both; ids from requests are checked against
a strict pattern and then only used as keys of what the source listed, never as paths. It never
fetches a URL. Every response carries a Content-Security-Policy that allows no script, no
external resource, and only the app's own stylesheet (by hash).

Briefings are built off the request threads and kept rendered (recoupe.web.briefings); the store
is read in read transactions only, and a store locked for too long answers 503, never 500.
"""

from __future__ import annotations

import copy
import re
import threading
from collections.abc import Hashable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import quote

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..config import Config
from ..model import ArticleInfo, Briefing, Document, StoryInfo
from ..render.common import labels
from ..render.html import CSP_WEB, Interval, environment, highlight
from ..store import StoreLocked
from ..textsearch import cut, matches, snippet, terms
from .briefings import BriefingJob, Briefings, Failed, Page, Pending

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
    highlights: list[tuple[int, int]] = Field(default_factory=list)  # [start, end) of the matched words in the snippet


class SearchResult(BaseModel):
    query: str
    stories: list[StoryInfo] = Field(default_factory=list)
    articles: list[SearchHit] = Field(default_factory=list)


# --------------------------------------------------------------------------- sources


class StorySource(Protocol):
    """Where stories come from. Lookups raise NotFound for unknown ids."""

    def stories(self) -> list[StoryInfo]: ...

    def version(self, story_id: str) -> Hashable:
        """Changes whenever the story's briefing would: a cheap read, made on every request for it."""
        ...

    def job(self, story_id: str) -> BriefingJob:
        """What a worker needs to build the story's briefing (recoupe.web.briefings)."""
        ...

    def article(self, article_id: str) -> ArticlePage: ...

    def search(self, query: str, limit: int = 50) -> list[SearchHit]: ...


def article_info(doc: Document, config: Config) -> ArticleInfo:
    """ArticleInfo of a document without running the analysis: cleaning only (cheap)."""
    from ..clean import clean

    return clean(doc, config).info(doc.lang)


@dataclass
class FolderJob:
    """The briefing of a story folder: the pipeline over copies of its documents."""

    story_id: str
    title: str
    docs: list[Document]
    config: Config

    def brief(self) -> Briefing:
        from ..pipeline import run

        b = run([copy.copy(d) for d in self.docs], self.config)[0]
        b.title = self.title  # the title the story list shows: a story is called the same everywhere
        return b

    def links(self, briefing: Briefing) -> dict[str, str]:
        known = {d.id for d in self.docs}
        return {a.id: "/articles/" + quote(FolderSource.global_id(self.story_id, a.id), safe="") for a in briefing.articles if a.id in known}


@dataclass
class StoreJob:
    """The briefing of a stored story: the worker opens the store itself."""

    story_id: str
    config: Config

    def brief(self) -> Briefing:
        from ..stories import brief_story

        return brief_story(self.story_id, self.config)

    def links(self, briefing: Briefing) -> dict[str, str]:
        return {a.id: "/articles/" + quote(a.id, safe="") for a in briefing.articles}


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

    def version(self, story_id: str) -> Hashable:
        if story_id not in self._story:
            raise NotFound(story_id)
        return 0  # read once at start: a folder's stories never change while served

    def job(self, story_id: str) -> BriefingJob:
        return FolderJob(story_id, self._story[story_id].title, self._docs[story_id], self.config)

    def article(self, article_id: str) -> ArticlePage:
        story_id, _, local = article_id.partition("~")
        info = self._infos.get(story_id, {}).get(local)
        if info is None:
            raise NotFound(article_id)
        return ArticlePage(story=story_id, article=info)

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        ts = terms(query)
        if not ts:
            return []
        hits = []
        for sid, infos in self._infos.items():
            for info in infos.values():
                if matches(f"{info.title or ''} {info.outlet} {info.text}", ts):
                    snip, marks = snippet(info.text, ts)
                    hits.append(
                        SearchHit(article=self.global_id(sid, info.id), story=sid, outlet=info.outlet, title=info.title,
                                  date=info.date, snippet=snip, highlights=marks)
                    )
        return hits[:limit]


class StoreSource:
    """The store of ``recoupe ingest``, read through recoupe.stories and recoupe.store.

    One Store is kept open for the app's life (its connection pool serves the request threads)
    and only read; pages wait at most ``config.web.busy_timeout`` for a locked store.
    """

    def __init__(self, config: Config):
        from ..store import Store

        self.config = config
        # opened once with the ingest's patience: a store that needs migrating is migrated now
        Store(config.stories.db, config.stories.busy_timeout, create=False).close()
        self._store: Store | None = None
        self._lock = threading.Lock()

    @property
    def store(self):
        from ..store import Store

        with self._lock:
            if self._store is None:
                self._store = Store(self.config.stories.db, self.config.web.busy_timeout, create=False)
            return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()

    def stories(self) -> list[StoryInfo]:
        from ..stories import list_stories

        return list_stories(self.config, self.store)

    def version(self, story_id: str) -> Hashable:
        version = self.store.story_version(story_id)
        if version is None:
            raise NotFound(story_id)
        return version

    def job(self, story_id: str) -> BriefingJob:
        return StoreJob(story_id, self.config)

    def article(self, article_id: str) -> ArticlePage:
        from ..stories import story_documents

        story = next((s for s in self.stories() if article_id in s.articles), None)
        if story is None:
            raise NotFound(article_id)
        rows = [r for r in self.store.story_articles(story.id) if r["id"] == article_id]
        if not rows:
            raise NotFound(article_id)
        doc = story_documents(rows)[0]
        return ArticlePage(story=story.id, article=article_info(doc, self.config))

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        from ..stories import search

        return [
            SearchHit(article=h["id"], story=h.get("story"), outlet=h.get("outlet") or "", title=h.get("title"),
                      date=h.get("date"), snippet=h.get("snippet") or "", highlights=h.get("highlights") or [])
            for h in search(query, self.config, limit, self.store)
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


class HeadAsGet:
    """Pure ASGI middleware: HEAD answered as GET without the body (same status and headers),
    for every page; link checkers and proxies ask HEAD first."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "HEAD":
            return await self.app(scope, receive, send)

        async def headers_only(message):
            if message["type"] == "http.response.body":
                if message.get("more_body"):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app(dict(scope, method="GET"), receive, headers_only)


def _page(template: str, status: int = 200, headers: dict[str, str] | None = None, **ctx) -> HTMLResponse:
    html = environment().get_template(template).render(web=True, csp="", **ctx)
    return HTMLResponse(html, status_code=status, headers=headers)


def _error(request: Request, status: int, title: str, message: str, headers: dict[str, str] | None = None) -> Response:
    """An error as JSON under /api/, else as a page; ``headers`` kept (Allow, Retry-After...)."""
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": message}, status_code=status, headers=headers)
    return _page("error.html.j2", status=status, headers=headers, L=labels("fr"), lang="fr", title=title, message=message)


def _not_found(request: Request) -> Response:
    L = labels("fr")
    return _error(request, 404, L["not_found"], L["not_found_text"] if not request.url.path.startswith("/api/") else "not found")


def _cached(request: Request, body: bytes, etag: str, media_type: str) -> Response:
    """A prepared body with its ETag; 304 when the client already has it (browsers revalidate:
    ``no-cache``, since a story can grow)."""
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    tags = [t.strip() for t in request.headers.get("if-none-match", "").split(",")]
    if etag in tags or "*" in tags:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


def create_app(source: StorySource, allowed_hosts: list[str] | None = None, config: Config | None = None,
               briefings: Briefings | None = None) -> FastAPI:
    """The web app over ``source``. ``allowed_hosts`` (e.g. ["127.0.0.1", "localhost"]) refuses
    requests for other Host headers, against DNS rebinding; None accepts any. ``briefings`` builds
    and keeps the briefings (default: worker processes as ``config.web`` says)."""
    config = config or getattr(source, "config", None) or Config()
    briefings = briefings or Briefings.for_config(config)
    refresh = str(max(1, config.web.refresh_seconds))

    @asynccontextmanager
    async def lifespan(_app):
        yield
        briefings.close()
        getattr(source, "close", lambda: None)()

    app = FastAPI(
        title="recoupe",
        summary="Browse cross-checked briefings of news stories.",
        docs_url=None,  # the Swagger/ReDoc pages load scripts from a CDN: the schema is at /openapi.json
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.source = source
    app.state.briefings = briefings

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 404:
            return _not_found(request)
        headers = dict(exc.headers or {})
        if exc.status_code == 405 and "GET" in headers.get("Allow", ""):
            headers["Allow"] += ", HEAD"  # answered for every GET route (HeadAsGet)
        return _error(request, exc.status_code, str(exc.status_code), str(exc.detail), headers=headers)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):
        return _error(request, 422, "422", "bad request")

    @app.exception_handler(StoreLocked)
    async def store_locked(request: Request, exc: StoreLocked):
        # another process (an ingest, a migration) kept the store longer than a page may wait
        L = labels("fr")
        return _error(request, 503, L["busy"], L["busy_text"] if not request.url.path.startswith("/api/") else "store busy",
                      headers={"Retry-After": refresh})

    def need(value: str) -> None:
        if not valid_id(value):
            raise StarletteHTTPException(404)

    def find(q: str | None) -> tuple[list[StoryInfo], list[SearchHit]]:
        """Stories (most recent first) and articles matching ``q``; a story matches by its title,
        its outlets, or any of its articles."""
        stories = sorted(source.stories(), key=lambda s: (s.last_date or "", s.id), reverse=True)
        ts = terms(q or "")
        if not ts:
            return stories, []
        hits = source.search(q or "")
        hit_stories = {h.story for h in hits}
        return [s for s in stories if s.id in hit_stories or matches(f"{s.title} {' '.join(s.outlets)}", ts)], hits

    def briefing(story_id: str) -> Page | Pending | Failed:
        need(story_id)
        try:
            version = source.version(story_id)
        except NotFound:
            raise StarletteHTTPException(404) from None
        return briefings.get(story_id, version, lambda: source.job(story_id))

    # ---- HTML pages

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(q: str | None = Query(default=None, max_length=200)):
        L = labels("fr")
        stories, hits = find(q)
        from ..stories import group_by_topic

        return _page("stories.html.j2", L=L, lang="fr", q=q or "", stories=stories, topics=group_by_topic(stories), hits=hits,
                     quote=quote, cut=cut)

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(story_id: str, request: Request):
        state = briefing(story_id)
        if isinstance(state, Page):
            return _cached(request, state.html, state.html_etag, "text/html; charset=utf-8")
        L = labels("fr")
        if isinstance(state, Failed):
            return _error(request, 500, L["failed"], L["failed_text"])
        story = next((s for s in source.stories() if s.id == story_id), None)
        return _page("pending.html.j2", status=202, headers={"Retry-After": refresh}, L=L, lang="fr", refresh=refresh,
                     title=story.title if story else story_id, story=story)

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
        return find(q)[0]

    @app.get("/api/stories/{story_id}", response_model=Briefing, summary="The briefing of one story",
         responses={202: {"description": "Being prepared: ask again after Retry-After seconds"}, 304: {"description": "Not modified"}})
    def api_story(story_id: str, request: Request):
        state = briefing(story_id)
        if isinstance(state, Page):
            return _cached(request, state.json, state.json_etag, "application/json")
        if isinstance(state, Failed):
            return JSONResponse({"detail": "the briefing could not be made"}, status_code=500)
        return JSONResponse({"detail": "being prepared", "retry_after": int(refresh)}, status_code=202, headers={"Retry-After": refresh})

    @app.get("/api/articles/{article_id}", response_model=ArticlePage, summary="One article with its original text")
    def api_article(article_id: str):
        need(article_id)
        try:
            return source.article(article_id)
        except NotFound:
            raise StarletteHTTPException(404) from None

    @app.get("/api/search", response_model=SearchResult, summary="Stories and articles matching every word of q")
    def api_search(q: str = Query(default="", max_length=200)):
        stories, hits = find(q) if q.strip() else ([], [])
        return SearchResult(query=q, stories=stories, articles=hits)

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
    app.add_middleware(HeadAsGet)
    app.add_middleware(SecurityHeaders)  # added last = outermost: also wraps the host check
    return app


def serve(source: StorySource, host: str = "127.0.0.1", port: int = 8000, config: Config | None = None) -> None:
    """Run the app with uvicorn (blocking)."""
    import uvicorn

    loopback = host in ("127.0.0.1", "localhost", "::1")
    hosts = ["127.0.0.1", "localhost", "[::1]", "::1"] if loopback else None
    uvicorn.run(create_app(source, allowed_hosts=hosts, config=config), host=host, port=port, log_level="info", server_header=False)
