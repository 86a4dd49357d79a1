"""Extraction: quotes, measurements, dates and attributions per article, each with its span.

Per-article finders run first; then the cross-article steps that need the whole set (anchoring a
weekday by another outlet's explicit date, the timeline, the provenance table).
"""

from __future__ import annotations

from ..config import Config
from ..model import AnalysedArticle, EntityIndex, Extraction
from .dates import anchor_dates, find_dates
from .measures import find_measurements
from .provenance import build_provenance, find_attributions
from .quotes import find_quotes
from .timeline import build_timeline

__all__ = ["extract", "build_timeline", "build_provenance"]


def extract(articles: list[AnalysedArticle], entities: EntityIndex, config: Config | None = None) -> list[Extraction]:
    config = config or Config()
    out = []
    for a in articles:
        out.append(
            Extraction(
                article_id=a.id,
                quotes=find_quotes(a, entities, config),
                measurements=find_measurements(a, config),
                dates=find_dates(a, config),
                attributions=find_attributions(a, entities, config),
            )
        )
    anchor_dates(articles, out, config)
    return out
