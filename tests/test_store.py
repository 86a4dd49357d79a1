"""The store: schema versions and migration, bad files, locks, interruptions, concurrent ingests."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from recoupe import embed
from recoupe.cli import app
from recoupe.config import Config
from recoupe.store import SCHEMA_VERSION, Store, StoreError, StoreLocked
from recoupe.stories import ingest, list_stories

FIX = Path(__file__).parent / "fixtures" / "stories"
RECOUPE = [sys.executable, "-c", "from recoupe.cli import main; main()"]

V1_SQL = """
CREATE TABLE meta (key VARCHAR(64) PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta VALUES ('schema_version', '1');
CREATE TABLE articles (
  n INTEGER PRIMARY KEY, key VARCHAR(64) NOT NULL UNIQUE, id VARCHAR(200) NOT NULL UNIQUE, outlet TEXT NOT NULL,
  title TEXT, date VARCHAR(10), url TEXT, path TEXT, text TEXT NOT NULL, clean_text TEXT NOT NULL, offsets TEXT NOT NULL,
  language VARCHAR(16), sentences TEXT NOT NULL, mentions TEXT NOT NULL, story_id VARCHAR(32) NOT NULL,
  added DATETIME DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE stories (id VARCHAR(32) PRIMARY KEY, title TEXT NOT NULL, first_date VARCHAR(10), last_date VARCHAR(10),
  closed INTEGER NOT NULL);
INSERT INTO stories VALUES ('s0001', 'Un vieux sujet', '2020-01-01', '2020-01-02', 0);
INSERT INTO articles (key, id, outlet, title, date, text, clean_text, offsets, language, sentences, mentions, story_id)
VALUES ('abc', 'vieux', 'Le Monde', 'Un vieux sujet', '2020-01-01', 'Le député parle.', 'Le député parle.',
  '[[0,0,16]]', 'fr', '[[0,16]]', '[]', 's0001');
"""


def _one_line_error(result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def test_old_schema_is_migrated_on_open(tmp_path):
    db = tmp_path / "old.db"
    con = sqlite3.connect(db)
    con.executescript(V1_SQL)
    con.close()
    with Store(str(db)) as store:
        stories = store.list_stories()
        hits = store.search("député")
    assert [s["articles"] for s in stories] == [["vieux"]]
    assert [h["id"] for h in hits] == ["vieux"]  # the search index was built for old articles too
    con = sqlite3.connect(db)
    assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(SCHEMA_VERSION)
    cols = {r[1] for r in con.execute("PRAGMA table_info(articles)")}
    assert {"lemmas", "entities", "embedding", "source", "seq"} <= cols
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()


def test_search_index_with_accents_significant_is_rebuilt_on_open(tmp_path):
    db = tmp_path / "old-fts.db"
    con = sqlite3.connect(db)
    con.executescript(V1_SQL)
    con.close()
    Store(str(db)).close()
    con = sqlite3.connect(db)  # the index as earlier versions made it: "depute" did not find "député"
    con.executescript(
        "DROP TABLE articles_fts; CREATE VIRTUAL TABLE articles_fts USING fts5(title, clean_text, content='articles', "
        "content_rowid='n', tokenize='unicode61 remove_diacritics 0'); INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');"
    )
    con.close()
    with Store(str(db)) as store:
        assert [h["id"] for h in store.search("depute")] == ["vieux"]
        assert [h["id"] for h in store.search("député")] == ["vieux"]


def test_without_fts5_search_falls_back_to_the_portable_query(tmp_path, monkeypatch):
    """A SQLite built without FTS5 refuses the virtual table: the store still opens and searches."""
    from recoupe import store_search

    monkeypatch.setattr(store_search, "_FTS_TOKENIZER", "no_such_tokenizer")  # CREATE VIRTUAL TABLE fails as without FTS5
    db = tmp_path / "old.db"
    con = sqlite3.connect(db)
    con.executescript(V1_SQL)
    con.close()
    with Store(str(db)) as store:
        assert not store.fts
        assert [h["id"] for h in store.search("depute")] == ["vieux"]


def test_newer_schema_is_refused(tmp_path):
    db = tmp_path / "new.db"
    Store(str(db)).close()
    con = sqlite3.connect(db)
    con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="newer"):
        Store(str(db))


def test_corrupted_file_gives_one_line_error(tmp_path):
    db = tmp_path / "bad.db"
    db.write_bytes(os.urandom(8192))
    with pytest.raises(StoreError, match="corrupted"):
        Store(str(db))
    for args in (["stories", "--db", str(db)], ["search", "pont", "--db", str(db)], ["brief", "--story", "s0001", "--db", str(db)]):
        result = CliRunner().invoke(app, args)
        assert result.exit_code != 0
        assert "corrupted" in _one_line_error(result)


def test_other_sqlite_database_and_missing_store(tmp_path):
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="not a recoupe store"):
        Store(str(other))
    result = CliRunner().invoke(app, ["stories", "--db", str(tmp_path / "none.db")])
    assert result.exit_code != 0 and "no store" in _one_line_error(result)


def test_locked_database_waits_then_fails_clearly(tmp_path):
    db = tmp_path / "locked.db"
    Store(str(db)).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with Store(str(db), busy_timeout=0.5) as store:  # opening a current store only reads
            start = time.monotonic()
            with pytest.raises(StoreLocked, match="locked by another process"):
                with store.write():
                    pass
            assert time.monotonic() - start >= 0.4  # it waited for the lock before giving up
    finally:
        holder.rollback()
        holder.close()
    with Store(str(db), busy_timeout=0.5) as store, store.write():
        pass  # free again


def test_readers_never_wait_for_a_writer(tmp_path):
    """An ingest holds the write lock for a whole batch: opening the store, listing, searching and
    reading a story meanwhile neither wait nor fail (before: every open took the write lock)."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(FIX / "pont-lemonde.md", folder)
    db = tmp_path / "r.db"
    config = Config()
    config.stories.db = str(db)
    with Store(str(db)) as store:
        ingest([str(folder)], store, config)
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE stories SET title = 'en cours'")
    try:
        start = time.monotonic()
        with Store(str(db), busy_timeout=5, create=False) as store:
            (story,) = store.list_stories()
            assert story["title"] != "en cours"  # the last committed state
            assert store.search("pont") and store.story_version(story["id"])[1] == ("pont-lemonde",)
            assert store.story_articles(story["id"])[0]["id"] == "pont-lemonde"
        assert time.monotonic() - start < 2
    finally:
        writer.rollback()
        writer.close()


def _articles_complete(db: Path) -> int:
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rows = con.execute("SELECT id, clean_text, lemmas, embedding, story_id, sentences FROM articles").fetchall()
    for r in rows:
        assert r[1] and r[2] and r[5] and r[4], r[0]
        assert r[3] is not None and len(r[3]) == embed.dimension(Config().compare.embedding_model) * 4, r[0]
    stories = {r[0] for r in con.execute("SELECT id FROM stories")}
    assert {r[4] for r in rows} <= stories
    keys = con.execute("SELECT count(DISTINCT key), count(*) FROM articles").fetchone()
    assert keys[0] == keys[1]
    con.close()
    return len(rows)


def _twenty_articles(folder: Path) -> Path:
    folder.mkdir()
    for p in FIX.glob("*.md"):
        shutil.copy(p, folder / p.name)
    for k, p in enumerate(sorted(FIX.glob("*.md"))[:8]):
        text = p.read_text(encoding="utf-8").rstrip() + f"\n\nMise à jour numéro {k + 1} : la rédaction complète cet article.\n"
        (folder / f"maj{k + 1}-{p.name}").write_text(text, encoding="utf-8")
    return folder


def test_sigint_during_ingest_leaves_a_consistent_store_and_rerun_resumes(tmp_path):
    folder = _twenty_articles(tmp_path / "in")
    db = tmp_path / "int.db"
    proc = subprocess.Popen(RECOUPE + ["ingest", str(folder), "--db", str(db), "--batch-size", "2"], stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
        if db.exists():
            try:
                con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
                n = con.execute("SELECT count(*) FROM articles").fetchone()[0]
                con.close()
            except sqlite3.Error:
                continue
            if n >= 2:
                break
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert "Traceback" not in stderr
    stored = _articles_complete(db)
    if proc.returncode != 0:  # interrupted: whole batches only (all of them when the signal came after the last one)
        assert stored % 2 == 0 and stored <= 20
    config = Config()
    config.stories.db = str(db)
    with Store(str(db)) as store:
        report = ingest([str(folder)], store, config)
    assert report.new + report.duplicates == 20 and report.duplicates == stored
    assert _articles_complete(db) == 20


def test_two_ingests_at_once_keep_the_store_consistent(tmp_path):
    db = tmp_path / "two.db"
    Store(str(db)).close()  # both processes open an existing store
    procs = [
        subprocess.Popen(RECOUPE + ["ingest", str(FIX), "--db", str(db), "--batch-size", "3"], stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    errs = [p.communicate(timeout=300)[1] for p in procs]
    assert all(p.returncode == 0 for p in procs), errs
    assert _articles_complete(db) == 12
    config = Config()
    config.stories.db = str(db)
    assert sum(len(s.articles) for s in list_stories(config)) == 12
    # together the two runs stored each article once: one saw the other's articles as duplicates
    news = [int(e.split("new ")[1].split(",")[0]) for e in errs]
    assert sum(news) == 12
