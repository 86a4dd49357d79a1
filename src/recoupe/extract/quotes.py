"""Direct and indirect quotes, scare-quoted terms, and their speakers."""

from __future__ import annotations

from ..config import Config
from ..model import AnalysedArticle, EntityIndex, Quote


def find_quotes(article: AnalysedArticle, entities: EntityIndex, config: Config) -> list[Quote]:
    return []  # TODO(quotes helper)
