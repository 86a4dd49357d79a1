"""Direct and indirect quotes, scare-quoted terms, and their speakers.

Rule-based over the analysis (tokens with lemma, POS, dependency head, NER mentions): quote marks
are paired on the clean text paragraph by paragraph; cues are verbs of saying (incise after the
quote, verb + colon or "que" before it), "selon/d'après X" and sentence-initial "pour X,".
A quote split by an incise (« A », a-t-il dit, « B ») gives TWO Quote objects with one speaker.
The speaker is a canonical entity name when the text names one, a description ("un riverain")
for unnamed sources, and None when nothing in the text says who spoke: never a guess.

The modules, each importing only from those before it: context (the per-article state and its
lookups), spans (quote marks, clause bounds), cues (verbs of saying), resolve (a name to the
canonical speaker), antecedents (what an epithet or role stands for), descriptions (a noun phrase
or pronoun as a speaker), candidates (the speaker rules of a verb or a "selon X"), anchors
(building the context), find (the pass over one article). provenance.py reads attributions with
the same context and rules, through the names imported here.
"""

from __future__ import annotations

from ...config import Config
from ...model import AnalysedArticle, EntityIndex, Quote
from .find import _find_quotes
from .resolve import normalise_name
from .spans import find_quote_marks

# what provenance.py reads as ``quotes.<name>``: the context and the speaker rules
from .anchors import _build_ctx  # noqa: F401
from .candidates import _source_phrase, _speaker_of_verb  # noqa: F401
from .context import Who, _Ctx, _inside_quote, names_a_speaker  # noqa: F401
from .cues import _infinitive_after_a, _is_speech_verb  # noqa: F401

__all__ = ["find_quotes", "find_quote_marks", "normalise_name"]


def find_quotes(article: AnalysedArticle, entities: EntityIndex, config: Config) -> list[Quote]:
    """All direct quotes, scare-quoted terms and indirect speech of one article, with speakers."""
    try:
        quotes = _find_quotes(article, entities, infinitives=config.extract.infinitive_speech)
    except Exception:  # pragma: no cover - odd text must never stop the pipeline
        import logging

        logging.getLogger(__name__).exception("quote extraction failed on %s", article.id)
        return []
    if config.extract.speakers == "learned":
        from .rank import rerank

        # (a bad model file is an error, never a silent fall-back)
        rerank(article, entities, quotes, config.extract.speaker_threshold, kinds=config.extract.ranked_kinds)
    if config.extract.resolve_descriptions:
        resolve_speakers(article, entities, quotes)
    for q in quotes:  # what a fact's sources and every format show as a guess
        q.unsure = q.speaker is not None and (q.speaker_unsure(config.extract.source_min_confidence) or _names_nothing(article, q))
    return quotes


def _names_nothing(article: AnalysedArticle, q: Quote) -> bool:
    """The speaker is a phrase no one can be ("son retour", "la version des faits connue"): the parser
    misread a verb of saying. On the RPM2 topics never used to design it, 8 of the 37 such speakers
    were right (docs/benchmarks.md), so they are shown as guesses, never counted as sources."""
    if q.speaker_entity or q.speaker_span is None or q.speaker_span.article != article.id:
        return False
    clean = article.article
    return not names_a_speaker(article, clean.clean_offset(q.speaker_span.start), clean.clean_offset(q.speaker_span.end))


def resolve_speakers(article: AnalysedArticle, entities: EntityIndex, quotes: list[Quote]) -> list[Quote]:
    """Each speaker that is a description or an initialism -> the name the article gives it."""
    from .referents import resolve_description

    for q in quotes:
        got = resolve_description(article, entities, q.speaker, q.speaker_entity, article.article.clean_offset(q.span.start))
        if got is not None:
            q.speaker, q.speaker_entity = got
    return quotes
