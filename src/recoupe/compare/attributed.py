"""Attributed statements: who each claim of a fact comes from, and through whom.

Almost everything in a news story is attributed: "Les deux dirigeants ont échangé des cadeaux, a
indiqué jeudi le ministère", "Selon les agences, Paris a proposé une médiation". Such a sentence is
a claim of the outlet that carries it, aligned and counted like any other (claims.py skips nothing
for being attributed: the outlet reports that the ministry said so). This module adds what makes
the attribution visible:

- ``attribute_claims``: each claim's sources, from the quotes extraction found in it (indirect
  speech and "selon X" with their speaker and verb; direct quotes with their speaker), with the
  relay the sentence names ("selon l'AFP, citant KCNA": KCNA through AFP) and the kind of source
  from the attributions of provenance.py. Alignment is left alone: an attributed claim is aligned
  like any other, with the words of its source (measured on RPM2 T01-T12: taking the source's
  words out of the lemmas of indirect speech put 18 fewer attributed claims in multi-outlet facts,
  since outlets reporting one statement mostly name the same source; docs/compare.md).
- ``fact_sources``: the sources of a fact's claims (``Fact.attributed_to``), shown by the renderers,
  so that two outlets giving one statement to different sources can be seen.
- ``attribution_conflicts``: a conflict when two outlets give the same indirect statement to two
  different people, each named where the statement is made (the rules of the shared-quote
  attribution conflict, compare/quotes.py: descriptions, agencies and organisations never clash).
"""

from __future__ import annotations

import re

import numpy as np

from ..model import AnalysedArticle, ClaimSource, Conflict, EntityIndex, Extraction, Fact, Quote, ValueGroup
from .claims import ClaimInfo
from .quotes import named, named_at_quote, normalise, same_person, same_quote

RELAY_KINDS = ("agency", "media")  # a relay passes a statement on: it never contradicts its source
_ENTITY_KINDS = {"PER": "person", "ORG": "organisation", "LOC": "government", "GPE": "government"}


def _same_name(a: str | None, b: str | None) -> bool:
    wa, wb = set(normalise(a or "").split()) - {"l", "le", "la", "les"}, set(normalise(b or "").split()) - {"l", "le", "la", "les"}
    return bool(wa and wb) and (wa <= wb or wb <= wa)


def _claim_of(infos: list[ClaimInfo], mine: list[int], pos: int) -> int | None:
    for k in mine:
        span = infos[k].claim.span
        if span.start <= pos < span.end:
            return k
    return None


def attribute_claims(
    articles: list[AnalysedArticle], infos: list[ClaimInfo], claims_of: list[list[int]], extractions: list[Extraction],
    entities: EntityIndex | None = None,
) -> None:
    """Fill ``ClaimInfo.sources`` from the quotes of each article (in place). The claims' lemmas are
    left as they are: the words of a shared source ("selon le Kremlin" in both) are evidence that
    two outlets report one statement. A speaker extraction marked as a guess (``Quote.unsure``) is an unsure
    source (``ClaimSource.unsure``): as many such are wrong as right ("selon la polémique")."""
    index = {a.id: k for k, a in enumerate(articles)}
    for x in extractions:
        k = index.get(x.article_id)
        if k is None:
            continue
        art = articles[k]
        for q in x.quotes:
            if q.kind == "term" or not q.speaker:
                continue
            c = _claim_of(infos, claims_of[k], q.span.start)
            if c is None and q.speaker_span is not None:
                c = _claim_of(infos, claims_of[k], q.speaker_span.start)
            if c is None:
                continue
            source, relay, kind = q.speaker, None, ""
            for a in x.attributions:
                if a.sentence != q.sentence:
                    continue
                if _same_name(a.primary, source):
                    relay, kind = relay or a.relay, kind or a.primary_kind
                elif a.relay and _same_name(a.relay, source):  # "selon l'AFP, citant KCNA": the AFP relays KCNA
                    source, relay, kind = a.primary, a.relay, a.primary_kind
            if not kind or kind == "unknown":
                entity = entities.get(q.speaker_entity) if entities is not None and q.speaker_entity else None
                kind = _ENTITY_KINDS.get(entity.type, "unknown") if entity is not None else (kind or "unknown")
            info = infos[c]
            if any(s.source == source and s.kind == q.kind for s, _ in info.sources):
                continue
            src = ClaimSource(article=art.id, outlet=art.outlet, source=source, kind=q.kind, source_kind=kind, relay=relay,
                              cue=q.cue, span=q.speaker_span, confidence=q.speaker_confidence,
                              unsure=q.unsure)
            info.sources.append((src, q))


def fact_sources(members: list[int], infos: list[ClaimInfo]) -> list[ClaimSource]:
    """The sources of a fact's claims, in the order of its claims."""
    return [s for c in members for s, _ in infos[c].sources]


def _several_speakers(q: Quote, texts: dict[str, str]) -> bool:
    """The statement is given to several people at once ("Baudouin Prot (BNP Paribas) et Georges
    Pauget (Crédit Agricole) ont défendu le plan, estimant que ..."): one more name is no clash."""
    text, sp = texts.get(q.span.article), q.speaker_span
    if text is None or sp is None or sp.article != q.span.article:
        return False
    after = text[sp.end : sp.end + 80]
    return re.match(r"\s*(?:\([^)]{0,40}\)\s*)?(?:,|et\b|ainsi que\b)\s*(?:M\.|Mme\s)?\s*[A-ZÀ-ÖØ-Þ]", after) is not None


def attribution_conflicts(
    facts: list[Fact], fact_members: list[list[int]], infos: list[ClaimInfo], cos: np.ndarray, texts: dict[str, str]
) -> list[Conflict]:
    """Facts whose outlets give one indirect statement to two different named people.

    Alignment may put loosely related claims in one fact, and two people may say the same thing, so
    only one utterance counts: the two statements match as quotes do (``same_quote``: the same
    words, truncated or lightly edited, the claims' cosine standing for a re-wording), each claim
    has one indirect source, a full name said at the statement (``named_at_quote``: in the
    speaker's span, in the statement's sentence or the one before), who is neither an agency nor a
    medium (``RELAY_KINDS``: they relay) nor one of several people named together. Two names of
    one person ("Peskov" / "Dmitri Peskov") never clash."""
    out: list[Conflict] = []
    for fact, members in zip(facts, fact_members):
        named_claims: list[tuple[int, ClaimSource, str, Quote]] = []
        for c in members:
            indirect = [(s, q) for s, q in infos[c].sources if s.kind == "indirect" and not s.unsure]
            if len(indirect) != 1:
                continue
            s, q = indirect[0]
            name = named(s.source)
            if (name and s.source_kind not in RELAY_KINDS and not _several_speakers(q, texts)
                    and named_at_quote(q.model_copy(update={"speaker": s.source}), texts)):
                named_claims.append((c, s, name, q))
        groups: dict[str, ValueGroup] = {}
        for x, (c1, s1, n1, q1) in enumerate(named_claims):
            for c2, s2, n2, q2 in named_claims[x + 1 :]:
                if s1.outlet == s2.outlet or same_person(n1, n2) or not same_quote(q1.text, q2.text, float(cos[c1, c2])):
                    continue
                for s, n, q in ((s1, n1, q1), (s2, n2, q2)):
                    key = next((k for k in groups if same_person(k, n)), n)
                    g = groups.setdefault(key, ValueGroup(value=key, outlets=[], spans=[]))
                    if s.outlet not in g.outlets:
                        g.outlets.append(s.outlet)
                        g.spans.append(q.span)
        if len(groups) > 1:
            statement = " ".join(max((q.text for *_, q in named_claims), key=len).split())
            out.append(Conflict(
                topic=f"source de « {statement} »",
                kind="attribution",
                groups=list(groups.values()),
                centrality=len({o for g in groups.values() for o in g.outlets}) + fact.centrality,
                note="la même information attribuée à deux personnes différentes",
            ))
    return out
