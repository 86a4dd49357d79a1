"""Different places for one event: in one aligned fact ('dîner offert au cosmodrome' / 'banquet organisé à
Vladivostok'), or across facts for one named event. A place locates the event only through the word that governs
it, so a place of something else in the same claim never clashes."""

from __future__ import annotations

import re

import numpy as np

from ..lang import rules_for
from ..model import AnalysedArticle, Conflict, DateMention, EntityIndex, ValueGroup
from .claims import ClaimInfo, canonical
from .values import MeasInfo, heads_above, tokens_in

EVENT_PLACE_MIN_COS = 0.84  # claim cosine for one event located at two places across facts (event_place_conflicts)


def place_conflicts(
    claims: list[ClaimInfo],
    articles: list[AnalysedArticle],
    facts: list[list[int]],
    fact_centrality: list[float],
    fact_texts: list[str],
    score: np.ndarray | None = None,
    min_score: float = 0.0,
    meas: list[MeasInfo] | None = None,
) -> list[Conflict]:
    """Aligned claims, close paraphrases of each other, that each put the event in one place, and
    the places differ ('dîner offert au cosmodrome' / 'banquet organisé à Vladivostok')."""
    out = []
    for f, members in enumerate(facts):
        single_all = {c: claims[c].places[0] for c in members if len(claims[c].places) == 1}
        # the places must locate the same event: the same governing word ('ont passé la nuit dans la
        # salle' / 'dans le gymnase'), not 'la répression continuait au Tibet' / 'le bureau du Tibet à Paris';
        # or the same group: the subjects of the verbs are one count ('Plus de 60 personnes ... ont passé la
        # nuit dans la salle' / 'Environ 70 personnes ... ont été hébergées dans le gymnase')
        group = {c: same_group_keys(articles[claims[c].art], claims[c], p[2], meas or []) for c, p in single_all.items()}
        gov = {c: place_governors(articles[claims[c].art], p[2]) | group[c] for c, p in single_all.items()}
        by_gov: list[tuple[set[str], dict[int, tuple]]] = []  # claims whose places hang on a shared word
        for c, p in single_all.items():
            hit = [g for g in by_gov if g[0] & gov[c] or not gov[c] and not g[0]]
            if hit:
                for other in hit[1:]:
                    hit[0][0].update(other[0])
                    hit[0][1].update(other[1])
                    by_gov.remove(other)
                hit[0][0].update(gov[c])
                hit[0][1][c] = p
            else:
                by_gov.append((set(gov[c]), {c: p}))
        for _, single in by_gov:
            out.extend(_place_conflict(single, f, claims, articles, fact_centrality, fact_texts, score, min_score, group))
    return out


def same_group_keys(article: AnalysedArticle, claim: ClaimInfo, start: int, meas: list[MeasInfo]) -> set[str]:
    """Keys of the counts that are the subject of the verb a place hangs on, with the counts of other
    outlets found the same with compatible values: two claims sharing a key put one group of people
    or things somewhere ('Plus de 60 personnes ... ont passé la nuit dans la salle' / 'Environ 70
    personnes ... ont été hébergées dans le gymnase')."""
    verb = next((t for t in heads_above(article, start, 4) if t.pos == "VERB"), None)
    if verb is None or not meas:
        return set()
    toks = article.tokens
    out: set[str] = set()
    for k in claim.measurements:
        x = meas[k]
        if x.m.dimension != "count" or not x.agrees:
            continue
        span = tokens_in(toks, article.article.clean_offset(x.m.span.start), article.article.clean_offset(x.m.span.end))
        if any(toks[i].head == verb.i and toks[i].dep.startswith("nsubj") for i in span):
            out |= {f"#count{j}" for j in x.agrees | {k}}
    return out


def place_governors(article: AnalysedArticle, start: int) -> set[str]:
    """Lemmas of the words a place phrase hangs on, up to the first verb: 'passé la nuit dans la
    salle' gives {nuit, passer} whichever of the two the parser hangs the place on."""
    toks = article.tokens
    rules = rules_for(article.language)
    out: set[str] = set()
    t = None
    for t in heads_above(article, start, 4):
        if t.pos in ("VERB", "NOUN"):
            out.add(canonical(t.lemma, rules))  # read through the synonyms: 'dîner' / 'banquet'
        if t.pos == "VERB":
            break
    if t is None:
        return out
    if t.pos == "VERB" or t.head == t.i:  # the verb's object too: 'passé [la nuit] dans la salle'
        out |= {canonical(k.lemma, rules) for k in toks[max(0, t.i - 8) : t.i + 8] if k.head == t.i and k.dep == "obj" and k.pos == "NOUN"}
    return out


def _place_conflict(single, f, claims, articles, fact_centrality, fact_texts, score, min_score, group=None) -> list[Conflict]:
    """One place conflict of fact ``f`` when its claims (one place each, same governing word) name different places."""
    out: list[Conflict] = []
    group = group or {}
    if score is not None:  # close paraphrases, or one group of people or things
        single = {c: p for c, p in single.items() if any(score[c, o] >= min_score or group.get(c, set()) & group.get(o, set()) for o in single if o != c)}
    if len(single) < 2:
        return out
    groups = _place_groups(single.items(), claims, articles)
    if len(groups) >= 2 and len({o for g in groups for o in g.outlets}) >= 2:
        out.append(_place_conflict_of(groups, f, fact_texts, fact_centrality))
    return out


def _same_place(p: tuple, q: tuple) -> bool:
    """One place named twice: 'cosmodrome de Vostotchny' / 'Vostotchny' (places are (key, text, start, end))."""
    wp = set(re.findall(r"\w+", p[1].lower().replace("’", "'"))) | {p[0]}
    wq = set(re.findall(r"\w+", q[1].lower().replace("’", "'"))) | {q[0]}
    return p[0] in wq or q[0] in wp


def _place_groups(items, claims: list[ClaimInfo], articles: list[AnalysedArticle]) -> list[ValueGroup]:
    """Value groups of (claim, place) items, one per place (the first naming of it gives the value)."""
    groups: list[tuple[tuple, ValueGroup]] = []
    for c, p in items:
        art = articles[claims[c].art]
        g = next((g for q, g in groups if _same_place(p, q)), None)
        if g is None:
            g = ValueGroup(value=p[1], outlets=[], spans=[])
            groups.append((p, g))
        if art.outlet not in g.outlets:
            g.outlets.append(art.outlet)
        g.spans.append(art.article.span(p[2], p[3]))
    return [g for _, g in groups]


def _place_conflict_of(groups: list[ValueGroup], f: int, fact_texts: list[str], fact_centrality: list[float]) -> Conflict:
    outlets = {o for g in groups for o in g.outlets}
    return Conflict(topic=fact_texts[f], kind="place", groups=groups, centrality=len(outlets) + fact_centrality[f])


def place_events(article: AnalysedArticle, start: int) -> dict[str, int]:
    """The events (``EVENT_PLACE_NOUNS``: canonical nouns of ``SYNONYM_GROUPS``) that a place phrase
    locates, with the token of the event noun: the event noun it hangs on ('le dîner au cosmodrome'),
    or, when it hangs on a verb, that verb's subject or object ('la réunion s'est tenue à Genève', 'ont
    organisé une manifestation à Lyon') or the noun the verb (a participle) describes ('un dîner offert
    au cosmodrome')."""
    rules = rules_for(article.language)
    events = getattr(rules, "EVENT_PLACE_NOUNS", set())
    out: dict[str, int] = {}
    if not events:
        return out
    toks = article.tokens
    for t in heads_above(article, start, 4):
        if t.pos in ("NOUN", "PROPN"):  # the first noun above: an event, or something else
            if t.pos == "NOUN" and (k := canonical(t.lemma, rules)) in events:
                out[k] = t.i
            return out
        if t.pos != "VERB":
            continue
        for k in toks[max(0, t.i - 30) : t.i + 30]:
            if k.head == t.i and k.i != t.i and k.pos == "NOUN" and k.dep in ("obj", "nsubj", "nsubj:pass"):
                if (e := canonical(k.lemma, rules)) in events:
                    out.setdefault(e, k.i)
        h = toks[t.head]
        if t.dep == "acl" and h.pos == "NOUN" and (e := canonical(h.lemma, rules)) in events:
            out.setdefault(e, h.i)
        return out
    return out


def event_partners(article: AnalysedArticle, i: int) -> set[str]:
    """Who an event noun is with (``EVENT_PARTNER_PREPOSITIONS``: 'une réunion avec les syndicats',
    'une rencontre organisée à l'université avec les chefs d'entreprise', 'un entretien entre X et Y'),
    read through the synonyms: the complements of the noun, of a participle describing it, or of the
    verb it is the subject or object of."""
    toks = article.tokens
    rules = rules_for(article.language)
    preps = getattr(rules, "EVENT_PARTNER_PREPOSITIONS", set())
    if not preps:
        return set()
    window = toks[max(0, i - 30) : i + 30]
    heads = {i} | {k.i for k in window if k.head == i and k.pos == "VERB" and k.dep == "acl"}
    if toks[i].dep in ("nsubj", "nsubj:pass", "obj") and toks[toks[i].head].pos == "VERB":
        heads.add(toks[i].head)
    out = set()
    for k in window:
        if k.head in heads and k.i not in heads and k.pos in ("NOUN", "PROPN"):
            if any(x.head == k.i and x.dep == "case" and x.text.lower() in preps for x in window):
                out.add(canonical(k.lemma, rules))
    return out


def event_place_conflicts(
    claims: list[ClaimInfo],
    articles: list[AnalysedArticle],
    fact_of: list[int],
    fact_centrality: list[float],
    fact_texts: list[str],
    cos: np.ndarray,
    dates: list[tuple[int, int | None, DateMention, str]],
    entities: EntityIndex | None = None,
    reported: list[Conflict] | None = None,
    min_cos: float = EVENT_PLACE_MIN_COS,
) -> list[Conflict]:
    """One event of a kind, located by two outlets at different places, across facts: 'un dîner
    officiel offert au cosmodrome' / 'un banquet organisé le soir même à Vladivostok' (both read as
    'repas', see ``place_events``). Each article must locate that event in exactly one of its claims
    that name a place and mention the event (so several meetings of one story never meet), the claims
    must be similar (cos >= ``min_cos``), and must not name different people / organisations or
    different days."""
    kind_of = {e.id: e.type for e in (entities.entities if entities else [])}  # places are not the people of a claim
    generic: dict[int, set[str]] = {}  # per article: place nouns that may name the other place ('un bâtiment', 'la capitale')
    # article -> event -> claims with a place that mention the event
    mentions: dict[tuple[int, str], list[int]] = {}
    located: dict[tuple[int, str], list[tuple[int, tuple]]] = {}
    partners: dict[int, set[str]] = {}  # claim -> what its located event is with / of
    for c, info in enumerate(claims):
        if not info.places:
            continue
        a = articles[info.art]
        rules = rules_for(a.language)
        events = getattr(rules, "EVENT_PLACE_NOUNS", set())
        generic[info.art] = getattr(rules, "GENERIC_PLACE_NOUNS", set())
        for e in events & info.lemmas:
            mentions.setdefault((info.art, e), []).append(c)
        for p in info.places:
            for e, i in place_events(a, p[2]).items():
                located.setdefault((info.art, e), []).append((c, p))
                partners[c] = event_partners(a, i)
    days: dict[int, set[str]] = {}
    for _, c, d, _ in dates:
        if c is not None and d.date and d.precision == "day":
            days.setdefault(c, set()).add(d.date[:10])
    by_event: dict[str, list[tuple[int, tuple]]] = {}
    for (k, e), places in located.items():
        if len(places) == 1 and len(mentions.get((k, e), [])) == 1 and places[0][1][0] not in generic.get(k, set()):
            by_event.setdefault(e, []).append(places[0])
    seen = {frozenset((s.article, s.start) for g in x.groups for s in g.spans) for x in reported or [] if x.kind == "place"}

    def people(c: int) -> set[str]:
        return {x for x in claims[c].entities if kind_of.get(x) not in ("LOC", "GPE")}

    def compatible(c: int, o: int) -> bool:
        if articles[claims[c].art].outlet == articles[claims[o].art].outlet or cos[c, o] < min_cos:
            return False
        if people(c) and people(o) and not people(c) & people(o):
            return False
        if partners.get(c) and partners.get(o) and not partners[c] & partners[o]:
            return False  # 'une réunion avec les syndicats' / 'une rencontre avec les chefs d'entreprise'
        return not (days.get(c) and days.get(o) and not days[c] & days[o])

    out: list[Conflict] = []
    for e, items in by_event.items():
        if len(items) < 2:
            continue
        pairs = [(x, y) for x in range(len(items)) for y in range(x + 1, len(items)) if not _same_place(items[x][1], items[y][1])]
        if not any(compatible(items[x][0], items[y][0]) for x, y in pairs):
            continue
        keep = [items[x] for x in range(len(items)) if any(compatible(items[x][0], items[y][0]) for y in range(len(items)) if y != x)]
        groups = _place_groups(keep, claims, articles)
        if len(groups) < 2:
            continue
        key = frozenset((s.article, s.start) for g in groups for s in g.spans)
        if any(key <= k for k in seen):  # already reported inside one fact
            continue
        f = max((fact_of[c] for c, _ in keep), key=lambda f: fact_centrality[f])
        out.append(_place_conflict_of(groups, f, fact_texts, fact_centrality))
    return out

