"""Absolute and relative dates normalised against the publication date; the timeline."""

from __future__ import annotations

from ..config import Config
from ..model import AnalysedArticle, DateMention, Extraction, TimelineEvent


def find_dates(article: AnalysedArticle, config: Config) -> list[DateMention]:
    return []  # TODO(dates helper)


def anchor_dates(articles: list[AnalysedArticle], extractions: list[Extraction], config: Config) -> None:
    """Resolve weekdays of month-dated articles with another article's explicit date (in place)."""


def build_timeline(articles: list[AnalysedArticle], extractions: list[Extraction], config: Config | None = None) -> list[TimelineEvent]:
    return []
