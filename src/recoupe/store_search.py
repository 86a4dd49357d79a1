"""Full-text search of stored articles: SQLite FTS5 (the default), and a portable ``LIKE`` search for
a SQLite without FTS5; PostgreSQL's French full text lives in ``store_pg.py``.

Kept apart from ``store.py``: nothing in the store depends on how search works, and every route
returns the same result shape (id, outlet, title, story, date, snippet, highlights).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from . import store_pg
from .store_schema import articles
from .textsearch import Term, fold_chars, matches, snippet

# Folding accents in SQL: PostgreSQL's translate() over lower(); SQLite (without FTS5) calls the
# Python function the connect hook registers.
_ACCENTED, _PLAIN = store_pg.ACCENTED, store_pg.PLAIN


def fold_sql(text: str | None) -> str | None:
    return None if text is None else fold_chars(text)


def _folded(conn: sa.Connection, col):
    if conn.dialect.name == "sqlite":
        return sa.func.recoupe_fold(col)
    return sa.func.translate(sa.func.lower(col), _ACCENTED, _PLAIN)


def portable_search(conn: sa.Connection, ts: list[Term], limit: int) -> list[dict[str, Any]]:
    text, title = _folded(conn, articles.c.clean_text), _folded(conn, articles.c.title)
    cond = sa.and_(*[sa.or_(text.like(f"%{t.text}%"), title.like(f"%{t.text}%")) for t in ts])
    q = sa.select(articles.c.id, articles.c.outlet, articles.c.title, articles.c.story_id, articles.c.date, articles.c.clean_text)
    out = []
    for r in conn.execute(q.where(cond).order_by(articles.c.date, articles.c.n).limit(limit * 5)):
        if len(out) == limit or not matches(f"{r.title or ''} {r.clean_text}", ts):
            continue  # LIKE finds the letters anywhere: keep whole words (or prefixes), as FTS5 does
        snip, marks = snippet(r.clean_text, ts)
        out.append({"id": r.id, "outlet": r.outlet, "title": r.title, "story": r.story_id, "date": r.date, "snippet": snip,
                    "highlights": marks})
    return out


# ---------------------------------------------------------------------- SQLite-only: FTS5 search
# Kept apart: nothing above depends on it. Case and accents are folded (remove_diacritics 2), so
# "depute" finds "député"; an index made with accents significant is rebuilt once, on open.

_FTS_TABLE = "articles_fts"
_FTS_TOKENIZER = "unicode61 remove_diacritics 2"
_HL_OPEN, _HL_CLOSE = "\x02", "\x03"  # snippet() markers: control characters no article text holds


def sqlite_fts_state(conn: sa.Connection) -> str:
    """"current", "stale" (missing or built with another tokenizer: to (re)build) or "none" (no FTS5)."""
    sql = conn.execute(sa.text("SELECT sql FROM sqlite_master WHERE name = :n"), {"n": _FTS_TABLE}).scalar()
    if sql is not None:
        return "current" if _FTS_TOKENIZER in sql else "stale"
    has_fts5 = conn.execute(sa.text("SELECT sqlite_compileoption_used('ENABLE_FTS5')")).scalar()
    return "stale" if has_fts5 else "none"


def sqlite_fts_setup(conn: sa.Connection) -> bool:
    """Create the FTS5 index if missing or stale (and fill it from existing articles); False without FTS5."""
    state = sqlite_fts_state(conn)
    if state == "current":
        return True
    conn.execute(sa.text(f"DROP TABLE IF EXISTS {_FTS_TABLE}"))
    try:
        conn.execute(
            sa.text(
                f"CREATE VIRTUAL TABLE {_FTS_TABLE} USING fts5(title, clean_text, content='articles', "
                f"content_rowid='n', tokenize='{_FTS_TOKENIZER}')"
            )
        )
    except sa.exc.OperationalError:
        return False  # SQLite built without FTS5: search falls back to the portable query
    conn.execute(sa.text(f"INSERT INTO {_FTS_TABLE}({_FTS_TABLE}) VALUES ('rebuild')"))
    return True


def sqlite_fts_add(conn: sa.Connection, rowid: int, title: str, text: str) -> None:
    conn.execute(
        sa.text(f"INSERT INTO {_FTS_TABLE}(rowid, title, clean_text) VALUES (:r, :t, :x)"), {"r": rowid, "t": title, "x": text}
    )


def _unmark(snip: str) -> tuple[str, list[tuple[int, int]]]:
    """The snippet without its markers, and where they were."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    start = None
    for c in snip.replace("\n", " "):
        if c == _HL_OPEN:
            start = len(out)
        elif c == _HL_CLOSE and start is not None:
            spans.append((start, len(out)))
            start = None
        else:
            out.append(c)
    return "".join(out), spans


def sqlite_fts_search(conn: sa.Connection, ts: list[Term], limit: int) -> list[dict[str, Any]]:
    # every word quoted (a prefix with * after the quotes): no FTS syntax from users
    match = " ".join('"' + t.text.replace('"', "") + '"' + ("*" if t.prefix else "") for t in ts)
    q = sa.text(
        f"SELECT a.id, a.outlet, a.title, a.story_id, a.date, "
        f"snippet({_FTS_TABLE}, 1, '{_HL_OPEN}', '{_HL_CLOSE}', '…', 14) AS snip "
        f"FROM {_FTS_TABLE} JOIN articles a ON a.n = {_FTS_TABLE}.rowid "
        f"WHERE {_FTS_TABLE} MATCH :m ORDER BY rank, a.n LIMIT :k"
    )
    out = []
    for r in conn.execute(q, {"m": match, "k": limit}):
        snip, marks = _unmark(r.snip)
        out.append({"id": r.id, "outlet": r.outlet, "title": r.title, "story": r.story_id, "date": r.date, "snippet": snip,
                    "highlights": marks})
    return out
