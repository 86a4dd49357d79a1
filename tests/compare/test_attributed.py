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


def test_source_words_leave_the_lemmas_of_indirect_speech_only(analysed, config):
    arts = analysed({
        "a": "Paris a proposé une médiation entre les deux pays, a indiqué jeudi le ministère des Affaires étrangères.",
        "b": "« Paris propose une médiation entre les deux pays », a déclaré jeudi le ministre des Affaires étrangères.",
    })
    entities = link_entities(arts, config)
    extractions = extract(arts, entities, config)
    infos, claims_of = [], []
    for k, a in enumerate(arts):
        mine = split_claims(a, k, entities)
        claims_of.append(list(range(len(infos), len(infos) + len(mine))))
        infos.extend(mine)
    before = [set(i.lemmas) for i in infos]
    attribute_claims(arts, infos, claims_of, extractions, entities)
    indirect, direct = infos[claims_of[0][0]], infos[claims_of[1][0]]
    assert {"ministère", "indiquer"} <= before[claims_of[0][0]] and not {"ministère", "indiquer", "affaire"} & indirect.lemmas
    assert {"proposer", "médiation", "paris", "pays"} <= indirect.lemmas
    assert direct.lemmas == before[claims_of[1][0]]  # direct quotes stay quotes: the sentence keeps its words
    assert [(s.source, s.kind) for s, _ in direct.sources] and all(s.kind == "direct" for s, _ in direct.sources)


def _claimed(outlet: str, source: str, kind: str = "person", speaker_span: Span | None = None) -> tuple[ClaimSource, Quote]:
    text = f"Les deux dirigeants ont échangé des cadeaux, a indiqué {source}."
    span = Span(article=outlet, start=0, end=43, text=text[:43])
    who = speaker_span or Span(article=outlet, start=55, end=55 + len(source), text=source)
    q = Quote(text=span.text, speaker=source, kind="indirect", span=span, speaker_span=who, cue="indiquer", outlet=outlet)
    return ClaimSource(article=outlet, outlet=outlet, source=source, source_kind=kind, span=who, cue="indiquer"), q


class _Info:
    def __init__(self, *sources):
        self.sources = list(sources)


@pytest.mark.parametrize(
    "a, b, cos, clash",
    [
        (("Sophie Marchand",), ("Paul Lemoine",), 0.95, True),
        (("Dmitri Peskov",), ("Peskov",), 0.95, False),  # one person, two names
        (("Sophie Marchand",), ("la porte-parole",), 0.95, False),  # a description never clashes with a name
        (("Sophie Marchand",), ("Agence Presse Ouest", "agency"), 0.95, False),  # an agency relays
        (("Sophie Marchand",), ("Paul Lemoine",), 0.80, False),  # loosely aligned claims: not one statement
    ],
)
def test_attribution_conflict_rules(a, b, cos, clash):
    infos = [_Info(_claimed("A", *a)), _Info(_claimed("B", *b))]
    fact = Fact(id="f1", text="x", status="all", outlets=["A", "B"], claims=[])
    texts = {o: f"Les deux dirigeants ont échangé des cadeaux, a indiqué {s[0]}." for o, s in (("A", a), ("B", b))}
    got = attribution_conflicts([fact], [[0, 1]], infos, np.array([[1.0, cos], [cos, 1.0]]), texts)
    assert bool(got) == clash
