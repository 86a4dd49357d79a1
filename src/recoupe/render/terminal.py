"""Rich rendering of a briefing for the terminal: contradictions first, then what agrees."""

from __future__ import annotations

import io
from collections import defaultdict

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..model import Briefing
from .common import (conflicts_in_order, context, date_span, interval, labels, match_note, outlet_of_articles, outlets_text,
                     one_surname, sources_text, speaker_label)

MAX_ROWS = 30


def _clip(text: str, n: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def render_terminal(b: Briefing, width: int | None = None, color: bool = False) -> str:
    """The briefing as terminal text (plain when ``color`` is False, e.g. piped or written to a file)."""
    L = labels(b.language)
    # record into a buffer only: a Console on stdout would also print everything as it goes, and the
    # caller (which decides between stdout and a file) would print it a second time
    console = Console(file=io.StringIO(), record=True, width=width or 110, force_terminal=color,
                      color_system="standard" if color else None)
    head = Text(b.title or L["briefing"], style="bold")
    sub = f"{len(b.outlets)} {L['outlets']}, {sum(b.outlets.values())} articles"
    if date_span(b):
        sub += f" · {date_span(b)}"
    sub += " · " + ", ".join(f"{o} ({n})" for o, n in b.outlets.items())
    console.print(Panel(Group(head, Text(sub)), expand=True))
    if len(b.outlets) == 1:
        console.print(Text(L["one_source"], style="yellow"))

    if b.conflicts:
        console.rule(f"[bold red]{L['contradictions']}[/]")
        texts, outlet_of = {a.id: a.text for a in b.articles}, outlet_of_articles(b)
        for c in conflicts_in_order(b):
            title = f"{c.topic} ({c.kind})" + (f" — {L['update']}" if c.update_over_time else "")
            title += f" — {L['one_surname']}" if one_surname(c) else ""
            t = Table(title=escape(title), title_justify="left", show_header=False, expand=True)
            t.add_column(ratio=1)
            t.add_column(ratio=1)
            t.add_column(ratio=4)
            for g in c.groups:
                for k, sp in enumerate(g.spans):
                    t.add_row(escape(g.value) if k == 0 else "", escape(outlet_of.get(sp.article, sp.article)), escape(context(texts, sp)))
            console.print(t)
    elif len(b.outlets) > 1:  # said, not left out: a reader cross-checking wants to know none was found
        console.rule(L["contradictions"])
        console.print(Text(L["no_conflicts"]))

    if b.summary:
        console.rule(L["summary"])
        for s in b.summary:
            console.print(Text.assemble(s.text, (f" [{outlets_text(s.outlets)}]", "cyan")))

    if b.facts:
        console.rule(L["facts"])
        by_status = defaultdict(list)
        for f in b.facts:
            by_status[f.status].append(f)
        for status in ("all", "several", "exclusive"):
            facts = sorted(by_status.get(status, []), key=lambda f: -f.centrality)
            if not facts:
                continue
            t = Table(title=f"{L['status_' + status]} ({len(facts)})", title_justify="left", expand=True)
            t.add_column("fact", ratio=5)
            t.add_column(L["outlets"], ratio=2)
            for f in facts[:MAX_ROWS]:
                cell = Text(_clip(f.text))
                if src := sources_text(f, b.language):  # who the outlets attribute it to
                    cell.append("\n↳ " + _clip(src, 200), style="dim")
                t.add_row(cell, escape(outlets_text(f.outlets)))
            console.print(t)
        facts_by_id = {f.id: f for f in b.facts}
        if b.coverage:
            t = Table(title=L["coverage"], title_justify="left", expand=True)
            t.add_column("outlet")
            t.add_column(L["exclusives"], justify="right")
            t.add_column(L["omissions"], ratio=3)
            for c in b.coverage:
                missing = "; ".join(_clip(facts_by_id[i].text, 70) for i in c.omissions if i in facts_by_id)
                t.add_row(escape(c.outlet), str(len(c.exclusives)), escape(missing))
            console.print(t)

    if b.shared_quotes:
        console.rule(L["shared_quote"])
        for q in b.shared_quotes:
            console.print(Text.assemble((q.speaker or L["unknown_speaker"], "bold"), (match_note(q, L), "dim")))
            for v in q.variants:
                console.print(Text.assemble("  « ", _clip(v.text, 200), " » ", (f"[{outlets_text(v.outlets)}]", "cyan")))

    if b.quotes:
        console.rule(L["quotes"])
        t = Table(expand=True)
        t.add_column("speaker", ratio=1)
        t.add_column("kind")
        t.add_column("quote", ratio=4)
        t.add_column("outlet", ratio=1)
        for q in b.quotes[:60]:
            t.add_row(escape(speaker_label(q) or "—"), q.kind, escape(_clip(q.text, 140)), escape(q.outlet))
        console.print(t)

    if b.reuse:
        console.rule(L["reuse"])
        for r in b.reuse:
            console.print(f"{escape(' ↔ '.join(r.outlets))}: {r.shared_words} {L['shared_words']}")

    if b.timeline:
        console.rule(L["timeline"])
        t = Table(expand=True, show_header=False)
        t.add_column("date")
        t.add_column("event", ratio=5)
        t.add_column(L["outlets"], ratio=2)
        for e in b.timeline[:MAX_ROWS]:
            t.add_row(e.date, escape(_clip(e.text, 120)), escape(outlets_text(e.outlets)))
        console.print(t)

    if b.provenance:
        console.rule(L["provenance"])
        t = Table(expand=True)
        t.add_column("source")
        t.add_column(L["relay"])
        t.add_column("statements", justify="right")
        t.add_column(L["outlets"], ratio=2)
        for p in b.provenance[:MAX_ROWS]:
            t.add_row(escape(p.primary), escape(p.relay or ""), str(len(p.statements)), escape(outlets_text(p.outlets)))
        console.print(t)

    if b.measurements:
        console.rule(L["measurements"])
        t = Table(expand=True)
        t.add_column("text")
        t.add_column("interval")
        t.add_column("measures")
        t.add_column("outlet")
        for m in b.measurements[:MAX_ROWS]:
            t.add_row(escape(m.text), escape(interval(m, b.language, unit=True)), escape(m.measures or ""), escape(m.outlet))
        console.print(t)

    if b.entities:
        console.rule(L["entities"])
        t = Table(expand=True)
        t.add_column("entity")
        t.add_column("type")
        t.add_column("aliases", ratio=2)
        t.add_column(L["outlets"], ratio=2)
        for e in b.entities[:MAX_ROWS]:
            t.add_row(escape(e.name), e.type, escape(", ".join(e.aliases)), escape(", ".join(f"{o}: {n}" for o, n in e.outlets.items())))
        console.print(t)

    console.rule(L["articles"])
    t = Table(expand=True)
    for col in ("id", "outlet", "date", "lang", "words", L["removed"]):
        t.add_column(col)
    for a in b.articles:
        lang = (a.language or "") + ("" if a.analysed else " ✗")
        t.add_row(escape(a.id), escape(a.outlet), a.date or "", lang, str(a.words), ", ".join(r.kind for r in a.removed))
    console.print(t)
    return console.export_text(styles=color)
