"""What a value is about: the interval a hedged measurement stands for, the thing counted or measured, what
happens to it, its holder, period and owner, and the verb that governs a date or a place. Conflicts (conflicts.py,
places.py) and the learned matcher (slots.py) compare values through these."""

from __future__ import annotations

import bisect
from collections import Counter
import math
import re
from dataclasses import dataclass, field
from operator import attrgetter

from ..lang import rules_for
from ..model import AnalysedArticle, Measurement
from ..extract.measures import rounding_step
from .claims import canonical, stem

GENERIC_THINGS = {"perso", "gens", "indiv", "homme", "femme", "fois", "chose"}
NUMBER_NOUN = re.compile(r"^(?:\w+aines?|milliers?|millions?|milliards?|centaines?|dizaines?|douzaines?)$", re.I)
ANY_THING = "*"  # what a catch-all noun is an amount of ('1 500 tonnes de produits')
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
    holder_named: bool = False  # the holder is a name ('Alberto Contador, 26 ans'), not a class of person
    threshold: bool = False  # 'les mineurs de 13 ans', 'gains supérieurs à 25 000 euros': no claim of a value
    owner: frozenset[str] = frozenset()  # names right before the amount in its clause ('BNP Paribas 2,55 milliards')
    listed: bool = False  # one of >= 3 amounts of one dimension in one sentence (an enumeration)
    names: frozenset[str] = frozenset()  # names of its sentence (an enumeration's owner must be among them)
    period: str | None = None  # 'au troisième trimestre', 'sur les neuf premiers mois'
    of: str | None = None  # stem of what an amount is of, written after it ('50 milliards d'euros de positions')
    others: bool = False  # a count of 'autres' things ('quatorze autres otages'): besides someone
    offset: bool = False  # a duration placing a moment from another ('un mois après la découverte'), not a length
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
    """Stems of the counted noun of a count ('80 sapeurs-pompiers' -> {sapeu, pompi}); generic nouns give nothing.
    With no noun, a word the tagger took for an adjective is the thing ('10,5 milliards de quasi-capital')."""
    out: set[str] = set()
    rules = rules_for(article.language)
    toks = article.tokens
    inside = [toks[i] for i in tokens_in(toks, start, end) if toks[i].end <= end and not NUMBER_NOUN.match(toks[i].text)]
    nouns = [t for t in inside if t.pos in ("NOUN", "PROPN")] or [t for t in inside if t.pos == "ADJ"][-1:]
    for t in nouns:
        out |= _stems(canonical(t.lemma, rules))
    return out - GENERIC_THINGS


def measurement_keys(article: AnalysedArticle, start: int, end: int, m: Measurement, light: set[str]) -> tuple[set[str], set[str]]:
    """(thing, action) stems of a measurement from the parse: the counted noun or the subject of the
    governing verb, and the governing verbs/nouns ('80 sapeurs-pompiers ont été mobilisés' ->
    ({sapeu, pompi}, {mobil}))."""
    toks = article.tokens
    rules = rules_for(article.language)
    span = tokens_in(toks, start, end)
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


def _around(article: AnalysedArticle, m: Measurement) -> tuple[str, str]:
    """The words of the sentence before a measurement, with its hedge when the span holds it ('les [moins
    de 16 ans]', 'il y a [près de deux semaines]'), and the text right after it."""
    before, _, e = _before(article, m)
    if m.hedge and m.text.lower().startswith(m.hedge.lower()):
        before += m.hedge + " "
    return before, article.article.text[e : e + 20]


def is_threshold(article: AnalysedArticle, m: Measurement, rules) -> bool:
    """'les mineurs de 13 ans', 'les moins de 16 ans', 'gains supérieurs à 25 000 euros', '13 ans et plus':
    the quantity sets a threshold or a class, it does not report a value."""
    before_re, after_re = getattr(rules, "THRESHOLD_BEFORE", None), getattr(rules, "THRESHOLD_AFTER", None)
    if before_re is None:
        return False
    before, after = _around(article, m)
    if before_re.search(_norm_text(before).rstrip() + " "):
        return True
    return bool(after_re and after_re.match(_norm_text(after)))


def is_offset(article: AnalysedArticle, m: Measurement, rules) -> bool:
    """'un mois après la découverte', 'il y a deux semaines': the duration places a moment, it is not
    how long something lasted ('réclamé pendant deux semaines'); the two are never one value."""
    after_re, before_re = getattr(rules, "OFFSET_AFTER", None), getattr(rules, "OFFSET_BEFORE", None)
    if after_re is None:
        return False
    before, after = _around(article, m)
    return bool(after_re.match(_norm_text(after)) or before_re and before_re.search(_norm_text(before)))


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


_HOLDER_TAIL = r"\s+(?:âgée?s?\s+)?d(?:e\s+|')$"  # "... [âgée] de" before the age
_HOLDER_NOUN = re.compile(r"([\w'-]+)" + _HOLDER_TAIL)
_HOLDER_APPOS = re.compile(r"([\w'-]+)\s*[,(]\s*$")


def age_holder(article: AnalysedArticle, m: Measurement, rules) -> tuple[str | None, bool]:
    """The person an age is given to: the person noun it hangs on ('une femme âgée de 34 ans', 'le
    garçon de deux ans et demi') read as its class (child / woman / man), or the name it is apposed
    to ('Mohamed, deux ans et demi,'); None when not found. True when it is a name."""
    before, _, _ = _before(article, m, 50)
    text = before.replace("’", "'")
    classes = getattr(rules, "PERSON_CLASSES", {})
    for name, nouns in classes.items():  # "la mère de famille de 34 ans": a person noun of several words
        if any(" " in n and re.search(rf"(?<![\w-]){re.escape(n)}{_HOLDER_TAIL}", text.lower()) for n in nouns):
            return name, False
    mm = _HOLDER_NOUN.search(text.lower()) or _HOLDER_APPOS.search(text)
    if not mm:
        return None, False
    word = mm.group(1).split("'")[-1]
    low = word.lower()
    for name, nouns in classes.items():
        if low in nouns or low.rstrip("s") in nouns:
            return name, False
    if mm.re is _HOLDER_APPOS and word[:1].isupper():
        return low, True
    if low in getattr(rules, "AGE_HOLDER_NOUNS", ()):
        return low, False
    return None, False


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
        if lo <= t.start and t.end <= s and _name_word(t):
            names.add(t.text.lower())
    return frozenset(names)


def _name_word(t) -> bool:
    """A word of a name, for the owners of an enumeration and the names of a sentence."""
    return t.pos == "PROPN" or bool(t.ent and t.text[:1].isupper())


def sentence_names(article: AnalysedArticle, m: Measurement) -> frozenset[str]:
    """The names of the amount's sentence, lower-cased words as ``enum_owner`` gives them."""
    if m.sentence is None or not 0 <= m.sentence < len(article.sentences):
        return frozenset()
    s = article.sentences[m.sentence]
    return frozenset(t.text.lower() for t in article.tokens[s.tok_start : s.tok_end] if _name_word(t))


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
    if a.m.dimension == "age" and a.holder_named and b.holder_named:
        return True  # one named person has one age, whatever the sentences: 'Contador, 25 ans' / 'Alberto Contador, 26 ans'
    if _of_differs(a, b) or _of_differs(b, a):
        return False  # '50 milliards d'euros de positions' / 'une perte de 5 milliards d'euros'
    if a.m.dimension == "count" and a.others != b.others:
        return False  # 'quatorze autres otages' (besides someone) / '15 otages'
    if a.offset != b.offset:
        return False  # 'un mois après la découverte' (a moment) / 'réclamé pendant deux semaines' (a length)
    if a.period != b.period:
        return False  # 'perte de 234 millions au troisième trimestre' / 'perte de 751 millions'
    if (a.listed or b.listed) and a.owner and b.owner and not a.owner & b.owner:
        return False  # items of an enumeration given to different owners: 'Crédit Agricole 3 milliards, BNP 2,55'
    if a.listed and a.owner and not b.owner and not a.owner & b.names or b.listed and b.owner and not a.owner and not b.owner & a.names:
        return False  # 'Banque Populaire 950 millions' (one bank's share) / 'un crédit relais de 5 milliards' (no bank named)
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
    return len(shared_all) >= 2 or (a.m.dimension == "count" and bool(shared_all) and _counts_anyone(a, b))


def _counts_anyone(a: MeasInfo, b: MeasInfo) -> bool:
    """One side counts a generic noun ('sept personnes blessées'), which another outlet may name by what
    happened to them ('trois blessés'): one shared word of what is measured is then enough. A count that
    names nothing ('un bénéfice de 437 millions') or a thing of its own ('10,5 milliards de quasi-capital')
    is not such a count."""
    if a.counted and b.counted:
        return False
    return any(not x.counted and x.m.measures and any(_stems(w) & GENERIC_THINGS for w in re.findall(r"[\w-]{4,}", x.m.measures.lower()))
               for x in (a, b))


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
                x.holder, x.holder_named = age_holder(art, x.m, rules)
            if x.m.dimension in ("money", "percentage"):
                x.period = report_period(art, x.m, rules)
            if x.m.dimension in ("money", "mass"):
                x.of = amount_of(art, x.m, rules)
            if x.m.dimension == "duration":
                x.offset = is_offset(art, x.m, rules)
            other = getattr(rules, "OTHER_WORDS", None)
            x.others = bool(x.m.dimension == "count" and other and other.search(x.m.text))
            if x.m.dimension in ("money", "count", "percentage", "mass"):
                x.listed = per_sentence[(x.art, x.m.sentence, x.m.dimension)] >= 3
                x.owner = enum_owner(art, x.m, rules)
                x.names = sentence_names(art, x.m)
        except Exception:  # odd offsets: no extra knowledge rather than a crash
            continue


_START = attrgetter("start")


def tokens_in(toks, start: int, end: int) -> range:
    """Indexes of the tokens starting in [start, end) of clean text (tokens are sorted by offset)."""
    return range(bisect.bisect_left(toks, start, key=_START), bisect.bisect_left(toks, end, key=_START))


def heads_above(article: AnalysedArticle, start: int, steps: int):
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
    return next((t for t in heads_above(article, start, 6) if t.pos == "VERB" and t.lemma.lower() not in light), None)


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

