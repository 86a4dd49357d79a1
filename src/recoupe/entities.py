"""Merge entity mentions across articles into canonical entities."""

from __future__ import annotations

from .config import Config
from .model import AnalysedArticle, Entity, EntityIndex


def link_entities(articles: list[AnalysedArticle], config: Config | None = None) -> EntityIndex:
    """Canonical entities over all articles (first version: exact surface form per type)."""
    entities: dict[tuple[str, str], Entity] = {}
    by_mention: dict[tuple[str, int], str] = {}
    for a in articles:
        for m in a.mentions:
            key = (m.label, m.text.lower())
            ent = entities.get(key)
            if ent is None:
                ent = entities[key] = Entity(id=f"e{len(entities) + 1}", name=m.text, type=m.label, aliases=[m.text])
            ent.mentions.append(a.article.span(m.start, m.end))
            ent.outlets[a.outlet] = ent.outlets.get(a.outlet, 0) + 1
            by_mention[(a.id, m.index)] = ent.id
    return EntityIndex(entities=list(entities.values()), by_mention=by_mention)
