"""The same quote across outlets (verbatim, truncated or re-worded) and conflicting attributions."""

from __future__ import annotations

import re
import unicodedata

import numpy as np
from rapidfuzz import fuzz

from ..model import Conflict, Quote, QuoteVariant, SharedQuote, ValueGroup

MIN_WORDS = 4  # shorter quoted bits ('tremplin', 'voisin et ami') are terms, matched only verbatim
PARTIAL_MIN = 92  # rapidfuzz partial_ratio for a truncated quote
TOKEN_SET_MIN = 85  # rapidfuzz token_set_ratio for a re-ordered or lightly edited quote
EMBED_MIN = 0.93  # cosine for a re-worded or translated quote (with some shared words)
SAME_LENGTH_MIN = 0.6  # words of the shorter / the longer, for the token-set rule


def normalise(text: str) -> str:
    t = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'").lower()
    t = re.sub(r"[«»“”\"\u202f\u00a0]", " ", t)
    t = re.sub(r"[^\w' ]+", " ", t)
    return re.sub(r"\s+", " ", t).strip()


def same_quote(a: str, b: str, cos: float) -> bool:
    na, nb = normalise(a), normalise(b)
    if not na or not nb:
        return False
    if na == nb:
        return True
    short = min(len(na.split()), len(nb.split()))
    if short < MIN_WORDS:
        return False
    # re-ordered or lightly edited: of about the same length (a short quote whose words all occur in
    # a long one, "Les banques françaises sont solides", is another statement)
    if fuzz.token_set_ratio(na, nb) >= TOKEN_SET_MIN and short / max(len(na.split()), len(nb.split())) >= SAME_LENGTH_MIN:
        return True
    if fuzz.partial_ratio(na, nb) >= PARTIAL_MIN and min(len(na), len(nb)) >= 20:
        return True
    return cos >= EMBED_MIN and fuzz.token_set_ratio(na, nb) >= 50


def needs_cosine(a: str, b: str) -> bool:
    """True when ``same_quote(a, b, cos)`` depends on ``cos``: only then are the quotes embedded."""
    return not same_quote(a, b, -1.0) and same_quote(a, b, 1.0)


def quotes_to_embed(quotes: list[Quote]) -> list[int]:
    """Indexes of the quotes that meet a quote of another article whose match needs the cosine
    (re-worded, with some shared words); every other pair is decided by the text alone."""
    keep: set[int] = set()
    for i in range(len(quotes)):
        for j in range(i + 1, len(quotes)):
            if quotes[i].span.article != quotes[j].span.article and needs_cosine(quotes[i].text, quotes[j].text):
                keep.update((i, j))
    return sorted(keep)


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


def shared_quotes(
    quotes: list[Quote], vecs: np.ndarray, texts: dict[str, str] | None = None
) -> tuple[list[SharedQuote], list[Conflict], list[list[int]]]:
    """Groups of matching quotes carried by >= 2 outlets, and the groups whose speakers disagree.

    ``vecs`` rows may be zero for quotes that ``quotes_to_embed`` left out (cosine 0)."""
    n = len(quotes)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(n):
        for j in range(i + 1, n):
            if quotes[i].span.article == quotes[j].span.article:
                continue
            cos = float(vecs[i] @ vecs[j]) if len(vecs) else 0.0
            if same_quote(quotes[i].text, quotes[j].text, cos):
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    shared, conflicts, members = [], [], []
    for idx in groups.values():
        outlets = {quotes[i].outlet for i in idx}
        if len(outlets) < 2:
            continue
        speakers = [named(quotes[i].speaker) for i in idx if named(quotes[i].speaker)]
        # attributions that can clash: full quotes (not a shared term, often a document's wording)
        # whose speaker is named at the quote
        explicit = [named(quotes[i].speaker) for i in idx if quotes[i].kind != "term" and named_at_quote(quotes[i], texts)]
        variants: dict[str, QuoteVariant] = {}
        for i in sorted(idx, key=lambda k: -len(quotes[k].text)):
            q = quotes[i]
            key = normalise(q.text)
            v = variants.setdefault(key, QuoteVariant(text=q.text, outlets=[], spans=[]))
            if q.outlet not in v.outlets:
                v.outlets.append(q.outlet)
            v.spans.append(q.span)
        distinct: list[str] = []
        for s in speakers:
            if not any(same_person(s, d) for d in distinct):
                distinct.append(s)
        if not distinct:  # no full name: keep a description when all agree
            descs = {quotes[i].speaker for i in idx if quotes[i].speaker}
            speaker = descs.pop() if len(descs) == 1 else None
        else:
            speaker = max(distinct, key=len) if len(distinct) == 1 else None
        shared.append(SharedQuote(speaker=speaker, variants=list(variants.values())))
        members.append(idx)
        named_distinct: list[str] = []
        for s in explicit:
            if not any(same_person(s, d) for d in named_distinct):
                named_distinct.append(s)
        if len(named_distinct) > 1:
            by_speaker: dict[str, ValueGroup] = {}
            for i in idx:
                q = quotes[i]
                if q.kind == "term" or not named_at_quote(q, texts):
                    continue
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
