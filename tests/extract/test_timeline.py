"""The timeline: one event per happening and date, whichever way each outlet wrote the date."""

from __future__ import annotations

from recoupe.extract.dates import anchor_dates, find_dates
from recoupe.extract.timeline import build_timeline
from recoupe.model import Claim, Comparison, Conflict, Extraction, Fact, ValueGroup


def _timeline(arts, config, comparison=None):
    exs = [Extraction(a.id, dates=find_dates(a, config)) for a in arts]
    anchor_dates(arts, exs, config)
    return build_timeline(arts, exs, config, comparison)


def _claim(art, sub: str) -> Claim:
    """The claim of an article that is its sentence holding ``sub`` (original offsets)."""
    text = art.article.doc.text
    i = text.index(sub)
    s = next(s for s in art.sentences if art.article.original(s.start, s.end)[0] <= i < art.article.original(s.start, s.end)[1])
    span = art.article.span(s.start, s.end)
    return Claim(id=f"{art.id}#{s.index}", article=art.id, outlet=art.outlet, text=span.text, span=span, sentence=s.index)


def _events_of(timeline, outlet):
    return [e for e in timeline if outlet in e.outlets]


def test_one_happening_told_with_the_same_verb_is_one_event(analysed, config):
    arts = analysed(
        {"dep": "Kim Jong Un, arrivé mercredi matin après un long voyage en train blindé depuis Pyongyang, a été accueilli par Vladimir Poutine.",
         "rfi": "Vladimir Poutine a accueilli mercredi son invité nord-coréen Kim Jong Un au cosmodrome de Vostotchny, dans l'Extrême-Orient russe."},
        dates={"dep": "2023-09-14", "rfi": "2023-09-13"},
    )
    (ev,) = [e for e in _timeline(arts, config) if e.date == "2023-09-13"]
    assert set(ev.outlets) == {"dep", "rfi"}


def test_synonyms_make_one_event(analysed, config):
    # "le feu" / "un incendie" (where the parser takes "violent" for the subject's head)
    arts = analysed(
        {"a": "Le feu s'est déclaré dans la nuit de samedi à dimanche dans un hangar agricole de la coopérative, classé Seveso seuil haut.",
         "b": "Un violent incendie s'est déclaré dans la nuit de samedi à dimanche dans un entrepôt de la société Céréalis, à Montval-sur-Loir."},
        dates={"a": "2024-06-10", "b": "2024-06-09"},
    )
    (ev,) = _timeline(arts, config)
    assert ev.date == "2024-06-08/2024-06-09" and set(ev.outlets) == {"a", "b"}


def test_different_happenings_of_one_day_stay_apart(analysed, config):
    arts = analysed(
        # one verb of saying, two words in common (milliards, euros), two speakers: two statements
        {"a": "Le gouvernement a déclaré mardi un plan de soutien de dix milliards d'euros pour les banques et les assureurs.",
         "b": "La Société générale a déclaré mardi des pertes de deux milliards d'euros sur ses activités de marché.",
         "c": "Les deux écoles de la commune sont restées fermées mardi par précaution."},
        dates={"a": "2024-03-06", "b": "2024-03-06", "c": "2024-03-06"},
    )
    timeline = _timeline(arts, config)
    assert len(timeline) == 3 and all(len(e.outlets) == 1 for e in timeline)


def test_a_day_inside_a_night_joins_it_when_the_claims_are_one_fact(analysed, config):
    arts = analysed(
        {"apo": "Un incendie s'est déclaré dans la nuit de lundi à mardi dans un entrepôt d'engrais de la commune.",
         "qn": "L'entrepôt d'engrais a brûlé peu après 2 heures du matin, mardi 5 mars, au grand dam des riverains."},
        dates={"apo": "2024-03-05", "qn": "2024-03-06"},
    )
    apart = _timeline(arts, config)
    assert {e.date for e in apart} == {"2024-03-04/2024-03-05", "2024-03-05"}
    claims = [_claim(arts[0], "Un incendie"), _claim(arts[1], "L'entrepôt")]
    fact = Fact(id="f1", text=claims[0].text, status="all", outlets=["apo", "qn"], claims=[c.span for c in claims])
    (ev,) = _timeline(arts, config, Comparison(claims=claims, facts=[fact]))
    assert ev.date == "2024-03-04/2024-03-05" and ev.precision == "range" and set(ev.outlets) == {"apo", "qn"}


def test_an_undated_report_of_a_happening_joins_through_a_place_conflict(analysed, config):
    arts = analysed(
        {"rc": "Le 13 septembre, Vladimir Poutine a reçu Kim Jong-un au cosmodrome. Les deux dirigeants ont ensuite pris part "
               "à un banquet organisé le soir même à Vladivostok.",
         "cm": "Vladimir Poutine a reçu Kim Jong-un au cosmodrome. Le sommet s'est conclu par un dîner officiel offert au cosmodrome même."},
        dates={"rc": "2023-09-14", "cm": "2023-09-14"},
    )
    rc, cm = arts
    banquet, dinner = _claim(rc, "Les deux dirigeants"), _claim(cm, "Le sommet")
    place = Conflict(topic="dîner", kind="place", groups=[
        ValueGroup(value="Vladivostok", outlets=["rc"], spans=[rc.article.span(*_clean(rc, "Vladivostok"))]),
        ValueGroup(value="cosmodrome même", outlets=["cm"], spans=[cm.article.span(*_clean(cm, "cosmodrome même"))]),
    ])
    alone = [e for e in _timeline(arts, config) if "banquet" in e.text]
    assert [e.outlets for e in alone] == [["rc"]]
    (ev,) = [e for e in _timeline(arts, config, Comparison(claims=[banquet, dinner], conflicts=[place])) if "banquet" in e.text]
    assert ev.date == "2023-09-13" and ev.outlets == ["rc", "cm"]
    assert any(sp.article == "cm" and "dîner officiel" in sp.text for sp in ev.spans)


def _clean(art, sub: str) -> tuple[int, int]:
    i = art.article.text.index(sub)
    return i, i + len(sub)


def test_bad_comparison_input_never_breaks_the_timeline(analysed, config):
    (art,) = analysed({"a": "Le président a été reçu mercredi à l'Élysée pour une visite d'État."}, dates={"a": "2024-03-14"})
    odd = Comparison(conflicts=[Conflict(topic="x", kind="place", groups=[ValueGroup(value="?", outlets=[], spans=[])])])
    (ev,) = _timeline([art], config, odd)
    assert ev.date == "2024-03-13"


def test_a_date_outside_the_main_clause_is_shown_with_the_clause_that_holds_it(analysed, config):
    arts = analysed(
        {"a": "Lui qui est entré à la télévision publique en 1975, à une époque où le pouvoir choisissait les "
              "présentateurs, trouve que l'arrivée des chaînes privées a changé la donne."},
        dates={"a": "2008-07-10"},
    )
    (ev,) = [e for e in _timeline(arts, config) if e.date == "1975"]
    (span,) = ev.spans
    assert "en 1975" in span.text and span.text.startswith("Lui qui est entré")
    assert arts[0].article.doc.text[span.start : span.end] == span.text  # the exact words of the article


def test_a_long_clause_is_cut_after_a_comma_not_inside_a_phrase(analysed, config):
    arts = analysed(
        {"a": "Les dirigeants de la banque ont démissionné dimanche soir. "
              "Président du directoire de la Caisse nationale des Caisses d'Epargne (CNCE), l'organe central de "
              "l'Ecureuil, Charles Milhaud, 65 ans, a effectué l'ensemble de sa carrière au sein du groupe "
              "mutualiste qu'il dirige depuis 1999."},
        dates={"a": "2008-10-20"},
    )
    (ev,) = [e for e in _timeline(arts, config) if e.date == "1999"]
    assert ev.spans[0].text.startswith("Charles Milhaud, 65 ans, a effectué"), ev.spans[0].text


def test_a_sentence_of_few_words_and_many_marks_keeps_its_event(analysed, config):
    # (RPM2 T02_C1_05's shape: over 25 tokens with its brackets and commas, under 25 words; the event was lost)
    arts = analysed({"a": "Le parcours du nouveau directeur. Titulaire d'un diplôme de l'Institut supérieur de gestion (ISG), "
                          "elle fait ses classes chez Renault et à la Caisse des Dépôts, avant d'intégrer l'Ecureuil en 1988."})
    events = [e for e in _timeline(arts, config) if e.date == "1988"]
    assert events and "1988" in events[0].text


def test_a_sentence_the_parser_joins_to_the_one_before_keeps_its_words(analysed, config):
    # (RPM2 T02_C2_01's shape: the parser reads the name as the object of the sentence before, so the
    # sentence has no root of its own; its event was the name alone, "Charles Milhaud")
    arts = analysed({"a": "Jean Dumas conserve à ce stade la présidence du conseil de surveillance d'Océor, filiale de "
                          "l'Ecureuil sur l'outre-mer, a indiqué samedi une porte-parole d'Océor.\n"
                          "Charles Milhaud, président du directoire de la Caisse d'Epargne depuis 1999, avait annoncé sa "
                          "démission le 19 octobre, à la suite de la perte de 751 millions d'euros."})
    events = [e for e in _timeline(arts, config) if e.date == "1999"]
    assert events and "avait annoncé sa démission" in events[0].text
