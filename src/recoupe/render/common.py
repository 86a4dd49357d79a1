"""What every renderer shares: labels per language and the wording of values."""

from __future__ import annotations

from ..model import Briefing, Measurement

LABELS: dict[str, dict[str, str]] = {
    "fr": {
        "briefing": "Briefing",
        "summary": "Résumé",
        "conflicts": "Contradictions",
        "update": "mise à jour dans le temps",
        "facts": "Faits",
        "all": "rapporté par tous",
        "several": "rapporté par plusieurs",
        "exclusive": "exclusivité",
        "coverage": "Couverture par média",
        "exclusives": "exclusivités",
        "omissions": "faits largement repris qu'il omet",
        "shared_quotes": "Citations reprises",
        "quotes": "Citations",
        "speaker_unknown": "locuteur inconnu",
        "reuse": "Dépêches reprises",
        "shared_words": "mots communs",
        "timeline": "Chronologie",
        "provenance": "Provenance",
        "relay": "relais",
        "entities": "Entités",
        "articles": "Articles",
        "measurements": "Mesures",
        "outlets": "médias",
        "sources": "sources",
        "removed": "retiré",
        "one_source": "une seule source : rien à recouper",
        "confirmations": "confirmations indépendantes",
    },
    "en": {
        "briefing": "Briefing",
        "summary": "Summary",
        "conflicts": "Contradictions",
        "update": "update over time",
        "facts": "Facts",
        "all": "reported by all",
        "several": "reported by several",
        "exclusive": "exclusive",
        "coverage": "Coverage by outlet",
        "exclusives": "exclusives",
        "omissions": "widely reported facts it leaves out",
        "shared_quotes": "Shared quotes",
        "quotes": "Quotes",
        "speaker_unknown": "unknown speaker",
        "reuse": "Reprinted copy",
        "shared_words": "shared words",
        "timeline": "Timeline",
        "provenance": "Provenance",
        "relay": "relay",
        "entities": "Entities",
        "articles": "Articles",
        "measurements": "Measurements",
        "outlets": "outlets",
        "sources": "sources",
        "removed": "removed",
        "one_source": "only one source: nothing to cross-check",
        "confirmations": "independent confirmations",
    },
}


def labels(briefing: Briefing) -> dict[str, str]:
    return LABELS.get((briefing.language or "fr")[:2], LABELS["en"])


def number(x: float) -> str:
    return f"{x:g}"


def interval(m: Measurement) -> str:
    """The interval a hedge gives, in mathematical notation: [1.75, 2.25], (4, ∞)."""
    lo = "−∞" if m.low is None else number(m.low)
    hi = "∞" if m.high is None else number(m.high)
    left = "(" if m.low_open or m.low is None else "["
    right = ")" if m.high_open or m.high is None else "]"
    unit = f" {m.unit}" if m.unit else ""
    return f"{left}{lo}, {hi}{right}{unit}"


def outlets_text(outlets: list[str]) -> str:
    return ", ".join(outlets)


def date_span(b: Briefing) -> str:
    if b.first_date and b.last_date and b.first_date != b.last_date:
        return f"{b.first_date} → {b.last_date}"
    return b.first_date or b.last_date or ""
