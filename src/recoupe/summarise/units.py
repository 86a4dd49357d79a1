"""Candidate units of the summary: source sentences that read well alone, optionally compressed.

A unit's text is always copied from its sentence: verbatim (whitespace collapsed onto one line),
or, when compressed, with whole pieces deleted (parenthetical, appositive, attribution incise), so
that it stays a character subsequence of the source sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..lang import rules_for
from ..model import AnalysedArticle, Sentence

_WS = re.compile(r"\s+")
_CONTENT_POS = {"NOUN", "PROPN", "VERB", "ADJ", "NUM"}


def one_line(text: str) -> str:
    return _WS.sub(" ", text).strip()


def word_count(text: str) -> int:
    return len(text.split())


@dataclass
class Unit:
    """One sentence as a summary candidate."""

    key: int  # index in the flat list of units
    article: AnalysedArticle
    sentence: Sentence
    text: str  # what the summary would print
    compressed: bool
    words: int
    dangling: bool  # needs the previous sentence of its article right before it
    usable: bool  # passes the readability filters (length, no question, no furniture)
    last: int  # index of the last parsed sentence the unit holds (``reading_sentences``)
    tokens: list[int] = field(default_factory=list)  # kept token indices (for concepts)

    @property
    def outlet(self) -> str:
        return self.article.outlet or self.article.id

    def follows(self, other: Unit) -> bool:
        """``other`` is the unit right before this one in their article."""
        return other.article is self.article and other.last == self.sentence.index - 1


def _stop_words(language: str) -> frozenset[str]:
    try:
        import importlib

        mod = importlib.import_module(f"spacy.lang.{language}.stop_words")
        return frozenset(mod.STOP_WORDS)
    except Exception:  # noqa: BLE001 - any language without a list
        return frozenset()


def is_dangling(text: str, language: str) -> bool:
    rules = rules_for(language)
    if rules.SUMMARY_ATTRIBUTED_QUOTE.match(text.lstrip()):
        return False
    if _QUOTATION_ONLY.match(text):
        return True  # words between marks and nothing else: whose they are is said in another sentence
    t = text.lstrip("«»\"“”'‘’ -–—\u202f\u00a0")
    if rules.SUMMARY_DANGLING_START.match(t) and not rules.SUMMARY_DANGLING_EXCEPT.match(t):
        return True
    first_person = getattr(rules, "SUMMARY_FIRST_PERSON", None)
    return bool(first_person and first_person.search(_QUOTED.sub(" ", text)))


_QUOTED = re.compile(r"«[^«»]*»|“[^“”]*”|\"[^\"]*\"")  # words between marks: a quotation's own voice
_QUOTATION_ONLY = re.compile(rf"^\s*(?:{_QUOTED.pattern})\s*[.!?…]?\s*$")


def readable(text: str, language: str, min_words: int, max_words: int) -> bool:
    """Whether a sentence can stand in a summary: complete, declarative, not page furniture."""
    rules = rules_for(language)
    n = word_count(text)
    if n < min_words or n > max_words:
        return False
    if "?" in text[-3:] or text.rstrip("»”\"' \u202f\u00a0").endswith("?"):
        return False
    first = text.lstrip("«\"“'‘ \u202f\u00a0")[:1]
    if not first or not (first.isupper() or first.isdigit()):
        return False  # a fragment cut by sentence splitting
    if not re.search(r"[.!…»”\")]\s*$", text):
        return False
    if rules.SUMMARY_BOILERPLATE.search(text):
        return False
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) > 0.5 * len(letters):
        return False
    if text.count("«") != text.count("»") or text.count('"') % 2 or text.count("“") != text.count("”"):
        return False  # a piece of a quotation split across sentences
    if text.count("(") != text.count(")"):
        return False
    return True


# --------------------------------------------------------------------------- compression


def _cuts(article: AnalysedArticle, s: Sentence, outlets: list[str]) -> list[tuple[int, int]]:
    """Clean-offset ranges to delete from a sentence: parentheticals, incises, appositives."""
    text = article.article.text
    rules = rules_for(article.language)
    base = s.start
    body = text[s.start : s.end]
    cuts: list[tuple[int, int]] = []
    for m in re.finditer(r"\s*\([^()]{1,120}\)(?![\w'’])", body):  # not "de (l')écarter": part of a word
        if m.start() > 0:
            cuts.append((base + m.start(), base + m.end()))
    for m in re.finditer(r"\s+[–—]\s+[^–—]{1,120}?\s+[–—](?=\s)", body):
        cuts.append((base + m.start(), base + m.end()))
    patterns = [rules.SUMMARY_PRONOUN_INCISE]
    for name in outlets:
        if name and len(name) > 1:
            patterns.append(re.compile(rules.SUMMARY_SELON.format(name=re.escape(name)), re.I))
    for pat in patterns:
        for m in pat.finditer(body):
            a, b = m.start(), m.end()
            rest = body[b:]
            if rest.startswith(",") and not body[a:b].endswith("»"):
                b += 1  # "X, ajoute-t-elle, Y" -> "X Y"
            cuts.append((base + a, base + b))
    # appositions and non-restrictive relative clauses between commas
    toks = article.tokens
    subject = any(toks[i].dep.startswith("nsubj") and toks[toks[i].head].dep == "ROOT" for i in range(s.tok_start, s.tok_end))
    for i in range(s.tok_start, s.tok_end):
        t = toks[i]
        if t.dep not in ("appos", "acl:relcl") or t.pos == "PROPN" and not subject:
            continue  # (a name between commas may be the subject the parser hung on a noun before)
        span = [j for j in range(s.tok_start, s.tok_end) if _descends(toks, j, i, s.tok_start)]
        lo, hi = min(span), max(span)
        if lo - 1 < s.tok_start or toks[lo - 1].text != ",":
            continue
        if hi - lo > 25:
            continue
        after = toks[hi + 1] if hi + 1 < s.tok_end else None
        if after is None:
            continue
        if after.text == ",":
            cuts.append((toks[lo - 1].start, after.end))
        elif after.text in (".", ";", "!") and hi + 2 >= s.tok_end:
            cuts.append((toks[lo - 1].start, toks[hi].end))
    return _merge(cuts)


def _verbless_sequel(article: AnalysedArticle, s: Sentence) -> bool:
    """A sentence without a conjugated verb that opens on a conjunction or an adverb ("Soit six mois
    après la fin des Jeux...", "Encore moins l'absence de rencontre avec Nicolas Sarkozy.") continues
    the sentence before it: in a summary it stands only with that sentence, as a dangling one does.
    (Without the opening word the test would also catch verbs the tagger reads as nouns, "la serre
    dans ses bras", and cost the summaries 1-3 % of ROUGE-2, docs/benchmarks.md.)"""
    toks = article.tokens
    first = next((toks[i] for i in range(s.tok_start, s.tok_end) if toks[i].pos not in ("PUNCT", "SPACE")), None)
    if first is None or first.pos not in ("CCONJ", "SCONJ", "ADV"):
        return False
    return not any("VerbForm=Fin" in toks[i].morph for i in range(s.tok_start, s.tok_end))


def _pointing_back(article: AnalysedArticle, s: Sentence) -> bool:
    """The clitic "y" for a place or a thing named before ("Le présentateur d'Antenne 2 allait y devenir le pape
    de la grand messe de 20 heures"), not "il y a" nor "y compris": the sentence needs the one before it."""
    toks = article.tokens
    for i in range(s.tok_start, s.tok_end):
        t = toks[i]
        if t.text.lower() != "y" or t.pos != "PRON":
            continue
        before = toks[i - 1].text.lower() if i > s.tok_start else ""
        after = toks[i + 1].lemma.lower() if i + 1 < s.tok_end else ""
        if before in ("il", "n'", "-t-il") or after in ("avoir", "compris"):
            continue
        return True
    return False


def _descends(toks, j: int, root: int, floor: int) -> bool:
    seen = 0
    while seen < 100:
        if j == root:
            return True
        h = toks[j].head
        if h == j or h < floor:
            return False
        j = h
        seen += 1
    return False


def _merge(cuts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(cuts):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _apply(text: str, start: int, end: int, cuts: list[tuple[int, int]]) -> str:
    pieces, pos = [], start
    for a, b in cuts:
        pieces.append(text[pos:a])
        pos = b
    pieces.append(text[pos:end])
    out = one_line("".join(pieces))
    out = re.sub(r" (?=[,.;])", "", out)  # deleting only: still a subsequence
    return out


# what opens the piece the parser cuts after a "!" or "?" inside a quotation: a comma, a semicolon, a
# closing bracket or quote mark (a straight '"' when punctuation, the line's end or a lower-case word follows)
_CONTINUATION = re.compile(r"\s*(?:[,;)»”]|\"(?=\s*$|\s+[a-zà-ÿ]|[\s\u00a0\u202f]*[,.;:!?)]))")


def reading_sentences(a: AnalysedArticle) -> list[tuple[Sentence, int]]:
    """The article's sentences as a reader cuts them, each with the index of the last parsed sentence it
    holds: '"Je n'y vois aucun intérêt !", s'exclame Antoine Deneriaz' is one sentence, where the parser
    ends one after the "!" and starts the next on the comma (a unit of its own, the incise could never
    be selected and the quotation lost its speaker)."""
    out: list[tuple[Sentence, int]] = []
    for s in a.sentences:
        prev = out[-1][0] if out else None
        if prev is not None and prev.paragraph == s.paragraph and _CONTINUATION.match(s.text):
            out[-1] = (Sentence(prev.index, prev.start, s.end, a.article.text[prev.start : s.end], prev.tok_start, s.tok_end, prev.paragraph), s.index)
        else:
            out.append((s, s.index))
    return out


def build_units(articles: list[AnalysedArticle], compress: bool, min_words: int, max_words: int) -> list[Unit]:
    outlets = sorted({a.outlet for a in articles if a.outlet})
    units: list[Unit] = []
    for a in articles:
        tagged = any("VerbForm=Fin" in t.morph for t in a.tokens)  # a language or model without it: no check
        for s, last in reading_sentences(a):
            verbatim = one_line(s.text)
            if not verbatim:
                continue
            broken = "\n" in s.text.strip()  # runs across a line break: title or list glued on
            text, cuts = verbatim, []
            if compress:
                try:
                    cuts = _cuts(a, s, outlets)
                except (IndexError, re.error):
                    cuts = []
                if cuts:
                    shorter = _apply(a.article.text, s.start, s.end, cuts)
                    if word_count(shorter) >= min_words and shorter != verbatim:
                        text = shorter
                    else:
                        cuts = []
            kept = [
                i
                for i in range(s.tok_start, s.tok_end)
                if not any(c0 <= a.tokens[i].start < c1 for c0, c1 in cuts)
            ]
            units.append(
                Unit(
                    key=len(units),
                    article=a,
                    sentence=s,
                    text=text,
                    compressed=bool(cuts),
                    words=word_count(text),
                    # (the compressed text too: cutting ", a-t-elle souligné" leaves a quotation without its speaker)
                    dangling=is_dangling(verbatim, a.language) or text != verbatim and is_dangling(text, a.language)
                    or (tagged and (_verbless_sequel(a, s) or _pointing_back(a, s))),
                    usable=not broken and readable(text, a.language, min_words, max_words) and readable(verbatim, a.language, min_words, 10_000),
                    tokens=kept,
                    last=last,
                )
            )
    return units


def concepts(unit: Unit, stops: frozenset[str]) -> set[str]:
    """Content lemmas and lemma bigrams of a unit: what 'covering a fact' means word-wise."""
    toks = unit.article.tokens
    out: set[str] = set()
    prev: str | None = None
    prev_stop = True
    for i in unit.tokens:
        t = toks[i]
        if t.pos in ("PUNCT", "SPACE", "SYM", "X"):
            prev, prev_stop = None, True
            continue
        lemma = (t.lemma or t.text).lower()
        stop = lemma in stops or t.text.lower() in stops or t.pos not in _CONTENT_POS
        if not stop and len(lemma) > 1:
            out.add(lemma)
        if prev is not None and not (stop and prev_stop):
            out.add(prev + " " + lemma)
        prev, prev_stop = lemma, stop
    return out


def bigrams(unit: Unit, stops: frozenset[str], lemmas: bool = True) -> set[str]:
    """Gillick & Favre's concepts: pairs of adjacent words of a unit (lower-cased lemmas, or
    forms), punctuation breaking the chain, pairs of two stop words left out ("de la")."""
    toks = unit.article.tokens
    out: set[str] = set()
    prev: str | None = None
    prev_stop = True
    for i in unit.tokens:
        t = toks[i]
        if t.pos in ("PUNCT", "SPACE", "SYM") or not any(ch.isalnum() for ch in t.text):
            prev, prev_stop = None, True
            continue
        form = t.text.lower()
        word = (t.lemma or t.text).lower() if lemmas else form
        stop = form in stops or word in stops
        word = word.replace(" ", "_")  # one word of the pair (spaCy may lemmatise to several)
        if prev is not None and not (stop and prev_stop):
            out.add(prev + " " + word)
        prev, prev_stop = word, stop
    return out
