"""Who said it, as a learned choice among candidates (docs/learned.md, "speaker").

Fifteen rounds of hand rules took invented articles to 0.80 speaker accuracy and left real news
near 0.58: the rules pick one answer and cannot weigh it against the others. Here the rules' answer
becomes one candidate among the people and organisations named around the quote (the sentences
before and after it), the speakers the rules gave the article's other quotes, the people and
organisations the article names most, and the last person named before the window; each candidate
gets features (is it the rules' pick and by which cue, is that pick a bare description, how far and
on which side of the quote, is it the subject of a verb of saying or the object of "selon", what
the NER calls it, how often the article names and quotes it, whether the quote's own sentence has a
verb of saying), a gradient-boosted model trained on annotated real quotes
(``scripts/train_speaker.py``) scores them, and the best one speaks when it scores above
``config.extract.speaker_threshold`` (otherwise the quote keeps no speaker) and, when the rules
named someone else, beats the rules' pick by ``config.extract.speaker_margin`` (both chosen on the
training topics).
"""

from __future__ import annotations

import math
from bisect import bisect_left
from dataclasses import dataclass, field

import numpy as np

from ...lang import fr
from ...model import AnalysedArticle, EntityIndex, Quote
from .resolve import normalise_name

SPEAKER_MODEL = "speaker"
SPEAKER_VERSION = 2
WINDOW_BEFORE = 2  # sentences before the quote's own where a speaker may be named
WINDOW_AFTER = 1
FAR_BEFORE = 8  # sentences before the window where the last person named is still a candidate
TOP_NAMED = 2  # the article's most named people and organisations are candidates of every quote
RECENT_SPEAKERS = 3  # the distinct speakers the rules gave the quotes before, most recent first
CUES = ["incise", "verb", "source", "continuation", "colon", "other", "none"]
LABELS = ["PER", "ORG", "LOC", "MISC"]
SPEAKER_FEATURES = [
    "rule_pick", *(f"cue_{c}" for c in CUES), *(f"label_{x}" for x in LABELS), "linked",
    "sentence_gap", "after_quote", "same_sentence", "same_paragraph", "chars_log",
    "speech_subject", "source_object", "subject", "in_title", "mentions_log", "first_person_named",
    "previous_speaker", "kind_direct", "kind_indirect", "kind_term", "candidates_log", "rank_by_distance",
    # v2: the quote, the rules' answer, the article's other quotes, candidates from outside the window
    "quote_words_log", "rule_none", "rule_description", "sentence_speech_verb", "paragraph_gap",
    "rank_same_label", "last_person_before", "quoted_log", "quoted_in_paragraph", "next_speaker",
    "in_lead", "name_words", "fragment_of_rule_pick", "mention_in_quote", "outside_window", "beside_rule_pick", "subject_phrase",
]
_SOURCE_PREPS = {"selon", "pour", "d'après", "d’après"}


@dataclass
class Candidate:
    """One answer to "who said it": an entity (or a name) with the evidence around the quote."""

    key: str  # entity id, or the normalised name
    name: str
    entity: str | None = None
    label: str = ""
    rule_pick: bool = False
    mentions: list[tuple[int, int, int]] = field(default_factory=list)  # (clean start, clean end, token index)
    previous: bool = False
    in_title: bool = False
    outside: bool = False  # from the article beyond the window around the quote
    fragment: bool = False  # the rules' pick was a part of this name ("Khaldia" of "Khaldia Dussourt")
    phrase: bool = False  # a noun phrase subject of a verb of saying, no name


@dataclass
class ArticleContext:
    """What the candidates and features read of the whole article, the same for each of its quotes:
    computed once per article (the entity of each mention is one scan, not one per quote)."""

    para_of: dict[int, int]  # sentence index -> paragraph
    first_key: str | None  # candidate key of the first person the article names
    n_mentions: dict[str, int]  # candidate key -> mentions in the article
    keys: list[str]  # mention index -> candidate key
    names: dict[str, tuple[str, str | None, str]]  # candidate key -> (name, entity id, label)
    title_keys: set[str]
    lead_keys: set[str]  # named in the first paragraph
    top_keys: list[str]  # the most named people and organisations
    spoken: list[tuple[int, int, str]]  # (clean start, paragraph, key) of the rules' speaker of each quote
    quoted: dict[str, int]  # candidate key -> quotes the rules gave it
    quote_spans: list[tuple[int, int]]  # clean spans of the article's quotes
    subjects: dict[int, list[tuple[int, int, int, str]]]  # sentence -> (start, end, token, words) of noun subjects of verbs of saying
    token_starts: list[int]  # clean start of each token, to find a span's tokens by bisection


def _key_of(q: Quote) -> str | None:
    if not q.speaker:
        return None
    return q.speaker_entity or "n:" + normalise_name(q.speaker)


def article_context(article: AnalysedArticle, entities: EntityIndex, quotes: list[Quote] | None = None) -> ArticleContext:
    ents = {e.id: e for e in entities.entities}
    keys: list[str] = []
    names: dict[str, tuple[str, str | None, str]] = {}
    n_mentions: dict[str, int] = {}
    for m in article.mentions:
        eid = entities.by_mention.get((article.id, m.index))
        ent = ents.get(eid) if eid is not None else None
        k = ent.id if ent is not None else "n:" + normalise_name(m.text)
        keys.append(k)
        names.setdefault(k, (ent.name if ent is not None else m.text, ent.id if ent is not None else None, m.label))
        n_mentions[k] = n_mentions.get(k, 0) + 1
    para_of = {s.index: s.paragraph for s in article.sentences}
    first = next((k for m, k in zip(article.mentions, keys) if m.label == "PER"), None)
    title = (article.article.title or "").lower()
    title_keys = {k for k, (name, eid, _) in names.items() if eid is not None and any(w.lower() in title for w in name.split() if len(w) > 3)}
    first_para = min(para_of.values(), default=0)
    lead_keys = {k for m, k in zip(article.mentions, keys) if para_of.get(m.sentence) == first_para}
    top = sorted((k for k in n_mentions if names[k][2] in ("PER", "ORG") and names[k][1] is not None), key=lambda k: -n_mentions[k])
    spoken, quoted, spans = [], {}, []
    clean = article.article
    for q in sorted(quotes or [], key=lambda q: q.span.start):
        qs, qe = clean.clean_offset(q.span.start), clean.clean_offset(q.span.end)
        spans.append((qs, qe))
        k = _key_of(q)
        if k is not None:
            spoken.append((qs, para_of.get(_sentence_at(article, qs), 0), k))
            quoted[k] = quoted.get(k, 0) + 1
    return ArticleContext(para_of, first, n_mentions, keys, names, title_keys, lead_keys, top[:TOP_NAMED], spoken, quoted, spans,
                          _speech_subjects(article, spans), [t.start for t in article.tokens])


def _speech_subjects(article: AnalysedArticle, spans: list[tuple[int, int]]) -> dict[int, list[tuple[int, int, int, str]]]:
    """The noun phrases that are subjects of a verb of saying outside quotes ("les syndicats
    dénoncent", "a déclaré le parquet de Paris"): unnamed sources the NER does not see, which the
    annotators name as written. The phrase is the subject's contiguous dependents, cut at a comma or
    a relative pronoun."""
    toks = article.tokens
    out: dict[int, list[tuple[int, int, int, str]]] = {}
    children: dict[int, list[int]] = {}
    for t in toks:
        if t.head != t.i:
            children.setdefault(t.head, []).append(t.i)
    for t in toks:
        if not t.dep.startswith("nsubj") or t.pos not in ("NOUN", "PROPN") or not 0 <= t.head < len(toks):
            continue
        if toks[t.head].lemma.lower() not in fr.SPEECH_VERBS or any(s <= t.start < e for s, e in spans):
            continue
        lo = hi = t.i
        stack = [t.i]
        while stack:
            k = stack.pop()
            for c in children.get(k, ()):
                if toks[c].sent == t.sent:
                    lo, hi = min(lo, c), max(hi, c)
                    stack.append(c)
        lo = max(lo, t.i - 4)
        for k in range(t.i + 1, hi + 1):
            if toks[k].text.lower() in fr.PHRASE_ENDS:
                hi = k - 1
                break
        hi = min(hi, t.i + 6)
        words = " ".join(x.text for x in toks[lo: hi + 1])
        out.setdefault(t.sent, []).append((toks[lo].start, toks[hi].end, t.i, words))
    return out


def _cue_kind(cue: str | None) -> str:
    if not cue:
        return "none"
    if cue in ("incise", "continuation"):
        return cue
    if cue == ":":
        return "colon"
    if cue.lower() in _SOURCE_PREPS or cue.lower().startswith("selon"):
        return "source"
    if cue in fr.SPEECH_VERBS or cue.isalpha():
        return "verb"
    return "other"


def _sentence_at(article: AnalysedArticle, pos: int) -> int:
    for s in article.sentences:
        if s.start <= pos < s.end:
            return s.index
    return len(article.sentences) - 1 if article.sentences and pos >= article.sentences[-1].start else 0


def _words(name: str) -> set[str]:
    words = normalise_name(name).replace("-", " ").split()
    return {w.split("'")[-1] for w in words if len(w.split("'")[-1]) > 2}


def _part_of(short: str, name: str) -> bool:
    """Is ``short`` a bare part of the longer ``name`` ("Khaldia" of "Khaldia Dussourt") or its
    initials ("PPDA" of "Patrick Poivre d'Arvor")?"""
    words = _words(short)
    if words and words < _words(name):
        return True
    initials = "".join(w[0] for w in name.replace("'", " ").replace("’", " ").replace("-", " ").split() if w[:1].isalpha())
    return len(short) >= 3 and short.isupper() and short == initials.upper() and len(initials) >= 3


def candidates(article: AnalysedArticle, entities: EntityIndex, q: Quote, previous: Quote | None,
               ctx: ArticleContext | None = None) -> list[Candidate]:
    """The rules' pick, the names around the quote, the previous quote's speaker, and from further
    away the speakers of the quotes before, the article's most named people and organisations and
    the last person named before the window (the right speaker was named further back for a fifth
    of the quotes the window missed)."""
    ctx = ctx or article_context(article, entities, [q] + ([previous] if previous is not None else []))
    clean = article.article
    qs, qe = clean.clean_offset(q.span.start), clean.clean_offset(q.span.end)
    sent = _sentence_at(article, qs)
    lo, hi = sent - WINDOW_BEFORE, _sentence_at(article, max(qs, qe - 1)) + WINDOW_AFTER
    out: dict[str, Candidate] = {}

    def add(key: str, name: str, entity: str | None, label: str) -> Candidate:
        c = out.get(key)
        if c is None:
            c = out[key] = Candidate(key=key, name=name, entity=entity, label=label)
        return c

    for m, key in zip(article.mentions, ctx.keys):
        if not (lo <= m.sentence <= hi) or qs <= m.start < qe:
            continue
        name, eid, label = ctx.names[key]
        add(key, name, eid, m.label).mentions.append((m.start, m.end, m.tok_start))
    # from outside the window: mentions of these keys anywhere in the article
    far: list[str] = []
    last = next((k for m, k in zip(reversed(article.mentions), reversed(ctx.keys))
                 if m.label == "PER" and lo - FAR_BEFORE <= m.sentence < lo), None)
    if last is not None:
        far.append(last)
    recent: list[str] = []
    for start, _, k in reversed(ctx.spoken):
        if start < qs and k not in recent:
            recent.append(k)
        if len(recent) >= RECENT_SPEAKERS:
            break
    for k in [*far, *recent, *ctx.top_keys]:
        if k in out or k not in ctx.names:
            continue
        name, eid, label = ctx.names[k]
        c = add(k, name, eid, label)
        c.outside = True
        c.mentions = [(m.start, m.end, m.tok_start) for m, mk in zip(article.mentions, ctx.keys) if mk == k]
    # the noun subjects of verbs of saying in the quote's sentence and the one before
    for k in range(sent - 1, hi + 1):
        for start, end, tok, words in ctx.subjects.get(k, ()):
            if qs <= start < qe or any(m[0] <= start < m[1] or start <= m[0] < end for c in out.values() for m in c.mentions):
                continue
            c = add("n:" + normalise_name(words), words, None, "")
            c.phrase = True
            c.mentions.append((start, end, tok))
    for c in out.values():
        c.in_title = c.key in ctx.title_keys
    if q.speaker:
        key = _key_of(q)
        ent = entities.get(q.speaker_entity)
        # a bare part of a longer name around the quote speaks for it ("Khaldia", "Poivre", "PPDA")
        whole = [c for c in out.values() if key != c.key and c.label == "PER" and c.entity is not None
                 and q.speaker[:1].isupper() and _part_of(q.speaker, c.name)]
        if len(whole) == 1:
            c = whole[0]
            c.fragment = True
        else:
            c = add(key, q.speaker, q.speaker_entity, ent.type if ent is not None else "")
        c.rule_pick = True
        if q.speaker_span is not None:
            s, e = clean.clean_offset(q.speaker_span.start), clean.clean_offset(q.speaker_span.end)
            inside = article.tokens[bisect_left(ctx.token_starts, s): bisect_left(ctx.token_starts, e)]
            # the phrase's head (its one token governed from outside), whose role the features read
            head = next((t for t in inside if not s <= article.tokens[t.head].start < e), inside[0] if inside else None)
            c.mentions.append((s, e, head.i if head is not None else 0))
    if previous is not None and previous.speaker:
        key = _key_of(previous)
        if key in out:
            out[key].previous = True
        else:
            add(key, previous.speaker, previous.speaker_entity, "").previous = True
    return list(out.values())


def _role_of(article: AnalysedArticle, tok: int) -> tuple[bool, bool, bool]:
    """(subject of a verb of saying, object of "selon/pour/d'après", any subject) for a token."""
    toks = article.tokens
    if not 0 <= tok < len(toks):
        return False, False, False
    t = toks[tok]
    head = toks[t.head] if 0 <= t.head < len(toks) else t
    subject = t.dep.startswith("nsubj")
    speech = subject and head.lemma.lower() in fr.SPEECH_VERBS
    # the preposition may be split in tokens ("d'" "après") and stand before a determiner ("d'après une source")
    case = "".join(k.text.lower() for k in toks[max(0, tok - 4): tok] if k.head == tok and k.dep == "case").replace("’", "'")
    before = "".join(k.text.lower() for k in toks[max(0, tok - 2): tok]).replace("’", "'")
    source = case in _SOURCE_PREPS or (tok > 0 and toks[tok - 1].text.lower() in _SOURCE_PREPS) or before.endswith("d'après")
    return speech, source, subject


def _sentence_speech_verb(article: AnalysedArticle, sent: int, qs: int, qe: int) -> bool:
    """Does the quote's sentence have a verb of saying outside the quote (a term without one is
    more often the journalist's own scare quote)?"""
    s = next((s for s in article.sentences if s.index == sent), None)
    if s is None:
        return False
    return any(t.lemma.lower() in fr.SPEECH_VERBS and t.pos in ("VERB", "AUX") and not qs <= t.start < qe
               for t in article.tokens[s.tok_start: s.tok_end])


def features(article: AnalysedArticle, entities: EntityIndex, q: Quote, cands: list[Candidate],
             ctx: ArticleContext | None = None) -> np.ndarray:
    """``SPEAKER_FEATURES`` of each candidate of one quote (the same function at training and inference)."""
    ctx = ctx or article_context(article, entities, [q])
    clean = article.article
    qs, qe = clean.clean_offset(q.span.start), clean.clean_offset(q.span.end)
    sent = _sentence_at(article, qs)
    para_of, first_key, n_mentions = ctx.para_of, ctx.first_key, ctx.n_mentions
    para = para_of.get(sent, 0)
    cue = _cue_kind(q.cue)
    # each candidate's mention nearest the quote (the first of equals), and its distance in characters
    nearest = [min(c.mentions, key=lambda x: abs((x[0] - qe) if x[0] >= qe else (qs - x[1])), default=None) for c in cands]
    distances = [abs((m[0] - qe) if m[0] >= qe else (qs - m[1])) if m is not None else 10**6 for m in nearest]
    order = {k: r for r, k in enumerate(sorted(range(len(cands)), key=lambda k: distances[k]))}
    same_label: dict[int, int] = {}
    for lab in {c.label for c in cands}:
        ks = sorted((k for k, c in enumerate(cands) if c.label == lab), key=lambda k: distances[k])
        same_label.update({k: r for r, k in enumerate(ks)})
    # the person named last before the quote
    before = [(m[1], k) for k, c in enumerate(cands) if c.label == "PER" for m in c.mentions if m[1] <= qs]
    last_person = max(before)[1] if before else -1
    next_key = next((k for s, _, k in ctx.spoken if s > qs), None)
    in_para = {k for s, p, k in ctx.spoken if p == para and s != qs}
    rule_description = bool(q.speaker) and q.speaker_entity is None
    quote_words = math.log1p(len(q.text.split()))
    speech_verb = _sentence_speech_verb(article, sent, qs, qe)
    # the rules' speaker's words, where a name may stand in apposition ("le manager de l'équipe, Roberto Damiani")
    pick = (clean.clean_offset(q.speaker_span.start), clean.clean_offset(q.speaker_span.end)) if q.speaker_span is not None else None
    rows = []
    for k, c in enumerate(cands):
        f = dict.fromkeys(SPEAKER_FEATURES, 0.0)
        f["rule_pick"] = float(c.rule_pick)
        if c.rule_pick:
            f[f"cue_{cue}"] = 1.0
        if c.label in LABELS:
            f[f"label_{c.label}"] = 1.0
        f["linked"] = float(c.entity is not None)
        near = nearest[k]
        if near is not None:
            ms = _sentence_at(article, near[0])
            f["sentence_gap"] = float(sent - ms)
            f["after_quote"] = float(near[0] >= qe)
            f["same_sentence"] = float(ms == sent)
            f["same_paragraph"] = float(para_of.get(ms) == para)
            f["paragraph_gap"] = float(min(abs(para - para_of.get(ms, 0)), 5))
            f["chars_log"] = math.log1p(distances[k])
            speech, source, subject = _role_of(article, near[2])
            f["speech_subject"], f["source_object"], f["subject"] = float(speech), float(source), float(subject)
            f["mention_in_quote"] = float(any(s <= near[0] < e for s, e in ctx.quote_spans))
        else:
            f["chars_log"] = math.log1p(10**4)
            f["paragraph_gap"] = 5.0
        f["in_title"] = float(c.in_title)
        f["mentions_log"] = math.log1p(n_mentions.get(c.key, 0))
        f["first_person_named"] = float(c.key == first_key)
        f["previous_speaker"] = float(c.previous)
        f[f"kind_{q.kind}"] = 1.0
        f["candidates_log"] = math.log1p(len(cands))
        f["rank_by_distance"] = float(min(order[k], 5))
        f["quote_words_log"] = quote_words
        f["rule_none"] = float(not q.speaker)
        f["rule_description"] = float(rule_description)
        f["sentence_speech_verb"] = float(speech_verb)
        f["rank_same_label"] = float(min(same_label.get(k, 5), 5))
        f["last_person_before"] = float(k == last_person)
        f["quoted_log"] = math.log1p(ctx.quoted.get(c.key, 0))
        f["quoted_in_paragraph"] = float(c.key in in_para)
        f["next_speaker"] = float(c.key == next_key)
        f["in_lead"] = float(c.key in ctx.lead_keys)
        f["name_words"] = float(min(len(c.name.split()), 6))
        f["fragment_of_rule_pick"] = float(c.fragment)
        f["outside_window"] = float(c.outside)
        f["subject_phrase"] = float(c.phrase)
        f["beside_rule_pick"] = float(pick is not None and not c.rule_pick
                                      and any(m[0] < pick[1] + 4 and m[1] > pick[0] - 4 for m in c.mentions))
        rows.append([f[name] for name in SPEAKER_FEATURES])
    return np.array(rows) if rows else np.zeros((0, len(SPEAKER_FEATURES)))


def speaker_model():
    from ...learned import load

    return load(SPEAKER_MODEL, SPEAKER_VERSION, SPEAKER_FEATURES)


def article_rows(article: AnalysedArticle, entities: EntityIndex, quotes: list[Quote]):
    """(quote, candidates, feature rows) of each quote of one article, in text order: what
    ``rerank`` scores and ``scripts/train_speaker.py`` trains on (one function, never two copies).
    Every quote's candidates are built from the rules' speakers, before any of them changes."""
    ctx = article_context(article, entities, quotes)
    out = []
    previous: Quote | None = None
    for q in sorted(quotes, key=lambda q: q.span.start):
        cands = candidates(article, entities, q, previous, ctx)
        out.append((q, cands, features(article, entities, q, cands, ctx)))
        if q.kind == "direct":
            previous = q
    return out


def choose(p: np.ndarray | None, rule_pick: np.ndarray | None, threshold: float, margin: float) -> int | None:
    """The candidate that speaks (index), or None: the best scored, but the rules' pick keeps the
    quote unless another candidate beats it by ``margin`` (the rules are right more often than
    their score says on text like the one they were written on); no one under ``threshold``."""
    if p is None or len(p) == 0:
        return None
    k = int(np.argmax(p))
    rules = np.flatnonzero(rule_pick) if rule_pick is not None else []
    if len(rules) and p[k] - p[rules[0]] < margin:
        k = int(rules[0])
    return None if p[k] < threshold else k


def rerank(article: AnalysedArticle, entities: EntityIndex, quotes: list[Quote], threshold: float, model=None,
           margin: float = 0.0) -> list[Quote]:
    """The quotes with the speaker the model prefers among the candidates (None under ``threshold``).

    Every quote's candidates are built before any speaker changes, so "the previous speaker" is the
    rules' one, as in training (scripts/train_speaker.py extracts with the rules alone); that also
    lets one model call score the whole article, which costs about what one quote did."""
    model = model or speaker_model()
    jobs = [(q, cands, X) for q, cands, X in article_rows(article, entities, quotes) if cands]
    probs = model.proba(np.vstack([X for _, _, X in jobs])) if jobs else np.zeros(0)
    at = 0
    for q, cands, _ in jobs:
        p, at = probs[at : at + len(cands)], at + len(cands)
        k = choose(p, np.array([c.rule_pick for c in cands]), threshold, margin)
        q.speaker_confidence = round(float(p[k] if k is not None else p.max()), 3)
        if k is None:
            q.speaker, q.speaker_entity, q.speaker_span = None, None, None
            continue
        best = cands[k]
        if not best.rule_pick or best.fragment:
            ent = entities.get(best.entity)
            q.speaker = ent.name if ent is not None else best.name
            q.speaker_entity = best.entity
            s, e, _ = min(best.mentions, key=lambda x: abs(x[0] - article.article.clean_offset(q.span.start)), default=(-1, -1, 0))
            q.speaker_span = article.article.span(s, e) if 0 <= s < e else None
            q.cue = "ranker"
    return quotes
