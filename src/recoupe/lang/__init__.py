"""Language-specific rules: one module per language. Adding a language means adding a file."""

from __future__ import annotations

import importlib
from types import ModuleType

SUPPORTED = ("fr",)


def rules_for(language: str) -> ModuleType:
    """The rules module of a language, French when the language has none yet."""
    code = (language or "fr").split("-")[0].lower()
    try:
        return importlib.import_module(f"recoupe.lang.{code}")
    except ModuleNotFoundError:
        return importlib.import_module("recoupe.lang.fr")
