"""Contradictions between outlets: measurements of the same thing whose intervals are disjoint,
different days for one event, different places for one event. Hedges are read through the
intervals extraction gives (``plus de deux heures`` = (2, inf)), so compatible hedges never clash."""

from __future__ import annotations

import bisect
from collections import Counter
import math
import re
from dataclasses import dataclass, field
from operator import attrgetter

import numpy as np

from ..lang import rules_for
from ..model import AnalysedArticle, Conflict, DateMention, EntityIndex, Measurement, ValueGroup
from ..extract.measures import rounding_step
from .claims import ClaimInfo, canonical, stem

GENERIC_THINGS = {"perso", "gens", "indiv", "homme", "femme", "fois", "chose"}
NUMBER_NOUN = re.compile(r"^(?:\w+aines?|milliers?|millions?|milliards?|centaines?|dizaines?|douzaines?)$", re.I)
ANY_THING = "*"  # what a catch-all noun is an amount of ('1 500 tonnes de produits')
EVENT_PLACE_MIN_COS = 0.84  # claim cosine for one event located at two places across facts (event_place_conflicts)
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
    holder: str | None = None  # for ages: the person the age is given to (a person class or a name)
    threshold: bool = False  # 'les mineurs de 13 ans', 'gains supérieurs à 25 000 euros': no claim of a value
    owner: frozenset[str] = frozenset()  # names right before the amount in its clause ('BNP Paribas 2,55 milliards')
    listed: bool = False  # one of >= 3 amounts of one dimension in one sentence (an enumeration)
    period: str | None = None  # 'au troisième trimestre', 'sur les neuf premiers mois'
    of: str | None = None  # stem of what an amount is of, written after it ('50 milliards d'euros de positions')
    others: bool = False  # a count of 'autres' things ('quatorze autres otages'): besides someone
    agrees: set[int] = field(default_factory=set)  # measurements of other outlets found the same thing with compatible values


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
    rules = rules_for(article.language)
    for t in article.tokens:
        if t.start >= start and t.end <= end and t.pos in ("NOUN", "PROPN") and not NUMBER_NOUN.match(t.text):
            out |= _stems(canonical(t.lemma, rules))
    return out - GENERIC_THINGS


def measurement_keys(article: AnalysedArticle, start: int, end: int, m: Measurement, light: set[str]) -> tuple[set[str], set[str]]:
    """(thing, action) stems of a measurement from the parse: the counted noun or the subject of the
    governing verb, and the governing verbs/nouns ('80 sapeurs-pompiers ont été mobilisés' ->
    ({sapeu, pompi}, {mobil}))."""
    toks = article.tokens
    rules = rules_for(article.language)
    span = _tokens_in(toks, start, end)
    idx = list(range(span.start, max(span.stop, span.start + 1))) if span.start < len(toks) else []
    if not idx:
        return set(), set()
    inside = set(idx)
    heads = [i for i in idx if toks[i].head not in inside or toks[i].head == i]
    head = toks[heads[0] if heads else idx[-1]]
    thing: set[str] = set()
    action: set[str] = set()

    def syn(lemma: str, context: set[str] | frozenset[str] = frozenset()) -> str:  # 'feu' -> 'incendie' (SYNONYM_GROUPS)
        return canonical(lemma, rules, context)

    if m.dimension == "count":
        for i in idx:
            t = toks[i]
            if t.pos in ("NOUN", "PROPN") and not NUMBER_NOUN.match(t.text):
                thing |= _stems(syn(t.lemma))
    for w in re.findall(r"[\w-]{4,}", (m.measures or "").lower()):
        if w not in light and not NUMBER_NOUN.match(w):
            thing |= _stems(syn(w))
    sent = article.sentences[toks[idx[0]].sent] if article.sentences else None
    lo, hi = (sent.tok_start, sent.tok_end) if sent else (0, len(toks))
    kids: dict[int, list[int]] = {}
    for t in toks[lo:hi]:
        kids.setdefault(t.head, []).append(t.i)
    # modifiers of the counted thing: 'personnes évacuées', 'blessés légers'
    for i in idx:
        for k in kids.get(i, ()):
            if k not in inside and toks[k].dep in ("amod", "acl", "acl:relcl") and toks[k].pos in ("VERB", "ADJ"):
                action |= _stems(syn(toks[k].lemma))
    stray = _stray_subject_verb(toks, head, idx[0], hi, kids)
    g, steps = head, 0
    prev_dep = head.dep
    while steps < 4 and (g.head != g.i or (steps == 0 and stray is not None)):
        prev_dep = g.dep if steps else head.dep
        g = toks[stray] if steps == 0 and stray is not None else toks[g.head]
        steps += 1
        lem = g.lemma.lower()
        if g.pos in ("AUX", "ADP", "DET", "PUNCT", "CCONJ", "SCONJ"):
            continue
        if g.pos == "VERB":
            # what the verb is said of ('le feu a pris', 'l'incendie, qui a pris'): a verb of an event
            # reads as its synonyms for that event only (EVENT_VERB_SYNONYMS)
            said_of = {syn(toks[k].lemma) for k in kids.get(g.i, ()) if toks[k].dep.startswith("nsubj")}
            if g.dep.startswith("acl") and g.head != g.i:
                said_of.add(syn(toks[g.head].lemma))
            if lem not in light:
                action |= _stems(syn(lem, said_of))
            for k in kids.get(g.i, ()):
                if m.dimension != "count" and toks[k].dep.startswith("nsubj") and toks[k].pos in ("NOUN", "PROPN") and k not in inside:
                    if not _has_case(toks, k, kids):  # 'd'après un document ...': a subject never takes a preposition
                        thing |= _stems(syn(toks[k].lemma))
                if lem not in light and _is_container(toks, k, kids, rules):
                    action |= _stems(toks[k].lemma)  # 'stockées dans le bâtiment', as 'un bâtiment où étaient stockées'
            if g.dep.startswith("acl") and g.head != g.i and toks[g.head].pos in ("NOUN", "PROPN"):
                thing |= _stems(syn(toks[g.head].lemma))  # 'les discussions, qui ont duré ...'
            if g.dep == "conj" and g.head != g.i:  # 'ont été évacuées ... et ont duré': the first verb's subject
                for k in kids.get(g.head, ()):
                    if toks[k].dep.startswith("nsubj") and toks[k].pos in ("NOUN", "PROPN"):
                        thing |= _stems(syn(toks[k].lemma))
            if lem not in light:
                break
        elif g.pos in ("NOUN", "PROPN"):
            if prev_dep == "conj":  # '80 sapeurs-pompiers et au moins 30 engins': a sibling, not the owner
                prev_dep = g.dep
                continue
            if not NUMBER_NOUN.match(g.text):
                thing |= _stems(syn(lem))
        else:
            if lem not in light:
                action |= _stems(syn(lem))
    thing -= GENERIC_THINGS
    return thing, action


def _has_case(toks, i: int, kids: dict[int, list[int]]) -> bool:
    return any(toks[k].dep == "case" for k in kids.get(i, ()))


def _stray_subject_verb(toks, head, first: int, hi: int, kids: dict[int, list[int]]) -> int | None:
    """The verb a measurement is the subject of when the parser hung it on a word before it ('D'après
    un document consulté par Le Quotidien National, plus de 1 500 tonnes de produits étaient stockées
    ...' -> 'stockées', not 'consulté'): as a noun modifier with no preposition (a French noun modifier
    always takes one) or as an object cut from its verb by a comma, followed by a clause verb that has
    no subject of its own (none, or one with a preposition: 'd'après un document'). None otherwise."""
    if head.head >= head.i or _has_case(toks, head.i, kids):
        return None
    after_comma = first > 0 and toks[first - 1].text == ","
    if not (head.dep.startswith("nmod") or (head.dep == "obj" and after_comma)):
        return None
    for t in toks[head.i + 1 : hi]:
        if t.pos == "PUNCT":
            return None
        if t.pos == "VERB":
            if t.dep.startswith("acl"):
                return None  # a participle of a noun ('500 euros versés'), not a clause
            subjects = [k for k in kids.get(t.i, ()) if toks[k].dep.startswith("nsubj")]
            return None if any(not _has_case(toks, k, kids) for k in subjects) else t.i
    return None


def _is_container(toks, i: int, kids: dict[int, list[int]], rules) -> bool:
    """A place complement that holds what is measured: 'stockées dans le bâtiment'."""
    t = toks[i]
    preps = getattr(rules, "CONTAINER_PREPOSITIONS", set())
    return (
        t.dep.startswith("obl")
        and t.lemma.lower() in getattr(rules, "PLACE_NOUNS", set())
        and any(toks[k].dep == "case" and toks[k].text.lower() in preps for k in kids.get(i, ()))
    )


def _norm_text(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'").replace("\u00a0", " ")).lower()


def _before(article: AnalysedArticle, m: Measurement, width: int = 60) -> tuple[str, int, int]:
    """(text of the sentence before the measurement, clean start, clean end)."""
    s, e = article.article.clean_offset(m.span.start), article.article.clean_offset(m.span.end)
    lo = max(0, s - width)
    if article.sentences and m.sentence is not None and 0 <= m.sentence < len(article.sentences):
        lo = max(lo, article.sentences[m.sentence].start)
    return article.article.text[lo:s], s, e


def is_threshold(article: AnalysedArticle, m: Measurement, rules) -> bool:
    """'les mineurs de 13 ans', 'les moins de 16 ans', 'gains supérieurs à 25 000 euros', '13 ans et plus':
    the quantity sets a threshold or a class, it does not report a value."""
    before_re, after_re = getattr(rules, "THRESHOLD_BEFORE", None), getattr(rules, "THRESHOLD_AFTER", None)
    if before_re is None:
        return False
    before, s, e = _before(article, m)
    head = before
    if m.hedge and m.text.lower().startswith(m.hedge.lower()):
        head = before + m.hedge + " "  # the hedge is inside the span: 'les [moins de 16 ans]'
    if before_re.search(_norm_text(head).rstrip() + " "):
        return True
    return bool(after_re and after_re.match(_norm_text(article.article.text[e : e + 20])))


def report_period(article: AnalysedArticle, m: Measurement, rules) -> str | None:
    """The period an amount is reported for, from the words right after it ('au troisième trimestre')."""
    pat = getattr(rules, "PERIOD_AFTER", None)
    if pat is None:
        return None
    e = article.article.clean_offset(m.span.end)
    mm = pat.match(_norm_text(article.article.text[e : e + 80]))
    if not mm:
        return None
    return re.sub(r"\b1er\b", "premier", next(g for g in mm.groups() if g))


def amount_of(article: AnalysedArticle, m: Measurement, rules) -> str | None:
    """Stem of the noun an amount is of when written right after it: '50 milliards d'euros de positions'."""
    pat = getattr(rules, "AMOUNT_OF", None)
    if pat is None or not m.unit:
        return None
    e = article.article.clean_offset(m.span.end)
    mm = pat.match(_norm_text(article.article.text[e : e + 40]))
    if not mm or mm.group(1) in getattr(rules, "AMOUNT_OF_STOP", ()):
        return None
    if mm.group(1) in getattr(rules, "AMOUNT_OF_GENERIC", ()):
        return ANY_THING
    return stem(canonical(mm.group(1), rules))


_HOLDER_NOUN = re.compile(r"([\w'-]+)\s+(?:âgée?s?\s+)?d(?:e\s+|')$")
_HOLDER_APPOS = re.compile(r"([\w'-]+)\s*[,(]\s*$")


def age_holder(article: AnalysedArticle, m: Measurement, rules) -> str | None:
    """The person an age is given to: the person noun it hangs on ('une femme âgée de 34 ans', 'le
    garçon de deux ans et demi') read as its class (child / woman / man), or the name it is apposed
    to ('Mohamed, deux ans et demi,'); None when not found."""
    before, _, _ = _before(article, m, 50)
    text = before.replace("’", "'")
    classes = getattr(rules, "PERSON_CLASSES", {})
    mm = _HOLDER_NOUN.search(text.lower()) or _HOLDER_APPOS.search(text)
    if not mm:
        return None
    word = mm.group(1).split("'")[-1]
    low = word.lower()
    for name, nouns in classes.items():
        if low in nouns or low.rstrip("s") in nouns:
            return name
    if mm.re is _HOLDER_APPOS and word[:1].isupper():
        return low  # a name
    if low in getattr(rules, "AGE_HOLDER_NOUNS", ()):
        return low
    return None


def enum_owner(article: AnalysedArticle, m: Measurement, rules) -> frozenset[str]:
    """Names in the amount's own item of its sentence, between the previous separator (comma, 'tandis
    que', 'et') and the number: 'Crédit Agricole va recevoir 3 milliards, BNP Paribas 2,55 milliards'
    gives {bnp, paribas} for the second."""
    sep = getattr(rules, "ENUM_SEPARATORS", None)
    if sep is None:
        return frozenset()
    before, s, _ = _before(article, m, 200)
    cut = 0
    for x in sep.finditer(before):
        cut = x.end()
    lo = s - len(before) + cut
    names = set()
    for t in article.tokens:
        if lo <= t.start and t.end <= s and (t.pos == "PROPN" or (t.ent and t.text[:1].isupper())):
            names.add(t.text.lower())
    return frozenset(names)


def _written(m: Measurement) -> tuple[float, float] | None:
    """(number as written, magnitude) of an unhedged amount written with 'millions' / 'milliards'."""
    if m.hedge or m.value is None or m.low != m.high:
        return None
    t = m.text.lower()
    mult = 1e9 if "milliard" in t else 1e6 if "million" in t else None
    if mult is None:
        return None
    return m.value / mult, mult


def rounded_equal(a: Measurement, b: Measurement) -> bool:
    """One amount is the other rounded: '5 milliards' / '4,9 milliards', '750 millions' / '751 millions'
    (the rounder one, read to half its last written digit, holds the other)."""
    if a.dimension != b.dimension or a.unit != b.unit or a.value is None or b.value is None:
        return False
    for x, y in ((a, b), (b, a)):
        w = _written(x)
        if w and (y.low is not None and y.high is not None):
            half = rounding_step(w[0]) * w[1] / 2
            if x.value - half < y.low and y.high < x.value + half:
                return True
    return False


def compatible(a: Measurement, b: Measurement) -> bool:
    return overlaps(a, b) or rounded_equal(a, b)


def _of_differs(a: MeasInfo, b: MeasInfo) -> bool:
    """``a`` says what it is an amount of and ``b`` names something else (a catch-all noun names anything)."""
    if not a.of or a.of == ANY_THING or b.of == ANY_THING:
        return False
    return a.of not in b.thing | {b.of}


def same_topic(a: MeasInfo, b: MeasInfo, same_fact: bool, claim_cos: float, alone: bool) -> bool:
    """Two measurements (same dimension, different outlets) measure the same thing.

    In one fact: the counted things agree (when both name one) or the governing words do.
    Across facts: they must share words of what is measured AND sit in very similar claims."""
    if a.m.dimension != b.m.dimension:
        return False
    if a.m.dimension != "count" and a.m.unit and b.m.unit and a.m.unit != b.m.unit:
        return False
    if a.threshold or b.threshold:
        return False  # 'les mineurs de 13 ans': a class, not a value
    if a.m.dimension == "age" and not (a.holder and a.holder == b.holder):
        return False  # ages of one person only: 'une femme âgée de 34 ans' / 'le garçon de deux ans et demi'
    if _of_differs(a, b) or _of_differs(b, a):
        return False  # '50 milliards d'euros de positions' / 'une perte de 5 milliards d'euros'
    if a.m.dimension == "count" and a.others != b.others:
        return False  # 'quatorze autres otages' (besides someone) / '15 otages'
    if a.period != b.period:
        return False  # 'perte de 234 millions au troisième trimestre' / 'perte de 751 millions'
    if (a.listed or b.listed) and a.owner and b.owner and not a.owner & b.owner:
        return False  # items of an enumeration given to different owners: 'Crédit Agricole 3 milliards, BNP 2,55'
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
    if a.m.dimension == "time" and not (shared_thing and a.action & b.action):
        # clock times of different events are common: across facts only for one event, the same thing
        # timed and the same thing happening to it ('le feu a pris vers 23 heures' / 'l'incendie s'est
        # déclaré peu après 2 heures', read through the synonyms of lang: SYNONYM_GROUPS, EVENT_VERB_SYNONYMS)
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


def annotate_measurements(meas: list[MeasInfo], articles: list[AnalysedArticle]) -> None:
    """What each measurement is about beyond its words: a threshold, the holder of an age, the period
    or the owner of an amount, an item of an enumeration, 'autres' things (read once per comparison)."""
    if not meas:
        return
    rules = rules_for(articles[0].language if articles else "fr")
    per_sentence: Counter = Counter((x.art, x.m.sentence, x.m.dimension) for x in meas if x.m.dimension in ("money", "count", "percentage", "mass"))
    for x in meas:
        art = articles[x.art]
        try:
            x.threshold = is_threshold(art, x.m, rules)
            if x.m.dimension == "age":
                x.holder = age_holder(art, x.m, rules)
            if x.m.dimension in ("money", "percentage"):
                x.period = report_period(art, x.m, rules)
            if x.m.dimension in ("money", "mass"):
                x.of = amount_of(art, x.m, rules)
            other = getattr(rules, "OTHER_WORDS", None)
            x.others = bool(x.m.dimension == "count" and other and other.search(x.m.text))
            if x.m.dimension in ("money", "count", "percentage", "mass"):
                x.listed = per_sentence[(x.art, x.m.sentence, x.m.dimension)] >= 3
                x.owner = enum_owner(art, x.m, rules)
        except Exception:  # odd offsets: no extra knowledge rather than a crash
            continue


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
    rules = rules_for(articles[0].language if articles else "fr")
    annotate_measurements(meas, articles)

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
        if compatible(meas[i].m, meas[j].m):
            meas[i].agrees.add(j)
            meas[j].agrees.add(i)
        elif not _also_reported(i, j, meas) and not _also_reported(j, i, meas):
            disjoint_pairs.append((i, j))
    if not disjoint_pairs:
        return []
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


def _also_reported(i: int, j: int, meas: list[MeasInfo]) -> bool:
    """The article of ``i`` also gives ``j``'s value for the same thing (in i's claim, or unhedged with a
    shared word of what is measured): it does not disagree with j ('500 euros versés au départ, 200 au retour' /
    '200 euros à son retour'; 'pertes de 600 millions, réévaluées depuis à 751 millions')."""
    a, b = meas[i], meas[j]
    words_b = b.thing | b.action
    for k, x in enumerate(meas):
        if k == i or x.art != a.art or x.m.dimension != b.m.dimension or x.m.unit != b.m.unit or x.threshold:
            continue
        if not compatible(x.m, b.m):
            continue
        if (x.claim is not None and x.claim == a.claim) or (not x.m.hedge and not b.m.hedge and x.thing & words_b):
            return True
    return False


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
            if p := event_phrase(a, a.article.clean_offset(d.span.start), a.article.clean_offset(d.span.end), light):
                phrases.append(p)
        topic = Counter(phrases).most_common(1)[0][0] if phrases else fact_texts[f]
        out.append(Conflict(topic=topic, kind="date", groups=list(groups.values()), centrality=len(outlets) + fact_centrality[f]))
    return out


_START = attrgetter("start")


def _tokens_in(toks, start: int, end: int) -> range:
    """Indexes of the tokens starting in [start, end) of clean text (tokens are sorted by offset)."""
    return range(bisect.bisect_left(toks, start, key=_START), bisect.bisect_left(toks, end, key=_START))


def _heads_above(article: AnalysedArticle, start: int, steps: int):
    """The tokens above the token at clean offset ``start`` in the parse, nearest first."""
    toks = article.tokens
    i = bisect.bisect_right(toks, start, key=_START) - 1
    if i < 0:
        return
    t = toks[i]
    for _ in range(steps):
        if t.head == t.i:
            return
        t = toks[t.head]
        yield t


def _verb_above(article: AnalysedArticle, start: int, light: set[str]):
    return next((t for t in _heads_above(article, start, 6) if t.pos == "VERB" and t.lemma.lower() not in light), None)


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
    meas: list[MeasInfo] | None = None,
) -> list[Conflict]:
    """Aligned claims, close paraphrases of each other, that each put the event in one place, and
    the places differ ('dîner offert au cosmodrome' / 'banquet organisé à Vladivostok')."""
    out = []
    for f, members in enumerate(facts):
        single_all = {c: claims[c].places[0] for c in members if len(claims[c].places) == 1}
        # the places must locate the same event: the same governing word ('ont passé la nuit dans la
        # salle' / 'dans le gymnase'), not 'la répression continuait au Tibet' / 'le bureau du Tibet à Paris';
        # or the same group: the subjects of the verbs are one count ('Plus de 60 personnes ... ont passé la
        # nuit dans la salle' / 'Environ 70 personnes ... ont été hébergées dans le gymnase')
        group = {c: same_group_keys(articles[claims[c].art], claims[c], p[2], meas or []) for c, p in single_all.items()}
        gov = {c: place_governors(articles[claims[c].art], p[2]) | group[c] for c, p in single_all.items()}
        by_gov: list[tuple[set[str], dict[int, tuple]]] = []  # claims whose places hang on a shared word
        for c, p in single_all.items():
            hit = [g for g in by_gov if g[0] & gov[c] or not gov[c] and not g[0]]
            if hit:
                for other in hit[1:]:
                    hit[0][0].update(other[0])
                    hit[0][1].update(other[1])
                    by_gov.remove(other)
                hit[0][0].update(gov[c])
                hit[0][1][c] = p
            else:
                by_gov.append((set(gov[c]), {c: p}))
        for _, single in by_gov:
            out.extend(_place_conflict(single, f, claims, articles, fact_centrality, fact_texts, score, min_score, group))
    return out


def same_group_keys(article: AnalysedArticle, claim: ClaimInfo, start: int, meas: list[MeasInfo]) -> set[str]:
    """Keys of the counts that are the subject of the verb a place hangs on, with the counts of other
    outlets found the same with compatible values: two claims sharing a key put one group of people
    or things somewhere ('Plus de 60 personnes ... ont passé la nuit dans la salle' / 'Environ 70
    personnes ... ont été hébergées dans le gymnase')."""
    verb = next((t for t in _heads_above(article, start, 4) if t.pos == "VERB"), None)
    if verb is None or not meas:
        return set()
    toks = article.tokens
    out: set[str] = set()
    for k in claim.measurements:
        x = meas[k]
        if x.m.dimension != "count" or not x.agrees:
            continue
        span = _tokens_in(toks, article.article.clean_offset(x.m.span.start), article.article.clean_offset(x.m.span.end))
        if any(toks[i].head == verb.i and toks[i].dep.startswith("nsubj") for i in span):
            out |= {f"#count{j}" for j in x.agrees | {k}}
    return out


def place_governors(article: AnalysedArticle, start: int) -> set[str]:
    """Lemmas of the words a place phrase hangs on, up to the first verb: 'passé la nuit dans la
    salle' gives {nuit, passer} whichever of the two the parser hangs the place on."""
    toks = article.tokens
    rules = rules_for(article.language)
    out: set[str] = set()
    t = None
    for t in _heads_above(article, start, 4):
        if t.pos in ("VERB", "NOUN"):
            out.add(canonical(t.lemma, rules))  # read through the synonyms: 'dîner' / 'banquet'
        if t.pos == "VERB":
            break
    if t is None:
        return out
    if t.pos == "VERB" or t.head == t.i:  # the verb's object too: 'passé [la nuit] dans la salle'
        out |= {canonical(k.lemma, rules) for k in toks[max(0, t.i - 8) : t.i + 8] if k.head == t.i and k.dep == "obj" and k.pos == "NOUN"}
    return out


def _place_conflict(single, f, claims, articles, fact_centrality, fact_texts, score, min_score, group=None) -> list[Conflict]:
    """One place conflict of fact ``f`` when its claims (one place each, same governing word) name different places."""
    out: list[Conflict] = []
    group = group or {}
    if score is not None:  # close paraphrases, or one group of people or things
        single = {c: p for c, p in single.items() if any(score[c, o] >= min_score or group.get(c, set()) & group.get(o, set()) for o in single if o != c)}
    if len(single) < 2:
        return out
    groups = _place_groups(single.items(), claims, articles)
    if len(groups) >= 2 and len({o for g in groups for o in g.outlets}) >= 2:
        out.append(_place_conflict_of(groups, f, fact_texts, fact_centrality))
    return out


def _same_place(p: tuple, q: tuple) -> bool:
    """One place named twice: 'cosmodrome de Vostotchny' / 'Vostotchny' (places are (key, text, start, end))."""
    wp = set(re.findall(r"\w+", p[1].lower().replace("’", "'"))) | {p[0]}
    wq = set(re.findall(r"\w+", q[1].lower().replace("’", "'"))) | {q[0]}
    return p[0] in wq or q[0] in wp


def _place_groups(items, claims: list[ClaimInfo], articles: list[AnalysedArticle]) -> list[ValueGroup]:
    """Value groups of (claim, place) items, one per place (the first naming of it gives the value)."""
    groups: list[tuple[tuple, ValueGroup]] = []
    for c, p in items:
        art = articles[claims[c].art]
        g = next((g for q, g in groups if _same_place(p, q)), None)
        if g is None:
            g = ValueGroup(value=p[1], outlets=[], spans=[])
            groups.append((p, g))
        if art.outlet not in g.outlets:
            g.outlets.append(art.outlet)
        g.spans.append(art.article.span(p[2], p[3]))
    return [g for _, g in groups]


def _place_conflict_of(groups: list[ValueGroup], f: int, fact_texts: list[str], fact_centrality: list[float]) -> Conflict:
    outlets = {o for g in groups for o in g.outlets}
    return Conflict(topic=fact_texts[f], kind="place", groups=groups, centrality=len(outlets) + fact_centrality[f])


def place_events(article: AnalysedArticle, start: int) -> dict[str, int]:
    """The events (``EVENT_PLACE_NOUNS``: canonical nouns of ``SYNONYM_GROUPS``) that a place phrase
    locates, with the token of the event noun: the event noun it hangs on ('le dîner au cosmodrome'),
    or, when it hangs on a verb, that verb's subject or object ('la réunion s'est tenue à Genève', 'ont
    organisé une manifestation à Lyon') or the noun the verb (a participle) describes ('un dîner offert
    au cosmodrome')."""
    rules = rules_for(article.language)
    events = getattr(rules, "EVENT_PLACE_NOUNS", set())
    out: dict[str, int] = {}
    if not events:
        return out
    toks = article.tokens
    for t in _heads_above(article, start, 4):
        if t.pos in ("NOUN", "PROPN"):  # the first noun above: an event, or something else
            if t.pos == "NOUN" and (k := canonical(t.lemma, rules)) in events:
                out[k] = t.i
            return out
        if t.pos != "VERB":
            continue
        for k in toks[max(0, t.i - 30) : t.i + 30]:
            if k.head == t.i and k.i != t.i and k.pos == "NOUN" and k.dep in ("obj", "nsubj", "nsubj:pass"):
                if (e := canonical(k.lemma, rules)) in events:
                    out.setdefault(e, k.i)
        h = toks[t.head]
        if t.dep == "acl" and h.pos == "NOUN" and (e := canonical(h.lemma, rules)) in events:
            out.setdefault(e, h.i)
        return out
    return out


def event_partners(article: AnalysedArticle, i: int) -> set[str]:
    """Who an event noun is with (``EVENT_PARTNER_PREPOSITIONS``: 'une réunion avec les syndicats',
    'une rencontre organisée à l'université avec les chefs d'entreprise', 'un entretien entre X et Y'),
    read through the synonyms: the complements of the noun, of a participle describing it, or of the
    verb it is the subject or object of."""
    toks = article.tokens
    rules = rules_for(article.language)
    preps = getattr(rules, "EVENT_PARTNER_PREPOSITIONS", set())
    if not preps:
        return set()
    window = toks[max(0, i - 30) : i + 30]
    heads = {i} | {k.i for k in window if k.head == i and k.pos == "VERB" and k.dep == "acl"}
    if toks[i].dep in ("nsubj", "nsubj:pass", "obj") and toks[toks[i].head].pos == "VERB":
        heads.add(toks[i].head)
    out = set()
    for k in window:
        if k.head in heads and k.i not in heads and k.pos in ("NOUN", "PROPN"):
            if any(x.head == k.i and x.dep == "case" and x.text.lower() in preps for x in window):
                out.add(canonical(k.lemma, rules))
    return out


def event_place_conflicts(
    claims: list[ClaimInfo],
    articles: list[AnalysedArticle],
    fact_of: list[int],
    fact_centrality: list[float],
    fact_texts: list[str],
    cos: np.ndarray,
    dates: list[tuple[int, int | None, DateMention, str]],
    entities: EntityIndex | None = None,
    reported: list[Conflict] | None = None,
    min_cos: float = EVENT_PLACE_MIN_COS,
) -> list[Conflict]:
    """One event of a kind, located by two outlets at different places, across facts: 'un dîner
    officiel offert au cosmodrome' / 'un banquet organisé le soir même à Vladivostok' (both read as
    'repas', see ``place_events``). Each article must locate that event in exactly one of its claims
    that name a place and mention the event (so several meetings of one story never meet), the claims
    must be similar (cos >= ``min_cos``), and must not name different people / organisations or
    different days."""
    kind_of = {e.id: e.type for e in (entities.entities if entities else [])}  # places are not the people of a claim
    generic: dict[int, set[str]] = {}  # per article: place nouns that may name the other place ('un bâtiment', 'la capitale')
    # article -> event -> claims with a place that mention the event
    mentions: dict[tuple[int, str], list[int]] = {}
    located: dict[tuple[int, str], list[tuple[int, tuple]]] = {}
    partners: dict[int, set[str]] = {}  # claim -> what its located event is with / of
    for c, info in enumerate(claims):
        if not info.places:
            continue
        a = articles[info.art]
        rules = rules_for(a.language)
        events = getattr(rules, "EVENT_PLACE_NOUNS", set())
        generic[info.art] = getattr(rules, "GENERIC_PLACE_NOUNS", set())
        for e in events & info.lemmas:
            mentions.setdefault((info.art, e), []).append(c)
        for p in info.places:
            for e, i in place_events(a, p[2]).items():
                located.setdefault((info.art, e), []).append((c, p))
                partners[c] = event_partners(a, i)
    days: dict[int, set[str]] = {}
    for _, c, d, _ in dates:
        if c is not None and d.date and d.precision == "day":
            days.setdefault(c, set()).add(d.date[:10])
    by_event: dict[str, list[tuple[int, tuple]]] = {}
    for (k, e), places in located.items():
        if len(places) == 1 and len(mentions.get((k, e), [])) == 1 and places[0][1][0] not in generic.get(k, set()):
            by_event.setdefault(e, []).append(places[0])
    seen = {frozenset((s.article, s.start) for g in x.groups for s in g.spans) for x in reported or [] if x.kind == "place"}

    def people(c: int) -> set[str]:
        return {x for x in claims[c].entities if kind_of.get(x) not in ("LOC", "GPE")}

    def compatible(c: int, o: int) -> bool:
        if articles[claims[c].art].outlet == articles[claims[o].art].outlet or cos[c, o] < min_cos:
            return False
        if people(c) and people(o) and not people(c) & people(o):
            return False
        if partners.get(c) and partners.get(o) and not partners[c] & partners[o]:
            return False  # 'une réunion avec les syndicats' / 'une rencontre avec les chefs d'entreprise'
        return not (days.get(c) and days.get(o) and not days[c] & days[o])

    out: list[Conflict] = []
    for e, items in by_event.items():
        if len(items) < 2:
            continue
        pairs = [(x, y) for x in range(len(items)) for y in range(x + 1, len(items)) if not _same_place(items[x][1], items[y][1])]
        if not any(compatible(items[x][0], items[y][0]) for x, y in pairs):
            continue
        keep = [items[x] for x in range(len(items)) if any(compatible(items[x][0], items[y][0]) for y in range(len(items)) if y != x)]
        groups = _place_groups(keep, claims, articles)
        if len(groups) < 2:
            continue
        key = frozenset((s.article, s.start) for g in groups for s in g.spans)
        if any(key <= k for k in seen):  # already reported inside one fact
            continue
        f = max((fact_of[c] for c, _ in keep), key=lambda f: fact_centrality[f])
        out.append(_place_conflict_of(groups, f, fact_texts, fact_centrality))
    return out


def rule_conflicts(st) -> list[Conflict]:
    """The hand rules' conflicts (measurements, dates, places in one fact, one event at two places) on a
    prepared comparison (``compare.prepare``; ``st`` is its ``slots.State``). The learned matcher
    (``slots.slot_conflicts``) does not beat them yet on real news (docs/benchmarks.md), so they stay
    the default (``config.compare.conflicts``)."""
    members: dict[int, list[int]] = {}
    for k, f in enumerate(st.fact_of):
        members.setdefault(f, []).append(k)
    facts = [members.get(f, []) for f in range(len(st.fact_texts))]
    out = measurement_conflicts(st.meas, st.infos, st.articles, st.fact_of, st.fact_centrality, st.cos, st.fact_texts)
    out += date_conflicts(st.dates, st.infos, st.articles, st.fact_of, st.fact_centrality, st.fact_texts, st.cos, st.lemma_j)
    out += place_conflicts(st.infos, st.articles, facts, st.fact_centrality, st.fact_texts, st.score, st.place_min_score, st.meas)
    out += event_place_conflicts(st.infos, st.articles, st.fact_of, st.fact_centrality, st.fact_texts, st.cos, st.dates, st.entities, out)
    return out
