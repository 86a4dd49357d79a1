"""Interval, grouping, quote and reprint logic on hand-built objects (no other stage needed)."""

from __future__ import annotations

import numpy as np

from recoupe.compare.conflicts import MeasInfo, group_values, overlaps, same_topic
from recoupe.compare.quotes import named, same_person, same_quote, shared_quotes
from recoupe.compare.reuse import shared_runs
from recoupe.model import Measurement, Quote, Span


def m(text, low, high, low_open=False, high_open=False, dimension="duration", unit="h"):
    return Measurement(text=text, low=low, high=high, low_open=low_open, high_open=high_open, dimension=dimension, unit=unit,
                       span=Span(article="a", start=0, end=len(text), text=text))


def test_hedged_durations_overlap_or_not():
    environ2 = m("environ deux heures", 1.75, 2.25)
    plus2 = m("un peu plus de deux heures", 2.0, 2.5, low_open=True)
    plus4 = m("plus de quatre heures", 4.0, None, low_open=True)
    pres6 = m("près de six heures", 5.4, 6.0)
    assert overlaps(environ2, plus2)
    assert not overlaps(environ2, plus4)
    assert not overlaps(environ2, pres6)
    assert overlaps(plus4, pres6)  # (4, inf) holds 6


def test_open_bounds_touching():
    assert not overlaps(m("plus de 60", 60, None, low_open=True), m("60", 60, 60))
    assert overlaps(m("au moins 60", 60, None), m("60", 60, 60))
    assert not overlaps(m("moins de 2 km", 0, 2000, high_open=True, dimension="length", unit="m"), m("2 km", 2000, 2000, dimension="length", unit="m"))


def test_same_value_written_differently_is_one_group():
    a = MeasInfo(m=m("1,5 million", 1.5e6, 1.5e6, dimension="count", unit=""), art=0, claim=0)
    b = MeasInfo(m=m("un million et demi", 1.5e6, 1.5e6, dimension="count", unit=""), art=1, claim=1)
    c = MeasInfo(m=m("deux millions", 2e6, 2e6, dimension="count", unit=""), art=2, claim=2)
    groups = group_values([a, b, c])
    assert sorted(map(sorted, groups)) == [[0, 1], [2]]


def test_topic_needs_shared_words_or_one_fact():
    truck = MeasInfo(m=m("12 tonnes", 12, 12, dimension="mass", unit="t"), art=0, claim=0, thing={"camio"}, action={"sorti"})
    stock = MeasInfo(m=m("800 tonnes", 700, 900, dimension="mass", unit="t"), art=1, claim=1, thing={"engra", "bâtim"}, action={"abrit"})
    assert not same_topic(truck, stock, same_fact=False, claim_cos=0.95, alone=True)
    talks_a = MeasInfo(m=m("environ deux heures", 1.75, 2.25), art=0, claim=0, thing={"discu"}, action={"durer"})
    talks_b = MeasInfo(m=m("près de six heures", 5.4, 6), art=1, claim=1, thing={"discu"}, action={"durer"})
    assert same_topic(talks_a, talks_b, same_fact=False, claim_cos=0.9, alone=False)
    assert not same_topic(talks_a, talks_b, same_fact=False, claim_cos=0.7, alone=False)
    clock = MeasInfo(m=m("vers 23 heures", 22.5, 23.5, dimension="time"), art=1, claim=1, thing={"discu"}, action={"durer"})
    assert not same_topic(talks_a, clock, same_fact=True, claim_cos=0.99, alone=True)  # clock time vs duration


def test_quote_matching():
    full = "Il n'y a, à ce stade, aucun danger pour la santé des habitants, mais nous restons extrêmement prudents"
    assert same_quote(full, "aucun danger pour la santé des habitants", 0.0)  # truncated
    assert same_quote("C'est pour cela que nous sommes venus ici", "C’est pour cela que nous sommes venus ici", 0.0)
    assert not same_quote("Nous serons toujours aux côtés de la Russie", "Toutes nos installations étaient aux normes", 0.5)
    assert not same_quote("tremplin", "tremplin vers", 0.99)


def test_speakers():
    assert same_person("Peskov", "Dmitri Peskov")
    assert not same_person("Pierre Le Goff", "Jean-Marc Le Goff")
    assert named("Dmitri Peskov") and named("Jean-Marc Le Goff")
    assert named("le président russe") is None


def _q(text, speaker, article, outlet):
    return Quote(text=text, speaker=speaker, kind="direct", outlet=outlet, span=Span(article=article, start=0, end=len(text), text=text))


def test_conflicting_attribution_and_shared_quote():
    qs = [
        _q("Il n'y a pas de secret, nous coopérons avec nos voisins dans tous les domaines", "Sergueï Lavrov", "rfi", "RFI"),
        _q("Il n'y a pas de secret, nous coopérons avec nos voisins dans tous les domaines", "Dmitri Peskov", "rc", "Radio-Canada"),
        _q("Aucun accord n'a été signé et aucun n'était prévu", "Dmitri Peskov", "de", "La Dépêche"),
        _q("Aucun accord n'a été signé et aucun n'était prévu", "Peskov", "jq", "Le Journal"),
        _q("Nous serons toujours aux côtés de la Russie", "Kim Jong-un", "rc", "Radio-Canada"),
    ]
    shared, conflicts, _ = shared_quotes(qs, np.zeros((len(qs), 4), dtype=np.float32))
    assert len(shared) == 2
    speakers = sorted(str(s.speaker) for s in shared)
    assert speakers == ["Dmitri Peskov", "None"]
    assert len(conflicts) == 1 and conflicts[0].kind == "attribution"
    assert sorted(g.value for g in conflicts[0].groups) == ["Dmitri Peskov", "Sergueï Lavrov"]


def test_reprint_runs_survive_one_changed_word():
    base = ("les discussions ont porté sur des questions sensibles qui n'ont pas vocation à être rendues publiques "
            "a ajouté le porte parole du kremlin lors de son point presse quotidien avec les journalistes").split()
    other = [w if w != "kremlin" else "gouvernement" for w in base]
    runs = shared_runs(["intro", "propre"] + base, ["autre", "chapeau", "ici"] + other)
    assert len(runs) == 1 and runs[0][4] == len(base) - 1
    assert shared_runs("un deux trois quatre cinq".split(), "un deux trois quatre cinq".split()) == []  # < 8 words


def test_odd_input_never_crashes():
    from conftest import analyse_texts

    from recoupe.compare import compare
    from recoupe.entities import link_entities
    from recoupe.extract import extract

    arts = analyse_texts({"a": "« Guillemets non fermés. Le 31 février 2023, 12km à pied ; et", "b": "Rien."})
    ents = link_entities(arts)
    comp = compare(arts, ents, extract(arts, ents))
    assert all(f.status == "exclusive" or len(f.outlets) > 1 for f in comp.facts)
    single = compare(arts[:1], ents, extract(arts[:1], ents))
    assert all(f.status == "all" for f in single.facts)  # one outlet: nothing is exclusive
    assert compare([], ents, []).facts == []


def test_event_phrase_names_what_a_date_dates(analysed):
    from recoupe.compare.claims import clean_offset
    from recoupe.compare.conflicts import event_phrase

    arts = analysed({
        "a": "Le train blindé de Kim Jong-un avait franchi la frontière russe dès le 11 septembre, selon Moscou.",
        "b": "Le 12 septembre, les deux dirigeants ont visité le cosmodrome de Vostotchny.",
        "c": "Mardi, après une longue réunion avec les syndicats et les représentants de tous les partis de la majorité et de l'opposition réunis au ministère, rien.",
    })
    by = {a.id: a for a in arts}

    def phrase(art_id: str, date_text: str) -> str | None:
        a = by[art_id]
        s = a.article.text.index(date_text)
        return event_phrase(a, clean_offset(a, s), clean_offset(a, s + len(date_text)), {"être", "avoir"})

    assert phrase("a", "11 septembre") == "avait franchi la frontière russe"
    assert phrase("b", "12 septembre") == "ont visité le cosmodrome de Vostotchny"
    assert phrase("c", "Mardi") is None  # no verb to name the event briefly


def test_a_claim_keeps_the_opening_quote_mark(analysed):
    from recoupe.compare.claims import split_claims
    from recoupe.model import EntityIndex

    arts = analysed({"a": "« Aucun accord n'a été signé et aucun n'était prévu », a indiqué jeudi à la presse "
                          "le porte-parole du Kremlin, Dmitri Peskov."})
    claims = split_claims(arts[0], 0, EntityIndex(entities=[], by_mention={}))
    assert claims and claims[0].claim.text.startswith("« Aucun accord")
