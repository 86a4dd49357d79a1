"""Contradictions between outlets: measurements of the same thing whose intervals are disjoint,
different days for one event, different places for one event. Hedges are read through the
intervals extraction gives (``plus de deux heures`` = (2, inf)), so compatible hedges never clash."""

from __future__ import annotations

import bisect
from collections import Counter
import math
import re
from dataclasses import dataclass, field

import numpy as np

from ..lang import rules_for
from ..model import AnalysedArticle, Conflict, DateMention, Measurement, ValueGroup
from .claims import ClaimInfo, clean_offset, stem

GENERIC_THINGS = {"perso", "gens", "indiv", "homme", "femme", "fois", "chose"}
NUMBER_NOUN = re.compile(r"^(?:\w+aines?|milliers?|millions?|milliards?|centaines?|dizaines?|douzaines?)$", re.I)
MEAS_CTX_MIN = 0.86  # claim cosine for two measurements in different facts to be about the same thing
SKIP_DIMENSIONS = {"year"}
STOP_WORDS = {"de", "la", "le", "les", "des", "du", "d", "l", "à", "au", "aux", "dans", "en", "vers", "un", "une", "même"}  # years are dates, handled by the date comparison


@dataclass
class MeasInfo:
    m: Measurement
    art: int
    claim: int | None  # index into the claim list
    thing: set[str] = field(default_factory=set)  # what is measured / counted (stems)
    action: set[str] = field(default_factory=set)  # what happens to it (stems of governing words)
    counted: set[str] = field(default_factory=set)  # for counts: the counted noun itself


def interval(m: Measurement) -> tuple[float, bool, float, bool] | None:
    low, high = m.low, m.high
    if low is None and high is None:
        if m.value is None:
            return None
        low = high = m.value
    lo = -math.inf if low is None else float(low)
    hi = math.inf if high is None else float(high)
    return lo, bool(m.low_open and low is not None), hi, bool(m.high_open and high is not None)


def overlaps(a: Measurement, b: Measurement) -> bool:
    ia, ib = interval(a), interval(b)
    if ia is None or ib is None:
        return True
    if ia[0] > ib[0] or (ia[0] == ib[0] and ia[1]):
        lo, lo_open = ia[0], ia[1]
    else:
        lo, lo_open = ib[0], ib[1]
    if ia[2] < ib[2] or (ia[2] == ib[2] and ia[3]):
        hi, hi_open = ia[2], ia[3]
    else:
        hi, hi_open = ib[2], ib[3]
    if lo < hi:
        return True
    return math.isclose(lo, hi, rel_tol=1e-9, abs_tol=1e-9) and not lo_open and not hi_open


def _same_shape(a: Measurement, b: Measurement) -> bool:
    """Values that go in one group: overlapping and equally open-ended ('plus de 4 h' and 'près de 6 h' stay apart)."""
    return overlaps(a, b) and (a.high is None) == (b.high is None) and (a.low is None) == (b.low is None)


def midpoint(m: Measurement) -> float:
    lo, _, hi, _ = interval(m) or (0.0, False, 0.0, False)
    if math.isinf(lo) and math.isinf(hi):
        return float(m.value or 0.0)
    if math.isinf(hi):
        return lo
    if math.isinf(lo):
        return hi
    return (lo + hi) / 2


def _stems(lemma: str) -> set[str]:
    return {stem(p) for p in re.split(r"[-’'\s]+", lemma.lower()) if len(p) >= 3}


def counted_noun(article: AnalysedArticle, start: int, end: int) -> set[str]:
    """Stems of the counted noun of a count ('80 sapeurs-pompiers' -> {sapeu, pompi}); generic nouns give nothing."""
    out: set[str] = set()
    for t in article.tokens:
        if t.start >= start and t.end <= end and t.pos in ("NOUN", "PROPN") and not NUMBER_NOUN.match(t.text):
            out |= _stems(t.lemma)
    return out - GENERIC_THINGS


def measurement_keys(article: AnalysedArticle, start: int, end: int, m: Measurement, light: set[str]) -> tuple[set[str], set[str]]:
    """(thing, action) stems of a measurement from the parse: the counted noun or the subject of the
    governing verb, and the governing verbs/nouns ('80 sapeurs-pompiers ont été mobilisés' ->
    ({sapeu, pompi}, {mobil}))."""
    toks = article.tokens
    starts = [t.start for t in toks]
    i0 = bisect.bisect_left(starts, start)
    i1 = bisect.bisect_left(starts, end)
    idx = list(range(i0, max(i1, i0 + 1))) if i0 < len(toks) else []
    if not idx:
        return set(), set()
    inside = set(idx)
    heads = [i for i in idx if toks[i].head not in inside or toks[i].head == i]
    head = toks[heads[0] if heads else idx[-1]]
    thing: set[str] = set()
    action: set[str] = set()
    if m.dimension == "count":
        for i in idx:
            t = toks[i]
            if t.pos in ("NOUN", "PROPN") and not NUMBER_NOUN.match(t.text):
                thing |= _stems(t.lemma)
    for w in re.findall(r"[\w-]{4,}", (m.measures or "").lower()):
        if w not in light and not NUMBER_NOUN.match(w):
            thing |= _stems(w)
    sent = article.sentences[toks[idx[0]].sent] if article.sentences else None
    lo, hi = (sent.tok_start, sent.tok_end) if sent else (0, len(toks))
    kids: dict[int, list[int]] = {}
    for t in toks[lo:hi]:
        kids.setdefault(t.head, []).append(t.i)
    # modifiers of the counted thing: 'personnes évacuées', 'blessés légers'
    for i in idx:
        for k in kids.get(i, ()):
            if k not in inside and toks[k].dep in ("amod", "acl", "acl:relcl") and toks[k].pos in ("VERB", "ADJ"):
                action |= _stems(toks[k].lemma)
    g, steps = head, 0
    prev_dep = head.dep
    while steps < 4 and g.head != g.i:
        prev_dep = g.dep if steps else head.dep
        g = toks[g.head]
        steps += 1
        lem = g.lemma.lower()
        if g.pos in ("AUX", "ADP", "DET", "PUNCT", "CCONJ", "SCONJ"):
            continue
        if g.pos == "VERB":
            if lem not in light:
                action |= _stems(lem)
            for k in kids.get(g.i, ()):
                if m.dimension != "count" and toks[k].dep.startswith("nsubj") and toks[k].pos in ("NOUN", "PROPN") and k not in inside:
                    thing |= _stems(toks[k].lemma)
            if g.dep.startswith("acl") and g.head != g.i and toks[g.head].pos in ("NOUN", "PROPN"):
                thing |= _stems(toks[g.head].lemma)  # 'les discussions, qui ont duré ...'
            if g.dep == "conj" and g.head != g.i:  # 'ont été évacuées ... et ont duré': the first verb's subject
                for k in kids.get(g.head, ()):
                    if toks[k].dep.startswith("nsubj") and toks[k].pos in ("NOUN", "PROPN"):
                        thing |= _stems(toks[k].lemma)
            if lem not in light:
                break
        elif g.pos in ("NOUN", "PROPN"):
            if prev_dep == "conj":  # '80 sapeurs-pompiers et au moins 30 engins': a sibling, not the owner
                prev_dep = g.dep
                continue
            if not NUMBER_NOUN.match(g.text):
                thing |= _stems(lem)
        else:
            if lem not in light:
                action |= _stems(lem)
    thing -= GENERIC_THINGS
    return thing, action


def same_topic(a: MeasInfo, b: MeasInfo, same_fact: bool, claim_cos: float, alone: bool) -> bool:
    """Two measurements (same dimension, different outlets) measure the same thing.

    In one fact: the counted things agree (when both name one) or the governing words do.
    Across facts: they must share words of what is measured AND sit in very similar claims."""
    if a.m.dimension != b.m.dimension:
        return False
    if a.m.dimension != "count" and a.m.unit and b.m.unit and a.m.unit != b.m.unit:
        return False
    shared_thing = a.thing & b.thing
    shared_all = (a.thing | a.action) & (b.thing | b.action)
    if a.thing and b.thing and not shared_thing and len(shared_all) < 2:
        return False
    if a.counted and b.counted and not a.counted & b.counted:
        return False  # '3 200 habitants' / '45 salariés'
    if a.counted & b.counted and not same_fact and a.action and b.action and not a.action & b.action:
        return False  # 'deux pompiers incommodés' / '80 sapeurs-pompiers mobilisés'
    if same_fact:
        return bool(shared_all) or (alone and claim_cos >= 0.9)
    if a.m.dimension == "time":  # clock times of different events are common: only within one fact
        return False
    if claim_cos < MEAS_CTX_MIN:
        return False
    # two shared words of what is measured ('discussions' + 'durer'), or for a count whose counted
    # noun is generic on one side ('sept personnes blessées' / 'trois blessés'), one
    return len(shared_all) >= 2 or (a.m.dimension == "count" and bool(shared_all) and not (a.counted and b.counted))


def group_values(ms: list[MeasInfo]) -> list[list[int]]:
    """Value groups inside one topic: one group per interval (the same value written differently
    lands in one group), most reported first."""
    groups: dict[tuple, list[int]] = {}
    for i, x in enumerate(ms):
        groups.setdefault(interval(x.m), []).append(i)
    return sorted(groups.values(), key=lambda g: (-len(g), g[0]))


def measurement_conflicts(
    meas: list[MeasInfo],
    claims: list[ClaimInfo],
    articles: list[AnalysedArticle],
    fact_of: list[int],
    fact_centrality: list[float],
    cos: np.ndarray,
    fact_texts: list[str],
) -> list[Conflict]:
    n = len(meas)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    adj: dict[int, set[int]] = {i: set() for i in range(n)}
    per_claim_dim: dict[tuple[int, str], int] = {}
    for x in meas:
        if x.claim is not None:
            per_claim_dim[(x.claim, x.m.dimension)] = per_claim_dim.get((x.claim, x.m.dimension), 0) + 1
    disjoint_pairs: list[tuple[int, int]] = []
    candidates: list[tuple[int, int, bool]] = []
    for i in range(n):
        a = meas[i]
        if a.claim is None or a.m.dimension in SKIP_DIMENSIONS or interval(a.m) is None:
            continue
        for j in range(i + 1, n):
            b = meas[j]
            if b.claim is None or b.art == a.art or interval(b.m) is None:
                continue
            if articles[a.art].outlet == articles[b.art].outlet:
                continue
            sf = fact_of[a.claim] == fact_of[b.claim]
            alone = per_claim_dim.get((a.claim, a.m.dimension)) == 1 and per_claim_dim.get((b.claim, b.m.dimension)) == 1
            if not same_topic(a, b, sf, float(cos[a.claim, b.claim]), alone):
                continue
            candidates.append((i, j, sf))
    # inside one pair of claims, each measurement meets only its best counterpart
    # ('sept personnes blessées, dont quatre pompiers' / 'trois blessés : deux pompiers')
    def affinity(p: tuple[int, int, bool]) -> tuple[int, int]:
        a, b = meas[p[0]], meas[p[1]]
        return (len(a.counted & b.counted) + (a.counted == b.counted), len((a.thing | a.action) & (b.thing | b.action)))

    taken: set[tuple[int, int]] = set()
    for i, j, sf in sorted(candidates, key=affinity, reverse=True):
        ci, cj = meas[i].claim, meas[j].claim
        if (i, cj) in taken or (j, ci) in taken:
            continue
        taken.add((i, cj))
        taken.add((j, ci))
        adj[i].add(j)
        adj[j].add(i)
        if not overlaps(meas[i].m, meas[j].m):
            disjoint_pairs.append((i, j))
    if not disjoint_pairs:
        return []
    rules = rules_for(articles[0].language if articles else "fr")
    toll = {stem(w) for w in getattr(rules, "TOLL_LEMMAS", set())}
    cues = getattr(rules, "UPDATE_CUES", None)
    # one topic per seed pair of disjoint values: the seeds and what matches them directly (no chains)
    by_topic: dict[int, list[tuple[int, int]]] = {}
    topic_members: dict[int, list[int]] = {}
    used: set[int] = set()
    strength = lambda p: -len((meas[p[0]].thing | meas[p[0]].action) & (meas[p[1]].thing | meas[p[1]].action))
    for i, j in sorted(disjoint_pairs, key=strength):
        owner = next((r for r, ms in topic_members.items() if i in ms and j in ms), None)
        if owner is not None:
            by_topic[owner].append((i, j))
            continue
        if i in used or j in used:
            continue
        members = sorted({i, j} | {k for k in adj[i] | adj[j] if k not in used})
        used.update(members)
        topic_members[i] = members
        by_topic[i] = [(i, j)]
    out: list[Conflict] = []
    for root, pairs in by_topic.items():
        members = topic_members[root]
        sub = [meas[k] for k in members]
        groups = []
        for g in group_values(sub):
            first = sub[g[0]].m
            outlets: list[str] = []
            for k in g:
                o = articles[sub[k].art].outlet
                if o not in outlets:
                    outlets.append(o)
            groups.append(
                ValueGroup(value=first.text, outlets=outlets, spans=[sub[k].m.span for k in g], low=first.low, high=first.high)
            )
        verdicts = [_is_update(meas[i], meas[j], articles, claims, toll, cues) for i, j in pairs]
        update = any(v is True for v in verdicts) and all(v is not False for v in verdicts)
        facts = {fact_of[meas[k].claim] for k in members if meas[k].claim is not None}
        topic = next((meas[k].m.measures for k in members if meas[k].m.measures), None)
        if not topic:
            best = max(facts, key=lambda f: fact_centrality[f])
            topic = fact_texts[best]
        outlets_involved = {o for g in groups for o in g.outlets}
        out.append(
            Conflict(
                topic=topic,
                kind=sub[0].m.dimension,
                groups=groups,
                update_over_time=update,
                centrality=len(outlets_involved) + max(fact_centrality[f] for f in facts),
                note="valeur mise à jour entre deux dates de publication" if update else None,
            )
        )
    return out


def _is_update(a: MeasInfo, b: MeasInfo, articles: list[AnalysedArticle], claims: list[ClaimInfo], toll: set[str], cues) -> bool | None:
    """True: the later article updates a toll; False: same day or no sign of an update; None: a date is unknown."""
    da, db = articles[a.art].article.date or "", articles[b.art].article.date or ""
    if len(da) < 10 or len(db) < 10:
        return None
    if da == db:
        return False
    early, late = (a, b) if da < db else (b, a)
    cue = bool(cues and late.claim is not None and cues.search(claims[late.claim].claim.text))
    grows = midpoint(late.m) > midpoint(early.m)
    tolls = bool((a.thing | a.action | b.thing | b.action) & toll)
    return cue or (grows and tolls)


def date_conflicts(
    dates: list[tuple[int, int | None, DateMention, str]],
    claims: list[ClaimInfo],
    articles: list[AnalysedArticle],
    fact_of: list[int],
    fact_centrality: list[float],
    fact_texts: list[str],
    cos: np.ndarray,
    lemma_overlap: np.ndarray,
) -> list[Conflict]:
    """Two outlets date one event on different days: dates governed by the same verb ('avait franchi
    la frontière mardi' / 'dès le 11 septembre') in claims that say the same thing (aligned, or very
    similar with shared words). A claim's other dates (publication day, 'au lendemain') never meet."""
    items = [(k, c, d, v) for k, c, d, v in dates if c is not None and d.date and d.precision in ("day", "range") and v]
    n = len(items)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def rng(d: DateMention) -> tuple[str, str]:
        return d.date[:10], (d.end or d.date)[:10]

    clash = []
    for i in range(n):
        ki, ci, di, vi = items[i]
        for j in range(i + 1, n):
            kj, cj, dj, vj = items[j]
            if articles[ki].outlet == articles[kj].outlet or vi != vj:
                continue
            if fact_of[ci] != fact_of[cj] and (cos[ci, cj] < MEAS_CTX_MIN or lemma_overlap[ci, cj] < 0.15):
                continue
            parent[find(i)] = find(j)
            (a0, a1), (b0, b1) = rng(di), rng(dj)
            if a1 < b0 or b1 < a0:
                clash.append(i)
    out = []
    for root in {find(i) for i in clash}:
        members = [i for i in range(n) if find(i) == root]
        groups: dict[str, ValueGroup] = {}
        for i in members:
            k, c, d, _ = items[i]
            key = d.date if not d.end else f"{d.date}/{d.end}"
            g = groups.setdefault(key, ValueGroup(value=key, outlets=[], spans=[]))
            if articles[k].outlet not in g.outlets:
                g.outlets.append(articles[k].outlet)
            g.spans.append(d.span)
        f = fact_of[items[members[0]][1]]
        outlets = {o for g in groups.values() for o in g.outlets}
        phrases = []
        for i in members:
            a, d = articles[items[i][0]], items[i][2]
            light = getattr(rules_for(a.language), "LIGHT_LEMMAS", set())
            if p := event_phrase(a, clean_offset(a, d.span.start), clean_offset(a, d.span.end), light):
                phrases.append(p)
        topic = Counter(phrases).most_common(1)[0][0] if phrases else fact_texts[f]
        out.append(Conflict(topic=topic, kind="date", groups=list(groups.values()), centrality=len(outlets) + fact_centrality[f]))
    return out


def _verb_above(article: AnalysedArticle, start: int, light: set[str]):
    toks = article.tokens
    i = bisect.bisect_right([t.start for t in toks], start) - 1
    if i < 0:
        return None
    t, steps = toks[i], 0
    while steps < 6 and t.head != t.i:
        t = toks[t.head]
        steps += 1
        if t.pos == "VERB" and t.lemma.lower() not in light:
            return t
    return None


def governing_verb(article: AnalysedArticle, start: int, light: set[str]) -> str:
    """Lemma of the first verb above the token at clean offset ``start``."""
    t = _verb_above(article, start, light)
    return t.lemma.lower() if t else ""


def event_phrase(article: AnalysedArticle, start: int, end: int, light: set[str], max_words: int = 10) -> str | None:
    """What a date dates, in the article's words: the governing verb with its auxiliaries and what
    follows it up to the date ("avait franchi la frontière russe" for "... mardi"), or its object
    when the date comes first. None when the clause is too long to name the event briefly."""
    v = _verb_above(article, start, light)
    if v is None:
        return None
    toks = article.tokens
    kids = [t for t in toks[max(0, v.i - 4) : v.i] if t.head == v.i and t.dep.startswith("aux")]
    first = kids[0] if kids else v
    if start > v.end:
        words = [t for t in toks[first.i :] if t.end <= start]
    else:
        words = [t for t in toks[first.i :] if t.sent == v.sent and t.start >= first.start]
        words = words[: next((k for k, t in enumerate(words) if t.pos == "PUNCT" or start <= t.start < end), len(words))]
    while words and (words[-1].pos in ("ADP", "DET", "PUNCT", "CCONJ") or words[-1].text.lower() in ("dès", "depuis")):
        words.pop()
    if not words or len(words) > max_words:
        return None
    return article.article.text[words[0].start : words[-1].end]


def place_conflicts(
    claims: list[ClaimInfo],
    articles: list[AnalysedArticle],
    facts: list[list[int]],
    fact_centrality: list[float],
    fact_texts: list[str],
    score: np.ndarray | None = None,
    min_score: float = 0.0,
) -> list[Conflict]:
    """Aligned claims, close paraphrases of each other, that each put the event in one place, and
    the places differ ('dîner offert au cosmodrome' / 'banquet organisé à Vladivostok')."""
    out = []
    for f, members in enumerate(facts):
        single = {c: claims[c].places[0] for c in members if len(claims[c].places) == 1}
        if score is not None:
            single = {c: p for c, p in single.items() if any(score[c, o] >= min_score for o in single if o != c)}
        if len(single) < 2:
            continue
        groups: list[tuple[set[str], ValueGroup, str]] = []
        for c, (key, text, s, e) in single.items():
            words = set(re.findall(r"\w+", text.lower().replace("’", "'")))
            art = articles[claims[c].art]
            for ws, g, gkey in groups:  # one place named twice: 'cosmodrome de Vostotchny' / 'Vostotchny'
                if key == gkey or key in ws or gkey in words:
                    break
            else:
                g = ValueGroup(value=text, outlets=[], spans=[])
                groups.append((words | {key}, g, key))
            if art.outlet not in g.outlets:
                g.outlets.append(art.outlet)
            g.spans.append(art.article.span(s, e))
        if len(groups) >= 2 and len({o for _, g, _ in groups for o in g.outlets}) >= 2:
            outlets = {o for _, g, _ in groups for o in g.outlets}
            out.append(Conflict(topic=fact_texts[f], kind="place", groups=[g for _, g, _ in groups], centrality=len(outlets) + fact_centrality[f]))
    return out
