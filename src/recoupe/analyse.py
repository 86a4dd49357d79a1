"""NLP pass: language detection, then one spaCy pipeline per language over all articles at once."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from .config import Config
from .model import AnalysedArticle, CleanArticle, Mention, Notice, Sentence, Token


@lru_cache(maxsize=4)
def load_pipeline(name: str):
    """The spaCy pipeline, loaded once per process (the only hidden cache besides embeddings)."""
    import spacy

    return spacy.load(name)


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> tuple[str, float]:
    """Language code and confidence of a text, offline."""
    sample = text[:5000]
    if len(sample.split()) < 3:
        return "und", 0.0
    lang, prob = _identifier().classify(sample)
    return lang, float(prob)


def language_of(article: CleanArticle, config: Config) -> str:
    """Declared language when given, else the detected one."""
    declared = (article.doc.lang or "").split("-")[0].lower()
    detected, confidence = detect_language(article.text)
    if declared and (detected == declared or confidence < 0.95):
        return declared
    if confidence < config.analysis.min_language_confidence:
        return declared or config.analysis.default_language
    return detected


def _convert(doc, article: CleanArticle, language: str) -> AnalysedArticle:
    tokens: list[Token] = []
    sentences: list[Sentence] = []
    para_starts = [p[0] for p in article.paragraphs]
    for k, sent in enumerate(doc.sents):
        para = 0
        while para + 1 < len(para_starts) and para_starts[para + 1] <= sent.start_char:
            para += 1
        text = sent.text
        sentences.append(Sentence(k, sent.start_char, sent.end_char, text, sent.start, sent.end, para))
    sent_of = [0] * len(doc)
    for s in sentences:
        for i in range(s.tok_start, s.tok_end):
            sent_of[i] = s.index
    for t in doc:
        tokens.append(
            Token(
                i=t.i,
                text=t.text,
                lemma=t.lemma_,
                pos=t.pos_,
                dep=t.dep_,
                head=t.head.i,
                start=t.idx,
                end=t.idx + len(t.text),
                morph=str(t.morph),
                ent=t.ent_type_,
                sent=sent_of[t.i],
            )
        )
    mentions = [
        Mention(k, e.text, e.label_, e.start_char, e.end_char, sent_of[e.start], e.start, e.end)
        for k, e in enumerate(doc.ents)
    ]
    return AnalysedArticle(article=article, language=language, tokens=tokens, sentences=sentences, mentions=mentions)


def analyse(
    articles: list[CleanArticle],
    config: Config | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[AnalysedArticle], list[Notice]]:
    """Analyse the articles whose language has a pipeline; report the others, never mangle them."""
    config = config or Config()
    notices: list[Notice] = []
    by_lang: dict[str, list[CleanArticle]] = {}
    for a in articles:
        lang = language_of(a, config)
        if lang not in config.analysis.spacy_models:
            notices.append(
                Notice(
                    file=a.doc.path or a.id,
                    message=f"article '{a.id}' is in language '{lang}', which has no pipeline; kept out of the analysis",
                )
            )
            continue
        by_lang.setdefault(lang, []).append(a)
    out: dict[str, AnalysedArticle] = {}
    for lang, group in by_lang.items():
        nlp = load_pipeline(config.analysis.spacy_models[lang])
        docs = nlp.pipe((a.text for a in group), batch_size=config.analysis.batch_size, n_process=config.analysis.n_process)
        for a, doc in zip(group, docs):
            out[a.id] = _convert(doc, a, lang)
            if progress:
                progress(1)
    return [out[a.id] for a in articles if a.id in out], notices
