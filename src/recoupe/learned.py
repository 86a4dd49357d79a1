"""Trained decisions shipped with recoupe: one loader for every model file (docs/learned.md).

Why one helper: every learned step (same event, same slot, speaker) reads a file that someone may
rebuild or swap, so each load checks the same things the same way - the file is there, it is the
version the code expects, it was trained on the features the code computes (names and order), and
its bytes are those its metadata records - and any failure is one error naming the file and the
command that rebuilds it. Models are stored with skops (no pickle: a swapped file cannot run code)
and loaded with a fixed list of trusted scikit-learn types.
"""

from __future__ import annotations

import functools
import hashlib
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MODEL_DIR = Path(__file__).resolve().parent / "models"

# The estimator types a model file may contain; anything else is refused (skops reports the type).
TRUSTED_TYPES = [
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.calibration._IsotonicCalibration",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
    "sklearn.ensemble._hist_gradient_boosting.binning._BinMapper",
    "sklearn._loss.link.LogitLink",
    "sklearn._loss.link.Interval",
    "sklearn._loss.loss.HalfBinomialLoss",
    "sklearn.utils._bunch.Bunch",
    "numpy.dtype",
]


class ModelError(RuntimeError):
    """A model file that cannot be used: missing, truncated, foreign, or of another version."""


@dataclass
class LearnedModel:
    name: str
    version: int
    features: list[str]
    estimator: object
    meta: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._linear = _logistic(self.estimator)  # decided once: proba runs per article and per story
        self._forest = _Forest.of(self.estimator) if self._linear is None else None

    def proba(self, rows: np.ndarray) -> np.ndarray:
        """Probability of the positive class for each row of features (in ``self.features`` order)."""
        rows = np.asarray(rows, dtype=np.float64)
        if rows.ndim == 1:
            rows = rows[None, :]
        if rows.shape[0] == 0:
            return np.zeros(0)
        if self._linear is not None:  # scikit-learn's checks cost 20x the product itself on a story's few rows
            coef, intercept = self._linear
            return 1.0 / (1.0 + np.exp(-(rows @ coef + intercept)))
        if self._forest is not None and rows.shape[0] <= FOREST_MAX_ROWS:
            return self._forest.proba(rows)
        # a few dozen rows at a time: OpenMP threads cost more to start than the trees take to walk
        # (gradient boosting opens a parallel region per tree: 7 s of 8 on one RPM2 cluster's quotes)
        with _threadpools().limit(limits=1, user_api="openmp"):
            return self.estimator.predict_proba(rows)[:, 1]


def _logistic(estimator) -> tuple[np.ndarray, float] | None:
    """(coefficients, intercept) of a binary logistic regression, None for any other estimator."""
    from sklearn.linear_model import LogisticRegression

    if type(estimator) is LogisticRegression and estimator.coef_.shape[0] == 1:
        return estimator.coef_[0], float(estimator.intercept_[0])
    return None


FOREST_MAX_ROWS = 500  # above, scikit-learn's per-tree loop is the faster walk (same probabilities either way)


class _Forest:
    """Sigmoid-calibrated gradient boosting walked as arrays: the probabilities scikit-learn gives, bit for bit.

    Why: scikit-learn walks each of the trees with its own call (900 for the speaker ranker: three
    calibrated copies of 300), which for the few dozen rows of one article costs ~40 ms in call
    overhead alone; here every tree advances one level per numpy step. The leaves are added tree by
    tree in scikit-learn's order and calibrated with the same function, so the result is identical
    (tests/test_learned.py compares them on the training rows of the shipped models)."""

    def __init__(self, copies: list[tuple[float, list[np.ndarray], float, float]]) -> None:
        nodes = [tree for _, trees, _, _ in copies for tree in trees]
        sizes = np.array([len(t) for t in nodes])
        start = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        cat = np.concatenate(nodes)
        shift = np.repeat(start, sizes)
        self.feature = cat["feature_idx"].astype(np.intp)
        self.threshold = cat["num_threshold"].astype(np.float64)
        self.missing_left = cat["missing_go_to_left"].astype(bool)
        self.leaf = cat["is_leaf"].astype(bool)
        self.left = np.where(self.leaf, np.arange(len(cat)), cat["left"].astype(np.intp) + shift)
        self.right = np.where(self.leaf, np.arange(len(cat)), cat["right"].astype(np.intp) + shift)
        self.value = cat["value"].astype(np.float64)
        self.roots = start
        self.depth = int(cat["depth"].max()) if len(cat) else 0
        self.copies = [(baseline, len(trees), a, b) for baseline, trees, a, b in copies]

    @classmethod
    def of(cls, estimator) -> _Forest | None:
        """The compiled form of a binary CalibratedClassifierCV(sigmoid) over HistGradientBoostingClassifier
        on numeric features; None for anything else (scikit-learn then predicts)."""
        from sklearn.calibration import CalibratedClassifierCV, _SigmoidCalibration
        from sklearn.ensemble import HistGradientBoostingClassifier

        if type(estimator) is not CalibratedClassifierCV or len(getattr(estimator, "classes_", ())) != 2:
            return None
        copies = []
        for c in estimator.calibrated_classifiers_:
            hgb, cal = c.estimator, c.calibrators
            if type(hgb) is not HistGradientBoostingClassifier or len(cal) != 1 or type(cal[0]) is not _SigmoidCalibration:
                return None
            if hgb.n_trees_per_iteration_ != 1 or getattr(hgb, "is_categorical_", None) is not None:
                return None
            trees = [p.nodes for (p,) in hgb._predictors]
            if any(t["is_categorical"].any() for t in trees):
                return None
            copies.append((float(hgb._baseline_prediction.ravel()[0]), trees, float(cal[0].a_), float(cal[0].b_)))
        return cls(copies) if copies else None

    def proba(self, rows: np.ndarray) -> np.ndarray:
        from scipy.special import expit

        n = rows.shape[0]
        by_feature = np.ascontiguousarray(rows.T).ravel()  # feature j of row i at j * n + i
        missing = bool(np.isnan(by_feature).any())
        at = np.repeat(self.roots[:, None], n, axis=1)  # each tree's node for each row (leaves point to themselves)
        cols = np.arange(n)
        for _ in range(self.depth):
            x = np.take(by_feature, np.take(self.feature, at) * n + cols)
            left = x <= np.take(self.threshold, at)
            if missing:
                left = np.where(np.isnan(x), np.take(self.missing_left, at), left)
            at = np.where(left, np.take(self.left, at), np.take(self.right, at))
        leaves = np.take(self.value, at)
        total = np.zeros(n)
        tree = 0
        for baseline, count, a, b in self.copies:
            # a running sum adds one tree at a time from the baseline: scikit-learn's order of additions
            raw = np.cumsum(np.vstack([np.full((1, n), baseline), leaves[tree : tree + count]]), axis=0)[-1]
            tree += count
            total += expit(-(a * raw + b))
        return total / len(self.copies)


@functools.lru_cache(maxsize=1)
def _threadpools():
    """One controller for the process: finding the loaded thread pools costs 3 ms, limiting them 0.04."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def paths(name: str, directory: Path | None = None) -> tuple[Path, Path]:
    directory = directory or MODEL_DIR
    return directory / f"{name}.skops", directory / f"{name}.json"


def rebuild_hint(name: str) -> str:
    return f"rebuild it with: python scripts/train_{name}.py"


def save(name: str, estimator, features: list[str], version: int, meta: dict, directory: Path | None = None) -> Path:
    """Write the model and its metadata (version, feature names, checksum, training report)."""
    import skops.io as sio

    model_path, meta_path = paths(name, directory)
    model_path.parent.mkdir(parents=True, exist_ok=True)
    data = sio.dumps(estimator)
    model_path.write_bytes(data)
    record = {"name": name, "version": version, "features": list(features), "sha256": hashlib.sha256(data).hexdigest(), **meta}
    meta_path.write_text(json.dumps(record, indent=1, ensure_ascii=False, sort_keys=False) + "\n", encoding="utf-8")
    return model_path


_CACHE: dict[tuple[str, str], LearnedModel] = {}
_LOCK = threading.Lock()


def load(name: str, version: int, features: list[str], directory: Path | None = None) -> LearnedModel:
    """The model ``name``, checked against the version and feature names the calling code expects.

    Loaded once per process (the lazily loaded model cache the project allows)."""
    directory = directory or MODEL_DIR
    key = (str(directory), name)
    with _LOCK:
        model = _CACHE.get(key)
        if model is None:
            model = _load(name, version, features, directory)
            _CACHE[key] = model
    if model.version != version or model.features != list(features):
        raise ModelError(f"{paths(name, directory)[0]}: does not match this recoupe; {rebuild_hint(name)}")
    return model


def _load(name: str, version: int, features: list[str], directory: Path) -> LearnedModel:
    import skops.io as sio

    model_path, meta_path = paths(name, directory)
    hint = rebuild_hint(name)
    for p in (model_path, meta_path):
        if not p.is_file():
            raise ModelError(f"{p}: model file missing; {hint}")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ModelError(f"{meta_path}: unreadable model metadata ({e}); {hint}") from None
    data = model_path.read_bytes()
    if hashlib.sha256(data).hexdigest() != meta.get("sha256"):
        raise ModelError(f"{model_path}: checksum differs from {meta_path.name} (truncated or replaced file); {hint}")
    if meta.get("version") != version:
        raise ModelError(f"{model_path}: model version {meta.get('version')}, this recoupe needs {version}; {hint}")
    if meta.get("features") != list(features):
        raise ModelError(f"{model_path}: trained on other features than this recoupe computes; {hint}")
    try:
        untrusted = [t for t in sio.get_untrusted_types(data=data) if t not in TRUSTED_TYPES]
        if untrusted:
            raise ModelError(f"{model_path}: holds types recoupe does not load ({', '.join(untrusted)}); {hint}")
        estimator = sio.loads(data, trusted=TRUSTED_TYPES)
    except ModelError:
        raise
    except Exception as e:  # skops raises many kinds on a corrupt file
        raise ModelError(f"{model_path}: not a readable model ({type(e).__name__}); {hint}") from None
    return LearnedModel(name=name, version=version, features=list(features), estimator=estimator, meta=meta)


def clear_cache() -> None:
    with _LOCK:
        _CACHE.clear()


def plateau_middle(scores: dict[float, float], tolerance: float) -> float:
    """The middle (median) of the thresholds whose score is within ``tolerance`` of the best: a score
    curve is flat near its top, and the argmax of a flat curve moves with noise from fold to fold (the
    training scripts' threshold rule; docs/learned.md)."""
    top = max(scores.values())
    return float(np.median([t for t, s in scores.items() if s >= top - tolerance]))


def topic_folds(topics: list[str], seed: int, folds: int) -> list[list[str]]:
    """The held-out topics of each fold, fixed by the seed: every training script evaluates by topic
    with the same construction, so a fixed fold means the same topics everywhere."""
    import random

    shuffled = sorted(topics)
    random.Random(seed).shuffle(shuffled)
    return [sorted(shuffled[k::folds]) for k in range(folds)]
