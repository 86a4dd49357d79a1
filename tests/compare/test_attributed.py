"""Attributed statements are facts of the outlet that carries them, with their source; credits and
weekday dates on an invented multi-outlet story (tests/fixtures/compare/visite-etat)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from recoupe.clean import find_credit
from recoupe.compare.attributed import attribute_claims, attribution_conflicts
from recoupe.compare.claims import split_claims
from recoupe.config import Config
from recoupe.entities import link_entities
from recoupe.extract import extract
from recoupe.lang import rules_for
from recoupe.model import ClaimSource, Fact, Quote, Span
from recoupe.pipeline import run
from recoupe.render.html import render_html
from recoupe.render.markdown import render_markdown
from recoupe.render.terminal import render_terminal

STORY = Path(__file__).resolve().parents[1] / "fixtures" / "compare" / "visite-etat"


@pytest.fixture(scope="module")
def visit():
    return run([STORY], Config())


def _fact(briefing, words: str) -> Fact:
    (fact,) = [f for f in briefing.facts if any(words in s.text for s in f.claims)]
    return fact


def test_one_statement_through_two_sources_is_one_fact_with_both_sources(visit):
    b, _ = visit
    gifts = _fact(b, "échangé des cadeaux")
    assert set(gifts.outlets) == {"Le Petit Matin", "Gazette du Sud"} and gifts.status == "several"
    assert {(s.outlet, s.source, s.kind) for s in gifts.attributed_to} == {
        ("Le Petit Matin", "Sophie Marchand", "indirect"), ("Gazette du Sud", "Paul Lemoine", "indirect")}
    # two named people for one statement: an attribution conflict
    (conflict,) = [c for c in b.conflicts if c.kind == "attribution"]
    assert {g.value: g.outlets for g in conflict.groups} == {"Sophie Marchand": ["Le Petit Matin"], "Paul Lemoine": ["Gazette du Sud"]}
    assert "échangé des cadeaux" in conflict.topic


def test_selon_and_d_apres_statements_agree_on_a_fact_and_an_exclusive_keeps_its_source(visit):
    b, _ = visit
    mediation = _fact(b, "médiation")
    assert set(mediation.outlets) == {"Le Petit Matin", "Le Quotidien du Soir"}
    assert {(s.outlet, s.source, s.cue) for s in mediation.attributed_to} == {
        ("Le Petit Matin", "les agences", "selon"), ("Le Quotidien du Soir", "Élysée", "d'après")}
    accords = _fact(b, "quatre accords")
    assert accords.status == "exclusive" and accords.outlets == ["Le Quotidien du Soir"]
    assert [s.source for s in accords.attributed_to] == ["ministère des Affaires étrangères"]
    quotidien = next(c for c in b.coverage if c.outlet == "Le Quotidien du Soir")
    assert accords.id in quotidien.exclusives
    # agencies and institutions relay or speak for others: shown, never a conflict
    assert len([c for c in b.conflicts if c.kind == "attribution"]) == 1


def test_an_attribution_incise_is_not_cut_off_as_a_fact(visit):
    b, _ = visit
    assert not [f for f in b.facts if f.text.lstrip().startswith(("a affirmé", "a indiqué"))]
    gifts = _fact(b, "échangé des cadeaux")
    assert any("a affirmé Paul Lemoine" in s.text for s in gifts.claims)


def test_credits_are_removed_and_never_facts(visit):
    b, _ = visit
    removed = {a.id: [(r.kind, r.span.text) for r in a.removed if r.kind in ("caption", "credit")] for a in b.articles}
    assert removed == {
        "petit-matin": [("caption", "Ouvrir en mode plein écran Les deux présidents sur le perron de l'Élysée. "
                                    "Photo : pool/afp via getty images / Jane Doe")],
        "gazette-du-sud": [("credit", "AFP PHOTO / LUDOVIC MARIN")],
        "quotidien-du-soir": [("caption", "Le président brésilien à sa descente d'avion. LUDOVIC MARIN / POOL / AFP")],
    }
    rules = rules_for("fr")
    for f in b.facts:
        assert find_credit(f.text.strip(), rules) is None
        assert not any(w in f.text for w in ("getty", "Jane Doe", "MARIN", "POOL"))


def test_a_claim_never_covers_a_removed_credit_line(analysed, config):
    """One paragraph a line (as in RPM2): the line break kept after a sentence stands for the one
    after the removed credit, so a claim ending on it would cover the credit."""
    (art,) = analysed({"a": "Le rapport de la Commission bancaire relève de graves défaillances des contrôles internes de la banque.\n"
                            "/Photo prise le 17 octobre 2008/REUTERS/Jean-Paul Pélissier\n"
                            "Les contrôles internes de la banque ont fait preuve de graves défaillances lors des pertes de trading."})
    assert [r.kind for r in art.article.removed] == ["credit"]
    claims = split_claims(art, 0, link_entities([art], config))
    assert len(claims) == 2
    assert all("Photo" not in c.claim.text and c.claim.text == c.claim.text.strip() for c in claims)


def test_weekdays_of_month_dated_articles_are_the_day_another_outlet_gives(visit):
    b, _ = visit
    (visit_event,) = [e for e in b.timeline if e.date == "2024-03-13" and "Élysée" in e.text]
    assert set(visit_event.outlets) == {"Le Petit Matin", "Gazette du Sud", "Le Quotidien du Soir"}
    assert visit_event.anchored_by == "quotidien-du-soir"
    (concert,) = [e for e in b.timeline if "concert" in e.text]
    assert concert.date == "2024-03-13"  # "Le soir même", after the settled "mercredi"


def test_renderers_show_who_a_fact_comes_from(visit):
    b, _ = visit
    md = render_markdown(b)
    line = next(x for x in md.splitlines() if "Sophie Marchand (Le Petit Matin)" in x)
    assert line.strip().startswith("- *selon ") and "Paul Lemoine (Gazette du Sud)" in line and "— sources différentes" in line
    assert "selon ministère des Affaires étrangères (Le Quotidien du Soir)" in md
    term = render_terminal(b, width=250)
    assert "↳ selon " in term and "Sophie Marchand (Le Petit Matin)" in term
    html = render_html(b)
    cells = [c[: c.index("</span>")] for c in html.split('class="note src">selon ')[1:]]
    (cell,) = [c for c in cells if "Sophie Marchand" in c]
    assert "Sophie Marchand (Le Petit Matin)" in cell and "Paul Lemoine (Gazette du Sud)" in cell and "<strong>sources différentes</strong>" in cell


def test_each_claim_records_its_sources_with_the_relay(analysed, config):
    arts = analysed({
        "a": "Paris a proposé une médiation entre les deux pays, a indiqué jeudi le ministère des Affaires étrangères.",
        "b": "« Paris propose une médiation entre les deux pays », a déclaré jeudi le ministre Jean Morel.",
        "c": "Selon l'AFP, citant l'agence officielle KCNA, Pyongyang a accepté une médiation entre les deux pays.",
    })
    entities = link_entities(arts, config)
    extractions = extract(arts, entities, config)
    infos, claims_of = [], []
    for k, a in enumerate(arts):
        mine = split_claims(a, k, entities)
        claims_of.append(list(range(len(infos), len(infos) + len(mine))))
        infos.extend(mine)
    lemmas = [set(i.lemmas) for i in infos]
    attribute_claims(arts, infos, claims_of, extractions, entities)
    got = [[(s.source, s.kind, s.relay) for s, _ in infos[c[0]].sources] for c in claims_of]
    assert got[0] == [("ministère des Affaires étrangères", "indirect", None)]
    assert got[1] == [("Jean Morel", "direct", None)]  # a direct quote stays a quote, with its speaker
    assert got[2] == [("KCNA", "indirect", "AFP")]  # KCNA, relayed by AFP
    assert [set(i.lemmas) for i in infos] == lemmas  # aligned like any other claim, source words included


GIFTS = "Les deux dirigeants ont échangé des cadeaux"


def _claimed(outlet: str, source: str, kind: str = "person", statement: str = GIFTS, after: str = "") -> tuple[ClaimSource, Quote, str]:
    """A claim's indirect source as attribute_claims makes it, and the article text it comes from."""
    text = f"{statement}, a indiqué {source}{after}."
    span = Span(article=outlet, start=0, end=len(statement), text=statement)
    at = text.index(source, len(statement))
    who = Span(article=outlet, start=at, end=at + len(source), text=source)
    q = Quote(text=statement, speaker=source, kind="indirect", span=span, speaker_span=who, cue="indiquer", outlet=outlet)
    return ClaimSource(article=outlet, outlet=outlet, source=source, source_kind=kind, span=who, cue="indiquer"), q, text


class _Info:
    def __init__(self, source, quote):
        self.sources = [(source, quote)]


@pytest.mark.parametrize(
    "a, b, clash",
    [
        (("Sophie Marchand",), ("Paul Lemoine",), True),
        (("Sophie Marchand",), ("Paul Lemoine", "person", GIFTS[:-1] + "x lors du dîner d'État"), True),  # the same words, edited
        (("Dmitri Peskov",), ("Peskov",), False),  # one person, two names
        (("Sophie Marchand",), ("la porte-parole",), False),  # a description never clashes with a name
        (("Sophie Marchand",), ("Agence Presse Ouest", "agency"), False),  # an agency relays
        (("Sophie Marchand",), ("Paul Lemoine", "person", GIFTS, " et Jean Morel"), False),  # given to two people at once
        # two statements of one loosely aligned fact: two people may say two things
        (("Sophie Marchand",), ("Paul Lemoine", "person", "Le dîner d'État a réuni trois cents invités au palais"), False),
    ],
)
def test_attribution_conflict_rules(a, b, clash):
    (sa, qa, ta), (sb, qb, tb) = _claimed("A", *a), _claimed("B", *b)
    fact = Fact(id="f1", text="x", status="all", outlets=["A", "B"], claims=[])
    got = attribution_conflicts([fact], [[0, 1]], [_Info(sa, qa), _Info(sb, qb)], np.array([[1.0, 0.9], [0.9, 1.0]]), {"A": ta, "B": tb})
    assert bool(got) == clash



def test_a_source_the_ranker_is_unsure_of_is_marked_and_never_counted():
    """Under ``source_min_confidence`` the ranker's speakers are as often wrong as right on real news
    ("selon la polémique"): such a source stays on its fact, marked "(?)", but makes no "sources
    différentes" and no line of the provenance table."""
    from recoupe.render.common import differing_sources, sources_text

    sommet = STORY.parents[3] / "examples" / "sommet-vladivostok"
    config = Config()
    config.extract.source_min_confidence = 1.01  # every source the ranker chose is unsure
    b, _ = run([sommet], config)
    ranked = [s for f in b.facts for s in f.attributed_to if s.confidence is not None]
    assert ranked and all(s.unsure for s in ranked)
    assert all(not s.unsure for f in b.facts for s in f.attributed_to if s.confidence is None)
    fact = next(f for f in b.facts if any(s.unsure for s in f.attributed_to))
    assert f"{next(s for s in fact.attributed_to if s.unsure).source} (?)" in sources_text(fact)
    assert not any(differing_sources(f) and all(s.unsure or s.kind != "indirect" for s in f.attributed_to) for f in b.facts)
    unsure_speakers = {q.speaker for q in b.quotes if q.speaker_confidence is not None}
    counted = {p.primary for p in b.provenance}
    default, _ = run([sommet], Config())
    assert unsure_speakers & {p.primary for p in default.provenance} - counted  # counted by default, not when unsure
