"""Who an epithet, a role title or a body noun stands for among the people and bodies named before.

Articles name someone once, then say "l'élue", "le procureur", "le groupe". Finding whom such words
point back to needs only the anchors (the names so far, the roles and appositions the text gave
them, their gender, the sentences they are the subject of), so these look-backs are kept apart
from descriptions.py, which decides when a phrase is such an epithet.
"""

from __future__ import annotations

import re

from ...lang import fr
from .context import (
    Who, _Ctx, _inside_quote, _paragraph_of, _passive_subject, _sentence_of, _sentence_outside_quotes,
    _subject_chain, _tok_at,
)
from .resolve import _compatible, _who_of_mention
from .spans import WORD

ROLE_VOCABULARY = frozenset(fr.ROLE_NOUNS) | fr.ROLE_TITLES | frozenset(fr.ROLE_HYPERNYMS) | fr.PERSON_NOUNS


def _previous_subject(ctx: _Ctx, pos: int, gender: str | None, same_sentence: bool = False) -> Who | None:
    """The one named person that the previous sentence of the paragraph is about (its subject or
    the speaker of its quote), when compatible; with ``same_sentence``, the subject of this
    sentence before ``pos`` first."""
    sent = _sentence_outside_quotes(ctx, pos)
    if same_sentence:
        here = [w for p, w, s in ctx.anchors if s and w.entity and p < pos and _sentence_of(ctx, p) == sent
                and not _inside_quote(ctx, p) and _compatible(w, gender)]
        if here:
            return here[-1]
    if sent == 0 or _paragraph_of(ctx, ctx.sent_starts[sent - 1]) != _paragraph_of(ctx, pos):
        return None
    subj = {w.entity: w for p, w, s in ctx.anchors if s and w.entity and _sentence_of(ctx, p) == sent - 1}
    if len(subj) != 1:
        return None
    w = next(iter(subj.values()))
    return w if _compatible(w, gender) else None


def _last_person(ctx: _Ctx, pos: int, gender: str | None, far: bool = False) -> Who | None:
    """"ce dernier" (within three sentences), "l'ancien élu" (anywhere before): the last-mentioned
    compatible named person."""
    sent = _sentence_of(ctx, pos)
    for p, w, s in sorted(ctx.anchors, key=lambda x: -x[0]):
        if p < pos and (far or _sentence_of(ctx, p) >= sent - 3) and not _inside_quote(ctx, p) and _compatible(w, gender) and w.entity:
            return w
    return None


def _previous_body(ctx: _Ctx, pos: int) -> Who | None:
    """"Ocean Gate a dit « prendre acte » ... Le groupe assure": the organisation that is the subject or
    speaker of this or the previous sentence (the closest)."""
    sent = _sentence_of(ctx, pos)
    bodies = [(p, w) for p, w, s in ctx.anchors if s and not w.person and p < pos and _sentence_of(ctx, p) >= sent - 1]
    if bodies:
        return max(bodies, key=lambda x: x[0])[1]
    toks = ctx.tokens
    for m in sorted(ctx.article.mentions, key=lambda x: -x.start):
        if m.start < pos and _sentence_of(ctx, m.start) >= sent - 1 and m.label == "ORG" and not _inside_quote(ctx, m.start) \
                and _subject_chain(toks, m.tok_start):
            return _who_of_mention(ctx, m)
    return None


def _role_words(ctx: _Ctx, p: int, w: Who) -> set[str]:
    """Words that tell the role of the person named at ``p``: its recorded roles, the words just
    before the name ("l'entraîneur du FC Nantes, Antoine K.", "le colonel X"), an apposition after
    it ("Karim Haddad, délégué CFE-CGC,") and the role an honorific tells ("Me" = avocat)."""
    ent = ctx.entities.get(w.entity) if w.entity else None
    out: set[str] = set()

    def words(s: str) -> set[str]:
        s = s.lower().replace("’", "'")
        return set(re.findall(r"\w+", s)) | set(re.findall(r"\w+(?:-\w+)+", s))

    for r in (ent.roles if ent else []):
        out |= words(r)
    if ctx.topic is not None and w.entity == ctx.topic.entity:
        out |= words(ctx.topic_role)
    lo = max(ctx.sent_starts[_sentence_of(ctx, p)], p - 60)
    # not past another name: "Pour l'entraîneur du RCT, Olivier Cazeaux, Larrieu ...": Cazeaux's title
    # (a "name" after de is the title's complement: "le président-fondateur de Stellaris, Laurent K.")
    lo = max([lo] + [m.end for m in ctx.article.mentions if lo < m.end <= p and m.start < p and m.label == "PER"
                     and not fr.ENDS_WITH_DE.search(ctx.text[max(0, m.start - 5):m.start])])
    near = ctx.text[lo:p]
    # (not "le président-fondateur de Stellaris": Stellaris is the title's complement, not its holder)
    if not fr.ENDS_WITH_DE.search(near):
        out |= words(near)
    end = w.end if w.end > p else p
    out |= words(ctx.text[p:end])  # a speaker anchored on its description: "a promis le PDG"
    # (up to a relative clause; and an apposition is no clause: "Selon Delorme, un nouvel entraîneur
    # sera nommé" gives no role)
    app = re.match(r"\s*,\s*((?:(?!\b(?:qui|que|dont|où)\b)[^,.;:«»“”()]){1,60})", ctx.text[end:end + 80])
    if app and not any(t.pos == "AUX" or "VerbForm=Fin" in t.morph
                       for t in ctx.tokens[_tok_at(ctx, end + app.start(1)):_tok_at(ctx, end + app.end(1))]):
        out |= words(app.group(1))
    for t in (near.split()[-1:] or [""]) + ctx.text[p:p + 4].split()[:1]:
        out |= set(fr.HONORIFIC_ROLES.get(t, ()))
    return out


def _title_holder(ctx: _Ctx, pos: int, gender: str | None, titles: frozenset[str]) -> Who | None:
    """The closest person named before ``pos`` whose description holds one of ``titles`` (all its words)."""
    for p, w, s in reversed(ctx.anchors):  # (kept sorted by position)
        if p < pos and w.entity and not _inside_quote(ctx, p) and _compatible(w, gender):
            have = _role_words(ctx, p, w)
            if any(set(re.findall(r"[\w'-]+", t.lower().replace("’", "'"))) - {"de", "du", "des", "d'", "l'", "la", "le"} <= have for t in titles):
                return w
    return None


def _epithet_person(ctx: _Ctx, pos: int, gender: str | None, noun: str, role_only: bool = False,
                    qualifiers: set[str] = frozenset()) -> Who | None:
    """The person an epithet ("l'entraîneur nantais", "le syndicaliste") stands for: one whose
    recorded role or apposition has that noun, else the closest compatible person of this or the
    previous sentence (a subject first), else a subject of the last three sentences, else the last
    compatible person named. Of several with the noun, one whose words also share the epithet's
    qualifiers ("l'entraîneur intérimaire" for "l'intérim à l'adjoint X")."""
    before = [(p, w, s) for p, w, s in sorted(ctx.anchors, key=lambda x: -x[0])
              if p < pos and w.entity and not _inside_quote(ctx, p) and _compatible(w, gender)]
    nation = fr.nationality(noun)
    if nation:  # "le Belge" is no one the article calls "l'Espagnol"
        before = [(p, w, s) for p, w, s in before if not {fr.nationality(x) for x in _role_words(ctx, p, w)} - {None, nation}]
    targets = {noun} | fr.ROLE_HYPERNYMS.get(noun, frozenset())
    got = _qualified_person(ctx, before, qualifiers)
    if got is not None:
        return got
    # the noun itself before the roles it stands for ("l'épidémiologiste" is "X, épidémiologiste à
    # Santé publique France", not the "Dr Y" named since)
    for wanted in ({noun}, targets):
        for p, w, s in before:
            if wanted & _role_words(ctx, p, w):
                return w
    if role_only:
        return None
    sent = _sentence_of(ctx, pos)
    for near_sents, subject_only in ((1, True), (1, False), (3, True)):
        for p, w, s in before:
            if (s or not subject_only) and _sentence_of(ctx, p) >= sent - near_sents:
                return w
    return before[0][1] if before else None


def _qualified_person(ctx: _Ctx, before: list[tuple[int, Who, bool]], qualifiers: set[str]) -> Who | None:
    """The one person named before whose words share the epithet's qualifiers ("l'entraîneur
    intérimaire" for "l'intérim à l'adjoint X", "son homologue ivoirien" for "le président
    ivoirien X"): stems of six letters."""
    stems = {q[:6] for q in qualifiers if len(q) >= 6}
    if not stems:
        return None
    qualified = {w.entity: w for p, w, s in before if stems & {x[:6] for x in _role_words(ctx, p, w) if len(x) >= 6}}
    return next(iter(qualified.values())) if len(qualified) == 1 else None


def _introduced_role(ctx: _Ctx, pos: int, gender: str | None) -> Who | None:
    """"Sur les bancs de la droite, Philippe Juvin a dénoncé ... Le député LR estime que ...": a role
    title opening a sentence right after one whose only named person is its subject and was given no
    role stands for that person (the journalist introduces the role by the epithet)."""
    sent = _sentence_of(ctx, pos)
    if sent == 0 or WORD.search(ctx.text[ctx.sent_starts[sent]:pos]):
        return None
    prev = [(p, w, s) for p, w, s in ctx.anchors if _sentence_of(ctx, p) == sent - 1 and not _inside_quote(ctx, p)]
    named = {w.entity for p, w, s in prev if w.entity}
    if len(named) != 1 or any(not w.entity for p, w, s in prev):
        return None
    subj = [(p, w) for p, w, s in prev if s and not _passive_subject(ctx, _tok_at(ctx, p))]
    if not subj or not _compatible(subj[0][1], gender):
        return None
    if any(_role_words(ctx, p, w) & ROLE_VOCABULARY for p, w, s in prev if w.entity):
        return None
    return subj[0][1]


def _role_holder(ctx: _Ctx, pos: int, gender: str | None, nouns: set[str]) -> Who | None:
    """"Sa tête de liste, Gwendal Rouxel, s'est félicité ... », a affirmé le conseiller régional
    sortant": a role title nobody was given stands for the named subject of the previous sentence;
    failing that, for the one person of its gender named so far ("la nouvelle présidente" when one
    woman is named). Never for a person the texts gave another title ("l'ancien adjoint au maire
    Patrick Rué ... Le procureur avait requis")."""
    sent = _sentence_of(ctx, pos)
    named = [(p, w, s) for p, w, s in ctx.anchors if p < pos and w.entity and not _inside_quote(ctx, p)]
    titles: dict[str, set[str]] = {}
    for p, w, s in named:
        titles.setdefault(w.entity, set()).update(_role_words(ctx, p, w) & fr.ROLE_TITLES)
    targets = set(nouns)
    for n in nouns:
        targets |= fr.ROLE_HYPERNYMS.get(n, frozenset())
    ok = [(p, w, s) for p, w, s in named if not titles[w.entity] or titles[w.entity] & targets]
    # an active subject: "X a été condamné. Le procureur avait requis ..." is not X speaking
    subj = [w for p, w, s in ok if s and _sentence_of(ctx, p) == sent - 1 and _compatible(w, gender) and not _passive_subject(ctx, _tok_at(ctx, p))]
    if subj:
        return subj[-1]
    if gender in ("Masc", "Fem"):
        same = {w.entity: w for p, w, s in named if w.gender == gender}
        if len(same) == 1 and any(w.entity in same for p, w, s in ok):
            return next(iter(same.values()))
    return None
