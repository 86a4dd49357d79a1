"""Markdown rendering of a briefing."""

from __future__ import annotations

from ..model import Briefing


def render_markdown(b: Briefing) -> str:
    out = [f"# {b.title or 'Briefing'}", ""]
    out.append(f"{len(b.outlets)} outlets, {sum(b.outlets.values())} articles, {b.first_date or '?'} → {b.last_date or '?'}")
    out += ["", "## Articles", "", "| id | outlet | date | language | words | removed |", "|---|---|---|---|---|---|"]
    for a in b.articles:
        out.append(f"| {a.id} | {a.outlet} | {a.date or ''} | {a.language or ''} | {a.words} | {', '.join(r.kind for r in a.removed)} |")
    out += ["", "## Entities", "", "| entity | type | aliases | mentions per outlet |", "|---|---|---|---|"]
    for e in b.entities:
        out.append(f"| {e.name} | {e.type} | {', '.join(e.aliases)} | {', '.join(f'{o}: {n}' for o, n in e.outlets.items())} |")
    return "\n".join(out) + "\n"
