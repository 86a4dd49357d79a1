"""NLP pass: language detection, then one spaCy pipeline per language over all articles at once.

spaCy's French NER is good but leaves recurring slips that every later stage would trip on
(names cut at a hyphen or apostrophe, "la France", a role tagged as an organisation, a
mention running over a paragraph break): ``fix_mentions`` repairs those, nothing more.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from .config import Config
from .lang import rules_for
from .model import AnalysedArticle, CleanArticle, Mention, Notice, Sentence, Token


@lru_cache(maxsize=4)
def load_pipeline(name: str):
    """The spaCy pipeline, loaded once per process (the only hidden cache besides embeddings).

    Its layers multiply matrices through numpy (OpenBLAS) instead of thinc's default, BLIS: on the
    2-core AMD EPYC machines recoupe is measured on, BLIS ran the products of spaCy's layers 3-4x
    slower, and spaCy as a whole about 1.5x slower (docs/benchmarks.md). The same tags, lemmas, parses and
    names on the 240 RPM2 articles, and an article's analysis still independent of its batch
    (tests/test_analyse.py). A layer keeps the ops it was built with, so this holds for the pipeline's life."""
    import spacy
    from thinc.api import use_ops

    with use_ops("numpy", use_blis=False):
        nlp = spacy.load(name)
    _index_lemma_tables(nlp)
    return nlp


def _index_lemma_tables(nlp) -> None:
    """The rule lemmatizer's word lists as sets: the same lemmas, found in constant time.

    Why: spaCy's French lemmatizer asks "is this word in the list of known nouns (verbs, ...)?"
    for every token it has not met before, and the lists (spacy-lookups-data) are Python lists of up
    to 66,000 words, scanned one by one: 6 of the 44 s spaCy took on the 240 RPM2 articles. Membership
    is the only way the lemmatizer reads them."""
    if "lemmatizer" not in nlp.pipe_names:
        return
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return
    table = lookups.get_table("lemma_index")
    for key in list(table.keys()):
        if isinstance(table[key], list):
            table[key] = frozenset(table[key])


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


SHORT_TEXT_WORDS = 30  # below this, language detection is too unsure to overrule a declared language


def language_of(article: CleanArticle, config: Config) -> str:
    """Declared language when given (and not clearly contradicted by a long text), else the detected one."""
    declared = (article.doc.lang or "").split("-")[0].split("_")[0].lower()
    words = len(article.text.split())
    if declared and words < SHORT_TEXT_WORDS:
        return declared
    detected, confidence = detect_language(article.text)
    if declared and (detected == declared or confidence < 0.95):
        return declared
    if confidence < config.analysis.min_language_confidence or (words < SHORT_TEXT_WORDS and confidence < 0.9):
        return declared or config.analysis.default_language
    return detected


# --------------------------------------------------------------------------- conversion


_SENTENCE_END = frozenset(".!?…:;»”\"")


def sentence_bounds(doc, paragraph_starts: list[int] = ()) -> list[tuple[int, int]]:
    """spaCy's sentences, rejoined where it cut without any sentence-final mark, cut at paragraphs.

    The parser starts a sentence at a capitalised word, which breaks names such as "Kim Jong Un"
    ("Un" is also a French determiner) in two; a cut with no final punctuation before it and no
    line break between is such a mistake. It also runs a sentence over a paragraph break now and
    then; a paragraph always starts a sentence.
    """
    starts = set(paragraph_starts)
    text = doc.text  # spaCy rebuilds it from every token on each access: read once
    pieces = []
    for sent in doc.sents:
        begin = sent.start
        for t in sent[1:]:
            if t.idx in starts and not t.is_space:
                pieces.append(doc[begin : t.i])
                begin = t.i
        pieces.append(doc[begin : sent.end])
    bounds: list[tuple[int, int]] = []
    for sent in pieces:
        if sent.start_char in starts:
            bounds.append((sent.start, sent.end))
            continue
        if bounds:
            prev_start, prev_end = bounds[-1]
            last = doc[prev_end - 1]
            while last.is_space and last.i > prev_start:
                last = doc[last.i - 1]
            gap = text[last.idx + len(last.text) : sent.start_char]
            if last.text[-1:] not in _SENTENCE_END and "\n" not in gap and not last.is_space:
                bounds[-1] = (prev_start, sent.end)
                continue
        bounds.append((sent.start, sent.end))
    return bounds


def _convert(doc, article: CleanArticle, language: str, common: Callable[[str], bool] | None = None) -> AnalysedArticle:
    """spaCy Doc -> model objects. Reads token attributes as arrays: ~3x cheaper than per-token properties."""
    from spacy.attrs import DEP, HEAD, IDX, LEMMA, MORPH, POS

    strings = doc.vocab.strings
    n = len(doc)
    sentences: list[Sentence] = []
    para_starts = [p[0] for p in article.paragraphs]
    sent_of = [0] * n
    para = 0
    for k, (start, end) in enumerate(sentence_bounds(doc, para_starts)):
        sent = doc[start:end]
        while para + 1 < len(para_starts) and para_starts[para + 1] <= sent.start_char:
            para += 1
        sentences.append(Sentence(k, sent.start_char, sent.end_char, sent.text, start, end, para))
        sent_of[start:end] = [k] * (end - start)

    mentions = fix_mentions(doc, language, sent_of, common)
    ent_of = [""] * n
    for m in mentions:
        ent_of[m.tok_start : m.tok_end] = [m.label] * (m.tok_end - m.tok_start)

    tokens: list[Token] = []
    if n:
        arr = doc.to_array([LEMMA, POS, DEP, HEAD, IDX, MORPH])
        heads = arr[:, 3].copy().view("int64").tolist()  # relative heads are stored as wrapped unsigned ints
        arr = arr.tolist()
        cache: dict[int, str] = {0: ""}
        morph_empty = strings.add("_")
        cache[morph_empty] = ""  # spaCy writes "_" for no features; str(token.morph) gives ""

        def s(h: int) -> str:
            v = cache.get(h)
            if v is None:
                v = cache[h] = strings[h]
            return v

        texts = [t.text for t in doc]
        append = tokens.append
        for i, (lemma, pos, dep, head, idx, morph) in enumerate(arr):
            text = texts[i]
            # HEAD is stored relative to the token; POS is a symbol id, not a string hash
            append(Token(i, text, s(lemma), _POS_NAMES.get(pos) or s(pos), s(dep), i + heads[i], idx, idx + len(text), s(morph), ent_of[i], sent_of[i]))
    return AnalysedArticle(article=article, language=language, tokens=tokens, sentences=sentences, mentions=mentions)


def _pos_names() -> dict[int, str]:
    from spacy.parts_of_speech import IDS

    return {v: k for k, v in IDS.items()}


_POS_NAMES = _pos_names()


# --------------------------------------------------------------------------- NER fixes

_ALNUM = re.compile(r"\w")
_GLUE_END = re.compile(r"[\w'’-]$")


@lru_cache(maxsize=4)
def common_words(model: str) -> Callable[[str], bool]:
    """Whether a lower-case word is a common noun, verb, adjective or adverb of the model's own
    vocabulary (its lemmatizer's index), or an inflected form of a verb or adjective there:
    "homme", "exploitation", "estimez", "interrogée" are; "paris", "obama", "natixis" are not (an
    inflected noun is not counted: "Paris" would be the plural of "pari"). No word list to keep."""
    try:
        lookups = load_pipeline(model).get_pipe("lemmatizer").lookups
        index, lookup = lookups.get_table("lemma_index"), lookups.get_table("lemma_lookup")
    except (KeyError, ValueError, OSError):  # a model without a rule lemmatizer: no opinion
        return lambda word: False
    words: set[str] = set()
    for pos in index:
        words.update(index[pos])
    inflecting = {w for pos in ("verb", "adj") if pos in index for w in index[pos]}  # the index lists participles' verbs as adjectives

    def common(word: str) -> bool:
        if word in words:
            return True
        lemma = lookup.get(word)
        return any(x in inflecting for x in (lemma if isinstance(lemma, list) else [lemma]) if x and x != word)

    return common


def _sentence_openers(doc, sent_of: list[int]) -> set[int]:
    """Token indices of the first word of each sentence (after any opening quote or dash)."""
    openers: set[int] = set()
    prev = -1
    for tok in doc:
        if sent_of[tok.i] != prev and tok.is_alpha:
            openers.add(tok.i)
            prev = sent_of[tok.i]
        elif sent_of[tok.i] != prev and not (tok.is_punct or tok.is_space):
            prev = sent_of[tok.i]  # the sentence opens on a number or a symbol: no word opens it
    return openers


def _common_capitalised(doc, i: int, label: str, openers: set[int], capitalised_inside: set[str], first_names, determiners,
                        common: Callable[[str], bool]) -> bool:
    """A one-word mention that is a common word of the language with a capital letter (``common``
    says which words are common; a first name never counts as one):
    - opening a sentence, and capitalised nowhere else in the article ("Estimez-vous que... ?",
      "Gigantisme sportif, ...": the capital is the sentence's);
    - a "person" after a determiner ("les droits de l'Homme": nobody is called "l'Homme")."""
    word = doc[i].text
    if not (word[:1].isupper() and word[1:].islower()) or word.lower() in first_names or not common(word.lower()):
        return False
    if i in openers and word not in capitalised_inside:
        return True
    return label == "PER" and i > 0 and doc[i - 1].text.lower().replace("’", "'") in ({"l'"} | {d.lower() for d in determiners})


def _spelled_out(doc, s: int, t: int) -> int:
    """End of an acronym's expansion the NER cut after its first word: "Edvige (Exploitation
    documentaire et valorisation de l'information générale)" is one name, up to the parenthesis."""
    if t - s != 1 or s == 0 or doc[s - 1].text != "(":
        return t
    k = t
    while k < len(doc) and k - s <= 12 and doc[k].text != ")":
        if not (doc[k].is_alpha or doc[k].text in ("'", "’", "-") or doc[k].text.endswith(("'", "’"))) or "\n" in doc[k].text:
            return t
        k += 1
    return k if k < len(doc) and doc[k].text == ")" and k > t and not doc[t].text[:1].isupper() else t


def fix_mentions(doc, language: str, sent_of: list[int], common: Callable[[str], bool] | None = None) -> list[Mention]:
    """NER mentions with the usual slips repaired; why each fix exists is said inline.

    ``common`` tells a common word of the language (``common_words``); without it, capitalised
    sentence openers are left as the NER tagged them.
    """
    rules = rules_for(language)
    honorifics = getattr(rules, "HONORIFICS", {})
    determiners = getattr(rules, "NAME_DETERMINERS", set())
    roles = getattr(rules, "ROLE_NOUNS", {})
    role_preps = getattr(rules, "ROLE_PREPOSITIONS", set())
    org_cues = getattr(rules, "ORG_CUES", set())
    age_after = getattr(rules, "AGE_AFTER_NAME", None)
    weekdays = set(getattr(rules, "WEEKDAYS", {}))
    boiler = getattr(rules, "BOILERPLATE_MENTION", None)
    n = len(doc)
    dtext = doc.text  # built from the tokens on each access: read once
    taken = [False] * n
    for e in doc.ents:
        for i in range(e.start, e.end):
            taken[i] = True
    first_names = getattr(rules, "FIRST_NAMES", frozenset())
    participles = tuple(getattr(rules, "PARTICIPLE_ENDINGS_AFTER_NAME", ()))
    particles = getattr(rules, "NAME_PARTICLES", frozenset())
    openers = _sentence_openers(doc, sent_of)
    # words the article capitalises inside a sentence: names, whatever a dictionary says of them
    capitalised_inside = {tok.text for tok in doc if tok.i not in openers and tok.text[:1].isupper()}
    spans: list[tuple[int, int, str]] = []
    for e in doc.ents:
        s, t, label = e.start, e.end, e.label_
        # a name cut inside a word: "Kim Jong-" + "un", "Kerloc'" + "h"
        while t < n and not doc[t - 1].whitespace_ and _GLUE_END.search(doc[t - 1].text) and doc[t].text[:1].isalnum() and doc[t].text[:1].isalpha():
            t += 1
        # Korean-style three-part names where "Un" reads as the article: "Kim Jong Un"
        if label == "PER" and t < n and t - s >= 2 and doc[t].text == "Un" and not taken[t] and all(doc[i].text[:1].isupper() for i in range(s, t)):
            t += 1
        t = _spelled_out(doc, s, t)
        # trailing punctuation swallowed: "Anne-Sophie Kerloc’h."
        while t > s and (doc[t - 1].is_punct or doc[t - 1].is_space) and doc[t - 1].text not in (")",):
            t -= 1
        while s < t and (doc[s].is_punct or doc[s].is_space):
            s += 1
        # "Dans la matinée de mardi": a sentence-initial function word is no name
        while s < t and doc[s].pos_ in ("ADP", "ADV", "CCONJ", "SCONJ", "PRON", "VERB", "AUX"):
            s += 1
        if s < t and s > e.start and not doc[s].text[:1].isupper() and doc[s].text not in determiners:
            continue
        # "La Tribune mercredi": a lower-case weekday after a name is no part of it
        while t - 1 > s and doc[t - 1].text in weekdays:
            t -= 1
        # "Le député Leonetti - député-maire UMP ...": a dash and a lower-case word open an apposition
        t = next((i for i in range(s + 1, t - 1) if doc[i].text in ("-", "–", "—") and doc[i - 1].whitespace_
                  and doc[i].whitespace_ and doc[i + 1].text[:1].islower()), t)  # (not "Kim Jong-un")
        # "la loi Leonetti Votée en 2005" (a subhead glued on): a capitalised feminine participle ends no name
        if label == "PER" and t - s >= 2 and common is not None and participles and doc[t - 1].text.endswith(participles) \
                and doc[t - 1].text[:1].isupper() and common(doc[t - 1].text.lower()):
            t -= 1
        # "Enrique gafas", "Premier ministre", "robes orange": a lower-case word after a space ends a person's
        # name (a particle comes before a capitalised part: "Giscard d'Estaing", "Kim Jong-un" is glued)
        if label == "PER":
            while t - 1 > s and doc[t - 2].whitespace_ and (doc[t - 1].is_alpha and doc[t - 1].text.islower()
                                                             or doc[t - 1].text.lower() in particles):
                t -= 1
        # "la France" -> "France" (a lowercase determiner is never part of the name)
        while s < t - 1 and doc[s].text in determiners:
            s += 1
        if label == "PER" and t - s == 1 and doc[s].text.lower() in determiners:
            continue  # "Le garçon" once its common noun is cut: nobody
        # an honorific belongs to the person: "M. Kim", "Mme Kerloc'h" (and makes it a person)
        if s > 0 and doc[s - 1].text.lower() in honorifics and doc[s - 1].text[:1].isupper():
            s -= 1
            label = "PER"
        if s < t and doc[s].text.lower() in honorifics and doc[s].text[:1].isupper():
            label = "PER"
        # a role with its complement: "ministre des Affaires étrangères" is no name; keep what follows
        first = doc[s].text if s < t else ""
        if first.islower() and first in roles:
            s += 1
            while s < t and (doc[s].text.lower() in role_preps or doc[s].text in determiners):
                s += 1
            if s >= t or not doc[s].text[:1].isupper():
                continue
        # "mère d'Algérie": a person's name never opens on a lower-case noun (roles are read above)
        if label == "PER" and s < t and doc[s].is_alpha and doc[s].text.islower() and doc[s].pos_ in ("NOUN", "ADJ") \
                and doc[s].text not in particles:
            continue
        # "la société Agrisol Atlantique": the noun before says organisation
        k = s - 1
        while k >= 0 and doc[k].text.lower() in ("de", "d'", "d’", "du", "des"):
            k -= 1
        if k >= 0 and k < s and doc[k].text.lower() in org_cues and label in ("PER", "MISC", "LOC"):
            label = "ORG"
        if age_after is not None and label != "PER" and s < t and age_after.match(dtext, doc[t - 1].idx + len(doc[t - 1].text)):
            label = "PER"
        if t - s == 1 and (doc[s].text.islower() and doc[s].pos_ in ("NOUN", "ADJ") or doc[s].pos_ == "VERB"
                           or doc[s].text.lower() in weekdays):
            continue  # "la gauchère", "Interrogée", "Lundi" tagged as names: a common word, no name
        if t - s == 1 and common is not None and _common_capitalised(doc, s, label, openers, capitalised_inside, first_names,
                                                                 determiners, common):
            continue
        if label == "PER" and t - s == 1 and s > 0 and t < n and doc[s - 1].text == "(" and doc[t].text == ")":
            label = "ORG"  # "l'officier du service départemental d'incendie et de secours (Sdis)": an acronym
        if label == "PER" and t - s >= 2 and doc[s].text.isupper() and doc[s].text.isalpha() and 2 <= len(doc[s].text) <= 4 \
                and doc[s].text.lower() not in honorifics:
            label = "ORG"  # "ES Valmont", "RC Lens": a name opening on an acronym is a club's or a firm's
        if s >= t:
            continue
        # a mention across a paragraph or line break is two things: split at the break
        start = s
        for i in range(s, t + 1):
            if i == t or "\n" in doc[i].text or (i > s and "\n" in dtext[doc[i - 1].idx + len(doc[i - 1].text) : doc[i].idx]):
                end = i
                while end > start and doc[end - 1].is_space:
                    end -= 1
                if end > start:
                    spans.append((start, end, label))
                start = i + 1 if i < t and "\n" in doc[i].text else i
    # a civil title before capitalised words the NER missed is a person: "Me Nadia Berrada, avocate"
    for i in range(n - 1):
        if taken[i] or taken[i + 1] or doc[i].text.lower() not in honorifics or not doc[i].text[:1].isupper():
            continue
        t = i + 1
        while t < n and t - i <= 3 and not taken[t] and doc[t].text[:1].isupper() and doc[t].is_alpha and "\n" not in doc[t].text:
            t += 1
        if t > i + 1 and doc[i + 1].pos_ in ("PROPN", "NOUN") and doc[i + 1].text not in determiners:
            spans.append((i, t, "PER"))
            for k in range(i, t):
                taken[k] = True
    # one name the NER cut in two, "Alsace Vosges" (LOC) + "Vélo" (PER): a one-word "person" right
    # after another kind of name, a space apart, ends that name ("l'Hérault Inès Belkacem" does not:
    # a person's full name after a place is an apposition); so does an organisation right after a
    # place or another organisation ("France" + "Assureurs")
    joined: list[tuple[int, int, str]] = []
    for s, t, label in sorted(spans):
        if (joined and joined[-1][1] == s and joined[-1][2] != "PER" and label == "PER" and t - s == 1
                and doc[s - 1].whitespace_ == " " and doc[s].text.lower() not in first_names):
            ps, pt, pl = joined[-1]
            joined[-1] = (ps, t, pl)
        elif joined and joined[-1][1] == s and joined[-1][2] != "PER" and label == "ORG" and doc[s - 1].whitespace_ == " ":
            ps, pt, pl = joined[-1]
            joined[-1] = (ps, t, "ORG")  # "France" + "Assureurs": one organisation's name
        else:
            joined.append((s, t, label))
    out: list[Mention] = []
    last_end = -1
    for s, t, label in joined:
        if s < last_end:
            continue  # overlapping after extension: keep the first
        start, end = doc[s].idx, doc[t - 1].idx + len(doc[t - 1].text)
        text = dtext[start:end]
        while len(text) > 1 and text[-1] in ".,;:" and not (len(text) <= 3 and text[0].isupper()):  # "Kerloc’h." but "M."
            text, end = text[:-1], end - 1
        if len(_ALNUM.findall(text)) < 2 or (boiler is not None and boiler.match(text)):
            continue
        if text.lower().rstrip(".") in honorifics:
            continue
        out.append(Mention(len(out), text, label, start, end, sent_of[s], s, t))
        last_end = t
    return out


# --------------------------------------------------------------------------- stage


@lru_cache(maxsize=8)
def blank_pipeline(lang: str):
    """Tokens and sentences only, for a language recoupe has no model for (the story stream stores and
    groups such articles; the briefing leaves them out)."""
    import spacy

    try:
        nlp = spacy.blank(lang)
    except (ImportError, KeyError, ValueError):
        nlp = spacy.blank("xx")
    nlp.add_pipe("sentencizer")
    return nlp


def analyse(
    articles: list[CleanArticle],
    config: Config | None = None,
    progress: Callable[[int], None] | None = None,
    any_language: bool = False,
) -> tuple[list[AnalysedArticle], list[Notice]]:
    """Analyse the articles whose language has a pipeline; report the others, never mangle them.

    ``any_language``: the others get tokens and sentences only (``blank_pipeline``), no tags nor names."""
    config = config or Config()
    notices: list[Notice] = []
    by_lang: dict[str, list[CleanArticle]] = {}
    for a in articles:
        lang = language_of(a, config)
        if lang not in config.analysis.spacy_models and any_language and lang != "und":
            by_lang.setdefault(lang, []).append(a)
            continue
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
        model = config.analysis.spacy_models.get(lang)
        nlp = load_pipeline(model) if model else blank_pipeline(lang)
        common = common_words(model) if model else None
        docs = nlp.pipe((a.text for a in group), batch_size=config.analysis.batch_size, n_process=config.analysis.n_process)
        for a, doc in zip(group, docs):
            out[a.id] = _convert(doc, a, lang, common)
            if progress:
                progress(1)
    return [out[a.id] for a in articles if a.id in out], notices
