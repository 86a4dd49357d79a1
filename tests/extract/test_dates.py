"""Dates: absolute and relative forms against the publication date, anchoring, the timeline."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from recoupe.extract.dates import anchor_dates, find_dates, resolve_dates
from recoupe.extract.timeline import build_timeline
from recoupe.model import Extraction

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def dates(text, pub):
    return {r.text: r for r in resolve_dates(text, pub)}


def test_weekdays_are_the_last_such_day_before_publication():
    got = dates("Vladimir Poutine a reçu mercredi Kim Jong-un. Le train avait franchi la frontière mardi.", "2023-09-13")
    assert got["mercredi"].date == "2023-09-13" and got["mercredi"].resolved_by == "publication date"
    assert got["mardi"].date == "2023-09-12"


def test_absolute_forms():
    got = dates("Le 13 septembre 2023, ils se sont vus. Le 2 juillet, rien. En juillet, la guerre (1950-1953) finit. "
                "Mardi 12 septembre, il est parti. En 2019, il était venu.", "2023-09-14")
    assert got["Le 13 septembre 2023"].date == "2023-09-13"
    assert got["Le 2 juillet"].date == "2023-07-02"
    assert got["En juillet"].date == "2023-07" and got["En juillet"].precision == "month"
    assert (got["1950-1953"].date, got["1950-1953"].end_date, got["1950-1953"].precision) == ("1950", "1953", "range")
    assert got["Mardi 12 septembre"].date == "2023-09-12"
    assert got["En 2019"].precision == "year" and got["En 2019"].date == "2019"


def test_a_decade_is_ten_years_not_one():
    """"une loi des années 1930" dated the law 1930 on the timeline and counted 1930 of something."""
    got = dates("Une loi des années 1930 encadre la presse. Dans les années 80, il débutait. En 1936, rien.", "2008-07-14")
    assert (got["années 1930"].date, got["années 1930"].end_date, got["années 1930"].precision) == ("1930", "1939", "range")
    assert (got["années 80"].date, got["années 80"].end_date) == ("1980", "1989")
    assert got["En 1936"].date == "1936" and got["En 1936"].precision == "year"
    from recoupe.extract.measures import parse_quantities

    assert [q.text for q in parse_quantities("Une loi des années 1930 encadre la presse. Dans les années 80, 300 salariés.")] == ["300"]


def test_relative_forms():
    got = dates("Hier, la police est venue. Aujourd'hui, rien. Dans la nuit de lundi à mardi, un feu. "
                "Il y a sept ans, un autre. La semaine dernière, un test. Lundi soir, une réunion.", "2024-03-06")
    assert got["Hier"].date == "2024-03-05" and got["Aujourd'hui"].date == "2024-03-06"
    night = got["Dans la nuit de lundi à mardi"]
    assert (night.date, night.end_date, night.precision) == ("2024-03-04", "2024-03-05", "range")
    assert got["Il y a sept ans"].date == "2017"
    assert got["La semaine dernière"].date == "2024-02-26"
    assert got["Lundi soir"].date == "2024-03-04"


def test_la_veille_and_le_lendemain():
    got = dates("Ce jeudi 14 septembre, le Kremlin a parlé. Lors de la rencontre de la veille, il a souri.", None)
    assert got["la veille"].date is None  # no year, no publication date
    got = dates("Ce jeudi 14 septembre, le Kremlin a parlé. Lors de la rencontre de la veille, il a souri.", "2023-09")
    assert got["Ce jeudi 14 septembre"].date == "2023-09-14"
    assert got["la veille"].date == "2023-09-13"


def test_le_lendemain_counts_only_from_a_day_named_near_it():
    # "le lendemain" of a law's vote named paragraphs before was dated the day after it (RPM2 T09_C1)
    law = "La loi a été votée le 22 avril 2005 par le Parlement. "
    filler = "Les soignants décrivent des moyens inégaux selon les régions et des équipes débordées. " * 20
    got = dates(law + "Le lendemain, l'association publiait un communiqué.", "2008-03")
    assert got["Le lendemain"].date == "2005-04-23"  # right after the day it counts from
    got = dates(law + filler + "Le lendemain, l'association publiait un communiqué.", "2008-03")
    assert got["Le lendemain"].date is None and got["Le lendemain"].resolved_by == "unresolved"


def test_month_dated_article_leaves_weekday_unresolved():
    got = dates("Poutine a accueilli mercredi Kim Jong Un.", "2023-09")
    assert got["mercredi"].date is None and got["mercredi"].resolved_by == "unresolved"


def test_undated_article_reads_weekdays_against_its_own_present_only():
    # a date of another time does not set the article's week
    got = dates("Elle était retenue depuis le 23 février 2002. Elle a été libérée mercredi.", None)
    assert got["mercredi"].date is None and got["mercredi"].resolved_by == "unresolved"
    # a date written with its weekday is the article's present ("Ce jeudi 14 septembre")
    got = {r.text: r for r in resolve_dates("Ce jeudi 14 septembre, le Kremlin se tait. Mercredi, ils se sont vus.", None, year_hint=2023)}
    assert got["Mercredi"].date == "2023-09-13"
    # ...unless the weekday does not match the hinted year
    got = {r.text: r for r in resolve_dates("Ce jeudi 14 septembre, le Kremlin se tait. Mercredi, ils se sont vus.", None, year_hint=2022)}
    assert got["Mercredi"].date is None


def test_not_dates():
    assert resolve_dates("six heures d'échange, à 14 heures, deux jours plus tard", "2024-03-05") == []
    got = resolve_dates("le 31 février", "2024-03-05")
    assert all(r.date is None for r in got)


@given(st.text(), st.sampled_from([None, "2023-09", "2023-09-13", "bad", "2024-02-30"]))
@settings(max_examples=200, deadline=None)
def test_never_crashes(text, pub):
    for r in resolve_dates(text, pub):
        assert 0 <= r.start <= r.end <= len(text)


def test_anchor_and_timeline(analysed, config):
    arts = analysed(
        {
            "rfi": "Vladimir Poutine a accueilli mercredi Kim Jong Un au cosmodrome de Vostotchny. Les deux hommes ont visité le site.",
            "rc": "Le 13 septembre, Vladimir Poutine a accueilli Kim Jong Un au cosmodrome de Vostotchny, dans l'Extrême-Orient russe.",
        },
        outlets={"rfi": "RFI", "rc": "Radio-Canada"},
        dates={"rfi": "2023-09", "rc": "2023-09-14"},
    )
    exs = [Extraction(a.id, dates=find_dates(a, config)) for a in arts]
    rfi = next(e for e in exs if e.article_id == "rfi")
    assert rfi.dates[0].date is None
    anchor_dates(arts, exs, config)
    assert rfi.dates[0].date == "2023-09-13" and rfi.dates[0].resolved_by == "another article (rc)"
    timeline = build_timeline(arts, exs, config)
    ev = [e for e in timeline if e.date == "2023-09-13"]
    assert len(ev) == 1 and set(ev[0].outlets) == {"RFI", "Radio-Canada"} and ev[0].anchored_by == "rc"
    for sp in ev[0].spans:
        src = next(a for a in arts if a.id == sp.article).article.doc.text
        assert src[sp.start : sp.end] == sp.text
        assert len(sp.text.split()) <= 26
    assert any(ev[0].text == sp.text for sp in ev[0].spans)


def test_anchoring_needs_a_present_date_of_the_same_event(analysed, config):
    arts = analysed(
        {
            "a": "Après sa libération mercredi 2 juillet, Ingrid Betancourt doit subir samedi des examens à l'hôpital du "
                 "Val-de-Grâce, après six ans de détention aux mains des Forces armées révolutionnaires de Colombie.",
            "b": "Ingrid Betancourt était retenue depuis le 23 février 2002 par les Forces armées révolutionnaires de Colombie.",
        },
        outlets={"a": "Le Monde", "b": "Libération"},
    )
    exs = [Extraction(a.id, dates=find_dates(a, config)) for a in arts]
    anchor_dates(arts, exs, config)
    a = {d.text: d for d in next(e for e in exs if e.article_id == "a").dates}
    # 23 February 2002 was a Saturday and the sentences share names, but it is another time
    assert a["samedi"].date is None and a["samedi"].resolved_by == "unresolved"
    # a day and month without a year keep their day: no other event's Wednesday replaces them
    assert a["mercredi 2 juillet"].date is None


def test_month_dated_story_dates_every_weekday_from_one_explicit_date(analysed, config):
    """All articles dated "2023-09"; most write "mercredi", one "le 13 septembre": each "mercredi" is
    that day, the relative date after it too, and the timeline lists every outlet."""
    arts = analysed(
        {
            "a": "Le président brésilien a été reçu mercredi à l'Élysée par Emmanuel Macron pour une visite d'État. "
                 "Le soir même, un concert a été donné dans les jardins du palais.",
            "b": "Emmanuel Macron a accueilli mercredi son homologue brésilien à l'Élysée, au premier jour de sa visite d'État.",
            "c": "Le 13 septembre, le président brésilien a été reçu à l'Élysée par Emmanuel Macron.",
            "d": "Mercredi, une manifestation d'agriculteurs a bloqué le périphérique parisien pendant plusieurs heures.",
        },
        dates={k: "2023-09" for k in "abcd"},
    )
    exs = [Extraction(a.id, dates=find_dates(a, config)) for a in arts]
    anchor_dates(arts, exs, config)
    got = {(e.article_id, d.text): d for e in exs for d in e.dates}
    assert got[("a", "mercredi")].date == got[("b", "mercredi")].date == "2023-09-13"
    assert got[("a", "mercredi")].resolved_by == "another article (c)"
    # the relative date that follows is read from the settled day
    assert got[("a", "Le soir même")].date == "2023-09-13" and got[("a", "Le soir même")].resolved_by == "another article (c)"
    # another happening shares no words with c, but 13 September is the story's only Wednesday
    assert got[("d", "Mercredi")].date == "2023-09-13" and got[("d", "Mercredi")].resolved_by == "only matching day (c)"
    timeline = build_timeline(arts, exs, config)
    (visit,) = [e for e in timeline if "Élysée" in e.text]
    assert visit.date == "2023-09-13" and set(visit.outlets) == {"a", "b", "c"} and visit.anchored_by == "c"


def test_weekday_left_unresolved_when_the_story_has_several_such_days(analysed, config):
    arts = analysed(
        {
            "a": "Mercredi, une manifestation d'agriculteurs a bloqué le périphérique parisien pendant plusieurs heures.",
            "b": "Le 6 septembre, le gouvernement a présenté son budget. Le 13 septembre, les syndicats l'ont rejeté.",
        },
        dates={"a": "2023-09", "b": "2023-09"},
    )
    exs = [Extraction(a.id, dates=find_dates(a, config)) for a in arts]
    anchor_dates(arts, exs, config)
    (wd,) = [d for e in exs if e.article_id == "a" for d in e.dates]
    assert wd.date is None and wd.resolved_by == "unresolved"  # 6 or 13 September: no guess


def test_only_matching_day_needs_a_publication_month(analysed, config):
    # an article dated by day reads its weekday against its own day, not another article's
    arts = analysed(
        {"a": "Mercredi, une manifestation d'agriculteurs a bloqué le périphérique.", "b": "Le 13 septembre, les syndicats ont défilé."},
        dates={"a": "2023-09-22", "b": "2023-09"},
    )
    exs = [Extraction(a.id, dates=find_dates(a, config)) for a in arts]
    anchor_dates(arts, exs, config)
    (wd,) = [d for e in exs if e.article_id == "a" for d in e.dates]
    assert wd.date == "2023-09-20" and wd.resolved_by == "publication date"


def test_timeline_event_keeps_its_subject_across_an_incise(analysed, config):
    (art,) = analysed(
        {"dep": "Kim Jong Un, arrivé mercredi matin à bord de son train blindé, a été accueilli par "
                "Vladimir Poutine sur le site du cosmodrome, où les deux hommes ont visité les installations."},
        dates={"dep": "2023-09-14"},
    )
    (ev,) = build_timeline([art], [Extraction(art.id, dates=find_dates(art, config))], config)
    assert ev.date == "2023-09-13"
    assert ev.text.startswith("Kim Jong Un, arrivé mercredi matin") and "a été accueilli par Vladimir Poutine" in ev.text
    assert "où les deux hommes" not in ev.text


def _relative_cases():
    cases = []
    for story in ("sommet-vladivostok", "incendie-usine"):
        f = EXAMPLES / story / "answers.yaml"
        if f.exists():
            for r in yaml.safe_load(f.read_text(encoding="utf-8")).get("relative_dates", []):
                cases.append(pytest.param(story, r, id=f"{story}:{r['article']}:{r['text']}"))
    return cases


@pytest.fixture(scope="module")
def example_dates(config):
    from recoupe.analyse import analyse
    from recoupe.pipeline import clean_all
    from recoupe.read import read_inputs

    out = {}
    for story in ("sommet-vladivostok", "incendie-usine"):
        docs, _ = read_inputs([EXAMPLES / story], config)
        cleaned, _ = clean_all(docs, config)
        arts, _ = analyse(cleaned, config)
        exs = [Extraction(a.id, dates=find_dates(a, config)) for a in arts]
        anchor_dates(arts, exs, config)
        for a, e in zip(arts, exs):
            out[(story, e.article_id)] = e.dates
            out[(story, e.article_id, "published")] = a.article.date
    return out


# Not handled: a clock time read as the day it falls on ("un peu avant minuit" in a night from
# Monday to Tuesday is Monday): the date finder leaves clock times out on purpose.
_UNSUPPORTED = {"un peu avant minuit"}


@pytest.mark.parametrize("story, answer", _relative_cases())
def test_example_relative_dates(story, answer, example_dates):
    if answer["text"] in _UNSUPPORTED:
        pytest.xfail("not handled by the date finder")
    if answer["how"].startswith("dateline"):  # the cleaner removes the dateline and dates the article with it
        assert example_dates[(story, answer["article"], "published")] == answer["resolves_to"]
        return
    found = next((v for k, v in example_dates.items() if len(k) == 2 and k[0] == story and answer["article"] in k[1]), [])
    want = answer["text"].lower().replace("’", "'")
    hits = [d for d in found if d.text.lower().replace("’", "'") in want or want in d.text.lower().replace("’", "'")]
    assert hits, f"{answer['text']} not found"
    got = {d.date if not d.end else f"{d.date}/{d.end}" for d in hits}
    assert answer["resolves_to"] in got


@pytest.mark.parametrize("text,year", [
    ("Il sera au départ du Tour de France 2009 à Monaco.", "2009"),
    ("Alberto Contador (vainqueur 2007) est favori.", "2007"),
    ("Le lauréat 1989 du prix Nobel.", "1989"),
    ("Il avait débauché la journaliste au printemps 2006.", "2006"),
    ("Il disait que 2012 était la date qu'il s'était fixée.", "2012"),
])
def test_year_named_without_preposition(text, year):
    got = [(r.date, r.precision) for r in resolve_dates(text, None)]
    assert (year, "year") in got


@pytest.mark.parametrize("text", [
    "Il y avait 2000 personnes sur la place.",
    "La facture atteint 1500 € cette année.",
    "Le prix monte à 1 999 euros.",
    "Les 1800 salariés ont fait grève.",
    "Ils ont couru 2000 m hier.",
])
def test_counts_and_amounts_are_not_bare_years(text):
    assert not [r for r in resolve_dates(text, None) if r.precision == "year"]


def test_day_glued_to_its_month():
    got = resolve_dates("Depuis l'annonce de son retour le 10septembre, il se tait.", "2008-10-01")
    assert [r.date for r in got] == ["2008-09-10"]
