"""Which articles report one event (stories), and which stories share a subject (topics).

Stories are events: two articles belong together when they report the same happening, not when
they share a person or a theme. That decision is learned (docs/learned.md, "same event"): for a new
article and each member of an open story, ``pair_features`` gives four similarities - lemma
TF-IDF of the whole text, TF-IDF of the title and lead (what the article is about), IDF-weighted
overlap of named entities, and the e5 cosine of the title and first sentence - and a logistic
regression trained on RPM2 (``scripts/train_same_event.py``) turns them into the probability that
the two report one event. A story's score is the mean probability of its three closest members,
minus a penalty for a gap in days. The article joins the best open story when that reaches the
threshold shipped with the model (chosen on training topics only; ``config.stories.threshold``
overrides it), else opens a story. Everything is online: an article is placed when it arrives,
against stored state, never by re-clustering.

Topics group stories over time (the same affair a month later, one person's two unrelated
affairs): each story keeps a profile (TF-IDF of its lemmas, IDF-weighted entities) and joins the
topic of its most similar story when the similarity reaches the model's topic threshold
(``config.stories.topic_threshold`` overrides it).
Method and figures: docs/stories.md.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date as Date

import numpy as np

from .config import StoryConfig
from .story_features import Features

SAME_EVENT_MODEL = "same_event"
SAME_EVENT_VERSION = 1
PAIR_FEATURES = ["text", "lead", "entities", "e5"]


# --------------------------------------------------------------------------- pair features


class Idf:
    """Document frequencies of lemmas and entity keys over the articles seen so far (the stream's own),
    with each article's terms as index arrays, so that an article is compared with every open member
    in a few array operations under the exact current IDF (the result never depends on batching)."""

    def __init__(self, df: dict[str, int], edf: dict[str, int], n_docs: int):
        self.df, self.edf, self.n_docs = dict(df), dict(edf), n_docs
        self.vocab: dict[str, int] = {}  # lemmas as "l:<lemma>", entity keys as "e:<key>"
        self.counts = np.zeros(0, dtype=np.float64)  # document frequency per vocabulary id
        self._rows: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}  # (article key, view) -> (ids, tf)

    def _id(self, term: str) -> int:
        i = self.vocab.get(term)
        if i is None:
            i = self.vocab[term] = len(self.vocab)
            if i >= len(self.counts):
                self.counts = np.concatenate([self.counts, np.zeros(max(1024, len(self.counts)))])
            table, key = (self.df, term[2:]) if term[0] == "l" else (self.edf, term[2:])
            self.counts[i] = table.get(key, 0)
        return i

    def add(self, f: Features) -> None:
        self.n_docs += 1
        for t in f.lemmas:
            i = self._id("l:" + t)  # first: a new id reads the count before this article
            self.df[t] = self.df.get(t, 0) + 1
            self.counts[i] += 1
        for k in set(f.entities):
            i = self._id("e:" + k)
            self.edf[k] = self.edf.get(k, 0) + 1
            self.counts[i] += 1

    def idf(self) -> np.ndarray:
        n = len(self.vocab)
        return np.log((self.n_docs + 1) / (self.counts[:n] + 1)) + 1.0

    def _idf(self, table: dict[str, int], term: str) -> float:
        return math.log((self.n_docs + 1) / (table.get(term, 0) + 1)) + 1.0

    def row(self, f: Features, view: str) -> tuple[np.ndarray, np.ndarray]:
        """(vocabulary ids, sublinear tf) of one view of an article: text, lead, entities."""
        key = (f.key, view)
        got = self._rows.get(key)
        if got is None:
            if view in ("text", "lead"):
                counts = f.lemmas if view == "text" else f.lead_lemmas
                items = [("l:" + t, c) for t, c in counts.items() if c > 0]
            else:
                items = [("e:" + k, 1) for k in sorted(set(f.entities))]
            ids = np.array([self._id(t) for t, _ in items], dtype=np.int64)
            tf = np.array([1.0 + math.log(c) for _, c in items], dtype=np.float64)
            got = self._rows[key] = (ids, tf)
        return got

    def forget(self, f: Features) -> None:
        for view in VIEWS:
            self._rows.pop((f.key, view), None)

    def counts_vector(self, counts: dict[str, int], prefix: str) -> dict[str, float]:
        """A unit TF-IDF vector of summed counts (a story's profile), as a dict for storage."""
        df, n, log = self.df if prefix == "l" else self.edf, self.n_docs + 1, math.log
        v = {t: (1.0 + log(c)) * (log(n / (df.get(t, 0) + 1)) + 1.0) for t, c in counts.items() if c > 0}  # _idf inlined: the same floats
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {t: x / norm for t, x in v.items()}


VIEWS = ("text", "lead", "entities")


def dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b[t] for t, x in a.items() if t in b)  # the terms in a's order, as with b.get(t, 0.0): the same float


def _cosines(idf: np.ndarray, query: tuple[np.ndarray, np.ndarray], rows: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Cosine of the TF-IDF query with each row, all rows at once."""
    m = len(rows)
    if m == 0 or query[0].size == 0:
        return np.zeros(m)
    lens = np.fromiter((r[0].size for r in rows), dtype=np.int64, count=m)
    ids = np.concatenate([r[0] for r in rows]) if lens.sum() else np.zeros(0, dtype=np.int64)
    tf = np.concatenate([r[1] for r in rows]) if lens.sum() else np.zeros(0)
    seg = np.repeat(np.arange(m), lens)
    w = tf * idf[ids]
    norms = np.sqrt(np.bincount(seg, weights=w * w, minlength=m))
    q = np.zeros(idf.size)
    q[query[0]] = query[1] * idf[query[0]]
    qn = math.sqrt(float(q @ q)) or 1.0
    dots = np.bincount(seg, weights=w * q[ids], minlength=m)
    return np.divide(dots, norms * qn, out=np.zeros(m), where=norms > 0)


def pair_matrix(f: Features, members: list[Features], idf: Idf) -> np.ndarray:
    """The ``PAIR_FEATURES`` of ``f`` against each member (one row each): the same function at
    training (scripts/train_same_event.py) and at inference."""
    m = len(members)
    if m == 0:
        return np.zeros((0, len(PAIR_FEATURES)))
    rows = {view: [idf.row(x, view) for x in members] for view in VIEWS}
    query = {view: idf.row(f, view) for view in VIEWS}
    weights = idf.idf()
    cols = {view: _cosines(weights, query[view], rows[view]) for view in VIEWS}
    vecs = [x.vec for x in members]
    e5 = np.zeros(m)
    if f.vec is not None:
        # a vector of another model (a store built with another stories.embedding_model) is no vector
        have = [k for k, v in enumerate(vecs) if v is not None and v.shape == f.vec.shape]
        if have:
            e5[have] = np.stack([vecs[k] for k in have]) @ f.vec
    out = {"text": cols["text"], "lead": cols["lead"], "entities": cols["entities"], "e5": e5}
    return np.stack([out[name] for name in PAIR_FEATURES], axis=1)


LINK_MEMBERS = 3
SPLIT_MIN_MEMBERS = 4  # a story is checked for a split from this size (the smaller part needs 2 articles)
SPLIT_MIN_PART = 2
TOPIC_MARGIN = 0.1  # a story in a topic moves to another only when it resembles it this much more


def link(probs: np.ndarray) -> float:
    """A story's link to an article: the mean same-event probability of its ``LINK_MEMBERS`` closest
    members (the mean of all splits stories told from several angles; the best alone chains themes
    through one ambiguous article). Chosen among four linkages on the by-topic folds (docs/stories.md)."""
    return float(np.sort(probs)[-LINK_MEMBERS:].mean())


def split_part(probs: np.ndarray, threshold: float) -> list[int] | None:
    """The members that should leave a story, from their pairwise same-event probabilities (a
    symmetric matrix), or None.

    Why: online clustering decides with what it has seen. When two events of one theme begin on
    the same day, one early article may link the first article of each, and from then on both
    events' articles join the merged story through their own event's members: the merge is for
    good, and it depends on the order articles arrive in (docs/benchmarks.md: precision 0.88-0.89
    over eight orders). Once the story has grown, its members say more than the single link that
    merged it: cut it in two by average linkage, and let the smaller part go when its members' link
    to the larger part (the same top-3 link an arriving article is judged by) stays under
    ``threshold``: the two parts would not have joined each other."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    n = len(probs)
    dist = 1.0 - probs
    np.fill_diagonal(dist, 0.0)
    labels = fcluster(linkage(squareform(dist, checks=False), "average"), 2, "maxclust")
    parts = sorted(([i for i in range(n) if labels[i] == k] for k in (1, 2)), key=lambda p: (-len(p), p[0]))
    big, small = parts
    if len(small) < SPLIT_MIN_PART:
        return None
    cross = float(np.mean([link(probs[a, big]) for a in small]))
    return small if cross < threshold else None


def split_due(n: int) -> bool:
    """Whether a story of ``n`` members is checked when an article joins: every time while small, then
    at every eighth of its size, so that the check (n^2 pairs) costs O(n) pairs per article on average."""
    return n >= SPLIT_MIN_MEMBERS and (n <= 16 or n % (n // 8) == 0)


def same_event_model():
    from .learned import load

    return load(SAME_EVENT_MODEL, SAME_EVENT_VERSION, PAIR_FEATURES)


# --------------------------------------------------------------------------- stories


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
    topic: str | None = None
    profile: dict | None = None  # {"text": {lemma: w}, "entities": {key: w}}: the story as its topic sees it
    confidence: float = 1.0  # the link score of the last article that joined (1 for the first)
    merged_into: str | None = None  # the story that took all its members (``Clusterer.merge``)

    def add(self, f: Features) -> None:
        self.members.append(f)
        f.story = self.id
        self.touched = True
        if f.date:
            if self.first_date is None or f.date < self.first_date:
                self.first_date = f.date
            if self.last_date is None or f.date > self.last_date:
                self.last_date = f.date

    def remove(self, leaving: list[Features]) -> None:
        """Members leave for another story (a split or a merge): the dates are those of the members that stay."""
        gone = {id(f) for f in leaving}
        self.members = [m for m in self.members if id(m) not in gone]
        dates = [m.date for m in self.members if m.date]
        self.first_date, self.last_date = (min(dates), max(dates)) if dates else (None, None)
        self.touched = True

    def about(self, idf: Idf, n: int = 4) -> dict:
        """What the story is about: its key entities (weighted by how rare they are), main place, languages."""
        counts: Counter[str] = Counter(k for m in self.members for k in set(m.entities))
        names: dict[str, list[str]] = {}
        for m in self.members:
            for k, v in m.names.items():
                names.setdefault(k, v)
        ranked = sorted(counts, key=lambda k: (-counts[k] * idf._idf(idf.edf, k), k))
        shown, seen_words = [], set()
        for k in ranked:
            label, name = names.get(k, ["", k])
            if label == "LOC" or any(k in s or s in k for s in seen_words):
                continue  # places go apart; "betancourt" is already in "ingrid betancourt"
            shown.append(name)
            seen_words.add(k)
            if len(shown) == n:
                break
        places = [k for k in ranked if names.get(k, [""])[0] == "LOC"]
        return {
            "entities": shown,
            "place": names[places[0]][1] if places else None,
            "languages": sorted({m.language for m in self.members if m.language}),
        }


class Clusterer:
    """Online assignment of articles to stories, and of stories to topics.

    State: the open stories with their members' features, the document frequencies, and the
    profiles of the stories a topic may gather (``topic_profiles``: story id -> (topic id, profile))."""

    def __init__(
        self, config: StoryConfig, stories: list[StoryState], df: dict[str, int], n_docs: int,
        new_id: Callable[[], tuple[str, int]], edf: dict[str, int] | None = None,
        topic_profiles: dict[str, tuple[str, dict]] | None = None, new_topic: Callable[[], str] | None = None,
        model=None,
    ):
        self.config = config
        self.stories = stories
        self.idf = Idf(df, edf or {}, n_docs)
        self.new_id = new_id
        self.new_topic = new_topic
        self.topic_profiles = dict(topic_profiles or {})
        self.closed: list[str] = []
        self.df_added: Counter[str] = Counter()
        self.edf_added: Counter[str] = Counter()
        self.topics_touched: set[str] = set()  # topics that gained or lost a story, or whose story changed
        self.model = model or same_event_model()
        # the thresholds the model was validated with, unless the config sets them
        meta = getattr(self.model, "meta", None) or {}
        self.threshold = config.threshold if config.threshold is not None else meta.get("threshold")
        self.topic_threshold = config.topic_threshold if config.topic_threshold is not None else meta.get("topic_threshold")
        if self.threshold is None or (new_topic is not None and self.topic_threshold is None):
            raise ValueError("no story or topic threshold: neither in the config nor in the model's metadata")
        # a model trained before splits existed has none: its stories are never split
        self.split_threshold = config.split_threshold if config.split_threshold is not None else meta.get("split_threshold", 0.0)
        self.merge_threshold = config.merge_threshold if config.merge_threshold is not None else meta.get("merge_threshold_cv", 0.0)
        self.moved: list[Features] = []  # members that left their story in a split or a merge (the store moves them)

    @classmethod
    def in_memory(cls, config: StoryConfig, model=None, topics: bool = True) -> Clusterer:
        """A clusterer over an empty stream, its ids counted as a fresh store counts them (``s0001``,
        ``t0001``): the replay of scripts/train_same_event.py, and tests comparing it with an ingest."""
        story_n, topic_n = itertools.count(1), itertools.count(1)

        def new_id() -> tuple[str, int]:
            n = next(story_n)
            return f"s{n:04d}", n

        new_topic = (lambda: f"t{next(topic_n):04d}") if topics else None
        return cls(config, [], {}, 0, new_id, model=model, new_topic=new_topic)

    # kept for callers that read the IDF state directly
    @property
    def df(self) -> dict[str, int]:
        return self.idf.df

    @property
    def n_docs(self) -> int:
        return self.idf.n_docs

    def close_stale(self, day: int | None) -> None:
        if day is None:
            return
        for s in self.stories:
            last = day_number(s.last_date)
            if not s.closed and last is not None and day - last > self.config.window_days:
                s.closed = True
                self.closed.append(s.id)

    def link_scores(self, f: Features, candidates: list[StoryState]) -> list[float]:
        """Score of ``f`` against each candidate story: mean and best member probability, averaged,
        minus the gap penalty. One model call for all members of all candidates."""
        members = [m for s in candidates for m in s.members]
        owner = np.repeat(np.arange(len(candidates)), [len(s.members) for s in candidates])
        probs = self.model.proba(pair_matrix(f, members, self.idf)) if members else np.zeros(0)
        probs = self._masked(probs[None, :], [f], members)[0]
        return [self.story_score(f, s, probs[owner == k]) for k, s in enumerate(candidates)]

    def _masked(self, probs: np.ndarray, rows: list[Features], cols: list[Features]) -> np.ndarray:
        """``probs`` (rows x cols) where an article in another language counts only as an unmistakable
        match (the same names, the same event): the one rule of every same-event probability here."""
        other = np.array([[bool(a.language and b.language and a.language != b.language) for b in cols] for a in rows], dtype=bool)
        return np.where(other.reshape(len(rows), len(cols)) & (probs < self.config.cross_language_min), 0.0, probs)

    def story_score(self, f: Features, s: StoryState, probs: np.ndarray) -> float:
        """The link of ``f`` to ``s`` from the same-event probabilities of its members."""
        if probs.size == 0:
            return -1.0
        total = link(probs)
        c = self.config
        day, last = day_number(f.date), day_number(s.last_date)
        if day is not None and last is not None:
            total -= c.gap_penalty * max(0.0, abs(day - last) - c.gap_grace_days) / max(c.window_days, 1e-9)
        return total

    def add(self, f: Features) -> StoryState:
        """Assign ``f`` to its best open story or a new one (deterministic: ties go to the older story)."""
        day = day_number(f.date)
        self.close_stale(day)
        self.idf.add(f)
        self.df_added.update(set(f.lemmas))  # document frequency: one per article, not the term counts
        self.edf_added.update(set(f.entities))
        # an article without a day has no place in stream time: any story may take it
        candidates = [s for s in self.stories if s.members and not (s.closed and day is not None)]
        scores = self.link_scores(f, candidates)
        best, best_score = None, -math.inf
        for s, sc in zip(candidates, scores):
            if sc > best_score + 1e-12:
                best, best_score = s, sc
        # other stories the article links as well as a joining article: perhaps one event begun twice
        rivals = [s for s, sc in zip(candidates, scores) if sc >= self.threshold and s is not best]
        if best is None or best_score < self.threshold:
            sid, seq = self.new_id()
            best = StoryState(id=sid, seq=seq, new=True)
            self.stories.append(best)
        else:
            best.confidence = round(min(1.0, best_score), 3)
        best.add(f)
        best = self.merge(best, rivals)
        self.split(best)
        self.assign_topic(best)
        return best if f.story == best.id else next(s for s in reversed(self.stories) if s.id == f.story)

    def _probs(self, rows: list[Features], cols: list[Features]) -> np.ndarray:
        """Same-event probabilities of each of ``rows`` against each of ``cols``, languages masked as
        for an arriving article."""
        return self._masked(np.stack([self.model.proba(pair_matrix(r, cols, self.idf)) for r in rows]), rows, cols)

    def merge(self, s: StoryState, rivals: list[StoryState]) -> StoryState:
        """Merge into one story ``s`` and each rival whose members link ``s``'s members; returns the
        story that holds the article now.

        Why: the mirror of a split. Two outlets' first articles on one event may arrive worded too
        differently to link, and the event then grows as two stories; a later article that links
        both is the hint. They merge only when the smaller story's members, each judged by the top-3
        link an arriving article is judged by, link the larger one at ``merge_threshold`` on average
        (not through the new article alone). The larger story keeps its id (ties: the older); the
        other is closed and records where its articles went, so its id still leads to them."""
        if self.merge_threshold <= 0:
            return s
        for r in sorted(rivals, key=lambda x: x.seq):
            if not r.members or r is s:
                continue
            keep, gone = sorted((s, r), key=lambda x: (-len(x.members), x.seq))
            cross = float(np.mean([link(p) for p in self._probs(gone.members, keep.members)]))
            if cross < self.merge_threshold:
                continue
            moving = list(gone.members)
            gone.remove(moving)
            for m in moving:
                keep.add(m)
            gone.closed, gone.merged_into = True, keep.id
            self.closed.append(gone.id)
            self.moved += moving
            if gone.topic:
                self.topics_touched.add(gone.topic)
            self.topic_profiles.pop(gone.id, None)
            gone.topic, gone.profile = None, None
            s = keep
        return s

    def split(self, s: StoryState) -> None:
        """Let the members that no longer belong leave ``s`` for a story of their own (``split_part``).
        The larger part keeps the id: a story's id stays with most of its articles."""
        if self.split_threshold <= 0 or not split_due(len(s.members)):
            return
        ms = s.members
        probs = np.zeros((len(ms), len(ms)))
        for i in range(len(ms) - 1):
            probs[i, i + 1:] = self.model.proba(pair_matrix(ms[i], ms[i + 1:], self.idf))
        probs = self._masked(probs + probs.T, ms, ms)  # the pair features are symmetric
        part = split_part(probs, self.split_threshold)
        if part is None:
            return
        leaving = [ms[i] for i in part]
        s.remove(leaving)
        sid, seq = self.new_id()
        t = StoryState(id=sid, seq=seq, new=True, confidence=round(float(probs[np.ix_(part, part)].max()), 3))
        self.stories.append(t)
        for m in leaving:
            t.add(m)
        self.moved += leaving
        self.assign_topic(t)

    # ------------------------------------------------------------------ topics

    def profile(self, s: StoryState) -> dict:
        lemmas: Counter[str] = Counter()
        ents: Counter[str] = Counter()
        for m in s.members:
            lemmas.update(m.lemmas)
            ents.update(set(m.entities))
        text = self.idf.counts_vector(dict(lemmas), "l")
        top = dict(sorted(text.items(), key=lambda kv: (-kv[1], kv[0]))[:200])
        return {"text": {k: round(v, 4) for k, v in top.items()}, "entities": {k: round(v, 4) for k, v in self.idf.counts_vector(dict(ents), "e").items()}}

    @staticmethod
    def topic_similarity(p: dict, q: dict) -> float:
        return 0.5 * dot(p["text"], q["text"]) + 0.5 * dot(p["entities"], q["entities"])

    def assign_topic(self, s: StoryState) -> None:
        """Join the topic of the most similar other story, or keep / open one.

        Topic ids stay put: a story moves only while it is alone in its topic, when it no longer
        resembles its topic, or when another topic resembles it clearly more (``TOPIC_MARGIN``)."""
        if self.new_topic is None:
            return
        s.profile = self.profile(s)
        best: dict[str, float] = {}
        for sid, (tid, prof) in self.topic_profiles.items():
            if sid == s.id or not tid:
                continue
            best[tid] = max(best.get(tid, 0.0), self.topic_similarity(s.profile, prof))
        theta = self.topic_threshold
        alone = s.topic is None or all(t != s.topic for sid, (t, _) in self.topic_profiles.items() if sid != s.id)
        here = best.get(s.topic, 0.0) if s.topic else 0.0
        target = min((t for t in best if t != s.topic), key=lambda t: (-best[t], t), default=None)
        other = best.get(target, 0.0) if target else 0.0
        before = s.topic
        if s.topic is None:
            s.topic = target if other >= theta else self.new_topic()
        elif alone:
            if other >= theta:
                s.topic = target
        elif here < theta:
            s.topic = target if other >= theta else self.new_topic()
        elif other >= here + TOPIC_MARGIN:
            s.topic = target
        self.topics_touched |= {t for t in (before, s.topic) if t}
        self.topic_profiles[s.id] = (s.topic, s.profile)

    # ------------------------------------------------------------------ titles

    def retitle(self, s: StoryState) -> None:
        """Title of the story's most central article (a title some outlet wrote, never invented)."""
        members = s.members
        if not members:
            return
        if len(members) <= 2:
            central = members[0]
        else:
            closeness = [float(pair_matrix(m, [o for o in members if o is not m], self.idf).sum()) for m in members]
            central = members[min(range(len(members)), key=lambda i: (-closeness[i], i))]
        titled = [central] + [m for m in members if m is not central]
        pick = next((m for m in titled if m.title), central)
        s.title = pick.title or pick.lead or pick.id
        s.title_article = pick.id
