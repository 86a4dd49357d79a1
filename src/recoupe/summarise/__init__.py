"""The cited multi-source summary: extractive, about ``config.summary.words`` words.

Method (see docs/summary.md): among the candidate sentences that read well alone, an integer
linear program (Gillick & Favre's concept coverage) picks the set that covers the most weight of
word pairs within the word budget, a pair being worth the number of outlets using it (more when
they use it early); a dangling sentence only with the sentence before it, never two sentences
stating the same fact. Each picked sentence cites every outlet reporting its fact (the
comparison's facts when it has them, else sentences aligned across articles by embedding
similarity and shared words). A greedy selection with MMR stands in when the solver is not
available. With ``since``, content of the already-read articles is excluded (update summary).
"""

from __future__ import annotations

from collections import defaultdict

import math

import numpy as np

from ..config import Config
from ..model import AnalysedArticle, Comparison, Extraction, Span, SummarySentence
from .select import ilp_select
from .units import Unit, _stop_words, build_units, bigrams, concepts, word_count

__all__ = ["summarise"]


def _embed(texts: list[str], config: Config) -> np.ndarray:
    """Sentence embeddings (unit rows); TF-IDF vectors if the embedding model cannot be loaded."""
    if not texts:
        return np.zeros((0, 1), dtype=np.float32)
    try:
        from ..embed import embed_passages

        return embed_passages(texts, config.compare.embedding_model)
    except Exception:  # noqa: BLE001 - never fail the briefing over embeddings
        from sklearn.feature_extraction.text import TfidfVectorizer

        m = TfidfVectorizer(sublinear_tf=True).fit_transform(texts).toarray().astype(np.float32)
        n = np.linalg.norm(m, axis=1, keepdims=True)
        n[n == 0] = 1
        return m / n


def _span(unit: Unit) -> Span:
    return unit.article.article.span(unit.sentence.start, unit.sentence.end)


def _fact_links(units: list[Unit], comparison: Comparison) -> dict[int, tuple[str, list[str], list[Span], int]]:
    """Unit key -> (fact id, outlets, claim spans, confirmations) for units holding a compared claim."""
    if not comparison or not comparison.facts:
        return {}
    facts = {f.id: f for f in comparison.facts}
    by_sentence = {(u.article.id, i): u.key for u in units for i in range(u.sentence.index, u.last + 1)}
    out = {}
    for c in comparison.claims:
        fid = comparison.fact_of_claim.get(c.id)
        key = by_sentence.get((c.article, c.sentence))
        if fid in facts and key is not None:
            f = facts[fid]
            prev = out.get(key)
            if prev is None or len(f.outlets) > len(prev[1]):
                out[key] = (f.id, list(f.outlets), list(f.claims), max(1, f.confirmations))
    return out


def _unigrams(cs: set[str]) -> set[str]:
    return {c for c in cs if " " not in c}


def _overlap(a: list[set[str]], b: list[set[str]]) -> np.ndarray:
    """Shared content words over the smaller set, for every pair (a_i, b_j)."""
    vocab: dict[str, int] = {}
    for sets in (a, b):
        for cs in sets:
            for c in cs:
                vocab.setdefault(c, len(vocab))
    if not vocab or not a or not b:
        return np.zeros((len(a), len(b)))
    A = np.zeros((len(a), len(vocab)), dtype=np.float32)
    B = np.zeros((len(b), len(vocab)), dtype=np.float32)
    for M, sets in ((A, a), (B, b)):
        for i, cs in enumerate(sets):
            for c in cs:
                M[i, vocab[c]] = 1
    inter = A @ B.T
    size = np.minimum(A.sum(1)[:, None], B.sum(1)[None, :])
    return inter / np.maximum(size, 1)


def _dates(extractions: list[Extraction]) -> dict[tuple[str, int], str]:
    """(article id, sentence) -> earliest resolved date mentioned in it."""
    out: dict[tuple[str, int], str] = {}
    for x in extractions or []:
        for d in x.dates:
            if not d.date or d.sentence < 0 or d.precision == "year":
                continue
            key = (d.span.article or x.article_id, d.sentence)
            if key not in out or d.date < out[key]:
                out[key] = d.date
    return out


def summarise(
    articles: list[AnalysedArticle],
    comparison: Comparison,
    extractions: list[Extraction],
    config: Config | None = None,
    since: list[AnalysedArticle] | None = None,
) -> list[SummarySentence]:
    config = config or Config()
    try:
        return _summarise(articles, comparison, extractions, config, since or [])
    except Exception:  # noqa: BLE001 - odd text must never crash a briefing
        import logging

        logging.getLogger(__name__).exception("summary failed")
        return []


def _summarise(articles, comparison, extractions, config: Config, since) -> list[SummarySentence]:
    sc = config.summary
    articles = [a for a in articles if a.sentences]
    if not articles:
        return []
    units = build_units(articles, sc.compress, sc.min_words, sc.max_words)
    if not units:
        return []
    old_units = build_units([a for a in since if a.sentences], False, 1, 10_000) if since else []
    emb = _embed([u.text for u in units] + [o.text for o in old_units], config)
    E, O = emb[: len(units)], emb[len(units) :]
    sim = E @ E.T

    outlet_of = {a.id: a.outlet for a in articles}
    outlets_all = sorted({u.outlet for u in units})
    n_outlets = len(outlets_all)

    # --- concepts: content lemmas and lemma pairs of each unit
    stops = {a.language: _stop_words(a.language) for a in articles + list(since)}
    words_of = [_unigrams(concepts(u, stops[u.article.language])) for u in units]  # content lemmas (alignment)
    old_words = [_unigrams(concepts(o, stops[o.article.language])) for o in old_units]
    if sc.concepts == "bigrams":
        cons = [bigrams(u, stops[u.article.language], sc.concept_lemmas) for u in units]
        old_cons = [bigrams(o, stops[o.article.language], sc.concept_lemmas) for o in old_units]
    else:
        cons = [concepts(u, stops[u.article.language]) for u in units]
        old_cons = [concepts(o, stops[o.article.language]) for o in old_units]
    overlap = _overlap(words_of, words_of)

    # --- who reports what: a sentence of another article states the same fact when it is close
    # in meaning (embeddings) AND shares content words (embeddings alone rank a whole topic close)
    if not sc.use_comparison:
        comparison = Comparison()
    links = _fact_links(units, comparison)
    aligned = (sim >= sc.align_threshold) & (overlap >= sc.align_overlap)
    support: list[dict[str, int]] = []
    for u in units:
        best: dict[str, int] = {}
        for j in np.where(aligned[u.key])[0]:
            o = units[j].outlet
            if o != u.outlet and (o not in best or sim[u.key, j] > sim[u.key, best[o]]):
                best[o] = int(j)
        support.append(best)

    def outlets_of(u: Unit) -> list[str]:
        if u.key in links:
            return links[u.key][1]
        return [u.outlet] + sorted(support[u.key])

    # --- concept weights: worth the number of outlets using them
    # (and, with concept_lead, by how early each outlet uses them: the lead says what matters)
    df: dict[str, dict[str, int]] = defaultdict(dict)
    for u, cs in zip(units, cons):
        for c in cs:
            first = df[c].get(u.outlet)
            if first is None or u.sentence.index < first:
                df[c][u.outlet] = u.sentence.index
    old_concepts: set[str] = set().union(*old_cons) if old_cons else set()
    weight: dict[str, float] = {}
    # (the threshold is meant for about ten outlets: with few, a third of them is enough)
    min_outlets = min(sc.concept_min_outlets, max(1, -(-n_outlets // 3)))
    for c, outs in df.items():
        k = len(outs)
        if k < min_outlets:
            continue
        w = float(k) ** sc.concept_power * (sc.bigram_weight if " " in c else 1.0)
        if sc.concept_lead:
            w *= 1.0 + sc.concept_lead * sum(1.0 / (1.0 + i) for i in outs.values()) / k
        if c in old_concepts:
            w *= sc.old_concept_weight
        weight[c] = w

    # --- update summary: drop what the old articles already said
    excluded = np.zeros(len(units), dtype=bool)
    if len(old_units):
        old_overlap = _overlap(words_of, old_words)
        excluded = ((E @ O.T >= sc.update_threshold) & (old_overlap >= sc.update_overlap)).any(axis=1)

    floor = float(np.median(sim)) if sim.size > 1 else 0.0

    def fact_value(u: Unit) -> float:
        own = float(1 + len(support[u.key]))
        if u.key in links:  # the comparison's independent confirmations, never less than seen here
            return max(float(links[u.key][3]), own)
        return own

    position = np.array([1.0 / (1.0 + u.sentence.index) for u in units])
    # scale of the fact and position terms: what an average usable sentence's words are worth
    usable_gains = [sum(weight.get(c, 0.0) for c in cons[u.key]) for u in units if u.usable]
    unit_scale = float(np.mean(usable_gains)) if usable_gains else 1.0

    selected: list[int] = []
    covered: set[str] = set()
    covered_facts: set[str] = set()
    budget, total = sc.words, 0
    slack = max(3, int(round(budget * sc.overshoot)))
    chosen_set: set[int] = set()

    def eligible(u: Unit) -> bool:
        if not u.usable or excluded[u.key] or u.key in chosen_set:
            return False
        if u.dangling:
            prev = [v for v in units if u.follows(v)]
            return bool(prev) and prev[0].key in chosen_set
        return True

    def eligible_static(u: Unit, min_words: int = sc.min_select_words) -> bool:
        return u.usable and not excluded[u.key] and u.words >= min_words

    def gain(u: Unit) -> float:
        g = sum(weight.get(c, 0.0) for c in cons[u.key] - covered)
        fid = links[u.key][0] if u.key in links else None
        if fid is None or fid not in covered_facts:
            g += sc.fact_weight * unit_scale * fact_value(u) / n_outlets
        g += sc.position_weight * unit_scale * position[u.key]
        return g

    # the most important contradiction, when the comparison found one: both sides first
    forced: list[int] = []
    # (a disagreement between two lone outlets is too often two different things to lead the summary)
    need = max(sc.conflict_min_outlets, math.ceil(sc.conflict_min_share * n_outlets))
    worth = [c for c in (comparison.conflicts if comparison else [])
             if not c.update_over_time and len({o for g in c.groups for o in g.outlets}) >= need]
    if sc.conflict_first and worth and n_outlets > 1:
        top = max(worth, key=lambda c: c.centrality)
        for group in sorted(top.groups, key=lambda g: -len(g.outlets))[:2]:
            best = None
            for sp in group.spans:
                for u in units:
                    if u.usable and not excluded[u.key] and not u.dangling and u.article.id == sp.article:
                        s = _span(u)
                        if s.start <= sp.start and sp.end <= s.end and (best is None or u.words < units[best].words):
                            best = u.key
            if best is not None and best not in forced:
                forced.append(best)
        if len(forced) < 2:
            forced = []

    def take(k: int) -> None:
        nonlocal total
        selected.append(k)
        chosen_set.add(k)
        covered.update(cons[k])
        if k in links:
            covered_facts.add(links[k][0])
        total += units[k].words

    forced = [k for k in forced if units[k].words <= budget + slack]
    while sum(units[k].words for k in forced) > budget + slack:
        forced.pop()

    picked = None
    if sc.selection == "ilp":
        top = sorted(comparison.conflicts, key=lambda c: -c.centrality)[: sc.conflict_sides] if comparison else []
        sides = _conflict_sides(units, top)
        picked = _ilp(units, cons, weight, links, fact_value, position, unit_scale, n_outlets, eligible_static, aligned, sim, forced, sc, budget, slack, sides)
    if picked is not None:
        for k in picked:
            take(k)
        conflicts = comparison.conflicts if comparison else []
        return [_one_side(s, conflicts, outlet_of) for s in _order_and_cite(units, selected, links, support, outlets_of, extractions, forced)]

    for k in forced:
        take(k)

    lam = sc.mmr_lambda
    while total < budget - sc.stop_margin:
        cands = [u for u in units if eligible(u) and total + u.words <= budget + slack]
        if not cands:
            break
        gains = np.array([gain(u) / (u.words ** sc.length_power) for u in cands])
        if gains.max() <= 0:
            break
        rel = gains / gains.max()
        if selected:
            red = sim[[u.key for u in cands]][:, selected].max(axis=1)
            red = np.clip((red - floor) / max(1e-6, 1 - floor), 0, 1)
        else:
            red = np.zeros(len(cands))
        score = lam * rel - (1 - lam) * red
        for i, u in enumerate(cands):
            if selected and (
                sim[u.key, selected].max() >= sc.redundancy_threshold or aligned[u.key, selected].any()
            ):
                score[i] = -np.inf  # says what a picked sentence already says
        i = int(np.argmax(score))
        if not np.isfinite(score[i]):
            break
        take(cands[i].key)

    conflicts = comparison.conflicts if comparison else []
    return [_one_side(s, conflicts, outlet_of) for s in _order_and_cite(units, selected, links, support, outlets_of, extractions, forced)]


def _conflict_sides(units: list[Unit], conflicts: list) -> list[tuple[int, list[int]]]:
    """(unit, units stating another value): a sentence stating one value of a contradiction
    needs a sentence stating another one of its values next to it."""
    spans_of = defaultdict(list)
    for u in units:
        spans_of[u.article.id].append((u, _span(u)))
    out = []
    for c in conflicts:
        holders = []
        for g in c.groups:
            keys = set()
            for sp in g.spans:
                for u, s in spans_of.get(sp.article, []):
                    if s.start <= sp.start and sp.end <= s.end:
                        keys.add(u.key)
            holders.append(keys)
        for i, keys in enumerate(holders):
            others = set().union(*(h for j, h in enumerate(holders) if j != i)) - keys
            for k in keys:
                if not any(k in h for j, h in enumerate(holders) if j != i):  # states one value only
                    out.append((k, sorted(others)))
    return out


def _ilp(units, cons, weight, links, fact_value, position, unit_scale, n_outlets, eligible, aligned, sim, forced, sc, budget, slack, sides=()):
    """Picked unit keys in importance order (forced first), or None to fall back to the greedy."""
    cands = [u.key for u in units if eligible(u)]
    if sum(units[k].words for k in cands) < budget:  # short sentences only: take them too
        cands = [u.key for u in units if eligible(u, sc.min_words)]
    cands = list(dict.fromkeys(forced + cands))
    if not cands:
        return []
    prev_of = {(u.article.id, u.last): u.key for u in units}
    requires = []
    for k in cands:
        u = units[k]
        if u.dangling:
            requires.append((k, prev_of.get((u.article.id, u.sentence.index - 1), -1)))
    requires += list(sides)
    # a sentence of a compared fact carries the fact's value once (a concept of its own); the
    # others carry their own alignment value
    bonus = sc.position_weight * unit_scale * position
    concept_sets = list(cons)
    weight = dict(weight)
    for k in cands:
        if k in links:
            fid = "\x00fact " + links[k][0]
            value = sc.fact_weight * unit_scale * fact_value(units[k]) / n_outlets
            weight[fid] = max(weight.get(fid, 0.0), value)
            concept_sets[k] = cons[k] | {fid}
        else:
            bonus[k] += sc.fact_weight * unit_scale * fact_value(units[k]) / n_outlets
    idx = np.array(cands)
    sub = (sim[np.ix_(idx, idx)] >= sc.redundancy_threshold) | aligned[np.ix_(idx, idx)]
    if sc.exclusive_facts:
        fact_ids = np.array([links[k][0] if k in links else f"u{k}" for k in cands])
        sub |= fact_ids[:, None] == fact_ids[None, :]
    ii, jj = np.where(np.triu(sub, 1))
    exclusive = [(int(idx[i]), int(idx[j])) for i, j in zip(ii, jj)]
    words = [u.words for u in units]
    picked = ilp_select(
        words, cands, concept_sets, weight, bonus, budget + slack, budget - sc.stop_margin, requires, exclusive, forced, sc.ilp_time_limit
    )
    if picked is None:
        return None
    value = {k: sum(weight.get(c, 0.0) for c in concept_sets[k]) + bonus[k] for k in picked}
    rest = sorted((k for k in picked if k not in forced), key=lambda k: -value[k])
    order = [k for k in forced if k in picked] + rest
    # a dangling sentence comes after the one it needs (the output order keeps blocks together)
    return order


def _one_side(s: SummarySentence, conflicts: list, outlet_of: dict[str, str]) -> SummarySentence:
    """A sentence that states one side of a contradiction cites only the outlets on that side.

    The fact a sentence belongs to may gather outlets that give another value ("environ deux
    heures" and "plus de quatre heures" of the same talks); citing them for this value would
    put words in their mouth.
    """
    own = s.spans[0]
    outlets, spans = list(s.outlets), list(s.spans)
    for c in conflicts:
        sides = [g for g in c.groups if any(sp.article == own.article and own.start <= sp.start and sp.end <= own.end for sp in g.spans)]
        if len(sides) != 1:
            continue
        others = {o for g in c.groups if g is not sides[0] for o in g.outlets} - set(sides[0].outlets)
        outlets = [o for o in outlets if o not in others]
        spans = [sp for sp in spans if sp is own or outlet_of.get(sp.article) not in others]
    return s.model_copy(update={"outlets": outlets, "spans": spans})


def _order_and_cite(units, selected, links, support, outlets_of, extractions, forced=()) -> list[SummarySentence]:
    """Chronological order where sentences carry dates, importance order otherwise (the order of
    selection: the sentence covering the most widely reported content leads, the sides of the
    main contradiction follow it, side by side); follow-ups stay right after the sentence they
    depend on. Importance is not the number of citations: that depends on how well the sentence
    was aligned with the others, not on what it says."""
    dates = _dates(extractions)
    chosen = set(selected)
    # blocks: a dangling sentence travels with its predecessor
    head_of: dict[int, int] = {}
    for k in selected:
        u = units[k]
        h = k
        while units[h].dangling:
            prev = [v.key for v in units if units[h].follows(v)]
            if not prev or prev[0] not in chosen:
                break
            h = prev[0]
        head_of[k] = h
    heads = [k for k in selected if head_of[k] == k]
    rest = [h for h in heads if h not in forced]  # selection order: the weight of what each one covers
    heads = rest[:1] + [h for h in heads if h in forced] + rest[1:]
    blocks = {h: sorted([k for k in selected if head_of[k] == h], key=lambda k: units[k].sentence.index) for h in heads}
    dated = [h for h in heads if (units[h].article.id, units[h].sentence.index) in dates]
    slots = [i for i, h in enumerate(heads) if h in dated]
    chrono = sorted(dated, key=lambda h: dates[(units[h].article.id, units[h].sentence.index)])
    order = list(heads)
    for slot, h in zip(slots, chrono):
        order[slot] = h

    out: list[SummarySentence] = []
    for h in order:
        for k in blocks[h]:
            u = units[k]
            own = _span(u)
            spans = [own]
            if k in links:
                for sp in links[k][2]:
                    if (sp.article, sp.start, sp.end) != (own.article, own.start, own.end):
                        spans.append(sp)
            else:
                for o in sorted(support[k]):
                    spans.append(_span(units[support[k][o]]))
            out.append(
                SummarySentence(
                    text=u.text,
                    outlets=outlets_of(u),
                    spans=spans,
                    fact=links[k][0] if k in links else None,
                    compressed=u.compressed,
                )
            )
    return out


def summary_words(summary: list[SummarySentence]) -> int:
    return sum(word_count(s.text) for s in summary)
