"""Claims: the sentences (or clauses, when a sentence joins two facts) that outlets assert."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..lang import canonical, canonical_set, rules_for  # noqa: F401  (canonical: read by values.py and places.py)
from ..model import AnalysedArticle, Claim, ClaimSource, EntityIndex, Quote

CONTENT_POS = {"NOUN", "PROPN", "VERB", "ADJ", "NUM"}


@dataclass
class ClaimInfo:
    """A claim plus what alignment needs: token range, content lemmas, entities."""

    claim: Claim
    art: int  # index of the article in the compared list
    start: int  # clean offsets
    end: int
    tok_start: int
    tok_end: int
    lemmas: set[str] = field(default_factory=set)
    entities: set[str] = field(default_factory=set)
    places: list[tuple[str, str, int, int]] = field(default_factory=list)  # (key, text, clean start, clean end)
    measurements: list[int] = field(default_factory=list)  # indexes into the flat measurement list
    dates: list[int] = field(default_factory=list)
    sources: list[tuple[ClaimSource, Quote]] = field(default_factory=list)  # who it comes from (attributed.py)


def stem(word: str) -> str:
    """A crude French stem (5 letters) so that 'blessé'/'blessées'/'blesser' meet."""
    w = word.lower().strip("'’-")
    return w[:5] if len(w) > 5 else w


def _children(article: AnalysedArticle, t0: int, t1: int) -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for t in article.tokens[t0:t1]:
        if t.head != t.i:
            kids.setdefault(t.head, []).append(t.i)
    return kids


def _subtree_min(i: int, kids: dict[int, list[int]]) -> int:
    lo, stack = i, [i]
    while stack:
        k = stack.pop()
        lo = min(lo, k)
        stack.extend(kids.get(k, ()))
    return lo


def content_count(article: AnalysedArticle, t0: int, t1: int) -> int:
    return sum(1 for t in article.tokens[t0:t1] if t.pos in CONTENT_POS)


def _split_points(article: AnalysedArticle, t0: int, t1: int, marks: set[str], speech: frozenset[str] = frozenset()) -> list[int]:
    """Token indexes where a new clause with its own subject starts (conj of the root, 'tandis que', ';').

    A verb of saying whose subject follows it ("..., a affirmé Paul Lemoine, conseiller") is an
    incise that attributes the clause before it, not a second fact: the sentence is not cut there
    (cut off, the statement would lose its source and the incise would stand as a fact of its own)."""
    toks = article.tokens
    kids = _children(article, t0, t1)
    roots = [t.i for t in toks[t0:t1] if t.dep == "ROOT" or t.head == t.i]
    points: set[int] = set()
    for t in toks[t0:t1]:
        if t.text == ";":
            points.add(t.i + 1)
    for r in roots:
        for c in kids.get(r, ()):
            tc = toks[c]
            if tc.pos not in ("VERB", "AUX", "ADJ", "NOUN") or c < r:
                continue
            subjects = [k for k in kids.get(c, ()) if toks[k].dep.startswith("nsubj")]
            if not subjects:
                continue
            if tc.lemma.lower() in speech and all(k > c for k in subjects):
                continue  # an attribution incise: "..., a affirmé Paul Lemoine"
            if tc.dep == "conj":
                points.add(_subtree_min(c, kids))
            elif tc.dep.startswith("advcl") and any(toks[k].dep == "mark" and toks[k].text.lower() in marks for k in kids.get(c, ())):
                points.add(_subtree_min(c, kids))
    return sorted(p for p in points if t0 < p < t1)


_CLOSING = {"«": "»", "“": "”", '"': '"'}
_OPENING = {v: k for k, v in _CLOSING.items()}
INCISE_REACH = 200  # tokens back from a closing mark to its opening one


def _quote_before_incise(article: AnalysedArticle, a: int, speech: frozenset[str]) -> int | None:
    """Where the quotation starts when the clause at token ``a`` is only its incise ('"Je n'y vois aucun
    intérêt !", s'exclame Antoine Deneriaz, champion olympique'): the parser cut after the "!", or a line
    break came between the closing mark and the verb. Cut off, the incise stood as a fact of its own
    (RPM2 T08_C2) and the quote lost its speaker."""
    toks = article.tokens
    t = toks[a]
    if not t.text[:1].islower():
        return None
    k = a - 1
    while k >= 0 and (toks[k].text == "," or not toks[k].text.strip()):
        k -= 1
    if k < 0 or toks[k].text not in _OPENING:
        return None
    if not any(toks[j].lemma.lower() in speech for j in range(a, min(len(toks), a + 4))):
        return None  # "», qui ..." or "» et ...": not an incise
    want = _OPENING[toks[k].text]
    for j in range(k - 1, max(-1, k - INCISE_REACH), -1):
        if toks[j].text == want:
            return j
        if toks[j].text == toks[k].text and want != toks[k].text:
            return None  # another closing mark first: the marks do not pair
    return None


def _trim(article: AnalysedArticle, t0: int, t1: int, marks: set[str]) -> tuple[int, int]:
    """Drop joining words, punctuation and white space at the edges of a clause.

    A claim never ends on the line breaks after its sentence: the clean text's paragraph break may
    stand for original characters after a removed caption or credit, which the claim's span would
    then cover ("... dirigeants.\n/Photo prise le 17 octobre 2008/REUTERS/X")."""
    toks = article.tokens
    while t0 < t1 and (toks[t0].pos in ("PUNCT", "CCONJ") or not toks[t0].text.strip() or toks[t0].text.lower() in marks | {"que", "qu'", "qu’"}):
        if toks[t0].text in _CLOSING and any(t.text == _CLOSING[toks[t0].text] for t in toks[t0 + 1 : t1]):
            break  # "« Aucun accord n'a été signé », a indiqué ...": the quote keeps its opening mark
        t0 += 1
    while t1 > t0 and (toks[t1 - 1].pos == "CCONJ" or not toks[t1 - 1].text.strip() or toks[t1 - 1].text in {",", ";", "—", "–", "-"}):
        t1 -= 1
    return t0, t1


def split_claims(article: AnalysedArticle, art_index: int, entities: EntityIndex) -> list[ClaimInfo]:
    """Claims of one article, skipping boilerplate and claims with fewer than 4 content words.

    An attributed sentence ("..., a indiqué le ministère", "Selon les agences, ...") is a claim like
    any other: the outlet reports it; attributed.py records who it comes from."""
    # words of people's names are never places ('le prix Nobel remis à Lech Walesa': a recipient)
    person_words = _person_words(entities)
    rules = rules_for(article.language)
    marks = set(getattr(rules, "CLAUSE_SPLIT_MARKS", {"et"}))
    boiler = getattr(rules, "CLAIM_BOILERPLATE", None)
    light = getattr(rules, "LIGHT_LEMMAS", set())
    speech = frozenset(getattr(rules, "SPEECH_VERBS", ()))
    out: list[ClaimInfo] = []
    toks = article.tokens
    for s in article.sentences:
        if s.tok_end <= s.tok_start:
            continue
        if boiler is not None and boiler.search(s.text or ""):
            continue
        cuts = [s.tok_start] + _split_points(article, s.tok_start, s.tok_end, marks, speech) + [s.tok_end]
        segments = list(zip(cuts, cuts[1:]))
        merged: list[tuple[int, int]] = []
        for a, b in segments:  # a clause too short to stand alone stays with its neighbour
            if merged and (content_count(article, *_trim(article, a, b, marks)) < 4 or content_count(article, *_trim(article, *merged[-1], marks)) < 4):
                merged[-1] = (merged[-1][0], b)
            else:
                merged.append((a, b))
        for a, b in merged:
            a, b = _trim(article, a, b, marks)
            if b <= a:
                continue
            # keep a final full stop that belongs to the sentence
            if b < s.tok_end and toks[b].text in {".", "!", "?"} and b == s.tok_end - 1:
                b += 1
            if content_count(article, a, b) < 4:
                continue
            opening = _quote_before_incise(article, a, speech)
            if opening is not None:  # the quote and its incise are one statement: earlier claims inside it go
                a = opening
                while out and out[-1].tok_start >= a:
                    out.pop()
            start, end = toks[a].start, toks[b - 1].end
            span = article.article.span(start, end)
            cid = f"{article.id}#c{len(out) + 1}"
            info = ClaimInfo(
                claim=Claim(id=cid, article=article.id, outlet=article.outlet, text=span.text, span=span, sentence=s.index),
                art=art_index,
                start=start,
                end=end,
                tok_start=a,
                tok_end=b,
            )
            info.lemmas = canonical_set(
                (t.lemma.lower() for t in toks[a:b] if t.pos in CONTENT_POS and t.lemma.lower() not in light and re.search(r"\w", t.lemma)),
                rules,
            )
            for m in article.mentions:
                if m.tok_start >= a and m.tok_end <= b:
                    eid = entities.by_mention.get((article.id, m.index))
                    if eid:
                        info.entities.add(eid)
            info.places = [p for p in find_places(article, a, b, rules) if p[0] not in person_words]
            out.append(info)
    return out


def _person_words(entities: EntityIndex) -> set[str]:
    per, loc = set(), set()
    for e in getattr(entities, "entities", None) or []:
        words = {w.lower() for n in [e.name, *e.aliases] for w in re.findall(r"\w+", n) if len(w) > 2}
        (per if e.type == "PER" else loc if e.type in ("LOC", "GPE") else set()).update(words)
    return per - loc


def find_places(article: AnalysedArticle, t0: int, t1: int, rules) -> list[tuple[str, str, int, int]]:
    """Places a clause puts something at: 'à Vladivostok', 'au cosmodrome', 'dans le gymnase municipal'."""
    toks = article.tokens
    nouns = getattr(rules, "PLACE_NOUNS", set())
    preps = getattr(rules, "PLACE_PREPOSITIONS", set())
    transfer = getattr(rules, "TRANSFER_VERBS", set())
    kids = _children(article, t0, t1)
    out = []
    for t in toks[t0:t1]:
        if t.pos not in ("NOUN", "PROPN") or not t.dep.startswith(("obl", "nmod")):
            continue
        case = [toks[k] for k in kids.get(t.i, ()) if toks[k].dep == "case"]
        if not case or case[0].text.lower() not in preps:
            continue
        is_loc = t.ent in ("LOC", "GPE")
        if not (t.lemma.lower() in nouns or is_loc):
            continue
        if is_loc and toks[t.head].lemma.lower() in transfer:
            continue  # 'livrer à Moscou' names a recipient, not where something happened
        if toks[t.head].lemma.lower() in getattr(rules, "ROLE_NOUNS", {}):
            continue  # 'secrétaire à la Défense', 'ministre au Commerce': a post, not a place
        # the phrase: the noun with its modifiers ('salle des fêtes', 'gymnase municipal', 'cosmodrome de Vostotchny')
        lo, hi = t.i, t.i
        for k in kids.get(t.i, ()):
            if toks[k].dep in ("amod", "nmod", "flat:name", "fixed", "compound") or (toks[k].dep == "case" and k > t.i):
                sub_lo = _subtree_min(k, kids)
                sub_hi = max([k] + _subtree_all(k, kids))
                if sub_lo >= lo - 2:
                    hi = max(hi, sub_hi)
        while hi > t.i and toks[hi].pos == "PUNCT":
            hi -= 1
        # key: a named place inside the phrase ('hôpital de Nantes' -> nantes), else the place noun
        named = [toks[k] for k in range(t.i, hi + 1) if toks[k].ent in ("LOC", "GPE") and toks[k].pos == "PROPN"]
        key = (named[0].text if named else t.lemma).lower()
        out.append((key, article.article.text[t.start : toks[hi].end], t.start, toks[hi].end))
    return out


def _subtree_all(i: int, kids: dict[int, list[int]]) -> list[int]:
    out, stack = [], [i]
    while stack:
        k = stack.pop()
        out.append(k)
        stack.extend(kids.get(k, ()))
    return out
