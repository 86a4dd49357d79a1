"""Acceptance: the planted truth of the two example stories (examples/*/answers.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from recoupe.clean import find_credit
from recoupe.compare.quotes import normalise, same_person
from recoupe.config import Config
from recoupe.extract.timeline import build_timeline
from recoupe.lang import rules_for
from recoupe.pipeline import run

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
STORIES = ["sommet-vladivostok", "incendie-usine"]

# Planted items the comparison does not find yet, with the reason (see docs/compare.md).
KNOWN_MISSES: dict[tuple[str, str], str] = {}

# A change of state, not of a value: the comparison compares values (measurements, dates, places,
# speakers), so a lifted confinement is neither a conflict nor an update for it.
KNOWN_UPDATE_MISSES = {("incendie-usine", "confinement (en cours le 5 mars, levé le 5 mars à 18 h)")}

# Timeline entries whose outlets are each dated right but not gathered in one event, with the reason.
KNOWN_TIMELINE_SPLITS = {
    ("incendie-usine", "Levée du confinement"): "'a levé le confinement la veille' / 'ont été confinés jusqu'à mardi "
    "soir': one end of the confinement told with no word, verb or fact in common",
}


def _norm(s: str) -> str:
    return s.replace("’", "'").replace("\u202f", " ")


@pytest.fixture(scope="module", params=STORIES)
def story(request):
    folder = EXAMPLES / request.param
    answers_file = folder / "answers.yaml"
    paths = [p for p in sorted(folder.iterdir()) if p.name != "answers.yaml"]
    briefing, analysis = run(paths, Config())
    assert any(x.measurements for x in analysis.extractions)
    return request.param, yaml.safe_load(answers_file.read_text(encoding="utf-8")), analysis


def _locate(analysis, article: str, evidence: str) -> tuple[int, int] | None:
    """Original offsets of an evidence string in an article."""
    for a in analysis.analysed:
        if a.id == article:
            pos = _norm(a.article.doc.text).find(_norm(evidence))
            return (pos, pos + len(evidence)) if pos >= 0 else None
    return None


def _hits(span, article: str, rng) -> bool:
    return rng is not None and span.article == article and span.start < rng[1] and rng[0] < span.end


def _group_of(conflict, article, rng) -> int | None:
    for k, g in enumerate(conflict.groups):
        if any(_hits(s, article, rng) for s in g.spans):
            return k
    return None


def _reported(comparison, analysis, ev_a: tuple[str, str], ev_b: tuple[str, str]):
    """The conflict (not an update over time) that puts the two pieces of evidence in different groups."""
    ra, rb = _locate(analysis, *ev_a), _locate(analysis, *ev_b)
    for c in comparison.conflicts:
        if c.update_over_time:
            continue
        ga, gb = _group_of(c, ev_a[0], ra), _group_of(c, ev_b[0], rb)
        if ga is not None and gb is not None and ga != gb:
            if c.kind == "attribution" or c.groups[ga].low is None or c.groups[gb].low is None:
                return c
            a, b = c.groups[ga], c.groups[gb]
            hi_a = a.high if a.high is not None else float("inf")
            hi_b = b.high if b.high is not None else float("inf")
            if hi_a < b.low or hi_b < a.low:
                return c
    return None


def test_planted_contradictions_found(story):
    name, answers, analysis = story
    comp = analysis.comparison
    for planted in answers.get("contradictions", []):
        if (name, planted["kind"]) in KNOWN_MISSES:
            continue
        groups = [list(g["evidence"].items()) for g in planted["groups"]]
        required = planted.get("required_pairs")
        if required:
            where = {art: (art, ev) for g in groups for art, ev in g}
            pairs = [(where[a], where[b]) for a, b in required]
        else:
            pairs = [(groups[0][0], groups[1][0])]
        for ev_a, ev_b in pairs:
            assert _reported(comp, analysis, ev_a, ev_b), f"{name}: '{planted['topic']}' not reported between {ev_a[0]} and {ev_b[0]}"


def test_known_misses_still_missing_or_fixed(story):
    """Keeps the list of known misses honest: it names only planted kinds."""
    name, answers, _ = story
    kinds = {p["kind"] for p in answers.get("contradictions", [])}
    assert all(k in kinds for (n, k) in KNOWN_MISSES if n == name)


def test_not_contradictions_not_reported(story):
    name, answers, analysis = story
    for item in answers.get("not_contradictions", []):
        (a, ev_a), (b, ev_b) = list(item["evidence"].items())[:2]
        assert _reported(analysis.comparison, analysis, (a, ev_a), (b, ev_b)) is None, f"{name}: reported although {item['why']}"


def test_nothing_but_the_planted_contradictions_reported(story):
    """Every reported disagreement is a planted contradiction, every reported update a planted update:
    each puts pieces of evidence of one planted item in two of its value groups."""
    name, answers, analysis = story

    def planted_pieces(item) -> list[tuple[str, tuple[int, int] | None]]:
        if "groups" in item:
            return [(art, _locate(analysis, art, ev)) for g in item["groups"] for art, ev in g["evidence"].items()]
        return [(v["article"], _locate(analysis, v["article"], v["evidence"])) for v in item["values"]]

    for c in analysis.comparison.conflicts:
        items = answers.get("updates_over_time" if c.update_over_time else "contradictions") or []
        matched = False
        for item in items:
            groups = {k for art, rng in planted_pieces(item) if (k := _group_of(c, art, rng)) is not None}
            matched = matched or len(groups) >= 2
        values = " / ".join(g.value for g in c.groups)
        assert matched, f"{name}: reported {'update' if c.update_over_time else c.kind} '{c.topic}' ({values}) is not planted"


def test_updates_over_time_flagged(story):
    name, answers, analysis = story
    planted = answers.get("updates_over_time") or []
    if not planted:  # nothing planted: every difference of this story is a disagreement, not an update
        assert not [c.topic for c in analysis.comparison.conflicts if c.update_over_time]
    for update in planted:
        if (name, update["topic"]) in KNOWN_UPDATE_MISSES:
            continue
        values = update["values"]
        ra = _locate(analysis, values[0]["article"], values[0]["evidence"])
        rb = _locate(analysis, values[-1]["article"], values[-1]["evidence"])
        flagged = [c for c in analysis.comparison.conflicts if c.update_over_time
                   and _group_of(c, values[0]["article"], ra) is not None and _group_of(c, values[-1]["article"], rb) is not None]
        assert flagged, f"{name}: {update['topic']} not flagged as an update"


def test_reprints_found(story):
    name, answers, analysis = story
    reuse = analysis.comparison.reuse
    for item in answers.get("reuse", []):
        arts = set(item["articles"])
        found = [r for r in reuse if set(r.articles) <= arts and len(set(r.articles)) == 2]
        if item.get("reuse") is False:
            assert not found, f"{name}: {item['note']}"
            continue
        assert found, f"{name}: reprint {sorted(arts)} not found"
        a = item["articles"][0]
        rng = _locate(analysis, a, item["evidence"])
        assert rng and any(_hits(s, a, rng) for r in found for s in r.spans)


def test_shared_quotes_found(story):
    name, answers, analysis = story
    shared = analysis.comparison.shared_quotes
    for item in answers.get("shared_quotes", []):
        arts = {a for v in item["variants"] for a in v["articles"]}
        ok = [s for s in shared if arts <= {sp.article for v in s.variants for sp in v.spans}]
        assert ok, f"{name}: shared quote {item['variants'][0]['text'][:50]!r} not matched across {sorted(arts)}"


def test_exclusives_found(story):
    name, answers, analysis = story
    comp = analysis.comparison
    facts = {f.id: f for f in comp.facts}
    missed = []
    for item in answers.get("exclusives", []):
        rng = _locate(analysis, item["article"], item["evidence"])
        hit = [f for f in comp.facts if any(_hits(s, item["article"], rng) for s in f.claims)]
        if not hit or all(f.status != "exclusive" for f in hit):
            missed.append(item["fact"])
    total = len(answers.get("exclusives", []))
    # target is all of them; today up to a third are absorbed into multi-outlet facts (docs/compare.md)
    assert total and len(missed) <= total // 3, f"{name}: exclusives missed: {missed}"
    assert facts  # facts exist


def test_facts_are_verbatim_and_one_claim_per_article(story):
    _, _, analysis = story
    texts = {a.id: a.article.doc.text for a in analysis.analysed}
    for f in analysis.comparison.facts:
        for s in f.claims:
            assert texts[s.article][s.start : s.end] == s.text
        assert len({s.article for s in f.claims}) == len(f.claims)
        assert f.text in {s.text for s in f.claims}


def _covers(event_date: str, wanted: str) -> bool:
    """The event's date is the wanted one, or a night range that holds the wanted day."""
    if event_date == wanted:
        return True
    lo, _, hi = event_date.partition("/")
    return bool(hi) and len(wanted) == 10 and lo <= wanted <= hi


def test_timeline_dates_every_outlet_of_each_event(story):
    """Each outlet of a dated event of the answer key is in a timeline event of that date, whichever
    way it wrote the date ("mercredi", "le 13 septembre", "le soir même", none for a dinner that
    another outlet dates); the outlets of one happening are in one event."""
    name, answers, analysis = story
    timeline = build_timeline(analysis.analysed, analysis.extractions, Config(), analysis.comparison)
    for entry in answers.get("timeline", []):
        if not entry.get("date"):
            continue
        evidence = entry.get("evidence") or {}
        assert set(entry["articles"]) == set(evidence) | set(entry.get("undated", [])), f"{name}: answer key: {entry['event']}"
        holding = []
        for art, ev in evidence.items():
            rng = _locate(analysis, art, ev)
            assert rng, f"{name}: evidence not found: {ev}"
            events = {k for k, e in enumerate(timeline) if _covers(e.date, str(entry["date"])) and any(_hits(s, art, rng) for s in e.spans)}
            assert events, f"{name}: {art} not dated {entry['date']} for '{entry['event']}'"
            holding.append(events)
        if len(holding) > 1 and entry.get("one_event", True) and (name, entry["event"]) not in KNOWN_TIMELINE_SPLITS:
            assert set.intersection(*holding), f"{name}: the outlets of '{entry['event']}' are in different events"


def test_timeline_known_splits_still_split(story):
    """Keeps KNOWN_TIMELINE_SPLITS honest: each names an entry of the answer key that is still split."""
    name, answers, analysis = story
    timeline = build_timeline(analysis.analysed, analysis.extractions, Config(), analysis.comparison)
    entries = {e["event"]: e for e in answers.get("timeline", [])}
    for (story_name, event), _why in KNOWN_TIMELINE_SPLITS.items():
        if story_name != name:
            continue
        entry = entries[event]
        holding = [{k for k, e in enumerate(timeline) if any(_hits(s, art, _locate(analysis, art, ev)) for s in e.spans)}
                   for art, ev in entry["evidence"].items()]
        assert not set.intersection(*holding), f"{name}: '{event}' is now one event: remove it from KNOWN_TIMELINE_SPLITS"


def test_attributed_statements_are_facts_with_their_source(story):
    """Indirect speech of the answer key is in a fact, which names who the outlet attributes it to."""
    name, answers, analysis = story
    for q in answers.get("quotes", []):
        if q["kind"] != "indirect":
            continue
        rng = _locate(analysis, q["article"], q["text"])
        facts = [f for f in analysis.comparison.facts if any(_hits(s, q["article"], rng) for s in f.claims)]
        assert facts, f"{name}: '{q['text'][:40]}' is in no fact"
        sources = [s.source for f in facts for s in f.attributed_to if s.article == q["article"] and s.kind == "indirect"]
        want = q.get("speaker") or q["speaker_description"].split(" (")[0]  # "un responsable syndical (named ... in the wire)"
        assert any(same_person(s, want) if q.get("speaker") else normalise(want) in normalise(s) for s in sources), (
            f"{name}: '{q['text'][:40]}' attributed to {sources}, not {want}")


def test_no_fact_is_a_credit(story):
    name, _, analysis = story
    rules = rules_for("fr")
    for f in analysis.comparison.facts:
        assert find_credit(f.text.strip(), rules) is None, f"{name}: a credit became a fact: {f.text!r}"
