"""The main job: read -> clean -> analyse -> extract -> compare -> summarise, into one Briefing."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .analyse import analyse
from .clean import clean
from .compare import compare
from .config import Config
from .entities import link_entities
from .extract import extract, build_provenance, build_timeline
from .model import (
    AnalysedArticle,
    ArticleInfo,
    Briefing,
    CleanArticle,
    Comparison,
    Document,
    EntityIndex,
    Extraction,
    Notice,
)
from .read import read_inputs
from .summarise import summarise

Progress = Callable[[str, int, int], None]  # stage, done, total


@dataclass
class Analysis:
    """Everything the stages produced, for callers that need more than the Briefing (store, web)."""

    cleaned: list[CleanArticle] = field(default_factory=list)
    analysed: list[AnalysedArticle] = field(default_factory=list)
    entities: EntityIndex | None = None
    extractions: list[Extraction] = field(default_factory=list)
    comparison: Comparison | None = None
    notices: list[Notice] = field(default_factory=list)


def content_key(text: str) -> str:
    """Hash of an article's words, blind to spacing and case: the same article read twice."""
    words = re.findall(r"\w+", text.lower())
    return hashlib.sha256(" ".join(words).encode()).hexdigest()


def deduplicate(cleaned: list[CleanArticle]) -> tuple[list[CleanArticle], list[Notice]]:
    seen: dict[str, CleanArticle] = {}
    ids: Counter[str] = Counter()
    out, notices = [], []
    for a in cleaned:
        key = content_key(a.text)
        if key in seen:
            first = seen[key]
            notices.append(
                Notice(file=a.doc.path or a.id, message=f"same article as '{first.id}' ({first.doc.path or first.id}); counted once")
            )
            continue
        seen[key] = a
        ids[a.id] += 1
        if ids[a.id] > 1:  # two different files with one name: keep ids unique
            a.doc.id = f"{a.id}-{ids[a.id]}"
        out.append(a)
    return out, notices


def clean_all(docs: list[Document], config: Config) -> tuple[list[CleanArticle], list[Notice]]:
    cleaned, notices = [], []
    for d in docs:
        a = clean(d, config)
        if not a.text.strip():
            notices.append(Notice(file=d.path or d.id, message="no text left after cleaning; skipped"))
            continue
        cleaned.append(a)
    return cleaned, notices


def run(
    inputs: Iterable[object],
    config: Config | None = None,
    progress: Progress | None = None,
    since: Iterable[object] | None = None,
) -> tuple[Briefing, Analysis]:
    config = config or Config()
    docs, notices = read_inputs(inputs, config)
    cleaned, more = clean_all(docs, config)
    notices += more
    cleaned, more = deduplicate(cleaned)
    notices += more
    old: list[AnalysedArticle] = []
    if since is not None:
        old_docs, more = read_inputs(since, config)
        notices += more
        old_clean, more = clean_all(old_docs, config)
        notices += more
        new_keys = {content_key(a.text) for a in cleaned}
        old_clean = [a for a in old_clean if content_key(a.text) not in new_keys]
        old, more = analyse(old_clean, config)
        notices += more

    total = len(cleaned)
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress("analyse", done, total)

    analysed, more = analyse(cleaned, config, progress=tick)
    notices += more
    if len(analysed) == 1:
        notices.append(Notice(level="info", file=analysed[0].article.doc.path or analysed[0].id, message="only one source: nothing to cross-check"))
    entities = link_entities(analysed, config)
    extractions = extract(analysed, entities, config)
    comparison = compare(analysed, entities, extractions, config)
    summary = summarise(analysed, comparison, extractions, config, since=old or None)
    briefing = assemble(cleaned, analysed, entities, extractions, comparison, summary, notices, config)
    return briefing, Analysis(cleaned, analysed, entities, extractions, comparison, notices)


def brief(inputs: Iterable[object], config: Config | None = None, **kwargs) -> Briefing:
    return run(inputs, config, **kwargs)[0]


def assemble(
    cleaned: list[CleanArticle],
    analysed: list[AnalysedArticle],
    entities: EntityIndex,
    extractions: list[Extraction],
    comparison: Comparison,
    summary,
    notices: list[Notice],
    config: Config,
) -> Briefing:
    lang = {a.id: a.language for a in analysed}
    from .analyse import language_of

    articles = []
    for a in cleaned:
        articles.append(
            ArticleInfo(
                id=a.id,
                outlet=a.outlet,
                title=a.title,
                date=a.date,
                language=lang.get(a.id) or language_of(a, config),
                words=len(a.text.split()),
                removed=a.removed,
                analysed=a.id in lang,
                path=a.doc.path,
                url=a.doc.url,
                outlet_from=a.outlet_from,
                text=a.doc.text,
                subheads=a.subheads,
            )
        )
    analysed_infos = [i for i in articles if i.analysed]
    dates = sorted(i.date for i in analysed_infos if i.date)
    titles = [i.title for i in analysed_infos if i.title]
    languages = Counter(i.language for i in analysed_infos)
    return Briefing(
        title=_story_title(titles, summary),
        language=languages.most_common(1)[0][0] if languages else None,
        first_date=dates[0] if dates else None,
        last_date=dates[-1] if dates else None,
        outlets=dict(Counter(i.outlet for i in analysed_infos)),
        summary=summary,
        articles=articles,
        entities=sorted(entities.entities, key=lambda e: -len(e.mentions)),
        quotes=[q for x in extractions for q in x.quotes],
        measurements=[m for x in extractions for m in x.measurements],
        timeline=build_timeline(analysed, extractions, config),
        provenance=build_provenance(extractions),
        facts=comparison.facts,
        coverage=comparison.coverage,
        conflicts=comparison.conflicts,
        shared_quotes=comparison.shared_quotes,
        reuse=comparison.reuse,
        notices=notices,
    )


def _story_title(titles: list[str], summary) -> str | None:
    """A title some outlet wrote (the shortest of the titles), never a made-up one."""
    if titles:
        return min(titles, key=len)
    if summary:
        return summary[0].text
    return None
