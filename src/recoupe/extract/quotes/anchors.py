"""Builds the per-article context: the people and bodies the article names, where, and whether as
subjects, and the person or body its title line is about.

Pronouns, epithets and lone quotes all point back to these anchors. The builder sits above the
speaker rules, not in context.py, because reading the unnamed subjects a later "il" may stand for
("un docker", "le procureur") already takes the description rules.
"""

from __future__ import annotations

import re

from ...lang import fr
from ...model import AnalysedArticle, EntityIndex, Mention, Token
from .context import Who, _Ctx, _inside_quote, _norm_tok, _person_noun, _sentence_of, _subject_chain, _subtree, _tok_at
from .descriptions import _description
from .resolve import _as_body, _body_mention, _is_person, _named_person, _who_of_mention, _without_title
from .spans import _paragraphs, find_quote_marks


def _build_ctx(article: AnalysedArticle, entities: EntityIndex) -> _Ctx:
    toks = article.tokens
    ctx = _Ctx(
        article=article,
        entities=entities,
        text=article.article.text,
        tokens=toks,
        tok_starts=[t.start for t in toks],
        sent_starts=[s.start for s in article.sentences],
        paragraphs=_paragraphs(article),
    )
    for t in toks:
        if t.head != t.i:
            ctx.children.setdefault(t.head, []).append(t.i)
    for m in article.mentions:
        for i in range(m.tok_start, m.tok_end):
            ctx.mention_at[i] = m
    ctx.quoted = [(o, ce) for o, s, e, ce in find_quote_marks(ctx.text, ctx.paragraphs)]
    # a sentence the parser gave no subject ("Sur place, Pierre Le Goff, le directeur du site, ...,
    # mesure sa chance" with "mesure" read as a noun): its first person named, not after a preposition
    # (the main verb's subject: "Contacté par Le Monde, Julien Marquet, qui publie ..., assure que
    # les données ..." has subjects only in its relative and complement clauses)
    has_subj = {t.sent for t in toks if t.dep.startswith("nsubj") and toks[t.head].dep == "ROOT" and not _inside_quote(ctx, t.start)}
    first_person_of_subjectless: set[int] = set()
    seen_sents: set[int] = set()
    for m in sorted(article.mentions, key=lambda x: x.tok_start):
        sent = toks[m.tok_start].sent
        if sent in has_subj or sent in seen_sents or not _is_person(m) or _inside_quote(ctx, m.start):
            continue
        seen_sents.add(sent)
        b = m.tok_start - 1
        while b >= 0 and toks[b].pos == "DET":
            b -= 1
        if b < 0 or toks[b].pos != "ADP":
            first_person_of_subjectless.add(m.tok_start)
    for m in article.mentions:
        # (a surname the NER took for a place, "a annoncé Bruyneel", is the person the article names in full)
        if not _named_person(ctx, m) or _eponym(toks, m):
            continue
        subj = any(_subject_chain(toks, i) for i in range(m.tok_start, m.tok_end))
        subj = subj or m.tok_start in first_person_of_subjectless
        ctx.anchors.append((m.start, _who_of_mention(ctx, m), subj))
    ctx.topic, ctx.topic_role = _title_person(ctx)
    ctx.topic_body = _title_body(ctx)
    # unnamed people as subjects ("un docker", "le procureur"): a later "il"/"elle" may be them
    for t in toks:
        # (or the root of a sentence whose verb the tagger read as a noun: "Un ancien rédacteur ... nuance ces récits")
        if (t.dep.startswith("nsubj") or t.dep == "ROOT" and any(toks[b].pos == "DET" and toks[b].sent == t.sent for b in range(max(0, t.i - 3), t.i))
                and not any(toks[c].dep.startswith("nsubj") for c in ctx.children.get(t.i, []))) \
                and t.pos == "NOUN" and t.i not in ctx.mention_at and not _inside_quote(ctx, t.start) and (
            t.lemma.lower() in fr.PERSON_NOUNS or t.text.lower() in fr.PERSON_NOUNS or t.lemma.lower() in fr.ROLE_TITLES
            or _person_noun(t)  # (an agent noun: "Un ancien rédacteur en chef ... nuance ces récits. Pour lui, ...")
        ):
            lo, hi = _subtree(ctx, t.i)
            lo = max(lo, t.i - 4)
            if t.dep == "ROOT":  # the phrase is its determiner, the noun and what qualifies it, no more
                lo = max(b for b in range(max(0, t.i - 3), t.i) if toks[b].pos == "DET")
                hi = t.i
                while hi + 1 < len(toks) and toks[hi + 1].dep in ("amod", "nmod", "case", "det", "flat:name", "fixed", "nummod"):
                    hi += 1
                while hi > t.i and toks[hi].dep in ("case", "det", "nummod"):
                    hi -= 1
            who = _description(ctx, lo, t.i, hi)
            if who is not None:
                ctx.anchors.append((who.start, who, True))
        elif (t.pos == "NOUN" and not t.dep.startswith("nsubj") and t.i >= 1 and t.i not in ctx.mention_at
              and _norm_tok(toks[t.i - 1]) in ("un", "une") and (t.lemma.lower() in fr.PERSON_NOUNS or t.text.lower() in fr.PERSON_NOUNS)
              and (t.i == 1 or toks[t.i - 2].text == "," or toks[t.i - 2].sent != t.sent or toks[t.i - 1].i == _tok_at(ctx, ctx.sent_starts[_sentence_of(ctx, t.start)]))
              and not _inside_quote(ctx, t.start)):
            # "Dans la salle d'attente, une patiente âgée patiente depuis sept heures." (the parse
            # missed the subject): an indefinite person opening a clause
            hi = t.i
            while hi + 1 < len(toks) and toks[hi + 1].pos == "ADJ" and toks[hi + 1].head == t.i:
                hi += 1
            who = _description(ctx, t.i - 1, t.i, hi)
            if who is not None:
                ctx.anchors.append((who.start, who, True))
    ctx.anchors.sort(key=lambda a: a[0])
    return ctx


def _eponym(toks: list[Token], m: Mention) -> bool:
    """"la mission Leonetti", "la loi Evin", "analyste chez Delmas Finance": a name that only
    qualifies a thing, or an employer, names no one a pronoun could stand for (a title before a
    name, "le président Macron", is no such noun)."""
    k = m.tok_start
    if k >= 1 and _norm_tok(toks[k - 1]) == "chez":
        return True  # "analyste chez Delmas Finance": an employer, whatever the NER says
    if k < 2 or toks[k - 1].pos != "NOUN" or _norm_tok(toks[k - 2]) not in ("le", "la", "l'") or _person_noun(toks[k - 1]):
        return False
    first = m.text.split()[0].lower()
    if len(m.text.split()) > 1 and first in fr.FIRST_NAMES:
        return False  # "la docteure Claire Antoine": a title before a full name ("la loi Evin" has none)
    return toks[k - 1].text.lower() not in fr.PERSON_TITLES and toks[k - 1].text[:1].islower()


def _title_person(ctx: _Ctx) -> tuple[Who | None, str]:
    """A portrait's title line names its subject, whom the lede then calls "elle" or "la
    demi-centre de Metz" before naming her: the one person named in the title (and the apposition
    the title gives them)."""
    title = (ctx.article.article.title or "").replace("’", "'")
    if not title:
        return None, ""
    found: dict[str, tuple[Who, str]] = {}
    for p, w, s in ctx.anchors:
        ent = ctx.entities.get(w.entity) if w.entity else None
        if ent is None or not w.person:
            continue
        for form in sorted({ent.name, *ent.aliases}, key=len, reverse=True):
            form = _without_title(ctx, form).replace("’", "'")
            if len(form.split()) < 2:
                continue
            m = _named_in(title, form)
            if m:
                app = re.match(r"\s*,\s*([^,:;.!?«»]{3,60}?)\s*,", title[m.end():])
                found.setdefault(w.entity, (w, app.group(1) if app else ""))
                break
    if len(found) != 1:
        return None, ""
    return next(iter(found.values()))


def _title_body(ctx: _Ctx) -> Who | None:
    """The one organisation named in the title line, which "le club" or "la compagnie" stands for
    when the text around names none."""
    title = (ctx.article.article.title or "").replace("’", "'")
    names = {m.text: m for m in ctx.article.mentions if _body_mention(m) and len(m.text) > 2
             and _named_in(title, m.text.replace("’", "'"))}
    if len(names) != 1:
        return None
    who = _who_of_mention(ctx, next(iter(names.values())))
    return _as_body(who)


def _named_in(title: str, name: str) -> re.Match | None:
    """Where ``name`` stands in the title line as whole words."""
    return re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", title)
