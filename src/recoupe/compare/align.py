"""Aligning claims that state the same information across outlets, then grouping them into facts.

Score of two claims from different articles (all terms in [0, 1]):
    W_COS * rescaled cosine of their e5 embeddings  (COS_FLOOR -> 0, COS_CEIL -> 1)
  + W_LEMMA * Jaccard of content lemmas
  + W_ENT * Jaccard of linked entities
  + W_MEAS * 1 if they carry a compatible measurement of the same dimension
Weights and thresholds were tuned on the labelled agreements of one example story and checked on
the other (docs/compare.md).
"""

from __future__ import annotations

import numpy as np

from .claims import ClaimInfo

W_COS, W_LEMMA, W_ENT, W_MEAS = 0.5, 0.45, 0.05, 0.05
COS_FLOOR, COS_CEIL = 0.80, 0.95
LINK_MARGIN = 0.12  # no pair inside a merged fact may score this much below the threshold


def _jaccard(sets: list[set[str]]) -> np.ndarray:
    vocab: dict[str, int] = {}
    for s in sets:
        for w in s:
            vocab.setdefault(w, len(vocab))
    n = len(sets)
    if not vocab:
        return np.zeros((n, n), dtype=np.float32)
    x = np.zeros((n, len(vocab)), dtype=np.float32)
    for i, s in enumerate(sets):
        for w in s:
            x[i, vocab[w]] = 1.0
    inter = x @ x.T
    size = x.sum(axis=1)
    union = size[:, None] + size[None, :] - inter
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(union > 0, inter / union, 0.0)
    return out.astype(np.float32)


def score_matrix(infos: list[ClaimInfo], vecs: np.ndarray, measure_match: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(combined score, raw cosine) for every pair of claims; pairs within one article score -1."""
    n = len(infos)
    if n == 0:
        return np.zeros((0, 0), dtype=np.float32), np.zeros((0, 0), dtype=np.float32)
    cos = np.clip(vecs @ vecs.T, -1.0, 1.0)
    scaled = np.clip((cos - COS_FLOOR) / (COS_CEIL - COS_FLOOR), 0.0, 1.0)
    score = W_COS * scaled + W_LEMMA * _jaccard([c.lemmas for c in infos]) + W_ENT * _jaccard([c.entities for c in infos])
    if measure_match is not None:
        score = score + W_MEAS * measure_match
    art = np.array([c.art for c in infos])
    score[art[:, None] == art[None, :]] = -1.0
    return score.astype(np.float32), cos.astype(np.float32)


def group_facts(infos: list[ClaimInfo], score: np.ndarray, threshold: float) -> list[list[int]]:
    """Constrained agglomerative grouping: best pairs first, at most one claim per article per fact,
    a merged fact keeps an average pair score above the threshold and no pair far below it (no chains)."""
    n = len(infos)
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    arts: dict[int, set[int]] = {i: {infos[i].art} for i in range(n)}
    owner = list(range(n))
    iu = np.triu_indices(n, 1)
    vals = score[iu]
    keep = vals >= threshold
    order = np.argsort(-vals[keep], kind="stable")
    pi, pj = iu[0][keep][order], iu[1][keep][order]
    for i, j in zip(pi.tolist(), pj.tolist()):
        a, b = owner[i], owner[j]
        if a == b or arts[a] & arts[b]:
            continue
        cross = score[np.ix_(members[a], members[b])]
        if float(cross.mean()) < threshold or float(cross.min()) < threshold - LINK_MARGIN:
            continue
        if len(members[a]) < len(members[b]):
            a, b = b, a
        for k in members[b]:
            owner[k] = a
        members[a].extend(members.pop(b))
        arts[a] |= arts.pop(b)
    return [sorted(m) for m in members.values()]


def recheck_borderline(infos: list[ClaimInfo], score: np.ndarray, cos: np.ndarray, threshold: float, margin: float,
                       embed) -> tuple[np.ndarray, np.ndarray, int]:
    """Put e5's cosine back on the pairs whose decision the cheap cosine may have flipped.

    Why: the static embeddings approximate e5's cosine (docs/benchmarks.md, "Static embeddings");
    a pair far from the threshold keeps its decision under that error, a pair within ``margin``
    of it may not. The claims of those pairs are embedded by ``embed`` (e5), and every pair among
    them gets e5's cosine and the score it gives. Returns (score, cos, claims re-embedded).
    """
    near = (score >= 0) & (np.abs(score - threshold) < margin)
    idx = np.unique(np.nonzero(near)[0])
    if not len(idx):
        return score, cos, 0
    ev = np.asarray(embed([infos[i].claim.text for i in idx]), dtype=np.float32)
    block = np.ix_(idx, idx)
    new = np.clip(ev @ ev.T, -1.0, 1.0)

    def scaled(c: np.ndarray) -> np.ndarray:
        return np.clip((c - COS_FLOOR) / (COS_CEIL - COS_FLOOR), 0.0, 1.0)

    score, cos = score.copy(), cos.copy()
    sub = score[block]
    score[block] = np.where(sub < 0, sub, sub + W_COS * (scaled(new) - scaled(cos[block]))).astype(np.float32)
    cos[block] = new
    return score, cos, len(idx)
