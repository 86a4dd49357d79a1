"""Absolute and relative dates normalised against the publication date, and across the articles.

A news article says "mercredi" and means the last Wednesday before it was written, says "la veille"
and means the day before the date it just gave. ``resolve_dates`` does that over plain text (so it
can be tested without spaCy); ``find_dates`` adds spans; ``anchor_dates`` resolves the weekdays of
articles dated only by month with another article's explicit date for the same event (or the only
day of the story that falls on that weekday), and the relative dates that follow them. The
timeline is built from the result in ``timeline.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from ..config import Config
from ..lang import fr
from ..model import AnalysedArticle, DateMention, Extraction

_WD = "|".join(fr.WEEKDAYS)
_MO = "|".join(sorted(fr.MONTHS, key=len, reverse=True))
_PART = r"(?:\s+(?:matin|soir|midi|après-midi|soirée|matinée|dernier|prochain))?"

# Order matters: the first pattern to claim characters wins.
_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("night", re.compile(rf"\b(?:dans\s+)?la\s+nuit\s+d[eu]\s+({_WD})\s+(?:à|au)\s+({_WD})\b")),
    ("explicit", re.compile(rf"\b(?:(?:le|ce|du|au)\s+)?(?:({_WD})\s+)?(1er|[0-3]?\d)\s*({_MO})(?:\s+((?:1[5-9]|20)\d\d))?\b")),
    ("month", re.compile(rf"\b(?:en|depuis|dès|début|fin|mi-|courant|d'|de|jusqu'en|avant|après)\s*({_MO})(?:\s+((?:1[5-9]|20)\d\d))?\b")),
    ("monthyear", re.compile(rf"\b({_MO})\s+((?:1[5-9]|20)\d\d)\b")),
    ("decade", fr.DECADES),
    ("yearrange", re.compile(r"(?<![\d ])((?:1[5-9]|20)\d\d)\s?[-–]\s?((?:1[5-9]|20)\d\d)(?!\d)")),
    ("year", re.compile(r"\b(?:en|depuis|dès|jusqu'en|avant|après|d'ici|fin|début|de|d'|l'an|l'année)\s+((?:1[5-9]|20)\d\d)(?!\d|,\d|\s?[-–]\s?\d|\s+\d)")),
    # a year named without a preposition: "le Tour de France 2009", "vainqueur 2007", "2012 était la date";
    # not a count ("2000 personnes", "1500 €": a plural noun or a unit follows) nor a part of a number
    ("bareyear", re.compile(r"(?<![\w,.'])(?<!\d )((?:1[6-9]|20)\d\d)(?![\w,.]\d|\d|\s?[-–]\s?\d|\s+\d|\s*[%€$£°])"
                            r"(?!\s+(?:de\s+|d')?[^\W\d_]+(?<!ai)s\b|\s+(?:" + "|".join(fr.UNITS_AFTER_DIGITS_ONLY) + r")\b)")),
    ("ago", re.compile(r"\bil\s+y\s+a\s+(\w+(?:-\w+)*)\s+(jours?|semaines?|mois|ans?|années?)\b")),
    ("last", re.compile(r"\b(?:la|le|l')\s*(semaine|mois|an|année)\s+(dernière?|prochaine?|passée?)\b")),
    ("anaphoric", re.compile(r"\b(" + "|".join(re.escape(k) for k in sorted(fr.ANAPHORIC_DAYS, key=len, reverse=True)) + r")\b")),
    ("deictic", re.compile(r"(?<![\w-])(" + "|".join(re.escape(k) for k in sorted(fr.RELATIVE_DAYS, key=len, reverse=True)) + r")(?![\w-])")),
    ("weekday", re.compile(rf"\b(?:(?:dans\s+la\s+(?:matinée|soirée|nuit|journée)\s+d[eu]|ce|dès|depuis|le)\s+)?({_WD}){_PART}\b")),
]

MIN_SHARED_FOR_ANCHOR = 2  # content words a weekday's sentence must share with the dated report of the same event


@dataclass
class RawDate:
    """A date found in plain text; offsets are into that text."""

    start: int
    end: int
    text: str
    date: str | None
    precision: str | None = None
    end_date: str | None = None
    relative: bool = False
    resolved_by: str = "explicit"
    weekday: int | None = None  # for weekdays left unresolved, so another article can anchor them


ANAPHORIC_REACH = 1500  # characters: how far back the day "le lendemain" counts from may be named


def parse_pub_date(value: str | None) -> tuple[date | None, str | None]:
    """The publication date and its precision ('day', 'month', 'year') from 'YYYY-MM-DD', 'YYYY-MM', 'YYYY'."""
    if not value:
        return None, None
    m = re.match(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", value)
    if not m:
        return None, None
    try:
        if m.group(3):
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3))), "day"
        if m.group(2):
            return date(int(m.group(1)), int(m.group(2)), 1), "month"
        return date(int(m.group(1)), 1, 1), "year"
    except ValueError:
        return None, None


def _norm(text: str) -> str:
    out = []
    for c in text:
        if c in "\u00a0\u202f\u2009":
            c = " "
        elif c == "’":
            c = "'"
        lc = c.lower()
        out.append(lc if len(lc) == 1 else c)
    return "".join(out)


def _weekday_before(ref: date, wd: int) -> date:
    """Most recent ``wd`` on or before ``ref``."""
    return ref - timedelta(days=(ref.weekday() - wd) % 7)


def _weekday_after(ref: date, wd: int) -> date:
    return ref + timedelta(days=(wd - ref.weekday()) % 7)


def _small_number(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    try:
        from text_to_num import text2num

        return int(text2num(word, "fr"))
    except Exception:
        return None


def resolve_dates(
    text: str, pub: str | None, future: set[int] | None = None, year_hint: int | None = None,
    known: dict[int, tuple[str, str | None, str]] | None = None,
) -> list[RawDate]:
    """Every date of a plain text, resolved against the publication date; never raises.

    ``future`` holds offsets of weekday mentions whose context is in the future tense. ``known``
    gives the date another article settled for a mention ({start offset: (date, end, precision)}):
    it is kept, and "le soir même" or "le lendemain" after it are read from it.
    """
    try:
        return _resolve(text, pub, future or set(), year_hint, known or {})
    except Exception:
        return []


def _resolve(text: str, pub_value: str | None, future: set[int], year_hint: int | None = None,
             known: dict[int, tuple[str, str | None, str]] | None = None) -> list[RawDate]:
    known = known or {}
    w = _norm(text)
    pub, pub_prec = parse_pub_date(pub_value)
    hits: list[tuple[int, int, str, re.Match]] = []
    taken: list[tuple[int, int]] = []
    for kind, rx in _PATTERNS:
        for m in rx.finditer(w):
            s, e = m.span()
            if any(not (e <= a or s >= b) for a, b in taken):
                continue
            taken.append((s, e))
            hits.append((s, e, kind, m))
    hits.sort(key=lambda h: h[0])
    out: list[RawDate] = []
    last_day: date | None = None  # the story's current day, for "la veille", "le soir même"
    last_at = 0  # where the mention that set it starts
    settled_day = False  # last_day comes from a mention another article settled (``known``)
    explicit_days = []
    for s, e, kind, m in hits:
        if kind == "explicit" and not m.group(2).startswith("0"):
            try:
                day = 1 if m.group(2) == "1er" else int(m.group(2))
                month = fr.MONTHS[m.group(3)]
                year = int(m.group(4)) if m.group(4) else (pub.year if pub else year_hint)
                if year:
                    d = date(year, month, day)
                    said = fr.WEEKDAYS[m.group(1)] if m.group(1) else None
                    explicit_days.append((d, said is not None and said == d.weekday()))
            except ValueError:
                pass
    # without a publication day, a weekday is read against the article's own first explicit day
    # that is its present: one of its publication month ("2023-09" and "le 13 septembre"), or one
    # written with its weekday, which confirms the year ("Ce jeudi 14 septembre"). A bare date of
    # another time ("enlevée le 23 février 2002" in an undated 2008 article) anchors nothing.
    present = [d for d, weekday_ok in explicit_days
               if weekday_ok or (pub is not None and pub_prec == "month" and (d.year, d.month) == (pub.year, pub.month))]
    fallback_ref = pub if pub_prec == "day" else (present[0] if present else None)
    for s, e, kind, m in hits:
        r = RawDate(s, e, text[s:e], None)
        if s in known:  # settled by another article: the story's day from here on
            r.date, r.end_date, r.precision = known[s]
            r.relative, r.resolved_by = True, "another article"
            if len(r.date) >= 10:
                last_day, last_at, settled_day = date.fromisoformat((r.end_date or r.date)[:10]), s, True
            out.append(r)
            continue
        if kind == "night":
            wd1, wd2 = fr.WEEKDAYS[m.group(1)], fr.WEEKDAYS[m.group(2)]
            r.relative = True
            if fallback_ref:
                d2 = _weekday_before(fallback_ref, wd2)
                d1 = d2 - timedelta(days=(wd2 - wd1) % 7 or 7)
                r.date, r.end_date, r.precision = d1.isoformat(), d2.isoformat(), "range"
                r.resolved_by = "publication date" if fallback_ref is pub else "explicit"
                last_day, last_at = d2, s
            else:
                r.resolved_by, r.weekday = "unresolved", wd1
        elif kind == "explicit":
            r.precision = "day"
            if m.group(2).startswith("0"):
                continue
            day = 1 if m.group(2) == "1er" else int(m.group(2))
            month = fr.MONTHS[m.group(3)]
            year = int(m.group(4)) if m.group(4) else None
            if year is None and pub:
                year = pub.year
                r.resolved_by = "publication date"
            elif year is None and year_hint:
                year = year_hint
                r.resolved_by = "year hint"
            try:
                if year is None:
                    raise ValueError
                d = date(year, month, day)
                if not m.group(4) and pub and (d - pub).days > 62:
                    d = date(year - 1, month, day)
                r.date = d.isoformat()
                if not re.search(r"\bavai(?:t|ent)\b", w[max(0, s - 80) : s]):
                    last_day, last_at = d, s  # a pluperfect flashback does not move the story's day
            except ValueError:  # "31 février", or no year at all
                r.resolved_by = "unresolved"
        elif kind in ("month", "monthyear"):
            month = fr.MONTHS[m.group(1)]
            year = int(m.group(2)) if m.group(2) else (pub.year if pub else None)
            r.precision = "month"
            if year:
                r.date = f"{year:04d}-{month:02d}"
                if not m.group(2):
                    r.resolved_by = "publication date"
            else:
                r.resolved_by = "unresolved"
        elif kind == "decade":  # "les années 80": 1980-1989
            y = int(m.group(1))
            y += 1900 if y < 100 else 0
            r.date, r.end_date, r.precision = str(y), str(y + 9), "range"
        elif kind == "yearrange":
            a, b = m.group(1), m.group(2)
            if int(a) >= int(b):
                continue
            r.date, r.end_date, r.precision = a, b, "range"
        elif kind in ("year", "bareyear"):
            r.date, r.precision = m.group(1), "year"
            r.start = s + m.start(1) - m.start() if w[s:e].startswith(("de ", "d'")) else s
            r.text = text[r.start : e]
        elif kind == "ago":
            n = _small_number(m.group(1))
            unit = m.group(2)
            r.relative = True
            if n is None or pub is None or pub_prec != "day":
                r.resolved_by = "unresolved"
            else:
                days = fr.DATE_UNITS_DAYS.get(unit, 1) * n
                d = pub - timedelta(days=days)
                r.resolved_by = "publication date"
                if unit.startswith(("an", "ann")):
                    r.date, r.precision = str(pub.year - n), "year"
                elif unit == "mois":
                    r.date, r.precision = d.isoformat()[:7], "month"
                else:
                    r.date, r.precision = d.isoformat(), "day"
        elif kind == "last":
            unit, which = m.group(1), m.group(2)
            step = 1 if which.startswith("prochain") else -1
            r.relative = True
            if pub is None:
                r.resolved_by = "unresolved"
            else:
                r.resolved_by = "publication date"
                if unit == "semaine":
                    if pub_prec != "day":
                        r.resolved_by = "unresolved"
                    else:
                        monday = pub - timedelta(days=pub.weekday()) + timedelta(days=7 * step)
                        r.date, r.end_date, r.precision = monday.isoformat(), (monday + timedelta(days=6)).isoformat(), "range"
                elif unit == "mois":
                    y, mo = pub.year, pub.month + step
                    if mo == 0:
                        y, mo = y - 1, 12
                    elif mo == 13:
                        y, mo = y + 1, 1
                    r.date, r.precision = f"{y:04d}-{mo:02d}", "month"
                else:
                    r.date, r.precision = str(pub.year + step), "year"
        elif kind == "anaphoric":
            key = m.group(1)
            r.relative = True
            ref = last_day
            if key == "au lendemain" and re.match(r"\s+d", w[e:]):
                # "a refusé jeudi, au lendemain de leur sommet": the day of the clause itself
                same = [o for o in out if o.date and o.precision == "day" and text_distance(o.start, s) < 200 and o.start > s - 200]
                ref = date.fromisoformat(same[-1].date) if same else (pub if pub_prec == "day" else None)
                shift = 0
            else:
                shift = fr.ANAPHORIC_DAYS[key]
                if key in ("la veille", "l'avant-veille"):
                    # in news, "la veille" is the day before the writing; without a day of writing,
                    # the day before the story's day when another article settled it
                    ref = fallback_ref if fallback_ref is not None or not settled_day else last_day
                    if ref is None and pub_prec == "day":
                        ref = pub
                elif ref is not None and not settled_day and s - last_at > ANAPHORIC_REACH:
                    ref = None  # "le lendemain" of a day named paragraphs before (a law's vote): of a day not named
                elif ref is None and pub_prec == "day":
                    ref = pub
            if ref is None:
                r.resolved_by = "unresolved"
            else:
                d = ref + timedelta(days=shift)
                r.date, r.precision = d.isoformat(), "day"
                r.resolved_by = "explicit" if ref is not pub else "publication date"
                last_day, last_at = d, s
        elif kind == "deictic":
            r.relative = True
            if pub_prec != "day":
                r.resolved_by = "unresolved"
            else:
                d = pub + timedelta(days=fr.RELATIVE_DAYS[m.group(1)])
                r.date, r.precision, r.resolved_by = d.isoformat(), "day", "publication date"
                last_day, last_at = d, s
        elif kind == "weekday":
            wd = fr.WEEKDAYS[m.group(1)]
            r.relative = True
            r.weekday = wd
            ws = m.start(1)
            is_future = (ws in future) or w[m.end(1) : e].strip() == "prochain"
            if w[m.end(1) : e].strip() == "dernier":
                is_future = False
            ref = fallback_ref
            if ref is None:
                r.resolved_by = "unresolved"
            else:
                d = _weekday_after(ref, wd) if is_future else _weekday_before(ref, wd)
                r.date, r.precision = d.isoformat(), "day"
                r.resolved_by = "publication date" if ref is pub else "explicit"
                last_day, last_at = d, s
        out.append(r)
    return out


def text_distance(a: int, b: int) -> int:
    return abs(a - b)


# ----------------------------------------------------------------------------- with the parse


def _future_offsets(article: AnalysedArticle, sent) -> set[int]:
    """Offsets (in sentence text) of weekday words governed by a verb in the future tense."""
    out = set()
    toks = article.tokens[sent.tok_start : sent.tok_end]
    fut = any("Tense=Fut" in t.morph for t in toks if t.pos in ("VERB", "AUX")) or any(
        t.lemma in ("devoir", "prévoir", "annoncer") and t.pos == "VERB" for t in toks
    )
    if not fut:
        return out
    for t in toks:
        if t.text.lower() in fr.WEEKDAYS:
            out.add(t.start - sent.start)
    return out


def find_dates(article: AnalysedArticle, config: Config) -> list[DateMention]:
    """Dates of an article with spans; relative ones resolved against the publication date.

    The whole article is read in order so that "la veille" can refer to the last date given.
    """
    clean = article.article
    out: list[DateMention] = []
    try:
        future: set[int] = set()
        for s in article.sentences:
            future |= {s.start + o for o in _future_offsets(article, s)}
        raws = resolve_dates(clean.text, clean.date, future)
        starts = [s.start for s in article.sentences]
        for r in raws:
            k = 0
            while k + 1 < len(starts) and starts[k + 1] <= r.start:
                k += 1
            sent = article.sentences[k].index if article.sentences else -1
            span = clean.span(r.start, r.end)
            out.append(
                DateMention(
                    text=span.text,
                    date=r.date,
                    precision=r.precision,
                    end=r.end_date,
                    relative=r.relative,
                    resolved_by=r.resolved_by,
                    span=span,
                    outlet=article.outlet,
                    sentence=sent,
                )
            )
    except Exception:
        return out
    return out


_GENERIC = {"être", "avoir", "faire", "dire", "pouvoir", "devoir", "aller", "venir", "selon", "jour", "heure", "an"}


def _content(article: AnalysedArticle, sentence: int) -> set[str]:
    """Content lemmas and proper names of a sentence: what two reports of one event share."""
    if sentence < 0 or sentence >= len(article.sentences):
        return set()
    s = article.sentences[sentence]
    out = set()
    for t in article.tokens[s.tok_start : s.tok_end]:
        lem = t.lemma.lower()
        if t.pos in ("VERB", "NOUN", "PROPN") and lem not in _GENERIC and lem not in fr.WEEKDAYS and len(lem) > 2:
            out.add(lem)
    return out


def anchor_dates(articles: list[AnalysedArticle], extractions: list[Extraction], config: Config) -> None:
    """Resolve weekdays of month-dated and undated articles with the other articles' dates (in place)."""
    by_id = {a.id: a for a in articles}
    # 1. an article without a full date borrows the year of the others for its "14 septembre"
    for ex in extractions:
        art = by_id.get(ex.article_id)
        if art is None or not any(d.resolved_by == "unresolved" for d in ex.dates):
            continue
        if parse_pub_date(art.article.date)[1] == "day":
            continue
        years = [(parse_pub_date(by_id[o.article_id].article.date)[0], o.article_id) for o in extractions
                 if o.article_id != ex.article_id and o.article_id in by_id]
        years = [(d.year, i) for d, i in years if d]
        if not years:
            continue
        year, source = max(years, key=lambda y: sum(1 for z in years if z[0] == y[0]))
        future: set[int] = set()
        for s in art.sentences:
            future |= {s.start + o for o in _future_offsets(art, s)}
        again = {r.start: r for r in resolve_dates(art.article.text, art.article.date, future, year)}
        for dm in ex.dates:
            r = again.get(_clean_start(art, dm))
            if dm.resolved_by == "unresolved" and r is not None and r.date:
                dm.date, dm.end, dm.precision = r.date, r.end_date, r.precision
                dm.resolved_by = f"another article ({source})" if r.resolved_by in ("year hint", "explicit") else r.resolved_by
    # 2. weekdays matched to another article's dated report of the same event; 3. else the only day
    # of the story, in the article's publication month, that falls on that weekday; then the
    # relative dates that follow a settled weekday ("le soir même") are read from it
    for ex in extractions:
        art = by_id.get(ex.article_id)
        if art is None:
            continue
        settled: dict[int, tuple[str, str | None, str]] = {}
        sources: dict[int, str] = {}
        for dm in ex.dates:
            if dm.date is not None or dm.resolved_by != "unresolved":
                continue
            wd = _mention_weekday(dm.text)
            if wd is None or _names_the_day(dm.text):
                continue  # "mercredi 2 juillet" lacks a year, not a day: another event's date must not replace it
            best = _same_event_day(dm, wd, art, ex, extractions, by_id)
            if best:
                dm.date, dm.precision = best[1], "day"
                if best[3] and "nuit" in dm.text.lower() and "nuit" in _norm(by_id[best[2]].article.text):
                    dm.end, dm.precision = best[3], "range"
                dm.resolved_by = f"another article ({best[2]})"
            elif only := _only_matching_day(dm, wd, art, ex, extractions, by_id):
                dm.date, dm.precision, dm.resolved_by = only[0], "day", f"only matching day ({only[1]})"
            else:
                continue
            settled[_clean_start(art, dm)] = (dm.date, dm.end, dm.precision)
            sources[_clean_start(art, dm)] = dm.resolved_by[dm.resolved_by.index("(") + 1 : -1]
        if settled:
            _read_after(art, ex, settled, sources)


def _same_event_day(dm: DateMention, wd: int, art: AnalysedArticle, ex: Extraction, extractions: list[Extraction],
                    by_id: dict[str, AnalysedArticle]) -> tuple | None:
    """(score, date, article, end, precision) of the best explicit date another article gives to the
    same event (>= MIN_SHARED_FOR_ANCHOR content words in common) on that weekday, or None."""
    mine = _content(art, dm.sentence)
    best = None
    for other in extractions:
        if other.article_id == ex.article_id or other.article_id not in by_id:
            continue
        oart = by_id[other.article_id]
        for od in other.dates:
            if not od.date or od.precision not in ("day", "range") or od.resolved_by not in ("explicit", "publication date"):
                continue
            if od.resolved_by == "explicit" and not _of_the_present(od, oart):
                continue  # "enlevée le 23 février 2002" dates another time, not this week's "samedi"
            try:
                if date.fromisoformat(od.date).weekday() != wd:
                    continue
            except ValueError:
                continue
            if ("nuit" in dm.text.lower()) != bool(od.end):
                continue  # a night range anchors only a night range
            shared = len(mine & _content(oart, od.sentence))
            if shared < MIN_SHARED_FOR_ANCHOR:
                continue  # one shared name ("Betancourt") is not the same event
            score = shared + (0.5 if not od.relative else 0)
            if best is None or score > best[0]:
                best = (score, od.date, other.article_id, od.end, od.precision if od.end else "day")
    return best


def _only_matching_day(dm: DateMention, wd: int, art: AnalysedArticle, ex: Extraction, extractions: list[Extraction],
                       by_id: dict[str, AnalysedArticle]) -> tuple[str, str] | None:
    """(date, article) when exactly one day that the other articles give as their present (an
    explicit date of the present, or a weekday they read against their publication day) falls on
    the weekday inside the article's publication month. Only for an article dated by month: the
    weekday is then inside that month, and a story's articles tell the same few days. Several such
    days, or none, leave the weekday unresolved: a guess would be worse than no date."""
    pub, prec = parse_pub_date(art.article.date)
    if pub is None or prec != "month" or "nuit" in dm.text.lower():
        return None
    days: dict[str, str] = {}
    for other in extractions:
        if other.article_id == ex.article_id or other.article_id not in by_id:
            continue
        oart = by_id[other.article_id]
        for od in other.dates:
            if not od.date or od.precision != "day" or od.resolved_by not in ("explicit", "publication date"):
                continue
            if not od.relative and not _of_the_present(od, oart):
                continue
            try:
                d = date.fromisoformat(od.date)
            except ValueError:
                continue
            if d.weekday() == wd and (d.year, d.month) == (pub.year, pub.month):
                days.setdefault(od.date, other.article_id)
    return next(iter(days.items())) if len(days) == 1 else None


def _read_after(art: AnalysedArticle, ex: Extraction, settled: dict[int, tuple[str, str | None, str]], sources: dict[int, str]) -> None:
    """Read the article again with its settled weekdays as known days, so that the relative dates
    after them ("le soir même", "le lendemain", "la veille") get their day (in place)."""
    future: set[int] = set()
    for s in art.sentences:
        future |= {s.start + o for o in _future_offsets(art, s)}
    year = int(next(iter(settled.values()))[0][:4])
    again = {r.start: r for r in resolve_dates(art.article.text, art.article.date, future, year, known=settled)}
    for dm in ex.dates:
        start = _clean_start(art, dm)
        r = again.get(start)
        if dm.date is None and dm.resolved_by == "unresolved" and r is not None and r.date and r.relative:
            before = [k for k in settled if k < start]
            if not before:
                continue
            dm.date, dm.end, dm.precision = r.date, r.end_date, r.precision
            dm.resolved_by = f"another article ({sources[max(before)]})"


def _clean_start(art: AnalysedArticle, dm: DateMention) -> int:
    """Clean offset of a mention from its original-text span."""
    offs = art.article.offsets
    import bisect

    k = bisect.bisect_left(offs, dm.span.start)
    return k


def _of_the_present(dm: DateMention, art: AnalysedArticle) -> bool:
    """An explicit date that tells the article's present: written with its (matching) weekday, or
    within a month of the article's publication date."""
    try:
        d = date.fromisoformat(dm.date[:10])
    except (TypeError, ValueError):
        return False
    if _mention_weekday(dm.text) == d.weekday():
        return True
    pub, prec = parse_pub_date(art.article.date)
    if pub is None:
        return False
    if prec == "month":
        return (d.year, d.month) == (pub.year, pub.month)
    return abs((d - pub).days) <= 31


def _names_the_day(text: str) -> bool:
    """The mention gives a day of the month or a month, not just a weekday."""
    return bool(re.search(r"\d", text)) or any(w in fr.MONTHS for w in re.findall(r"\w+", _norm(text)))


def _mention_weekday(text: str) -> int | None:
    for w in re.findall(r"\w+", _norm(text)):
        if w in fr.WEEKDAYS:
            return fr.WEEKDAYS[w]
    return None
