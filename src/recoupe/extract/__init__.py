"""Extraction: quotes, measurements, dates and attributions per article, with their spans."""

from __future__ import annotations

from ..config import Config
from ..model import AnalysedArticle, EntityIndex, Extraction, Provenance, TimelineEvent


def extract(articles: list[AnalysedArticle], entities: EntityIndex, config: Config | None = None) -> list[Extraction]:
    return [Extraction(article_id=a.id) for a in articles]


def build_timeline(articles: list[AnalysedArticle], extractions: list[Extraction], config: Config | None = None) -> list[TimelineEvent]:
    return []


def build_provenance(extractions: list[Extraction]) -> list[Provenance]:
    return []
