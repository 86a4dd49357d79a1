"""Language-specific rules: one module per language. Adding a language means adding a file."""

from __future__ import annotations

import importlib
from functools import lru_cache
from types import ModuleType

SUPPORTED = ("fr",)


def rules_for(language: str) -> ModuleType:
    """The rules module of a language, French when the language has none yet."""
    code = (language or "fr").split("-")[0].lower()
    try:
        return importlib.import_module(f"recoupe.lang.{code}")
    except ModuleNotFoundError:
        return importlib.import_module("recoupe.lang.fr")


# ----------------------------------------------------------------------------- synonyms
# Read by the comparison (claim lemmas, what a measurement measures) and the timeline (which dated
# sentences tell one happening): words a news desk uses interchangeably are counted as one.


@lru_cache(maxsize=8)
def _synonym_tables(rules) -> tuple[dict[str, str], dict[str, list[tuple[str, str]]]]:
    """(lemma -> first lemma of its synonym group, verb -> [(event, first verb of its group)]) of a
    language (``SYNONYM_GROUPS``, ``EVENT_VERB_SYNONYMS``; empty when the language has none)."""
    words: dict[str, str] = {}
    for group in getattr(rules, "SYNONYM_GROUPS", ()):
        for w in group:
            words.setdefault(w.lower(), group[0].lower())
    verbs: dict[str, list[tuple[str, str]]] = {}
    for event, group in getattr(rules, "EVENT_VERB_SYNONYMS", {}).items():
        for v in group:
            verbs.setdefault(v.lower(), []).append((words.get(event.lower(), event.lower()), group[0].lower()))
    return words, verbs


def canonical(lemma: str, rules, context: set[str] | frozenset[str] = frozenset()) -> str:
    """The lemma as the first word of its synonym group ('feu' -> 'incendie'); a verb of an event
    ('prendre' for a fire) only when ``context`` (canonical lemmas: the claim, or the verb's
    subject) names that event. Other lemmas are returned lower-cased, unchanged."""
    words, verbs = _synonym_tables(rules)
    low = lemma.lower()
    for event, first in verbs.get(low, ()):
        if event in context:
            return first
    return words.get(low, low)


def canonical_set(lemmas, rules) -> set[str]:
    """A bag of lemmas read through the synonym groups, event verbs in the context of the bag itself."""
    lemmas = list(lemmas)
    nouns = {canonical(w, rules) for w in lemmas}
    return {canonical(w, rules, nouns) for w in lemmas}
