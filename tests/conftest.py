"""Shared test fixtures: the spaCy pipeline loaded once per session, and a helper that runs
read -> clean -> analyse on in-memory texts so that every stage's tests start from real analysis.

Usage in a test module::

    from conftest import analyse_texts          # plain function
    arts = analyse_texts({"lemonde": "Le président ...", "afp": "..."},
                         outlets={"afp": "AFP"}, dates={"afp": "2019-04-25"})

    def test_x(analysed):                       # same function as a fixture
        arts = analysed({"a": "..."})

Texts may start with YAML front matter (``---\\ntitle: ...\\nsource: ...\\ndate: ...\\nlang: ...\\n---``),
which is read as the reader would. Keyword arguments override it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # so that `from conftest import analyse_texts` works

from recoupe.analyse import analyse, load_pipeline  # noqa: E402
from recoupe.clean import clean  # noqa: E402
from recoupe.config import Config  # noqa: E402
from recoupe.model import AnalysedArticle, CleanArticle, Document, Notice  # noqa: E402
from recoupe.read import read_text_document  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
# odd input for the embedding engines: blanks, emoji, a 3000-character token run, other scripts, control
# characters, ligatures
ODD_TEXTS = ["", "   ", "🙂🙂 emoji", "x" * 3000, "Привет, мир", "日本語のテキスト", "a  b\u00a0c\td", "\x01\x02 contrôle", "ﬁn ﬂeur"]


def make_documents(
    texts: dict[str, str],
    outlets: dict[str, str] | None = None,
    dates: dict[str, str] | None = None,
    langs: dict[str, str] | None = None,
    titles: dict[str, str] | None = None,
) -> list[Document]:
    """Documents with the given ids (keys of ``texts``); outlet defaults to the id."""
    docs = []
    for doc_id, text in texts.items():
        d = read_text_document(text.lstrip("\ufeff"), doc_id, None, "txt")
        d.outlet = (outlets or {}).get(doc_id) or d.outlet or doc_id
        d.date = (dates or {}).get(doc_id) or d.date
        d.lang = (langs or {}).get(doc_id) or d.lang
        d.title = (titles or {}).get(doc_id) or d.title
        docs.append(d)
    return docs


def clean_texts(texts: dict[str, str], config: Config | None = None, **kwargs) -> list[CleanArticle]:
    config = config or Config()
    return [clean(d, config) for d in make_documents(texts, **kwargs)]


def analyse_texts(
    texts: dict[str, str],
    outlets: dict[str, str] | None = None,
    dates: dict[str, str] | None = None,
    langs: dict[str, str] | None = None,
    titles: dict[str, str] | None = None,
    config: Config | None = None,
    notices: list[Notice] | None = None,
) -> list[AnalysedArticle]:
    """read -> clean -> analyse on in-memory texts ``{article id: text}``.

    Articles kept out of the analysis (e.g. not French) are missing from the result; pass a
    ``notices`` list to receive the analyser's notices.
    """
    config = config or Config()
    cleaned = clean_texts(texts, config, outlets=outlets, dates=dates, langs=langs, titles=titles)
    analysed, more = analyse(cleaned, config)
    if notices is not None:
        notices.extend(more)
    return analysed


def assert_batch_independent(engine, texts: list[str]) -> None:
    """An e5 engine gives each text the same vector alone, in a batch and in any order (bit for bit)."""
    import numpy as np

    together = engine.passage(texts)
    assert np.array_equal(together, np.stack([engine.passage([t])[0] for t in texts]))
    assert np.array_equal(together, engine.passage(texts[::-1])[::-1])


@pytest.fixture(scope="session")
def example_paragraphs() -> list[str]:
    """Every paragraph of more than 30 characters of the bundled example articles (any format, read
    as raw text): real French news text for the e5 engines' agreement tests."""
    out = []
    for path in sorted(EXAMPLES.glob("*/*")):
        if path.is_file():
            text = path.read_bytes().decode("utf-8", errors="replace").lstrip("\ufeff")
            out += [p.strip() for p in text.splitlines() if len(p.strip()) > 30]
    return out


@pytest.fixture(scope="session")
def nlp():
    """The French spaCy pipeline, loaded once per session (load_pipeline is lru_cached)."""
    return load_pipeline(Config().analysis.spacy_models["fr"])


@pytest.fixture(scope="session")
def analysed(nlp):
    """The ``analyse_texts`` function, with the pipeline already loaded."""
    return analyse_texts


@pytest.fixture(scope="session")
def config() -> Config:
    return Config()


@pytest.fixture(scope="session")
def pg_server():
    """A real PostgreSQL server for the session (tests/pgserver.py), or a skip saying why there is none."""
    import pgserver

    server, reason = pgserver.start()
    if server is None:
        pytest.skip(f"PostgreSQL tests skipped: {reason}")
    yield server
    server.stop()


@pytest.fixture
def pg_url(pg_server, request):
    """A fresh, empty PostgreSQL database for one test."""
    import re

    name = "t_" + re.sub(r"\W", "_", request.node.name)[:50].lower()
    return pg_server.create_database(name)
