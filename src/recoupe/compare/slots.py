"""Contradictions as a learned decision: do two values of two outlets answer the same question?

On real news most values that differ are about different things (killed vs wounded, this year's
loss vs last year's, one bank's figure vs another's); hand rules that decide "same thing measured"
transferred badly from invented text to real articles (docs/compare.md, "Contradictions on real
news"). So the decision is learned (docs/learned.md, "same slot"): every comparable value an outlet
gives (a measurement, a date or a year, a clock time, a place) is a candidate; for two values of
different outlets, ``pair_features`` gives what the former rules computed (the counted noun and the
words governing the value, thresholds, periods, owners of an enumeration, the interval logic of
hedges) plus how alike the two values' contexts are (the claims' embedding and words, the words
around each value with the value masked, shared names, position); a gradient-boosted model trained on
the real-news slot tables (``scripts/train_same_slot.py``) gives the probability that they answer
the same question. Two values of one question whose intervals cannot both hold are a contradiction,
with that probability as its ``confidence``; ``config.compare.slot_threshold`` is chosen on training
topics only.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from ..lang import fr, rules_for
from ..model import AnalysedArticle, Conflict, DateMention, Span, ValueGroup
from .claims import ClaimInfo, canonical, stem
from .conflicts import _is_update
from .places import _same_place, place_governors
from .values import MeasInfo, compatible, interval, midpoint, same_topic

SAME_SLOT_MODEL = "same_slot"
SAME_SLOT_VERSION = 2
KINDS = ["count", "money", "duration", "date", "year", "time", "place", "age", "percentage", "other"]
SLOT_FEATURES = [
    *(f"kind_{k}" for k in KINDS),
    "same_fact", "claim_cos", "claim_words", "claim_entities",
    "window_words", "thing", "action", "counted", "counted_disjoint", "rule_same_thing",
    "threshold", "period_differs", "others_differs", "listed", "owner_disjoint", "of_differs", "holder_same",
    "governor_same", "first_sentence", "lead", "crowd_a", "crowd_b", "quoted", "hedged",
    # version 2: the context of each value with the value cut out (static embeddings), small counts after
    # "les"/"ses", how precisely each date is known and whether the text gave it, how far in the article
    "context_cos", "definite", "date_day", "date_month", "date_weekday", "date_anchored", "sentence_min",
]
WINDOW = 8  # content words either side of a value that describe it
_WEEKDAY = re.compile(r"\b(" + "|".join(fr.WEEKDAYS) + r")\b", re.I)


@dataclass
class Value:
    """One comparable value an outlet gives, in its claim."""

    kind: str  # one of KINDS but "other" for the measurement dimensions not listed
    family: str  # values are compared only within a family: the dimension and unit, "date", "year", "place"
    art: int
    claim: int | None
    start: int  # clean offsets
    end: int
    span: Span
    text: str
    meas: MeasInfo | None = None
    date: DateMention | None = None
    place: tuple | None = None
    window: set[str] = field(default_factory=set)
    sentence: int = 0
    quoted: bool = False
    context: str = ""  # its sentence with the value itself cut out (what the value is said of)
    vec: np.ndarray | None = None  # the context's static embedding (``feature_matrix``)


@dataclass
class State:
    """What the comparison knows when it looks for contradictions (built by ``compare.prepare``)."""

    articles: list[AnalysedArticle]
    infos: list[ClaimInfo]
    meas: list[MeasInfo]
    dates: list[tuple]  # (article index, claim index, DateMention, governing verb)
    cos: np.ndarray
    lemma_j: np.ndarray
    fact_of: list[int]
    fact_centrality: list[float]
    fact_texts: list[str]
    quote_spans: dict[int, list[tuple[int, int]]] = field(default_factory=dict)  # article -> clean ranges inside quote marks
    score: np.ndarray | None = None  # alignment scores of claim pairs (the place rule reads them)
    place_min_score: float = 0.0
    entities: object = None  # the EntityIndex
    definite: list[MeasInfo] = field(default_factory=list)  # small counts after "les", "ses" (the rules skip them)


# --------------------------------------------------------------------------- candidates


def _kind_of_dimension(dim: str) -> str:
    return dim if dim in KINDS else "other"


def _window(article: AnalysedArticle, start: int, end: int, rules) -> set[str]:
    """Content lemmas around a value within its sentence, the value itself masked."""
    toks = article.tokens
    i = next((t.i for t in toks if t.end > start), len(toks))
    if i >= len(toks):
        return set()
    sent = toks[i].sent
    out: set[str] = set()
    for direction in (-1, 1):
        k, n = (i - 1, 0) if direction < 0 else (i, 0)
        while 0 <= k < len(toks) and toks[k].sent == sent and n < WINDOW:
            t = toks[k]
            k += direction
            if start <= t.start < end:
                continue
            if t.pos in ("NOUN", "PROPN", "VERB", "ADJ"):
                out.add(canonical(t.lemma, rules))
                n += 1
    return out


def _context(article: AnalysedArticle, start: int, end: int) -> str:
    text = article.article.text
    sent = next((x for x in article.sentences if x.start <= start < x.end), None)
    lo, hi = (sent.start, sent.end) if sent is not None else (max(0, start - 200), end + 200)
    return (text[lo:start] + " … " + text[end:hi]).strip()


def values_of(st: State) -> list[Value]:
    """Every comparable value of every article: measurements, dates and years, clock times, places."""
    out: list[Value] = []
    # getattr: a State pickled by scripts/train_same_slot.py's cache before version 2 has no ``definite``
    for x in [*st.meas, *getattr(st, "definite", ())]:
        if x.claim is None or x.m.dimension == "year" or interval(x.m) is None:
            continue
        a = st.articles[x.art]
        s, e = a.article.clean_offset(x.m.span.start), a.article.clean_offset(x.m.span.end)
        kind = _kind_of_dimension(x.m.dimension)
        family = x.m.dimension if x.m.dimension == "count" else f"{x.m.dimension}:{x.m.unit}"
        out.append(Value(kind, family, x.art, x.claim, s, e, x.m.span, x.m.text, meas=x, sentence=max(x.m.sentence, 0)))
    for k, c, d, _verb in st.dates:
        if c is None:
            continue
        kind = "year" if (d.precision or "") == "year" else "date"
        a = st.articles[k]
        s, e = a.article.clean_offset(d.span.start), a.article.clean_offset(d.span.end)
        v = Value(kind, kind, k, c, s, e, d.span, d.text, date=d, sentence=max(d.sentence, 0))
        if date_key(v) is not None:
            out.append(v)
    for c, info in enumerate(st.infos):
        a = st.articles[info.art]
        for p in info.places:
            out.append(Value("place", "place", info.art, c, p[2], p[3], a.article.span(p[2], p[3]), p[1], place=p,
                             sentence=a.tokens[info.tok_start].sent if a.tokens else 0))
    for v in out:
        a = st.articles[v.art]
        v.window = _window(a, v.start, v.end, rules_for(a.language))
        v.context = _context(a, v.start, v.end)
        v.quoted = any(lo <= v.start < hi for lo, hi in st.quote_spans.get(v.art, ()))
    return out


def candidate_pairs(values: list[Value], st: State) -> list[tuple[int, int]]:
    """Values of one family given by two different outlets."""
    out = []
    by_family: dict[str, list[int]] = {}
    for i, v in enumerate(values):
        by_family.setdefault(v.family, []).append(i)
    for members in by_family.values():
        for x, i in enumerate(members):
            for j in members[x + 1:]:
                a, b = values[i], values[j]
                if a.art != b.art and st.articles[a.art].outlet != st.articles[b.art].outlet:
                    out.append((i, j))
    return out


# --------------------------------------------------------------------------- values agree?


_MONTH_WORDS = "|".join(sorted(fr.MONTHS, key=len, reverse=True))
_DAY_MONTH = re.compile(r"\b(1er|[0-3]?\d)\s*(" + _MONTH_WORDS + r")\b", re.I)
_MONTH = re.compile(r"\b(" + _MONTH_WORDS + r")\b", re.I)


def date_key(v: Value) -> tuple | None:
    """What a date value says at the precision the text allows: ("iso", first, last) when resolved,
    ("md", month, day) for a day and month without a year (articles often carry no year), ("m", month)
    for a month alone ("en août", "fin décembre": RPM2 articles carry no publication date to give it
    a year), ("wd", weekday) for a weekday nobody anchored."""
    d = v.date
    if d is None:
        return None
    if d.date:
        return ("iso", d.date[:10], (d.end or d.date)[:10])
    m = _DAY_MONTH.search(v.text)
    if m:
        return ("md", fr.MONTHS[m.group(2).lower()], 1 if m.group(1).lower() == "1er" else int(m.group(1)))
    if d.precision == "month":
        mo = _MONTH.search(v.text)
        if mo:
            return ("m", fr.MONTHS[mo.group(1).lower()])
    w = _WEEKDAY.search(v.text)
    return ("wd", fr.WEEKDAYS[w.group(1).lower()]) if w else None


def _dates_agree(ka: tuple, kb: tuple) -> bool:
    if ka[0] == "iso" and kb[0] == "iso":
        n = min(len(ka[1]), len(kb[1]))  # a month holds its days, a year its months
        return not (ka[2][:n] < kb[1][:n] or kb[2][:n] < ka[1][:n])
    if ka[0] == kb[0]:
        return ka[1:] == kb[1:]
    if kb[0] == "iso":
        ka, kb = kb, ka
    if kb[0] == "m" and ka[0] in ("iso", "md"):  # a month against a day or a month of that month
        ka, kb = kb, ka
    if ka[0] == "m":
        if kb[0] == "md":
            return ka[1] == kb[1]
        if kb[0] == "iso" and len(kb[1]) >= 7 and kb[1][:7] == kb[2][:7]:
            return int(kb[1][5:7]) == ka[1]
        return True
    if ka[0] == "iso" and len(ka[1]) >= 10 and ka[1] == ka[2]:
        if kb[0] == "md":
            return (int(ka[1][5:7]), int(ka[1][8:10])) == kb[1:]
        if kb[0] == "wd":
            return _iso_weekday(ka[1]) == kb[1]
    return True  # a weekday against a day of unknown year, or a month against a day: nothing to oppose


def compatible_values(a: Value, b: Value) -> bool:
    """Can both values be true of one thing at one moment (hedges as intervals, dates at their precision)?"""
    if a.meas is not None and b.meas is not None:
        return compatible(a.meas.m, b.meas.m)
    if a.place is not None and b.place is not None:
        return _same_place(a.place, b.place)
    if a.date is not None and b.date is not None:
        ka, kb = date_key(a), date_key(b)
        return ka is None or kb is None or _dates_agree(ka, kb)
    return True


def _iso_weekday(iso: str) -> int | None:
    from datetime import date

    try:
        return date.fromisoformat(iso[:10]).weekday()
    except ValueError:
        return None


# --------------------------------------------------------------------------- features


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def pair_features(st: State, a: Value, b: Value, crowd: dict[tuple[int, str], int]) -> list[float]:
    """The ``SLOT_FEATURES`` of two values: the same function at training and at inference."""
    f: dict[str, float] = {f"kind_{k}": float(a.kind == k) for k in KINDS}
    ok = compatible_values(a, b)
    f["compatible"] = float(ok)
    ratio = 0.0
    if a.meas is not None and b.meas is not None:
        ma, mb = abs(midpoint(a.meas.m)), abs(midpoint(b.meas.m))
        if ma > 0 and mb > 0 and math.isfinite(ma) and math.isfinite(mb):
            ratio = min(abs(math.log(ma / mb)), 10.0)
    f["log_ratio"] = ratio
    f["same_text"] = float(re.sub(r"\W+", " ", a.text.lower()).strip() == re.sub(r"\W+", " ", b.text.lower()).strip())
    ca, cb = a.claim, b.claim
    f["same_fact"] = float(ca is not None and cb is not None and st.fact_of[ca] == st.fact_of[cb])
    f["claim_cos"] = float(st.cos[ca, cb]) if ca is not None and cb is not None else 0.0
    f["claim_words"] = float(st.lemma_j[ca, cb]) if ca is not None and cb is not None else 0.0
    f["claim_entities"] = _jaccard(st.infos[ca].entities, st.infos[cb].entities) if ca is not None and cb is not None else 0.0
    f["window_words"] = _jaccard(a.window, b.window)
    x, y = a.meas, b.meas
    if x is not None and y is not None:
        f["thing"] = _jaccard(x.thing, y.thing)
        f["action"] = _jaccard(x.action, y.action)
        f["counted"] = _jaccard(x.counted, y.counted)
        f["counted_disjoint"] = float(bool(x.counted and y.counted and not x.counted & y.counted))
        try:
            f["rule_same_thing"] = float(same_topic(x, y, bool(f["same_fact"]), f["claim_cos"], True))
        except Exception:  # a rule that trips on an odd parse gives no evidence
            f["rule_same_thing"] = 0.0
        f["threshold"] = float(x.threshold or y.threshold)
        f["period_differs"] = float(x.period != y.period)
        f["others_differs"] = float(x.others != y.others)
        f["listed"] = float(x.listed or y.listed)
        f["owner_disjoint"] = float(bool(x.owner and y.owner and not x.owner & y.owner))
        f["of_differs"] = float(bool(x.of and y.of and x.of != y.of))
        f["holder_same"] = float(bool(x.holder and x.holder == y.holder))
        f["hedged"] = float(bool(x.m.hedge) + bool(y.m.hedge))
    if a.place is not None and b.place is not None:
        ga = place_governors(st.articles[a.art], a.start)
        gb = place_governors(st.articles[b.art], b.start)
        f["governor_same"] = _jaccard(ga, gb)
    elif a.date is not None and b.date is not None:
        va = next((v for k, c, d, v in st.dates if d is a.date), "")
        vb = next((v for k, c, d, v in st.dates if d is b.date), "")
        f["governor_same"] = float(bool(va) and va == vb)
    else:
        f["governor_same"] = f.get("action", 0.0)
    f["context_cos"] = float(a.vec @ b.vec) if a.vec is not None and b.vec is not None else 0.0
    f["definite"] = float(bool(x is not None and x.m.definite)) + float(bool(y is not None and y.m.definite))
    if a.date is not None and b.date is not None:
        keys = [date_key(a), date_key(b)]
        f["date_day"] = float(all(k is not None and (k[0] == "md" or (k[0] == "iso" and len(k[1]) >= 10)) for k in keys))
        f["date_month"] = float(any(k is not None and (k[0] == "m" or (k[0] == "iso" and len(k[1]) == 7)) for k in keys))
        f["date_weekday"] = float(any(k is not None and k[0] == "wd" for k in keys))
        f["date_anchored"] = float(bool(a.date.resolved_by == "explicit") + bool(b.date.resolved_by == "explicit"))
    f["sentence_min"] = math.log1p(min(a.sentence, b.sentence))
    f["first_sentence"] = float(min(a.sentence, b.sentence) == 0)
    f["lead"] = float(a.sentence < 3 and b.sentence < 3)
    f["crowd_a"] = math.log1p(crowd.get((a.art, a.family), 1))
    f["crowd_b"] = math.log1p(crowd.get((b.art, b.family), 1))
    f["quoted"] = float(a.quoted) + float(b.quoted)
    return [float(f.get(name, 0.0)) for name in SLOT_FEATURES]


def feature_matrix(st: State, values: list[Value], pairs: list[tuple[int, int]]) -> np.ndarray:
    crowd: dict[tuple[int, str], int] = {}
    for v in values:
        crowd[(v.art, v.family)] = crowd.get((v.art, v.family), 0) + 1
    if not pairs:
        return np.zeros((0, len(SLOT_FEATURES)))
    _embed_contexts(values)
    return np.array([pair_features(st, values[i], values[j], crowd) for i, j in pairs])


def _embed_contexts(values: list[Value]) -> None:
    """Unit static vectors of the values' contexts (the distilled model: fast, no e5 pass)."""
    from ..embed import embed_passages

    todo = [v for v in values if v.vec is None]
    if not todo:
        return
    vecs = np.asarray(embed_passages([v.context or "…" for v in todo], "static"), dtype=np.float32)
    vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-9)
    for v, x in zip(todo, vecs):
        v.vec = x


def same_slot_model():
    from ..learned import load

    return load(SAME_SLOT_MODEL, SAME_SLOT_VERSION, SLOT_FEATURES)


# --------------------------------------------------------------------------- conflicts


def slot_conflicts(st: State, threshold: float, model=None, assignment: str = "") -> list[Conflict]:
    """Contradictions (and updates) between outlets: values of one question that cannot both hold."""
    values = values_of(st)
    pairs = candidate_pairs(values, st)
    if not pairs:
        return []
    model = model or same_slot_model()
    probs = model.proba(feature_matrix(st, values, pairs))
    return conflicts_from(st, values, pairs, probs, threshold, assignment)


ASSIGNMENTS = ("", "agree", "mutual")


def assigned(values: list[Value], pairs: list[tuple[int, int]], probs: np.ndarray, mode: str,
             compat: list[bool] | None = None) -> np.ndarray:
    """One slot per article: the probabilities a seed may use once each value is paired with its best
    match in the other article. An article rarely gives two values for one question, so a value that
    the other article matches at least as well with an equal value is answered there, and a differing
    value of that article is about something else ("agree"); "mutual" keeps a pair only when each
    value is the other's best match in its article (the value-to-value assignment of two articles).
    ``compat``: whether each pair's values can both hold, when the caller has it already."""
    if mode not in ASSIGNMENTS:
        raise ValueError(f"compare.slot_assignment must be one of {ASSIGNMENTS}, not {mode!r}")
    probs = np.asarray(probs, dtype=float)
    if not mode or not len(pairs):
        return probs
    if compat is None:
        compat = [compatible_values(values[i], values[j]) for i, j in pairs]
    best: dict[tuple[int, int], float] = {}
    for (i, j), p, ok in zip(pairs, probs, compat):
        if mode == "mutual" or ok:
            for x, y in ((i, j), (j, i)):
                key = (x, values[y].art)
                best[key] = max(best.get(key, -1.0), float(p))
    out = probs.copy()
    for k, ((i, j), p, ok) in enumerate(zip(pairs, probs, compat)):
        if mode == "mutual":
            keep = p >= best[(i, values[j].art)] - 1e-12 and p >= best[(j, values[i].art)] - 1e-12
        else:
            keep = ok or max(best.get((i, values[j].art), -1.0), best.get((j, values[i].art), -1.0)) < p
        if not keep:
            out[k] = 0.0
    return out


def conflicts_from(st: State, values: list[Value], pairs: list[tuple[int, int]], probs: np.ndarray, threshold: float,
                   assignment: str = "") -> list[Conflict]:
    """Seeds are value pairs of one question (p >= threshold) whose values cannot both hold, strongest
    first (after the one-slot-per-article ``assigned`` step when ``assignment`` names one); each takes
    the values of other outlets that answer the same question as one of its two values and agree with
    it (the outlets on each side); a value belongs to one conflict."""
    same: dict[tuple[int, int], float] = {}
    for (i, j), p in zip(pairs, probs):
        same[(i, j)] = same[(j, i)] = float(p)
    compat = [compatible_values(values[i], values[j]) for i, j in pairs]
    seeding = assigned(values, pairs, probs, assignment, compat)
    seeds = sorted(((p, i, j) for (i, j), p, ok in zip(pairs, seeding, compat) if p >= threshold and not ok), reverse=True)
    used: set[int] = set()
    out: list[Conflict] = []
    toll = {stem(w) for w in getattr(rules_for(st.articles[0].language if st.articles else "fr"), "TOLL_LEMMAS", set())}
    cues = getattr(rules_for(st.articles[0].language if st.articles else "fr"), "UPDATE_CUES", None)
    for p, i, j in seeds:
        if i in used or j in used:
            continue
        sides = [[i], [j]]
        for side in sides:
            anchor = side[0]
            for k in range(len(values)):
                if k in used or k in (i, j) or same.get((anchor, k), 0.0) < threshold:
                    continue
                if compatible_values(values[anchor], values[k]) and not compatible_values(values[k], values[j if anchor == i else i]):
                    side.append(k)
        members = sides[0] + sides[1]
        used.update(members)
        out.append(_conflict(st, values, sides, float(p), toll, cues))
    return out


def _conflict(st: State, values: list[Value], sides: list[list[int]], confidence: float, toll, cues) -> Conflict:
    groups = []
    for side in sides:
        outlets: list[str] = []
        for k in side:
            o = st.articles[values[k].art].outlet
            if o not in outlets:
                outlets.append(o)
        first = values[side[0]]
        low = high = None
        if first.meas is not None:
            low, high = first.meas.m.low, first.meas.m.high
        value = first.date.date if first.date is not None and first.date.date else first.text
        groups.append(ValueGroup(value=value, outlets=outlets, spans=[values[k].span for k in side], low=low, high=high))
    a, b = values[sides[0][0]], values[sides[1][0]]
    update = False
    if a.meas is not None and b.meas is not None:
        update = _is_update(a.meas, b.meas, st.articles, st.infos, toll, cues) is True
    facts = {st.fact_of[values[k].claim] for side in sides for k in side if values[k].claim is not None}
    topic = next((values[k].meas.m.measures for side in sides for k in side if values[k].meas is not None and values[k].meas.m.measures), None)
    if not topic and facts:
        topic = st.fact_texts[max(facts, key=lambda f: st.fact_centrality[f])]
    centrality = len({o for g in groups for o in g.outlets}) + (max(st.fact_centrality[f] for f in facts) if facts else 0.0)
    return Conflict(
        topic=topic or a.text,
        kind=a.kind if a.kind != "other" else (a.meas.m.dimension if a.meas is not None else a.kind),
        groups=groups,
        update_over_time=update,
        centrality=centrality,
        confidence=round(confidence, 3),
        note="valeur mise à jour entre deux dates de publication" if update else None,
    )
