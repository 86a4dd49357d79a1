"""Cross-source comparison: aligned facts, exclusives, contradictions, shared quotes, reprinted copy.

Flow: claims (claims.py) -> one embedding batch -> alignment into facts (align.py) -> reprints
(reuse.py) -> confirmations and coverage -> conflicts (conflicts.py, over values.py and places.py) and shared
quotes (quotes.py).
Method and thresholds: docs/compare.md.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from ..config import E5_ENGINES, Config
from ..embed import embed_passages
from ..lang import rules_for
from ..model import AnalysedArticle, Comparison, EntityIndex, Extraction, Fact, OutletCoverage
from .align import _jaccard, group_facts, recheck_borderline, score_matrix
from .attributed import attribute_claims, attribution_conflicts, fact_sources
from .claims import ClaimInfo, split_claims
from .conflicts import rule_conflicts
from .values import MeasInfo, annotate_measurements, counted_noun, governing_verb, measurement_keys, overlaps
from .quotes import quotes_to_embed, shared_quotes
from .reuse import find_reuse
from .slots import State, slot_conflicts

__all__ = ["compare", "prepare", "Prepared", "TIMINGS"]

TIMINGS: dict[str, float] = {}  # seconds per step of the last compare() call (bench/compare_speed.py)


def _claim_at(claims_of_art: list[int], infos: list[ClaimInfo], clean_pos: int) -> int | None:
    for k in claims_of_art:
        if infos[k].start <= clean_pos < infos[k].end:
            return k
    return None


@dataclass
class Prepared:
    """Claims aligned into facts, and what the conflict search reads (``State``)."""

    state: State
    facts: list[Fact]
    coverage: list[OutletCoverage]
    reuse: list
    quotes: list
    qvecs: np.ndarray
    fact_members: list[list[int]]


def _quote_cos(st, fact_members: list[list[int]], config: Config) -> np.ndarray:
    """The claims' cosines for attribution conflicts, which match two statements as quotes are
    matched (a cosine of 0.93 and more): ``compare.quote_model``'s (e5 by default) for the claims
    that can take part - one indirect source, in a fact of several claims - the alignment's for
    the others (docs/benchmarks.md, "Static embeddings")."""
    cc = config.compare
    if not cc.quote_model or cc.quote_model == cc.embedding_model:
        return st.cos
    in_facts = {c for m in fact_members if len(m) > 1 for c in m}
    idx = [c for c in sorted(in_facts) if sum(1 for s, _ in st.infos[c].sources if s.kind == "indirect") == 1]
    if len(idx) < 2:
        return st.cos
    ev = embed_passages([st.infos[c].claim.text for c in idx], cc.quote_model)
    cos = st.cos.copy()
    cos[np.ix_(idx, idx)] = np.clip(ev @ ev.T, -1.0, 1.0)
    return cos


def compare(
    articles: list[AnalysedArticle], entities: EntityIndex, extractions: list[Extraction], config: Config | None = None
) -> Comparison:
    """Compare the analysed articles of one story across outlets."""
    config = config or Config()
    TIMINGS.clear()
    t0 = time.perf_counter()
    if not articles:
        return Comparison()
    p = prepare(articles, entities, extractions, config)
    st = p.state
    t = time.perf_counter()
    if config.compare.conflicts == "learned":
        conflicts = slot_conflicts(st, config.compare.slot_threshold, assignment=config.compare.slot_assignment)
    else:
        conflicts = rule_conflicts(st)
    TIMINGS["conflicts"] = time.perf_counter() - t

    t = time.perf_counter()
    texts = {a.id: a.article.doc.text for a in articles}
    threshold = config.compare.quote_threshold if config.compare.quote_matching == "learned" else None
    shared, attribution, _ = shared_quotes(p.quotes, p.qvecs, texts, threshold, config.compare.attribution_min_confidence)
    conflicts += attribution
    conflicts += attribution_conflicts(p.facts, p.fact_members, st.infos, _quote_cos(st, p.fact_members, config), texts)
    # the learned matcher's most probable first; the rules' conflicts (no probability) keep the place they always had
    conflicts.sort(key=lambda c: (-(1.0 if c.confidence is None else c.confidence), -c.centrality))
    TIMINGS["quotes"] = time.perf_counter() - t
    TIMINGS["total"] = time.perf_counter() - t0
    return Comparison(
        claims=[c.claim for c in st.infos],
        facts=p.facts,
        coverage=p.coverage,
        conflicts=conflicts,
        shared_quotes=shared,
        reuse=p.reuse,
        fact_of_claim={st.infos[c].claim.id: p.facts[st.fact_of[c]].id for c in range(len(st.infos))},
    )


def prepare(articles: list[AnalysedArticle], entities: EntityIndex, extractions: list[Extraction], config: Config) -> Prepared:
    """Claims, their embeddings and alignment into facts; measurements, dates and quotes placed in
    their claims (everything the conflict search and ``scripts/train_same_slot.py`` read)."""
    cc = config.compare
    t0 = time.perf_counter()
    art_index = {a.id: k for k, a in enumerate(articles)}
    infos: list[ClaimInfo] = []
    claims_of: list[list[int]] = []
    for k, a in enumerate(articles):
        mine = split_claims(a, k, entities)
        claims_of.append(list(range(len(infos), len(infos) + len(mine))))
        infos.extend(mine)
    # measurements, dates and quotes placed in their claims
    meas: list[MeasInfo] = []
    definite: list[MeasInfo] = []  # "les six banques": values the learned matcher weighs, the rules do not read
    dates = []
    quotes = []
    for x in extractions:
        k = art_index.get(x.article_id)
        if k is None:
            continue
        a = articles[k]
        light = getattr(rules_for(a.language), "LIGHT_LEMMAS", set())
        for m in x.measurements:
            s, e = a.article.clean_offset(m.span.start), a.article.clean_offset(m.span.end)
            c = _claim_at(claims_of[k], infos, s)
            mi = MeasInfo(m=m, art=k, claim=c)
            mi.thing, mi.action = measurement_keys(a, s, e, m, light)
            if m.dimension == "count":
                mi.counted = counted_noun(a, s, e)
            if m.definite:
                definite.append(mi)
                continue
            meas.append(mi)
            if c is not None:
                infos[c].measurements.append(len(meas) - 1)
        for d in x.dates:
            ds = a.article.clean_offset(d.span.start)
            c = _claim_at(claims_of[k], infos, ds)
            dates.append((k, c, d, governing_verb(a, ds, light)))
        for q in x.quotes:  # every quote: the rules match only some of them (quotes.rule_eligible), the model all
            if not q.outlet:
                q = q.model_copy(update={"outlet": a.outlet})
            quotes.append(q)
    attribute_claims(articles, infos, claims_of, extractions, entities)  # who each claim comes from
    TIMINGS["claims"] = time.perf_counter() - t0

    t = time.perf_counter()
    # quotes are embedded only when a pair's match depends on the cosine (quotes.quotes_to_embed)
    q_embed = quotes_to_embed(quotes)
    quote_model = cc.quote_model or cc.embedding_model
    if quote_model == cc.embedding_model:
        vecs = embed_passages([c.claim.text for c in infos] + [quotes[i].text for i in q_embed], cc.embedding_model)
        cvecs, qv = vecs[: len(infos)], vecs[len(infos) :]
    else:  # quote matches are decided at a high cosine (quotes.EMBED_MIN) that the static model does not resolve
        cvecs = embed_passages([c.claim.text for c in infos], cc.embedding_model)
        qv = embed_passages([quotes[i].text for i in q_embed], quote_model)
    qvecs = np.zeros((len(quotes), qv.shape[1]), dtype=np.float32)
    if q_embed:
        qvecs[q_embed] = qv
    TIMINGS["embedding"] = time.perf_counter() - t

    t = time.perf_counter()
    n = len(infos)
    mmatch = np.zeros((n, n), dtype=np.float32)
    for c1 in range(n):
        for i in infos[c1].measurements:
            for j in range(i + 1, len(meas)):
                b = meas[j]
                if b.claim is None or b.art == meas[i].art or b.m.dimension != meas[i].m.dimension:
                    continue
                if overlaps(meas[i].m, b.m):
                    mmatch[c1, b.claim] = mmatch[b.claim, c1] = 1.0
    score, cos = score_matrix(infos, cvecs, mmatch)
    if cc.recheck_margin > 0 and cc.embedding_model not in E5_ENGINES:  # another model: e5 (the default engine) decides the borderline pairs
        score, cos, _ = recheck_borderline(infos, score, cos, cc.align_threshold, cc.recheck_margin, embed_passages)
    lemma_j = _jaccard([c.lemmas for c in infos])
    clusters = group_facts(infos, score, cc.align_threshold)
    TIMINGS["alignment"] = time.perf_counter() - t

    t = time.perf_counter()
    reuse = find_reuse(articles, cc.reuse_min_words)
    TIMINGS["reuse"] = time.perf_counter() - t

    t = time.perf_counter()
    all_outlets = list(dict.fromkeys(a.outlet for a in articles))
    n_outlets = len(all_outlets)
    # reprinted passages, per article pair, to count a dispatch once in confirmations
    reprinted: dict[tuple[int, int], list[tuple[tuple[int, int], tuple[int, int]]]] = {}
    for r in reuse:
        ka, kb = art_index[r.articles[0]], art_index[r.articles[1]]
        pairs = [((r.spans[i].start, r.spans[i].end), (r.spans[i + 1].start, r.spans[i + 1].end)) for i in range(0, len(r.spans), 2)]
        reprinted[(ka, kb)] = pairs
        reprinted[(kb, ka)] = [(b, a) for a, b in pairs]

    def inside(c: ClaimInfo, rng: tuple[int, int]) -> bool:
        return c.claim.span.start >= rng[0] and c.claim.span.end <= rng[1]

    def same_dispatch(c1: ClaimInfo, c2: ClaimInfo) -> bool:
        return any(inside(c1, ra) and inside(c2, rb) for ra, rb in reprinted.get((c1.art, c2.art), ()))

    facts_raw = []
    for members in clusters:
        outlets = list(dict.fromkeys(infos[c].claim.outlet for c in members))
        sims = [float(cos[i, j]) for x, i in enumerate(members) for j in members[x + 1 :]]
        centrality = len(outlets) + (float(np.mean(sims)) if sims else 0.0)
        if len(members) > 1:
            rep = max(members, key=lambda i: (sum(float(cos[i, j]) for j in members if j != i), -abs(len(infos[i].claim.text) - 160)))
        else:
            rep = members[0]
        # independent confirmations: claims from one reprinted dispatch count once
        comp = list(range(len(members)))
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                if same_dispatch(infos[members[x]], infos[members[y]]) or infos[members[x]].claim.outlet == infos[members[y]].claim.outlet:
                    old, new = comp[y], comp[x]
                    comp = [new if v == old else v for v in comp]
        facts_raw.append((members, outlets, centrality, rep, len(set(comp))))
    order = sorted(range(len(facts_raw)), key=lambda f: (-facts_raw[f][2], facts_raw[f][0][0]))
    facts: list[Fact] = []
    fact_members: list[list[int]] = []
    fact_of = [0] * n
    for new_id, f in enumerate(order):
        members, outlets, centrality, rep, confirmations = facts_raw[f]
        if n_outlets <= 1 or len(outlets) == n_outlets:
            status = "all"
        elif len(outlets) >= 2:
            status = "several"
        else:
            status = "exclusive"
        facts.append(
            Fact(
                id=f"f{new_id + 1}",
                text=infos[rep].claim.text,
                status=status,
                outlets=outlets,
                claims=[infos[c].claim.span for c in members],
                confirmations=confirmations,
                centrality=round(centrality, 4),
                attributed_to=fact_sources(members, infos),
            )
        )
        fact_members.append(members)
        for c in members:
            fact_of[c] = new_id
    coverage = []
    wide = [f for f in facts if f.status == "all" or (n_outlets >= 3 and len(f.outlets) >= 2 * n_outlets / 3)]
    for o in all_outlets:
        coverage.append(
            OutletCoverage(
                outlet=o,
                exclusives=[f.id for f in facts if f.status == "exclusive" and f.outlets == [o]],
                omissions=[f.id for f in wide if o not in f.outlets],
            )
        )
    TIMINGS["facts"] = time.perf_counter() - t

    annotate_measurements(meas, articles)
    annotate_measurements(definite, articles)
    quote_spans: dict[int, list[tuple[int, int]]] = {}
    for x in extractions:
        k = art_index.get(x.article_id)
        if k is None:
            continue
        for q in x.quotes:
            if q.kind == "direct":
                a = articles[k].article
                quote_spans.setdefault(k, []).append((a.clean_offset(q.span.start), a.clean_offset(q.span.end)))
    state = State(
        articles=articles, infos=infos, meas=meas, definite=definite, dates=dates, cos=cos, lemma_j=lemma_j, fact_of=fact_of,
        fact_centrality=[f.centrality for f in facts], fact_texts=[f.text for f in facts], quote_spans=quote_spans,
        score=score, place_min_score=cc.align_threshold + 0.1, entities=entities,
    )
    return Prepared(state=state, facts=facts, coverage=coverage, reuse=reuse, quotes=quotes, qvecs=qvecs, fact_members=fact_members)
