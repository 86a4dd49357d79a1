"""Quantities with units, dimensions, what they measure, and intervals that read the hedge.

Two layers: ``parse_quantities`` reads plain text (digits, French number words via text2num,
"une dizaine", hedges, units, clock times) so it can be tested without spaCy; ``find_measurements``
runs it sentence by sentence and uses the dependency parse to keep only real quantities and to
name the noun phrase each one measures. The hedge readings are data in ``lang/fr.py`` and are
documented in docs/measurements.md. Values and bounds are in the dimension's base unit (hours,
metres, tonnes, m², %, the currency) so that intervals from different outlets compare.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from text_to_num import find_numbers

from ..config import Config
from ..lang import fr
from ..model import AnalysedArticle, Measurement, Token


@dataclass
class Quantity:
    """A quantity found in plain text; offsets are into that text."""

    start: int
    end: int
    text: str
    value: float
    low: float | None
    high: float | None
    low_open: bool = False
    high_open: bool = False
    unit: str = ""
    dimension: str = "count"
    hedge: str | None = None
    num_start: int = 0  # where the number itself starts (after the hedge)
    unit_start: int = -1  # where the unit / counted noun starts, -1 when none


# ----------------------------------------------------------------------------- plain text

_SPACES = "\u00a0\u202f\u2009\u2007"
# thousands grouped by spaces or by dots ("2.000 invités", "45.000 euros": a dot is never the
# decimal mark in French, and a group of exactly three digits after it is one)
_DIGITS = re.compile(r"(?<![\w,.])(\d{1,3}(?:[ \u00a0\u202f\u2009](?=\d{3}(?!\d))\d{3})+|\d{1,3}(?:\.\d{3}(?![\d,]))+|\d+)(?:,(\d+))?(?!\d)")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*['’]?|\d+|[^\w\s]")
_YEAR_RANGE = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)\s?[-–]\s?(1[5-9]\d\d|20\d\d)(?!\d)")
_CLOCK = re.compile(r"(?<![\w,])([01]?\d|2[0-4])\s?(?:h|heures?)\s?([0-5]\d)(?!\d)")
_APPROX = re.compile(
    r"\b(une?|des|aux|quelques|plusieurs)\s+(" + "|".join(fr.APPROX_NOUNS) + r"|" + "|".join(fr.PLURAL_MAGNITUDES) + r")(s?)\b"
    r"(?:\s+d(?:e\s+|')(milliers|millions|milliards)\b)?"
)
_ONLY_ONE = re.compile(r"\s+seule?\s+(?=[^\W\d_])")
_AMONG = re.compile(r"\s*d'entre\s+(?:eux|elles|nous|vous)\b")
_ORDINAL_SUFFIX = re.compile(r"(?:e|es|ème|èmes|eme|emes|è|er|ers|ère|ères|re|res)(?![\w])")
_MONTHS = re.compile(r"^\s*(?:" + "|".join(fr.MONTHS) + r"|er\b)", re.I)


class _Tok:
    """Token protocol of text2num's find_numbers."""

    __slots__ = ("w",)

    def __init__(self, w: str):
        self.w = w

    def text(self) -> str:
        return self.w

    def nt_separated(self, previous) -> bool:
        return False

    def not_a_number_part(self) -> bool:
        return False


def _norm(text: str) -> str:
    """Lower-case working copy of the same length: one apostrophe, plain spaces."""
    out = []
    for c in text:
        if c in _SPACES:
            c = " "
        elif c == "’":
            c = "'"
        lc = c.lower()
        out.append(lc if len(lc) == 1 else c)
    return "".join(out)


def _hedge_before(w: str, start: int, table: dict) -> tuple[str, int] | None:
    """Longest hedge phrase ending right before ``start`` (spaces allowed): (phrase, its start)."""
    best = None
    before = w[max(0, start - 40) : start]
    for h in table:
        m = re.search(r"(?:^|(?<=[\s(«\"',;:]))" + re.escape(h) + r"\s*$", before)
        if m and (best is None or len(h) > len(best[0])):
            best = (h, start - len(before) + m.start())
    return best


def _unit_after(w: str, pos: int, after_digits: bool) -> tuple[str, int, int] | None:
    """Unit starting at ``pos`` (after spaces, optionally after "de"/"d'"): (key, start, end)."""
    m = re.match(r"\s*", w[pos:])
    p = pos + m.end()
    if after_digits and p == pos and w[p : p + 1].isalpha() is False and w[p : p + 1] not in ("%", "€", "$", "£", "°"):
        return None
    best = None
    for key in fr.UNITS:
        if key in fr.UNITS_AFTER_DIGITS_ONLY and not after_digits:
            continue
        if w.startswith(key, p):
            e = p + len(key)
            if e < len(w) and (w[e].isalnum() or (key[-1].isalpha() and w[e] in "'-")):
                continue
            if key == "°" and w.startswith("°c", p):
                continue
            if best is None or len(key) > len(best[0]):
                best = (key, p, e)
    return best


def rounding_step(written: float) -> float:
    """The step a number as written is rounded to: 1 for 6, 10 for 80, 100 for 1 500, 0.1 for 2,5."""
    if written <= 0:
        return 1.0
    if written != int(written):
        decimals = len(f"{written:.6f}".rstrip("0").split(".")[1])
        return 10.0 ** -decimals
    n, step = int(written), 1.0
    while n >= 10 and n % 10 == 0:
        n, step = n // 10, step * 10
    return step


def _interval(x: float, hedge: str | None, table=fr.HEDGES, factor: float = 1.0) -> tuple[float | None, float | None, bool, bool]:
    """The interval of ``x`` (base units, = the number as written times ``factor``) under ``hedge``."""
    if not hedge:
        return x, x, False, False
    lo, hi, lo_open, hi_open = table[hedge]
    low = None if lo is None else lo * x
    if low is not None and hedge in fr.ROUNDED_HEDGES and factor:
        low = max(low, x - rounding_step(x / factor) * factor / 2)
    return low, (None if hi is None else hi * x), lo_open, hi_open


def _numbers(text: str, w: str) -> list[tuple[int, int, float, bool]]:
    """Every number in the text: (start, end, value, written in digits)."""
    out: list[tuple[int, int, float, bool]] = []
    for m in _DIGITS.finditer(w):
        if _ORDINAL_SUFFIX.match(w, m.end()):
            continue  # "le 14e dalaï-lama", "la 3e place": a rank, not a quantity
        try:
            v = float(re.sub(r"\D", "", m.group(1)) + ("." + m.group(2) if m.group(2) else ""))
        except ValueError:
            continue
        out.append((m.start(), m.end(), v, True))
    toks = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(w)]
    words = [_Tok(t[2].rstrip("'")) for t in toks]
    try:
        occs = find_numbers(words, "fr", threshold=0)
    except Exception:  # text2num on odd input: no word numbers rather than a crash
        occs = []
    for o in occs:
        if o.is_ordinal or o.start >= len(toks) or o.end > len(toks) or o.end <= o.start:
            continue
        if toks[o.start][2].isdigit():
            continue
        s, e = toks[o.start][0], toks[o.end - 1][1]
        out.append((s, e, float(o.value), False))
    out.sort()
    return out


def parse_quantities(text: str) -> list[Quantity]:
    """All quantities of a plain text, with hedge intervals and base units; never raises."""
    try:
        return _parse(text)
    except Exception:  # a reader of odd text must not stop the briefing
        return []


def _parse(text: str) -> list[Quantity]:
    w = _norm(text)
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    def add(q: Quantity) -> None:
        found.append(q)
        taken.append((q.num_start, q.end))

    # year ranges "(1950-1953)"
    for m in _YEAR_RANGE.finditer(w):
        a, b = int(m.group(1)), int(m.group(2))
        if a < b:
            add(Quantity(m.start(), m.end(), text[m.start() : m.end()], a, a, b, unit="year", dimension="year", num_start=m.start()))
    # clock times written "14 h 30", "4h30"
    for m in _CLOCK.finditer(w):
        if not free(m.start(), m.end()):
            continue
        v = int(m.group(1)) + int(m.group(2)) / 60
        if (re.match(r"\s*d(?:e\s|')", w[m.end() :]) and not _hedge_before(w, m.start(), {c: 0 for c in fr.CLOCK_CUES})
                and not _singular_before(w, m.start())):
            add(_make(text, w, m.start(), m.end(), v, "duration", "h", m.end(), dur=True))
        else:
            add(_make(text, w, m.start(), m.end(), v, "time", "h", -1, clock=True))
    # approximate nouns "une dizaine", "des dizaines de millions"
    for m in _APPROX.finditer(w):
        if not free(m.start(), m.end()):
            continue
        det, noun, plural, mult = m.group(1), m.group(2), m.group(3), m.group(4)
        scale = fr.PLURAL_MAGNITUDES.get(mult, 1.0) if mult else 1.0
        if noun in fr.APPROX_NOUNS and not plural and det in ("un", "une"):
            nominal, lo, hi = fr.APPROX_NOUNS[noun]
        else:
            base = fr.PLURAL_MAGNITUDES.get(noun + plural) or fr.PLURAL_MAGNITUDES.get(noun)
            if base is None:
                base = fr.APPROX_NOUNS[noun][0]
            if det in ("un", "une"):
                nominal, lo, hi = base, base, base  # "un million"
            else:
                q_lo, q_hi = fr.VAGUE_QUANTIFIERS[det]
                lo = q_lo * base
                hi = (10 * base - 1) if q_hi is None else q_hi * base
                nominal = lo
        nominal, lo, hi = nominal * scale, lo * scale, hi * scale
        q = _with_unit(text, w, m.start(), m.end(), nominal, False)
        h = _hedge_before(w, m.start(), fr.HEDGES)
        if h and h[0] not in ("environ", "à peu près", "quelque", "autour de", "aux alentours de", "approximativement"):
            q.low, q.high, q.low_open, q.high_open = _interval(nominal * q_factor(q), h[0], factor=q_factor(q))
            q.hedge = text[h[1] : m.start()].strip()
            q.start = h[1]
        else:
            f = q_factor(q)
            q.low, q.high = lo * f, hi * f
            q.hedge = text[m.start() : m.start() + len(det) + 1 + len(noun) + len(plural)]
            if h:
                q.start = h[1]
                q.hedge = text[h[1] : m.start()].strip() + " " + q.hedge
        q.text = text[q.start : q.end]
        add(q)
    # decades ("les années 80") are periods, left to dates.py
    for m in fr.DECADES.finditer(w):
        taken.append((m.start(1), m.end(1)))
    # plain numbers, in digits or words
    nums = _numbers(text, w)
    k = 0
    while k < len(nums):
        s, e, v, digits = nums[k]
        k += 1
        if not free(s, e):
            continue
        # "3,5 millions", "2 milliards"
        mm = re.match(r"\s+(millions?|milliards?|mille)\b", w[e:])
        if mm and digits:
            v *= fr.MULTIPLIERS[mm.group(1)]
            e += mm.end()
        word = w[s:e]
        if not digits and word in fr.PLURAL_MAGNITUDES:
            continue  # "en millions de munitions": no number was given
        if digits and re.match(r"\s*(?:" + "|".join(fr.MONTHS) + r"|er\b)", w[e:]):
            continue  # "13 septembre", "1er": a date, not a quantity
        if not digits and word in ("un", "une") and (sm := _ONLY_ONE.match(w, e)):
            # "un seul trader", "une seule rencontre": exactly one, and said to be
            end = sm.start() + len(sm.group().rstrip())
            add(Quantity(s, end, text[s:end], 1, 1, 1, num_start=s, unit_start=sm.end()))
            continue
        if not digits and word in ("un", "une"):
            u = _unit_after(w, e, False)
            if not u or fr.UNITS[u[0]][0] in ("money", "percentage"):
                continue
        # "entre 10 et 20 km": one interval
        if w[max(0, s - 7) : s].strip() == "entre" and k < len(nums):
            s2, e2, v2, d2 = nums[k]
            if re.fullmatch(r"\s+et\s+", w[e:s2]) and v2 > v:
                q = _with_unit(text, w, s2, e2, v2, d2)
                f = q_factor(q)
                q.start, q.num_start = s - 6, s
                q.low, q.high, q.value = v * f, v2 * f, v * f
                q.hedge = "entre"
                q.start = w.rfind("entre", 0, s)
                q.text = text[q.start : q.end]
                add(q)
                k += 1
                continue
        q = _with_unit(text, w, s, e, v, digits)
        if q.dimension == "count" and digits and 1900 <= v <= 2100 and v == int(v) and q.unit_start < 0:
            continue  # "en 2019": a year is a date, left to dates.py
        add(q)
    found.sort(key=lambda q: q.start)
    return found


def q_factor(q: Quantity) -> float:
    """Factor from the written number to the base unit, recovered from a quantity."""
    return (q.value / q._raw) if getattr(q, "_raw", 0) else 1.0


def _make(text, w, s, e, v, dimension, unit, unit_start, clock=False, dur=False) -> Quantity:
    q = Quantity(s, e, text[s:e], v, v, v, unit=unit, dimension=dimension, num_start=s, unit_start=unit_start)
    if clock:
        h = _hedge_before(w, s, fr.CLOCK_HEDGES)
        if h:
            d_lo, d_hi = fr.CLOCK_HEDGES[h[0]]
            q.low, q.high, q.hedge, q.start = v + d_lo, v + d_hi, text[h[1] : s].strip(), h[1]
    else:
        h = _hedge_before(w, s, fr.HEDGES)
        if h:
            q.low, q.high, q.low_open, q.high_open = _interval(v, h[0])
            q.hedge, q.start = text[h[1] : s].strip(), h[1]
    q.text = text[q.start : q.end]
    return q


def _with_unit(text: str, w: str, s: int, e: int, v: float, digits: bool) -> Quantity:
    """The quantity starting with the number at [s, e): unit, fraction, dimension, hedge."""
    u = _unit_after(w, e, digits)
    via_de = False
    if u is None:
        m = re.match(r"\s*d(?:e\s+|')", w[e:])
        if m:
            u = _unit_after(w, e + m.end(), False)
            via_de = u is not None
            if u and fr.UNITS[u[0]][0] not in ("money", "length", "mass", "area", "duration"):
                u, via_de = None, False
    end, dimension, factor, unit, unit_start = e, "count", 1.0, "", -1
    if u:
        key, us, ue = u
        dimension, factor, unit = fr.UNITS[key]
        end, unit_start = ue, us
        # "deux heures et demie", "un an et demi"
        fm = re.match(r"\s+et\s+demie?\b", w[end:])
        if fm:
            v += 0.5
            end += fm.end()
        if dimension == "duration" and unit == "h" and key in ("heure", "heures", "h"):
            if _is_clock(w, s, end):
                dimension = "time"
        if dimension == "duration" and key in ("an", "ans") and (
            fr.AGE_BEFORE.search(w[max(0, s - 40) : s]) or (w[max(0, s - 2) : s].strip() in ("(", ",") and re.match(r"\s*(?:[),;]|\.(?!\d))", w[end:]))
        ):
            dimension, factor, unit = "age", 1.0, "an"
        if dimension == "money" and key == "$" and not via_de:
            pass
    else:
        m = re.match(r"\s*(?:d(?:e\s+|'))?", w[e:])
        if m and e + m.end() < len(w) and w[e + m.end()].isalpha():
            unit_start = e + m.end()
    # "€ 12" is rare in French; "12 €" handled above. "une demi-heure" is a word of its own.
    start = s
    q = Quantity(start, end, text[start:end], v * factor, v * factor, v * factor, unit=unit, dimension=dimension,
                 num_start=s, unit_start=unit_start)
    q._raw = v  # type: ignore[attr-defined]
    if dimension == "duration" and unit == "h" and factor == 24 and v in fr.DAY_IDIOMS:
        q.low = fr.DAY_IDIOMS[int(v)] * factor  # "quinze jours" = two weeks, "huit jours" = one week
    if dimension == "time":
        h = _hedge_before(w, s, fr.CLOCK_HEDGES)
        if h:
            d_lo, d_hi = fr.CLOCK_HEDGES[h[0]]
            q.low, q.high, q.hedge, q.start = v + d_lo, v + d_hi, text[h[1] : s].strip(), h[1]
    else:
        h = _hedge_before(w, s, fr.HEDGES)
        if h:
            q.low, q.high, q.low_open, q.high_open = _interval(v * factor, h[0], factor=factor)
            q.hedge, q.start = text[h[1] : s].strip(), h[1]
        else:
            am = re.match(r"\s+environ\b", w[end:])
            if am and u:
                q.low, q.high, q.low_open, q.high_open = _interval(v * factor, "environ", fr.HEDGES_AFTER)
                q.hedge = "environ"
                q.end = end + am.end()
    q.text = text[q.start : q.end]
    return q


def _singular_before(w: str, s: int) -> bool:
    """A singular determiner right before a number of hours: "le 20 heures", "son dernier 20h00"."""
    last = re.findall(r"[\w'-]+", w[max(0, s - 20) : s])
    return bool(last) and last[-1] in fr.SINGULAR_BEFORE_HOURS


def _is_clock(w: str, s: int, end: int) -> bool:
    """"à 14 heures", "vers 23 heures", "2 heures du matin" are times of day, not durations; "le 20 heures"
    (a singular determiner before a plural) is the programme of that time."""
    after = w[end : end + 25].lstrip()
    if after.startswith(fr.CLOCK_AFTER):
        return True
    if _singular_before(w, s):
        return True
    words = re.findall(r"[\w'-]+", w[max(0, s - 30) : s])
    if len(words) >= 2 and words[-1] == "de" and words[-2] in fr.PROGRAMME_NOUNS:
        return True  # "le journal télévisé de 20h"
    before = w[max(0, s - 30) : s].rstrip()
    last = re.findall(r"[\w'-]+", before)[-2:]
    if not last:
        return False
    if last[-1] in ("à", "vers", "dès", "avant", "après", "jusqu'à", "aux") or (last[-1] == "à" or before.endswith("jusqu'à")):
        return True
    if last[-1] == "depuis" and w[s].isdigit():
        return True
    if " ".join(last) in ("peu après", "peu avant", "alentours de"):
        return True
    return False


# ----------------------------------------------------------------------------- with the parse

_MAGNITUDE_END = re.compile(r"\d\s+(?:millions?|milliards?)$", re.I)
_DEFINITE_BEFORE = re.compile(r"\b(?:les|ces|leurs|ses|nos|vos)\s+$")


def _word_end(text: str, end: int) -> int:
    """Extend past hyphenated parts the tokenizer split off: "sapeurs-pompiers"."""
    m = re.match(r"(?:-[^\W\d_]+)+", text[end:])
    return end + m.end() if m else end


def _head(t: Token) -> int:
    """Head index; tolerant of a head stored as an unsigned 64-bit offset."""
    h = t.head
    return h - (1 << 64) if h >= (1 << 63) else h


def _np(tokens: list[Token], i: int, lo: int, hi: int) -> tuple[int, int]:
    """Token range of the noun at i with its adjacent adjectives (and "de"-complement-free)."""
    a = b = i
    changed = True
    while changed:
        changed = False
        if a - 1 >= lo and _head(tokens[a - 1]) == i and tokens[a - 1].pos == "ADJ":
            a -= 1
            changed = True
        if b + 1 < hi and _head(tokens[b + 1]) == i and tokens[b + 1].pos == "ADJ" and tokens[b + 1].dep in ("amod", "acl"):
            b += 1
            changed = True
    return a, b + 1


def _measured(article: AnalysedArticle, q: Quantity, s0: int, t0: int, t1: int) -> tuple[str | None, int]:
    """The noun phrase a quantity attaches to, and the token index of its head (or -1)."""
    toks = article.tokens
    text = article.article.text

    def tok_at(off: int) -> int:
        for j in range(t0, t1):
            if toks[j].start <= off < toks[j].end:
                return j
        return -1

    def phrase(i: int) -> str:
        a, b = _np(toks, i, t0, t1)
        return text[toks[a].start : _word_end(text, toks[b - 1].end)]

    if q.dimension == "count":
        if q.unit_start < 0:
            return None, -1
        j = tok_at(s0 + q.unit_start)
        # skip a determiner or a degree word before the noun: "trois de ses traders", "les six plus grandes banques"
        for _ in range(2):
            if 0 <= j < t1 - 1 and (toks[j].pos == "DET" and toks[j].text.lower() not in fr.COUNT_SINGULAR_ARTICLES
                                    or toks[j].text.lower() in fr.COUNT_NOUN_SKIP):
                j += 1
        # skip adjectives before the noun: "une dizaine de hauts responsables"
        while 0 <= j < t1 - 1 and toks[j].pos == "ADJ" and _head(toks[j]) > j:
            j = _head(toks[j])
        if j < 0 or toks[j].pos not in ("NOUN", "PROPN", "ADJ"):
            return None, -1
        return phrase(j), j
    ju = tok_at(s0 + q.unit_start) if q.unit_start >= 0 else tok_at(s0 + q.num_start)
    if ju < 0:
        return None, -1
    # "une perte de 751 millions d'euros", "une nouvelle enveloppe de 5 milliards": the noun right
    # before "de" + the amount, read from the words (the parser often hangs the amount elsewhere)
    jn = tok_at(s0 + q.start)
    if q.dimension in ("money", "mass", "length", "area") and jn - 2 >= t0 and toks[jn - 1].text.lower() in ("de", "d'", "d’"):
        k = jn - 2
        while k > t0 and toks[k].pos == "ADJ":
            k -= 1
        if toks[k].pos == "NOUN" and toks[k].text.lower() not in fr.PLURAL_MAGNITUDES:
            return phrase(k), k
    # "six heures d'échange", "80 % des habitants": a "de" complement of the unit
    for c in range(ju + 1, min(t1, ju + 4)):
        if _head(toks[c]) == ju and toks[c].dep in ("nmod",) and toks[c].pos == "NOUN":
            return phrase(c), c
    h = _head(toks[ju])
    if q.dimension == "year":
        return None, -1
    # "10,5 milliards d'euros": the magnitude word carries the currency; what is measured is above it
    if t0 <= h < t1 and h != ju and (toks[h].text.lower() in fr.MULTIPLIERS or toks[h].text.lower() in fr.PLURAL_MAGNITUDES):
        ju, h = h, _head(toks[h])
    if t0 <= h < t1 and toks[h].lemma.lower() in fr.APPROX_NOUNS:  # "une trentaine de kilomètres"
        ju, h = h, _head(toks[h])
    if h != ju and t0 <= h < t1:
        if toks[h].pos in ("NOUN", "PROPN") and toks[ju].dep in ("nmod", "nummod", "obl:mod", "obl"):
            return phrase(h), h
        if toks[h].pos in ("VERB", "AUX"):
            for c in range(t0, t1):
                if _head(toks[c]) == h and toks[c].dep in ("nsubj", "nsubj:pass") and toks[c].pos in ("NOUN", "PROPN"):
                    return phrase(c), c
    return None, -1


def find_measurements(article: AnalysedArticle, config: Config) -> list[Measurement]:
    """Quantities of an article, sentence by sentence, with the noun phrase each one measures."""
    out: list[Measurement] = []
    clean = article.article
    currency = ""  # the last currency the article named
    for sent in article.sentences:
        try:
            stext = clean.text[sent.start : sent.end]
            for q in parse_quantities(stext):
                measures, head = _measured(article, q, sent.start, sent.tok_start, sent.tok_end)
                definite = False
                if q.dimension == "count" and head < 0 and currency and _MAGNITUDE_END.search(q.text):
                    # "Crédit Mutuel : 1,2 milliard", "les 40 milliards": the currency the article gave before
                    q.dimension, q.unit, measures = "money", currency, None
                if q.dimension == "count":
                    if head < 0 and not _AMONG.match(_norm(stext), q.end):
                        continue  # a bare number ("SDIS 44", "route 723") is no quantity ("plusieurs dizaines d'entre eux" is)
                    # "les six banques", "ses quatre enfants": often a reference back, sometimes the count
                    # itself; kept, marked, for the comparison to weigh (the rules skip them)
                    definite = bool(q.value < 10 and q.num_start >= 4 and _DEFINITE_BEFORE.search(_norm(stext[: q.num_start])))
                    # the counted noun belongs to the span: "80 sapeurs-pompiers"
                    if head >= 0:
                        tok = article.tokens[head]
                        a, b = _np(article.tokens, head, sent.tok_start, sent.tok_end)
                        end = max(q.end, article.tokens[a].start - sent.start if a < head else tok.end - sent.start)
                        end = max(end, _word_end(clean.text, tok.end) - sent.start)
                        if end - q.end < 60:
                            q.end = end
                            q.text = stext[q.start : q.end]
                span = clean.span(sent.start + q.start, sent.start + q.end)
                out.append(
                    Measurement(
                        id=f"{article.id}:m{len(out)}",
                        text=span.text,
                        value=q.value,
                        low=q.low,
                        high=q.high,
                        low_open=q.low_open,
                        high_open=q.high_open,
                        unit=q.unit,
                        dimension=q.dimension,
                        measures=measures,
                        hedge=q.hedge,
                        span=span,
                        outlet=article.outlet,
                        sentence=sent.index,
                        definite=definite,
                    )
                )
                if q.dimension == "money" and q.unit:
                    currency = q.unit
        except Exception:  # one odd sentence must not lose the article's other measurements
            continue
    return out
