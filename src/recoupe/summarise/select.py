"""Budgeted concept coverage as an integer linear program (Gillick & Favre 2009).

Maximise the weight of the concepts covered plus a bonus per sentence, subject to the word budget:

    max  sum_c w_c z_c + sum_j b_j x_j
    s.t. sum_j words_j x_j <= hi   (and >= lo when that is feasible)
         z_c <= sum_{j holds c} x_j          (a concept counts once, when a picked sentence holds it)
         x_d <= x_p                          (a dangling sentence only with the sentence before it)
         x_a <= sum_{b states another value} x_b   (one side of a contradiction only with another)
         x_i + x_j <= 1                      (two sentences reporting the same fact)
         x_j = 1 for forced sentences, x_j in {0, 1}, 0 <= z_c <= 1

Solved with scipy's HiGHS MILP (``scipy.optimize.milp``); ``None`` when scipy is missing, the
solver fails or runs out of time, so the caller can fall back to its greedy selection.
"""

from __future__ import annotations

import numpy as np


def ilp_select(
    words: list[int],
    candidates: list[int],
    unit_concepts: list[set[str]],
    weight: dict[str, float],
    bonus: np.ndarray,
    hi: int,
    lo: int,
    requires: list[tuple[int, int | list[int]]],
    exclusive: list[tuple[int, int]],
    forced: list[int],
    time_limit: float = 5.0,
) -> list[int] | None:
    """Unit keys picked (any order), or None when no solution was found."""
    try:
        from scipy.optimize import Bounds, LinearConstraint, milp
        from scipy.sparse import coo_matrix
    except ImportError:
        return None
    cands = list(dict.fromkeys(candidates))
    if not cands:
        return []
    col = {k: i for i, k in enumerate(cands)}
    concept_col: dict[str, int] = {}
    for k in cands:
        for c in unit_concepts[k]:
            if weight.get(c, 0.0) > 0 and c not in concept_col:
                concept_col[c] = len(cands) + len(concept_col)
    n = len(cands) + len(concept_col)
    obj = np.zeros(n)
    for k, i in col.items():
        obj[i] = bonus[k]
    for c, i in concept_col.items():
        obj[i] = weight[c]

    rows, cols, vals, lb, ub = [], [], [], [], []

    def row(entries: list[tuple[int, float]], low: float, high: float) -> None:
        r = len(lb)
        for j, v in entries:
            rows.append(r)
            cols.append(j)
            vals.append(v)
        lb.append(low)
        ub.append(high)

    # length
    row([(col[k], float(words[k])) for k in cands], -np.inf, float(hi))
    length_row = len(lb) - 1
    # concept coverage
    holders: dict[int, list[int]] = {i: [] for i in concept_col.values()}
    for k in cands:
        for c in unit_concepts[k]:
            i = concept_col.get(c)
            if i is not None:
                holders[i].append(col[k])
    for i, js in holders.items():
        row([(i, 1.0)] + [(j, -1.0) for j in js], -np.inf, 0.0)
    for d, p in requires:
        if d in col:
            needed = [col[q] for q in ([p] if isinstance(p, int) else p) if q in col and q != d]
            row([(col[d], 1.0)] + [(q, -1.0) for q in dict.fromkeys(needed)], -np.inf, 0.0)
    for a, b in exclusive:
        if a in col and b in col and a != b:
            row([(col[a], 1.0), (col[b], 1.0)], -np.inf, 1.0)

    low = np.zeros(n)
    for k in forced:
        if k in col:
            low[col[k]] = 1.0
    integrality = np.zeros(n)
    integrality[: len(cands)] = 1

    def solve(min_words: float):
        lbs = list(lb)
        lbs[length_row] = min_words
        A = coo_matrix((vals, (rows, cols)), shape=(len(lbs), n)).tocsr()
        res = milp(
            -obj,
            constraints=LinearConstraint(A, np.array(lbs), np.array(ub)),
            integrality=integrality,
            bounds=Bounds(low, np.ones(n)),
            options={"time_limit": time_limit, "disp": False},
        )
        if res.x is None or res.status not in (0, 1):  # 1: time limit, best solution so far
            return None
        return [k for k, i in col.items() if res.x[i] > 0.5]

    try:
        picked = solve(float(lo)) if lo > 0 else None
        if picked is None:
            picked = solve(-np.inf)
    except Exception:  # noqa: BLE001 - the greedy selection stands in
        return None
    return picked
