"""Learned steps: the model files load only when they are what the code expects, and each step keeps
its quality on a fixed fold of real news (cached features of RPM2 topics it was not trained on)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from recoupe import learned
from recoupe.clustering import PAIR_FEATURES, SAME_EVENT_MODEL, SAME_EVENT_VERSION
from recoupe.compare.quotes import QUOTE_FEATURES, SAME_QUOTE_MODEL, SAME_QUOTE_VERSION
from recoupe.compare.slots import SAME_SLOT_MODEL, SAME_SLOT_VERSION, SLOT_FEATURES

FIX = Path(__file__).parent / "fixtures"
MODELS = [
    (SAME_EVENT_MODEL, SAME_EVENT_VERSION, PAIR_FEATURES),
    (SAME_SLOT_MODEL, SAME_SLOT_VERSION, SLOT_FEATURES),
    (SAME_QUOTE_MODEL, SAME_QUOTE_VERSION, QUOTE_FEATURES),
]


@pytest.fixture
def model_dir(tmp_path):
    for name, _, _ in MODELS:
        for p in learned.paths(name):
            shutil.copy(p, tmp_path / p.name)
    learned.clear_cache()
    yield tmp_path
    learned.clear_cache()


@pytest.mark.parametrize("name,version,features", MODELS)
def test_shipped_models_load_and_give_probabilities(name, version, features):
    model = learned.load(name, version, features)
    p = model.proba(np.zeros((3, len(features))))
    assert p.shape == (3,) and ((0 <= p) & (p <= 1)).all()


@pytest.mark.parametrize("name,version,features", MODELS)
def test_a_bad_model_file_is_one_clear_error_naming_the_file_and_the_fix(model_dir, name, version, features):
    model_path, meta_path = learned.paths(name, model_dir)
    hint = f"scripts/train_{name}.py"

    def error() -> str:
        learned.clear_cache()
        with pytest.raises(learned.ModelError) as exc:
            learned.load(name, version, features, model_dir)
        return str(exc.value)

    data = model_path.read_bytes()
    model_path.write_bytes(data[: len(data) // 2])  # truncated
    msg = error()
    assert str(model_path) in msg and hint in msg and "checksum" in msg
    model_path.write_bytes(data)
    assert learned.load(name, version, features, model_dir) is not None  # restored: loads again
    meta = json.loads(meta_path.read_text())
    meta_path.write_text(json.dumps(dict(meta, version=version + 1)))
    assert "version" in error()
    meta_path.write_text(json.dumps(dict(meta, features=features[:-1])))
    assert "other features" in error()
    meta_path.write_text(json.dumps(meta))
    model_path.write_bytes(b"not a model at all")
    meta_path.write_text(json.dumps(dict(meta, sha256=__import__("hashlib").sha256(b"not a model at all").hexdigest())))
    assert str(model_path) in error()  # foreign bytes that pass the checksum: still refused by skops
    model_path.unlink()
    assert "missing" in error()


def _same_event_data():
    d = np.load(FIX / "stories" / "same_event_pairs.npz")
    return d["X"].astype(float), d["y"], d["train"], d["test"]


def test_same_event_floor_on_the_fixed_fold():
    """Trained on 9 RPM2 topics, scored on the 3 held out (scripts/train_same_event.py wrote the features):
    pairs of one event are told from pairs of other events of the same day."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    X, y, train, test = _same_event_data()
    m = LogisticRegression(C=1.0, max_iter=2000).fit(X[train], y[train])
    p = m.predict_proba(X[test])[:, 1]
    assert roc_auc_score(y[test], p) >= 0.99
    pred = p >= 0.5
    precision = (pred & (y[test] == 1)).sum() / max(1, pred.sum())
    assert precision >= 0.95


def test_the_shipped_same_event_model_scores_as_scikit_learn_does():
    """``LearnedModel.proba`` computes a logistic regression's probability itself (scikit-learn's input
    checks cost more than the product on a story's few rows): the same figures on real pairs."""
    from recoupe.clustering import same_event_model

    X, *_ = _same_event_data()
    model = same_event_model()
    assert np.allclose(model.proba(X), model.estimator.predict_proba(X)[:, 1], rtol=0, atol=1e-12)


def test_same_slot_floor_on_the_fixed_fold():
    """Trained on 9 RPM2 topics and the examples, scored on the 3 held out: values of one question are
    told from values of different things, and among values that cannot both hold (the candidate
    contradictions) the ones of one question still rank first."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.metrics import average_precision_score, roc_auc_score

    d = np.load(FIX / "compare" / "same_slot_pairs.npz")
    base = HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, max_depth=4, l2_regularization=1.0, random_state=20261206)
    m = CalibratedClassifierCV(base, method="sigmoid", cv=3).fit(d["X_train"].astype(float), d["y_train"])
    p = m.predict_proba(d["X_test"].astype(float))[:, 1]
    y = d["y_test"]
    assert roc_auc_score(y, p) >= FLOORS["slot_auc"]
    clash = d["compatible"] == 0
    assert average_precision_score(y[clash], p[clash]) >= FLOORS["slot_clash_ap"]


# measured 0.924 and 0.122 (base rate 0.007, 9,647 pairs) with model version 2 and the wider extraction
# (version 1: 0.904 and 0.179, base rate 0.008)
FLOORS = {"slot_auc": 0.89, "slot_clash_ap": 0.09}


def test_same_quote_floor_on_the_fixed_fold():
    """Trained on 9 RPM2 topics, scored on the 3 held out: the same words of one speaker in two
    outlets rank above other pairs of quotes, and at the shipped threshold the model finds more of
    them than the hand rules, with fewer false matches."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import average_precision_score, precision_score, recall_score, roc_auc_score

    from recoupe.config import Config

    d = np.load(FIX / "quotes" / "same_quote_pairs.npz")
    m = LogisticRegression(C=1.0, max_iter=2000).fit(d["X_train"].astype(float), d["y_train"])
    p = m.predict_proba(d["X_test"].astype(float))[:, 1]
    y = d["y_test"]
    assert roc_auc_score(y, p) >= FLOORS["quote_auc"]
    assert average_precision_score(y, p) >= FLOORS["quote_ap"]
    rules = d["X_test"][:, QUOTE_FEATURES.index("rules")] > 0.5
    learned_ = p >= Config().compare.quote_threshold
    assert precision_score(y, learned_) >= precision_score(y, rules)
    assert recall_score(y, learned_) >= recall_score(y, rules)


def test_the_shipped_quote_threshold_is_the_trained_one():
    """Config's default is the threshold the training script chose with the shipped model."""
    from recoupe.config import Config

    meta = json.loads(learned.paths(SAME_QUOTE_MODEL)[1].read_text(encoding="utf-8"))
    assert Config().compare.quote_threshold == round(meta["threshold"], 2)


# measured 0.996 and 0.642 (28 positive pairs of 7,187 candidates; pairs at the shipped threshold 0.35: rules P 0.41 R 0.57, learned P 0.47 R 0.71)
FLOORS.update({"quote_auc": 0.97, "quote_ap": 0.5})


def test_the_command_line_names_a_broken_model_file_and_exits_1(tmp_path, monkeypatch, capsys):
    """A truncated model file: `recoupe ingest` stops with one line naming the file and the fix, no traceback."""
    import sys

    from recoupe import cli

    for p in learned.paths(SAME_EVENT_MODEL):
        shutil.copy(p, tmp_path / p.name)
    broken = tmp_path / f"{SAME_EVENT_MODEL}.skops"
    broken.write_bytes(broken.read_bytes()[:100])
    monkeypatch.setattr(learned, "MODEL_DIR", tmp_path)
    learned.clear_cache()
    article = FIX / "stories" / "pont-lemonde.md"
    monkeypatch.setattr(sys, "argv", ["recoupe", "ingest", str(article), "--db", str(tmp_path / "s.db")])
    with pytest.raises(SystemExit) as exc:
        cli.main()
    learned.clear_cache()
    err = capsys.readouterr().err
    assert exc.value.code == 1 and str(broken) in err and "scripts/train_same_event.py" in err and "Traceback" not in err


def test_shipped_forests_are_walked_to_scikit_learns_probabilities_bit_for_bit():
    """The speaker ranker and the same-slot model are calibrated gradient boosting; ``LearnedModel``
    walks their trees as arrays for an article's few rows: the same floats, on the training rows of
    each, a few rows at a time as in use, and with a missing value."""
    from recoupe.extract.quotes.rank import speaker_model

    rows = np.load(FIX / "quotes" / "speaker_rows.npz")["X"].astype(float)[:600]
    slot_rows = np.load(FIX / "compare" / "same_slot_pairs.npz")["X_test"].astype(float)[:600]
    slot = learned.load(SAME_SLOT_MODEL, SAME_SLOT_VERSION, SLOT_FEATURES)
    for model, X in ((speaker_model(), rows), (slot, slot_rows)):
        assert model._forest is not None
        X = X.copy()
        X[3, 2] = np.nan
        with learned._threadpools().limit(limits=1, user_api="openmp"):
            expected = model.estimator.predict_proba(X)[:, 1]
        got = np.concatenate([model.proba(X[i : i + 37]) for i in range(0, len(X), 37)])
        assert np.array_equal(got, expected)
        assert np.array_equal(model.proba(X), expected)  # above FOREST_MAX_ROWS: scikit-learn itself


def test_speaker_floor_on_the_fixed_fold():
    """Trained on the quotes of 9 RPM2 topics, scored on the 3 held out (scripts/train_speaker.py wrote the
    candidate features): the ranker's speaker, or none under the threshold, is right at least as often as
    the rules it re-ranks."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.ensemble import HistGradientBoostingClassifier

    d = np.load(FIX / "quotes" / "speaker_rows.npz")
    X, y, quote, test = d["X"].astype(float), d["y"], d["quote"], d["test"]
    row_test = test[quote]
    base = HistGradientBoostingClassifier(max_iter=300, learning_rate=0.05, max_depth=5, l2_regularization=1.0, random_state=20261206)
    m = CalibratedClassifierCV(base, method="sigmoid", cv=3).fit(X[~row_test], y[~row_test])
    p, q_test, y_test = m.predict_proba(X[row_test])[:, 1], quote[row_test], y[row_test]
    right = []
    for n in np.flatnonzero(test):
        sel = q_test == n
        k = int(np.argmax(p[sel])) if sel.any() else None
        if k is None or p[sel][k] < float(d["threshold"]):
            right.append(bool(d["gold_none"][n]))
        else:
            right.append(bool(y_test[sel][k]))
    accuracy = float(np.mean(right))
    assert accuracy >= FLOORS["speaker_accuracy"]
    assert accuracy >= float(d["rule_right"][test].mean()) - 0.01


FLOORS["speaker_accuracy"] = 0.59  # measured 0.614 on 498 held-out quotes (rules 0.606) when written; 0.612 on 500 (rules 0.606) after the retrain on the current extraction


def test_thresholds_are_taken_from_the_middle_of_the_plateau_not_its_argmax():
    """A score curve flat near its top: the median of the thresholds within the tolerance of the best
    (the training scripts' rule), so one noisy point at an edge does not pick the threshold."""
    f1 = {0.2: 0.615, 0.3: 0.612, 0.4: 0.611, 0.5: 0.55}
    assert learned.plateau_middle(f1, 0.01) == pytest.approx(0.3)
    assert learned.plateau_middle(f1, 0.0) == pytest.approx(0.2)
    assert learned.plateau_middle({0.25: 0.6, 0.45: 0.6, 0.9: 0.1}, 0.01) == pytest.approx(0.35)
