"""From the words that name a speaker to the speaker the output gives: canonical entity, name as
displayed, gender, person or body.

Every rule ends by naming what it found; doing it in one place means a speaker is always the
entity the linker merged ("M. Poutine" with "Vladimir Poutine"), written without its civil title,
with the gender later pronouns and epithets are checked against. ``normalise_name`` is also how
provenance.py and the benches compare names.
"""

from __future__ import annotations

import re

from ...entities import resolve_role, split_honorific
from ...lang import fr
from ...model import Mention
from .context import Who, _Ctx, _norm_tok


def normalise_name(text: str | None) -> str:
    """Lower-case, apostrophes unified, leading determiners and civil titles dropped."""
    if not text:
        return ""
    t = text.lower().replace("’", "'").strip(" ,.;:")
    t = re.sub(r"\s+", " ", t)
    changed = True
    while changed:
        changed = False
        for p in fr.NAME_PREFIXES:
            if t.startswith(p) and len(t) > len(p):
                t = t[len(p):]
                changed = True
    return t.strip()


def _without_title(ctx: _Ctx, name: str) -> str:
    """A name without the civil title before it ("M.", "Me", "Mgr")."""
    return split_honorific(name, ctx.article.language or "fr")[1]


def _who_of_mention(ctx: _Ctx, m: Mention) -> Who:
    """The canonical entity of a mention (entities.py merges "M. Poutine" with "Vladimir Poutine")."""
    ent = ctx.entities.entity_of(ctx.article.id, m.index)
    full = _full_name(ctx, m)
    if full is not None and (ent is None or ent.ambiguous or len(ent.name.split()) == 1):
        ent = full  # a short form the linker left apart (or the NER mislabelled): "Kombouaré"
    name = ent.name if ent else m.text
    name = _without_title(ctx, name)
    person = _is_person(m) or full is not None
    kind = name.split(" ", 1)
    if not person and len(kind) == 2 and kind[0] in fr.ORG_NOUNS_BEFORE_NAME:
        name = kind[1]  # "groupe Kervadec": the name, not the noun of its kind
    if not person and m.label in ("ORG", "MISC") and m.tok_end < len(ctx.tokens):
        end = _name_end(ctx, m.tok_end - 1)
        if end >= m.tok_end and ctx.tokens[m.tok_end].text[:1].islower():
            # "Loups" tagged, "Loups et Montagnes" written: the name as written
            return Who(ctx.text[m.start:ctx.tokens[end].end], ent.id if ent else None, m.start, ctx.tokens[end].end, None, False)
    return Who(name=name, entity=ent.id if ent else None, start=m.start, end=m.end,
               gender=_gender_of_person(ctx, m, ent) if person else None, person=person)


def _gender_of_person(ctx: _Ctx, m: Mention, ent) -> str | None:
    """Honorific (M./Mme) > first name > participle agreeing with the name > gendered role noun."""
    toks = ctx.tokens
    forms = [m.text] + (list(ent.aliases) if ent else [])
    for f in forms:
        g = fr.PERSON_TITLES.get(f.split()[0].lower()) if f.split() else None
        if g:
            return g
    own = [x for x in ctx.article.mentions if ctx.entities.entity_of(ctx.article.id, x.index) is ent] if ent else [m]
    for x in own:
        if x.tok_start > 0:
            g = fr.PERSON_TITLES.get(toks[x.tok_start - 1].text.lower())
            if g:
                return g
    name = _without_title(ctx, ent.name if ent else m.text).split()
    if len(name) > 1:
        first = name[0].lower()
        for f in (first, first.split("-")[0]):  # "Anne-Laure", "Jean-Marc": the first part tells
            if f in fr.EPICENE_FIRST_NAMES:
                break  # "Le préfet ..., Dominique Perrault": the role or a participle tells
            if f in fr.FIRST_NAMES_FEM:
                return "Fem"
            if f in fr.FIRST_NAMES_MASC:
                return "Masc"
    # a participle or adjective agreeing with the name: "Interrogée, Nadia ...", "X est arrivée"
    for x in own:
        head = next((i for i in range(x.tok_start, x.tok_end) if not x.tok_start <= toks[i].head < x.tok_end), None)
        if head is None or not toks[head].dep.startswith("nsubj"):
            continue
        v = toks[head].head
        near = [v] + [c for c in ctx.children.get(v, []) if toks[c].dep in ("advcl", "acl", "xcomp") and "VerbForm=Part" in toks[c].morph]
        for c in near:
            if "VerbForm=Part" in toks[c].morph and "Gender=Fem" in toks[c].morph and "Number=Plur" not in toks[c].morph:
                if c != v or any(toks[a].lemma == "être" for a in ctx.children.get(v, [])):
                    return "Fem"
    for r in (ent.roles if ent else []):
        g = _role_gender(r)
        if g:
            return g
    return None


def _full_name(ctx: _Ctx, m: Mention):
    """The entity of a person this article names in full whose surname is this one-word mention
    (whatever label the NER gave it: "a martelé Kombouaré" tagged LOC)."""
    words = _without_title(ctx, m.text).split()
    if len(words) != 1:
        return None
    if ctx.full_names is None:  # (asked for every mention that is not a person's: one pass over the article)
        ctx.full_names = {}
        for other in ctx.article.mentions:
            o = ctx.entities.entity_of(ctx.article.id, other.index)
            if _is_person(other) and o is not None and not o.ambiguous and len(o.name.split()) > 1:
                ctx.full_names.setdefault(o.name.split()[-1], o)
    return ctx.full_names.get(words[0])


def _named_person(ctx: _Ctx, m: Mention | None) -> bool:
    return m is not None and (_is_person(m) or _full_name(ctx, m) is not None)


def _is_person(m: Mention) -> bool:
    """A PER mention, or a MISC one that starts with a common first name ("Wendie Renard")."""
    first = m.text.split()[0].lower() if m.text.split() else ""
    return m.label == "PER" or m.label == "MISC" and len(m.text.split()) > 1 and first in fr.FIRST_NAMES


def _body_mention(m: Mention) -> bool:
    """An organisation's name: the NER's ORG, or a name opening on an acronym it took for a place
    ("l'ARS Auvergne-Rhône-Alpes")."""
    first = m.text.split()[0] if m.text.split() else ""
    return m.label == "ORG" or m.label == "LOC" and len(first) >= 2 and first.isupper()


def _role_gender(role: str) -> str | None:
    """Gender a role tells: a gendered noun ("la préfète", "directeur"), or "la"/"une" before an epicene one."""
    words = role.lower().replace("’", "'").split()
    for w in words[:3]:
        g = fr.ROLE_NOUNS.get(w)
        if g:
            return {"m": "Masc", "f": "Fem"}[g]
    if words and words[0] in ("la", "une", "cette"):
        return "Fem"
    return None


def _resolve_role(ctx: _Ctx, phrase: str) -> Who | None:
    """A definite role description -> the one person given that role in any article (EntityIndex.roles),
    else the one person of this article whose role starts with it ("le président" -> "le président du club")."""
    ent = resolve_role(ctx.entities, phrase, ctx.article.language or "fr")
    if ent is None:
        target = normalise_name(phrase)
        here = {ctx.entities.by_mention.get((ctx.article.id, m.index)) for m in ctx.article.mentions if m.label == "PER"}
        hits = [e for e in ctx.entities.entities if e.id in here and any(
            normalise_name(r) == target or normalise_name(r).startswith(target + " ") for r in e.roles)]
        ent = hits[0] if len(hits) == 1 else None
    if ent is None:
        return None
    gender = _role_gender(phrase) or ("Masc" if phrase.lower().startswith(("le ", "un ", "ce ")) else None)
    for m in ctx.article.mentions:
        if ctx.entities.by_mention.get((ctx.article.id, m.index)) == ent.id:
            who = _who_of_mention(ctx, m)
            # "a martelé le ministre" is not "la ministre du logement"
            return who if _compatible(who, gender) else None
    return Who(ent.name, ent.id, gender=gender)


def _compatible(w: Who, gender: str | None) -> bool:
    if not w.person:
        return False
    if gender == "Plur" or w.gender == "Plur":
        return gender == w.gender
    return gender is None or w.gender is None or w.gender == gender


def _as_body(who: Who) -> Who:
    """The same name, as an organisation (no gender, no person)."""
    return Who(who.name, who.entity, who.start, who.end, None, False)


def _at_words(person: Who, words: Who) -> Who:
    """The person a description was resolved to, anchored on the description's words."""
    return Who(person.name, person.entity, words.start, words.end, person.gender, person.person)


def _name_after_kind(ctx: _Ctx, k: int) -> Who | None:
    """The name that follows a noun for a kind of body, past adjectives: "l'industriel suédois
    Voltek", "le collectif Sauvons la piscine" (a name the NER missed: a capital, then words up to
    the next comma or verb)."""
    toks = ctx.tokens
    j = k + 1
    while j < len(toks) and j - k <= 2 and toks[j].text[:1].islower() and toks[j].pos == "ADJ":
        j += 1
    if j >= len(toks) or toks[j].sent != toks[k].sent or not toks[j].text[:1].isupper():
        return None
    m = ctx.mention_at.get(j)
    if m is not None:
        if m.tok_start != j or _is_person(m):
            return None  # "le groupe de Vincent Bolloré" is not named here; "l'entreprise Paul" neither
        who = _who_of_mention(ctx, m)
        if _name_end(ctx, m.tok_end - 1) == m.tok_end - 1:
            return _as_body(who)
        j = m.tok_start  # "l'association Littoral sans poison" with only "Littoral" tagged: the words go on
    end = _name_end(ctx, j)
    name = ctx.text[toks[j].start:toks[end].end]
    return Who(name=name, start=toks[j].start, end=toks[end].end, person=False)


def _name_end(ctx: _Ctx, j: int) -> int:
    """The last token of a name that starts (or goes on) at ``j``: lower-case words up to the next
    comma or verb ("Sauvons la piscine", "Littoral sans poison"), "et" before a capital ("Loups et
    Montagnes"), a last adverb or participle right before a comma or the verb ("Hôpital debout
    juge", "Plateau vivant, qui"), a next name the NER cut off ("France" + "Assureurs")."""
    toks = ctx.tokens
    end = j
    for x in range(j + 1, min(len(toks), j + 6)):
        t = toks[x]
        nxt = toks[x + 1] if x + 1 < len(toks) else None
        if t.pos == "PUNCT" or t.sent != toks[j].sent:
            break
        if t.text[:1].isupper():
            if x in ctx.mention_at and _is_person(ctx.mention_at[x]):
                break  # "LFI de l'Hérault Inès Belkacem": a person's name ends the body's
            end = x  # (a capitalised word, the NER's or not)
            continue
        if t.pos in ("AUX", "SCONJ", "PRON", "DET") and _norm_tok(t) not in ("la", "le", "les", "l'"):
            break
        if t.pos == "CCONJ":
            if nxt is not None and nxt.text[:1].isupper() and _norm_tok(t) == "et":
                continue
            break
        if t.pos == "ADP" and _norm_tok(t) not in ("de", "du", "des", "d'", "sans"):
            break
        if t.pos == "VERB" and "VerbForm=Fin" in t.morph:
            break
        if t.pos in ("ADV", "VERB") and not (nxt is None or nxt.pos == "PUNCT" or nxt.pos in ("AUX",)
                                               or nxt.pos == "VERB" and "VerbForm=Fin" in nxt.morph):
            break
        end = x
    while end > j and toks[end].pos in ("DET", "ADP"):
        end -= 1
    return end
