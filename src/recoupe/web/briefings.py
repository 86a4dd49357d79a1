"""Briefings for the web app: built off the request threads, each at most once, kept rendered.

Why this shape: a briefing runs the whole pipeline (seconds to a minute of CPU). Built on a
request thread, fifty requests for a new story held every thread of the server and the story
list waited behind them; rebuilt as HTML on every request, a cached briefing cost most of a second
and the server's memory grew. So:

- builds run in a bounded pool (``config.web.workers``) of worker *processes*: the pipeline is
  CPU-bound Python that would otherwise hold the interpreter lock the request threads need, and
  its garbage stays in the worker. A request never waits for a build: it gets :class:`Pending`
  at once, and the app answers with a page that says so and reloads itself;
- one build per (story, version) at a time, however many requests ask for it;
- the result is kept as the bytes of the story page and of its JSON, each with an ETag, in an LRU
  bounded in bytes (``config.web.cache_mb``); a story seen with a new version (it grew, or got a
  new title) drops the pages of its old one.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import signal
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import quote

from ..config import Config
from ..model import Briefing


class BriefingJob(Protocol):
    """What a worker needs to build one story's briefing: picklable, holding no open connection."""

    story_id: str

    def brief(self) -> Briefing: ...

    def links(self, briefing: Briefing) -> dict[str, str]: ...


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


@dataclass(frozen=True)
class Page:
    """A briefing ready to serve: its story page and its JSON, encoded once, with their ETags."""

    html: bytes
    json: bytes
    html_etag: str
    json_etag: str

    @property
    def size(self) -> int:
        return len(self.html) + len(self.json)


@dataclass(frozen=True)
class Pending:
    since: float  # time.monotonic() when the build was asked for


@dataclass(frozen=True)
class Failed:
    message: str


def prepare(job: BriefingJob) -> Page:
    """Build and render one briefing: what a worker runs."""
    from ..render.html import render_html

    b = job.brief()
    html = render_html(b, web=True, story_id=quote(job.story_id, safe=""), article_links=job.links(b)).encode("utf-8")
    data = b.model_dump_json().encode("utf-8")
    return Page(html, data, _etag(html), _etag(data))


def _worker_init() -> None:
    """Ctrl-C on `recoupe serve` reaches the whole process group: the server stops its workers itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def make_executor(config: Config) -> Executor:
    workers = max(1, config.web.workers)
    if config.web.processes:
        # spawn, not fork: the server has threads, and a forked child could inherit a held lock
        return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"), initializer=_worker_init,
                                   max_tasks_per_child=max(1, config.web.worker_builds))
    return ThreadPoolExecutor(workers, thread_name_prefix="recoupe-briefing")


class Briefings:
    """Pages of briefings by (story id, version); ``get`` never blocks on a build."""

    def __init__(self, make: Callable[[], Executor], max_bytes: int, retry_failed: float = 60.0):
        self._make = make
        self._executor: Executor | None = None
        self.max_bytes = max_bytes
        self.retry_failed = retry_failed  # a failed build is tried again after this many seconds
        self._pages: OrderedDict[tuple[str, Hashable], Page] = OrderedDict()
        self._size = 0
        self._version: dict[str, Hashable] = {}  # story id -> the latest version asked for
        self._running: dict[tuple[str, Hashable], float] = {}
        self._failed: dict[tuple[str, Hashable], tuple[float, str]] = {}
        self._lock = threading.Lock()

    @classmethod
    def for_config(cls, config: Config) -> Briefings:
        return cls(lambda: make_executor(config), config.web.cache_mb * 1024 * 1024)

    def get(self, story_id: str, version: Hashable, job: Callable[[], BriefingJob]) -> Page | Pending | Failed:
        """The page of this version of the story, or Pending (its build is started if it was not)."""
        key = (story_id, version)
        with self._lock:
            if self._version.get(story_id, version) != version:
                self._drop_story(story_id)  # the story changed: its old briefing is stale
            self._version[story_id] = version
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
                return page
            failed = self._failed.get(key)
            if failed is not None and time.monotonic() - failed[0] < self.retry_failed:
                return Failed(failed[1])
            if key in self._running:
                return Pending(self._running[key])
            since = self._running[key] = time.monotonic()
            executor = self._executor = self._executor or self._make()
        try:
            future = executor.submit(prepare, job())
        except BrokenProcessPool:  # a worker died (killed, out of memory): start a new pool next time
            with self._lock:
                self._executor = None
            future = _failed_future(RuntimeError("the briefing worker stopped; try again"))
        except Exception as exc:  # noqa: BLE001 - e.g. a job that cannot be made: reported as a failed build
            future = _failed_future(exc)
        future.add_done_callback(lambda f: self._done(key, f))  # runs at once when already done
        with self._lock:
            return self._pages.get(key) or (Failed(self._failed[key][1]) if key in self._failed else Pending(since))

    def _done(self, key: tuple[str, Hashable], future: Future) -> None:
        with self._lock:
            self._running.pop(key, None)
            if future.cancelled():
                return
            exc = future.exception()
            if exc is not None:
                message = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
                self._failed[key] = (time.monotonic(), message)
                print(f"error: briefing of story {key[0]} failed: {message}", file=sys.stderr)
                return
            self._failed.pop(key, None)
            if self._version.get(key[0]) != key[1]:
                return  # the story changed while it was built: already stale
            page = future.result()
            self._pages[key] = page
            self._size += page.size
            while self._size > self.max_bytes and len(self._pages) > 1:
                _, old = self._pages.popitem(last=False)
                self._size -= old.size

    def _drop_story(self, story_id: str) -> None:
        for key in [k for k in self._pages if k[0] == story_id]:
            self._size -= self._pages.pop(key).size
        for key in [k for k in self._failed if k[0] == story_id]:
            del self._failed[key]

    @property
    def size(self) -> int:
        """Bytes of the pages kept."""
        return self._size

    def close(self) -> None:
        """Stop the workers, a build in progress included (the server is stopping)."""
        executor, self._executor = self._executor, None
        if executor is None:
            return
        processes = list((getattr(executor, "_processes", None) or {}).values())  # shutdown() forgets them
        executor.shutdown(wait=False, cancel_futures=True)
        for proc in processes:
            proc.terminate()


def _failed_future(exc: BaseException) -> Future:
    future: Future = Future()
    future.set_exception(exc)
    return future
