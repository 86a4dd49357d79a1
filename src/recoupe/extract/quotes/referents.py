"""A description chosen as a speaker -> the person or body the article names for it.

The annotators write the speaker as the article names them: "Hervé Morin" even where the quote
says "le ministre", "Natixis" where it says "le groupe" (docs/annotation-quotes.md). The rules and
the ranker sometimes keep the description itself ("le groupe", "le chef spirituel tibétain",
"la ministre de l'Économie Christine Lagarde"): on the development topics of RPM2 that was about a
fifth of the errors whose answer the article names. This step runs after the speaker is chosen
(``Config.extract.resolve_descriptions``) and replaces a definite description by a named entity
when the article ties them:
- a name inside the description, in apposition ("la chaîne publique CCTV") or as the author of
  words or a document ("les propos de François Hollande", "le communiqué de Natixis");
- the description's head noun given to one name as its role or kind: "le groupe" for "le groupe
  Natixis", "le président russe" for "Dmitri Medvedev, le président russe" or a role the entity
  linker recorded for the cluster, "la commission" for "la Commission bancaire";
- an initialism of a person's name for that person ("PPDA");
- a document ("le rapport", "le document") for the body the article names as the author of a document
  ("un rapport préliminaire de l'Inspection générale de la Caisse d'Épargne": the annotators name the
  body, docs/annotation-quotes.md).
Indefinite descriptions ("un diplomate européen") stay: they are unnamed sources by design.
"""

from __future__ import annotations

import re

from ...entities import fold, resolve_role
from ...lang import fr
from ...model import AnalysedArticle, EntityIndex

_DEFINITE = fr.REFERENT_DEFINITE
_WORD = re.compile(r"\w+'|[\w-]+")
_NAMED_COMPLEMENT = fr.REFERENT_NAMED_COMPLEMENT
_CUT = re.compile(r"[,;:.()«»“”\"\n]")


def _words(s: str) -> list[str]:
    return _WORD.findall(s.lower().replace("’", "'"))


def _singular(w: str) -> str:
    w = w[3:] if w.startswith("ex-") else w  # "l'ex-otage"
    return w[:-1] if len(w) > 3 and w.endswith(("s", "x")) and not w.endswith("ss") else w


def _person_noun(head: str) -> bool:
    return head in fr.ROLE_NOUNS or head in fr.ROLE_TITLES or head in fr.REFERENT_PERSON_NOUNS


def _body_noun(head: str) -> bool:
    return head in _BODY_NOUNS


_BODY_NOUNS = (fr.ORG_ANAPHORS | fr.ORG_NOUNS_BEFORE_NAME | fr.COMPANY_NOUNS | fr.GOVERNMENT_BODIES
               | fr.ADMINISTRATIONS | frozenset(fr.ORG_CUES) | fr.REFERENT_BODY_NOUNS)


def _head(rest: str) -> tuple[str | None, list[str]]:
    """The head noun of a description without its determiner, and the words after it."""
    words = _words(rest)
    k = 0
    while k < len(words) and words[k] in fr.REFERENT_PRE_ADJECTIVES:
        k += 1
    if k >= len(words):
        return None, []
    head = words[k]
    if head.startswith("ex-"):
        head = head[3:]  # "l'ex-otage"
    two = " ".join(words[k : k + 2])
    if two in fr.ROLE_NOUNS:
        return two, words[k + 2 :]
    return head, words[k + 1 :]


def _role_words(article: AnalysedArticle, entities: EntityIndex, m) -> set[str]:
    """Words the text sets next to one mention: the words before it in its clause (up to a name or a
    punctuation mark: "le groupe Natixis", "l'ex-otage Ingrid Betancourt"), an apposition after it
    ("Dmitri Medvedev, le président russe,"), and the roles the linker recorded for its entity."""
    text = article.article.text
    out: set[str] = set()
    lo = max(0, m.start - 60)
    before = _words(_CUT.split(text[lo : m.start])[-1])[-5:]
    bare = [w for w in before if w not in fr.NAME_DETERMINERS]
    if not bare or bare[-1] not in fr.ROLE_PREPOSITIONS:  # "l'avocat de Chantal Sébire" is not hers
        out |= {_singular(w) for w in before}
    after = text[m.end : m.end + 80]
    app = re.match(r"\s*,\s*([^,;:.()«»“”\"\n]{1,70})[,;.)]", after)  # closed: not the subject of a verb
    if app:
        out |= {_singular(w) for w in _words(app.group(1))[:6]}
    ent = entities.entity_of(article.id, m.index)
    for r in (ent.roles if ent is not None else []):
        if not set(_words(r)[-1:]) & fr.ROLE_PREPOSITIONS:  # "l'avocat de" X is not X's role
            out |= {_singular(w) for w in _words(r)}
    return out


def _embedded(article: AnalysedArticle, entities: EntityIndex, phrase: str, head: str | None) -> tuple[str, str] | None:
    """A named entity written inside the description: apposed to a head of its kind ("la chaîne
    publique CCTV", "la ministre de l'Économie Christine Lagarde"), or the author of the words or
    document the description heads ("les mots de Christine Lagarde"); not a complement of a role
    ("l'avocat de Patrick Poivre d'Arvor", "le porte-parole de l'ADMD")."""
    if head is None:
        return None
    kinds = ("PER", "ORG") if head in fr.AUTHORED_NOUNS else ("PER",) if _person_noun(head) else ("ORG", "MISC") if _body_noun(head) else ()
    if not kinds:
        return None
    low = fold(phrase)
    found: list[tuple[int, int, str, str]] = []
    for e in entities.entities:
        if e.type not in kinds:
            continue
        for form in {e.name, *e.aliases}:
            f = fold(form)
            k = low.rfind(f)
            if len(f) < 2 or k <= 0 or re.match(r"\w", low[k + len(f) : k + len(f) + 1] or " ") or re.match(r"\w", low[k - 1]):
                continue
            found.append((k, k + len(f), e.name, e.id))
    # a piece of a longer name found is not a name of its own ("Poivre d'Arvor" in "Patrick Poivre d'Arvor")
    found = [x for x in found if not any(y[0] <= x[0] and x[1] <= y[1] and (y[1] - y[0]) > (x[1] - x[0]) for y in found)]
    best = None
    for k, e, name, eid in found:
        before = _words(low[:k])
        while before and before[-1] in fr.NAME_DETERMINERS:
            before.pop()
        of = bool(before) and before[-1] in fr.ROLE_PREPOSITIONS
        if of and head not in fr.AUTHORED_NOUNS:
            continue
        if best is None or k > best[0]:
            best = (k, name, eid)
    return (best[1], best[2]) if best else None


def _initials(entities: EntityIndex, name: str) -> tuple[str, str] | None:
    """"PPDA" -> the one person of the cluster whose name's initials it is."""
    if not (3 <= len(name) <= 6 and name.isupper() and name.isalpha()):
        return None
    hits = []
    for e in entities.entities:
        if e.type != "PER":
            continue
        parts = [w for w in re.split(r"[\s'’-]+", e.name) if w]
        if len(parts) >= 2 and "".join(w[0] for w in parts).upper() == name:
            hits.append(e)
    return (hits[0].name, hits[0].id) if len(hits) == 1 else None


def resolve_description(article: AnalysedArticle, entities: EntityIndex, name: str | None, entity: str | None,
                        pos: int) -> tuple[str, str | None] | None:
    """(name, entity id) of the named referent of a speaker that is a description, else None.

    ``pos``: the quote's clean offset; of several names the description may stand for, the one
    named last before it (else first after it)."""
    if not name:
        return None
    if entity is not None:
        ent = entities.get(entity)
        return _initials(entities, ent.name) if ent is not None else None
    text = name.strip()
    if (got := _initials(entities, text)) is not None:
        return got
    first = _words(text)[:2]
    if not first or first[0] in fr.REFERENT_INDEFINITES or first[:2] in (["l'", "un"], ["l'", "une"]):
        return None
    d = _DEFINITE.match(text)
    head, rest = _head(d.group(2) if d else text)
    got = _embedded(article, entities, text, head)
    if got is not None:
        return got
    if d is not None and head in fr.DOCUMENT_NOUNS and (got := _document_author(article, entities, pos)) is not None:
        return got
    if d is None or head is None or head in fr.REFERENT_UNNAMED or d.group(2)[:1].isupper():
        return None  # "le Parisien" is a name
    if _NAMED_COMPLEMENT.search(d.group(2)):
        return None  # "le ministère du Travail", "la fédération de chasse de la Creuse": the words name it
    det = d.group(1).strip().lower()
    if det in ("les", "ses", "leurs", "ces") and head not in fr.ROLE_NOUNS:
        return None  # "les deux banques", "les policiers": a plural is not one named referent
    ent = resolve_role(entities, text, article.language or "fr")
    if ent is not None and any(entities.by_mention.get((article.id, m.index)) == ent.id for m in article.mentions):
        return ent.name, ent.id
    return _by_role_word(article, entities, head, rest, pos)


def _by_role_word(article: AnalysedArticle, entities: EntityIndex, head: str, rest: list[str], pos: int) -> tuple[str, str] | None:
    """The name the text gives the description's head noun as its role or kind (the one named last
    before the quote when several are)."""
    person = _person_noun(head)
    if not person and not _body_noun(head):
        return None
    target = _singular(head.split()[-1]) if " " not in head else head
    role_words: dict[int, set[str]] = {}  # mention index -> its role words, read at most once

    def words_of(m) -> set[str]:
        if m.index not in role_words:
            role_words[m.index] = _role_words(article, entities, m)
        return role_words[m.index]

    hits: dict[str, list[int]] = {}
    for m in article.mentions:
        if m.label not in (("PER",) if person else ("ORG",)):
            continue
        ent = entities.entity_of(article.id, m.index)
        if ent is None:
            continue
        ok = target in words_of(m) if " " not in target else target in " ".join(_words(" ".join(ent.roles)))
        if not ok and not person:
            name_words = _words(ent.name)
            ok = bool(name_words) and _singular(name_words[0]) == target  # "la Commission bancaire"
        if ok:
            hits.setdefault(ent.id, []).append(m.start)
    if not hits:
        return _main_one(article, entities, head, person, pos)
    if len(hits) > 1 and rest:
        stems = {w[:6] for w in rest if len(w) >= 5}
        kept = {k: v for k, v in hits.items() if any(
            stems & {w[:6] for w in words_of(m)} for m in article.mentions
            if entities.by_mention.get((article.id, m.index)) == k)}
        hits = kept or hits
    if len(hits) > 1:
        before = {k: max((p for p in v if p < pos), default=-1) for k, v in hits.items()}
        k = max(before, key=before.get) if max(before.values()) >= 0 else min(hits, key=lambda k: min(hits[k]))
    else:
        k = next(iter(hits))
    ent = entities.get(k)
    return (ent.name, ent.id) if ent is not None else None


def _main_one(article: AnalysedArticle, entities: EntityIndex, head: str, person: bool, pos: int) -> tuple[str, str] | None:
    """A generic head no name was given ("l'ex-otage", "le groupe"): the person, or the body, the
    article names most before the quote, when it names one clearly most."""
    if head not in (fr.REFERENT_GENERIC_PERSONS if person else fr.REFERENT_GENERIC_BODIES):
        return None
    counts: dict[str, int] = {}
    for m in article.mentions:
        if m.start < pos and m.label == ("PER" if person else "ORG"):
            ent = entities.entity_of(article.id, m.index)
            if ent is not None:
                counts[ent.id] = counts.get(ent.id, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if not ranked or len(ranked) > 1 and ranked[1][1] * 2 > ranked[0][1]:
        return None
    ent = entities.get(ranked[0][0])
    return (ent.name, ent.id) if ent is not None else None


def _document_author(article: AnalysedArticle, entities: EntityIndex, pos: int) -> tuple[str, str | None] | None:
    """Who the article says wrote a document, written nearest before the quote (else first after it):
    the named complement of a document noun ("un rapport préliminaire de l'Inspection générale de la
    Caisse d'Épargne", "un communiqué de Natixis"), the agent of its participle ("un rapport réalisé
    par la Commission bancaire") or the subject of the verb it carries ("Natixis a démenti dans un
    communiqué"). A complement that names no one ("un rapport de 13 pages", "le rapport d'évaluation
    de la loi") is no author. The entity when the author is one, else its words."""
    toks = article.tokens
    text = article.article.text
    kids: dict[int, list[int]] = {}
    for t in toks:
        if t.head != t.i:
            kids.setdefault(t.head, []).append(t.i)
    cues = {c for c in fr.DOCUMENT_AUTHOR_CUES if " " not in c}
    found: list[tuple[int, tuple[str, str | None]]] = []
    for t in toks:
        if t.pos != "NOUN" or t.lemma.lower() not in fr.DOCUMENT_NOUNS:
            continue
        candidates = list(kids.get(t.i, []))
        if t.dep.startswith("obl") and any(toks[x].dep == "case" and toks[x].text.lower() in fr.DOCUMENT_VEHICLE_CASES for x in kids.get(t.i, [])):
            candidates += [x for x in kids.get(t.head, []) if toks[x].dep == "nsubj" and x < t.head]
        for c in candidates:
            author = None
            if toks[c].dep == "nmod" and any(toks[x].dep == "case" and toks[x].text.lower().replace("’", "'") in cues for x in kids.get(c, [])):
                author = c
            elif toks[c].dep == "acl" and "VerbForm=Part" in toks[c].morph:  # "réalisé par la Commission bancaire"
                author = next((x for x in kids.get(c, []) if toks[x].dep == "obl:agent"), None)
            elif toks[c].dep == "nsubj":  # the subject of the verb the document is the vehicle of
                author = c
            if author is None:
                continue
            lo, hi = _span_of(toks, kids, author)
            while lo < hi and toks[lo].dep == "case":
                lo += 1
            words = " ".join(text[toks[lo].start : toks[hi].end].split())
            inside = [m for m in article.mentions if m.label in ("ORG", "PER") and lo <= m.tok_start and m.tok_end - 1 <= hi]
            head_named = [m for m in inside if m.tok_start <= author < m.tok_end]
            if toks[author].text[:1].isupper():  # a named body: "l'Inspection générale de la Caisse d'Épargne"
                ent = entities.entity_of(article.id, head_named[0].index) if head_named else None
                named = (ent.name, ent.id) if ent is not None and fold(ent.name) == fold(words) else (words, None)
            elif inside and (ent := entities.entity_of(article.id, inside[0].index)) is not None:
                named = (ent.name, ent.id)  # "la société Valmont"
            else:
                continue  # no name: "un rapport de 13 pages", "d'évaluation"
            found.append((t.start, named))
    if not found:
        return None
    before = [f for f in found if f[0] < pos]
    return (before[-1] if before else found[0])[1]


def _span_of(toks, kids: dict[int, list[int]], k: int) -> tuple[int, int]:
    """The first and last token of ``k``'s noun phrase within its sentence (its subtree without punctuation or clauses)."""
    lo = hi = k
    stack = [k]
    while stack:
        x = stack.pop()
        for c in kids.get(x, []):
            # (not a relative or participle clause: "la Commission bancaire dont fait état Le Monde")
            if toks[c].sent == toks[k].sent and toks[c].pos != "PUNCT" and toks[c].dep not in ("acl", "acl:relcl"):
                lo, hi = min(lo, c), max(hi, c)
                stack.append(c)
    return lo, hi
