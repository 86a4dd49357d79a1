"""Markdown rendering of a briefing, with every statement followed by its outlets."""

from __future__ import annotations

from ..model import Briefing
from .common import (conflicts_in_order, context, date_span, interval, labels, match_note, outlet_of_articles, outlets_text,
                     one_surname, sources_text, speaker_label)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return out + [""]


def render_markdown(b: Briefing) -> str:
    L = labels(b.language)
    out = [f"# {b.title or L['briefing']}", ""]
    line = f"{len(b.outlets)} {L['outlets']}, {sum(b.outlets.values())} articles"
    if date_span(b):
        line += f", {date_span(b)}"
    out += [line + ": " + ", ".join(f"{o} ({n})" for o, n in b.outlets.items()), ""]
    if len(b.outlets) == 1:
        out += [f"> {L['one_source']}", ""]

    if b.conflicts:
        out += [f"## {L['contradictions']}", ""]
        texts, outlet_of = {a.id: a.text for a in b.articles}, outlet_of_articles(b)
        for c in conflicts_in_order(b):
            out.append(f"### {c.topic} ({c.kind})" + (f" — {L['update']}" if c.update_over_time else ""))
            out.append("")
            if one_surname(c):
                out += [f"> {L['one_surname']}", ""]
            for g in c.groups:
                out.append(f"- **{g.value}** — {outlets_text(g.outlets)}")
                out += [f"  - {outlet_of.get(sp.article, sp.article)} : « {_cell(context(texts, sp))} »" for sp in g.spans]
            out.append("")
    elif len(b.outlets) > 1:  # said, not left out: a reader cross-checking wants to know none was found
        out += [f"## {L['contradictions']}", "", L["no_conflicts"], ""]

    if b.summary:
        out += [f"## {L['summary']}", ""]
        out += [f"{s.text} [{outlets_text(s.outlets)}]" for s in b.summary]
        out.append("")

    if b.facts:
        out += [f"## {L['facts']}", ""]
        for status in ("all", "several", "exclusive"):
            facts = [f for f in b.facts if f.status == status]
            if facts:
                out += [f"### {L['status_' + status]} ({len(facts)})", ""]
                for f in facts:
                    out.append(f"- {_cell(f.text)} [{outlets_text(f.outlets)}]")
                    if src := sources_text(f, b.language):
                        out.append(f"  - *{_cell(src)}*")
                out.append("")
        if b.coverage:
            by_id = {f.id: f for f in b.facts}
            out += [f"### {L['coverage']}", ""]
            out += _table(
                ["outlet", L["exclusives"], L["omissions"]],
                [[c.outlet, str(len(c.exclusives)), "; ".join(by_id[i].text for i in c.omissions if i in by_id)] for c in b.coverage],
            )

    if b.shared_quotes:
        out += [f"## {L['shared_quote']}", ""]
        for q in b.shared_quotes:
            out.append(f"- **{q.speaker or L['unknown_speaker']}**{match_note(q, L)}")
            out += [f"  - « {_cell(v.text)} » [{outlets_text(v.outlets)}]" for v in q.variants]
        out.append("")

    if b.quotes:
        out += [f"## {L['quotes']}", ""]
        out += _table(["speaker", "kind", "quote", "outlet"], [[speaker_label(q) or "—", q.kind, q.text, q.outlet] for q in b.quotes])

    if b.reuse:
        out += [f"## {L['reuse']}", ""]
        out += [f"- {' ↔ '.join(r.outlets)}: {r.shared_words} {L['shared_words']}" for r in b.reuse]
        out.append("")

    if b.timeline:
        out += [f"## {L['timeline']}", ""]
        out += _table(["date", "event", L["outlets"]], [[e.date, e.text, outlets_text(e.outlets)] for e in b.timeline])

    if b.provenance:
        out += [f"## {L['provenance']}", ""]
        out += _table(
            ["source", L["relay"], "statements", L["outlets"]],
            [[p.primary, p.relay or "", str(len(p.statements)), outlets_text(p.outlets)] for p in b.provenance],
        )

    if b.measurements:
        out += [f"## {L['measurements']}", ""]
        out += _table(["text", "interval", "measures", "outlet"], [[m.text, interval(m, b.language, unit=True), m.measures or "", m.outlet] for m in b.measurements])

    if b.entities:
        out += [f"## {L['entities']}", ""]
        out += _table(
            ["entity", "type", "aliases", L["outlets"]],
            [[e.name, e.type, ", ".join(e.aliases), ", ".join(f"{o}: {n}" for o, n in e.outlets.items())] for e in b.entities],
        )

    out += [f"## {L['articles']}", ""]
    out += _table(
        ["id", "outlet", "date", "language", "words", L["removed"]],
        [[a.id, a.outlet, a.date or "", (a.language or "") + ("" if a.analysed else " (not analysed)"), str(a.words), ", ".join(f"{r.kind}: {r.span.text[:40]}" for r in a.removed)] for a in b.articles],
    )
    return "\n".join(out)
