"""Cross-source comparison: aligned facts, exclusives, contradictions, shared quotes, reprinted copy."""

from __future__ import annotations

from .config import Config
from .model import AnalysedArticle, Comparison, EntityIndex, Extraction


def compare(
    articles: list[AnalysedArticle], entities: EntityIndex, extractions: list[Extraction], config: Config | None = None
) -> Comparison:
    return Comparison()
