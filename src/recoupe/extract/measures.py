"""Quantities with units, dimensions, what they measure, and intervals that read the hedge."""

from __future__ import annotations

from ..config import Config
from ..model import AnalysedArticle, Measurement


def find_measurements(article: AnalysedArticle, config: Config) -> list[Measurement]:
    return []  # TODO(measures helper)
