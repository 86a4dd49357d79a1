"""Attribution chains: who the information comes from, and who relayed it."""

from __future__ import annotations

from ..config import Config
from ..model import AnalysedArticle, Attribution, EntityIndex, Extraction, Provenance


def find_attributions(article: AnalysedArticle, entities: EntityIndex, config: Config) -> list[Attribution]:
    return []  # TODO(provenance helper)


def build_provenance(extractions: list[Extraction]) -> list[Provenance]:
    return []
