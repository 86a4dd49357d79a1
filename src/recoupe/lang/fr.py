"""French rules: boilerplate patterns, speech verbs, hedges, number words, weekdays.

Everything that only holds for French lives here (or in data files next to it), so that adding a
language means adding a sibling module with the same names.
"""

from __future__ import annotations

import re

# ----------------------------------------------------------------------------- cleaning

METADATA_PREFIX = re.compile(r"^[ \t]*date[ \t]+\d{4}(?:-\d{2}(?:-\d{2})?)?[ \t]+")
CAPTION = re.compile(r"^(?:Ouvrir en mode plein écran|Agrandir l[’']image|Voir en plein écran)\b|(?:Photo|Crédit|Photographie)\s*:\s*\S.*?/\s*\S+\s*$", re.I)
# "SÉOUL, Corée, République de — ", "VLADIVOSTOK (AFP) — ", "NANTES, 5 mars (APO) — "
DATELINE = re.compile(
    r"^[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ' .-]{2,40}(?:,[^—–\n]{0,60})?(?:\s*\([A-Za-z]{2,10}\))?\s*[—–-]{1,2}\s+"
)


def is_caption(line: str) -> bool:
    return bool(CAPTION.search(line))


def is_signature(line: str, outlet: str | None) -> bool:
    if outlet and line.strip().lower() == outlet.strip().lower():
        return True
    return len(line) <= 40 and len(line.split()) <= 4 and not re.search(r"[.!?:;»”\"]$", line)


def is_title(line: str, nonblank: list[tuple[int, int]], text: str) -> bool:
    return len(nonblank) > 1 and len(line.split()) <= 25 and not re.search(r"[.!?]$", line)


def is_subhead(line: str) -> bool:
    return 1 <= len(line.split()) <= 8 and not re.search(r"[.!?:;»”\",]$", line)
