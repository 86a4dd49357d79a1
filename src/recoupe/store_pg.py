"""PostgreSQL-only parts of the store: French full-text search, connection options, and how messages
show a URL (no password) and a server problem (one line).

Kept apart from ``store.py`` as the SQLite FTS5 search is (``store_search.py``): nothing portable depends on it.

Search runs on an expression index (GIN over ``to_tsvector('french', ...)`` of the folded title and
text), not on a stored column, so the schema stays the portable one and a store needs no migration:
the index is created on open when missing. Case and accents are folded before the French
configuration sees the words (``translate(lower(...))``, immutable, so usable in an index; the
``unaccent`` extension would need a superuser), so "depute" finds "député" as with FTS5, and the
French stemmer also lets "ponts" find "pont". Results have the FTS5 shape: id, outlet, title,
story, date, plain-text snippet and its highlights (recoupe.textsearch).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from .textsearch import Term, fold_chars, snippet

INDEX = "articles_fts_fr"
ACCENTED = "àáâãäåāçćčèéêëēěìíîïīñńòóôõöōùúûüūýÿžš"
# derived, not typed: a hand-typed list once had one letter too many, and every letter after "ç" shifted
PLAIN = fold_chars(ACCENTED)
# the indexed expression; the query repeats it word for word, which is what lets the planner use the index
_VECTOR = (
    "to_tsvector('french'::regconfig, translate(lower(coalesce(a.title, '') || ' ' || a.clean_text), "
    f"'{ACCENTED}', '{PLAIN}'))"
)


def fts_ready(conn: sa.Connection) -> bool:
    return conn.execute(sa.text("SELECT 1 FROM pg_indexes WHERE indexname = :n"), {"n": INDEX}).first() is not None


def fts_setup(conn: sa.Connection) -> None:
    """Create the search index (inside the caller's write transaction: PostgreSQL DDL is transactional)."""
    conn.execute(sa.text(f"CREATE INDEX IF NOT EXISTS {INDEX} ON articles USING gin ({_VECTOR.replace('a.', '')})"))


def search(conn: sa.Connection, ts: list[Term], limit: int) -> list[dict[str, Any]]:
    # each word its own to_tsquery of one quoted lexeme (terms are \w+ only: no tsquery syntax from users)
    params: dict[str, Any] = {"k": limit}
    parts = []
    for i, t in enumerate(ts):
        params[f"q{i}"] = f"'{t.text}'" + (":*" if t.prefix else "")
        parts.append(f"to_tsquery('french'::regconfig, :q{i})")
    query = " && ".join(parts)
    q = sa.text(
        f"SELECT a.id, a.outlet, a.title, a.story_id, a.date, a.clean_text, ts_rank_cd({_VECTOR}, q.q) AS rank "
        f"FROM articles a, (SELECT {query} AS q) q WHERE {_VECTOR} @@ q.q ORDER BY rank DESC, a.n LIMIT :k"
    )
    out = []
    for r in conn.execute(q, params):
        snip, marks = snippet(r.clean_text, ts)
        out.append({"id": r.id, "outlet": r.outlet, "title": r.title, "story": r.story_id, "date": r.date, "snippet": snip,
                    "highlights": marks})
    return out


def connect_args(url: str) -> dict[str, Any]:
    """A server that does not answer fails the open in seconds, not after the system's TCP timeout."""
    return {"connect_timeout": 10} if url.startswith("postgresql") else {}


def shown(location: str) -> str:
    """The location as messages show it: a URL without its password."""
    if "://" not in location:
        return location
    try:
        return sa.engine.make_url(location).render_as_string(hide_password=True)
    except (sa.exc.ArgumentError, ValueError):
        return location.split("@")[-1] if "@" in location else location  # unreadable: never echo a password


def error_line(location: str, msg: str) -> str | None:
    """A one-line reason for a server problem (down, unknown database or role, no permission), or None."""
    low = msg.lower()
    if "connection refused" in low or "could not connect" in low or "no such file or directory" in low and "socket" in low:
        return f"cannot connect to the PostgreSQL server of {location}: connection refused (is the server running?)"
    if "timeout expired" in low or "could not translate host name" in low or "name or service not known" in low:
        return f"cannot reach the PostgreSQL server of {location} ({msg.split(':')[-1].strip()})"
    if "does not exist" in low and ("database" in low or "role" in low):
        return f"cannot open store {location}: {msg[msg.lower().find('fatal:') + 6:].strip() if 'fatal:' in low else msg}"
    if "password authentication failed" in low or "no password supplied" in low:
        return f"cannot open store {location}: authentication failed"
    if "permission denied" in low:
        return f"store {location}: permission denied ({msg.strip()})"
    return None
