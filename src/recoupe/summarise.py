"""The cited multi-source summary."""

from __future__ import annotations

from .config import Config
from .model import AnalysedArticle, Comparison, Extraction, SummarySentence


def summarise(
    articles: list[AnalysedArticle],
    comparison: Comparison,
    extractions: list[Extraction],
    config: Config | None = None,
    since: list[AnalysedArticle] | None = None,
) -> list[SummarySentence]:
    return []
