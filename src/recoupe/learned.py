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


def topic_folds(topics: list[str], seed: int, folds: int) -> list[list[str]]:
    """The held-out topics of each fold, fixed by the seed: every training script evaluates by topic
    with the same construction, so a fixed fold means the same topics everywhere."""
    import random

    shuffled = sorted(topics)
    random.Random(seed).shuffle(shuffled)
    return [sorted(shuffled[k::folds]) for k in range(folds)]
