"""Reprinted copy: long word-for-word passages two outlets share (one wire dispatch, reprinted)."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from ..model import AnalysedArticle, Reuse, Span

WORD = re.compile(r"\w+", re.U)
MIN_BLOCK = 8  # shared runs shorter than 8 words are ordinary phrases, not copy
MAX_GAP = 3  # a changed word or two inside a reprint (sensibles -> délicates) does not break the run


def _words(article: AnalysedArticle) -> tuple[list[str], list[tuple[int, int]]]:
    text = article.article.text.replace("’", "'")
    ms = list(WORD.finditer(text))
    return [m.group().lower() for m in ms], [(m.start(), m.end()) for m in ms]


def shared_runs(wa: list[str], wb: list[str]) -> list[tuple[int, int, int, int, int]]:
    """Runs (a_start, a_end, b_start, b_end, shared words) of copy between two word lists.

    Matching blocks of >= 8 words, merged when separated by a gap of <= 3 words on both sides.
    """
    sm = SequenceMatcher(None, wa, wb, autojunk=False)
    blocks = [b for b in sm.get_matching_blocks() if b.size >= MIN_BLOCK]
    runs: list[list[int]] = []
    for b in blocks:
        if runs and 0 <= b.a - runs[-1][1] <= MAX_GAP and 0 <= b.b - runs[-1][3] <= MAX_GAP:
            runs[-1][1], runs[-1][3] = b.a + b.size, b.b + b.size
            runs[-1][4] += b.size
        else:
            runs.append([b.a, b.a + b.size, b.b, b.b + b.size, b.size])
    return [tuple(r) for r in runs]  # type: ignore[misc]


def find_reuse(articles: list[AnalysedArticle], min_words: int = 40) -> list[Reuse]:
    """Pairs of articles from different outlets sharing at least one run of ``min_words`` words."""
    words = [_words(a) for a in articles]
    out: list[Reuse] = []
    for i in range(len(articles)):
        for j in range(i + 1, len(articles)):
            a, b = articles[i], articles[j]
            if a.outlet == b.outlet:
                continue
            all_runs = shared_runs(words[i][0], words[j][0])
            if not any(r[4] >= min_words for r in all_runs):
                continue
            # once a pair is a reprint, its shorter copied passages (>= 2 blocks' worth) are shown too
            runs = [r for r in all_runs if r[4] >= 2 * MIN_BLOCK]
            spans: list[Span] = []
            for a0, a1, b0, b1, _ in runs:
                spans.append(a.article.span(words[i][1][a0][0], words[i][1][a1 - 1][1]))
                spans.append(b.article.span(words[j][1][b0][0], words[j][1][b1 - 1][1]))
            out.append(Reuse(outlets=[a.outlet, b.outlet], articles=[a.id, b.id], shared_words=sum(r[4] for r in runs), spans=spans))
    return sorted(out, key=lambda r: -r.shared_words)
