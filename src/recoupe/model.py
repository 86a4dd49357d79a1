"""Typed data for every stage: read -> clean -> analyse -> extract -> compare -> summarise -> render.

Internal stage data are plain dataclasses (cheap to build by the thousand); everything that
leaves the program (the briefing, stories) is a pydantic model whose field names are a contract
read by scripts outside the project: rename nothing without a schema version bump.
"""

from __future__ import annotations

import bisect

from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, Field

SCHEMA_VERSION = "1.0"


# --------------------------------------------------------------------------- shared output types


class Span(BaseModel):
    """A piece of one article: offsets are into that article's original text (``ArticleInfo.text``)."""

    article: str
    start: int
    end: int
    text: str


class Removal(BaseModel):
    """Something cleaning took out of the analysed text, so that nothing disappears silently."""

    kind: Literal["metadata", "title", "caption", "credit", "dateline", "signature", "subhead", "boilerplate"]
    reason: str
    span: Span


class Notice(BaseModel):
    """A warning or error about one input, shown on stderr and kept in the briefing."""

    level: Literal["info", "warning", "error"] = "warning"
    file: str
    message: str

    def line(self) -> str:
        return f"{self.level}: {self.file}: {self.message}"


# --------------------------------------------------------------------------- read


@dataclass
class Document:
    """An article as read from its file or record, before any cleaning.

    ``text`` is the decoded original text (BOM removed, line ends kept); every Span points into it.
    ``body_start`` is where the body begins after a front-matter block the reader parsed.
    """

    id: str
    text: str
    path: str | None = None
    format: str = "txt"
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    date: str | None = None  # ISO: YYYY-MM-DD, YYYY-MM or YYYY
    lang: str | None = None
    body_start: int = 0
    encoding: str = "utf-8"


# --------------------------------------------------------------------------- clean


@dataclass
class CleanArticle:
    """The analysable text of a Document and the way back to its original characters."""

    doc: Document
    text: str
    offsets: list[int]  # offsets[i] = original index of clean character i; len(text) + 1 entries
    removed: list[Removal] = field(default_factory=list)
    subheads: list[Span] = field(default_factory=list)
    paragraphs: list[tuple[int, int]] = field(default_factory=list)  # clean offsets
    title: str | None = None
    outlet: str = ""
    outlet_from: Literal["metadata", "signature", "filename", "record"] = "filename"
    date: str | None = None
    date_from: Literal["metadata", "dateline", "ingested"] | None = None
    dateline_date: str | None = None  # the dateline's own date, "--MM-DD" when it gives no year

    @property
    def id(self) -> str:
        return self.doc.id

    def original(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets of the clean range [start, end)."""
        if end <= start:
            o = self.offsets[start]
            return o, o
        return self.offsets[start], self.offsets[end - 1] + 1

    def clean_offset(self, original: int) -> int:
        """Clean offset of an original offset (the first clean character at or after it)."""
        return min(bisect.bisect_left(self.offsets, original), len(self.text))

    def span(self, start: int, end: int) -> Span:
        s, e = self.original(start, end)
        return Span(article=self.doc.id, start=s, end=e, text=self.doc.text[s:e])

    def info(self, language: str | None, analysed: bool = True) -> ArticleInfo:
        """The article as the briefing lists it."""
        return ArticleInfo(
            id=self.id, outlet=self.outlet, title=self.title, date=self.date, date_from=self.date_from,
            language=language, words=len(self.text.split()), removed=self.removed, analysed=analysed,
            path=self.doc.path, url=self.doc.url, outlet_from=self.outlet_from, text=self.doc.text,
            subheads=self.subheads,
        )


# --------------------------------------------------------------------------- analyse


@dataclass(slots=True)
class Token:
    i: int
    text: str
    lemma: str
    pos: str
    dep: str
    head: int  # index of the head token in the article
    start: int  # clean offsets
    end: int
    morph: str = ""
    ent: str = ""  # entity label when the token is inside a named entity
    sent: int = 0


@dataclass(slots=True)
class Sentence:
    index: int
    start: int  # clean offsets
    end: int
    text: str
    tok_start: int
    tok_end: int
    paragraph: int = 0


@dataclass(slots=True)
class Mention:
    """A named-entity mention as the NER found it (after cleaning-aware fixes)."""

    index: int
    text: str
    label: str  # PER, ORG, LOC, MISC
    start: int  # clean offsets
    end: int
    sentence: int
    tok_start: int
    tok_end: int


@dataclass
class AnalysedArticle:
    article: CleanArticle
    language: str
    tokens: list[Token]
    sentences: list[Sentence]
    mentions: list[Mention]

    @property
    def id(self) -> str:
        return self.article.id

    @property
    def outlet(self) -> str:
        return self.article.outlet


# --------------------------------------------------------------------------- entities


class Entity(BaseModel):
    id: str
    name: str
    type: str
    aliases: list[str] = Field(default_factory=list)
    mentions: list[Span] = Field(default_factory=list)
    outlets: dict[str, int] = Field(default_factory=dict)  # mention count per outlet
    roles: list[str] = Field(default_factory=list)  # role descriptions the texts give ("le président russe")
    ambiguous: bool = False  # a bare surname that could be several people: not merged with any


@dataclass
class EntityIndex:
    """Canonical entities and the link from each mention to its entity."""

    entities: list[Entity]
    by_mention: dict[tuple[str, int], str]  # (article id, mention index) -> entity id
    _by_id: tuple[int, dict[str, Entity]] | None = field(default=None, init=False, repr=False, compare=False)

    def get(self, entity_id: str | None) -> Entity | None:
        if entity_id is None:
            return None
        if self._by_id is None or self._by_id[0] != len(self.entities):  # built once: the speaker rules ask ~400 times an article
            by_id: dict[str, Entity] = {}
            for e in self.entities:
                by_id.setdefault(e.id, e)
            self._by_id = (len(self.entities), by_id)
        return self._by_id[1].get(entity_id)

    def entity_of(self, article_id: str, mention_index: int) -> Entity | None:
        return self.get(self.by_mention.get((article_id, mention_index)))


# --------------------------------------------------------------------------- extract


class Quote(BaseModel):
    id: str = ""
    text: str
    speaker: str | None = None  # canonical entity name, or a description ("un riverain"), or None
    speaker_entity: str | None = None  # entity id when the speaker is a canonical entity
    kind: Literal["direct", "indirect", "term"]
    span: Span
    speaker_span: Span | None = None
    cue: str | None = None  # the verb of saying or "selon"
    speaker_confidence: float | None = None  # the learned ranker's probability for the speaker it chose (None: rules only)
    unsure: bool = Field(False, description="a guess: the speaker was chosen under extract.source_min_confidence (as likely wrong as right), or names nothing that can speak ('son retour': a misread verb of saying)")
    outlet: str = ""
    sentence: int = -1

    def speaker_unsure(self, min_confidence: float) -> bool:
        """The ranker chose the speaker with less than ``min_confidence`` (extract.source_min_confidence):
        as likely wrong as right, so no source to show as sure or to count."""
        return self.speaker_confidence is not None and self.speaker_confidence < min_confidence


class Measurement(BaseModel):
    id: str = ""
    text: str
    value: float | None = None  # the number as written, before the hedge
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    unit: str = ""
    dimension: str = "count"  # duration, count, money, length, mass, area, percentage, age, temperature, speed, time, year
    measures: str | None = None  # the noun phrase it attaches to
    hedge: str | None = None
    span: Span
    outlet: str = ""
    sentence: int = -1
    definite: bool = False  # a small count after "les", "ses"... ("les six banques"): often a reference back


class DateMention(BaseModel):
    text: str
    date: str | None  # ISO text, None when unresolved
    precision: Literal["day", "month", "year", "range"] | None = None
    end: str | None = None  # for ranges such as 1950-1953
    relative: bool = False
    resolved_by: str = "explicit"  # explicit | publication date | another article (id) | only matching day (id) | unresolved
    span: Span
    outlet: str = ""
    sentence: int = -1


class Attribution(BaseModel):
    """One statement traced to its primary source, possibly through a relay."""

    primary: str
    primary_kind: Literal["person", "organisation", "agency", "government", "media", "anonymous", "unknown"] = "unknown"
    relay: str | None = None
    cue: str = ""
    statement: Span
    outlet: str = ""
    sentence: int = -1


@dataclass
class Extraction:
    """What extraction found in one article."""

    article_id: str
    quotes: list[Quote] = field(default_factory=list)
    measurements: list[Measurement] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)


class TimelineEvent(BaseModel):
    date: str
    precision: Literal["day", "month", "year", "range"] = "day"
    text: str
    outlets: list[str]
    spans: list[Span]
    anchored_by: str | None = None  # the article whose date settled a weekday (or the year) of this event


class Provenance(BaseModel):
    primary: str
    kind: str = "unknown"
    relay: str | None = None
    outlets: list[str] = Field(default_factory=list)
    statements: list[Span] = Field(default_factory=list)


# --------------------------------------------------------------------------- compare


class Claim(BaseModel):
    id: str
    article: str
    outlet: str
    text: str
    span: Span
    sentence: int


class ClaimSource(BaseModel):
    """Who a claim attributes what it reports to, as its outlet wrote it: "a indiqué jeudi le
    ministère" (indirect), "selon l'AFP, citant KCNA" (KCNA, relayed by AFP), or the speaker of a
    direct quote. An attributed statement is still a fact of the outlet that carries it."""

    article: str
    outlet: str
    source: str = Field(description="who said it: a canonical entity name, or the description written ('des analystes')")
    kind: Literal["indirect", "direct"] = Field("indirect", description="indirect speech or 'selon X'; or a direct quote")
    source_kind: str = Field("unknown", description="person, organisation, agency, government, media, anonymous or unknown")
    relay: str | None = Field(None, description="the agency or outlet it came through ('selon l'AFP, citant KCNA': AFP)")
    cue: str | None = Field(None, description="the verb of saying, or 'selon' / 'd'après'")
    span: Span | None = Field(None, description="where the source is named in the article")
    confidence: float | None = Field(None, description="the speaker ranker's probability for this source (null: the hand rules chose it)")
    unsure: bool = Field(False, description="the ranker gave it under extract.source_min_confidence: as likely wrong as right")


class Fact(BaseModel):
    id: str
    text: str  # wording of the most representative claim (never invented)
    status: Literal["all", "several", "exclusive"]
    outlets: list[str]
    claims: list[Span]
    confirmations: int = 1  # independent outlets: outlets reprinting one dispatch count once
    centrality: float = 0.0
    attributed_to: list[ClaimSource] = Field(
        default_factory=list,
        description="who the outlets attribute the fact to, one entry per source of each claim; a claim without "
        "one is the outlet's own reporting. Attributed statements are facts of the outlet that carries them.",
    )


class OutletCoverage(BaseModel):
    outlet: str
    exclusives: list[str] = Field(default_factory=list)  # fact ids
    omissions: list[str] = Field(default_factory=list)  # widely reported fact ids it leaves out


class ValueGroup(BaseModel):
    value: str
    outlets: list[str]
    spans: list[Span]
    low: float | None = None
    high: float | None = None


class Conflict(BaseModel):
    topic: str
    kind: str  # duration, count, date, place, attribution, ...
    groups: list[ValueGroup]
    update_over_time: bool = False
    centrality: float = 0.0
    # probability that the values answer one question (the learned "same slot" model); None: found by the hand
    # rules, which give no probability (on real news they are right about one time in four: docs/benchmarks.md)
    confidence: float | None = None
    note: str | None = None


class QuoteVariant(BaseModel):
    text: str
    outlets: list[str]
    spans: list[Span]


class SharedQuote(BaseModel):
    speaker: str | None
    variants: list[QuoteVariant]
    confidence: float | None = None  # learned matching: the weakest probability holding the group together (None: hand rules)


class Reuse(BaseModel):
    outlets: list[str]  # a pair
    articles: list[str] = Field(default_factory=list)
    shared_words: int
    spans: list[Span]


@dataclass
class Comparison:
    claims: list[Claim] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    coverage: list[OutletCoverage] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    shared_quotes: list[SharedQuote] = field(default_factory=list)
    reuse: list[Reuse] = field(default_factory=list)
    fact_of_claim: dict[str, str] = field(default_factory=dict)  # claim id -> fact id


# --------------------------------------------------------------------------- summarise


class SummarySentence(BaseModel):
    text: str
    outlets: list[str]
    spans: list[Span]
    fact: str | None = None
    compressed: bool = False  # text is a subsequence of the source sentence, not all of it


# --------------------------------------------------------------------------- briefing


class ArticleInfo(BaseModel):
    id: str
    outlet: str
    title: str | None = None
    date: str | None = None
    date_from: Literal["metadata", "dateline", "ingested"] | None = None  # dateline: the metadata gave none; ingested: none at all (the day it was stored)
    language: str | None = None
    words: int = 0
    removed: list[Removal] = Field(default_factory=list)
    analysed: bool = True
    path: str | None = None
    url: str | None = None
    outlet_from: str = "filename"
    text: str = ""  # original text: the offsets of every Span point into it
    subheads: list[Span] = Field(default_factory=list)


class Briefing(BaseModel):
    schema_version: str = SCHEMA_VERSION
    title: str | None = None
    language: str | None = None
    first_date: str | None = None
    last_date: str | None = None
    outlets: dict[str, int] = Field(default_factory=dict)  # outlet -> number of articles
    summary: list[SummarySentence] = Field(default_factory=list)
    articles: list[ArticleInfo] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    measurements: list[Measurement] = Field(default_factory=list)
    timeline: list[TimelineEvent] = Field(default_factory=list)
    provenance: list[Provenance] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
    coverage: list[OutletCoverage] = Field(default_factory=list)
    conflicts: list[Conflict] = Field(default_factory=list)
    shared_quotes: list[SharedQuote] = Field(default_factory=list)
    reuse: list[Reuse] = Field(default_factory=list)
    notices: list[Notice] = Field(default_factory=list)


# --------------------------------------------------------------------------- stories


class StoryInfo(BaseModel):
    """One event as the store groups it, and the topic above it."""

    id: str
    title: str
    first_date: str | None
    last_date: str | None
    outlets: list[str]
    articles: list[str]
    closed: bool = False
    topic: str | None = None  # id of the topic (same person, organisation or affair over time)
    topic_title: str | None = None
    entities: list[str] = Field(default_factory=list)  # who and what it is about, most telling first
    place: str | None = None
    languages: list[str] = Field(default_factory=list)  # more than one: a cross-language story
