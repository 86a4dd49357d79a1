"""Merge entity mentions across articles into canonical entities.

Outlets write one name many ways ("Kim Jong-un", "Kim Jong Un", "KIM JONG-UN", "M. Kim", "Kim"),
and one story can hold two people sharing a family name (Kim Jong-un and his sister Kim Yo-jong).
So linking goes in steps, from the safest to the least safe:

1. mentions with the same normalised name (case, accents, hyphens, apostrophes, honorifics) are one;
2. full forms close in spelling (rapidfuzz, conservative) are one ("Vostotchny" / "Vostochny"),
   an acronym joins the one name it abbreviates or opens ("ARS" / "ARS Auvergne-Rhône-Alpes"), a
   bare place joins the one "cosmodrome de X";
3. a short person form ("Kim", "M. Le Goff", "Mme Kerloc'h") joins the only compatible full name,
   else the closest full name of the same article (preceding first), else stays apart, ambiguous.

Role descriptions set next to a name ("le président russe Vladimir Poutine", "Dmitri Peskov,
porte-parole du Kremlin") are kept as the person's roles, for later stages to resolve.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from functools import lru_cache
from dataclasses import dataclass

from .config import Config
from .lang import rules_for
from .model import AnalysedArticle, Entity, EntityIndex, Mention

FUZZY_THRESHOLD = 90.0  # rapidfuzz ratio above which two full names are spelling variants
FUZZY_MIN_CHARS = 6  # shorter names are too easy to confuse ("Iran" / "Irak")
ROLE_MAX_TOKENS = 8


# --------------------------------------------------------------------------- normalisation


def fold(text: str) -> str:
    """Lower case without accents, with straight apostrophes: the key two spellings of a name share."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'").replace("ʼ", "'"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def split_honorific(text: str, language: str = "fr") -> tuple[str | None, str]:
    """("m", "Kim") for "M. Kim": the gender an honorific tells ("" when it tells none) and the name."""
    honorifics = getattr(rules_for(language), "HONORIFICS", {})
    words = text.split(None, 1)
    if len(words) == 2 and words[0][:1].isupper() and words[0].lower() in honorifics:
        return honorifics[words[0].lower()] or "", words[1]
    return None, text


def name_key(text: str, language: str = "fr") -> tuple[str, ...]:
    """Comparable form of a name: no honorific, no accents, no case, hyphens and spaces alike."""
    _, name = split_honorific(text.strip(), language)
    rules = rules_for(language)
    dets = getattr(rules, "NAME_DETERMINERS", set())
    words = [w for w in re.split(r"[\s\-‐‑–]+", fold(name).strip(" .,;:!?«»\"()")) if w]
    while len(words) > 1 and words[0] in dets and not name.startswith(("Le ", "La ", "Les ")):
        words = words[1:]
    return tuple(words)


def _contains(long: tuple[str, ...], short: tuple[str, ...]) -> bool:
    """short is a contiguous run of long's words."""
    n = len(short)
    return 0 < n < len(long) and any(long[i : i + n] == short for i in range(len(long) - n + 1))


# --------------------------------------------------------------------------- linking


@dataclass
class _M:
    art: int
    m: Mention
    key: tuple[str, ...]
    surface: str  # name without honorific
    gender: str | None  # from an honorific: "m", "f", "" (honorific without gender), None (none)


class _Union:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        p = self.parent.setdefault(x, x)
        if p != x:
            p = self.parent[x] = self.find(p)
        return p

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _vote(ms: list[_M]) -> str:
    """Majority label; a lone capitalised word tagged PER counts little (spaCy tags many places so)."""
    votes: Counter[str] = Counter()
    for x in ms:
        w = 1.0
        if x.gender is not None:
            votes["PER"] += 3.0
            continue
        if x.m.label == "PER" and len(x.key) == 1:
            w = 1 / 3
        votes[x.m.label] += w
    return max(sorted(votes), key=lambda k: votes[k]) if votes else "MISC"


def _acronym(surface: str, particles: set[str]) -> str:
    words = [w for w in re.split(r"[\s\-]+", surface) if w and w.lower() not in particles]
    return "".join(w[0] for w in words if w[:1].isupper()).upper() if len(words) >= 2 else ""


def _initials(surface: str, particles: set[str]) -> str:
    """Initials of every word but particles, elisions dropped: French names are written in sentence
    case ("Union cycliste internationale" -> UCI, "Agence nationale de la sécurité des systèmes
    d'information" -> ANSSI)."""
    words = [re.sub(r"^[ldLD]['’]", "", w) for w in re.split(r"[\s\-]+", surface)]
    words = [w for w in words if w and w.lower() not in particles]
    return "".join(w[0] for w in words).upper() if len(words) >= 2 else ""


def link_entities(articles: list[AnalysedArticle], config: Config | None = None) -> EntityIndex:
    """Canonical entities over all articles, with every mention linked to one."""
    language = articles[0].language if articles else "fr"
    rules = rules_for(language)
    particles = getattr(rules, "NAME_PARTICLES", set())

    ms: list[_M] = []
    for ai, a in enumerate(articles):
        for m in a.mentions:
            gender, surface = split_honorific(m.text, a.language)
            key = name_key(m.text, a.language)
            if key:
                ms.append(_M(ai, m, key, surface.strip(), gender))

    # 1. same normalised name
    groups: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, x in enumerate(ms):
        groups[x.key].append(i)
    keys = list(groups)
    gid = {k: g for g, k in enumerate(keys)}
    glabel = [_vote([ms[i] for i in groups[k]]) for k in keys]
    uf = _Union()
    for g in range(len(keys)):
        uf.find(g)

    # which person groups are short forms of a longer person name ("kim" in "kim jong un")
    per = [g for g, k in enumerate(keys) if glabel[g] == "PER"]
    longer: dict[int, list[int]] = {g: [h for h in per if _contains(keys[h], keys[g])] for g in per}
    short = {g for g, hs in longer.items() if hs}
    full = [g for g in range(len(keys)) if g not in short]

    # 2a. spelling variants among full forms
    from rapidfuzz import fuzz, process

    names = [" ".join(keys[g]) for g in full]
    if len(names) > 1:
        scores = process.cdist(names, names, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD)
        for x in range(len(full)):
            for y in range(x + 1, len(full)):
                if scores[x][y] < FUZZY_THRESHOLD:
                    continue
                gx, gy = full[x], full[y]
                kx, ky = keys[gx], keys[gy]
                if min(len(names[x]), len(names[y])) < FUZZY_MIN_CHARS:
                    continue
                if re.findall(r"\d+", names[x]) != re.findall(r"\d+", names[y]):
                    continue  # "SDIS 44" / "SDIS 45"
                if (glabel[gx] == "PER") != (glabel[gy] == "PER") or (glabel[gx] == "PER" and len(kx) != len(ky)):
                    continue
                uf.union(gx, gy)

    # 2b. acronyms and bare names inside a descriptive name, when only one name fits
    surfaces = {g: ms[groups[k][0]].surface for g, k in enumerate(keys)}
    # the acronyms each non-person name could be written as, computed once
    skips = particles | getattr(rules, "ACRONYM_SKIPS", frozenset())
    event_heads = {fold(w) for w in getattr(rules, "EVENT_HEADS", ())}  # compared with name keys, folded
    bodies = [h for h in full if glabel[h] != "PER"]
    acronym = {h: _acronym(surfaces[h], particles) for h in bodies}
    initials = {h: _initials(surfaces[h], skips) for h in bodies}
    for g in full:
        k = keys[g]
        if glabel[g] == "PER" or len(k) != 1:
            continue
        s = surfaces[g]
        targets = set()
        if s.isupper() and 2 <= len(s) <= 6:
            targets |= {h for h in bodies if h != g and acronym[h] == s}
        if 2 <= len(s) <= 6 and s[:1].isupper() and s.isalpha():
            # ("UCI", "Anssi": the initials of a name written in sentence case)
            targets |= {h for h in bodies if h != g and initials[h] == s.upper()}
            # "ARS Auvergne-Rhône-Alpes" holds "ARS": an acronym opening a longer name
            targets |= {h for h in bodies if h != g and len(keys[h]) >= 2 and keys[h][0] == k[0]}
        for h in full:
            if h == g or glabel[h] == "PER" or len(keys[h]) < 2:
                continue
            hs = surfaces[h]
            # "cosmodrome de Vostotchny" holds "Vostotchny" (or "Vostochny"); "SDIS 44" holds "SDIS"
            tail = keys[h][-1] == k[0] or (len(k[0]) >= FUZZY_MIN_CHARS and fuzz.ratio(keys[h][-1], k[0]) >= FUZZY_THRESHOLD)
            if (hs[:1].islower() and tail and keys[h][0] not in event_heads) or (keys[h][0] == k[0] and all(w.isdigit() for w in keys[h][1:])):
                targets.add(h)
        roots = {uf.find(h) for h in targets}
        if len(roots) == 1:
            uf.union(g, roots.pop())

    # roles next to full person names, and the gender they (or honorifics) tell
    roles: dict[int, list[str]] = defaultdict(list)
    gender_votes: dict[int, Counter[str]] = defaultdict(Counter)
    role_gender = getattr(rules, "role_gender", lambda r: None)
    for x in ms:
        g = gid[x.key]
        if g in short:
            continue
        root = uf.find(g)
        if x.gender:
            gender_votes[root][x.gender] += 1
        if glabel[g] == "PER":
            for r in find_roles(articles[x.art], x.m):
                roles[root].append(r)
                rg = role_gender(r)
                if rg:
                    gender_votes[root][rg] += 1
    gender = {r: c.most_common(1)[0][0] for r, c in gender_votes.items() if len(c) == 1 or c.most_common(2)[0][1] > c.most_common(2)[1][1]}

    # 3. short person forms, mention by mention
    assign: list[int] = [uf.find(gid[x.key]) for x in ms]
    ambiguous: set[int] = set()
    full_positions: dict[int, list[tuple[int, int]]] = defaultdict(list)  # article -> (start, root)
    for i, x in enumerate(ms):
        if gid[x.key] not in short:
            full_positions[x.art].append((x.m.start, assign[i]))
    # in text order, so that a resolved "M. Kim" is the closest referent of a later bare "Kim"
    for i in sorted(range(len(ms)), key=lambda i: (ms[i].art, ms[i].m.start)):
        x = ms[i]
        g = gid[x.key]
        if g not in short:
            continue
        cands = {uf.find(h) for h in longer[g]}
        if x.gender:
            cands = {c for c in cands if gender.get(c) in (None, x.gender)}
        if len(cands) == 1:
            assign[i] = cands.pop()
        else:
            here = [(s, r) for s, r in full_positions[x.art] if r in cands]
            before = [(s, r) for s, r in here if s < x.m.start]
            if before:
                assign[i] = max(before)[1]
            elif here:
                assign[i] = min(here)[1]
            else:
                ambiguous.add(assign[i])
                continue
        full_positions[x.art].append((x.m.start, assign[i]))

    # entities, in order of first mention
    members: dict[int, list[int]] = defaultdict(list)
    for i, r in enumerate(assign):
        members[r].append(i)
    entities: list[Entity] = []
    by_mention: dict[tuple[str, int], str] = {}
    for r, idx in members.items():
        group = [ms[i] for i in idx]
        eid = f"e{len(entities) + 1}"
        outlets: Counter[str] = Counter(articles[x.art].outlet for x in group)
        entities.append(
            Entity(
                id=eid,
                name=_canonical(group),
                type=_vote(group),
                aliases=list(dict.fromkeys(x.m.text for x in group)),
                mentions=[articles[x.art].article.span(x.m.start, x.m.end) for x in group],
                outlets=dict(outlets),
                roles=list(dict.fromkeys(roles.get(r, []))),
                ambiguous=r in ambiguous and all(gid[x.key] in short for x in group),
            )
        )
        for x in group:
            by_mention[(articles[x.art].id, x.m.index)] = eid
    return EntityIndex(entities=entities, by_mention=by_mention)


def _canonical(group: list[_M]) -> str:
    """The most written of the longest forms; mixed case over capitals ("KIM JONG-UN")."""
    longest = max(len(x.key) for x in group)
    forms = [x.surface for x in group if len(x.key) == longest]
    written = Counter(f.lower().replace("’", "'") for f in forms)  # "KIM JONG-UN" votes for the hyphen
    mixed = [f for f in forms if not f.isupper() or len(f) <= 6] or forms
    return max(sorted(set(mixed)), key=lambda f: (written[f.lower().replace("’", "'")], f[:1].isupper(), "-" in f, len(f)))


# --------------------------------------------------------------------------- roles


def find_roles(article: AnalysedArticle, m: Mention) -> list[str]:
    """Role descriptions set next to a person's name, copied from the text.

    "le président russe Vladimir Poutine", "le porte-parole du Kremlin, Dmitri Peskov" (before),
    "Pierre Le Goff, directeur du site" (after, between commas).
    """
    rules = rules_for(article.language)
    role_nouns = getattr(rules, "ROLE_NOUNS", {})
    toks = article.tokens
    text = article.article.text
    out = []
    dets = {"le", "la", "l'", "l’", "les", "sa", "son", "ses", "leur", "notre", "un", "une", "cette", "ce"}
    preps = {"de", "du", "des", "d'", "d’", "en", "à", "au", "aux"}

    def is_role(words: list[str]) -> bool:
        low = [w.lower() for w in words[:3]]
        return any(w in role_nouns for w in low) or any(" ".join(low[j : j + 2]) in role_nouns for j in range(2))

    # before the name
    i = m.tok_start - 1
    if i >= 0 and toks[i].text == ",":
        i -= 1
    end = i + 1
    k = i
    det = None  # the last determiner passed: where the description starts if nothing better comes
    while k >= 0 and end - k <= ROLE_MAX_TOKENS:
        t = toks[k]
        if t.pos in ("PUNCT", "VERB", "AUX", "PRON", "CCONJ", "SCONJ") and t.text not in ("-",) or t.ent == "PER" or "\n" in t.text:
            k = det if det is not None else -1
            break
        if t.text.lower() in dets and t.pos in ("DET", "ADP", "PRON") or t.text.lower() in ("l'", "l’"):
            det = k
            if k > 0 and toks[k - 1].text.lower() in preps:  # inside a complement: "du ministre de la Défense"
                k -= 1
                continue
            break
        k -= 1
    else:
        k = det if det is not None else -1
    if 0 <= k < end - 1:
        words = [t.text.lower() for t in toks[k + 1 : end]]
        # the first role noun heads the description: "la sœur du dirigeant", but "la main du président russe"
        r = next((j for j in range(len(words)) if words[j] in role_nouns or " ".join(words[j : j + 2]) in role_nouns), None)
        if r is not None:
            first = k if r == 0 else k + 1 + r
            out.append(_lower_first(text[toks[first].start : toks[end - 1].end]))
    # after the name, between commas
    j = m.tok_end
    if j < len(toks) and toks[j].text == ",":
        j += 1
        start = j
        while j < len(toks) and j - start < ROLE_MAX_TOKENS:
            t = toks[j]
            if t.pos in ("PUNCT", "VERB", "AUX", "PRON", "CCONJ", "SCONJ") and t.text != "-" or "\n" in t.text:
                break
            j += 1
        if j < len(toks) and toks[j].text in (",", ")", ".", ";", ":") and j > start:
            words = [t.text for t in toks[start:j]]
            first = 1 if words[0].lower() in dets else 0
            if is_role(words[first:]) and words[first].lower() in role_nouns or is_role(words[first:first + 2]):
                out.append(_lower_first(text[toks[start].start : toks[j - 1].end]))
    return out


def _lower_first(s: str) -> str:
    return s[:1].lower() + s[1:] if s[:1].isupper() and not s[1:2].isupper() else s


@lru_cache(maxsize=8)
def _role_wordings(rules) -> tuple[list[tuple[str, str]], re.Pattern | None, dict[str, str]]:
    """A language's role synonyms, one pattern for "de la Corée du Nord" ... at the end of a folded
    role, and folded country -> folded demonym (resolve_role)."""
    demonyms = {fold(c): fold(d) for c, d in getattr(rules, "COUNTRY_DEMONYMS", {}).items()}
    alt = "|".join(re.escape(c) for c in sorted(demonyms, key=len, reverse=True))
    pattern = re.compile(rf" (?:de la|de l'|du|des|de) ?(?P<country>{alt})$") if alt else None
    return list(getattr(rules, "ROLE_SYNONYMS", {}).items()), pattern, demonyms


def resolve_role(index: EntityIndex, phrase: str, language: str = "fr") -> Entity | None:
    """The one person whose recorded roles match a description ("le président russe"), else None.
    Two wordings of one role match: "le numéro un de la Corée du Nord" / "le dirigeant nord-coréen"
    (the language's role synonyms and country demonyms)."""
    rules = rules_for(language)

    def norm(s: str) -> str:
        words = fold(s).split()
        while words and words[0] in ("le", "la", "l'", "les", "sa", "son", "ses", "leur", "un", "une"):
            words = words[1:]
        return " ".join(words)

    synonyms, of_country, demonyms = _role_wordings(rules)

    def key(s: str) -> str:
        t = norm(s)
        for a, b in synonyms:
            if t == a or t.startswith(a + " "):
                t = b + t[len(a):]
        return of_country.sub(lambda m: " " + demonyms[m["country"]], t) if of_country else t

    target = norm(phrase)
    if not target:
        return None
    hits = [e for e in index.entities if any(norm(r) == target for r in e.roles)]
    if not hits:
        k = key(phrase)
        hits = [e for e in index.entities if any(key(r) == k for r in e.roles)]
    return hits[0] if len(hits) == 1 else None
