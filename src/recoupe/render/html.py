"""The briefing as one self-contained HTML page (also the story page of the web app).

Everything shown comes from the Briefing; every piece of article text is untrusted and goes
through Jinja2 autoescaping or ``markupsafe.escape``. The page needs nothing from the network:
inline CSS allowed by its sha256 hash in the Content-Security-Policy, no script, no image,
no font. Citations jump to ``<mark id="s-<article>-<start>-<end>">`` in the article texts and
CSS ``:target`` highlights the sentence, so no script is needed for that either.
"""

from __future__ import annotations

import base64
import hashlib
import heapq
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from ..model import ArticleInfo, Briefing, Span
from .common import LABELS, context_parts, differing_sources, display_unit, fact_sources, interval, labels, one_surname, speaker_label

TEMPLATES = Path(__file__).parent / "templates"
CSS = (TEMPLATES / "style.css").read_text(encoding="utf-8").strip()
CSS_HASH = "'sha256-" + base64.b64encode(hashlib.sha256(CSS.encode("utf-8")).digest()).decode("ascii") + "'"
# The standalone file: a <meta> CSP (frame-ancestors is ignored there, so it is left out).
CSP_FILE = f"default-src 'none'; style-src {CSS_HASH}; img-src data:; base-uri 'none'; form-action 'none'"
# The web app: sent as a header on every response.
CSP_WEB = (
    f"default-src 'none'; style-src {CSS_HASH}; script-src 'none'; img-src data:; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

def safe_url(url: str | None) -> str | None:
    """The URL when it is a plain http(s) address, else None (it is then shown as text)."""
    if not url:
        return None
    url = url.strip()
    if any(c.isspace() or ord(c) < 32 for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


_SLUG_BAD = re.compile(r"[^A-Za-z0-9_-]+")


def _slugs(ids: list[str]) -> dict[str, str]:
    """A URL-fragment-safe, unique slug per article id."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for i in ids:
        base = _SLUG_BAD.sub("_", i).strip("_") or "article"
        slug, k = base, 2
        while slug in used:
            slug, k = f"{base}_{k}", k + 1
        used.add(slug)
        out[i] = slug
    return out


# --------------------------------------------------------------------------- highlighted text


@dataclass
class Interval:
    start: int
    end: int
    kind: str  # "use", "removed", "subhead"
    id: str | None = None  # only on the first piece of a cut interval
    title: str = ""
    back: str | None = None  # href of the back-link ("#sum-0")
    order: int = 0
    kind_detail: str = ""  # the Removal kind, for removed parts


@dataclass
class _Node:
    iv: Interval
    start: int
    end: int
    first: bool
    children: list["_Node"] = field(default_factory=list)


def _nest(intervals: list[Interval]) -> list[_Node]:
    """Intervals as a tree of properly nested pieces.

    An interval that crosses the end of the one it starts in is cut there; the rest is queued
    as a continuation piece (same class, no id), so overlapping spans all stay visible.
    """
    heap = [(iv.start, -iv.end, iv.order, k, iv.start, iv.end, True) for k, iv in enumerate(intervals) if iv.end > iv.start]
    heapq.heapify(heap)
    roots: list[_Node] = []
    stack: list[_Node] = []
    while heap:
        _, _, _, k, s, e, first = heapq.heappop(heap)
        iv = intervals[k]
        while stack and stack[-1].end <= s:
            stack.pop()
        if stack and e > stack[-1].end:
            cut = stack[-1].end
            heapq.heappush(heap, (cut, -e, iv.order, k, cut, e, False))
            e = cut
        node = _Node(iv, s, e, first)
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return roots


def _open(node: _Node, lab: dict[str, str]) -> Markup:
    iv = node.iv
    idattr = Markup(' id="{}"').format(iv.id) if (node.first and iv.id) else Markup("")
    title = Markup(' title="{}"').format(iv.title) if iv.title else Markup("")
    if iv.kind == "removed":
        return Markup('<del class="removed removed-{}"{}{}>').format(iv.kind_detail, idattr, title)
    if iv.kind == "subhead":
        return Markup('<span class="subhead"{}>').format(idattr)
    cls = "span" if node.first else "span cont"
    return Markup('<mark class="{}"{}{}>').format(cls, idattr, title)


def _close(node: _Node, lab: dict[str, str]) -> Markup:
    iv = node.iv
    if iv.kind == "removed":
        return Markup("</del>")
    if iv.kind == "subhead":
        return Markup("</span>")
    back = Markup("")
    if node.first and iv.back:
        back = Markup('<a class="back" href="{}" title="{}" aria-label="{}">↩</a>').format(iv.back, lab["back"], lab["back"])
    return Markup("</mark>") + back


def highlight(text: str, intervals: list[Interval], lab: dict[str, str] | None = None) -> Markup:
    """The text cut at every interval boundary, each piece escaped, wrapped in <mark>/<del>."""
    lab = lab or LABELS["fr"]
    n = len(text)
    clean = []
    for iv in intervals:
        s, e = max(0, iv.start), min(n, iv.end)
        if e > s:
            iv.start, iv.end = s, e
            clean.append(iv)
    out: list[str] = []

    def piece(a: int, b: int) -> Markup:
        # line ends as one \n each, even when a tag falls between the \r and \n of a CRLF
        s = text[a:b]
        if s.endswith("\r") and b < n and text[b] == "\n":
            s = s[:-1]
        return escape(s.replace("\r\n", "\n").replace("\r", "\n"))

    def emit(nodes: list[_Node], pos: int) -> int:
        for node in nodes:
            out.append(piece(pos, node.start))
            out.append(_open(node, lab))
            inner = emit(node.children, node.start)
            out.append(piece(inner, node.end))
            out.append(_close(node, lab))
            pos = node.end
        return pos

    end = emit(_nest(clean), 0)
    out.append(piece(end, n))
    return Markup("").join(out)


# --------------------------------------------------------------------------- the view


class View:
    """What the templates need beyond the Briefing: anchors, uses, groupings, labels."""

    def __init__(self, b: Briefing, web: bool = False):
        self.b = b
        self.web = web
        self.lab = labels(b.language)
        self.articles = {a.id: a for a in b.articles}
        self.slug = _slugs([a.id for a in b.articles])
        self.outlet_of = {a.id: a.outlet for a in b.articles}
        self.outlets = sorted(b.outlets, key=lambda o: (-b.outlets[o], o.lower())) or sorted({a.outlet for a in b.articles})
        self.uses: dict[tuple[str, int, int], list[tuple[str, str]]] = defaultdict(list)  # span key -> [(use id, label)]
        self.fact_row = {f.id: f"f-{i}" for i, f in enumerate(b.facts)}
        self._collect()

    # -- spans

    def valid(self, span: Span | None) -> bool:
        if span is None or span.article not in self.articles:
            return False
        return 0 <= span.start < span.end <= len(self.articles[span.article].text)

    def anchor(self, span: Span | None) -> str | None:
        """The id of the span's <mark> in the article texts, None when it cannot be shown."""
        if not self.valid(span):
            return None
        return f"s-{self.slug[span.article]}-{span.start}-{span.end}"

    def outlet(self, span: Span) -> str:
        return self.outlet_of.get(span.article, span.article)

    def around(self, span: Span) -> tuple[str, str, str]:
        """The sentence around a value, cut in three, so the value is read in context."""
        return context_parts({k: a.text for k, a in self.articles.items()}, span, 200)

    def _use(self, span: Span | None, use_id: str, label: str) -> None:
        if self.valid(span):
            key = (span.article, span.start, span.end)
            if use_id not in (u for u, _ in self.uses[key]):
                self.uses[key].append((use_id, label))

    def _collect(self) -> None:
        b, lab = self.b, self.lab
        for i, c in enumerate(b.conflicts):
            for g in c.groups:
                for s in g.spans:
                    self._use(s, f"c-{i}", lab["contradictions"])
        for i, s in enumerate(b.summary):
            for sp in s.spans:
                self._use(sp, f"sum-{i}", lab["summary"])
        for i, f in enumerate(b.facts):
            for sp in f.claims:
                self._use(sp, f"f-{i}", lab["coverage"])
        for i, sq in enumerate(b.shared_quotes):
            for v in sq.variants:
                for sp in v.spans:
                    self._use(sp, f"sq-{i}", lab["quotes"])
        shared = self._shared_spans()
        for i, q in enumerate(b.quotes):
            if (q.span.article, q.span.start, q.span.end) in shared:
                continue  # shown (and linked) as a variant of a shared quote
            self._use(q.span, f"q-{i}", lab["quotes"])
            self._use(q.speaker_span, f"q-{i}", lab["quotes"])
        for i, m in enumerate(b.measurements):
            self._use(m.span, f"m-{i}", lab["measurements"])
        for i, t in enumerate(b.timeline):
            for sp in t.spans:
                self._use(sp, f"t-{i}", lab["timeline"])
        for i, p in enumerate(b.provenance):
            for sp in p.statements:
                self._use(sp, f"p-{i}", lab["provenance"])
        for i, r in enumerate(b.reuse):
            for sp in r.spans:
                self._use(sp, f"r-{i}", lab["reuse"])

    def article_text(self, a: ArticleInfo) -> Markup:
        """The article's original text with used spans marked and removed parts struck."""
        return highlight(a.text, self.intervals(a), self.lab)

    def intervals(self, a: ArticleInfo) -> list[Interval]:
        ivs: list[Interval] = []
        for r in a.removed:
            if r.span.article in (a.id, "") or r.span.article not in self.articles:
                ivs.append(
                    Interval(r.span.start, r.span.end, "removed", title=f"{self.lab['removed']} ({r.kind}): {r.reason}", kind_detail=r.kind)
                )
        for s in a.subheads:
            ivs.append(Interval(s.start, s.end, "subhead", order=2))
        for (art, start, end), uses in self.uses.items():
            if art != a.id:
                continue
            ivs.append(
                Interval(
                    start,
                    end,
                    "use",
                    id=f"s-{self.slug[art]}-{start}-{end}",
                    title=", ".join(dict.fromkeys(label for _, label in uses)),
                    back=f"#{uses[0][0]}",
                    order=1,
                )
            )
        return ivs

    # -- groupings

    def _shared_spans(self) -> set[tuple[str, int, int]]:
        return {(s.article, s.start, s.end) for sq in self.b.shared_quotes for v in sq.variants for s in v.spans}

    def quote_groups(self):
        """[(speaker label, shared quotes, other quotes with their index)], most quoted first."""
        shared_spans = self._shared_spans()
        groups: dict[str | None, dict] = {}
        for i, sq in enumerate(self.b.shared_quotes):
            groups.setdefault(sq.speaker, {"shared": [], "quotes": []})["shared"].append((i, sq))
        for i, q in enumerate(self.b.quotes):
            if (q.span.article, q.span.start, q.span.end) in shared_spans:
                continue
            groups.setdefault(speaker_label(q), {"shared": [], "quotes": []})["quotes"].append((i, q))
        order = sorted(groups, key=lambda s: (s is None, -(len(groups[s]["quotes"]) + 2 * len(groups[s]["shared"])), s or ""))
        return [(s if s else self.lab["unknown_speaker"], groups[s]["shared"], groups[s]["quotes"]) for s in order]

    def fact_cell(self, fact, outlet: str) -> Span | None:
        """The claim of ``outlet`` for this fact (for the ✓ link), None when it does not report it."""
        for sp in fact.claims:
            if self.outlet(sp) == outlet:
                return sp
        return None

    def one_surname(self, c) -> bool:
        return one_surname(c)

    def fact_sources(self, fact) -> list[tuple[str, list[str]]]:
        """Who the outlets attribute the fact to: [(source, outlets)] (render/common.py)."""
        return fact_sources(fact)

    def sources_differ(self, fact) -> bool:
        return differing_sources(fact)

    def fact_text(self, fact_id: str) -> str:
        for f in self.b.facts:
            if f.id == fact_id:
                return f.text
        return fact_id

    def interval_text(self, m) -> str:
        return interval(m, self.b.language)

    def unit_text(self, m) -> str:
        return display_unit(m, self.b.language)

    def article_href(self, article_id: str) -> str:
        return f"#a-{self.slug.get(article_id, '')}"


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Jinja2 with autoescape on for every template (they all produce HTML)."""
    env = Environment(
        loader=FileSystemLoader([str(TEMPLATES), str(Path(__file__).parents[1] / "web" / "templates")]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(CSS=Markup(CSS), safe_url=safe_url)
    return env


def render_html(briefing: Briefing, *, web: bool = False, story_id: str | None = None, article_links: dict[str, str] | None = None) -> str:
    """The briefing as a complete HTML document.

    ``web=True`` renders the web app's story page (navigation to the story list; the CSP is then
    sent as a header); the default is the standalone file with its CSP in a <meta>.
    ``article_links`` maps article ids to the app's article pages.
    """
    view = View(briefing, web=web)
    tpl = environment().get_template("briefing.html.j2")
    return tpl.render(b=briefing, v=view, L=view.lab, web=web, csp=CSP_FILE, story_id=story_id, article_links=article_links or {})
