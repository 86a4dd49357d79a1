"""Quotes, terms, indirect speech and speakers on real French news prose."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import analyse_texts
from recoupe.config import Config
from recoupe.entities import link_entities
from recoupe.extract.quotes import find_quote_marks, find_quotes, normalise_name

ROOT = Path(__file__).resolve().parents[2]


def quotes_of(text: str, outlet: str = "Test"):
    arts = analyse_texts({"a": text}, outlets={"a": outlet})
    return find_quotes(arts[0], link_entities(arts), Config()), arts[0]


def one(qs, text):
    found = [q for q in qs if q.text == text]
    assert found, f"{text!r} not in {[q.text for q in qs]}"
    return found[0]


def test_guillemets_incise_and_span():
    qs, a = quotes_of(
        "Le président russe Vladimir Poutine a reçu mercredi son homologue. "
        "« Je suis très heureux de vous voir », a déclaré M. Poutine devant la presse."
    )
    q = one(qs, "Je suis très heureux de vous voir")
    assert q.kind == "direct" and q.speaker == "Vladimir Poutine" and q.cue == "déclarer"
    assert a.article.doc.text[q.span.start:q.span.end] == q.text
    assert q.speaker_span is not None and "Poutine" in q.speaker_span.text


def test_split_quote_gives_two_pieces_same_speaker():
    qs, _ = quotes_of(
        "Le secrétaire général de l'Alliance, Jens Stoltenberg, a pris la parole. "
        "« L'incertitude est une faiblesse », a-t-il insisté, « et nous en parlerons ouvertement lors du sommet »."
    )
    a = one(qs, "L'incertitude est une faiblesse")
    b = one(qs, "et nous en parlerons ouvertement lors du sommet")
    assert a.speaker == b.speaker == "Jens Stoltenberg"
    assert b.kind == "direct"


def test_curly_and_straight_quotes():
    qs, _ = quotes_of(
        "“Une coordination non maîtrisée pourrait être contre-productive”, a justifié Mustapha Baitas. "
        "\"Les gens ont besoin d'argent maintenant, pas dans six mois\", a insisté Rachel Bouillet."
    )
    assert one(qs, "Une coordination non maîtrisée pourrait être contre-productive").speaker == "Mustapha Baitas"
    assert one(qs, "Les gens ont besoin d'argent maintenant, pas dans six mois").speaker == "Rachel Bouillet"


def test_pronoun_resolves_to_subject_person_of_right_gender():
    qs, _ = quotes_of(
        "L'Olympique lyonnais a limogé son entraîneur, Laurent Blanc. Le président du club, John Textor, "
        "a expliqué sa décision. « Laurent a beaucoup donné à ce club, mais les résultats ne sont pas là », "
        "a-t-il déclaré. La capitaine Wendie Renard a réagi sur Instagram. "
        "« Il a toujours soutenu la section féminine », a-t-elle souligné."
    )
    assert one(qs, "Laurent a beaucoup donné à ce club, mais les résultats ne sont pas là").speaker == "John Textor"
    assert one(qs, "Il a toujours soutenu la section féminine").speaker == "Wendie Renard"


def test_role_title_resolved_by_apposition_elsewhere():
    qs, _ = quotes_of(
        "Le président ukrainien Volodymyr Zelensky a dénoncé la décision de l'Otan. "
        "« Il semble qu'il n'y ait aucune volonté d'inviter l'Ukraine », a écrit le président ukrainien sur Telegram."
    )
    assert one(qs, "Il semble qu'il n'y ait aucune volonté d'inviter l'Ukraine").speaker == "Volodymyr Zelensky"


def test_unnamed_speaker_keeps_description_and_unknown_is_none():
    qs, _ = quotes_of(
        "La fumée a envahi le bourg. « On a été réveillés par les sirènes, puis par l'odeur », "
        "raconte un riverain, qui habite près de l'usine.\n\n"
        "« Personne ne sait ce qui a brûlé dans cet entrepôt depuis des années. »\n\n"
        "Les pompiers sont restés sur place toute la nuit. Le site était classé Seveso.\n\n"
        "« Ce n'est pas la première alerte. »"
    )
    q = one(qs, "On a été réveillés par les sirènes, puis par l'odeur")
    assert q.speaker == "un riverain" and q.speaker_entity is None
    # a paragraph that is only a quote, right after the riverain's quote, goes on with his words
    lone = one(qs, "Personne ne sait ce qui a brûlé dans cet entrepôt depuis des années")
    assert lone.speaker == "un riverain" and lone.cue == "continuation"
    # a free-standing quote after narrative with no speaker and nobody named: nobody is guessed
    assert one(qs, "Ce n'est pas la première alerte").speaker is None


def test_scare_quotes_are_terms_with_attributed_speaker():
    qs, _ = quotes_of(
        "Le sommet a été présenté comme un « tremplin » pour la coopération. "
        "La Première ministre, Élisabeth Borne, a dénoncé un « passage en force » de l'opposition."
    )
    t = one(qs, "tremplin")
    assert t.kind == "term" and t.speaker is None
    p = one(qs, "passage en force")
    assert p.kind == "term" and p.speaker == "Élisabeth Borne"


def test_indirect_que_selon_pour_and_trailing_incise():
    qs, _ = quotes_of(
        "Le porte-parole du Kremlin, Dmitri Peskov, a indiqué jeudi à la presse que M. Poutine avait accepté une invitation. "
        "Selon Météo-France, de nouvelles précipitations sont attendues jeudi. "
        "La piste criminelle n'est pas exclue, d'après une source proche du dossier. "
        "Pour les hydrologues, le risque de nouvelles crues reste élevé. "
        "Le député Olivier Marleix a commenté la motion. Son groupe ne votera pas la motion, a-t-il confirmé. "
        "Pour la première fois, le fleuve a débordé en hiver."
    )
    a = one(qs, "M. Poutine avait accepté une invitation")
    assert a.kind == "indirect" and a.speaker == "Dmitri Peskov" and a.cue == "indiquer"
    assert one(qs, "de nouvelles précipitations sont attendues jeudi").speaker == "Météo-France"
    assert normalise_name(one(qs, "La piste criminelle n'est pas exclue").speaker) == "source proche du dossier"
    assert one(qs, "le risque de nouvelles crues reste élevé").speaker == "les hydrologues"
    assert one(qs, "Son groupe ne votera pas la motion").speaker == "Olivier Marleix"
    assert not any("le fleuve a débordé" in q.text for q in qs)  # "pour la première fois" is no source


def test_quote_over_two_paragraphs_and_nested_marks():
    text = (
        "Le ministre Gérald Darmanin s'est rendu sur place. « Je veux dire aux sinistrés : vous ne serez pas seuls.\n\n"
        "« Les fonds d'urgence seront débloqués dès cette semaine », a ajouté Gérald Darmanin.\n\n"
        "Un agriculteur raconte. \"Mon père me disait : « la rivière reprend ce qu'on lui prend ». Il avait raison\", glisse-t-il."
    )
    qs, _ = quotes_of(text)
    long = [q for q in qs if q.text.startswith("Je veux dire")]
    assert long and "Les fonds d'urgence" in long[0].text and long[0].speaker == "Gérald Darmanin"
    nested = [q for q in qs if q.text.startswith("Mon père")]
    assert nested and "Il avait raison" in nested[0].text
    assert not any(q.text.startswith("la rivière") for q in qs)  # nested marks are part of the outer quote


def test_a_statement_printed_over_several_paragraphs_between_one_pair_of_marks():
    text = (
        "Voici le communiqué de Patrick Poivre d'Arvor, transmis à l'AFP :\n"
        "\"Je prends acte de la décision de TF1 de m'écarter de la présentation du journal.\n"
        "J'ai eu la surprise d'apprendre cette décision lundi.\n"
        "Je remercie tous les téléspectateurs de m'avoir accordé leur confiance\".\n"
        "La direction de la chaîne n'a pas commenté.\n"
        "\"Nous verrons bien.\n"
        "Un porte-parole a parlé d'une \"décision mûrie\"."
    )
    qs, _ = quotes_of(text)
    statement = [q for q in qs if q.text.startswith("Je prends acte")]
    assert statement and statement[0].text.endswith("leur confiance") and statement[0].kind == "direct"
    assert statement[0].speaker == "Patrick Poivre d'Arvor"
    # a mark that opens a paragraph and never closes before other marks does not run on
    assert all("Un porte-parole" not in q.text for q in qs)


def test_never_closing_quote_is_capped_at_paragraph():
    text = "Le maire a parlé. « Nous ferons tout pour les familles, a-t-il dit sans fermer.\n\nLe second paragraphe est neutre et long."
    marks = find_quote_marks(text, [(0, text.index("\n\n")), (text.index("\n\n") + 2, len(text))])
    assert marks and marks[0][3] <= text.index("\n\n")
    qs, _ = quotes_of(text)
    assert all("second paragraphe" not in q.text for q in qs)


@settings(max_examples=25, deadline=None)
@given(st.text(alphabet="«»“”‹›\"' abcé,.:;!?\n-AéMtil", max_size=120))
def test_odd_text_never_crashes(junk):
    qs, _ = quotes_of("Le maire a dit « bonjour ». " + junk)
    for q in qs:
        assert q.span.start <= q.span.end


def _load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_gold_fixture_recall_and_speakers():
    """The dev gold articles: most quotes found with the right speaker (figures in docs/benchmarks.md)."""
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from quotes_eval import evaluate

    g = _load(ROOT / "tests/fixtures/quotes/gold.yaml")
    arts = {k: v for k, v in g["articles"].items() if v["split"] == "dev"}
    texts = {k: (ROOT / "tests/fixtures/quotes" / v["file"]).read_text(encoding="utf-8") for k, v in arts.items()}
    analysed = analyse_texts(texts, outlets={k: v["outlet"] for k, v in arts.items()})
    ents = link_entities(analysed)
    preds = {a.id: find_quotes(a, ents, Config()) for a in analysed}
    res = evaluate([q for q in g["quotes"] if q["article"] in arts], preds, texts)[0.3]
    assert res["all"][2] >= 0.85, res
    assert res["speaker"][0] >= 0.9, res


def _evaluate(gold_path: Path, split: str | None = None):
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from quotes_eval import evaluate

    g = _load(gold_path)
    arts = {k: v for k, v in g["articles"].items() if split is None or v["split"] == split}
    texts = {k: (gold_path.parent / v["file"]).read_text(encoding="utf-8") for k, v in arts.items()}
    analysed = analyse_texts(texts, outlets={k: v["outlet"] for k, v in arts.items()})
    # entities linked per article, as bench/quotes_eval.py does: each gold article is its own event
    preds = {a.id: find_quotes(a, link_entities([a]), Config()) for a in analysed}
    return evaluate([q for q in g["quotes"] if q["article"] in arts], preds, texts)[0.3]


def test_heldout2_speakers():
    """The second set, tuned on in round 3 (was 0.68 speaker accuracy when unseen): 1.00 (46/46)
    and 1.00 detection F1 after round 3; the bar sits a little lower."""
    res = _evaluate(ROOT / "tests/fixtures/quotes/heldout2/gold.yaml")
    assert res["all"][2] >= 0.95, res
    assert res["speaker"][0] >= 0.9, res


def test_heldout3_speakers():
    """The third set (written before round 3; 0.74 speaker accuracy while unseen), tuned on in
    round 4: 1.00 (48/48) and 1.00 detection F1; the bar sits a little lower."""
    res = _evaluate(ROOT / "tests/fixtures/quotes/heldout3/gold.yaml")
    assert res["all"][2] >= 0.95, res
    assert res["speaker"][0] >= 0.90, res


def test_heldout4_speakers():
    """The fourth set (written before round 4, never tuned on): 0.61 speaker accuracy (46/76)
    before round 4, 0.63 (48/76) after, 0.99 detection F1; the bar sits a little lower."""
    res = _evaluate(ROOT / "tests/fixtures/quotes/heldout4/gold.yaml")
    assert res["all"][2] >= 0.95, res
    assert res["speaker"][0] >= 0.58, res


def _speakers(text: str) -> dict[str, str | None]:
    qs, _ = quotes_of(text)
    return {q.text[:20]: q.speaker for q in qs}


def test_description_ends_before_lors_and_role_resolves():
    """"a insisté le directeur lors d'un point presse": the description stops at "lors" (tagged an
    adverb) and "le directeur" is the director named before."""
    by = _speakers(
        "Le directeur de la clinique, Bernard Fauvel, reconnaît une situation difficile. "
        "« Aucune opération n'a été annulée », a insisté le directeur lors d'une conférence de presse."
    )
    assert by["Aucune opération n'a"] == "Bernard Fauvel", by


def test_generic_role_noun_stands_for_the_specific_role():
    """"l'officier" for "le commandant X", "le dirigeant" for "le PDG, X" (ROLE_HYPERNYMS)."""
    by = _speakers(
        "« Les flammes ont progressé très vite », raconte le commandant Paul Rivière, qui dirige les secours. "
        "L'officier précise que quatre cents pompiers ont été engagés.\n\n"
        "« Il fallait réagir vite », a justifié le PDG, Alain Mercier, dans un message aux salariés. "
        "Le dirigeant y évoque « une étape difficile »."
    )
    assert by["quatre cents pompier"] == "Paul Rivière", by
    assert by["une étape difficile"] == "Alain Mercier", by


def test_verb_read_as_noun_after_postposed_adjective():
    """"Le représentant syndical juge le plan « indécent »": "juge" (tagged a noun after an
    adjective that follows its noun) is the verb; the union representative is the delegate named."""
    by = _speakers(
        "« On supprime des emplois pour verser des dividendes », dénonce Yves Perrot, délégué FO. "
        "Le représentant syndical juge le plan « indécent » au regard des résultats."
    )
    assert by["indécent"] == "Yves Perrot", by


def test_role_title_introduced_for_a_person_named_without_role():
    """"X a dénoncé ... Le député LR estime que ...": the role opens the next sentence and X was given
    no role; an unnamed "le procureur" after people who have roles stays a description."""
    by = _speakers(
        "Sur les bancs de la droite, Philippe Lemoine a dénoncé un texte « mal écrit ». "
        "Le député LR, ancien maire de Vannes, estime que la réforme arrive trop tard.\n\n"
        "« Nous ferons appel », a réagi son avocate, Me Claire Blanc. "
        "Le procureur a estimé que la peine était « trop légère »."
    )
    assert by["la réforme arrive tr"] == "Philippe Lemoine", by
    assert by["trop légère"] == "Le procureur", by


def test_document_stands_for_its_author():
    by = _speakers(
        "Un incendie a détruit 300 hectares de pinède mardi, selon un bilan provisoire de la préfecture. "
        "Plus de la moitié des Français sont inquiets, selon un sondage publié par l'institut Ifop."
    )
    assert by["Un incendie a détrui"] == "la préfecture", by
    assert normalise_name(by["Plus de la moitié de"]) in ("ifop", "institut ifop"), by


def test_faire_etat_de_is_a_verb_of_saying():
    by = _speakers("Le préfet du Var, Olivier Ravel, a fait état de « dégâts considérables » sur les routes.")
    assert by["dégâts considérables"] == "Olivier Ravel", by


def test_source_after_a_colon_opens_its_own_clause():
    """"X a dénoncé une « imprudence » : d'après lui, ...": the indirect speech is the clause after
    the colon, not the sentence before it."""
    qs, _ = quotes_of(
        "Le maire de Fréjus, Paul Girard, a dénoncé une « négligence » : d'après lui, le feu serait parti d'un barbecue."
    )
    q = one(qs, "le feu serait parti d'un barbecue")
    assert q.kind == "indirect" and q.speaker == "Paul Girard"
    assert not any(q.kind == "indirect" and q.text.startswith("Le maire") for q in qs), [q.text for q in qs]


def test_indefinite_person_opening_a_clause_is_a_pronoun_antecedent():
    """The parser may miss the subject ("une patiente âgée patiente depuis sept heures"): an
    indefinite person noun opening a clause is still what the next "elle" refers to."""
    by = _speakers(
        "Le directeur, Olivier Masson, a promis des renforts. "
        "Dans le hall, une patiente âgée patiente depuis six heures. "
        "« Je comprends leur colère, mais j'ai mal », confie-t-elle."
    )
    assert normalise_name(by["Je comprends leur co"]) == "patiente âgée", by


def test_present_participle_is_not_an_incise():
    """"X a indiqué suivre la situation « ... », craignant que ...": the participle clause is the
    subject's, not an incise with its own speaker."""
    by = _speakers(
        "À Tokyo, le gouvernement japonais a indiqué suivre la situation « avec une vive inquiétude », "
        "craignant que Moscou ne fournisse des missiles à Pyongyang."
    )
    assert by["avec une vive inquiét"[:20]] == "le gouvernement japonais", by


def test_quote_after_colon_takes_the_verb_of_saying_and_speaker_stays_topic():
    """"Il assure que l'entreprise a respecté la réglementation : « ... »": the speaker is the one of
    "assure", not of "a respecté"; and the speaker of a quote is what the next "il" refers to even
    when another person was named since."""
    by = _speakers(
        "Sur place, Pierre Le Goff, le directeur du site, sans lien de parenté avec le maire de la commune, "
        "Jean-Marc Le Goff, mesure sa chance. « Le vent nous a épargnés », a-t-il confié. "
        "Il assure que l'entreprise a respecté la réglementation : « Toutes nos installations étaient aux normes. »"
    )
    assert by["Toutes nos installati"[:20]] == "Pierre Le Goff", by
    assert by["Le vent nous a éparg"] == "Pierre Le Goff", by


def test_apposition_to_a_subject_is_a_subject_however_deep():
    """"Le lieutenant-colonel Éric Daniel" (Éric in apposition to "colonel", itself in apposition to
    the subject "lieutenant") is the subject a later "-t-il" refers to."""
    by = _speakers(
        "« Cela fait deux ans qu'on alerte la direction », a déclaré Thierry Guérin, de la CGT. "
        "Le lieutenant-colonel Éric Daniel, qui dirigeait les secours, a indiqué que le risque était écarté. "
        "« Le feu couve toujours sous les décombres », a-t-il expliqué à la presse."
    )
    assert by["Le feu couve toujour"] == "Éric Daniel", by


def test_epithet_and_mislabelled_surname_take_the_named_person():
    """"le technicien", "le syndicaliste" stand for the person named before; a bare surname the NER
    may tag as a place is the person named in full earlier."""
    text = (
        "À la veille du derby, l'entraîneur du FC Nantes, Antoine Kombouaré, a tenu sa conférence de presse. "
        "Le technicien a reconnu que son équipe traversait une période compliquée.\n\n"
        "« On a des blessés, mais je ne veux pas entendre parler d'excuses », a martelé Kombouaré.\n\n"
        "Sur le quai, Johann Mauger, secrétaire général de la CGT des dockers, harangue les grévistes. "
        "Le syndicaliste affirme que les salariés ne reculeront pas."
    )
    analysed = analyse_texts({"a": text}, outlets={"a": "Presse Océan"})
    qs = find_quotes(analysed[0], link_entities(analysed), Config())
    by_text = {q.text[:20]: q.speaker for q in qs}
    assert by_text["son équipe traversai"] == "Antoine Kombouaré", by_text
    assert by_text["On a des blessés, ma"] == "Antoine Kombouaré", by_text
    assert by_text["les salariés ne recu"] == "Johann Mauger", by_text


# speaker accuracy measured on the examples' answers.yaml quotes (bench/quotes_eval.py --examples)
EXAMPLE_SPEAKER_BAR = {"sommet-vladivostok": 0.75, "incendie-usine": 0.85}


@pytest.mark.parametrize("example", ["sommet-vladivostok", "incendie-usine"])
def test_examples_answers_speakers(example):
    ans_path = ROOT / "examples" / example / "answers.yaml"
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from quotes_eval import iou, locate, same_speaker

    from recoupe.pipeline import run

    _, analysis = run([ans_path.parent], Config())
    by_article = {x.article_id: x.quotes for x in analysis.extractions}
    texts = {a.id: a.article.doc.text for a in analysis.analysed}
    gold = [q for q in (_load(ans_path).get("quotes") or []) if q["article"] in by_article]
    ok, n, fails = 0, 0, []
    for g in gold:
        want = g.get("speaker") if g.get("speaker") is not None else g.get("speaker_description")
        gs = locate(texts[g["article"]], g["text"])
        hits = [q for q in by_article[g["article"]] if gs and iou(gs, (q.span.start, q.span.end)) >= 0.3]
        if not hits:
            continue
        n += 1
        q = max(hits, key=lambda q: iou(gs, (q.span.start, q.span.end)))
        if same_speaker(want, q.speaker):
            ok += 1
        else:
            fails.append(f"{g['article']}: {g['text'][:50]!r} gold={want!r} got={q.speaker!r}")
    assert n and ok / n >= EXAMPLE_SPEAKER_BAR[example], f"{ok}/{n} right speakers; wrong:\n" + "\n".join(fails)


@pytest.mark.parametrize("example", ["sommet-vladivostok", "incendie-usine"])
def test_examples_answers_quotes(example):
    ans_path = ROOT / "examples" / example / "answers.yaml"
    from recoupe.pipeline import run

    _, analysis = run([ans_path.parent], Config())
    by_article = {x.article_id: x.quotes for x in analysis.extractions}
    gold = [q for q in (_load(ans_path).get("quotes") or []) if q["article"] in by_article]
    found, fails = 0, []
    for g in gold:
        hits = [q for q in by_article[g["article"]] if g["text"].strip(" .") in q.text or q.text in g["text"] and len(q.text) > 0.5 * len(g["text"])]
        if hits:
            found += 1
        else:
            fails.append(f"missed {g['article']}: {g['text'][:60]!r}")
    assert found >= 0.85 * len(gold), f"{found}/{len(gold)} found:\n" + "\n".join(fails)


# ----------------------------------------------------------------------------- rounds 5-7 (new sentences, same constructions)


def test_name_apposed_to_a_pour_source_is_the_speaker():
    qs, _ = quotes_of(
        "La réforme des rythmes scolaires entre en vigueur lundi. Pour la directrice de l'école Jules-Ferry, "
        "Sandrine Leroux, la réforme « arrive beaucoup trop tard » pour les familles du quartier."
    )
    assert one(qs, "arrive beaucoup trop tard").speaker == "Sandrine Leroux"


def test_passive_cue_gives_way_to_the_sentence_source():
    qs, _ = quotes_of(
        "La présidente de l'association, Odile Dufour, était présente à l'audience. Selon elle, plusieurs "
        "plaintes ont été déposées depuis le mois de mars, « sans réponse à ce jour »."
    )
    assert one(qs, "sans réponse à ce jour").speaker == "Odile Dufour"


def test_incise_inside_one_pair_of_marks_splits_the_quote():
    qs, _ = quotes_of(
        "Le maire de Vernon, Paul Renaud, ne cache pas son amertume. "
        "« Nous avons tout essayé, explique-t-il, mais personne à la préfecture ne nous a écoutés. »"
    )
    first = one(qs, "Nous avons tout essayé")
    second = one(qs, "mais personne à la préfecture ne nous a écoutés")
    assert first.kind == second.kind == "direct"
    assert first.speaker == second.speaker == "Paul Renaud"


def test_on_speaks_for_the_group_its_sentence_opens_with():
    qs, _ = quotes_of("La route départementale reste coupée. Dans l'entourage du préfet, on assure que la circulation reprendra lundi.")
    q = one(qs, "la circulation reprendra lundi")
    assert q.kind == "indirect" and normalise_name(q.speaker) == "entourage du préfet"


def test_lone_quote_signed_in_the_next_sentence():
    qs, _ = quotes_of(
        "Le conseil municipal a voté le budget dans la nuit.\n\n"
        "« La culture ne sera pas la variable d'ajustement. » La formule est signée Marc Olivier, adjoint à la culture, "
        "qui a défendu le maintien des subventions."
    )
    assert one(qs, "La culture ne sera pas la variable d'ajustement").speaker == "Marc Olivier"


def test_a_role_title_never_stands_for_a_person_with_another_title():
    qs, _ = quotes_of(
        "L'ancien trésorier de la mairie Jean Morin a été condamné mardi à un an de prison avec sursis. "
        "Le procureur avait requis deux ans, dénonçant « un système organisé »."
    )
    q = one(qs, "un système organisé")
    assert q.speaker is not None and normalise_name(q.speaker) == "procureur"


# --------------------------------------------------------------------------- round 8-9 rules


def test_opinion_openers_read_like_pour():
    qs, _ = quotes_of(
        "Nadège Fournier, urbaniste à l'université de Tours, suit le dossier depuis dix ans. "
        "Aux yeux de la chercheuse, le projet repose sur une « illusion » de croissance. "
        "Le maire de Blois, Pascal Renard, défend le tracé. De l'aveu même du maire, il faudra « au moins cinq ans » de travaux."
    )
    assert one(qs, "illusion").speaker == "Nadège Fournier"
    assert one(qs, "au moins cinq ans").speaker == "Pascal Renard"
    assert one(qs, "il faudra « au moins cinq ans » de travaux").kind == "indirect"


def test_que_clause_opening_on_a_quote_is_indirect():
    qs, _ = quotes_of(
        "La ministre du Travail, Hélène Carpentier, était l'invitée de France Inter. "
        "Elle a promis que « chaque salarié concerné » serait reclassé avant l'été, quitte à prolonger le dispositif."
    )
    q = one(qs, "« chaque salarié concerné » serait reclassé avant l'été, quitte à prolonger le dispositif")
    assert q.kind == "indirect" and q.speaker == "Hélène Carpentier"
    assert one(qs, "chaque salarié concerné").speaker == "Hélène Carpentier"


def test_ce_subject_before_a_trailing_incise_is_not_the_speaker():
    qs, _ = quotes_of("Le collège fermera en juin. Douze kilomètres de car, c'est beaucoup trop, estiment les parents d'élèves.")
    q = one(qs, "Douze kilomètres de car, c'est beaucoup trop")
    assert q.kind == "indirect" and normalise_name(q.speaker).startswith("parents")


def test_verbs_of_saying_the_tagger_misreads():
    qs, _ = quotes_of(
        "Marc Vidal, ancien pilote, connaît bien la compagnie. M. Vidal dément que les vols aient été annulés par manque de personnel. "
        "Un retard que le syndicat SNPL juge « inacceptable » pour les passagers."
    )
    assert one(qs, "les vols aient été annulés par manque de personnel").speaker == "Marc Vidal"
    assert "SNPL" in (one(qs, "inacceptable").speaker or "")


def test_the_agent_of_an_adjectival_participle_says_the_quoted_words():
    qs, _ = quotes_of(
        "La région promet des bus supplémentaires. Une réponse jugée « dérisoire » par les associations d'usagers. "
        "Les cheminots, soutenus par les élus locaux, dénoncent un « abandon » de la ligne."
    )
    assert normalise_name(one(qs, "dérisoire").speaker).startswith("associations")
    assert normalise_name(one(qs, "abandon").speaker) == "cheminots"


def test_title_equivalents_and_titles_with_a_complement():
    qs, _ = quotes_of(
        "Le président sénégalais, Amadou Ndiaye, a reçu les syndicats jeudi. "
        "« Personne ne sera laissé de côté », a déclaré le chef de l'Etat à l'issue de la rencontre.\n\n"
        "Le PDG du groupe, Xavier Morel, était absent. Le patron de l'entreprise a assuré vendredi que les salaires seraient versés."
    )
    assert one(qs, "Personne ne sera laissé de côté").speaker == "Amadou Ndiaye"
    assert one(qs, "les salaires seraient versés").speaker == "Xavier Morel"


def test_a_body_named_then_called_by_its_kind():
    qs, _ = quotes_of(
        "Dans un communiqué, Transalp Logistique a dit « prendre acte » de la décision du tribunal. "
        "Le groupe assure avoir respecté « toutes ses obligations »."
    )
    assert one(qs, "toutes ses obligations").speaker == "Transalp Logistique"


def test_demonym_read_as_a_place_stands_for_the_person_named():
    qs, _ = quotes_of(
        "« Nous avons perdu une manche, pas la partie », a assuré la commissaire européenne, Ingrid Halvorsen. "
        "La Norvégienne a reconnu que les positions restaient « très éloignées »."
    )
    assert one(qs, "très éloignées").speaker == "Ingrid Halvorsen"


def test_incise_with_a_described_subject_inside_one_pair_of_marks():
    qs, _ = quotes_of(
        "L'entraîneur du Stade, Yannick Lebreton, est resté longtemps sur la pelouse. "
        "« On a tenu jusqu'au bout, a glissé le technicien, encore essoufflé. Les garçons ont été énormes. »"
    )
    first = one(qs, "On a tenu jusqu'au bout")
    second = one(qs, "Les garçons ont été énormes")
    assert first.speaker == second.speaker == "Yannick Lebreton"


def test_lone_quotes_signed_by_the_next_sentence():
    qs, _ = quotes_of(
        "La cour d'appel a confirmé la peine.\n\n"
        "« On a confié des vies à un logiciel que personne ne comprend. » La charge vient de Sylvie Marchand, "
        "informaticienne, qui a témoigné lundi.\n\n"
        "« On a l'impression d'être punis pour rien. » Au téléphone, la voix de Thomas Girard tremble encore."
    )
    assert one(qs, "On a confié des vies à un logiciel que personne ne comprend").speaker == "Sylvie Marchand"
    assert one(qs, "On a l'impression d'être punis pour rien").speaker == "Thomas Girard"


def test_a_quoted_term_inside_reported_speech_is_the_reporter_s():
    qs, _ = quotes_of("Du côté du rectorat, on fait valoir que les élèves iront dans un collège « parfaitement équipé ».")
    term = one(qs, "parfaitement équipé")
    assert term.kind == "term" and normalise_name(term.speaker) == "rectorat"


def test_later_sets_speakers():
    """Sets the rules were tuned on in rounds 8-15, and the two never tuned on. With the speaker ranker
    (the default since 2026-12-06; docs/benchmarks.md, "Speakers: ranker or rules"): heldout7 0.95,
    heldout8 0.94, heldout9 0.88, heldout10 0.94, heldout11 0.92, heldout12 0.92, heldout13 0.93,
    heldout14 0.96, heldout15 0.93, heldout16 0.93, heldout17 0.85, heldout18 0.84; blind heldout19
    0.81, heldout20 0.87 (the rules alone: 0.98 on heldout7 they were tuned on, 0.80 and 0.85 on the
    blind two); the bars sit a little lower, so that a regression shows."""
    for name, bar in (("heldout7", 0.93), ("heldout8", 0.92), ("heldout9", 0.85), ("heldout10", 0.88), ("heldout11", 0.90),
                      ("heldout12", 0.88), ("heldout13", 0.90), ("heldout14", 0.90), ("heldout15", 0.90),
                      ("heldout16", 0.92), ("heldout17", 0.80), ("heldout18", 0.80), ("heldout19", 0.78),
                      ("heldout20", 0.84)):
        res = _evaluate(ROOT / f"tests/fixtures/quotes/{name}/gold.yaml")
        assert res["all"][2] >= 0.93, (name, res)
        assert res["speaker"][0] >= bar, (name, res)


def test_a_name_that_qualifies_a_thing_or_sits_in_a_relative_clause_is_not_the_speaker():
    qs, _ = quotes_of(
        "Le rapport déçoit Paul Mercier, le président de l'association des usagers. "
        "Pour lui la loi Gaudin « ne change rien » : « On nous a menti pendant des mois », s'est-il indigné.\n\n"
        "« Le sauvetage a été parfait », a conclu l'ancienne otage qui a rendu hommage au président Jacques Morel."
    )
    assert one(qs, "On nous a menti pendant des mois").speaker == "Paul Mercier"
    assert one(qs, "Le sauvetage a été parfait").speaker != "Jacques Morel"


def test_a_relative_clause_after_the_subject_is_no_incise_and_an_employer_is_no_antecedent():
    qs, _ = quotes_of(
        "Le capitaine Hervé Le Guen, qui dirigeait les secours, décrit une nuit « interminable ».\n\n"
        "Pour Julie Marchal, analyste chez Orbis Finance, le plan arrive « bien tard ». "
        "« Le groupe a trop investi en 2022 », estime-t-elle."
    )
    assert one(qs, "interminable").speaker == "Hervé Le Guen"
    assert one(qs, "Le groupe a trop investi en 2022").speaker == "Julie Marchal"


def test_participle_parsed_as_subject_and_an_offer_in_quotes():
    qs, _ = quotes_of(
        "Le site fermera en juin. Contacté par franceinfo, le ministère du Travail a fait savoir qu'il suivait "
        "la situation « de très près ».\n\n"
        "M. Dupuis, le directeur du site, a assuré que chaque salarié se verrait proposer « une solution individuelle »."
    )
    assert "ministère du Travail" in (one(qs, "de très près").speaker or "")
    assert one(qs, "une solution individuelle").speaker != "chaque salarié"


def test_reported_speech_terms_do_not_depend_on_what_cleaning_removed_before():
    """Quote spans are original offsets, tokens clean ones: a caption removed before the text must
    not move the window in which a term's own verb is looked for."""
    text = "La préfète du Morbihan, Claire Jaouen, a annoncé que l'Etat demanderait une aide « dans les plus brefs délais »."
    caption = " date 2023-09 Ouvrir en mode plein écran Une digue rompue Photo : AFP / Jean Dupont\n\n"
    plain, _ = quotes_of(text)
    shifted, art = quotes_of(caption + text)
    assert len(art.article.doc.text) > len(art.article.text)  # the caption is gone from the clean text
    assert one(shifted, "dans les plus brefs délais").speaker == one(plain, "dans les plus brefs délais").speaker


def test_bodies_named_by_their_kind_noun():
    """A body's name after the noun of its kind, the NER's or not, and the kind noun (or a company
    noun for "l'entreprise") standing for it later; a fuller description for a body with no name."""
    qs, _ = quotes_of(
        "Le collectif Sauvez le lavoir, créé en mars, a annoncé qu'il allait saisir la justice. "
        "D'après le collectif, 900 personnes ont signé la pétition.\n\n"
        "Le site est exploité par le groupe Marbrier depuis 1990. L'entreprise assure que les tirs respectent "
        "« strictement » les seuils.\n\n"
        "Pour Luc Vernet, président de la fédération de chasse de la Creuse, la saison est « perdue ». "
        "La fédération a annoncé qu'elle porterait plainte."
    )
    assert one(qs, "900 personnes ont signé la pétition").speaker == "Sauvez le lavoir"
    assert one(qs, "strictement").speaker == "Marbrier"
    assert one(qs, "elle porterait plainte").speaker == "la fédération de chasse de la Creuse"


def test_the_person_a_title_line_names_is_the_lede_s_she():
    qs, _ = quotes_of(
        "Tennis : Léa Fontaine, numéro un française, met fin à sa carrière\n\n"
        "À 31 ans, la gauchère a annoncé qu'elle jouerait son dernier match en octobre. "
        "Son entraîneur, Marc Rivière, salue « une immense joueuse ».\n\n"
        "Léa Fontaine a reçu la presse dans un café de Lyon. « J'ai tout donné, je n'ai aucun regret », "
        "confie-t-elle."
    )
    assert one(qs, "elle jouerait son dernier match en octobre").speaker == "Léa Fontaine"


def test_a_quote_of_several_sentences_is_one_sentence_for_the_one_before():
    qs, _ = quotes_of(
        "Nadia Ferrand a perdu son père, Louis, 91 ans, en janvier. « On nous a dit qu'il dormait. "
        "Personne ne nous a prévenus », raconte cette ancienne comptable."
    )
    assert one(qs, "On nous a dit qu'il dormait. Personne ne nous a prévenus").speaker == "Nadia Ferrand"


def test_ner_repairs_an_age_an_acronym_in_brackets_and_a_name_cut_in_two():
    qs, art = quotes_of(
        "À l'hôpital de Lens, Jessica, 31 ans, veille son fils. « Il ne respirait plus », raconte la jeune mère.\n\n"
        "« Nous avons fait quatre-vingts sorties », détaille l'officier du service départemental d'incendie et "
        "de secours (Sdis), le commandant Yves Tanguy."
    )
    labels = {m.text: m.label for m in art.mentions}
    assert labels.get("Jessica") == "PER" and labels.get("Sdis") != "PER"
    assert one(qs, "Il ne respirait plus").speaker == "Jessica"


def test_written_signs_have_no_speaker():
    qs, _ = quotes_of(
        "Devant la mairie, les habitants découvraient une affichette : « Fermé jusqu'à nouvel ordre ». "
        "Sur la grille, un panneau prévient les promeneurs : « Eau non potable. »"
    )
    assert one(qs, "Fermé jusqu'à nouvel ordre").speaker is None
    assert one(qs, "Eau non potable").speaker is None


def test_epithets_by_qualifier_title_equivalents_and_a_missed_civil_title():
    qs, _ = quotes_of(
        "Le président malien Amadou Traoré a été reçu par le président français, Paul Girard. "
        "Son homologue malien a salué « une nouvelle étape ».\n\n"
        "Le garde des Sceaux, Henri Vasseur, s'est rendu sur place. Le ministre de la Justice a dénoncé des "
        "« violences inacceptables ».\n\n"
        "Me Léa Brunet, avocate de trois détenus, conteste cette version. « Aucun d'eux n'était là », "
        "insiste l'avocate."
    )
    assert one(qs, "une nouvelle étape").speaker == "Amadou Traoré"
    assert one(qs, "violences inacceptables").speaker == "Henri Vasseur"
    assert one(qs, "Aucun d'eux n'était là").speaker == "Léa Brunet"


def test_a_verb_before_a_colon_has_no_inverted_subject_and_a_time_opens_no_subject():
    qs, _ = quotes_of(
        "Le blocage de l'autoroute a duré toute la nuit, selon les gendarmes.\n\n"
        "A la nuit tombée, autour d'un feu, Julien, 41 ans, éleveur à Melle, résumait l'état d'esprit général : "
        "« Personne n'a envie d'être là. »\n\n"
        "Devant la prison, lundi, une surveillante résumait le sentiment de ses collègues : « On nous demande "
        "l'impossible. »"
    )
    assert one(qs, "Personne n'a envie d'être là").speaker == "Julien"
    assert one(qs, "On nous demande l'impossible").speaker == "une surveillante"


def test_a_lone_quote_after_a_quote_of_several_sentences_continues_it_and_bodies_by_acronym_or_subject():
    qs, _ = quotes_of(
        "Le blocage a duré toute la nuit.\n\n"
        "Le syndicaliste Paul Viard était en tête du cortège. « On nous ment. Les normes ne sont pas les mêmes "
        "pour tous. Ce n'est pas de la concurrence, c'est de la trahison », martèle-t-il.\n\n"
        "« Je perds de l'argent sur chaque hectare. Avec cet accord, ce sera la fin. »\n\n"
        "L'accord a suscité des critiques. Dans un communiqué, l'ONG Terres Unies, qui suit les projets miniers, "
        "a dénoncé « un habillage vert ». « On nous parle de solaire », a affirmé sa chargée de plaidoyer, "
        "Julie Fabre. L'ONG estime par ailleurs que les habitants n'ont pas été « consultés »."
    )
    assert one(qs, "Je perds de l'argent sur chaque hectare. Avec cet accord, ce sera la fin").speaker == "Paul Viard"
    assert one(qs, "consultés").speaker == "Terres Unies"


def test_an_epicene_first_name_lets_the_title_tell_the_gender():
    qs, _ = quotes_of(
        "Le préfet des Hautes-Alpes, Dominique Perrault, a reçu une délégation d'éleveurs. À l'issue de "
        "l'entretien, il a annoncé qu'un tir de défense était autorisé."
    )
    assert one(qs, "un tir de défense était autorisé").speaker == "Dominique Perrault"


def test_a_body_s_name_as_written_past_the_ner_s_cut():
    qs, _ = quotes_of(
        "À contre-courant, l'association Loups et Montagnes appelle à « garder la tête froide ». "
        "Selon Loups et Montagnes, l'argent public devrait aller aux chiens de protection.\n\n"
        "Joint par France Inter, le manager général du festival, Paul Morel, assure que les billets seront "
        "« remboursés ». Le manager a ajouté qu'une date de report était « à l'étude »."
    )
    assert one(qs, "garder la tête froide").speaker == "Loups et Montagnes"
    assert one(qs, "l'argent public devrait aller aux chiens de protection").speaker == "Loups et Montagnes"
    assert one(qs, "à l'étude").speaker == "Paul Morel"


def test_bodies_speaking_through_their_management_or_a_pronoun_and_the_title_s_club():
    qs, _ = quotes_of(
        "Ligue 2 : l'AS Villemont limoge son entraîneur\n\n"
        "L'AS Villemont a mis fin lundi au contrat de son entraîneur. Dans un communiqué, le club a annoncé que "
        "son successeur serait connu « dans les prochains jours ».\n\n"
        "La direction de Transbus défend une réorganisation « indispensable ».\n\n"
        "Le ministère de l'Intérieur a annoncé l'envoi de 200 pompiers. Il a précisé que les avions resteraient "
        "engagés « en priorité » dans l'Aude."
    )
    assert "Villemont" in (one(qs, "dans les prochains jours").speaker or "")
    assert one(qs, "indispensable").speaker == "Transbus"
    assert "ministère de l'Intérieur" in (one(qs, "en priorité").speaker or "")


def test_epithets_for_scientists_and_long_selon_phrases():
    qs, _ = quotes_of(
        "Pour Julien Sabatier, climatologue à l'université de Montpellier, la canicule « n'a plus rien "
        "d'exceptionnel ». « Les sols n'ont jamais été aussi secs », explique le chercheur.\n\n"
        "Selon l'ingénieur sanitaire de l'agence régionale de santé (ARS) entendu mardi, Patrick Lenoir, l'eau "
        "ne dépassait pas 38 degrés."
    )
    assert one(qs, "Les sols n'ont jamais été aussi secs").speaker == "Julien Sabatier"
    assert one(qs, "l'eau ne dépassait pas 38 degrés").speaker == "Patrick Lenoir"


def test_a_bishop_s_title_and_a_weekday_are_no_part_of_a_speaker():
    qs, art = quotes_of(
        "L'archevêque de Paris, Monseigneur André Vingt-Trois, a pris la parole. « La vie est un don », a-t-il dit.\n\n"
        "Lundi, le septuple vainqueur du Tour, Lance Armstrong, a écrit : « Contrôle numéro dix. »"
    )
    assert one(qs, "La vie est un don").speaker == "André Vingt-Trois"
    assert "Lundi" not in {m.text for m in art.mentions}


def test_kinds_left_out_of_the_ranker_keep_the_rules_speaker():
    """config.extract.ranked_kinds: by default ("direct", "indirect") terms between marks keep the rules'
    speaker and the ranker decides the rest as it does with every kind. On the bundled examples' quotes."""
    from recoupe.entities import link_entities
    from recoupe.extract.quotes import find_quotes
    from recoupe.pipeline import run

    _, analysis = run([ROOT / "examples" / "sommet-vladivostok", ROOT / "examples" / "incendie-usine"], Config())
    index = link_entities(analysis.analysed)

    def quotes(**extract) -> list:
        cfg = Config()
        for k, v in extract.items():
            setattr(cfg.extract, k, v)
        return [q for a in analysis.analysed for q in find_quotes(a, index, cfg)]

    rules, shipped = quotes(speakers="rules"), quotes()
    every_kind = quotes(ranked_kinds=("direct", "indirect", "term"))
    assert Config().extract.ranked_kinds == ("direct", "indirect")
    assert [q.span for q in rules] == [q.span for q in shipped] == [q.span for q in every_kind]
    terms = [k for k, q in enumerate(rules) if q.kind == "term"]
    assert len(terms) >= 3
    for k in terms:
        assert (shipped[k].speaker, shipped[k].speaker_entity) == (rules[k].speaker, rules[k].speaker_entity)
        assert shipped[k].speaker_confidence is None
    assert any(every_kind[k].speaker_confidence is not None for k in terms)
    spoken = [k for k, q in enumerate(rules) if q.kind != "term"]
    assert sum(shipped[k].speaker_confidence is not None for k in spoken) >= len(spoken) // 2  # the ranker decided them
    assert [(shipped[k].speaker, shipped[k].speaker_confidence) for k in spoken] == [(every_kind[k].speaker, every_kind[k].speaker_confidence) for k in spoken]


def test_a_period_inside_a_number_and_a_pronoun_after_selon_end_nothing():
    # "500.000": a French thousands separator is no sentence end; "selon lui de la cause": the source is "lui"
    qs, _ = quotes_of(
        "Selon un sondage Sofres de 2007 sur les religions en France, on dénombre 500.000 bouddhistes. "
        "Le ministre Bernard Kouchner a reçu le dalaï lama. Il le juge soucieux selon lui de la cause du Tibet."
    )
    sofres = one(qs, "on dénombre 500.000 bouddhistes")
    assert "Sofres" in sofres.speaker
    assert all("cause du Tibet" not in (q.speaker or "") for q in qs)


def test_a_speaker_chosen_under_the_source_threshold_is_marked_unsure():
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "fixtures" / "quotes").glob("*.txt"))}
    arts = analyse_texts(texts)
    entities, config = link_entities(arts), Config()
    qs = [q for a in arts for q in find_quotes(a, entities, config)]
    unsure = [q for q in qs if q.unsure]
    assert unsure and len(unsure) < len([q for q in qs if q.speaker])  # some guesses, not all
    for q in qs:
        low = q.speaker_confidence is not None and q.speaker_confidence < config.extract.source_min_confidence
        assert q.unsure == (q.speaker is not None and low), q


def test_a_nationality_the_ner_takes_for_a_place_is_an_epithet():
    # (RPM2 T08_C1_09's shape: "le Belge" tagged as a place was given the quote as its speaker)
    qs, _ = quotes_of(
        "Le Tour pas opposé. « Il y aura certainement une réunion avec les dirigeants du Tour de France », a annoncé Johan Bruyneel, "
        "son directeur sportif. « Dans cette optique, nous sommes contents que la direction du Tour ait changé. "
        "On part sur de nouvelles bases », a ajouté le Belge."
    )
    said = [q for q in qs if "nouvelles bases" in q.text]
    assert said and said[0].speaker == "Johan Bruyneel", [(q.text, q.speaker) for q in qs]
