"""Persistence of ingested articles and stories: SQLAlchemy Core over SQLite (default) or PostgreSQL.

Why this shape:
- one portable schema (SQLAlchemy Core tables, no backend-specific SQL) with a version number in
  ``meta`` and a list of migrations from version N to N+1, run on open;
- every write goes through :meth:`Store.write`, one transaction that first takes the write lock
  (``BEGIN IMMEDIATE`` on SQLite, an advisory lock on PostgreSQL), so a crash or Ctrl-C leaves the
  store as it was before the batch and two ingests at once take turns instead of corrupting it;
- everything else reads in :meth:`Store.read` transactions, and so does opening a store that needs
  no creation or migration: SQLite runs in WAL mode, where readers never wait for the writer, so
  pages of the web app stay fast (and never fail) while an ingest writes;
- full-text search uses SQLite FTS5 (``store_search.py``), PostgreSQL's French full text in
  ``store_pg.py``; a SQLite without FTS5 falls back to a portable ``LIKE`` search; the tables are
  in ``store_schema.py``.

Database errors never escape as tracebacks: they become :class:`StoreError` with a one-line message.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, exc

from . import store_pg
from .store_schema import articles, entity_df, lemma_df, meta, metadata, stories, topics
from .store_search import fold_sql, portable_search, sqlite_fts_add, sqlite_fts_search, sqlite_fts_setup, sqlite_fts_state
from .textsearch import terms

SCHEMA_VERSION = 5

_DF_KEY = {"lemma_df": "lemma", "entity_df": "key"}
# what the clustering reads of a stored article (stories._member)
_MEMBER_COLUMNS = (
    articles.c.key, articles.c.id, articles.c.title, articles.c.date, articles.c.lemmas, articles.c.entities,
    articles.c.embedding, articles.c.story_id, articles.c.seq, articles.c.clean_text, articles.c.lead_lemmas,
    articles.c.entity_names, articles.c.language, articles.c.date_from,
)
_PG_WRITE_LOCK = 0x7265636F  # "reco": the advisory lock key every writer of a PostgreSQL store takes


class StoreError(Exception):
    """A store problem phrased for the user in one line (corrupted, locked, too new...)."""


class StoreLocked(StoreError):
    """Another process held the lock longer than the busy timeout: worth trying again later."""


def _url(location: str) -> str:
    """A SQLAlchemy URL from a plain path or a URL; ``postgresql://`` means psycopg 3 (SQLAlchemy's
    default driver for it is psycopg2, which recoupe does not install)."""
    if "://" in location:
        for plain in ("postgresql://", "postgres://"):
            if location.startswith(plain):
                return "postgresql+psycopg://" + location[len(plain):]
        return location
    return "sqlite:///" + str(Path(location).expanduser())


def _translate(fn):
    """Turn database exceptions into one-line StoreErrors."""

    @functools.wraps(fn)
    def wrapper(self, *args, **kwargs):
        try:
            return fn(self, *args, **kwargs)
        except StoreError:
            raise
        except exc.SQLAlchemyError as e:
            raise self._error(e) from None

    return wrapper


class Store:
    """An open store. ``location`` is a file path (SQLite) or a SQLAlchemy URL (e.g. PostgreSQL)."""

    def __init__(self, location: str, busy_timeout: float = 30.0, create: bool = True):
        self.location = store_pg.shown(location)
        self.busy_timeout = busy_timeout
        self.create = create
        url = _url(location)
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            path = url.split("///", 1)[1] if "///" in url else ""
            if path and path != ":memory:":
                parent = Path(path).parent
                if not parent.exists():
                    raise StoreError(f"cannot create store {location}: folder {parent} does not exist")
                if Path(path).is_dir():
                    raise StoreError(f"cannot open store {location}: it is a folder")
                if not create and not Path(path).exists():
                    raise StoreError(f"no store at {location}; run `recoupe ingest` first")
            # one pooled connection per thread at most: the web app reads from many threads at once
            self.engine = sa.create_engine(url, connect_args={"timeout": busy_timeout}, pool_size=8, max_overflow=56)
            self._sqlite_hooks()
        else:
            try:
                self.engine = sa.create_engine(url, pool_pre_ping=True, connect_args=store_pg.connect_args(url))
            except (exc.ArgumentError, exc.NoSuchModuleError, ValueError) as e:
                raise StoreError(f"cannot use store {self.location}: not a database URL recoupe can open ({e})") from None
            except ImportError as e:
                hint = "pip install 'recoupe[postgres]'" if url.startswith("postgresql") else "recoupe stores are SQLite files or postgresql:// URLs"
                raise StoreError(f"cannot use store {self.location}: missing driver ({e}); {hint}") from None
        self.fts = False
        self._open()

    # ------------------------------------------------------------------ connection and errors

    def _sqlite_hooks(self) -> None:
        """WAL, busy timeout, and explicit BEGIN IMMEDIATE (pysqlite's own BEGIN is deferred and late)."""
        import sqlite3

        timeout_ms = int(self.busy_timeout * 1000)

        @event.listens_for(self.engine, "connect")
        def _connect(dbapi_conn, _record):
            dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
            cur = dbapi_conn.cursor()
            cur.execute(f"PRAGMA busy_timeout = {timeout_ms}")
            # WAL once per file (it persists): readers then never wait for a writer. Switching needs
            # a moment alone with the file; a reader that cannot have it (a read-only file, another
            # process busy) reads in the file's own mode instead of failing.
            if cur.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                try:
                    cur.execute("PRAGMA journal_mode = WAL")
                except sqlite3.OperationalError:
                    pass
            cur.execute("PRAGMA foreign_keys = ON")
            dbapi_conn.create_function("recoupe_fold", 1, fold_sql, deterministic=True)
            cur.close()

        @event.listens_for(self.engine, "begin")
        def _begin(conn):
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("write") else "BEGIN")

    def _error(self, e: Exception) -> StoreError:
        msg = str(getattr(e, "orig", None) or e).splitlines()[0]
        low = msg.lower()
        if "locked" in low or "busy" in low or "lock timeout" in low:
            return StoreLocked(
                f"store {self.location} is locked by another process (waited {self.busy_timeout:g} s); try again when it is done"
            )
        if not self.is_sqlite and (line := store_pg.error_line(self.location, msg)):
            return StoreError(line)
        if "not a database" in low or "malformed" in low or "corrupt" in low:
            return StoreError(f"store {self.location} is not a recoupe store or is corrupted ({msg})")
        if "unable to open" in low or "readonly" in low or "read-only" in low:
            return StoreError(f"cannot open store {self.location} ({msg})")
        return StoreError(f"store {self.location}: {msg}")

    @contextmanager
    def write(self) -> Iterator[sa.Connection]:
        """One write transaction holding the store's write lock; rolled back on any exception."""
        try:
            with self.engine.connect() as conn:
                conn.info["write"] = True
                try:
                    with conn.begin():
                        if not self.is_sqlite:
                            # an advisory lock, not a table lock: it exists before the tables do (the
                            # first open creates them) and, like BEGIN IMMEDIATE, never blocks readers
                            conn.execute(sa.text(f"SET LOCAL lock_timeout = '{int(self.busy_timeout * 1000)}ms'"))
                            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_WRITE_LOCK})
                        yield conn
                finally:
                    conn.info.pop("write", None)
        except StoreError:
            raise
        except exc.SQLAlchemyError as e:
            raise self._error(e) from None

    @contextmanager
    def read(self) -> Iterator[sa.Connection]:
        try:
            with self.engine.connect() as conn:
                with conn.begin():
                    yield conn
        except StoreError:
            raise
        except exc.SQLAlchemyError as e:
            raise self._error(e) from None

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *args) -> None:
        self.close()

    # ------------------------------------------------------------------ schema and migrations

    def _open(self) -> None:
        """Check the store in a read transaction; take the write lock only to create or migrate it."""
        with self.read() as conn:
            if self._ready(conn):
                return
        with self.write() as conn:
            names = set(sa.inspect(conn).get_table_names())
            if not names:
                if not self.create and not self.is_sqlite:  # a SQLite file was checked above
                    raise StoreError(f"no store at {self.location}; run `recoupe ingest` first")
                metadata.create_all(conn)
                conn.execute(meta.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))
                conn.execute(meta.insert().values(key="story_seq", value="0"))
                conn.execute(meta.insert().values(key="topic_seq", value="0"))
            elif "meta" not in names:
                raise StoreError(f"{self.location} is a database but not a recoupe store (no meta table)")
            else:
                version = self.schema_version(conn)
                if version > SCHEMA_VERSION:
                    raise StoreError(
                        f"store {self.location} has schema version {version}, newer than this recoupe ({SCHEMA_VERSION}); upgrade recoupe"
                    )
                while version < SCHEMA_VERSION:
                    MIGRATIONS[version](conn)  # version N -> N+1
                    version += 1
                    conn.execute(meta.update().where(meta.c.key == "schema_version").values(value=str(version)))
            if self.is_sqlite:
                self.fts = sqlite_fts_setup(conn)
            elif conn.dialect.name == "postgresql":
                store_pg.fts_setup(conn)
                self.fts = True

    def _ready(self, conn: sa.Connection) -> bool:
        """True when the store is at this version (and its search index current): nothing to write."""
        names = set(sa.inspect(conn).get_table_names())
        if "meta" not in names:
            return False
        version = self.schema_version(conn)
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"store {self.location} has schema version {version}, newer than this recoupe ({SCHEMA_VERSION}); upgrade recoupe"
            )
        if version < SCHEMA_VERSION:
            return False
        if self.is_sqlite:
            state = sqlite_fts_state(conn)
            if state == "stale":
                return False
            self.fts = state == "current"
        elif conn.dialect.name == "postgresql":
            self.fts = store_pg.fts_ready(conn)
            return self.fts
        return True

    @staticmethod
    def schema_version(conn: sa.Connection) -> int:
        value = conn.execute(sa.select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
        try:
            return int(value)
        except (TypeError, ValueError):
            raise StoreError("store has no valid schema_version in its meta table") from None

    # ------------------------------------------------------------------ articles

    @_translate
    def known_keys(self, keys: Iterable[str], conn: sa.Connection | None = None) -> set[str]:
        keys = list(keys)
        found: set[str] = set()

        def query(c):
            for i in range(0, len(keys), 500):
                chunk = keys[i : i + 500]
                found.update(c.execute(sa.select(articles.c.key).where(articles.c.key.in_(chunk))).scalars())

        if conn is not None:
            query(conn)
        else:
            with self.read() as c:
                query(c)
        return found

    @staticmethod
    def free_id(conn: sa.Connection, wanted: str) -> str:
        """``wanted`` or ``wanted-2``, ``wanted-3``...: article ids stay unique in the store."""
        candidate, k = wanted, 1
        while conn.execute(sa.select(articles.c.n).where(articles.c.id == candidate)).first() is not None:
            k += 1
            candidate = f"{wanted}-{k}"
        return candidate

    def add_article(self, conn: sa.Connection, row: dict[str, Any]) -> None:
        result = conn.execute(articles.insert().values(**row))
        if self.is_sqlite and self.fts:
            sqlite_fts_add(conn, result.inserted_primary_key[0], row.get("title") or "", row["clean_text"])

    @staticmethod
    def move_articles(conn: sa.Connection, moves: dict[str, str]) -> None:
        """Stored articles that a split or a merge took out of their story (content key -> the story's id now)."""
        if moves:
            q = articles.update().where(articles.c.key == sa.bindparam("moved_key")).values(story_id=sa.bindparam("to_story"))
            conn.execute(q, [{"moved_key": k, "to_story": s} for k, s in moves.items()])

    @staticmethod
    def open_story_members(conn: sa.Connection) -> list[sa.Row]:
        """Articles of open stories with the features clustering needs, in ingest order."""
        q = sa.select(*_MEMBER_COLUMNS).join(stories, stories.c.id == articles.c.story_id).where(stories.c.closed == 0)
        return list(conn.execute(q.order_by(articles.c.seq, articles.c.n)))

    @staticmethod
    def clustered_articles(conn: sa.Connection) -> list[sa.Row]:
        """Every article with clustering features, open story or not, in ingest order (same columns)."""
        q = sa.select(*_MEMBER_COLUMNS).where(articles.c.lemmas.is_not(None))
        return list(conn.execute(q.order_by(articles.c.seq, articles.c.n)))

    @staticmethod
    def open_stories(conn: sa.Connection) -> list[sa.Row]:
        return list(conn.execute(sa.select(stories).where(stories.c.closed == 0).order_by(stories.c.seq, stories.c.id)))

    @staticmethod
    def next_seq(conn: sa.Connection) -> int:
        return (conn.execute(sa.select(sa.func.max(articles.c.seq))).scalar() or 0) + 1

    @staticmethod
    def _next(conn: sa.Connection, counter: str) -> int:
        """The next value of a counter kept in ``meta`` (inside the caller's write transaction)."""
        n = int(conn.execute(sa.select(meta.c.value).where(meta.c.key == counter)).scalar() or 0) + 1
        if not conn.execute(meta.update().where(meta.c.key == counter).values(value=str(n))).rowcount:
            conn.execute(meta.insert().values(key=counter, value=str(n)))
        return n

    @staticmethod
    def new_story_id(conn: sa.Connection) -> tuple[str, int]:
        n = Store._next(conn, "story_seq")
        return f"s{n:04d}", n

    @staticmethod
    def save_story(conn: sa.Connection, values: dict[str, Any], new: bool) -> None:
        if new:
            conn.execute(stories.insert().values(**values))
        else:
            sid = values.pop("id")
            conn.execute(stories.update().where(stories.c.id == sid).values(**values))

    @staticmethod
    def close_stories(conn: sa.Connection, ids: Iterable[str]) -> None:
        ids = list(ids)
        if ids:
            conn.execute(stories.update().where(stories.c.id.in_(ids)).values(closed=1))

    @staticmethod
    def new_topic_id(conn: sa.Connection) -> str:
        return f"t{Store._next(conn, 'topic_seq'):04d}"

    @staticmethod
    def story_profiles(conn: sa.Connection, since: str | None = None) -> list[sa.Row]:
        """(id, topic_id, profile) of the stories a topic may gather: with a profile, active since ``since``."""
        q = sa.select(stories.c.id, stories.c.topic_id, stories.c.profile).where(stories.c.profile.is_not(None))
        if since:
            q = q.where(sa.or_(stories.c.last_date.is_(None), stories.c.last_date >= since))
        return list(conn.execute(q.order_by(stories.c.seq, stories.c.id)))

    @staticmethod
    def refresh_topics(conn: sa.Connection, topic_ids: Iterable[str]) -> None:
        """Title each topic by its largest story (a title an outlet wrote); drop topics left empty."""
        for tid in sorted(set(topic_ids)):
            sizes = (
                sa.select(stories.c.title, stories.c.seq, sa.func.count(articles.c.n).label("size"))
                .join(articles, articles.c.story_id == stories.c.id)
                .where(stories.c.topic_id == tid)
                .group_by(stories.c.id, stories.c.title, stories.c.seq)
                .order_by(sa.desc("size"), stories.c.seq)
            )
            top = conn.execute(sizes).first()
            exists = conn.execute(sa.select(topics.c.id).where(topics.c.id == tid)).first() is not None
            if top is None:
                if exists:
                    conn.execute(topics.delete().where(topics.c.id == tid))
            elif exists:
                conn.execute(topics.update().where(topics.c.id == tid).values(title=top.title))
            else:
                conn.execute(topics.insert().values(id=tid, title=top.title, seq=int(tid[1:]) if tid[1:].isdigit() else None))

    # ------------------------------------------------------------------ document frequencies

    @staticmethod
    def _df(conn: sa.Connection, table: sa.Table, terms: Iterable[str]) -> dict[str, int]:
        terms = list(set(terms))
        col = table.c[_DF_KEY[table.name]]
        out: dict[str, int] = {}
        for i in range(0, len(terms), 500):
            chunk = terms[i : i + 500]
            out.update((r[0], r[1]) for r in conn.execute(sa.select(col, table.c.df).where(col.in_(chunk))))
        return out

    def lemma_df(self, conn: sa.Connection, lemmas: Iterable[str]) -> tuple[dict[str, int], int]:
        n_docs = conn.execute(sa.select(sa.func.count()).select_from(articles).where(articles.c.lemmas.is_not(None))).scalar() or 0
        return self._df(conn, lemma_df, lemmas), int(n_docs)

    def entity_df(self, conn: sa.Connection, keys: Iterable[str]) -> dict[str, int]:
        return self._df(conn, entity_df, keys)

    @staticmethod
    def add_df(conn: sa.Connection, table: sa.Table, counts: dict[str, int]) -> None:
        """Add document counts: an upsert, written with the dialect's own INSERT ... ON CONFLICT."""
        if not counts:
            return
        if conn.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        key = _DF_KEY[table.name]
        rows = [{key: k, "df": v} for k, v in sorted(counts.items())]
        stmt = insert(table)
        stmt = stmt.on_conflict_do_update(index_elements=[key], set_={"df": table.c.df + stmt.excluded.df})
        conn.execute(stmt, rows)  # one statement, compiled once, for every row (a VALUES list of 500 rows was compiled per batch)

    def add_lemma_df(self, conn: sa.Connection, counts: dict[str, int]) -> None:
        self.add_df(conn, lemma_df, counts)

    def add_entity_df(self, conn: sa.Connection, counts: dict[str, int]) -> None:
        self.add_df(conn, entity_df, counts)

    # ------------------------------------------------------------------ reading back

    @_translate
    def list_stories(self) -> list[dict[str, Any]]:
        with self.read() as conn:
            q = sa.select(stories).where(stories.c.merged_into.is_(None))  # a merged story lives on in the one it joined
            rows = list(conn.execute(q.order_by(stories.c.first_date, stories.c.seq, stories.c.id)))
            topic_titles = dict(conn.execute(sa.select(topics.c.id, topics.c.title)).all())
            members: dict[str, list[sa.Row]] = {}
            q = sa.select(articles.c.id, articles.c.outlet, articles.c.story_id).order_by(articles.c.date, articles.c.seq, articles.c.n)
            for r in conn.execute(q):
                members.setdefault(r.story_id, []).append(r)
        out = []
        for s in rows:
            arts = members.get(s.id, [])
            about = json.loads(s.about) if s.about else {}
            out.append(
                {
                    "id": s.id,
                    "title": s.title,
                    "first_date": s.first_date,
                    "last_date": s.last_date,
                    "outlets": sorted({a.outlet for a in arts}),
                    "articles": [a.id for a in arts],
                    "closed": bool(s.closed),
                    "topic": s.topic_id,
                    "topic_title": topic_titles.get(s.topic_id),
                    "entities": about.get("entities", []),
                    "place": about.get("place"),
                    "languages": about.get("languages", []),
                }
            )
        return out

    @staticmethod
    def resolve_story(conn: sa.Connection, story_id: str) -> str | None:
        """The story that holds a story id's articles now: itself, or the one it was merged into (a
        link or a bookmark to a merged story keeps working); None when there is no such story."""
        seen: set[str] = set()
        while story_id not in seen:
            seen.add(story_id)
            row = conn.execute(sa.select(stories.c.merged_into).where(stories.c.id == story_id)).first()
            if row is None:
                return None
            if not row.merged_into:
                return story_id
            story_id = row.merged_into
        return story_id  # a cycle cannot be written; stop on it rather than loop

    @_translate
    def story_articles(self, story_id: str) -> list[dict[str, Any]]:
        with self.read() as conn:
            found = self.resolve_story(conn, story_id)
            if found is None:
                raise LookupError(f"no story '{story_id}' in store {self.location}")
            q = sa.select(articles).where(articles.c.story_id == found).order_by(articles.c.date, articles.c.seq, articles.c.n)
            return [dict(r._mapping) for r in conn.execute(q)]

    @_translate
    def count(self) -> tuple[int, int]:
        with self.read() as conn:
            a = conn.execute(sa.select(sa.func.count()).select_from(articles)).scalar() or 0
            s = conn.execute(sa.select(sa.func.count()).select_from(stories).where(stories.c.merged_into.is_(None))).scalar() or 0
        return int(a), int(s)

    @_translate
    def search(self, query: str, limit: int = 20) -> list[dict[str, Any]]:
        """Articles matching every word of ``query`` (case and accents ignored, ``word*`` a prefix),
        best first; each with a plain-text snippet and its ``highlights`` (recoupe.textsearch)."""
        ts = terms(query)
        if not ts:
            return []
        with self.read() as conn:
            if self.is_sqlite and self.fts:
                return sqlite_fts_search(conn, ts, limit)
            if conn.dialect.name == "postgresql" and self.fts:
                return store_pg.search(conn, ts, limit)
            return portable_search(conn, ts, limit)

    @_translate
    def story_version(self, story_id: str) -> tuple[str, tuple[str, ...]] | None:
        """(title, article ids) of a story, None when there is none: what a cached briefing of it
        depends on, read cheaply (no article text) on every request for it."""
        with self.read() as conn:
            story_id = self.resolve_story(conn, story_id) or story_id
            title = conn.execute(sa.select(stories.c.title).where(stories.c.id == story_id)).scalar()
            if title is None:
                return None
            q = sa.select(articles.c.id).where(articles.c.story_id == story_id).order_by(articles.c.date, articles.c.seq, articles.c.n)
            return title, tuple(conn.execute(q).scalars())


# ---------------------------------------------------------------------- migrations (N -> N+1)


def _v1_to_v2(conn: sa.Connection) -> None:
    """Version 2 stores what clustering and briefs need (lemmas, entities, embedding, source metadata)."""
    for col, typ in [
        ("source", "TEXT"),
        ("lemmas", "TEXT"),
        ("entities", "TEXT"),
        ("embedding", "BLOB" if conn.dialect.name == "sqlite" else "BYTEA"),
        ("seq", "INTEGER"),
    ]:
        conn.execute(sa.text(f"ALTER TABLE articles ADD COLUMN {col} {typ}"))
    conn.execute(sa.text("ALTER TABLE stories ADD COLUMN title_article VARCHAR(200)"))
    conn.execute(sa.text("ALTER TABLE stories ADD COLUMN seq INTEGER"))
    conn.execute(sa.text("UPDATE articles SET seq = n"))
    lemma_df.create(conn, checkfirst=True)
    for index in articles.indexes:
        index.create(conn, checkfirst=True)
    has_seq = conn.execute(sa.select(meta.c.key).where(meta.c.key == "story_seq")).first()
    if not has_seq:
        n = conn.execute(sa.select(sa.func.count()).select_from(stories)).scalar() or 0
        conn.execute(meta.insert().values(key="story_seq", value=str(n)))
    # Articles stored by version 1 have no clustering features: they stay listed and briefable,
    # but their (open) stories can no longer grow; close them so the clustering skips them.
    conn.execute(stories.update().values(closed=1))


def _v2_to_v3(conn: sa.Connection) -> None:
    """Version 3: the learned same-event clustering (lead lemmas and entities, entity document
    frequencies) and topics. Version-2 stories cannot be compared with the new features (their
    embeddings read another input), so they are closed, each under a topic of its own."""
    for col, typ in [("lead_lemmas", "TEXT"), ("entity_names", "TEXT"), ("date_from", "VARCHAR(16)")]:
        conn.execute(sa.text(f"ALTER TABLE articles ADD COLUMN {col} {typ}"))
    for col, typ in [("topic_id", "VARCHAR(32)"), ("profile", "TEXT"), ("about", "TEXT")]:
        conn.execute(sa.text(f"ALTER TABLE stories ADD COLUMN {col} {typ}"))
    topics.create(conn, checkfirst=True)
    entity_df.create(conn, checkfirst=True)
    counts: dict[str, int] = {}
    for (ents,) in conn.execute(sa.select(articles.c.entities).where(articles.c.entities.is_not(None))):
        for k in set(json.loads(ents)):
            counts[k] = counts.get(k, 0) + 1
    Store.add_df(conn, entity_df, counts)
    conn.execute(stories.update().values(closed=1))
    n = 0
    for (sid, title) in conn.execute(sa.select(stories.c.id, stories.c.title).order_by(stories.c.seq, stories.c.id)).all():
        n += 1
        conn.execute(topics.insert().values(id=f"t{n:04d}", title=title, seq=n))
        conn.execute(stories.update().where(stories.c.id == sid).values(topic_id=f"t{n:04d}"))
    conn.execute(meta.insert().values(key="topic_seq", value=str(n)))


def _v3_to_v4(conn: sa.Connection) -> None:
    """Version 4: lemma document frequencies counted once per article. Version 3 added each article's
    term counts (a lemma said 5 times counted 5), which lowered the IDF of common words against the
    one the same-event model was trained with; recounted from the stored lemmas."""
    counts: dict[str, int] = {}
    for (lemmas,) in conn.execute(sa.select(articles.c.lemmas).where(articles.c.lemmas.is_not(None))):
        for t in json.loads(lemmas):
            counts[t] = counts.get(t, 0) + 1
    conn.execute(lemma_df.delete())
    Store.add_df(conn, lemma_df, counts)


def _v4_to_v5(conn: sa.Connection) -> None:
    """Version 5: stories that merged (``merged_into``); none has yet."""
    conn.execute(sa.text("ALTER TABLE stories ADD COLUMN merged_into VARCHAR(32)"))


# MIGRATIONS[N] migrates a store from version N to N + 1 (version 0 does not exist: fresh stores
# are created at the current version).
MIGRATIONS: dict[int, Any] = {1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4, 4: _v4_to_v5}


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
