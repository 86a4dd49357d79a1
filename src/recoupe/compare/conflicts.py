"""Contradictions between outlets: measurements of the same thing whose intervals are disjoint,
different days for one event, different places for one event. Hedges are read through the
intervals extraction gives (``plus de deux heures`` = (2, inf)), so compatible hedges never clash. What a value is
about is read in values.py, places in places.py."""

from __future__ import annotations

from collections import Counter

import numpy as np

from ..lang import rules_for
from ..model import AnalysedArticle, Conflict, DateMention, ValueGroup
from .claims import ClaimInfo, stem
from .places import event_place_conflicts, place_conflicts
from .values import (
    MEAS_CTX_MIN, SKIP_DIMENSIONS, MeasInfo, compatible, event_phrase, group_values, interval, midpoint, same_topic,
)


def measurement_conflicts(
    meas: list[MeasInfo],
    claims: list[ClaimInfo],
    articles: list[AnalysedArticle],
    fact_of: list[int],
    fact_centrality: list[float],
    cos: np.ndarray,
    fact_texts: list[str],
) -> list[Conflict]:
    """Contradictions between measurements of ``meas``, which come annotated (``compare.prepare`` calls
    ``values.annotate_measurements`` once for the rules and the learned matcher alike)."""
    n = len(meas)
    parent = list(range(n))
    rules = rules_for(articles[0].language if articles else "fr")

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    adj: dict[int, set[int]] = {i: set() for i in range(n)}
    per_claim_dim: dict[tuple[int, str], int] = {}
    for x in meas:
        if x.claim is not None:
            per_claim_dim[(x.claim, x.m.dimension)] = per_claim_dim.get((x.claim, x.m.dimension), 0) + 1
    disjoint_pairs: list[tuple[int, int]] = []
    candidates: list[tuple[int, int, bool]] = []
    for i in range(n):
        a = meas[i]
        if a.claim is None or a.m.dimension in SKIP_DIMENSIONS or interval(a.m) is None:
            continue
        for j in range(i + 1, n):
            b = meas[j]
            if b.claim is None or b.art == a.art or interval(b.m) is None:
                continue
            if articles[a.art].outlet == articles[b.art].outlet:
                continue
            sf = fact_of[a.claim] == fact_of[b.claim]
            alone = per_claim_dim.get((a.claim, a.m.dimension)) == 1 and per_claim_dim.get((b.claim, b.m.dimension)) == 1
            if not same_topic(a, b, sf, float(cos[a.claim, b.claim]), alone):
                continue
            candidates.append((i, j, sf))
    # inside one pair of claims, each measurement meets only its best counterpart
    # ('sept personnes blessées, dont quatre pompiers' / 'trois blessés : deux pompiers')
    def affinity(p: tuple[int, int, bool]) -> tuple[int, int]:
        a, b = meas[p[0]], meas[p[1]]
        return (len(a.counted & b.counted) + (a.counted == b.counted), len((a.thing | a.action) & (b.thing | b.action)))

    taken: set[tuple[int, int]] = set()
    for i, j, sf in sorted(candidates, key=affinity, reverse=True):
        ci, cj = meas[i].claim, meas[j].claim
        if (i, cj) in taken or (j, ci) in taken:
            continue
        taken.add((i, cj))
        taken.add((j, ci))
        adj[i].add(j)
        adj[j].add(i)
        if compatible(meas[i].m, meas[j].m):
            meas[i].agrees.add(j)
            meas[j].agrees.add(i)
        elif not _also_reported(i, j, meas) and not _also_reported(j, i, meas):
            disjoint_pairs.append((i, j))
    if not disjoint_pairs:
        return []
    toll = {stem(w) for w in getattr(rules, "TOLL_LEMMAS", set())}
    cues = getattr(rules, "UPDATE_CUES", None)
    # one topic per seed pair of disjoint values: the seeds and what matches them directly (no chains)
    by_topic: dict[int, list[tuple[int, int]]] = {}
    topic_members: dict[int, list[int]] = {}
    used: set[int] = set()
    strength = lambda p: -len((meas[p[0]].thing | meas[p[0]].action) & (meas[p[1]].thing | meas[p[1]].action))
    for i, j in sorted(disjoint_pairs, key=strength):
        owner = next((r for r, ms in topic_members.items() if i in ms and j in ms), None)
        if owner is not None:
            by_topic[owner].append((i, j))
            continue
        if i in used or j in used:
            continue
        members = sorted({i, j} | {k for k in adj[i] | adj[j] if k not in used})
        used.update(members)
        topic_members[i] = members
        by_topic[i] = [(i, j)]
    out: list[Conflict] = []
    for root, pairs in by_topic.items():
        members = topic_members[root]
        sub = [meas[k] for k in members]
        groups = []
        for g in group_values(sub):
            first = sub[g[0]].m
            outlets: list[str] = []
            for k in g:
                o = articles[sub[k].art].outlet
                if o not in outlets:
                    outlets.append(o)
            groups.append(
                ValueGroup(value=first.text, outlets=outlets, spans=[sub[k].m.span for k in g], low=first.low, high=first.high)
            )
        verdicts = [_is_update(meas[i], meas[j], articles, claims, toll, cues) for i, j in pairs]
        update = any(v is True for v in verdicts) and all(v is not False for v in verdicts)
        facts = {fact_of[meas[k].claim] for k in members if meas[k].claim is not None}
        topic = next((meas[k].m.measures for k in members if meas[k].m.measures), None)
        if not topic:
            best = max(facts, key=lambda f: fact_centrality[f])
            topic = fact_texts[best]
        outlets_involved = {o for g in groups for o in g.outlets}
        out.append(
            Conflict(
                topic=topic,
                kind=sub[0].m.dimension,
                groups=groups,
                update_over_time=update,
                centrality=len(outlets_involved) + max(fact_centrality[f] for f in facts),
                note="valeur mise à jour entre deux dates de publication" if update else None,
            )
        )
    return out


def _also_reported(i: int, j: int, meas: list[MeasInfo]) -> bool:
    """The article of ``i`` also gives ``j``'s value for the same thing (in i's claim, or unhedged with a
    shared word of what is measured): it does not disagree with j ('500 euros versés au départ, 200 au retour' /
    '200 euros à son retour'; 'pertes de 600 millions, réévaluées depuis à 751 millions')."""
    a, b = meas[i], meas[j]
    words_b = b.thing | b.action
    for k, x in enumerate(meas):
        if k == i or x.art != a.art or x.m.dimension != b.m.dimension or x.m.unit != b.m.unit or x.threshold:
            continue
        if not compatible(x.m, b.m):
            continue
        if x.counted and b.counted and not x.counted & b.counted:
            continue  # 'six organisations, dont cinq syndicats' gives five unions, not five organisations
        if (x.claim is not None and x.claim == a.claim) or (not x.m.hedge and not b.m.hedge and x.thing & words_b):
            return True
    return False


def _is_update(a: MeasInfo, b: MeasInfo, articles: list[AnalysedArticle], claims: list[ClaimInfo], toll: set[str], cues) -> bool | None:
    """True: the later article updates a toll; False: same day or no sign of an update; None: a date is unknown."""
    da, db = articles[a.art].article.date or "", articles[b.art].article.date or ""
    if len(da) < 10 or len(db) < 10:
        return None
    if da == db:
        return False
    early, late = (a, b) if da < db else (b, a)
    cue = bool(cues and late.claim is not None and cues.search(claims[late.claim].claim.text))
    grows = midpoint(late.m) > midpoint(early.m)
    tolls = bool((a.thing | a.action | b.thing | b.action) & toll)
    return cue or (grows and tolls)


def date_conflicts(
    dates: list[tuple[int, int | None, DateMention, str]],
    claims: list[ClaimInfo],
    articles: list[AnalysedArticle],
    fact_of: list[int],
    fact_centrality: list[float],
    fact_texts: list[str],
    cos: np.ndarray,
    lemma_overlap: np.ndarray,
) -> list[Conflict]:
    """Two outlets date one event on different days: dates governed by the same verb ('avait franchi
    la frontière mardi' / 'dès le 11 septembre') in claims that say the same thing (aligned, or very
    similar with shared words). A claim's other dates (publication day, 'au lendemain') never meet."""
    items = [(k, c, d, v) for k, c, d, v in dates if c is not None and d.date and d.precision in ("day", "range") and v]
    n = len(items)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def rng(d: DateMention) -> tuple[str, str]:
        return d.date[:10], (d.end or d.date)[:10]

    clash = []
    for i in range(n):
        ki, ci, di, vi = items[i]
        for j in range(i + 1, n):
            kj, cj, dj, vj = items[j]
            if articles[ki].outlet == articles[kj].outlet or vi != vj:
                continue
            if fact_of[ci] != fact_of[cj] and (cos[ci, cj] < MEAS_CTX_MIN or lemma_overlap[ci, cj] < 0.15):
                continue
            parent[find(i)] = find(j)
            (a0, a1), (b0, b1) = rng(di), rng(dj)
            if a1 < b0 or b1 < a0:
                clash.append(i)
    out = []
    for root in {find(i) for i in clash}:
        members = [i for i in range(n) if find(i) == root]
        groups: dict[str, ValueGroup] = {}
        for i in members:
            k, c, d, _ = items[i]
            key = d.date if not d.end else f"{d.date}/{d.end}"
            g = groups.setdefault(key, ValueGroup(value=key, outlets=[], spans=[]))
            if articles[k].outlet not in g.outlets:
                g.outlets.append(articles[k].outlet)
            g.spans.append(d.span)
        f = fact_of[items[members[0]][1]]
        outlets = {o for g in groups.values() for o in g.outlets}
        phrases = []
        for i in members:
            a, d = articles[items[i][0]], items[i][2]
            light = getattr(rules_for(a.language), "LIGHT_LEMMAS", set())
            if p := event_phrase(a, a.article.clean_offset(d.span.start), a.article.clean_offset(d.span.end), light):
                phrases.append(p)
        topic = Counter(phrases).most_common(1)[0][0] if phrases else fact_texts[f]
        out.append(Conflict(topic=topic, kind="date", groups=list(groups.values()), centrality=len(outlets) + fact_centrality[f]))
    return out

def rule_conflicts(st) -> list[Conflict]:
    """The hand rules' conflicts (measurements, dates, places in one fact, one event at two places) on a
    prepared comparison (``compare.prepare``; ``st`` is its ``slots.State``). The learned matcher
    (``slots.slot_conflicts``) does not beat them yet on real news (docs/benchmarks.md), so they stay
    the default (``config.compare.conflicts``)."""
    members: dict[int, list[int]] = {}
    for k, f in enumerate(st.fact_of):
        members.setdefault(f, []).append(k)
    facts = [members.get(f, []) for f in range(len(st.fact_texts))]
    out = measurement_conflicts(st.meas, st.infos, st.articles, st.fact_of, st.fact_centrality, st.cos, st.fact_texts)
    out += date_conflicts(st.dates, st.infos, st.articles, st.fact_of, st.fact_centrality, st.fact_texts, st.cos, st.lemma_j)
    out += place_conflicts(st.infos, st.articles, facts, st.fact_centrality, st.fact_texts, st.score, st.place_min_score, st.meas)
    out += event_place_conflicts(st.infos, st.articles, st.fact_of, st.fact_centrality, st.fact_texts, st.cos, st.dates, st.entities, out)
    return out
