"""What a search query means, shared by the store, the web app and the command line.

A query is words; case and accents never matter ("depute" finds "député"); a word ending in ``*``
is a prefix ("Betan*" finds "Betancourt"); nothing else is syntax, so a query can never be read as
SQL or FTS5 operators. A hit's snippet is plain text with the matched words as ``[start, end)``
offsets (``highlights``): each front end shows them its own way (<mark>, bold), and no marker
character can be mistaken for article text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_WORD = re.compile(r"(\w+)(\*)?")


@dataclass(frozen=True)
class Term:
    text: str  # folded (lower case, no accents)
    prefix: bool = False


def fold(text: str) -> str:
    """Lower case without accents ("Député" -> "depute"); may change the length of the text."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in text if not unicodedata.combining(c))


def fold_chars(text: str) -> str:
    """``fold`` character by character, one character out for one in: offsets stay those of ``text``."""
    return "".join((fold(c) or c)[0] for c in text)


def terms(query: str) -> list[Term]:
    """The words of a query, folded; ``word*`` is a prefix."""
    return [Term(fold(m.group(1)), bool(m.group(2))) for m in _WORD.finditer(query) if fold(m.group(1))]


def _pattern(ts: list[Term]) -> re.Pattern[str] | None:
    alts = [re.escape(t.text) + (r"\w*" if t.prefix else "") for t in ts]
    return re.compile(r"\b(?:" + "|".join(sorted(alts, key=len, reverse=True)) + r")\b") if alts else None


def matches(text: str, ts: list[Term]) -> bool:
    """Every term is a word (or a word's beginning, for a prefix) of ``text``."""
    folded = fold_chars(text)
    return all(re.search(r"\b" + re.escape(t.text) + (r"" if t.prefix else r"\b"), folded) for t in ts)


def highlights(text: str, ts: list[Term]) -> list[tuple[int, int]]:
    """[start, end) of every word of ``text`` that a term matches."""
    pattern = _pattern(ts)
    return [m.span() for m in pattern.finditer(fold_chars(text))] if pattern else []


def snippet(text: str, ts: list[Term], width: int = 160) -> tuple[str, list[tuple[int, int]]]:
    """About ``width`` characters of ``text`` around the first match, spaces collapsed, and its highlights."""
    spans = highlights(text, ts)
    at = spans[0][0] if spans else 0
    start = max(0, at - width // 3)
    if start:
        start = text.rfind(" ", 0, start) + 1  # begin at a word
    piece = " ".join(text[start : start + width].split())
    return piece, highlights(piece, ts)


def cut(text: str, spans: list[tuple[int, int]] | list[list[int]]) -> list[tuple[str, bool]]:
    """``text`` as pieces, each flagged when it is a highlight (spans sorted, clipped, never overlapping)."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for s, e in sorted((max(0, int(a)), min(len(text), int(b))) for a, b in spans):
        if s < pos or e <= s:
            continue
        if s > pos:
            out.append((text[pos:s], False))
        out.append((text[s:e], True))
        pos = e
    if pos < len(text):
        out.append((text[pos:], False))
    return out
