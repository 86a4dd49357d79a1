"""Clean a Document into analysable text, recording every removal and keeping the way back.

The clean text is assembled from ranges of the original text (paragraph separators are copied
from the original line breaks, carriage returns are dropped), so each clean character knows its
original offset. Removed pieces (captions, credits, datelines, signatures, metadata, titles,
subheads, page furniture) become Removal records with their original span: nothing disappears
silently. The language-specific patterns live in ``recoupe.lang.<code>``.

Photo credits are read whole (``find_credit``): a lead ("Photo :", "Crédit :", "©"), then items
(agencies, pools and picture libraries, photographers' names, "Photo prise le ...") joined by
"/", "via", "pour": "Photo : pool/afp via getty images / Jane Doe", "AFP PHOTO / LUDOVIC MARIN",
"LUDOVIC MARIN / POOL / AFP", "(Maxppp)". A credit left half-read stays in the text and becomes
a "fact" of its own ("afp via getty images / Jane Doe"), so none may be cut short.
"""

from __future__ import annotations

from datetime import date as _date
import re
from dataclasses import dataclass
from types import ModuleType

from .config import Config
from .lang import rules_for
from .model import CleanArticle, Document, Removal, Span

_LINE_BREAK = re.compile(r"\r\n|\n|\r")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


@dataclass
class _Line:
    start: int  # stripped line, original offsets
    end: int
    gap_before: bool  # a blank line (or the start of the body) precedes it
    kind: str = ""  # "" = body text, else the Removal kind
    reason: str = ""


def _split_lines(text: str, start: int) -> list[_Line]:
    """Non-blank lines from ``start`` with surrounding white space trimmed off the range."""
    out: list[_Line] = []
    pos = start
    blank = True
    n = len(text)
    while pos <= n:
        m = _LINE_BREAK.search(text, pos)
        end = m.start() if m else n
        s, e = pos, end
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append(_Line(s, e, blank))
            blank = False
        else:
            blank = True
        if not m:
            break
        pos = m.end()
    return out


def _blank_convention(text: str, lines: list[_Line]) -> bool:
    """Whether blank lines separate paragraphs (and single line breaks are hard wraps inside one): a
    blank line before a line with words says so; one before a lone "|" or "—" at the end (RPM2
    T08_C2_10) does not, or a text of one paragraph a line would be read as a single paragraph."""
    return any(ln.gap_before and re.search(r"\w\w", text[ln.start : ln.end]) for ln in lines[1:])


def _particle(word: str) -> str:
    """The particle a name word starts with, as NAME_PARTICLES spells it: "l'Est" -> "l'"."""
    m = re.match(r"(\w+)(['’])", word.lower())
    return m.group(1) + m.group(2) if m else word.lower()


def _norm(value: str) -> str:
    return " ".join(value.replace("’", "'").split()).casefold()


@dataclass
class Credit:
    """A photo credit found in a line: [start, end) in the line; ``form`` is "lead" ("Photo : AFP / X",
    "© X"), "slashed" ("LOÏC VENANCE / AFP", "AFP PHOTO / X"), "paren" ("(Photo AFP)") or "agency" (a
    bare agency in brackets, "(Reuters)", which may also be a dispatch's source mark)."""

    start: int
    end: int
    form: str


_NAME_WORD = re.compile(r"[^\W\d_][\w'’.-]*,?")
_GAP = re.compile(r"[ \t\u00a0]+")
_BOUNDARY = re.compile(r"(?:^|(?<=[.!?…»”)])\s*|(?<=\s))(?=\S)")


def _credit_name(line: str, pos: int, rules: ModuleType) -> int | None:
    """End of a photographer's name at ``pos``: capitalised words (particles between them), at most
    CREDIT_NAME_MAX_WORDS; a word that starts a sentence ("Le", "Les") ends the name, so that a
    paragraph glued after a credit survives."""
    starters = getattr(rules, "SENTENCE_STARTERS", frozenset())
    particles = getattr(rules, "NAME_PARTICLES", frozenset())
    q, end, caps, real = pos, None, 0, 0
    while True:
        m = _NAME_WORD.match(line, q)
        if not m:
            break
        word = m.group().rstrip(",")
        bare = re.split(r"['’]", word.lower())[0].rstrip(".")
        if word[:1].isupper():
            if caps and bare in starters:
                break
            caps += 1
            real += bare not in starters
            if caps > getattr(rules, "CREDIT_NAME_MAX_WORDS", 4):
                break
            end = m.end() - (1 if m.group().endswith(",") else 0)
        elif not (caps and _particle(word) in particles):
            break
        if m.group().endswith((",", ".")) and not re.fullmatch(r"[^\W\d_]\.", word):
            break  # "Jean Dupuis." or "Jean Dupuis," ends the name; an initial "J." does not
        gap = _GAP.match(line, m.end())
        if not gap:
            break
        q = gap.end()
    return end if real else None


def _credit_items(line: str, pos: int, rules: ModuleType) -> tuple[int, bool, int, bool] | None:
    """(end, names an agency, separators between items, has a "Photo" segment) of the credit items
    from ``pos``: agencies, "Photo ..." segments and names, joined by CREDIT_SEPARATOR."""
    agency_rx, photo_rx, sep_rx = rules.CREDIT_AGENCY, rules.CREDIT_PHOTO_WORD, rules.CREDIT_SEPARATOR
    end, agency, joins, photo, p = None, False, 0, False, pos
    while True:
        m = agency_rx.match(line, p)
        if m:
            e, agency = m.end(), True
        else:
            m = photo_rx.match(line, p)
            if m:
                e, photo = m.end(), True
            else:
                e = _credit_name(line, p, rules)
        if e is None or e <= p:
            break
        if end is not None:
            joins += 1
        end = e
        s = sep_rx.match(line, end)
        if not s or s.end() <= end or s.end() >= len(line):
            break
        p = s.end()
    return None if end is None else (end, agency, joins, photo)


def find_credit(line: str, rules: ModuleType) -> Credit | None:
    """The photo credit of a line: one at its start (a paragraph may follow it, glued), or one that
    closes the line; None when there is none. Only a lead ("Photo :", "©"), an agency with another
    item ("pool/afp", "AFP PHOTO") or brackets make a credit, never a name alone."""
    if not hasattr(rules, "CREDIT_AGENCY") or not line.strip():
        return None
    n = len(line.rstrip())

    def closing(end: int) -> int:  # "Photo AFP." : a full stop after the credit belongs to it
        tail = line[end:n]
        return n if tail.strip() in ("", ".") else end

    # a credit closing the line is short; only a lead ("Photo :") may open one further from the end
    starts = [0] + [m.start() for m in _BOUNDARY.finditer(line)
                    if m.start() > 0 and (n - m.start() <= 200 or rules.CREDIT_LEAD.match(line, m.start()))]
    for st in starts:
        lead = rules.CREDIT_LEAD.match(line, st)
        # without "Photo :" or "©", a credit starts a line or follows a sentence: "... selon un
        # sondage Harris Interactive pour Reuters / Ipsos" is no credit
        sentence = st == 0 or re.search(r"[.!?…»”)]\s*$", line[:st]) is not None
        weak = None if lead or not sentence else rules.CREDIT_LEAD_WEAK.match(line, st)
        if line.startswith("(", st):
            inner = rules.CREDIT_LEAD.match(line, st + 1) or rules.CREDIT_LEAD_WEAK.match(line, st + 1)
            items = _credit_items(line, inner.end() if inner else st + 1, rules)
            if items and (inner or items[1] or items[3]):
                close = re.match(r"\s*\)\.?\s*$", line[items[0] :])
                if close:
                    return Credit(st, n, "paren" if inner or items[3] or items[2] else "agency")
            continue
        if lead or weak:
            items = _credit_items(line, (lead or weak).end(), rules)
            if items and (lead or items[1] or items[2]):
                end = closing(items[0])
                if end >= n or re.match(r"\s+\S", line[end:]):  # a paragraph may be glued after it
                    return Credit(st, end, "lead")
        items = _credit_items(line, st + 1 if line.startswith("/", st) else st, rules) if sentence else None
        if items and items[1] and (items[2] or items[3]) and closing(items[0]) >= n:
            return Credit(st, n, "slashed")
    return None


class _Cleaner:
    def __init__(self, doc: Document, rules: ModuleType):
        self.doc = doc
        self.text = doc.text
        self.rules = rules
        self.removed: list[Removal] = []
        self.subheads: list[Span] = []
        self.dateline_date: str | None = None  # "2024-03-05", or "--03-05" when the dateline gives no year

    def record(self, kind: str, start: int, end: int, reason: str) -> None:
        # removals keep their trailing white space (a dateline's space) but not a line break
        span = Span(article=self.doc.id, start=start, end=end, text=self.text[start:end])
        self.removed.append(Removal(kind=kind, reason=reason, span=span))  # type: ignore[arg-type]

    def line(self, ln: _Line) -> str:
        return self.text[ln.start : ln.end]

    # ------------------------------------------------------------------ line rules

    def caption_split(self, ln: _Line, last: bool = False) -> tuple[str, int, int] | None:
        """(kind, start, end) of a caption or credit in the line, offsets into the line. A caption
        opening a line may stop before a paragraph glued after it; a credit may close a line.

        A bare agency in brackets ("(Reuters)") alone on the last line is left to the signature rule."""
        r = self.rules
        line = self.line(ln)
        words = len(line.split())
        marker = r.CAPTION_MARKER.match(line)
        credit = find_credit(line, r)
        if marker or (credit and credit.start == 0):
            if credit:
                if credit.start == 0 and credit.form == "agency" and last:
                    return None
                end = credit.end
            else:
                m = re.search(r"[.!?…](?=\s+[«\"A-ZÀ-ÖØ-Þ])", line)
                end = m.end() if m and words > 60 else len(line)
            return ("caption" if marker else "credit"), 0, end
        if credit and credit.end >= len(line):
            if credit.form in ("paren", "agency") or words > 60:  # the text before it is a paragraph: only the credit goes
                return "credit", credit.start, len(line)
            return "caption", 0, len(line)
        return None

    def is_boilerplate(self, line: str) -> tuple[bool, bool]:
        """(is furniture, opens a box of related links)."""
        r = self.rules
        stripped = line.strip().rstrip(":").strip()
        if stripped.casefold() in r.BOILERPLATE_LINE:
            return True, False
        m = r.BOILERPLATE_PREFIX.match(line)
        if not m:
            return False, False
        rest = line[m.end() :].strip()
        if not rest:
            return True, True
        if m.group("sep") or not r.SENTENCE_END.search(line) and len(line.split()) <= r.TITLE_MAX_WORDS:
            return True, False
        return False, False

    def is_headline_like(self, line: str, max_words: int) -> bool:
        r = self.rules
        words = line.split()
        return 1 <= len(words) <= max_words and not r.SUBHEAD_BAD_END.search(line) and not r.SUBHEAD_BAD_START.match(line)

    def is_signature(self, line: str, outlet: str | None) -> bool:
        r = self.rules
        if outlet and _norm(line) == _norm(outlet):
            return True
        if len(line) > r.SIGNATURE_MAX_CHARS or len(line.split()) > r.SIGNATURE_MAX_WORDS:
            return False
        if r.SENTENCE_END.search(line) or r.SUBHEAD_BAD_START.match(line) and not line.startswith("("):
            return False
        if r.AGENCY_ONLY.match(line):
            return True
        name = r.SIGNATURE_RELAY.sub("", line).strip()
        words = _WORD.findall(name)
        if not words:
            return False
        # a name: every word capitalised but particles ("La Voix de la Loire", "Ouest-Info", "RFI")
        return all(w[0].isupper() or _particle(w) in r.NAME_PARTICLES for w in words)

    def outlet_of_signature(self, line: str) -> str | None:
        """The outlet a signature names: "La Voix de la Loire (avec APO)" -> "La Voix de la Loire";
        none for "Avec AFP" (the outlet used AFP copy) or an author's "Par ..." line."""
        r = self.rules
        if r.RELAY_ONLY.match(line) or line.lower().startswith("par "):
            return None
        name = r.SIGNATURE_RELAY.sub("", line).strip(" ,-–—()")
        return name or None

    def dateline(self, line: str) -> re.Match | None:
        r = self.rules
        for pattern in (r.DATELINE_UPPER, r.DATELINE_AGENCY):
            m = pattern.match(line)
            if m and len((m.group("rest") or "").split()) <= r.DATELINE_MAX_REST_WORDS and m.end() < len(line):
                return m
        return None

    # ------------------------------------------------------------------ the pass

    def run(self) -> tuple[list[_Line], str | None, str | None, str]:
        doc, text, r = self.doc, self.text, self.rules
        if doc.body_start:
            self.record("metadata", 0, doc.body_start, "front matter parsed as metadata")
        lines = _split_lines(text, doc.body_start)
        if not lines:
            return [], doc.title, doc.outlet, "metadata" if doc.outlet else "filename"
        has_blank = _blank_convention(text, lines)

        def own_block(i: int) -> bool:
            """The line stands alone: blank lines around it, or the text has one paragraph a line."""
            if not has_blank:
                return True
            after = i + 1 >= len(lines) or lines[i + 1].gap_before
            return lines[i].gap_before and after

        # metadata prefix glued to the first sentence: " date 2023-09 Le dirigeant..."
        first = lines[0]
        m = r.METADATA_PREFIX.match(text[doc.body_start : first.end])
        if m:
            cut = doc.body_start + m.end()
            self.record("metadata", doc.body_start, cut, "date prefix before the first sentence")
            first.start = cut
            while first.start < first.end and text[first.start].isspace():
                first.start += 1

        # line-level furniture anywhere: captions, credits, boilerplate, bylines
        in_box = False
        for i, ln in enumerate(lines):
            if ln.start >= ln.end:
                ln.kind = "metadata"
                continue
            line = self.line(ln)
            fb, opens = self.is_boilerplate(line)
            if fb:
                ln.kind, ln.reason = "boilerplate", "page furniture (related links, sharing, advertising)"
                in_box = opens
                continue
            if in_box and not ln.gap_before and self.is_headline_like(line, r.TITLE_MAX_WORDS) or (
                in_box and ln.gap_before and self.is_headline_like(line, r.TITLE_MAX_WORDS) and i + 1 < len(lines)
                and not lines[i + 1].gap_before
            ):
                ln.kind, ln.reason = "boilerplate", "link in a related-articles box"
                continue
            in_box = False
            cap = self.caption_split(ln, last=i == len(lines) - 1)
            if cap:
                kind, cs, ce = cap
                reason = "photo caption and credit" if kind == "caption" else "photo credit"
                cs, ce = ln.start + cs, ln.start + ce
                if cs == ln.start:
                    rest = ce
                    while rest < ln.end and text[rest].isspace():
                        rest += 1
                    if rest < ln.end:  # a paragraph glued after the caption survives
                        self.record(kind, ln.start, rest, reason + ", split off the paragraph glued after it")
                        ln.start = rest
                    else:
                        ln.kind, ln.reason = kind, reason
                        continue
                else:  # a credit closing a paragraph
                    while cs > ln.start and text[cs - 1].isspace():
                        cs -= 1
                    self.record(kind, cs, ln.end, reason + " at the end of a paragraph")
                    ln.end = cs
                line = self.line(ln)
            if (r.BYLINE.match(line) and len(line.split()) <= 25 and not r.SENTENCE_END.search(line)) or (
                r.PUBLISHED.search(line) and len(line.split()) <= 25
            ):
                ln.kind, ln.reason = "metadata", "byline or publication date"

        body = [i for i, ln in enumerate(lines) if not ln.kind]
        title, outlet = doc.title, doc.outlet
        outlet_from = "metadata" if doc.outlet else "filename"
        if doc.outlet and doc.format in ("json", "jsonl", "feed"):
            outlet_from = "record"

        # signature: the last body line, alone
        if len(body) > 1:
            last = lines[body[-1]]
            line = self.line(last)
            if own_block(body[-1]) or not has_blank or last.gap_before:
                if self.is_signature(line, outlet):
                    last.kind, last.reason = "signature", "outlet signature on the last line"
                    name = self.outlet_of_signature(line)
                    if not outlet and name:
                        outlet, outlet_from = name, "signature"
                    body.pop()

        # title: the first body line when it reads as a headline and a body follows
        if len(body) > 1:
            i = body[0]
            ln = lines[i]
            line = self.line(ln)
            heading = re.match(r"#{1,6}\s+", line)
            if doc.title:
                same = _norm(line.lstrip("# ")) == _norm(doc.title) or (
                    heading is not None and heading.group().startswith("# ")
                )
                if same:
                    ln.kind, ln.reason = "title", "title line (same as the metadata title)"
            else:
                nxt = self.line(lines[body[1]])
                alone = own_block(i) or (not lines[body[1]].gap_before and len(line) < len(nxt) and nxt[:1].isupper())
                quoted = re.fullmatch(r"[«\"“].*[»\"”]", line) is not None  # a headline quoting someone
                ends_ok = not re.search(r"[.:;,…]\s*$", line) and (quoted or not r.SUBHEAD_BAD_START.match(line))
                if heading or (alone and ends_ok and len(line.split()) <= r.TITLE_MAX_WORDS and not nxt[:1].islower()):
                    ln.kind, ln.reason = "title", "title line"
                    title = line[heading.end() :] if heading else line
            if ln.kind:
                body.pop(0)

        # dateline at the start of the first body paragraph
        if body:
            ln = lines[body[0]]
            m = self.dateline(self.line(ln))
            if m:
                self.record("dateline", ln.start, ln.start + m.end(), "dateline (place, date, agency)")
                self.dateline_date = _dateline_date(m.group(0), r)
                ln.start += m.end()

        # subheads: short lines standing alone between paragraphs
        for k in range(1, len(body) - 1):
            i = body[k]
            ln = lines[i]
            line = self.line(ln)
            heading = re.match(r"#{1,6}\s+", line)
            if heading or (
                own_block(i)
                and self.is_headline_like(line, r.SUBHEAD_MAX_WORDS)
                and (line[:1].isupper() or line[:1].isdigit())
                and not self.line(lines[body[k + 1]])[:1].islower()
                and len(self.line(lines[body[k + 1]]).split()) > len(line.split())
            ):
                ln.kind, ln.reason = "subhead", "subhead kept as structure, not analysed as a sentence"
                s = ln.start + (heading.end() if heading else 0)
                self.subheads.append(Span(article=doc.id, start=s, end=ln.end, text=text[s : ln.end]))

        for ln in lines:
            if ln.kind and ln.start < ln.end:
                self.record(ln.kind, ln.start, ln.end, ln.reason)
        kept = [ln for ln in lines if not ln.kind and ln.start < ln.end]
        return kept, title, outlet, outlet_from


def _assemble(text: str, kept: list[_Line], has_blank: bool) -> tuple[str, list[int], list[tuple[int, int]]]:
    """Clean text, offset map and paragraphs from the kept lines.

    Separators are the original line breaks between two kept lines ("\\n\\n" between paragraphs,
    "\\n" inside a hard-wrapped one), so every clean character is an original character.
    """
    parts: list[str] = []
    offsets: list[int] = []
    paragraphs: list[tuple[int, int]] = []
    size = 0
    para_start = 0
    prev_end = None
    for ln in kept:
        if prev_end is not None:
            gap = text[prev_end : ln.start]
            newlines = [prev_end + m.start() for m in re.finditer(r"\n|\r(?!\n)", gap)]
            new_para = len(newlines) >= 2 or not has_blank or not newlines
            if newlines:
                use = newlines[:2] if new_para else newlines[:1]
            else:  # kept pieces of one line (cannot happen today); a space keeps words apart
                use = [i for i in range(prev_end, ln.start) if text[i].isspace()][:1] or []
            if new_para:
                paragraphs.append((para_start, size))
            for i in use:
                parts.append(text[i] if text[i] == "\n" else "\n")
                offsets.append(i)
            size += len(use)
            if new_para:
                para_start = size
        piece = text[ln.start : ln.end]
        if "\r" in piece:
            for i in range(ln.start, ln.end):
                if text[i] != "\r":
                    parts.append(text[i])
                    offsets.append(i)
                    size += 1
        else:
            parts.append(piece)
            offsets.extend(range(ln.start, ln.end))
            size += len(piece)
        prev_end = ln.end
    if kept:
        paragraphs.append((para_start, size))
    return "".join(parts), offsets, paragraphs


def _dateline_date(dateline: str, rules: ModuleType) -> str | None:
    """ISO date of a dateline's "5 mars" or "5 mars 2024" ("--03-05" without a year)."""
    pattern = getattr(rules, "DATELINE_DATE", None)
    m = pattern.search(dateline) if pattern else None
    if not m:
        return None
    month = rules.MONTHS.get(m.group("month").lower())
    day = int(m.group("day"))
    if not month or not 1 <= day <= 31:
        return None
    if m.group("year"):
        try:
            return _date(int(m.group("year")), month, day).isoformat()
        except ValueError:  # "31 février 2024"
            return None
    return f"--{month:02d}-{day:02d}"


def clean(doc: Document, config: Config | None = None, language: str | None = None) -> CleanArticle:
    """Remove page furniture from a Document's text; keep subheads as structure.

    Never raises on odd text: a document that cleaning cannot make sense of is kept whole.
    """
    rules = rules_for(language or doc.lang or "fr")
    cleaner = _Cleaner(doc, rules)
    try:
        kept, title, outlet, outlet_from = cleaner.run()
    except Exception:  # pragma: no cover - a cleaning bug must not lose the article
        cleaner = _Cleaner(doc, rules)
        lines = _split_lines(doc.text, doc.body_start)
        kept, title, outlet, outlet_from = lines, doc.title, doc.outlet, "metadata" if doc.outlet else "filename"
    has_blank = _blank_convention(doc.text, _split_lines(doc.text, doc.body_start))
    clean_text, offsets, paragraphs = _assemble(doc.text, kept, has_blank)
    offsets.append(offsets[-1] + 1 if offsets else doc.body_start)
    if not outlet:
        outlet, outlet_from = doc.id, "filename"
    removed = sorted(cleaner.removed, key=lambda r: r.span.start)
    return CleanArticle(
        doc=doc,
        text=clean_text,
        offsets=offsets,
        removed=removed,
        subheads=cleaner.subheads,
        paragraphs=paragraphs,
        title=title,
        outlet=outlet,
        outlet_from=outlet_from,  # type: ignore[arg-type]
        date=doc.date or (cleaner.dateline_date if cleaner.dateline_date and cleaner.dateline_date[0] != "-" else None),
        date_from="metadata" if doc.date else ("dateline" if cleaner.dateline_date and cleaner.dateline_date[0] != "-" else None),
        dateline_date=cleaner.dateline_date,
    )
