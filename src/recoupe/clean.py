"""Clean a Document into analysable text, recording every removal and keeping the way back.

The clean text is assembled from ranges of the original text, so each clean character knows its
original offset; removed pieces (captions, datelines, signatures, metadata, subheads...) become
Removal records with their original span.
"""

from __future__ import annotations

import re

from .config import Config
from .lang import rules_for
from .model import CleanArticle, Document, Removal, Span


class _Builder:
    """Clean text built from original ranges, with the offset map."""

    def __init__(self, original: str):
        self.original = original
        self.parts: list[str] = []
        self.offsets: list[int] = []

    def add(self, start: int, end: int) -> None:
        for i in range(start, end):
            ch = self.original[i]
            if ch == "\r":
                continue
            self.parts.append(ch)
            self.offsets.append(i)

    def add_break(self, at: int) -> None:
        """A paragraph break standing for removed original characters at ``at``."""
        text = "".join(self.parts[-2:])
        if not self.parts:
            return
        need = 2 - (len(text) - len(text.rstrip("\n")))
        for _ in range(max(0, need)):
            self.parts.append("\n")
            self.offsets.append(at)

    def text(self) -> str:
        return "".join(self.parts)


def _lines(text: str, start: int) -> list[tuple[int, int]]:
    """(start, end) of each line from ``start``, end excluding the line break."""
    out = []
    pos = start
    for m in re.finditer(r"\r\n|\n|\r", text[start:]):
        out.append((pos, start + m.start()))
        pos = start + m.end()
    out.append((pos, len(text)))
    return out


def clean(doc: Document, config: Config | None = None, language: str = "fr") -> CleanArticle:
    """Remove boilerplate from a Document's text; keep subheads as structure."""
    rules = rules_for(language)
    text = doc.text
    removed: list[Removal] = []
    subheads: list[Span] = []

    def record(kind: str, start: int, end: int, reason: str) -> None:
        removed.append(Removal(kind=kind, reason=reason, span=Span(article=doc.id, start=start, end=end, text=text[start:end])))

    if doc.body_start:
        record("metadata", 0, doc.body_start, "front matter")

    lines = [(s, e) for s, e in _lines(text, doc.body_start)]
    nonblank = [(s, e) for s, e in lines if text[s:e].strip()]
    title = doc.title
    outlet = doc.outlet
    outlet_from = "metadata" if doc.outlet else "filename"

    keep: list[tuple[int, int]] = []  # kept original ranges, one per paragraph line
    first = True
    for idx, (s, e) in enumerate(nonblank):
        line = text[s:e]
        # metadata prefix glued to the first sentence: " date 2023-09 Le dirigeant..."
        if first:
            m = rules.METADATA_PREFIX.match(line)
            if m:
                record("metadata", s, s + m.end(), "metadata prefix")
                s = s + m.end()
                line = text[s:e]
        is_first = first
        first = False
        stripped = line.strip()
        if not stripped:
            continue
        lead = len(line) - len(line.lstrip())
        s_ = s + lead
        e_ = s_ + len(stripped)
        if rules.is_caption(stripped):
            record("caption", s_, e_, "photo caption and credit")
            continue
        if idx == len(nonblank) - 1 and len(nonblank) > 1 and rules.is_signature(stripped, outlet):
            record("signature", s_, e_, "outlet signature on the last line")
            if not outlet:
                outlet, outlet_from = stripped, "signature"
            continue
        if is_first and title is None and doc.format in ("txt", "md") and rules.is_title(stripped, nonblank, text):
            record("title", s_, e_, "title line")
            title = stripped
            continue
        if rules.is_subhead(stripped) and 0 < idx < len(nonblank) - 1:
            record("subhead", s_, e_, "subhead kept as structure, not analysed as a sentence")
            subheads.append(Span(article=doc.id, start=s_, end=e_, text=stripped))
            continue
        m = rules.DATELINE.match(stripped)
        if m and len(keep) == 0:
            record("dateline", s_, s_ + m.end(), "dateline")
            s_ += m.end()
        keep.append((s_, e_))

    b = _Builder(text)
    paragraphs = []
    for s, e in keep:
        if b.parts:
            b.add_break(s)
        p0 = len(b.parts)
        b.add(s, e)
        paragraphs.append((p0, len(b.parts)))
    clean_text = b.text()
    offsets = b.offsets + [len(text)]
    if not outlet:
        stem = doc.id
        outlet, outlet_from = stem, "filename"
    if doc.format in ("json", "jsonl", "feed") and doc.outlet:
        outlet_from = "record"
    removed.sort(key=lambda r: r.span.start)
    return CleanArticle(
        doc=doc,
        text=clean_text,
        offsets=offsets,
        removed=removed,
        subheads=subheads,
        paragraphs=paragraphs,
        title=title,
        outlet=outlet,
        outlet_from=outlet_from,  # type: ignore[arg-type]
        date=doc.date,
    )
