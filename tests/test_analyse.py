"""Analysis stage: language routing, sentences, tokens and the NER fixes, on real French text."""

from __future__ import annotations

from conftest import FIXTURES, analyse_texts, clean_texts

from recoupe.analyse import analyse, language_of
from recoupe.config import Config

ENGLISH = (FIXTURES / "entities" / "english.txt").read_text(encoding="utf-8")
KIMS = (FIXTURES / "entities" / "kims-a.txt").read_text(encoding="utf-8")


def test_english_article_is_kept_out_with_a_notice_naming_it(nlp):
    notices = []
    arts = analyse_texts({"fr": KIMS, "en-wire": ENGLISH}, notices=notices)
    assert [a.id for a in arts] == ["fr"]
    assert len(notices) == 1 and notices[0].file == "en-wire"
    assert "'en'" in notices[0].message


def test_short_record_with_declared_language_is_analysed(nlp):
    arts = analyse_texts({"brief": "Kim Jong Un est à Moscou."}, langs={"brief": "fr"})
    assert len(arts) == 1 and arts[0].language == "fr"
    assert any(m.text == "Moscou" for m in arts[0].mentions)


def test_declared_language_yields_to_a_long_text_in_another_language():
    config = Config()
    [a] = clean_texts({"x": ENGLISH}, langs={"x": "fr"})
    assert language_of(a, config) == "en"


def test_tokens_sentences_and_offsets_are_consistent(nlp):
    [a] = analyse_texts({"k": KIMS})
    text = a.article.text
    assert len(a.sentences) >= 5
    for t in a.tokens:
        assert text[t.start : t.end] == t.text
        assert 0 <= t.head < len(a.tokens)
        assert a.sentences[t.sent].tok_start <= t.i < a.sentences[t.sent].tok_end
    assert any(t.lemma == "arriver" for t in a.tokens)
    assert {t.pos for t in a.tokens} >= {"PROPN", "VERB", "DET"}
    assert any("Gender=" in t.morph for t in a.tokens)
    # paragraphs are numbered in order
    assert [s.paragraph for s in a.sentences] == sorted(s.paragraph for s in a.sentences)
    assert a.sentences[-1].paragraph == 2
    for m in a.mentions:
        assert text[m.start : m.end] == m.text
        assert all(a.tokens[i].ent == m.label for i in range(m.tok_start, m.tok_end))


def test_ner_fixes(nlp):
    text = (
        "Le dirigeant Kim Jong Un a rencontré la préfète, Mme Kerloc'h, près de la France.\n\n"
        "Un incendie a touché la société Agrisol Atlantique. Selon le ministre des Affaires étrangères, "
        "la visite de Kim Jong-un était attendue."
    )
    [a] = analyse_texts({"t": text})
    names = [m.text for m in a.mentions]
    assert "Kim Jong Un" in names  # "Un" is not read as the article
    assert "Kim Jong-un" in names  # not cut at the hyphen
    assert "Mme Kerloc'h" in names  # the honorific belongs to the name; not cut at the apostrophe
    assert "France" in names and "la France" not in names
    assert not any(n.startswith("ministre") for n in names)
    assert next(m for m in a.mentions if m.text == "Agrisol Atlantique").label == "ORG"
    for m in a.mentions:
        assert "\n" not in m.text


def test_odd_text_does_not_crash(nlp):
    arts = analyse_texts({"odd": "« » ((( 31 février 12kg M. Mme\n\n\nLe 3e…", "one": "Ok."}, langs={"one": "fr"})
    assert all(isinstance(a.tokens, list) for a in arts)
    assert analyse([], Config()) == ([], [])


def test_common_words_come_from_the_model_vocabulary(nlp):
    from recoupe.analyse import common_words

    common = common_words(Config().analysis.spacy_models["fr"])
    for word in ("homme", "exploitation", "investiture", "estimez", "interrogée"):
        assert common(word), word
    for word in ("paris", "obama", "natixis", "villebrune", "kerloc'h"):
        assert not common(word), word


def test_capitalised_common_words_are_no_entities(nlp):
    """A common word capitalised because it opens a sentence, or a "person" after a determiner, is
    no name; the same word capitalised inside a sentence elsewhere in the article is one."""
    [a, b] = analyse_texts({
        "a": ("Le conseil municipal de Villebrune s'est réuni lundi.\n\n"
              "Exploitation : la carrière du Haut-Vallon rouvrira en mars, a annoncé le maire Antoine Delcour. "
              "Investiture : le nouveau préfet prendra ses fonctions lundi. "
              "Place à la fête et aux lumières d'une foule immense cernant la place du marché. "
              "Les associations de défense des droits de l'Homme ont protesté.\n"),
        "b": ("Le journal Libération a publié lundi une enquête sur le port de Villebrune.\n\n"
              "Libération affirme que les travaux ont pris du retard. Pierre Martin a confirmé l'information.\n"),
    })
    names = {m.text for m in a.mentions}
    assert not names & {"Exploitation", "Investiture", "Place", "Homme"}, names
    assert {"Villebrune", "Haut-Vallon", "Antoine Delcour"} <= names
    # capitalised inside a sentence too: a name, also where it opens one
    assert [m.text for m in b.mentions if m.label == "ORG"] == ["Libération", "Libération"]
    assert "Pierre Martin" in {m.text for m in b.mentions}


def test_acronym_spelled_out_is_one_name(nlp):
    [a] = analyse_texts({"a": ("La préfecture a créé le fichier Edmée (Exploitation documentaire des menaces "
                               "et des événements) en juillet, a indiqué le ministère de l'Intérieur.\n")})
    spelled = [m.text for m in a.mentions if m.text.startswith("Exploitation")]
    assert spelled == ["Exploitation documentaire des menaces et des événements"]  # not "Exploitation" alone


def test_the_loaded_pipeline_lemmatizes_as_spacys_own(nlp):
    """``load_pipeline`` turns the French lemmatizer's word lists into sets (membership in a list of
    66,000 nouns was a sixth of spaCy's time): the lemmas and tags of a real article are spaCy's own."""
    import spacy

    from recoupe.analyse import load_pipeline

    ours = load_pipeline(Config().analysis.spacy_models["fr"])
    table = ours.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    assert all(isinstance(table[k], frozenset) for k in table)
    plain = spacy.load(Config().analysis.spacy_models["fr"])
    assert all(isinstance(v, list) for v in plain.get_pipe("lemmatizer").lookups.get_table("lemma_index").values())
    doc_ours, doc_plain = ours(KIMS), plain(KIMS)
    assert [(t.lemma_, t.pos_) for t in doc_ours] == [(t.lemma_, t.pos_) for t in doc_plain]
    assert sum(t.lemma_ != t.text.lower() for t in doc_ours) > 30  # the rules did lemmatize (46 words of this article)


def test_the_loaded_pipeline_multiplies_through_numpy_with_spacys_own_results():
    """``load_pipeline`` builds spaCy's layers on numpy's matrix products (OpenBLAS) instead of BLIS,
    which ran them 3-4x slower here: every tag, parse, lemma and name of real articles stays spaCy's
    own, and an article's analysis does not depend on the articles batched with it."""
    import spacy

    from recoupe.analyse import load_pipeline

    name = Config().analysis.spacy_models["fr"]
    ours = load_pipeline(name)
    layers = [p.model for _, p in ours.pipeline if getattr(p, "model", None) is not None]
    assert len(layers) >= 4 and all(m.ops.use_blis is False for m in layers)
    plain = spacy.load(name)
    assert plain.get_pipe("tok2vec").model.ops.use_blis is True  # thinc's default, which ours must not keep
    texts = [KIMS] + [p.read_bytes().decode("utf-8", "replace") for p in sorted((FIXTURES.parent.parent / "examples").glob("*/*.txt"))]

    def signature(doc):
        return [(t.text, t.tag_, t.pos_, t.dep_, t.head.i, t.lemma_, t.ent_iob_, t.ent_type_, t.is_sent_start) for t in doc]

    ours_batched = [signature(d) for d in ours.pipe(texts, batch_size=16)]
    assert ours_batched == [signature(d) for d in plain.pipe(texts, batch_size=16)]
    assert ours_batched == [signature(ours(t)) for t in texts]  # one at a time: the same
    assert len(texts) >= 8 and sum(len(s) for s in ours_batched) > 3000


def test_a_dash_apposition_or_a_glued_participle_ends_a_name(nlp):
    """"Leonetti - député-maire" and "Leonetti Votée" were person names (RPM2 T09_C1), so the bare
    "Leonetti" of other outlets had three full names to choose from and joined none."""
    [a] = analyse_texts({"a": "En France, la loi Leonetti Votée en 2005 fixe les règles. Le député Leonetti - député-maire "
                              "UMP d'Antibes - a répliqué à Bernard Kouchner. Marie-Thérèse Aubry est venue."}, langs={"a": "fr"})
    people = [m.text for m in a.mentions if m.label == "PER"]
    assert people.count("Leonetti") == 2 and "Bernard Kouchner" in people and "Marie-Thérèse Aubry" in people


def test_common_words_are_no_part_of_a_persons_name(nlp):
    """"Enrique gafas", "mère d'Algérie", "Icône électroménagère" were people (RPM2): a lower-case word after
    a space ends a name, and a name never opens on a lower-case noun; particles and glued parts stay."""
    people = []
    for text in ("Les moines ont prié devant le temple. Enrique gafas, le chef des gardiens, a été arrêté.",
                 "La mère d'Algérie est revenue à Marseille jeudi. Icône électroménagère, PPDA a quitté TF1.",
                 "Valéry Giscard d'Estaing a parlé. Kim Jong-un est arrivé. Jean de La Fontaine écrivait."):
        [a] = analyse_texts({"a": text}, langs={"a": "fr"})
        people += [m.text for m in a.mentions if m.label == "PER"]
    assert people == ["Enrique", "PPDA", "Valéry Giscard d'Estaing", "Kim Jong-un", "Jean de La Fontaine"]
