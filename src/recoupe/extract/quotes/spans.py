"""Where quotes stand in the text: paired quote marks, incises inside them, trimmed contents, and
the clause and sentence bounds around them.

Pairing marks is plain text work that must hold whatever the parser made of the sentence (and
provenance.py pairs them too), so it stays apart from the speaker rules. The bounds are measured
outside quotes: a full stop inside a quote does not end the sentence that carries it.
"""

from __future__ import annotations

import bisect
import re

from ...lang import fr
from ...model import AnalysedArticle
from .context import _Ctx, _inside_quote, _paragraph_of

OPENERS = {"«": "»", "“": "”", "‹": "›", '"': '"'}
SPACES = " \t\u00a0\u202f\u2009"
WORD = re.compile(r"\w+(?:['’-]\w+)*")


def _paragraphs(article: AnalysedArticle) -> list[tuple[int, int]]:
    text = article.article.text
    paras = [p for p in article.article.paragraphs if p[1] > p[0]]
    if paras:
        return sorted(paras)
    out, start = [], 0
    for m in re.finditer(r"\n\s*\n", text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return out


def find_quote_marks(text: str, paragraphs: list[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    """Outermost quoted pieces as (open mark, content start, content end, close mark end).

    Pairs marks within a paragraph (nested marks of the same kind are counted); a « or “ that
    never closes runs to the end of its paragraph, or on into the next one when that paragraph
    reopens with the same mark (the French convention for a quote over several paragraphs).
    """
    out: list[tuple[int, int, int, int]] = []
    k = 0
    while k < len(paragraphs):
        ps, pe = paragraphs[k]
        i = ps
        next_k = k + 1
        while i < pe:
            ch = text[i]
            if ch not in OPENERS or (ch == '"' and not _straight_opens(text, i, ps)):
                i += 1
                continue
            close = OPENERS[ch]
            j, depth, end_para = i + 1, 0, pe
            found = -1
            kk = k
            while True:
                while j < end_para:
                    c = text[j]
                    if c == close and (ch != '"' or True):
                        if depth == 0:
                            found = j
                            break
                        depth -= 1
                    elif c == ch and ch != '"':
                        depth += 1
                    j += 1
                if found >= 0 or ch == '"':
                    break
                # unclosed: continue into the next paragraph only when it reopens with the same mark
                if kk + 1 < len(paragraphs) and text[paragraphs[kk + 1][0]:paragraphs[kk + 1][0] + 1] == ch and kk - k < 3:
                    kk += 1
                    j, end_para, depth = paragraphs[kk][0] + 1, paragraphs[kk][1], 0
                    continue
                break
            if found < 0 and kk == k and (over := _over_paragraphs(text, paragraphs, k, i, ch)) is not None:
                kk, found = over
            if found < 0:
                if ch == '"':  # an odd straight quote (inches, typo): not a quote
                    i += 1
                    continue
                out.append((i, i + 1, end_para, end_para))
                if kk > k:
                    next_k = kk + 1
                    break
                i = end_para
                continue
            out.append((i, i + 1, found, found + 1))
            if kk > k:
                next_k = kk + 1
                ps, pe = paragraphs[kk]
                i = found + 1
                # keep scanning the rest of the paragraph where the quote ended
                k = kk
                next_k = kk + 1
                continue
            i = found + 1
        k = next_k
    return out


_MARKS = frozenset(OPENERS) | frozenset(OPENERS.values())
OVER_PARAGRAPHS = 12  # paragraphs one pair of marks may hold (a statement printed in full)


def _over_paragraphs(text: str, paragraphs: list[tuple[int, int]], k: int, i: int, ch: str) -> tuple[int, int] | None:
    """A statement printed over several paragraphs between one pair of marks ("Voici le verbatim du
    communiqué : ¶ "Je prends acte de la décision ... ¶ ... ¶ ... tout au long de ce parcours".").
    Only when nothing else could pair: the mark opens paragraph ``k`` and is its only mark, the
    paragraphs after hold none, and the first later paragraph with a mark holds the closing mark
    alone. Returns (that paragraph's index, the closing mark's offset), else None."""
    ps, pe = paragraphs[k]
    if text[ps:i].strip() or any(c in _MARKS for c in text[i + 1 : pe]):
        return None
    for kk in range(k + 1, min(len(paragraphs), k + OVER_PARAGRAPHS)):
        s, e = paragraphs[kk]
        marks = [j for j in range(s, e) if text[j] in _MARKS]
        if marks:
            return (kk, marks[0]) if len(marks) == 1 and text[marks[0]] == OPENERS[ch] else None
    return None


def _straight_opens(text: str, i: int, para_start: int) -> bool:
    """A straight " opens when preceded by start, space or an opening bracket."""
    return i == para_start or text[i - 1] in SPACES + "\n(['«“:" or text[i - 1] == "'"


def _split_at_incises(text: str, marks: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """« On nous parle de synergies, poursuit-elle, mais ... »: an incise inside one pair of marks
    splits the quote in two, the incise itself outside both (so it reads as the cue of the first)."""
    out = []
    for o, s, e, ce in marks:
        m = fr.INNER_INCISE.search(text, s, e)
        if m and fr.speech_lemma(m["past"] or m["verb"] or m["named"]) and WORD.search(text[s:m.start()]) and WORD.search(text[m.end():e]):
            out.append((o, s, m.start(), m.start()))
            out.append((m.end(), m.end(), e, ce))
        else:
            out.append((o, s, e, ce))
    return out


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    """Content range without surrounding spaces and trailing . , ; : (not ... nor ? !)."""
    while s < e and text[s] in SPACES + "\n":
        s += 1
    while e > s and text[e - 1] in SPACES + "\n":
        e -= 1
    while e > s and text[e - 1] in ",;:" or (e > s and text[e - 1] == "." and not text[s:e].endswith("..")):
        e -= 1
        while e > s and text[e - 1] in SPACES:
            e -= 1
    return s, e


def _strip_commas(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in ", " + SPACES:
        s += 1
    while e > s and text[e - 1] in ", " + SPACES:
        e -= 1
    return s, e


def _outside_quotes(ctx: _Ctx, start: int, end: int) -> str:
    """ctx.text[start:end] with every quote (marks included) blanked out."""
    chars = list(ctx.text[start:end])
    for qo, qe in ctx.quoted:
        for c in range(max(qo, start), min(qe, end)):
            chars[c - start] = " "
    return "".join(chars)


def _sentence_breaks(ctx: _Ctx, k: int) -> list[int]:
    """The offsets just after each . ! ? that ends a sentence in paragraph ``k`` and the gap after it
    (outside quotes, before a space or a closing mark, not "M."), ascending; computed once per
    paragraph and set of quotes (the rules ask for the start of a sentence tens of thousands of times
    per cluster)."""
    if ctx.breaks_for is not ctx.quoted:
        ctx.breaks, ctx.breaks_for = {}, ctx.quoted
    found = ctx.breaks.get(k)
    if found is None:
        text = ctx.text
        start = ctx.paragraphs[k][0] if ctx.paragraphs else 0
        end = ctx.paragraphs[k + 1][0] if k + 1 < len(ctx.paragraphs) else len(text)
        found = ctx.breaks[k] = [j + 1 for j in range(start, end) if text[j] in ".!?" and _ends_sentence(ctx, j, start)]
    return found


def _ends_sentence(ctx: _Ctx, j: int, start: int = 0) -> bool:
    """The . ! ? at ``j`` ends a sentence: outside quotes, before a space or a closing mark (not the
    period of "9.000" or "Yahoo.fr"), not the "M." of a name."""
    text = ctx.text
    return (not _inside_quote(ctx, j) and (j + 1 >= len(text) or text[j + 1] in SPACES + "\n»”")
            and not text[max(start, j - 3):j + 1].endswith(("M.", " M.")))


def _left_boundary(ctx: _Ctx, pos: int) -> int:
    """Start of the clause/sentence holding ``pos``: after the last . ! ? outside quotes, or the paragraph."""
    k = _paragraph_of(ctx, pos) if ctx.paragraphs else 0
    start = ctx.paragraphs[k][0] if ctx.paragraphs else 0
    found = _sentence_breaks(ctx, k)
    i = bisect.bisect_right(found, pos) - 1
    return found[i] if i >= 0 and pos > start else start


def _right_boundary(ctx: _Ctx, pos: int) -> int:
    para = ctx.paragraphs[_paragraph_of(ctx, pos)] if ctx.paragraphs else (0, len(ctx.text))
    j = pos
    while j < para[1]:
        c = ctx.text[j]
        if c in ".!?" and _ends_sentence(ctx, j):
            return j + 1
        if c in OPENERS and j > pos and c != '"':
            return j
        j += 1
    return para[1]


def _sentence_end(ctx: _Ctx, pos: int) -> int:
    """End of the sentence holding ``pos`` (quote marks do not end it)."""
    para = ctx.paragraphs[_paragraph_of(ctx, pos)] if ctx.paragraphs else (0, len(ctx.text))
    j = pos
    while j < para[1]:
        if ctx.text[j] in ".!?" and _ends_sentence(ctx, j):
            return j + 1
        j += 1
    return para[1]


def _clause_end(ctx: _Ctx, i: int) -> int:
    toks = ctx.tokens
    j = i
    while j + 1 < len(toks) and toks[j + 1].sent == toks[i].sent and toks[j + 1].text not in ".;!?«“":
        j += 1
    return j


def _clause_end_incl_quotes(ctx: _Ctx, i: int) -> int:
    toks = ctx.tokens
    j = i
    while j + 1 < len(toks) and toks[j + 1].sent == toks[i].sent and toks[j + 1].text not in ".;!?":
        j += 1
    return j
