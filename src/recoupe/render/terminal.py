"""Rich rendering of a briefing for the terminal."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from ..model import Briefing


def render_terminal(b: Briefing, width: int | None = None) -> str:
    console = Console(record=True, width=width or 110, force_terminal=False, color_system=None)
    console.print(f"[bold]{b.title or 'Briefing'}[/bold]", highlight=False)
    console.print(f"{len(b.outlets)} outlets, {sum(b.outlets.values())} articles, {b.first_date or '?'} → {b.last_date or '?'}")
    t = Table("id", "outlet", "date", "lang", "words", "removed", title="Articles")
    for a in b.articles:
        t.add_row(a.id, a.outlet, a.date or "", a.language or "", str(a.words), ", ".join(r.kind for r in a.removed))
    console.print(t)
    t = Table("entity", "type", "aliases", "mentions per outlet", title="Entities")
    for e in b.entities[:25]:
        t.add_row(e.name, e.type, ", ".join(e.aliases), ", ".join(f"{o}: {n}" for o, n in e.outlets.items()))
    console.print(t)
    return console.export_text()
