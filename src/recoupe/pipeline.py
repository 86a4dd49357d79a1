"""The main job: read -> clean -> analyse -> extract -> compare -> summarise, into one Briefing."""

from __future__ import annotations

import datetime as _dt
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
    return cleaned, notices + date_from_datelines(cleaned)


def date_from_datelines(cleaned: list[CleanArticle]) -> list[Notice]:
    """Date an article that has none from its dateline ("NANTES, 5 mars (APO)"), the year taken from
    the other articles of the same batch (the year that puts the day closest to one of their dates).

    A dateline without a year stays unused when no other article is dated: a guessed year would
    shift every weekday the article mentions."""
    notices = []
    known = [dt for a in cleaned if a.date and (dt := _day(a.date))]
    for a in cleaned:
        if a.date or not a.dateline_date:
            continue
        where = a.doc.path or a.id
        if not known:
            notices.append(Notice(file=where, level="warning",
                                  message=f"dateline gives {a.dateline_date[2:]} without a year and no other article is dated; article left undated"))
            continue
        month, day = int(a.dateline_date[2:4]), int(a.dateline_date[5:7])
        best = None
        for year in sorted({k.year + d for k in known for d in (-1, 0, 1)}):
            try:
                cand = _dt.date(year, month, day)
            except ValueError:  # 29 February of a common year
                continue
            gap = min(abs((cand - k).days) for k in known)
            if best is None or gap < best[0]:
                best = (gap, cand)
        if best is None:
            continue
        a.date, a.date_from = best[1].isoformat(), "dateline"
        notices.append(Notice(file=where, level="info",
                              message=f"dated {a.date} from its dateline, the year from the other articles"))
    return notices


def _day(iso: str) -> _dt.date | None:
    try:
        return _dt.date.fromisoformat(iso[:10]) if len(iso) >= 10 else _dt.date.fromisoformat(iso[:7] + "-15")
    except ValueError:
        return None


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

    articles = [a.info(lang.get(a.id) or language_of(a, config), analysed=a.id in lang) for a in cleaned]
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
        measurements=[m for x in extractions for m in x.measurements if not m.definite],
        timeline=build_timeline(analysed, extractions, config, comparison),
        provenance=build_provenance(extractions, config.extract.source_min_confidence),
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
