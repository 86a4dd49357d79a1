"""The store's tables (SQLAlchemy Core), one portable schema for SQLite and PostgreSQL.

Kept apart from ``store.py`` so that the search (``store_search.py``) and the migrations can name the
tables without importing the store itself. A change here is a new ``SCHEMA_VERSION`` in store.py and
a migration there.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

meta = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

articles = sa.Table(
    "articles",
    metadata,
    sa.Column("n", sa.Integer, primary_key=True, autoincrement=True),  # also the FTS rowid
    sa.Column("key", sa.String(64), nullable=False, unique=True),  # content hash of the clean text
    sa.Column("id", sa.String(200), nullable=False, unique=True),  # the brief's article id
    sa.Column("outlet", sa.Text, nullable=False),
    sa.Column("title", sa.Text),
    sa.Column("date", sa.String(10)),
    sa.Column("url", sa.Text),
    sa.Column("path", sa.Text),
    sa.Column("text", sa.Text, nullable=False),  # original text: every offset points into it
    sa.Column("clean_text", sa.Text, nullable=False),
    sa.Column("offsets", sa.Text, nullable=False),  # JSON runs [clean start, original start, length]
    sa.Column("language", sa.String(16)),
    sa.Column("sentences", sa.Text, nullable=False),  # JSON [[start, end], ...] clean offsets
    sa.Column("mentions", sa.Text, nullable=False),  # JSON [[start, end, label, text], ...]
    sa.Column("story_id", sa.String(32), nullable=False),
    sa.Column("added", sa.DateTime, server_default=sa.func.current_timestamp()),
    # version 2
    sa.Column("source", sa.Text),  # JSON: the Document's own metadata, to rebuild it exactly for a brief
    sa.Column("lemmas", sa.Text),  # JSON {lemma: count}: the TF-IDF view used by clustering
    sa.Column("entities", sa.Text),  # JSON [normalised entity name, ...]
    sa.Column("embedding", sa.LargeBinary),  # float32 bytes, L2-normalised
    sa.Column("seq", sa.Integer),  # ingest order, for determinism and ties
    # version 3
    sa.Column("lead_lemmas", sa.Text),  # JSON {lemma: count} of the title and lead
    sa.Column("entity_names", sa.Text),  # JSON {entity key: [label, name as written]}
    sa.Column("date_from", sa.String(16)),  # metadata | dateline | ingested (no date given: the day it was stored)
    sa.Index("ix_articles_story", "story_id"),
)

stories = sa.Table(
    "stories",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("first_date", sa.String(10)),
    sa.Column("last_date", sa.String(10)),
    sa.Column("closed", sa.Integer, nullable=False, default=0),
    # version 2
    sa.Column("title_article", sa.String(200)),
    sa.Column("seq", sa.Integer),
    # version 3
    sa.Column("topic_id", sa.String(32)),
    sa.Column("profile", sa.Text),  # JSON {"text": {lemma: weight}, "entities": {key: weight}}: what topics compare
    sa.Column("about", sa.Text),  # JSON {"entities": [...], "place": ..., "languages": [...]}
    # version 5
    sa.Column("merged_into", sa.String(32)),  # the story that took all its articles (clustering.Clusterer.merge)
)

# topics (version 3): stories about the same person, organisation or affair over time
topics = sa.Table(
    "topics",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("seq", sa.Integer),
)

# document frequency of lemmas over stored articles (version 2): the IDF of the TF-IDF view
lemma_df = sa.Table(
    "lemma_df",
    metadata,
    sa.Column("lemma", sa.String(200), primary_key=True),
    sa.Column("df", sa.Integer, nullable=False),
)


# document frequency of entity keys (version 3): how rare a shared name is
entity_df = sa.Table(
    "entity_df",
    metadata,
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("df", sa.Integer, nullable=False),
)
