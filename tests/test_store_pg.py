"""The store on a real PostgreSQL server (tests/pgserver.py starts one; skipped, with the reason,
where none can be started): same stories as SQLite, French full-text search, concurrent ingests,
readers during a write, and one-line errors for a bad URL, a server that is down, a missing permission."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from recoupe.cli import app
from recoupe.config import Config
from recoupe.store import Store, StoreError
from recoupe.stories import ingest, list_stories

FIX = Path(__file__).parent / "fixtures" / "stories"
RECOUPE = [sys.executable, "-c", "from recoupe.cli import main; main()"]


def _config(db: str) -> Config:
    c = Config()
    c.stories.db = db
    return c


def _one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    return lines[0]


@pytest.fixture(scope="module")
def pg_and_sqlite(pg_server, tmp_path_factory):
    """The story fixtures ingested once into PostgreSQL and once into SQLite."""
    url = pg_server.create_database("t_module_stories")
    lite = str(tmp_path_factory.mktemp("lite") / "s.db")
    reports = []
    for db in (url, lite):
        with Store(db) as store:
            reports.append(ingest([str(FIX)], store, _config(db)))
    return url, lite, reports


def test_postgresql_store_holds_the_same_stories_as_sqlite(pg_and_sqlite):
    url, lite, reports = pg_and_sqlite
    assert [(r.read, r.new, r.duplicates) for r in reports] == [(12, 12, 0)] * 2
    on_pg = [s.model_dump() for s in list_stories(_config(url))]
    assert on_pg == [s.model_dump() for s in list_stories(_config(lite))]
    assert len(on_pg) == 4
    with Store(url) as store:
        rows = store.story_articles(on_pg[0]["id"])
    assert all(len(r["embedding"]) == 384 * 4 for r in rows)  # BYTEA round trip


def test_postgresql_search_is_french_full_text_with_the_fts5_shape(pg_and_sqlite):
    url, lite, _ = pg_and_sqlite
    with Store(url) as pg, Store(lite) as sq:
        assert pg.fts
        for query in ("pont", "greve", "Grève", "epav*"):
            hits, ref = pg.search(query), sq.search(query)
            assert hits, query
            assert {h["id"] for h in hits} >= {h["id"] for h in ref}, query  # stemming may find more, never less
            assert [set(h) for h in hits] == [set(h) for h in hits[:1]] * len(hits) and set(hits[0]) == set(ref[0])
        assert pg.search("zzzinconnu") == []
        assert pg.search("ponts")  # the French stemmer: a plural finds the singular
        with pg.read() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM pg_indexes WHERE indexname = 'articles_fts_fr'")).scalar() == 1


def test_cli_commands_take_a_postgresql_url_and_recoupe_db(pg_and_sqlite):
    url, _, _ = pg_and_sqlite
    runner = CliRunner()
    listed = runner.invoke(app, ["stories", "--db", url, "--format", "json"])
    assert listed.exit_code == 0, listed.stderr
    first = listed.stdout.split('"id": "', 1)[1].split('"', 1)[0]
    by_env = runner.invoke(app, ["stories", "--format", "json"], env={"RECOUPE_DB": url})
    assert by_env.exit_code == 0 and by_env.stdout == listed.stdout
    found = runner.invoke(app, ["search", "pont", "--format", "json"], env={"RECOUPE_DB": url})
    assert found.exit_code == 0 and '"story": "' in found.stdout
    brief = runner.invoke(app, ["brief", "--story", first, "--db", url, "--format", "json"])
    assert brief.exit_code == 0, brief.stderr
    assert '"articles"' in brief.stdout


def test_two_ingests_at_once_on_postgresql_store_each_article_once(pg_url, tmp_path):
    Store(pg_url).close()
    half = tmp_path / "half"
    half.mkdir()
    for p in sorted(FIX.glob("*.md"))[:6]:
        (half / p.name).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    procs = [
        subprocess.Popen(RECOUPE + ["ingest", str(src), "--db", pg_url, "--batch-size", "2"], stderr=subprocess.PIPE, text=True)
        for src in (FIX, half)  # overlapping inputs
    ]
    errs = [p.communicate(timeout=300)[1] for p in procs]
    assert all(p.returncode == 0 for p in procs), errs
    news = [int(e.split("new ")[1].split(",")[0]) for e in errs]
    assert sum(news) == 12
    with Store(pg_url) as store, store.read() as conn:
        rows = conn.execute(sa.text("SELECT id, key, story_id, lemmas, embedding, date FROM articles")).all()
        story_ids = set(conn.execute(sa.text("SELECT id FROM stories")).scalars())
    assert len(rows) == 12 and len({r.key for r in rows}) == 12 and len({r.id for r in rows}) == 12
    assert {r.story_id for r in rows} == story_ids and all(r.lemmas and r.embedding for r in rows)
    # every story consistent: not empty, its dates those of its articles, one event per story (the
    # interleaved stream order may split an event: placement is online, the order is the stream's)
    dates = {r.id: r.date for r in rows}
    listed = list_stories(_config(pg_url))
    assert sorted(a for s in listed for a in s.articles) == sorted(dates)
    for s in listed:
        assert s.articles and s.first_date == min(dates[a] for a in s.articles) and s.last_date == max(dates[a] for a in s.articles)
        assert len({a.split("-")[0] for a in s.articles}) == 1, s.articles


def test_readers_do_not_wait_for_a_postgresql_writer(pg_url):
    with Store(pg_url) as store:
        ingest([str(FIX / "pont-lemonde.md")], store, _config(pg_url))
    with Store(pg_url, busy_timeout=1) as writer, writer.write() as conn:
        conn.execute(sa.text("UPDATE stories SET title = 'en cours'"))
        with Store(pg_url, busy_timeout=1, create=False) as reader:  # a page of the web app meanwhile
            (story,) = reader.list_stories()
            assert story["title"] != "en cours"
            assert reader.search("pont")
        with pytest.raises(StoreError, match="locked by another process"):
            with Store(pg_url, busy_timeout=0.5) as other, other.write():
                pass


def test_bad_postgresql_locations_fail_in_one_line(pg_server, tmp_path):
    down = f"postgresql://recoupe@/x?host={tmp_path}&port=1"
    cases = {
        down: "connection refused",
        pg_server.url("no_such_db"): 'database "no_such_db" does not exist',
        pg_server.url("postgres", user="nobody_here"): 'role "nobody_here" does not exist',
        "mysql://u@localhost/x": "SQLite files or postgresql:// URLs",
        "postgresql://u@:notaport/x": "cannot use store",
    }
    for url, expected in cases.items():
        for args in (["stories", "--db", url], ["search", "pont", "--db", url], ["ingest", str(FIX / "pont-lemonde.md"), "--db", url]):
            result = CliRunner().invoke(app, args)
            assert result.exit_code != 0, (url, args)
            assert expected in _one_line(result.stderr), (url, args)


def test_missing_permission_fails_in_one_line_and_writes_nothing(pg_server, pg_url):
    name = sa.engine.make_url(pg_url).database
    pg_server.sql("CREATE ROLE reader LOGIN")  # may connect; may not create tables (PostgreSQL 15's public schema)
    url = pg_server.url(name, user="reader")
    result = CliRunner().invoke(app, ["ingest", str(FIX / "pont-lemonde.md"), "--db", url])
    assert result.exit_code != 0
    assert "permission denied" in _one_line(result.stderr)
    with Store(pg_url) as owner, owner.read() as conn:  # the owner's open creates the store: nothing was there before
        assert conn.execute(sa.text("SELECT count(*) FROM articles")).scalar() == 0


def test_web_app_serves_a_postgresql_store_while_an_ingest_writes(pg_url):
    """Pages answer 200 all along a real `recoupe ingest` process writing the same store."""
    from fastapi.testclient import TestClient

    from recoupe.web.app import create_app, StoreSource

    with Store(pg_url) as store:
        ingest([str(FIX / "pont-lemonde.md")], store, _config(pg_url))
    config = _config(pg_url)
    client = TestClient(create_app(StoreSource(config)))
    proc = subprocess.Popen(RECOUPE + ["ingest", str(FIX), "--db", pg_url, "--batch-size", "2"], stderr=subprocess.PIPE, text=True)
    during, sizes = 0, set()
    while proc.poll() is None:
        for path in ("/api/stories", "/"):
            r = client.get(path)
            assert r.status_code == 200, (path, r.text[:200])
        sizes.add(sum(len(s["articles"]) for s in client.get("/api/stories").json()))
        assert client.get("/api/search", params={"q": "pont"}).status_code == 200
        during += 1
    assert proc.returncode == 0, proc.stderr.read()
    assert during >= 2 and len(sizes) >= 2  # pages were served while batches were being committed
    assert sum(len(s["articles"]) for s in client.get("/api/stories").json()) == 12
