"""Attribution chains: who the information comes from, and who relayed it.

Each sourced statement ("selon l'AFP, citant X", "a indiqué le SDIS à l'AFP", "affirment des
analystes", "selon nos informations", a quote with its speaker) becomes an Attribution with its
primary source, the kind of that source and the relay (the agency or outlet it came through).
build_provenance groups them across articles by primary source and relay.
"""

from __future__ import annotations

import re

from ..config import Config
from ..lang import fr
from ..model import AnalysedArticle, Attribution, EntityIndex, Extraction, Provenance, Span
from . import quotes as Q


def _agency(text: str) -> str | None:
    """The canonical agency name when ``text`` names a news agency ("l'agence russe Sputnik")."""
    low = text.lower().replace("’", "'")
    for key, name in fr.NEWS_AGENCIES.items():
        if re.search(rf"(?<![\w-]){re.escape(key)}(?![\w-])", low):
            return name
    return None


def _kind(name: str, ctx: Q._Ctx | None = None, who: Q.Who | None = None) -> str:
    """person / organisation / agency / government / media / anonymous / unknown for a source."""
    low = name.lower().replace("’", "'")
    words = set(re.findall(r"[\w-]+", low))
    if _agency(name) or "agence" in words or "agences" in words:
        return "agency" if not words & fr.MEDIA_WORDS else "media"
    first = low.split()[0] if low.split() else ""
    if low in fr.CAPITAL_METONYMS or words & fr.GOVERNMENT_WORDS:
        return "government"
    if words & fr.MEDIA_WORDS:
        return "media"
    if first in fr.ANONYMOUS_DETERMINERS:
        return "anonymous"
    if ctx is not None and who is not None and who.start >= 0:
        label = _label_at(ctx, who.start)
        if label == "PER":
            return "person"
        if label == "LOC":
            return "government"  # "selon Washington": a capital standing for its government
        if label == "ORG":
            return "organisation"
    if who is not None and who.entity:
        return "person" if who.person else "organisation"
    if first in ("les",) and words & {"analystes", "experts", "observateurs", "sources", "témoins", "riverains"}:
        return "anonymous"
    return "unknown"


def _label_at(ctx: Q._Ctx, pos: int) -> str | None:
    for m in ctx.article.mentions:
        if m.start <= pos < m.end:
            return m.label
    return None


def find_attributions(article: AnalysedArticle, entities: EntityIndex, config: Config) -> list[Attribution]:
    """Sourced statements of one article: selon/d'après X, incises, "à l'AFP", quotes' speakers."""
    try:
        return _find(article, entities, config)
    except Exception:  # pragma: no cover - odd text must never stop the pipeline
        import logging

        logging.getLogger(__name__).exception("attribution extraction failed on %s", article.id)
        return []


def _find(article: AnalysedArticle, entities: EntityIndex, config: Config) -> list[Attribution]:
    if not article.tokens:
        return []
    ctx = Q._build_ctx(article, entities)
    text = ctx.text
    ctx.quoted = [(o, ce) for o, s, e, ce in Q.find_quote_marks(text, ctx.paragraphs)]
    out: list[Attribution] = []
    seen: set[tuple[str, int]] = set()

    def add(primary: str, kind: str, relay: str | None, cue: str, s: int, e: int, sent: int, who: Q.Who | None = None) -> None:
        primary = primary.strip(" ,;:")
        if not primary or e <= s:
            return
        if who is not None and not who.entity and 0 <= who.start < who.end and not Q.names_a_speaker(article, who.start, who.end):
            return  # "son retour", "sa présence": the subject of a misread verb, no source
        key = (Q.normalise_name(primary), sent)
        if key in seen:
            return
        seen.add(key)
        out.append(
            Attribution(
                primary=primary,
                primary_kind=kind,  # type: ignore[arg-type]
                relay=relay if relay and Q.normalise_name(relay) != Q.normalise_name(primary) else None,
                cue=cue,
                statement=article.article.span(s, e),
                outlet=article.outlet,
                sentence=sent,
            )
        )

    own = article.outlet or "own reporting"
    for sent in article.sentences:
        stext = text[sent.start:sent.end]
        # "selon nos informations" -> the outlet itself
        m = re.search(r"\b(?:selon|d['’]après)\s+((?:nos|mes)\s+informations|notre\s+enquête)", stext, re.I)
        if m:
            add(own, "media", None, m.group(0).split()[0].lower(), sent.start, sent.end, sent.index)
        src = Q._source_phrase(ctx, sent.start, sent.end)
        if src and src[0] is not None:
            who, cue, ps, pe = src
            phrase = text[ps:pe]
            relay = None
            primary = who.name
            cited = re.search(r",\s*(?:citant|cité(?:e|s|es)? par)\s+", phrase)
            if cited:  # "selon l'AFP, citant l'agence KCNA": AFP relays the cited source
                head = phrase[: cited.start()]
                relay = _agency(head) or Q.normalise_name(re.sub(r"^(?:selon|d['’]après)\s+", "", head, flags=re.I))
            kind = _kind(primary, ctx, who)
            if _agency(primary):
                primary = _agency(primary) if Q.normalise_name(primary).split()[-1] in fr.NEWS_AGENCIES else primary
            add(primary, kind, relay, cue, sent.start, sent.end, sent.index, who)
        # verbs of saying with their subject: "a indiqué le SDIS à l'AFP", "affirment des analystes"
        for t in article.tokens[sent.tok_start:sent.tok_end]:
            if not Q._is_speech_verb(t) or Q._inside_quote(ctx, t.start) or Q._infinitive_after_a(ctx, t.i):
                continue
            who = Q._speaker_of_verb(ctx, t.i)
            if who is None:
                continue
            after = text[t.end:sent.end]
            relay = None
            to = re.match(r"[^.;«»]*?\bà\s+(?:l['’]\s*)?([A-Z][\w-]+)", after)
            if to and _agency(to.group(1)):
                relay = _agency(to.group(1))
            add(who.name, _kind(who.name, ctx, who), relay, t.lemma, sent.start, sent.end, sent.index, who)
    # dateline "VLADIVOSTOK (AFP) —" and wire signatures removed by cleaning: the whole article relays the agency
    for r in article.article.removed:
        if r.kind in ("dateline", "signature"):
            ag = _agency(r.span.text)
            if ag and ag != article.outlet:
                out.append(Attribution(primary=ag, primary_kind="agency", cue=r.kind, statement=r.span, outlet=article.outlet))
    return out


def build_provenance(extractions: list[Extraction], min_confidence: float = 0.0) -> list[Provenance]:
    """Attributions of all articles grouped by primary source (+ relay), most statements first.

    Quotes with a speaker count as statements of that speaker when no attribution covers them, unless
    the ranker gave the speaker under ``min_confidence`` (as likely wrong as right: not a source to count).
    """
    groups: dict[tuple[str, str], Provenance] = {}

    def put(primary: str, kind: str, relay: str | None, outlet: str, span: Span) -> None:
        key = (Q.normalise_name(primary), Q.normalise_name(relay))
        p = groups.get(key)
        if p is None:
            p = groups[key] = Provenance(primary=primary, kind=kind, relay=relay)
        if outlet and outlet not in p.outlets:
            p.outlets.append(outlet)
        if not any(s.article == span.article and s.start == span.start and s.end == span.end for s in p.statements):
            p.statements.append(span)
        if p.kind == "unknown" and kind != "unknown":
            p.kind = kind

    for x in extractions:
        unsure = [(q.span.start, q.span.end) for q in x.quotes if q.unsure or q.speaker_unsure(min_confidence)]
        covered = []
        for a in x.attributions:
            # the statement of a quote whose speaker the ranker doubts (mostly the same span): counted for no one
            st, en = a.statement.start, a.statement.end
            if any(2 * (min(e, en) - max(s, st)) >= max(e, en) - min(s, st) for s, e in unsure):
                continue
            put(a.primary, a.primary_kind, a.relay, a.outlet, a.statement)
            covered.append((a.statement.start, a.statement.end))
        for q in x.quotes:
            if q.speaker and (q.span.start, q.span.end) not in unsure and not any(s <= q.span.start and q.span.end <= e for s, e in covered):
                kind = "person" if q.speaker_entity else _kind(q.speaker)
                put(q.speaker, kind, None, q.outlet, q.span)
    return sorted(groups.values(), key=lambda p: (-len(p.statements), p.primary.lower()))
