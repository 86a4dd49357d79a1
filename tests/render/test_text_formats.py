"""Terminal and Markdown renderings: every section, contradictions read in context, labels by language."""

from __future__ import annotations

from fixtures.web.sample import sample_briefing

from recoupe.model import Measurement, Span
from recoupe.render.common import context, interval
from recoupe.render.markdown import render_markdown
from recoupe.render.terminal import render_terminal


def test_context_is_the_sentence_around_the_span():
    text = "Il pleut. Le train blindé de M. Kim avait franchi la frontière mardi. Fin."
    i = text.index("mardi")
    got = context({"a": text}, Span(article="a", start=i, end=i + 5, text="mardi"))
    assert got == "Le train blindé de M. Kim avait franchi la frontière mardi."


def test_context_runs_over_periods_that_end_no_sentence():
    # "9.000" (a French thousands separator) and "M." are inside the sentence, on either side of the span
    text = "Il pleut. A Nantes, il a dispensé un cycle de cinq jours et a parlé devant plus de 9.000 personnes avec M. Ricard. Fin."
    i = text.index("cinq jours")
    got = context({"a": text}, Span(article="a", start=i, end=i + 10, text="cinq jours"))
    assert got == "A Nantes, il a dispensé un cycle de cinq jours et a parlé devant plus de 9.000 personnes avec M. Ricard."
    i = text.index("Ricard")
    got = context({"a": text}, Span(article="a", start=i, end=i + 6, text="Ricard"))
    assert got.startswith("A Nantes,") and got.endswith("M. Ricard.")


def test_long_context_is_cut_between_words_and_says_so():
    text = ("Par précaution, les habitants résidant dans un rayon de 500 mètres autour du site ont été confinés, "
            "et une soixantaine de personnes ont été évacuées vers la salle des fêtes de la commune voisine.")
    i = text.index("500 mètres")
    got = context({"a": text}, Span(article="a", start=i, end=i + 10, text="500 mètres"), width=120)
    assert got.startswith("Par précaution") and got.endswith("…") and "500 mètres" in got
    assert text.startswith(got[:-1]) and text[len(got) - 1] == " "  # the cut falls on a space
    got = context({"a": text}, Span(article="a", start=text.index("soixantaine"), end=text.index("soixantaine") + 11, text="soixantaine"), width=60)
    assert got.startswith("…") and got.endswith("…")
    inner = got[1:-1]
    assert f" {inner} " in f" {text} "  # whole words only


def test_interval_notation_follows_the_language():
    span = Span(article="a", start=0, end=21, text="plus de quatre heures")
    m = Measurement(text=span.text, value=4, low=4, high=None, low_open=True, unit="h", dimension="duration", span=span)
    assert interval(m, "fr") == "]4 ; +∞["
    assert interval(m, "en", unit=True) == "(4, +∞) h"


def test_durations_are_shown_in_the_unit_a_reader_uses():
    """Durations are compared in hours; "13 ans" is shown as 13 years, not 113958 h."""
    def duration(text: str, low: float, high: float | None = None) -> Measurement:
        span = Span(article="a", start=0, end=len(text), text=text)
        return Measurement(text=text, low=low, high=low if high is None else high, unit="h", dimension="duration", span=span)

    assert interval(duration("13 ans", 13 * 8766), "fr", unit=True) == "[13 ; 13] ans"
    assert interval(duration("deux mois", 2 * 730.5), "en", unit=True) == "[2, 2] months"
    assert interval(duration("un jour et demi", 36), "fr", unit=True) == "[1.5 ; 1.5] jours"
    assert interval(duration("45 minutes", 0.75), "fr", unit=True) == "[45 ; 45] min"
    assert interval(duration("entre 2 et 3 heures", 2, 3), "fr", unit=True) == "[2 ; 3] h"
    assert interval(duration("30 heures", 30), "fr", unit=True) == "[30 ; 30] h"
    assert interval(duration("près de deux semaines", 302.4, 336), "fr", unit=True) == "[12.6 ; 14] jours"
    clock = Measurement(text="14h30", low=14.5, high=14.5, unit="h", dimension="time", span=Span(article="a", start=0, end=5, text="14h30"))
    assert interval(clock, "fr", unit=True) == "[14.5 ; 14.5] h"  # a clock time is no duration


def test_markdown_shows_each_side_of_a_contradiction_with_its_sentence():
    b = sample_briefing()
    md = render_markdown(b)
    assert md.index("## Contradictions") < md.index("## Résumé") or "## Résumé" not in md
    conflict = b.conflicts[0]
    texts = {a.id: a.text for a in b.articles}
    for g in conflict.groups:
        assert f"- **{g.value}**" in md
        for sp in g.spans:
            assert context(texts, sp).split()[0] in md
    for section in ("Citations", "Chronologie", "Provenance", "Entités", "Articles"):
        assert f"## {section}" in md


def test_terminal_in_english_for_an_english_briefing():
    out = render_terminal(sample_briefing(language="en"), width=120)
    assert "Contradictions" in out and "Timeline" in out and "Chronologie" not in out
    assert "\x1b[" not in out  # plain text unless asked for colour


def test_sources_of_a_fact_are_one_line_and_say_when_they_differ():
    from recoupe.model import ClaimSource, Fact
    from recoupe.render.common import sources_text

    def fact(*sources):
        return Fact(id="f1", text="x", status="several", outlets=[o for o, _ in sources], claims=[],
                    attributed_to=[ClaimSource(article=o, outlet=o, source=s, relay="AFP" if o == "RFI" else None) for o, s in sources])

    assert sources_text(fact(("Le Monde", "Dmitri Peskov"), ("RFI", "Peskov"))) == "selon Dmitri Peskov (Le Monde) ; Peskov via AFP (RFI)"
    assert sources_text(fact(("Le Monde", "Sophie Marchand"), ("RFI", "Paul Lemoine")), "en").endswith(" — different sources")
    assert sources_text(fact()) == ""
    # a description may stand for the named source: no "different sources"
    assert "different" not in sources_text(fact(("Le Monde", "L'Equipe"), ("Libération", "des révélations du journal")), "en")


def test_a_learned_grouping_of_quotes_shows_its_probability_and_a_rules_one_does_not():
    b = sample_briefing()
    assert b.shared_quotes[0].confidence is None
    assert "probabilité d'une même citation" not in render_markdown(b)
    b.shared_quotes[0].confidence = 0.62
    assert f"- **{b.shared_quotes[0].speaker}** (probabilité d'une même citation 0.62)" in render_markdown(b)
    assert "probability of one quote 0.62" in render_terminal(b.model_copy(update={"language": "en"}), width=160)


def test_a_briefing_without_contradictions_says_so():
    b = sample_briefing().model_copy(update={"conflicts": []})
    md, term = render_markdown(b), render_terminal(b, width=120)
    assert "## Contradictions\n\nAucune contradiction relevée entre les médias." in md
    assert "Aucune contradiction relevée entre les médias." in term
    en = sample_briefing(language="en").model_copy(update={"conflicts": []})
    assert "No contradiction found between outlets." in render_markdown(en)


def test_a_guessed_speaker_is_marked_in_every_format():
    from recoupe.render.html import render_html

    b = sample_briefing()
    shared = {(sp.article, sp.start, sp.end) for sq in b.shared_quotes for v in sq.variants for sp in v.spans}
    q = next(q for q in b.quotes if q.speaker and (q.span.article, q.span.start, q.span.end) not in shared)
    unsure = b.model_copy(deep=True)
    next(x for x in unsure.quotes if x.span == q.span).unsure = True
    assert f"| {q.speaker} (?) |" not in render_markdown(b)
    assert f"| {q.speaker} (?) |" in render_markdown(unsure)
    assert f"{q.speaker} (?)" in render_terminal(unsure, width=200)
    assert f"<h3>{q.speaker} (?)</h3>" in render_html(unsure)


def test_two_first_names_for_one_surname_are_flagged_as_perhaps_one_person():
    from recoupe.model import Conflict, ValueGroup
    from recoupe.render.html import render_html

    b = sample_briefing()
    sp = b.quotes[0].span
    same = Conflict(topic="auteur de la citation « On s'est bien moqué de nous »", kind="attribution",
                    groups=[ValueGroup(value="Jean-Louis Romero", outlets=["A"], spans=[sp]),
                            ValueGroup(value="Jean-Luc Romero", outlets=["B"], spans=[sp])])
    other = same.model_copy(update={"groups": [same.groups[0], ValueGroup(value="Manuel Valls", outlets=["B"], spans=[sp])]})
    note = "même nom de famille : peut-être une seule personne, nommée de deux façons"
    assert note in render_markdown(b.model_copy(update={"conflicts": [same]}))
    assert note in render_terminal(b.model_copy(update={"conflicts": [same]}), width=300)
    assert note in render_html(b.model_copy(update={"conflicts": [same]}))
    assert note not in render_markdown(b.model_copy(update={"conflicts": [other]}))
