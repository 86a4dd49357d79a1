"""The same quote across outlets (verbatim, truncated or re-worded) and conflicting attributions."""

from __future__ import annotations

import functools
import re
import unicodedata
from itertools import combinations

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq

from ..config import CompareConfig
from ..model import Conflict, Quote, QuoteVariant, SharedQuote, ValueGroup

MIN_WORDS = 4  # shorter quoted bits ('tremplin', 'voisin et ami') are terms, matched only verbatim
PARTIAL_MIN = 92  # rapidfuzz partial_ratio for a truncated quote
TOKEN_SET_MIN = 85  # rapidfuzz token_set_ratio for a re-ordered or lightly edited quote
EMBED_MIN = 0.93  # cosine for a re-worded or translated quote (with some shared words)
SAME_LENGTH_MIN = 0.6  # words of the shorter / the longer, for the token-set rule


@functools.lru_cache(maxsize=8192)  # a quote meets every other quote of the story: normalised once
def normalise(text: str) -> str:
    t = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'").lower()
    t = re.sub(r"[«»“”\"\u202f\u00a0]", " ", t)
    t = re.sub(r"[^\w' ]+", " ", t)
    return re.sub(r"\s+", " ", t).strip()


def same_quote(a: str, b: str, cos: float) -> bool:
    na, nb = normalise(a), normalise(b)
    if not na or not nb:
        return False
    return _rules_match(na, nb, cos, lambda: fuzz.token_set_ratio(na, nb), lambda: fuzz.partial_ratio(na, nb))


def _rules_match(na: str, nb: str, cos: float, token_set, partial) -> bool:
    """The hand rules on two normalised quotes; ``token_set`` and ``partial`` are called only when a
    rule needs them (the learned features pass the ratios they already computed)."""
    if na == nb:
        return True
    short, long_ = sorted((len(na.split()), len(nb.split())))
    if short < MIN_WORDS:
        return False
    # re-ordered or lightly edited: of about the same length (a short quote whose words all occur in
    # a long one, "Les banques françaises sont solides", is another statement)
    if token_set() >= TOKEN_SET_MIN and short / long_ >= SAME_LENGTH_MIN:
        return True
    if partial() >= PARTIAL_MIN and min(len(na), len(nb)) >= 20:
        return True
    return cos >= EMBED_MIN and token_set() >= 50


def needs_cosine(a: str, b: str) -> bool:
    """True when ``same_quote(a, b, cos)`` depends on ``cos``: only then are the quotes embedded."""
    return not same_quote(a, b, -1.0) and same_quote(a, b, 1.0)


def quotes_to_embed(quotes: list[Quote]) -> list[int]:
    """Indexes of the quotes that meet a quote of another article whose match by the rules needs the
    cosine (re-worded, with some shared words); every other pair is decided by the text alone. The
    learned matcher reads the same cosines (0 for the others), so it embeds nothing more."""
    keep: set[int] = set()
    for i, j in _rule_pairs(quotes):
        if needs_cosine(quotes[i].text, quotes[j].text):
            keep.update((i, j))
    return sorted(keep)


def _rule_pairs(quotes: list[Quote]):
    """Pairs (i < j) of quotes of two articles that the hand rules compare (``rule_eligible``)."""
    eligible = [k for k, q in enumerate(quotes) if rule_eligible(q)]
    for x, i in enumerate(eligible):
        for j in eligible[x + 1 :]:
            if quotes[i].span.article != quotes[j].span.article:
                yield i, j


# --------------------------------------------------------------------------- learned matching

SAME_QUOTE_MODEL = "same_quote"
SAME_QUOTE_VERSION = 1
QUOTE_FEATURES = [
    "same_text", "contained", "token_set", "partial", "ratio", "token_sort", "ordered_words", "content_overlap",
    "words_short", "words_long", "length_ratio", "cosine", "embedded", "both_terms", "one_term",
    "both_indirect", "one_indirect", "rules", "same_speaker", "other_speaker", "speakerless",
]
CANDIDATE_MIN = 40  # token-set ratio under which two quotes share too little to be one (no annotated RPM2 pair found by the extraction is under it)


def rule_eligible(q: Quote) -> bool:
    """The quotes the hand rules compare: indirect speech and quoted terms under MIN_WORDS words are left out."""
    return not (q.kind == "indirect" or (q.kind == "term" and len(q.text.split()) < MIN_WORDS))


def _content(words: list[str]) -> set[str]:
    return {w for w in words if len(w) >= 4}


def pair_features(a: Quote, b: Quote, cos: float, embedded: bool) -> list[float]:
    """What the rules look at (edits, truncation, re-ordering, the cosine of re-worded quotes), the
    quotes' lengths and kinds, the rules' own answer and whether the two have one speaker, for one
    pair of quotes of two articles (``QUOTE_FEATURES``, in that order)."""
    na, nb = normalise(a.text), normalise(b.text)
    wa, wb = na.split(), nb.split()
    short, long_ = sorted((len(wa), len(wb)))
    ca, cb = _content(wa), _content(wb)
    kinds = (a.kind, b.kind)
    inner, outer = sorted((na, nb), key=len)
    token_set, partial = fuzz.token_set_ratio(na, nb), fuzz.partial_ratio(na, nb)
    cos = cos if embedded else 0.0
    rules = bool(na and nb) and rule_eligible(a) and rule_eligible(b) and _rules_match(na, nb, cos, lambda: token_set, lambda: partial)
    return [
        float(na == nb),
        float(f" {inner} " in f" {outer} "),
        token_set / 100,
        partial / 100,
        fuzz.ratio(na, nb) / 100,
        fuzz.token_sort_ratio(na, nb) / 100,
        LCSseq.similarity(wa, wb) / max(1, short),
        len(ca & cb) / max(1, min(len(ca), len(cb))),
        float(np.log1p(short)),
        float(np.log1p(long_)),
        short / max(1, long_),
        cos,
        float(embedded),
        float(kinds == ("term", "term")),
        float("term" in kinds),
        float(kinds == ("indirect", "indirect")),
        float("indirect" in kinds),
        float(rules),
        *_speaker_agreement(a.speaker, b.speaker),
    ]


def _speaker_agreement(a: str | None, b: str | None) -> tuple[float, float, float]:
    """(same speaker, two different speakers, how many of the two have none): a term quoted by two
    outlets is one speaker's word when both give it to one person, a scare quote when neither does."""
    if not a or not b:
        return 0.0, 0.0, float((not a) + (not b))
    na, nb = normalise(a), normalise(b)
    same = na == nb or (bool(named(a)) and bool(named(b)) and same_person(a, b))
    return float(same), float(not same), 0.0


def candidate_pairs(quotes: list[Quote]) -> list[tuple[int, int]]:
    """Pairs of quotes of two articles that share some words (a cheap filter before the features)."""
    norm = [normalise(q.text) for q in quotes]
    out = []
    for i in range(len(quotes)):
        for j in range(i + 1, len(quotes)):
            if quotes[i].span.article != quotes[j].span.article and norm[i] and norm[j] and fuzz.token_set_ratio(norm[i], norm[j]) >= CANDIDATE_MIN:
                out.append((i, j))
    return out


NAME = re.compile(r"^(?:M\.|Mme|Mgr)?\s*[A-ZÀ-Þ][\w'’-]+(?:\s+(?:de |d'|le |Le )?[A-ZÀ-Þ][\w'’-]+)+$")


def named(speaker: str | None) -> str | None:
    """A speaker that is a person's full name ('Dmitri Peskov'); descriptions ('le président russe')
    cannot contradict a name, so they are not compared."""
    if speaker and NAME.match(speaker.strip()):
        return speaker.strip()
    return None


def same_person(a: str | None, b: str | None) -> bool:
    """'Peskov' and 'Dmitri Peskov' are one person; 'Pierre Le Goff' and 'Jean-Marc Le Goff' are not."""
    if not a or not b:
        return True
    wa, wb = set(normalise(a).split()) - {"m", "mme"}, set(normalise(b).split()) - {"m", "mme"}
    return wa <= wb or wb <= wa


_SENTENCE_BREAK = re.compile(r"[.!?…][»\"”)]?\s+[«\"“]?[A-ZÀ-ÖØ-Þ]|\n")


def named_at_quote(q: Quote, texts: dict[str, str] | None = None) -> bool:
    """The speaker is named where the quote is attributed ('a déclaré Jean-Luc Romero', 'Jean-Luc
    Romero ne mâche pas ses mots : « ... »') or in the sentence right before, not resolved from a
    description ('le rapporteur lui-même') or from a name further back ('« ... », a-t-il déclaré'
    two sentences after the name): only such attributions can contradict each other. Without the
    speaker's span (hand-built quotes) the attribution is kept."""
    name = named(q.speaker)
    if not name:
        return False
    if q.speaker_span is None:
        return True
    surname = normalise(name).split()[-1] if normalise(name) else ""
    if not surname or surname not in normalise(q.speaker_span.text).split():
        return False
    text = (texts or {}).get(q.span.article)
    if text is not None and q.speaker_span.article == q.span.article:
        a, b = sorted((q.speaker_span.end, q.span.start)) if q.speaker_span.end <= q.span.start else sorted((q.span.end, q.speaker_span.start))
        breaks = len(_SENTENCE_BREAK.findall(text[a : b + 2]))  # + the quote's first letter
        # the speaker named in the sentence right before ('Dmitri Peskov a préféré botter en touche.
        # « ... », a-t-il assuré') is reliable; further back, other people may have come between
        if breaks > (1 if q.speaker_span.end <= q.span.start else 0):
            return False
    return True


def groups_of(
    n: int, links: list[tuple[int, int]], probs: dict[tuple[int, int], float] | None = None, threshold: float = 0.0
) -> list[list[int]]:
    """Groups of ``n`` quotes joined by ``links``, each in quote order, in the order of their first quote.

    Without ``probs`` the groups are connected (the rules' matches are sure enough to chain). With the
    learned probabilities, links are taken strongest first and two groups join only when their quotes
    match on average at ``threshold`` (pairs that are no candidate count 0): a long quote that holds two fragments
    quoted by two other outlets does not make the fragments one quote (average linkage)."""
    members = {i: [i] for i in range(n)}
    group = list(range(n))
    order = links if probs is None else sorted(links, key=lambda p: -probs[p])
    for i, j in order:
        a, b = group[i], group[j]
        if a == b:
            continue
        if probs is not None and len(members[a]) * len(members[b]) > 1:
            cross = [probs.get((min(x, y), max(x, y)), 0.0) for x in members[a] for y in members[b]]
            if sum(cross) / len(cross) < threshold:
                continue
        for x in members[b]:
            group[x] = a
        members[a].extend(members.pop(b))
    out = [sorted(m) for m in members.values()]
    return sorted(out, key=lambda m: m[0])


def rule_links(quotes: list[Quote], vecs: np.ndarray) -> list[tuple[int, int]]:
    """The pairs the hand rules match (``same_quote``), among the quotes they compare."""
    return [(i, j) for i, j in _rule_pairs(quotes) if same_quote(quotes[i].text, quotes[j].text, float(vecs[i] @ vecs[j]) if len(vecs) else 0.0)]


def candidate_features(quotes: list[Quote], vecs: np.ndarray) -> tuple[list[tuple[int, int]], np.ndarray]:
    """The candidate pairs and their ``QUOTE_FEATURES`` rows: the same at training
    (scripts/train_same_quote.py) and at inference. A zero row of ``vecs`` is a quote not embedded."""
    pairs = candidate_pairs(quotes)
    embedded = np.abs(vecs).sum(axis=1) > 0 if len(vecs) else np.zeros(len(quotes), dtype=bool)
    rows = [pair_features(quotes[i], quotes[j], float(vecs[i] @ vecs[j]) if embedded[i] and embedded[j] else 0.0, bool(embedded[i] and embedded[j]))
            for i, j in pairs]
    return pairs, np.array(rows, dtype=float).reshape(-1, len(QUOTE_FEATURES))


def same_quote_model():
    from ..learned import load

    return load(SAME_QUOTE_MODEL, SAME_QUOTE_VERSION, QUOTE_FEATURES)


def learned_links(quotes: list[Quote], vecs: np.ndarray, threshold: float) -> tuple[list[tuple[int, int]], dict[tuple[int, int], float]]:
    """The candidate pairs whose same-quote probability reaches ``threshold``, and every candidate's probability."""
    pairs, rows = candidate_features(quotes, vecs)
    if not pairs:
        return [], {}
    probs = same_quote_model().proba(rows)
    return [p for p, v in zip(pairs, probs) if v >= threshold], {p: float(v) for p, v in zip(pairs, probs)}


def _people(names: list[str]) -> list[str]:
    """The different people among full names, in order ("Peskov" after "Dmitri Peskov" is no one new)."""
    out: list[str] = []
    for s in names:
        if not any(same_person(s, d) for d in out):
            out.append(s)
    return out


def _sure_attribution(q: Quote, texts: dict[str, str] | None, min_confidence: float) -> bool:
    """An attribution that can contradict another: a direct quote (not a shared term, often a
    document's wording, nor indirect speech, re-worded by each outlet) whose speaker is named at the
    quote and, when the speaker ranker chose it, more likely right than not (``min_confidence``): on
    real news most conflicting attributions were the extraction's speaker errors."""
    if q.kind != "direct" or not named_at_quote(q, texts):
        return False
    return q.speaker_confidence is None or q.speaker_confidence >= min_confidence


def _bottleneck(idx: list[int], probs: dict[tuple[int, int], float]) -> float:
    """The weakest link of the strongest chain joining a group's quotes (a maximum spanning tree's
    smallest edge): how sure the grouping is that all of them are one quote. ``idx`` in quote order,
    as ``groups_of`` gives it, so its pairs are the keys of ``probs``."""
    inside = sorted(((probs[p], p) for p in combinations(idx, 2) if p in probs), reverse=True)
    group = {i: i for i in idx}
    weakest, joined = 1.0, 1
    for v, (i, j) in inside:
        a, b = group[i], group[j]
        if a != b:
            for k, g in group.items():
                if g == b:
                    group[k] = a
            weakest, joined = min(weakest, v), joined + 1
            if joined == len(idx):
                break
    return round(weakest, 3)


def shared_quotes(
    quotes: list[Quote], vecs: np.ndarray, texts: dict[str, str] | None = None, threshold: float | None = None,
    min_confidence: float = CompareConfig.model_fields["attribution_min_confidence"].default,
) -> tuple[list[SharedQuote], list[Conflict], list[list[int]]]:
    """Groups of matching quotes carried by >= 2 outlets, and the groups whose speakers disagree.

    ``threshold``: None matches by the hand rules (direct quotes and terms of 4 words or more), a
    probability matches every quote by the learned model (``compare.quote_matching``), and each
    group then carries the weakest probability that holds it together as its ``confidence``.
    ``min_confidence``: the speaker ranker's probability both sides of an attribution conflict need.
    ``vecs`` rows may be zero for quotes that ``quotes_to_embed`` left out (cosine 0)."""
    n = len(quotes)
    if threshold is None:
        links, probs = rule_links(quotes, vecs), {}
    else:
        links, probs = learned_links(quotes, vecs, threshold)
    shared, conflicts, members = [], [], []
    for idx in groups_of(n, links, probs or None, threshold or 0.0):
        outlets = {quotes[i].outlet for i in idx}
        if len(outlets) < 2:
            continue
        speakers = [named(quotes[i].speaker) for i in idx if named(quotes[i].speaker)]
        # attributions that can clash: direct quotes whose speaker is named at the quote and sure
        sure = [i for i in idx if _sure_attribution(quotes[i], texts, min_confidence)]
        explicit = [named(quotes[i].speaker) for i in sure]
        variants: dict[str, QuoteVariant] = {}
        for i in sorted(idx, key=lambda k: -len(quotes[k].text)):
            q = quotes[i]
            key = normalise(q.text)
            v = variants.setdefault(key, QuoteVariant(text=q.text, outlets=[], spans=[]))
            if q.outlet not in v.outlets:
                v.outlets.append(q.outlet)
            v.spans.append(q.span)
        distinct = _people(speakers)
        if not distinct:  # no full name: keep a description when all agree
            descs = {quotes[i].speaker for i in idx if quotes[i].speaker}
            speaker = descs.pop() if len(descs) == 1 else None
        else:
            speaker = max(distinct, key=len) if len(distinct) == 1 else None
        shared.append(SharedQuote(speaker=speaker, variants=list(variants.values()), confidence=_bottleneck(idx, probs) if probs else None))
        members.append(idx)
        named_distinct = _people(explicit)
        if len(named_distinct) > 1:
            by_speaker: dict[str, ValueGroup] = {}
            for i in sure:
                q = quotes[i]
                name = next(d for d in named_distinct if same_person(named(q.speaker), d))
                g = by_speaker.setdefault(name, ValueGroup(value=name, outlets=[], spans=[]))
                if q.outlet not in g.outlets:
                    g.outlets.append(q.outlet)
                g.spans.append(q.span)
            if len({o for g in by_speaker.values() for o in g.outlets}) >= 2:
                text = max((quotes[i].text for i in idx), key=len)
                conflicts.append(
                    Conflict(
                        topic=f"auteur de la citation « {text} »",
                        kind="attribution",
                        groups=list(by_speaker.values()),
                        centrality=float(len(outlets)),
                    )
                )
    return shared, conflicts, members
