"""The timeline: the dated sentences of all articles, turned into events, one per happening and date.

Each date mention gives an item: the main clause of its sentence (``main_clause``), short enough to
read in a list, with the mention's date. Items of different sentences are one event when their
dates agree (equal, or a day inside a night range: "dans la nuit de lundi à mardi" and "mardi
5 mars, peu après 2 heures") and
- their main clauses read alike: token-set ratio >= ``SAME_WORDING`` of their lemmas, read through
  the synonym lexicon ("le feu s'est déclaré" / "un incendie s'est déclaré"); or
- they tell the same happening: the same main verb, not a light one, with the same subject or
  ``MIN_SHARED_WORDS`` more content words in common ("Kim Jong Un, arrivé mercredi matin, a été
  accueilli par Vladimir Poutine" / "Vladimir Poutine a accueilli mercredi Kim Jong Un"); a verb
  of saying needs the same subject (two announcements of one day are not one); or
- the comparison put their claims in one fact (``comparison``: the same information).
An event is dated by the widest date of its members (the night range over its day).

A claim that a place conflict of the comparison sets beside a dated claim (one happening located at
two places) but that writes no date of its own is listed in that claim's event: "Le sommet s'est
conclu par un dîner offert au cosmodrome" is the dinner that another outlet dates "le soir même".
So the timeline lists every outlet reporting a happening, whichever way, or whether, it wrote the
date. Facts are not used that way: a fact is one piece of information, and a dated sentence may
carry another one besides ("Le feu a pris lundi soir dans un bâtiment où étaient stockées 800
tonnes" is aligned on the 800 tonnes, not on the fire's start).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from ..config import Config
from ..lang import canonical, rules_for
from ..model import AnalysedArticle, Comparison, Extraction, Span, TimelineEvent, Token

log = logging.getLogger(__name__)

SAME_WORDING = 70  # token-set ratio of two main clauses' lemmas
UNION_WORDS = 40  # a date outside the main clause: main clause + the date's clause up to this many words
MIN_SHARED_WORDS = 2  # content words besides the verb that two tellings of one happening share
_CONTENT = ("NOUN", "PROPN", "VERB", "ADJ")


_CUT_DEPS = {"advcl", "acl:relcl", "parataxis", "appos", "dislocated", "vocative", "discourse", "conj"}


def _head(t: Token) -> int:
    h = t.head
    return h - (1 << 64) if h >= (1 << 63) else h


def _children(toks: list[Token]) -> dict[int, list[int]]:
    """Token index -> the indexes of its dependents, over one sentence's tokens."""
    children: dict[int, list[int]] = {}
    for t in toks:
        if _head(t) != t.i:
            children.setdefault(_head(t), []).append(t.i)
    return children


def main_clause(article: AnalysedArticle, sentence: int, max_words: int = 25) -> tuple[int, int] | None:
    """Clean offsets of the sentence's main clause: the root's subtree minus subordinate clauses
    and incises, kept contiguous around the root and cut at ``max_words`` words."""
    if sentence < 0 or sentence >= len(article.sentences):
        return None
    s = article.sentences[sentence]
    toks = article.tokens[s.tok_start : s.tok_end]
    if not toks:
        return None
    roots = [t for t in toks if t.dep == "ROOT" or _head(t) == t.i]
    root = roots[0] if roots else toks[0]
    children = _children(toks)
    cut: set[int] = set()
    # (a sentence the parser hung on another one, its sentences not being ours, has no root here and no clause
    # structure to read: the sentence from its start, none of its first words' appositions cut as incises)
    for c in children.get(root.i, []) if roots else []:
        if article.tokens[c].dep in _CUT_DEPS:
            stack = [c]
            while stack:
                x = stack.pop()
                if x in cut:
                    continue
                cut.add(x)
                stack.extend(children.get(x, []))
    lo, hi = root.i, root.i
    while lo - 1 >= s.tok_start and (lo - 1) not in cut:
        lo -= 1
    while hi + 1 < s.tok_end and (hi + 1) not in cut:
        hi += 1
    # an event needs its subject, even across an incise ("Kim, arrivé mercredi, a été accueilli")
    subjects = [c for c in children.get(root.i, []) if article.tokens[c].dep.startswith("nsubj")]
    if not subjects:  # the parser may hang the subject on the incise before the verb
        subjects = [t.i for t in toks if t.dep.startswith("nsubj") and t.i < root.i][:1]
    for c in subjects:
        if c < lo:
            first, stack = c, [c]
            while stack:
                x = stack.pop()
                first = min(first, x)
                stack.extend(children.get(x, []))
            lo = max(s.tok_start, first)
    # trim punctuation and coordinators at the edges
    while lo < hi and (article.tokens[lo].pos in ("PUNCT", "CCONJ", "SPACE") or not article.tokens[lo].text.strip()):
        lo += 1
    while hi > lo and (article.tokens[hi].pos in ("PUNCT", "CCONJ", "SPACE") or not article.tokens[hi].text.strip()):
        hi -= 1
    words = [i for i in range(lo, hi + 1) if article.tokens[i].pos != "PUNCT"]
    if len(words) > max_words:  # (counted in words: a parenthesis or a quote's marks are no words)
        if root.i - lo < max_words:
            hi = words[max_words - 1]
        else:
            lo = max(lo, root.i - max_words // 2)
            # start after a comma rather than inside a phrase ("central de l'Ecureuil, Charles Milhaud, ...")
            if lo > s.tok_start and article.tokens[lo - 1].text != ",":
                lo = next((i + 1 for i in range(lo, root.i) if article.tokens[i].text == ","), lo)
            hi = min(hi, lo + max_words)
        while hi > lo and article.tokens[hi].pos in ("PUNCT", "CCONJ", "ADP", "DET"):
            hi -= 1
    return article.tokens[lo].start, article.tokens[hi].end


def date_clause(article: AnalysedArticle, sentence: int, date_rng: tuple[int, int], max_words: int = 25) -> tuple[int, int] | None:
    """Clean offsets of the clause that holds a date written outside the main clause ("Lui qui est entré à
    Antenne 2 en 1975, ..., trouve que ...": the main clause, "Lui ... trouve", says nothing of 1975): the
    subtree of the nearest verb above the date, with the noun a relative or participle clause hangs on
    ("la chaîne privatisée en 1987"), cut at ``max_words`` words from its start."""
    s = article.sentences[sentence]
    toks = article.tokens
    inside = [t.i for t in toks[s.tok_start : s.tok_end] if date_rng[0] <= t.start < date_rng[1]]
    if not inside:
        return None
    k = inside[0]
    while toks[k].pos not in ("VERB", "AUX") and _head(toks[k]) != k and s.tok_start <= _head(toks[k]) < s.tok_end:
        k = _head(toks[k])
    if toks[k].pos not in ("VERB", "AUX"):
        return None
    top = _head(toks[k]) if toks[k].dep in ("acl:relcl", "acl") and s.tok_start <= _head(toks[k]) < s.tok_end else k
    children = _children(toks[s.tok_start : s.tok_end])
    span, stack = {top}, [top]
    while stack:
        x = stack.pop()
        for c in children.get(x, []):
            if c not in span and (x != top or top == k or c == k or toks[c].dep == "det"):
                span.add(c)
                stack.append(c)
    lo, hi = min(span), max(span)
    while lo < hi and toks[lo].pos in ("PUNCT", "CCONJ", "SPACE"):
        lo += 1
    while hi > lo and toks[hi].pos in ("PUNCT", "CCONJ", "SPACE"):
        hi -= 1
    words = [i for i in range(lo, hi + 1) if toks[i].pos != "PUNCT"]
    if len(words) > max_words:
        hi = max(words[max_words - 1], inside[-1])
    return toks[lo].start, toks[hi].end


@dataclass
class _Item:
    """One dated sentence of one article."""

    key: str  # "2023-09-13", "2024-03-04/2024-03-05", "2023-09", "2019"
    precision: str
    text: str
    article: str
    outlet: str
    span: Span
    lemmas: str  # the main clause's lemmas through the synonym lexicon, for the wording test
    verb: str | None = None
    subject: set[str] = field(default_factory=set)  # the nouns of the main verb's subject
    words: set[str] = field(default_factory=set)  # content lemmas but the verb and the date's words
    anchored: str | None = None
    claim: tuple[int, int] | None = None  # original offsets of the claim holding the date
    facts: set[int] = field(default_factory=set)


def _compatible(a: _Item, b: _Item) -> bool:
    """Equal dates, or a day that falls inside a range (ISO days compare as strings)."""
    if a.key == b.key:
        return True
    for rng, day in ((a, b), (b, a)):
        if rng.precision == "range" and day.precision == "day" and "/" in rng.key:
            lo, hi = rng.key.split("/", 1)
            if len(lo) == len(hi) == len(day.key) == 10 and lo <= day.key <= hi:
                return True
    return False


def _same_happening(a: _Item, b: _Item, speech: frozenset[str]) -> bool:
    if not a.verb or a.verb != b.verb:
        return False
    if a.subject & b.subject:
        return True
    return a.verb not in speech and len(a.words & b.words) >= MIN_SHARED_WORDS


def _clause_words(article: AnalysedArticle, sentence: int, rng: tuple[int, int], date_rng: tuple[int, int], rules) -> tuple[str, str | None, set[str], set[str]]:
    """(lemma string, main verb, the nouns of its subject, content words) of a main clause, read through the
    synonym lexicon; the words of the date itself ("dans la nuit de lundi à mardi") are no content."""
    s = article.sentences[sentence]
    toks = [t for t in article.tokens[s.tok_start : s.tok_end] if t.start >= rng[0] and t.end <= rng[1]]
    light = getattr(rules, "LIGHT_LEMMAS", set())
    calendar = set(getattr(rules, "WEEKDAYS", {})) | set(getattr(rules, "MONTHS", {})) | set(getattr(rules, "PARTS_OF_DAY", ()))
    nouns = {canonical(t.lemma, rules) for t in toks if t.pos in ("NOUN", "PROPN")}
    lemmas = " ".join(canonical(t.lemma, rules, nouns) for t in toks if t.pos != "PUNCT")
    inside = {t.i for t in toks}
    roots = [t for t in toks if t.dep == "ROOT" or _head(t) == t.i or _head(t) not in inside]
    verb, subject = None, set()
    root = next((t for t in roots if t.pos in ("VERB", "AUX")), None)
    if root is not None and root.lemma.lower() not in light:
        verb = canonical(root.lemma, rules, nouns)
        # the nouns of the subject phrase ("le train blindé de M. Kim"; "un violent incendie", where
        # the parser may take the adjective for the head)
        heads = {t.i for t in toks if _head(t) == root.i and t.dep.startswith("nsubj")}
        for t in toks:
            k, seen = t.i, 0
            while k not in heads and seen < 4 and k in inside and _head(article.tokens[k]) != k:
                k, seen = _head(article.tokens[k]), seen + 1
            if k in heads and t.pos in ("NOUN", "PROPN"):
                subject.add(canonical(t.lemma, rules))
    words = {
        canonical(t.lemma, rules, nouns) for t in toks
        if t.pos in _CONTENT and not (date_rng[0] <= t.start < date_rng[1]) and t.lemma.lower() not in light
        and t.lemma.lower() not in calendar and len(t.lemma) > 2
    }
    words.discard(verb)
    return lemmas, verb, subject, words


def _claim_index(comparison: Comparison | None) -> tuple[dict[str, list[tuple[int, int, int]]], dict[str, list[tuple[int, int]]]]:
    """Per article: (start, end, fact number) of the claims of multi-outlet facts, and the spans of all claims."""
    facts: dict[str, list[tuple[int, int, int]]] = {}
    claims: dict[str, list[tuple[int, int]]] = {}
    if comparison is None:
        return facts, claims
    for k, f in enumerate(comparison.facts):
        if len(f.claims) > 1:
            for sp in f.claims:
                facts.setdefault(sp.article, []).append((sp.start, sp.end, k))
    for c in comparison.claims:
        claims.setdefault(c.span.article, []).append((c.span.start, c.span.end))
    return facts, claims


def _holding(spans: list[tuple[int, int]], pos: int) -> tuple[int, int] | None:
    return next(((s, e) for s, e in spans if s <= pos < e), None)


def _happenings(comparison: Comparison | None, claims: dict[str, list[tuple[int, int]]]) -> list[list[tuple[str, tuple[int, int]]]]:
    """Claims that a place conflict sets side by side as one happening at two places: [(article, claim span)]."""
    out = []
    for c in comparison.conflicts if comparison is not None else ():
        if c.kind != "place" or c.update_over_time:
            continue
        group = []
        for g in c.groups:
            for sp in g.spans:
                held = _holding(claims.get(sp.article, []), sp.start)
                if held and (sp.article, held) not in group:
                    group.append((sp.article, held))
        if len({a for a, _ in group}) > 1:
            out.append(group)
    return out


def build_timeline(
    articles: list[AnalysedArticle], extractions: list[Extraction], config: Config | None = None, comparison: Comparison | None = None
) -> list[TimelineEvent]:
    """Dated events sorted by date, one per happening and date across outlets (module docstring).

    ``comparison`` (optional) lends its facts and place conflicts; without it, events are made
    from the wording and the main verbs alone."""
    by_id = {a.id: a for a in articles}
    fact_spans, claim_spans = _claim_index(comparison)
    items: list[_Item] = []
    seen = set()
    for ex in extractions:
        art = by_id.get(ex.article_id)
        if art is None:
            continue
        rules = rules_for(art.language)
        for dm in ex.dates:
            if not dm.date:
                continue
            key = dm.date if not dm.end else f"{dm.date}/{dm.end}"
            if (ex.article_id, dm.sentence, key) in seen:
                continue
            seen.add((ex.article_id, dm.sentence, key))
            try:
                rng = main_clause(art, dm.sentence)
                if rng is None:
                    continue
                date_rng = (art.article.clean_offset(dm.span.start), art.article.clean_offset(dm.span.end))
                if not (rng[0] <= date_rng[0] and date_rng[1] <= rng[1]) and (held := date_clause(art, dm.sentence, date_rng)):
                    # the main clause with the clause that holds the date ("« Aucun accord n'a été signé »,
                    # a indiqué jeudi ..."; "Lui qui est entré à Antenne 2 en 1975"); that clause alone when
                    # the two are far apart in a long sentence
                    both = (min(rng[0], held[0]), max(rng[1], held[1]))
                    rng = both if len(art.article.text[both[0] : both[1]].split()) <= UNION_WORDS else held
                lemmas, verb, subject, words = _clause_words(art, dm.sentence, rng, date_rng, rules)
            except Exception as e:  # one odd sentence costs its event, never the timeline; said, so no defect hides here
                log.warning("timeline: the date of sentence %d of %s was left out (%s: %s)", dm.sentence, art.id, type(e).__name__, e)
                continue
            anchored = dm.resolved_by[dm.resolved_by.index("(") + 1 : -1] if dm.resolved_by.endswith(")") and "(" in dm.resolved_by else None
            item = _Item(key, dm.precision or "day", art.article.text[rng[0] : rng[1]], art.id, art.outlet, art.article.span(*rng),
                         lemmas, verb, subject, words, anchored)
            item.claim = _holding(claim_spans.get(art.id, []), dm.span.start)
            item.facts = {k for s, e, k in fact_spans.get(art.id, []) if s <= dm.span.start < e}
            items.append(item)

    # one event per connected group of items (union-find)
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    speech = frozenset(getattr(rules_for(articles[0].language if articles else "fr"), "SPEECH_VERBS", frozenset()))
    for i, a in enumerate(items):
        for j in range(i + 1, len(items)):
            b = items[j]
            if find(i) == find(j) or not _compatible(a, b):
                continue
            same_key = a.key == b.key
            if (a.facts & b.facts) or (same_key and (fuzz.token_set_ratio(a.lemmas, b.lemmas) >= SAME_WORDING or _same_happening(a, b, speech))):
                parent[find(j)] = find(i)
    groups: dict[int, list[_Item]] = {}
    for i, it in enumerate(items):
        groups.setdefault(find(i), []).append(it)

    # claims told as one happening (place conflicts) that write no date of their own join the dated one's event
    dated_claims = {(it.article, it.claim) for it in items if it.claim}
    event_of = {(it.article, it.claim): root for root, members in groups.items() for it in members if it.claim}
    extra: dict[int, list[tuple[str, str, Span]]] = {}
    for group in _happenings(comparison, claim_spans):
        events = {event_of[m] for m in group if m in event_of}
        if len(events) != 1:
            continue
        root = events.pop()
        present = {it.article for it in groups[root]}
        for art_id, (start, _end) in group:
            art = by_id.get(art_id)
            if art is None or art_id in present or (art_id, (start, _end)) in dated_claims:
                continue
            pos = art.article.clean_offset(start)
            sent = next((k for k, s in enumerate(art.sentences) if s.start <= pos < s.end), None)
            try:
                rng = main_clause(art, sent) if sent is not None else None
            except Exception as e:
                log.warning("timeline: sentence %s of %s gave no clause (%s: %s)", sent, art.id, type(e).__name__, e)
                rng = None
            if rng is not None:
                extra.setdefault(root, []).append((art.outlet, art_id, art.article.span(*rng)))
                present.add(art_id)

    out = []
    for root, members in groups.items():
        ranges = [m for m in members if m.precision == "range"]
        head = ranges[0] if ranges else members[0]
        outlets = list(dict.fromkeys([m.outlet for m in members] + [o for o, _, _ in extra.get(root, [])]))
        out.append(
            TimelineEvent(
                date=head.key,
                precision=head.precision if head.precision in ("day", "month", "year", "range") else "day",
                text=members[0].text,
                outlets=outlets,
                spans=[m.span for m in members] + [sp for _, _, sp in extra.get(root, [])],
                anchored_by=next((m.anchored for m in members if m.anchored), None),
            )
        )
    out.sort(key=lambda e: e.date)
    return out
