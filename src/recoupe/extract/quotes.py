"""Direct and indirect quotes, scare-quoted terms, and their speakers.

Rule-based over the analysis (tokens with lemma, POS, dependency head, NER mentions): quote marks
are paired on the clean text paragraph by paragraph; cues are verbs of saying (incise after the
quote, verb + colon or "que" before it), "selon/d'après X" and sentence-initial "pour X,".
A quote split by an incise (« A », a-t-il dit, « B ») gives TWO Quote objects with one speaker.
The speaker is a canonical entity name when the text names one, a description ("un riverain")
for unnamed sources, and None when nothing in the text says who spoke: never a guess.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from ..config import Config
from ..entities import fold, resolve_role, split_honorific
from ..lang import fr
from ..model import AnalysedArticle, EntityIndex, Mention, Quote, Token

OPENERS = {"«": "»", "“": "”", "‹": "›", '"': '"'}
SPACES = " \t\u00a0\u202f\u2009"
WORD = re.compile(r"\w+(?:['’-]\w+)*")
QUE = {"que", "qu'", "qu’"}
# vocabularies united once (the lists live in lang/fr.py)
BODY_NOUNS = fr.ORG_ANAPHORS | fr.ADMINISTRATIONS  # nouns a fuller description of a body can head
BODY_SUBJECT_NOUNS = BODY_NOUNS | fr.GOVERNMENT_BODIES  # bodies a pronoun may stand for
NOT_PERSON_NOUNS = (BODY_SUBJECT_NOUNS | fr.ORG_NOUNS_BEFORE_NAME | fr.COMPANY_NOUNS | fr.INSCRIPTION_NOUNS
                    | fr.DOCUMENT_NOUNS | fr.SOURCE_NOUNS)
ROLE_VOCABULARY = frozenset(fr.ROLE_NOUNS) | fr.ROLE_TITLES | frozenset(fr.ROLE_HYPERNYMS) | fr.PERSON_NOUNS
ENDS_WITH_DE = re.compile(r"(?:\b(?:de|du|des)|\bd['’])\s*$", re.I)  # what follows is a complement


@dataclass
class Who:
    """A resolved speaker: display name, entity id, the tokens/characters naming it."""

    name: str
    entity: str | None = None
    start: int = -1  # clean offsets of the naming words
    end: int = -1
    gender: str | None = None  # Masc, Fem, Plur
    person: bool = True


@dataclass
class _Ctx:
    article: AnalysedArticle
    entities: EntityIndex
    text: str
    tokens: list[Token]
    tok_starts: list[int]
    sent_starts: list[int]
    paragraphs: list[tuple[int, int]]
    mention_at: dict[int, Mention] = field(default_factory=dict)  # token index -> mention
    children: dict[int, list[int]] = field(default_factory=dict)
    anchors: list[tuple[int, Who, bool]] = field(default_factory=list)  # (position, who, is_subject)
    quoted: list[tuple[int, int]] = field(default_factory=list)  # direct-quote ranges (with marks)
    topic: Who | None = None  # the one person the title line names ("Camille Ravel, capitaine des Bleues, ...")
    topic_role: str = ""  # what the title says they are ("capitaine des Bleues")
    topic_body: Who | None = None  # the one organisation the title line names ("l'ES Valmont limoge ...")


# --------------------------------------------------------------------------- helpers


def normalise_name(text: str | None) -> str:
    """Lower-case, apostrophes unified, leading determiners and civil titles dropped."""
    if not text:
        return ""
    t = text.lower().replace("’", "'").strip(" ,.;:")
    t = re.sub(r"\s+", " ", t)
    changed = True
    while changed:
        changed = False
        for p in ("le ", "la ", "les ", "l'", "un ", "une ", "des ", "d'", "m. ", "mme ", "me ", "dr "):
            if t.startswith(p) and len(t) > len(p):
                t = t[len(p):]
                changed = True
    return t.strip()


def _without_title(ctx: _Ctx, name: str) -> str:
    """A name without the civil title before it ("M.", "Me", "Mgr")."""
    return split_honorific(name, ctx.article.language or "fr")[1]


def _norm_tok(t: Token) -> str:
    return t.text.lower().replace("’", "'")


def _tok_at(ctx: _Ctx, pos: int) -> int:
    """Index of the token containing or following clean offset ``pos``."""
    return bisect.bisect_left(ctx.tok_starts, pos)  # (the token starting at ``pos`` when there is one)


def _sentence_of(ctx: _Ctx, pos: int) -> int:
    return max(0, bisect.bisect_right(ctx.sent_starts, pos) - 1)


def _sentence_outside_quotes(ctx: _Ctx, pos: int) -> int:
    """The sentence of ``pos``, counting a quote of several sentences as one: "X a perdu sa mère.
    « On nous a parlé d'une bronchite. Personne ... », raconte cette ancienne institutrice" - the
    sentence before "raconte" is the one about X."""
    sent = _sentence_of(ctx, pos)
    while sent > 0 and _inside_quote(ctx, ctx.sent_starts[sent]):
        sent -= 1
    return sent


def _paragraph_of(ctx: _Ctx, pos: int) -> int:
    for k, (s, e) in enumerate(ctx.paragraphs):
        if s <= pos < e:
            return k
    return max(0, bisect.bisect_right([p[0] for p in ctx.paragraphs], pos) - 1)


def _inside_quote(ctx: _Ctx, pos: int) -> bool:
    return any(s < pos < e for s, e in ctx.quoted)


def _gender_of_token(t: Token) -> str | None:
    if "Number=Plur" in t.morph:
        return "Plur"
    if "Gender=Fem" in t.morph:
        return "Fem"
    if "Gender=Masc" in t.morph:
        return "Masc"
    return None


def _paragraphs(article: AnalysedArticle) -> list[tuple[int, int]]:
    text = article.article.text
    paras = [p for p in article.article.paragraphs if p[1] > p[0]]
    if paras:
        return sorted(paras)
    out, start = [], 0
    for m in re.finditer(r"\n\s*\n", text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return out


# --------------------------------------------------------------------------- quote marks


def find_quote_marks(text: str, paragraphs: list[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    """Outermost quoted pieces as (open mark, content start, content end, close mark end).

    Pairs marks within a paragraph (nested marks of the same kind are counted); a « or “ that
    never closes runs to the end of its paragraph, or on into the next one when that paragraph
    reopens with the same mark (the French convention for a quote over several paragraphs).
    """
    out: list[tuple[int, int, int, int]] = []
    k = 0
    while k < len(paragraphs):
        ps, pe = paragraphs[k]
        i = ps
        next_k = k + 1
        while i < pe:
            ch = text[i]
            if ch not in OPENERS or (ch == '"' and not _straight_opens(text, i, ps)):
                i += 1
                continue
            close = OPENERS[ch]
            j, depth, end_para = i + 1, 0, pe
            found = -1
            kk = k
            while True:
                while j < end_para:
                    c = text[j]
                    if c == close and (ch != '"' or True):
                        if depth == 0:
                            found = j
                            break
                        depth -= 1
                    elif c == ch and ch != '"':
                        depth += 1
                    j += 1
                if found >= 0 or ch == '"':
                    break
                # unclosed: continue into the next paragraph only when it reopens with the same mark
                if kk + 1 < len(paragraphs) and text[paragraphs[kk + 1][0]:paragraphs[kk + 1][0] + 1] == ch and kk - k < 3:
                    kk += 1
                    j, end_para, depth = paragraphs[kk][0] + 1, paragraphs[kk][1], 0
                    continue
                break
            if found < 0:
                if ch == '"':  # an odd straight quote (inches, typo): not a quote
                    i += 1
                    continue
                out.append((i, i + 1, end_para, end_para))
                if kk > k:
                    next_k = kk + 1
                    break
                i = end_para
                continue
            out.append((i, i + 1, found, found + 1))
            if kk > k:
                next_k = kk + 1
                ps, pe = paragraphs[kk]
                i = found + 1
                # keep scanning the rest of the paragraph where the quote ended
                k = kk
                next_k = kk + 1
                continue
            i = found + 1
        k = next_k
    return out


INNER_INCISE = re.compile(  # ", poursuit-elle," / ", a-t-il ajouté." : the verb is ``past`` or ``verb``
    r",[\s\u00a0\u202f]*(?:[\w’']+-t-(?:il|elle|ils|elles)[\s\u00a0]+(?P<past>[\w’']+)|(?P<verb>[\w’']+?)(?:-t)?-(?:il|elle|ils|elles))"
    r"[\s\u00a0\u202f]*[,.;]"
    # ", a glissé l'ouvreur, encore en crampons." : a named or described subject after the verb, to the stop
    r"|,[\s\u00a0\u202f]*(?:a|avait|ont|avaient)[\s\u00a0]+(?P<named>[\w’']+)[\s\u00a0]+"
    r"(?:le|la|les|l['’]|son|sa|ses|leur|M\.|Mme|Me)[\s\u00a0]*[^«»“”.;!?\n]{1,80}?[.;]")


def _split_at_incises(text: str, marks: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """« On nous parle de synergies, poursuit-elle, mais ... »: an incise inside one pair of marks
    splits the quote in two, the incise itself outside both (so it reads as the cue of the first)."""
    out = []
    for o, s, e, ce in marks:
        m = INNER_INCISE.search(text, s, e)
        if m and fr.speech_lemma(m["past"] or m["verb"] or m["named"]) and WORD.search(text[s:m.start()]) and WORD.search(text[m.end():e]):
            out.append((o, s, m.start(), m.start()))
            out.append((m.end(), m.end(), e, ce))
        else:
            out.append((o, s, e, ce))
    return out


def _straight_opens(text: str, i: int, para_start: int) -> bool:
    """A straight " opens when preceded by start, space or an opening bracket."""
    return i == para_start or text[i - 1] in SPACES + "\n(['«“:" or text[i - 1] == "'"


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    """Content range without surrounding spaces and trailing . , ; : (not ... nor ? !)."""
    while s < e and text[s] in SPACES + "\n":
        s += 1
    while e > s and text[e - 1] in SPACES + "\n":
        e -= 1
    while e > s and text[e - 1] in ",;:" or (e > s and text[e - 1] == "." and not text[s:e].endswith("..")):
        e -= 1
        while e > s and text[e - 1] in SPACES:
            e -= 1
    return s, e


# --------------------------------------------------------------------------- speakers


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
        if not _is_person(m) or _eponym(toks, m):
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


def _subject_chain(toks: list[Token], i: int) -> bool:
    """Token i is a subject, or in apposition to one, however deep ("Le lieutenant-colonel Éric
    Daniel": Éric -> appos of colonel -> appos of lieutenant, the subject)."""
    x, steps = i, 0
    while toks[x].dep in ("appos", "conj", "flat:name") and toks[x].head != x and steps < 4:
        x, steps = toks[x].head, steps + 1
    return toks[x].dep.startswith("nsubj")


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
    for other in ctx.article.mentions:
        o = ctx.entities.entity_of(ctx.article.id, other.index)
        if _is_person(other) and o is not None and not o.ambiguous and len(o.name.split()) > 1 and o.name.split()[-1] == words[0]:
            return o
    return None


def _named_person(ctx: _Ctx, m: Mention | None) -> bool:
    return m is not None and (_is_person(m) or _full_name(ctx, m) is not None)


def _is_person(m: Mention) -> bool:
    """A PER mention, or a MISC one that starts with a common first name ("Wendie Renard")."""
    first = m.text.split()[0].lower() if m.text.split() else ""
    return m.label == "PER" or m.label == "MISC" and len(m.text.split()) > 1 and first in fr.FIRST_NAMES


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


def _subtree(ctx: _Ctx, i: int) -> tuple[int, int]:
    lo = hi = i
    stack = [i]
    seen = set()
    while stack:
        x = stack.pop()
        if x in seen:
            continue
        seen.add(x)
        lo, hi = min(lo, x), max(hi, x)
        stack.extend(ctx.children.get(x, []))
    return lo, hi


def _description(ctx: _Ctx, lo: int, head: int, hi: int, resolve: bool = True) -> Who | None:
    """A noun phrase as a speaker: a named entity inside it, a role resolved to a person, or itself."""
    toks = ctx.tokens
    if head > 0 and toks[head].text.startswith("-") and toks[head - 1].end == toks[head].start and toks[head - 1].head != head - 1:
        # "La préfecture des Pyrénées | -Orientales a indiqué": a hyphenated name the tokenizer cut,
        # parsed as the subject; the phrase is the one the name's first half belongs to
        head = toks[head - 1].head
        lo = min(lo, _subtree(ctx, head)[0])
    named = ctx.mention_at.get(head)
    if _named_person(ctx, named) and not _demonym(ctx, head):  # the parser may head the phrase on a piece of the name
        return _who_of_mention(ctx, named)
    if named is not None and named.tok_start <= head and lo >= named.tok_start and hi < named.tok_end and not _demonym(ctx, head):
        return _who_of_mention(ctx, named)  # a piece of a name the parser split: "Transalp | Logistique"
    author = _document_author(ctx, head, hi)
    if author is not None:
        return _description(ctx, author[0], author[1], hi, resolve)
    # cut at the first comma / relative pronoun / quote after the head
    end = head
    aged = False
    for k in range(head + 1, hi + 1):
        low = _norm_tok(toks[k])
        if low == "de" and k + 2 < len(toks) and toks[k + 1].text.isdigit() and _norm_tok(toks[k + 2]) == "ans":
            aged = True  # "ce marin de 52 ans": a person, whatever the noun
        if toks[k].start == toks[k - 1].end and toks[k].text[:1] == "-" or toks[k - 1].text == "-" and toks[k].start == toks[k - 1].end:
            end = k  # "des Pyrénées-Orientales" cut at its hyphen
            continue
        if toks[k].text in ",;:«»“”\"()" or low in ("qui", "que", "qu'", "dont") or low in TIME_WORDS or low in fr.DESCRIPTION_STOPS:
            break
        if toks[k].pos == "NOUN" and toks[k - 1].pos in ("ADJ", "NOUN", "PROPN") and _noun_verb(ctx, k):
            break  # "Le représentant syndical juge le plan « ... »": the verb, read as a noun
        if toks[k].pos == "ADP" and low not in ("de", "du", "des", "d'") and k not in ctx.mention_at:
            break  # "le président ukrainien sur Telegram", "le SDIS à l'AFP"
        end = k
    # a person named in the full phrase (apposition "le porte-parole du Kremlin, Dmitri Peskov"),
    # not inside a complement ("le président de la COP28, le sultan Al Jaber")
    # (not a name inside a relative clause: "l'ancienne candidate qui a rendu hommage au président X")
    rel = next((k for k in range(lo + 1, hi + 1) if _norm_tok(toks[k]) in ("qui", "que", "qu'", "dont", "où")), hi + 1)
    for k in range(lo, rel):
        m = ctx.mention_at.get(k)
        if m is not None and k == m.tok_start and _named_person(ctx, m) and not _demonym(ctx, k):
            b = k - 1
            while b >= lo and toks[b].pos == "DET":
                b -= 1
            if b >= lo and toks[b].pos == "ADP":
                continue
            return _who_of_mention(ctx, m)
        if m is not None and k == m.tok_start and k > lo and _body_mention(m) and toks[head].text.lower() in fr.ORG_ANAPHORS:
            b = k - 1
            while b > lo and toks[b].pos == "DET":
                b -= 1
            if toks[b].text == ",":  # "Le syndicat des coureurs, l'UNCP, a dénoncé": the body in apposition
                who = _who_of_mention(ctx, m)
                return _as_body(who)
    first = lo
    while first < head and toks[first].pos in ("PUNCT", "CCONJ", "SCONJ", "ADP"):
        first += 1
    words = toks[first:end + 1]
    if not words:
        return None
    text = ctx.text[words[0].start:words[-1].end]
    det = _norm_tok(toks[first]) if toks[first].pos == "DET" or _norm_tok(toks[first]) == "l'" else ""
    if not det and first > lo and _norm_tok(toks[first - 1]) in ("du", "au", "des", "aux"):  # "de l'aveu même du maire"
        det = "le" if _norm_tok(toks[first - 1]) in ("du", "au") else "les"
    # the phrase is an organisation / place mention ("le SDIS", "Météo-France"), possibly after a
    # noun for its kind ("l'association Anticor", "l'ONG Climate Action Network")
    nouns = [k for k in range(first, end + 1) if toks[k].pos in ("NOUN", "PROPN") and k not in ctx.mention_at]
    head_tok = toks[head]
    while head_tok.pos == "ADJ" and head_tok.i < end and toks[head_tok.i + 1].pos in ("NOUN", "ADJ"):
        head_tok = toks[head_tok.i + 1]  # "la nouvelle présidente": the noun, not the adjective before it
    # "l'Espagnol", "la Française": a nationality for the person just named, not a MISC name
    demonym = head == first + 1 == end and _demonym(ctx, head)
    if head_tok.text.lower() in fr.SPEAKS_FOR_BODY and head_tok.i + 2 <= end and _norm_tok(toks[head_tok.i + 1]) in ("de", "du", "d'"):
        m = ctx.mention_at.get(head_tok.i + 2) or ctx.mention_at.get(head_tok.i + 3)
        if m is not None and m.tok_end - 1 >= end and (_body_mention(m) or m.label == "MISC" and not _is_person(m)):
            who = _who_of_mention(ctx, m)  # "La direction de Véolys défend": the company
            return Who(who.name, who.entity, words[0].start, words[-1].end, None, False)
    kind = next((k for k in range(first, head_tok.i + 1) if toks[k].text.lower() in fr.ORG_NOUNS_BEFORE_NAME), None)
    if kind is not None and not demonym:
        # "Le collectif Sauvons la piscine", "L'industriel suédois Voltek": a name the NER missed
        named_org = _name_after_kind(ctx, kind)
        if named_org is not None:
            return named_org
    for k in range(first, end + 1):
        m = ctx.mention_at.get(k)
        if m is None or demonym:
            continue
        # "l'association Anticor", "le groupe de pirates Black Hydra": a noun for the kind of organisation
        kind_only = bool(nouns) and nouns[0] < m.tok_start and toks[nouns[0]].text.lower() in fr.ORG_NOUNS_BEFORE_NAME and (
            len(nouns) == 1 or all(n < m.tok_start and _norm_tok(toks[n - 1]) in ("de", "d'") for n in nouns[1:]))
        if normalise_name(text) == normalise_name(m.text) or kind_only and m.tok_end - 1 >= end and m.label != "LOC":
            return _who_of_mention(ctx, m)
    g = _gender_of_token(head_tok) if not head_tok.text.isupper() else None  # (an acronym has no gender: "L'ONG")
    if det == "l'" and (g == "Masc" and head_tok.text.lower().endswith("e") or head_tok.text.lower().endswith(fr.EPICENE_ENDINGS)):
        g = None  # the tagger's gender for an epicene noun after l' ("l'édile", "l'analyste") is a guess
    if det in ("la", "une", "cette"):
        g = "Fem"
    elif det in ("les", "des", "ces") or "Number=Plur" in head_tok.morph and not head_tok.text.isupper():
        g = "Plur"
    who = Who(name=text, start=words[0].start, end=words[-1].end, gender=g, person=True)
    if not resolve:
        return who
    low = normalise_name(text)
    if det in ("ce", "cet", "cette") and (_person_noun(head_tok) or aged or _not_a_body_noun(head_tok)) and g != "Plur":
        # "Pour cette ancienne cadre de Danone, ...": a demonstrative points back to the person just
        # named, the one the sentence before is about rather than a name in its object ("X a perdu
        # sa mère, Jeanne. « ... », raconte cette ancienne institutrice")
        got = _previous_subject(ctx, words[0].start, g, same_sentence=True) or _last_person(ctx, words[0].start, g)
        if got:
            return _at_words(got, who)
    if low in {normalise_name(k) for k in fr.LAST_MENTIONED}:
        got = _last_person(ctx, words[0].start, fr.LAST_MENTIONED.get(text.lower().replace("’", "'")))
        return _at_words(got, who) if got else who
    if det in ("le", "la", "l'", "sa", "son", "leur") and g != "Plur":
        resolved = _resolve_role(ctx, text)
        if resolved:
            return _at_words(resolved, who)
        # an epithet for the person named before: "l'élue", "l'Espagnol", "le syndicaliste",
        # "l'entraîneur nantais" (a short definite description of a person, no complement)
        hw = head_tok.text.lower()
        # "l'officier" for "le colonel X", "le dirigeant" for "le PDG, X": a generic role noun
        hyper = hw if hw in fr.ROLE_HYPERNYMS else head_tok.lemma.lower() if head_tok.lemma.lower() in fr.ROLE_HYPERNYMS else None
        if hyper in fr.MEDICAL_SPECIALTIES and det not in ("le", "la", "l'"):
            hyper = None  # "son pédiatre": someone's own doctor, not the doctor named before
        # a role title ("le procureur") only stands for a person the texts gave that role
        role = (hw in fr.ROLE_TITLES or head_tok.lemma.lower() in fr.ROLE_TITLES or hyper is not None and not _person_noun(head_tok)) \
            and hw not in fr.ANAPHORIC_ROLES
        if hw in fr.ANAPHORIC_ROLES or head_tok.lemma.lower() in fr.ANAPHORIC_ROLES or demonym or hyper and len(words) <= 4 or (
                det in ("le", "la", "l'") and _person_noun(head_tok) and len(words) <= 4
                and not any(w.pos == "ADP" or w.i in ctx.mention_at for w in words)):
            qualifiers = {w.text.lower() for w in words if w.pos == "ADJ" and w.i != head_tok.i}
            got = _epithet_person(ctx, words[0].start, g, hyper or hw, role_only=role, qualifiers=qualifiers)
            if got:
                return _at_words(got, who)
        if role and det in ("le", "la", "l'") and len(words) <= 4 and not any(w.pos == "ADP" for w in words):
            got = _introduced_role(ctx, words[0].start, g) or _role_holder(ctx, words[0].start, g, {hw, head_tok.lemma.lower()})
            if got:
                return _at_words(got, who)
        if role and det in ("sa", "son", "leur") and len(words) <= 3:
            # "Son directeur affirme": the person given that title ("le directeur régional du groupe, X")
            got = _epithet_person(ctx, words[0].start, g, hyper or hw, role_only=True)
            if got:
                return _at_words(got, who)
        if (det in ("le", "la", "l'") or hw in fr.ORG_ANAPHORS) and len(words) <= 3 and not any(w.pos == "ADP" or w.i in ctx.mention_at for w in words):
            # (and "Son équipe a annoncé": the team named before)
            got = _titled_before(ctx, words[0].start, head_tok)
            if got:
                return _at_words(got, who)
        with_complement = det in ("le", "la", "l'") and any(w.pos == "ADP" for w in words)
        other_person = any(w.i in ctx.mention_at and ctx.mention_at[w.i].label == "PER" for w in words)
        folded = fold(low)
        equivalent = next((v for k, v in fr.ROLE_EQUIVALENTS.items() if folded == k or folded.startswith(k + " ")), None)
        if equivalent and not other_person:
            # "le chef de l'État" for "le président malgache, X", "le représentant de l'État" for "le sous-préfet"
            got = _title_holder(ctx, words[0].start, g, equivalent)
            if got:
                return _at_words(got, who)
        if with_complement and (role or hyper) and not other_person:
            # "la présidente du département", "le patron de la start-up": a person given that title
            # (or one it stands for)
            got = _epithet_person(ctx, words[0].start, g, hyper or hw, role_only=True)
            if got:
                return _at_words(got, who)
        if hw in fr.ORG_ANAPHORS and len(words) <= 3 and not with_complement and det in ("le", "la", "l'"):
            got = _previous_body(ctx, words[0].start)
            if got:
                return _at_words(got, who)
        if with_complement and not role and _person_noun(head_tok) and not WORD.search(ctx.text[ctx.sent_starts[_sentence_of(ctx, words[0].start)]:words[0].start]):
            # "« ... », a réagi Laurent Kervella. L'ancien ingénieur du CNES, âgé de 48 ans, a annoncé":
            # an epithet opening the sentence after one whose speaker or subject is one named person
            got = _previous_subject(ctx, words[0].start, g)
            if got:
                return _at_words(got, who)
        if det in ("son", "sa", "leur") and (_person_noun(head_tok) or _not_a_body_noun(head_tok)) and not other_person:
            before = [(p, w, s) for p, w, s in reversed(ctx.anchors)
                      if p < words[0].start and w.entity and not _inside_quote(ctx, p) and _compatible(w, g)]
            got = _qualified_person(ctx, before, {w.text.lower() for w in words if w.pos == "ADJ"})
            if got:  # "Son homologue ivoirien a salué" for "le président ivoirien X"
                return _at_words(got, who)
        if det in ("le", "la", "l'") and (_person_noun(head_tok) or _not_a_body_noun(head_tok)) and not other_person:
            # "la capitaine des Bleues" for "Camille Ravel, capitaine des Bleues": every word of the
            # description was said of one person before
            got = _title_holder(ctx, words[0].start, g, frozenset([low]))
            if got:
                return _at_words(got, who)
            topic = ctx.topic
            if topic is not None and _compatible(topic, g) and not any(p < words[0].start and w.entity for p, w, s in ctx.anchors):
                # "À 34 ans, la demi-centre de Metz ... a annoncé" under a title naming her: the lede's
                # description of the person the article is about, before anyone is named
                return _at_words(topic, who)
    return who


def _title_holder(ctx: _Ctx, pos: int, gender: str | None, titles: frozenset[str]) -> Who | None:
    """The closest person named before ``pos`` whose description holds one of ``titles`` (all its words)."""
    for p, w, s in reversed(ctx.anchors):  # (kept sorted by position)
        if p < pos and w.entity and not _inside_quote(ctx, p) and _compatible(w, gender):
            have = _role_words(ctx, p, w)
            if any(set(re.findall(r"[\w'-]+", t.lower().replace("’", "'"))) - {"de", "du", "des", "d'", "l'", "la", "le"} <= have for t in titles):
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


def _as_body(who: Who) -> Who:
    """The same name, as an organisation (no gender, no person)."""
    return Who(who.name, who.entity, who.start, who.end, None, False)


def _at_words(person: Who, words: Who) -> Who:
    """The person a description was resolved to, anchored on the description's words."""
    return Who(person.name, person.entity, words.start, words.end, person.gender, person.person)


def _document_author(ctx: _Ctx, head: int, hi: int) -> tuple[int, int] | None:
    """"un bilan provisoire de la préfecture", "un sondage publié par l'institut X": a document
    stands for its author; returns (start, head) of the author's phrase."""
    toks = ctx.tokens
    if head >= hi or toks[head].pos != "NOUN" or _norm_tok(toks[head]) not in fr.DOCUMENT_NOUNS:
        return None
    k = head + 1
    while k <= hi and toks[k].pos == "ADJ":
        k += 1
    if k < hi and toks[k].pos == "VERB" and _norm_tok(toks[k + 1]) == "par" and f"{_norm_tok(toks[k])} par" in fr.DOCUMENT_AUTHOR_CUES:
        k += 1
    elif k > hi or _norm_tok(toks[k]) not in fr.DOCUMENT_AUTHOR_CUES:
        return None
    start = k + 1
    h = start
    while h < hi and toks[h].pos in ("DET", "ADJ"):
        h += 1
    if h > hi or not (toks[h].pos in ("NOUN", "PROPN") or h in ctx.mention_at):
        return None  # "un rapport de 2023"
    return start, h


def _demonym(ctx: _Ctx, k: int) -> bool:
    """"l'Espagnol", "la Française": one capitalised word after le/la/l' (whatever the NER made of
    it) that is not the surname of a person named in the article."""
    toks = ctx.tokens
    t, m = toks[k], ctx.mention_at.get(k)
    if k == 0 or _norm_tok(toks[k - 1]) not in ("le", "la", "l'") or not t.text[:1].isupper() or t.text.isupper():
        return False
    if m is not None and m.tok_end - m.tok_start == 1 and m.label == "LOC":
        # "la Suédoise", "le Rochelais" read as places: a demonym's ending, not a country's name
        return t.text.lower().endswith(fr.DEMONYM_ENDINGS) and t.text not in fr.COUNTRY_DEMONYMS and _full_name(ctx, m) is None
    return m is None or m.tok_end - m.tok_start == 1 and m.label in ("MISC", "PER") and _full_name(ctx, m) is None


def _person_noun(t: Token) -> bool:
    """A noun for a person: listed (person nouns, roles, titles) or an agent noun ("syndicaliste", "technicien")."""
    # (or tagged as an adjective: "la spécialiste", "le socialiste")
    return _nominal(t) and (_person_word(t.text) or _person_word(t.lemma))


def _not_a_body_noun(t: Token) -> bool:
    """A noun that names no body, thing or document: as the subject of a verb of saying, a person
    ("cette ancienne comptable", "la gauchère"; the tagger may read it as an adjective)."""
    return _nominal(t) and t.text.lower() not in NOT_PERSON_NOUNS and t.lemma.lower() not in NOT_PERSON_NOUNS


def _nominal(t: Token) -> bool:
    """A noun, or a word the tagger read otherwise in a noun's place: an adjective ("la spécialiste"),
    a lower-case "proper noun" ("le manager")."""
    return t.pos in ("NOUN", "ADJ") or t.pos == "PROPN" and t.text.islower()


def _person_word(word: str) -> bool:
    w = word.lower()
    if w in fr.COMPANY_NOUNS:
        return False  # "le constructeur", "le fabricant": a company, whatever the ending
    return w in fr.PERSON_NOUNS or w in fr.ROLE_TITLES or w in fr.ROLE_HYPERNYMS or w.endswith(fr.AGENT_SUFFIXES)


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


def _resolve_pronoun(ctx: _Ctx, pos: int, gender: str | None) -> Who | None:
    """il/elle: a compatible person that is the subject of this or the previous sentence (the
    closest), else the closest compatible person of the previous sentences."""
    sent = _sentence_of(ctx, pos)
    cands = [(p, w, s) for p, w, s in ctx.anchors if p < pos and _sentence_of(ctx, p) >= sent - 3 and not _inside_quote(ctx, p)]
    cands.sort(key=lambda x: -x[0])
    for p, w, s in cands:
        if s and _sentence_of(ctx, p) >= sent - 1:
            if _compatible(w, gender):
                return w
            if not w.person and gender in ("Masc", "Fem"):
                # "L'UNCP a dénoncé ... Il demande que": the body the sentence before is about
                return w
    body = _previous_body_subject(ctx, pos) if gender in ("Masc", "Fem") else None
    if body is not None:  # (no compatible subject in this or the previous sentence: see above)
        return body
    for p, w, s in cands:
        if _compatible(w, gender):
            return w
    # "Il reconnaît, lui, que ...": further back in the paragraph, past people of another gender
    para = _paragraph_of(ctx, pos)
    for p, w, s in reversed(ctx.anchors):
        if p < pos and _paragraph_of(ctx, p) == para and w.entity and not _inside_quote(ctx, p) and _compatible(w, gender):
            return w
    if ctx.topic is not None and _compatible(ctx.topic, gender):
        return ctx.topic  # nobody near: the person the article is about
    return None


def _previous_body_subject(ctx: _Ctx, pos: int) -> Who | None:
    """"Le ministère de l'Intérieur a annoncé l'envoi de renforts. Il a précisé que": the body that
    is the main subject of the sentence before, for a pronoun opening this one."""
    toks = ctx.tokens
    sent = _sentence_outside_quotes(ctx, pos)
    if sent == 0 or WORD.search(ctx.text[ctx.sent_starts[_sentence_of(ctx, pos)]:pos]):
        return None
    prev = ctx.article.sentences[sent - 1]
    root = next((t.i for t in toks[prev.tok_start:prev.tok_end] if t.dep == "ROOT"), None)
    if root is None:
        return None
    subj = next((c for c in ctx.children.get(root, []) if toks[c].dep == "nsubj" and c < root), None)
    if subj is None:
        return None
    m = ctx.mention_at.get(subj)
    if m is not None and _body_mention(m):
        who = _who_of_mention(ctx, m)
    elif toks[subj].pos == "NOUN" and toks[subj].text.lower() in BODY_SUBJECT_NOUNS:
        lo, hi = _subtree(ctx, subj)
        who = _description(ctx, lo, subj, hi)
    else:
        return None
    return _as_body(who) if who is not None else None


def _epithet_person(ctx: _Ctx, pos: int, gender: str | None, noun: str, role_only: bool = False,
                    qualifiers: set[str] = frozenset()) -> Who | None:
    """The person an epithet ("l'entraîneur nantais", "le syndicaliste") stands for: one whose
    recorded role or apposition has that noun, else the closest compatible person of this or the
    previous sentence (a subject first), else a subject of the last three sentences, else the last
    compatible person named. Of several with the noun, one whose words also share the epithet's
    qualifiers ("l'entraîneur intérimaire" for "l'intérim à l'adjoint X")."""
    before = [(p, w, s) for p, w, s in sorted(ctx.anchors, key=lambda x: -x[0])
              if p < pos and w.entity and not _inside_quote(ctx, p) and _compatible(w, gender)]
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
                     and not ENDS_WITH_DE.search(ctx.text[max(0, m.start - 5):m.start])])
    near = ctx.text[lo:p]
    # (not "le président-fondateur de Stellaris": Stellaris is the title's complement, not its holder)
    if not ENDS_WITH_DE.search(near):
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


def _title_before(ctx: _Ctx, m: Mention) -> set[str]:
    """The noun of a title set right before a name: "l'ailier international Mathis Larrieu",
    "le laboratoire lyonnais Berthier Pharma" -> {ailier}, {laboratoire}."""
    toks = ctx.tokens
    k = m.tok_start - 1
    while k >= 0 and toks[k].pos == "ADJ":
        k -= 1
    if k >= 1 and toks[k].pos == "NOUN" and _norm_tok(toks[k - 1]) in ("le", "la", "l'"):
        return {toks[k].text.lower(), toks[k].lemma.lower()}
    # past the noun's complement: "Le fabricant français de vélos à assistance électrique Cyclane"
    for j in range(k, max(0, m.tok_start - 9), -1):
        if toks[j].pos not in ("NOUN", "ADJ", "ADP", "DET") or j in ctx.mention_at:
            break
        if toks[j].pos == "NOUN" and toks[j].text.lower() in fr.COMPANY_NOUNS and _norm_tok(toks[j - 1]) in ("le", "la", "l'"):
            return {toks[j].text.lower(), toks[j].lemma.lower()}
    return set()


def _title_after(ctx: _Ctx, m: Mention) -> set[str]:
    """The noun of an apposition right after a body's name: "Le SNUipp-FSU, principal syndicat
    d'enseignants, ..." -> {syndicat}."""
    toks = ctx.tokens
    k = m.tok_end
    if k >= len(toks) or toks[k].text != "," or _is_person(m):
        return set()
    k += 1
    while k < len(toks) and k - m.tok_end <= 3 and toks[k].pos in ("DET", "ADJ"):
        k += 1
    # (attached to the name: "Interrogé par l'AFP, le constructeur assure" is no apposition)
    if k < len(toks) and toks[k].pos == "NOUN" and m.tok_start <= toks[k].head < m.tok_end:
        return {toks[k].text.lower(), toks[k].lemma.lower()}
    return set()


def _titled_before(ctx: _Ctx, pos: int, head: Token) -> Who | None:
    """"Le laboratoire a reconnu ...", "Selon l'association": the closest name introduced with that
    noun as its title (any company noun for "l'entreprise": "le groupe Kervadec"), the NER's or
    not ("l'association Landes vivantes"); for a body, failing a name, the fuller description
    with that noun ("La fédération" -> "la fédération de pêche de Haute-Saône")."""
    toks = ctx.tokens
    words = {head.text.lower(), head.lemma.lower()}
    if words & fr.COMPANY_ANAPHORS:
        words |= fr.COMPANY_NOUNS
    for w in list(words):
        words |= fr.BODY_HYPERNYMS.get(w, frozenset())
    found: list[tuple[int, Who]] = []
    for m in sorted(ctx.article.mentions, key=lambda x: -x.start):
        # (or inside the name: "du groupe Kervadec" read as one name)
        title = _title_before(ctx, m) | _title_after(ctx, m)
        if m.start < pos and not _inside_quote(ctx, m.start) and (words & title or m.text.split(" ", 1)[0].lower() in words):
            who = _who_of_mention(ctx, m)
            if title & fr.BODY_HYPERNYMS.get(head.text.lower(), frozenset()) and m.tok_start >= 2:
                # an administration keeps its noun: "la région Bourgogne-Franche-Comté"
                start = toks[m.tok_start - 2].start
                who = Who(ctx.text[start:m.end], who.entity, start, m.end, None, False)
            found.append((m.start, who))
            break
    fuller = None
    for k in range(head.i - 1, -1, -1):
        t = toks[k]
        # (a kind noun may be an acronym the tagger reads as a name: "l'ONG Terres Communes")
        if t.start >= pos or t.pos not in ("NOUN", "PROPN") or not {t.text.lower(), t.lemma.lower()} & words or _inside_quote(ctx, t.start):
            continue
        if found and t.start < found[0][0]:
            break
        got = _name_after_kind(ctx, k) if t.text.lower() in fr.ORG_NOUNS_BEFORE_NAME else None
        if got is not None:
            found.append((t.start, got))
            break
        if fuller is None and head.text.lower() in BODY_NOUNS and t.text.lower() == head.text.lower() and k + 2 < len(toks) \
                and _norm_tok(toks[_past_adjectives(toks, k)]) in ("de", "du", "des", "d'") and k >= 1 and toks[k - 1].pos == "DET":
            lo, hi = _subtree(ctx, k)
            fuller = _description(ctx, k - 1, k, hi, resolve=False)
    if found:
        return max(found, key=lambda f: f[0])[1]
    if fuller is not None:
        return _as_body(fuller)
    if head.text.lower() in fr.ORG_ANAPHORS:
        # "le président de la FDSEA de la Drôme, Grégory Faure. Le syndicat estime": the body named
        # in the sentence before, when it names only one
        sent = _sentence_outside_quotes(ctx, pos)
        # (not the outlet spoken to: "a indiqué à franceinfo", "a déclaré sur franceinfo")
        # (a name the NER left unkinded, subject of its sentence, acts as a body: "Lumière TV a indiqué")
        near = {m.text: m for m in ctx.article.mentions if (_body_mention(m) or m.label == "MISC" and not _is_person(m)
                                                            and _subject_chain(toks, m.tok_start))
                and m.start < pos and not _inside_quote(ctx, m.start)
                and _sentence_of(ctx, m.start) >= sent - 1 and (m.tok_start == 0 or _norm_tok(toks[m.tok_start - 1]) not in ("à", "au", "auprès", "sur"))}
        if len(near) == 1:
            return _who_of_mention(ctx, next(iter(near.values())))
        if not near and ctx.topic_body is not None:
            return ctx.topic_body  # "le club" in an article whose title names one club
    return None


def _past_adjectives(toks: list[Token], k: int) -> int:
    """The token after noun ``k`` and its adjectives ("le comité régional | des pêches")."""
    j = k + 1
    while j < len(toks) - 1 and toks[j].pos == "ADJ":
        j += 1
    return min(j, len(toks) - 1)


def _body_mention(m: Mention) -> bool:
    """An organisation's name: the NER's ORG, or a name opening on an acronym it took for a place
    ("l'ARS Auvergne-Rhône-Alpes")."""
    first = m.text.split()[0] if m.text.split() else ""
    return m.label == "ORG" or m.label == "LOC" and len(first) >= 2 and first.isupper()


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


def _last_person(ctx: _Ctx, pos: int, gender: str | None, far: bool = False) -> Who | None:
    """"ce dernier" (within three sentences), "l'ancien élu" (anywhere before): the last-mentioned
    compatible named person."""
    sent = _sentence_of(ctx, pos)
    for p, w, s in sorted(ctx.anchors, key=lambda x: -x[0]):
        if p < pos and (far or _sentence_of(ctx, p) >= sent - 3) and not _inside_quote(ctx, p) and _compatible(w, gender) and w.entity:
            return w
    return None


def _speaker_of_verb(ctx: _Ctx, v: int, incise: bool = False, introduces: bool = False) -> Who | None:
    """The subject of a verb of saying: -t-il, inverted subject (in an incise), preverbal nsubj.
    ``introduces``: the verb comes before its quote ("X, 34 ans, résumait l'état d'esprit : « ... »"),
    so the words after it are its object, never an inverted subject."""
    toks = ctx.tokens
    k = v - 1
    while k >= 0 and (toks[k].pos == "AUX" or toks[k].text.startswith("-") or _norm_tok(toks[k]) in ("s'", "se")) and v - k <= 4:
        k -= 1
    for j in range(k + 1, min(len(toks), v + 3)):
        low = toks[j].text.lower()
        if toks[j].text.startswith("-") and low in fr.PRONOUN_GENDER:
            return _resolve_pronoun(ctx, toks[j].start, fr.PRONOUN_GENDER[low])
    # (the parser may hang a verb on the previous sentence's words: only this sentence's subjects)
    preverbal = any(toks[c].dep.startswith("nsubj") and c < v and toks[c].sent == toks[v].sent and not _inside_quote(ctx, toks[c].start)
                    for c in ctx.children.get(v, []))
    # "..., a rapporté l'agence russe Sputnik": a trailing incise with no subject before the verb
    # (a present participle opens a clause of the sentence's verb: "..., jugeant son joueur « ... »")
    if not incise and not introduces and k >= 0 and toks[k].text == "," and not preverbal and toks[v].pos != "NOUN" and not _present_participle(toks[v]):
        lb = _tok_at(ctx, _left_boundary(ctx, toks[k].start))  # a clause before the comma, not an apposition
        # (not the verb of a relative clause after the subject: "Le commandant X, qui dirigeait les
        # opérations, décrit une nuit « très longue »")
        incise = any("VerbForm=Fin" in toks[x].morph and not _inside_quote(ctx, toks[x].start) and toks[x].dep != "acl:relcl"
                     and not any(_norm_tok(toks[y]) == "qui" for y in range(max(lb, x - 2), x)) for x in range(lb, k))
        incise = incise or k > 0 and toks[k - 1].text in ("»", "”", '"')  # « ... », écrit l'ailier
    if incise:
        # « ... », a ironisé Mme Panot / soupire une usagère: the words after the verb, whatever the parse
        got = _inverted_subject(ctx, v, incise=True)
        if got is not None:
            return got
    agent = _agent_of_participle(ctx, v)
    if agent is not None:
        return agent
    if toks[v].pos in ("NOUN", "ADV", "PROPN") or toks[v].pos == "ADJ" and _noun_verb(ctx, v):
        # a verb the tagger misread: its parse is no help; the noun phrase right before it, else
        # the one opening the clause
        return _phrase_before(ctx, v) or _clause_subject(ctx, v)
    subj = [c for c in ctx.children.get(v, []) if toks[c].dep in ("nsubj", "nsubj:pass", "expl:subj") and c < v and toks[c].text != "-t"
            and toks[c].sent == toks[v].sent and not _inside_quote(ctx, toks[c].start)]
    named = [c for c in subj if _named_person(ctx, ctx.mention_at.get(c)) and toks[c - 1].text == ","]
    if len(subj) > 1 and len(named) == 1:
        subj = named  # "Le maire de Ribaute, Gérard Ortiz, a salué": the name parsed as a second subject
    if not subj:  # the subject may hang on an auxiliary or a coordinated first verb
        if toks[v].dep == "conj" and toks[v].head < v:
            h = toks[v].head
            said = toks[h].head
            if toks[h].dep == "ccomp" and said < h and _is_speech_verb(toks[said]) and any(
                    _norm_tok(toks[c]) in QUE and toks[c].dep == "mark" for c in ctx.children.get(h, [])):
                # "Le maïsiculteur estime que les agriculteurs servent de « variable » et dénonce des
                # restrictions": the parser hangs the second verb of saying in the first one's clause
                return _speaker_of_verb(ctx, said)
            first = [c for c in ctx.children.get(h, []) if toks[c].dep == "nsubj"]
            between = ctx.text[toks[h].end:toks[v].start]
            if first and "," not in between.split(" et ")[0][-3:] and " et " in between:
                subj = first
    for s in subj:
        t = toks[s]
        low = _norm_tok(t)
        # "des cas ont été signalés": what was said; the sayer is the agent, if any
        if _passive_subject(ctx, s):
            agent = [c for c in ctx.children.get(v, []) if toks[c].dep == "obl:agent" and toks[c].sent == toks[v].sent]
            if not agent:
                return None
            lo, hi = _subtree(ctx, agent[0])
            return _description(ctx, lo, agent[0], hi)
        if t.pos == "PRON":
            if low in fr.PRONOUN_GENDER:
                return _resolve_pronoun(ctx, t.start, fr.PRONOUN_GENDER[low])
            if low == "qui" and toks[v].dep == "acl:relcl" and toks[toks[v].head].pos in ("NOUN", "PROPN", "PRON"):
                a = toks[v].head  # "un responsable, qui évoque une « ... »"
                lo, hi = _subtree(ctx, a)
                return _description(ctx, max(lo, a - 4), a, min(hi, s - 1))
            if low == "qui":  # the parser missed the relative clause: its antecedent is the phrase before
                return _antecedent(ctx, s)
            if low == "on":  # "Dans l'entourage du ministre, on estime": the group the sentence opens with
                return _on_source(ctx, v)
            if low in fr.SOURCE_PRONOUNS:
                return Who(name=t.text.lower(), start=t.start, end=t.end, gender="Plur")
            if low in ("je", "nous", "ce", "c'", "cela", "ça", "qui"):
                return None
            continue
        if t.pos == "VERB":  # "Sollicité par l'AFP, le ministère a fait savoir" parsed with the participle as subject
            app = [c for c in ctx.children.get(s, []) if toks[c].dep == "appos" and toks[c].pos in ("NOUN", "PROPN")]
            if not app:
                continue
            s = app[0]
        lo, hi = _subtree(ctx, s)
        sent = toks[s].sent
        while lo < s and toks[lo].sent != sent:
            lo += 1
        lo = _after_opening_phrase(ctx, lo, s)
        if s > v:  # inverted subject ends at the clause end
            hi = min(hi, _clause_end(ctx, s))
        else:
            hi = min(hi, v - 1)
        return _description(ctx, lo, s, hi)
    # an infinitive or a present participle takes the subject of the verb it depends on ("avant
    # d'ajouter que", "refuse de partir", "X a indiqué suivre ..., craignant que ...")
    if "VerbForm=Inf" in toks[v].morph or _present_participle(toks[v]):
        h = toks[v].head
        if h != v and toks[h].pos in ("VERB", "AUX") and not _inside_quote(ctx, toks[h].start):
            return _speaker_of_verb(ctx, h)
        # "a lancé le président russe, avant d'ajouter : « ... »" parsed onto a verb of the quote:
        # the closest verb before, outside quotes
        back = _conjugated_verb_before(ctx, v)
        if back is not None:
            return _speaker_of_verb(ctx, back)
    # no parsed subject: the phrase opening the clause, else an inverted subject after the verb
    return _clause_subject(ctx, v) or _inverted_subject(ctx, v)


def _agent_of_participle(ctx: _Ctx, v: int) -> Who | None:
    """"un dispositif jugé « insuffisant » par les syndicats": the agent of an adjectival participle
    (no auxiliary: not "a dénoncé un « système » ... dépassé par ses démons") says the quoted words
    that follow it."""
    toks = ctx.tokens
    t = toks[v]
    participle = "VerbForm=Part" in t.morph and "Tense=Past" in t.morph or t.pos == "ADJ" and _speech_lemma(t)
    if not participle or t.dep not in ("acl", "amod", "ROOT", "conj") or any(toks[c].dep.startswith("aux") for c in ctx.children.get(v, [])):
        return None
    k = v + 1
    while k < len(toks) and k - v <= 2 and toks[k].text not in OPENERS:
        k += 1  # "qualifié de « ... »"
    close = next((q for o, q in ctx.quoted if k < len(toks) and o == toks[k].start), None)
    if close is None:
        return None
    m = re.match(r"[\s\u00a0\u202f]*par\s+", ctx.text[close:close + 20])
    if not m:
        return None
    lo = _tok_at(ctx, close + m.end())
    hi = lo
    while hi + 1 < len(toks) and toks[hi + 1].sent == t.sent and (
            toks[hi + 1].pos in ("DET", "ADJ", "NOUN", "PROPN", "NUM") or _norm_tok(toks[hi + 1]) in ("de", "d'", "du", "des")):
        hi += 1
    head = next((x for x in range(lo, hi + 1) if toks[x].pos in ("NOUN", "PROPN")), None)
    return _description(ctx, lo, head, hi) if head is not None else None


def _phrase_before(ctx: _Ctx, v: int) -> Who | None:
    """"le syndicat Unsa-Culture juge": the noun phrase ending right before token ``v``, from its
    determiner, when it names someone or is a noun for a person or a body."""
    toks = ctx.tokens
    k = v - 1
    while k >= 0 and v - k <= 6 and (toks[k].pos in ("NOUN", "PROPN", "ADJ") or toks[k].text == "-" or k in ctx.mention_at):
        k -= 1
    if k < 0 or k == v - 1 or toks[k].pos != "DET" or toks[k].sent != toks[v].sent:
        return None
    named = any(k < x < v and x in ctx.mention_at for x in range(k, v))
    head = k + 1
    while head < v - 1 and toks[head].pos == "ADJ":
        head += 1
    if not named and not (_person_noun(toks[head]) or _norm_tok(toks[head]) in fr.ORG_NOUNS_BEFORE_NAME):
        return None
    return _description(ctx, k, head, v - 1)


def _on_source(ctx: _Ctx, v: int) -> Who | None:
    """"Dans l'entourage du XV de France, on estime que ...": the group named by the opening phrase."""
    left = _left_boundary(ctx, ctx.tokens[v].start)
    m = fr.ON_SOURCE_OPENER.match(ctx.text[left:ctx.tokens[v].start])
    if not m:
        return None
    s, e = left + m.start("who"), left + m.end("who")
    lo, hi = _tok_at(ctx, s), _tok_at(ctx, e - 1)
    head = lo
    while head < hi and ctx.tokens[head].pos in ("DET", "ADJ"):
        head += 1
    return _description(ctx, lo, head, hi, resolve=False)


def _antecedent(ctx: _Ctx, qui: int) -> Who | None:
    """"transportés au centre hospitalier de Briançon, qui jugeait ...": the noun phrase before "qui"."""
    toks = ctx.tokens
    a = qui - 1
    if a >= 0 and toks[a].text == ",":
        a -= 1
    if a < 0 or toks[a].pos not in ("NOUN", "PROPN") or toks[a].sent != toks[qui].sent:
        return None
    end = a
    while toks[a].dep in ("nmod", "flat:name", "amod", "appos") and toks[a].head < a and toks[toks[a].head].pos in ("NOUN", "PROPN"):
        a = toks[a].head
    lo, _ = _subtree(ctx, a)
    return _description(ctx, max(lo, a - 4), a, end)


def _clause_subject(ctx: _Ctx, v: int) -> Who | None:
    """When the parse gives the verb no subject: the noun phrase opening its sentence, with the
    person named in its apposition ("La capitaine de l'équipe, Wendie Renard, a pour sa part salué")."""
    toks = ctx.tokens
    left = _left_boundary(ctx, toks[v].start)
    j = _tok_at(ctx, left)
    while j < v and (toks[j].pos in ("PUNCT", "SPACE", "CCONJ") or toks[j].text.strip() == ""):
        j += 1
    j = _after_opening_phrase(ctx, j, v)
    if j >= v or _inside_quote(ctx, toks[j].start):
        return None
    t = toks[j]
    if t.pos == "PRON" and _norm_tok(t) in fr.PRONOUN_GENDER and not t.text.startswith("-"):
        return _resolve_pronoun(ctx, t.start, fr.PRONOUN_GENDER[_norm_tok(t)])
    if t.pos not in ("DET", "NOUN", "PROPN") and j not in ctx.mention_at:
        return None
    head = j
    while head < v and toks[head].pos in ("DET", "ADJ") and not (head > j and toks[head].pos == "ADJ" and _person_word(toks[head].text)):
        head += 1  # (a noun for a person misread as an adjective: "La spécialiste juge que")
    # the phrase and its appositions run to the last comma before the verb
    hi = head
    for k in range(head, v):
        # (a participle qualifying the noun goes on: "Le maire délégué de Mardyck, Francis Decroos, dit")
        if toks[k].pos in ("VERB", "AUX") and toks[k].dep not in ("acl:relcl", "acl", "amod") and not any(toks[x].text == "," for x in range(head, k)):
            break
        hi = k
    if head >= v:
        return None
    return _description(ctx, j, head, hi)


def _after_opening_phrase(ctx: _Ctx, lo: int, limit: int) -> int:
    """Where a subject starts after the phrase opening its clause, before token ``limit``: "À la sortie
    d'un bureau de vote, un électeur admettait", "Interrogée, la Haute Autorité de santé a indiqué"
    (a prepositional phrase, or words with no noun, up to the first comma); else ``lo``."""
    toks = ctx.tokens
    while True:  # one phrase after another: "À Vire, dans les allées de la fromagerie, un ancien affineur"
        comma = next((k for k in range(lo + 1, limit) if toks[k].text == "," and not _inside_quote(ctx, toks[k].start)), None)
        # (or a participle clause: "Joint par Le Monde, M. Bréhal a fait savoir")
        # ("A la nuit tombée" with its capital read as the verb avoir; "autour d'un brasero")
        prep = toks[lo].pos == "ADP" or toks[lo].text in ("A", "À") or toks[lo].pos == "ADV" and lo + 1 < limit and toks[lo + 1].pos == "ADP"
        # ("Joint par France Inter," whatever the tagger made of the participle)
        prep = prep or lo + 1 < limit and _norm_tok(toks[lo + 1]) == "par" and toks[lo].text[:1].isupper()
        # (or a time: "Devant la maison d'arrêt, lundi, une surveillante résumait")
        when = comma is not None and all(_norm_tok(toks[k]) in TIME_WORDS or toks[k].pos in ("DET", "ADJ", "NUM") for k in range(lo, comma))
        if comma is not None and (prep or when or toks[lo].pos == "VERB" and "VerbForm=Part" in toks[lo].morph and "Tense=Past" in toks[lo].morph
                                  or not any(toks[k].pos in ("NOUN", "PROPN") for k in range(lo, comma))):
            lo = comma + 1
            continue
        return lo


def _conjugated_verb_before(ctx: _Ctx, v: int) -> int | None:
    """The closest verb before token ``v`` in its sentence, outside quotes, that is conjugated (finite,
    or a participle with its auxiliary)."""
    toks = ctx.tokens
    for k in range(v - 1, -1, -1):
        t = toks[k]
        if t.sent != toks[v].sent:
            return None
        if t.pos == "VERB" and not _inside_quote(ctx, t.start) and (
                "VerbForm=Fin" in t.morph or any(toks[a].dep.startswith("aux") for a in ctx.children.get(k, []))):
            return k
    return None


def _clause_end(ctx: _Ctx, i: int) -> int:
    toks = ctx.tokens
    j = i
    while j + 1 < len(toks) and toks[j + 1].sent == toks[i].sent and toks[j + 1].text not in ".;!?«“":
        j += 1
    return j


TIME_WORDS = ("jeudi", "lundi", "mardi", "mercredi", "vendredi", "samedi", "dimanche", "hier", "aujourd'hui",
              "matin", "midi", "soir", "après-midi", "encore", "aussitôt")


def _inverted_subject(ctx: _Ctx, v: int, incise: bool = False) -> Who | None:
    """The subject after the verb: a person named next to it first, else the first noun phrase,
    skipping adverbs and prepositional phrases ("a affirmé à l'APO un responsable")."""
    toks = ctx.tokens
    end = _clause_end(ctx, v)
    j = v + 1
    while j <= end:
        t = toks[j]
        low = _norm_tok(t)
        if low in QUE or t.text in "«“:":
            return None
        if low in fr.PRONOUN_GENDER and t.pos == "PRON" and t.text.startswith("-"):
            return _resolve_pronoun(ctx, t.start, fr.PRONOUN_GENDER[low])
        m = ctx.mention_at.get(j)
        if _named_person(ctx, m):
            return _who_of_mention(ctx, m)
        if t.text.startswith("-") or t.pos == "ADV" or t.text == "," or low in TIME_WORDS:
            j += 1
            continue
        if t.pos == "VERB" and "VerbForm=Inf" in t.morph and j > v and _norm_tok(toks[j - 1]) in ("à", "de", "d'"):
            j += 1  # "a tenu à préciser la ministre": the infinitive the verb governs
            continue
        if t.pos == "ADP" or low in ("à", "au", "aux", "devant", "sur", "sous", "lors", "dans", "après", "avant", "pendant", "par", "en", "depuis", "pour"):
            # skip the prepositional phrase (addressee, place, time)
            j += 1
            first = j
            while j <= end and toks[j].pos in ("DET", "NOUN", "PROPN", "ADJ", "NUM") and toks[j].text != ",":
                if toks[j].pos == "DET" and j > v + 2 and toks[j - 1].pos in ("NOUN", "PROPN"):
                    break
                m = ctx.mention_at.get(j)
                if j > first and m is not None and m.tok_start == j and _named_person(ctx, m):
                    break  # "a lancé à l'AFP Rivo Andriamihaja": the speaker after the addressee
                j += 1
            continue
        if t.pos in ("DET", "NOUN", "PROPN", "PRON") and (t.pos != "PRON" or low in {k.split()[0] for k in fr.LAST_MENTIONED}):
            head = j
            while head <= end and toks[head].pos in ("DET", "PRON") and head - j < 2 and not (t.pos == "PRON" and head > j):
                head += 1
            if head > end:
                return None
            if t.pos == "PRON":
                head = min(j + 1, end)
            if not incise and toks[head].dep in ("obj", "iobj") and toks[head].head == v:
                return None  # "résume le sentiment général": the object, not the speaker
            return _description(ctx, j, head, end)
        return None
    return None


def _thing_subject(ctx: _Ctx, v: int) -> bool:
    """The verb's subject is a common noun for no person, group or document ("la présence de ce mobilier")."""
    toks = ctx.tokens
    for c in ctx.children.get(v, []):
        t = toks[c]
        if t.dep.startswith("nsubj") and t.sent == toks[v].sent:
            lem = t.lemma.lower()
            return (t.pos == "NOUN" and c not in ctx.mention_at and not _person_noun(t) and lem not in fr.SOURCE_NOUNS
                    and lem not in fr.ORG_NOUNS_BEFORE_NAME and lem not in fr.DOCUMENT_NOUNS)
    return False


def _passive_subject(ctx: _Ctx, i: int) -> bool:
    """Token ``i`` is the subject of a real passive ("Jean Morin a été condamné"; the parser also
    says nsubj:pass for "Il a assuré")."""
    t = ctx.tokens[i]
    return t.dep == "nsubj:pass" and _passive(ctx, t.head)


def _passive(ctx: _Ctx, v: int) -> bool:
    return any(ctx.tokens[c].dep == "aux:pass" for c in ctx.children.get(v, []))


def _present_participle(t: Token) -> bool:
    return "VerbForm=Part" in t.morph and "Tense=Pres" in t.morph and t.text.lower().endswith("ant")


def _infinitive_locution(ctx: _Ctx, v: int) -> bool:
    """"a fait savoir que", "laisse entendre que": an infinitive that says, after its light verb."""
    toks = ctx.tokens
    light = fr.SPEECH_INFINITIVES.get(toks[v].lemma.lower()) or fr.SPEECH_INFINITIVES.get(toks[v].text.lower())
    return bool(light) and v > 0 and toks[v - 1].lemma.lower() in light


def _impersonal(ctx: _Ctx, v: int) -> bool:
    """"il est précisé que", "il a été rappelé que": an impersonal passive of a verb of saying."""
    toks = ctx.tokens
    kids = ctx.children.get(v, [])
    return _passive(ctx, v) and any(_norm_tok(toks[c]) == "il" and toks[c].dep.startswith(("nsubj", "expl")) for c in kids)


def _is_speech_verb(t: Token, verbs=fr.SPEECH_VERBS) -> bool:
    # the tagger sometimes reads a participle as an adjective ("a-t-il martelé")
    return t.pos in ("VERB", "AUX", "ADJ") and (t.lemma.lower() in verbs or t.text.lower() in verbs or fr.speech_lemma(t.text) in verbs)


def _speech_lemma(t: Token) -> str | None:
    """The verb of saying a token is, from its lemma or, when the tagger misread it, its form."""
    if t.pos in ("VERB", "AUX", "ADJ") and t.lemma.lower() in fr.SPEECH_VERBS:
        return t.lemma.lower()
    return fr.speech_lemma(t.text)


# --------------------------------------------------------------------------- cues


def _incise_after(ctx: _Ctx, close_end: int, limit: int) -> int | None:
    """The verb of an incise right after a closing mark: « ... », a-t-il dit / estime X / soupire une usagère."""
    after = ctx.text[close_end:limit]
    m = re.match(r"[\s\u00a0\u202f]*[,!?…]?[\s\u00a0\u202f]*", after)
    if not m or "," not in after[: m.end() + 1] and not re.match(r"[\s\u00a0\u202f]*[!?…]", after):
        return None
    j = _tok_at(ctx, close_end + m.end())
    toks = ctx.tokens
    steps = 0
    while j < len(toks) and steps < 4 and toks[j].start < limit:
        t = toks[j]
        if _present_participle(t):
            return None  # "« ... », craignant que ...": a participle clause of the sentence's verb, not an incise
        if _speech_lemma(t) and not (t.pos == "AUX" and j + 1 < len(toks) and toks[j + 1].pos in ("VERB", "ADJ")):
            return j
        if t.pos == "VERB" or (_is_speech_verb(t) and t.pos in ("AUX", "ADJ") and not (j + 1 < len(toks) and toks[j + 1].pos == "VERB")):
            return j
        if t.pos not in ("AUX", "ADV", "PRON") and _norm_tok(t) not in ("s'", "se") or t.text == ",":
            if t.text.startswith("-"):
                j += 1
                steps += 1
                continue
            return None
        j += 1
        steps += 1
    return None


def _verb_before(ctx: _Ctx, pos: int, left: int, verbs=fr.SPEECH_VERBS, colon: bool = False) -> int | None:
    """The closest verb before ``pos`` in [left, pos) (any verb when the quote follows a colon)."""
    toks = ctx.tokens
    if colon:
        # "Il assure que l'entreprise a respecté la réglementation : « ... »": the verb of saying
        # of the clause, not the closest verb (which may be in its complement)
        got = _verb_before(ctx, pos, left, verbs)
        if got is not None:
            return got
    j = _tok_at(ctx, pos) - 1
    while j >= 0 and toks[j].start >= left:
        t = toks[j]
        if not _inside_quote(ctx, t.start) and (t.pos == "VERB" and (colon or _is_speech_verb(t, verbs) or _locution(ctx, j)) or _noun_verb(ctx, j, verbs)) \
                and not _participle_elsewhere(ctx, j, pos):
            return j
        j -= 1
    return None


def _participle_elsewhere(ctx: _Ctx, j: int, pos: int) -> bool:
    """"le prix proposé, 58 euros, « ne reflète en rien »": a participle used as an adjective whose
    phrase ends before ``pos`` says nothing of the words there ("jugé « insuffisant »" does)."""
    t = ctx.tokens[j]
    if not ("VerbForm=Part" in t.morph and "Tense=Past" in t.morph and t.dep in ("acl", "amod")):
        return False
    end = ctx.tokens[_subtree(ctx, j)[1]].end
    return end <= pos and "," in ctx.text[end:pos]


def _locution(ctx: _Ctx, j: int) -> bool:
    """A verb + noun locution of saying: "a fait état de « dégâts importants »"."""
    nxt = fr.SPEECH_LOCUTIONS.get(ctx.tokens[j].lemma.lower())
    return bool(nxt) and j + 1 < len(ctx.tokens) and _norm_tok(ctx.tokens[j + 1]) in nxt


def _noun_verb(ctx: _Ctx, j: int, verbs=fr.SPEECH_VERBS) -> bool:
    """A verb of saying the tagger read as a noun ("…, juge cette annonce", "juge que"): not after a
    determiner or preposition."""
    t, toks = ctx.tokens[j], ctx.tokens
    # (also read as an adverb, an adjective or a piece of a name: "M. Kervella dément que", "un délai
    # que le syndicat Unsa-Culture juge « intenable »")
    if t.pos not in ("NOUN", "ADV", "PROPN", "ADJ") or not t.text.islower() or j == 0 or toks[j - 1].pos in ("DET", "ADP", "NUM"):
        return False
    if t.pos == "ADJ" and toks[j - 1].pos not in ("NOUN", "PROPN"):
        return False
    # after an adjective only when it follows its noun ("le représentant syndical juge") or is a
    # noun for a person misread ("La spécialiste juge"), not "le grand juge"
    if toks[j - 1].pos == "ADJ" and (j < 2 or toks[j - 2].pos not in ("NOUN", "PROPN")) and not (
            j >= 2 and toks[j - 2].pos == "DET" and _person_word(toks[j - 1].text)):
        return False
    lemma = fr.speech_lemma(t.text)
    return lemma is not None and lemma in verbs


def _source_phrase(ctx: _Ctx, left: int, right: int) -> tuple[Who | None, str, int, int] | None:
    """A "selon X" / "d'après X" / sentence-initial "pour X," in [left, right), outside quotes.

    Returns (who, cue, phrase start, phrase end) in clean offsets.
    """
    toks = ctx.tokens
    j = _tok_at(ctx, left)
    while j < len(toks) and toks[j].start < right:
        t = toks[j]
        low = t.text.lower().replace("’", "'")
        cue = None
        k = j + 1
        if low == "selon":
            cue = "selon"
        elif low == "d'" and j + 1 < len(toks) and toks[j + 1].text.lower() == "après":
            cue, k = "d'après", j + 2
        elif low == "pour" and _first_word(ctx, j, left):
            cue = "pour"
        elif _first_word(ctx, j, left) and (opener := fr.OPINION_OPENER.match(ctx.text, t.start)):
            # "Aux yeux de la chercheuse, ...", "De l'aveu même de la présidente, ...": read as "pour X,"
            cue, k = "pour", _tok_at(ctx, opener.end())
        if cue and not _inside_quote(ctx, t.start):
            e = k
            while e < len(toks) and toks[e].start < right and toks[e].text not in ",;.«»“”\"!?:" and e - k < 16:
                e += 1
            if e > k:
                if cue == "pour":
                    if e >= len(toks) or toks[e].text != "," or not _sourcey(ctx, k, e - 1):
                        j += 1
                        continue
                phrase = ctx.text[toks[k].start:toks[e - 1].end]
                if fr.OWN_REPORTING.match(phrase):
                    return None, cue, t.start, toks[e - 1].end
                if len(phrase.split()) == 1 and phrase.lower() in fr.PRONOUN_GENDER:
                    who = _resolve_pronoun(ctx, t.start, fr.PRONOUN_GENDER[phrase.lower()])
                else:
                    head = k
                    while head < e - 1 and toks[head].pos in ("DET", "ADP", "ADJ") and toks[head].text.lower() not in fr.ROLE_TITLES:
                        head += 1
                    # "selon l'agence Reuters, citant plusieurs délégués": the primary source is cited
                    who = _description(ctx, k, head, e - 1)
                    # "pour l'entraîneur du RCT, Olivier Cazeaux, ...": the person named in apposition
                    app = _apposed_name(ctx, e, right)
                    if app is not None:
                        e = app[1]
                        # the title's holder, not a name inside its complement ("de l'école Jules-Ferry")
                        if app[0] is not None and _person_noun(toks[head]):
                            who = app[0]
                    if e + 1 < len(toks) and toks[e].text == "," and toks[e + 1].text.lower() in ("citant",):
                        f = e + 2
                        g = f
                        while g < len(toks) and toks[g].start < right and toks[g].text not in ",;.«»“”\"!?:" and g - f < 12:
                            g += 1
                        if g > f:
                            hd = f
                            while hd < g - 1 and toks[hd].pos in ("DET", "ADP", "ADJ"):
                                hd += 1
                            who = _description(ctx, f, hd, g - 1) or who
                            e = g
                return who, cue, t.start, toks[e - 1].end
        j += 1
    return None


def _apposed_name(ctx: _Ctx, e: int, right: int) -> tuple[Who | None, int] | None:
    """", Clément Beaune," right after a source phrase ending before token ``e`` (a comma): the
    person named there (None for another kind of name), and the token after the name, before
    which the phrase now ends."""
    toks = ctx.tokens
    if e + 1 >= len(toks) or toks[e].text != "," or toks[e].start >= right:
        return None
    m = ctx.mention_at.get(e + 1)
    if m is None or m.tok_start != e + 1 or m.tok_end >= len(toks):
        return None
    if toks[m.tok_end].text != "," or toks[m.tok_end].start >= right:
        return None
    # "Selon la police, Jean Dupont, 45 ans, a ...": the name is the reported clause's subject
    after = toks[m.tok_end + 1] if m.tok_end + 1 < len(toks) else None
    if any(toks[i].dep.startswith("nsubj") for i in range(m.tok_start, m.tok_end)) or after is not None and after.pos in ("VERB", "AUX"):
        return None
    return (_who_of_mention(ctx, m) if _named_person(ctx, m) else None), m.tok_end


def _first_word(ctx: _Ctx, j: int, left: int) -> bool:
    """Token j starts its sentence (or follows only a conjunction)."""
    pos = ctx.tokens[j].start
    before = ctx.text[_left_boundary(ctx, pos):pos]
    return not WORD.search(re.sub(r"\b(?:mais|et|or|donc|ainsi)\b", " ", before, flags=re.I))


def _sourcey(ctx: _Ctx, lo: int, hi: int) -> bool:
    """"pour X,": X names a person/organisation or is a noun for people ("les hydrologues")."""
    toks = ctx.tokens
    if lo == hi and _norm_tok(toks[lo]) in ("lui", "elle", "eux", "elles"):
        return True  # "Pour lui, ...": the person just named
    for k in range(lo, hi + 1):
        m = ctx.mention_at.get(k)
        if m is not None and m.label in ("PER", "ORG"):
            return True
    nouns = [t for t in toks[lo:hi + 1] if t.pos in ("NOUN", "PROPN")]
    if not nouns:
        return False
    h = nouns[0]
    w = h.lemma.lower()
    if h.text.lower() in fr.NOT_SOURCES_AFTER_POUR or w in fr.NOT_SOURCES_AFTER_POUR:
        return False
    if h.i > lo and _norm_tok(toks[h.i - 1]) in ("l'", "le", "la", "cet", "ce", "cette") and _person_noun(h):
        return True  # "Pour l'ingénieur, ...": the person the epithet stands for
    return w in fr.SOURCE_NOUNS or w in fr.ROLE_TITLES or h.text.lower().endswith(fr.AGENT_SUFFIXES) and "Number=Plur" in h.morph


# --------------------------------------------------------------------------- finders


def _left_boundary(ctx: _Ctx, pos: int) -> int:
    """Start of the clause/sentence holding ``pos``: after the last . ! ? outside quotes, or the paragraph."""
    para = ctx.paragraphs[_paragraph_of(ctx, pos)] if ctx.paragraphs else (0, len(ctx.text))
    j = pos - 1
    while j >= para[0]:
        c = ctx.text[j]
        if c in ".!?" and not _inside_quote(ctx, j) and (j + 1 >= len(ctx.text) or ctx.text[j + 1] in SPACES + "\n»”"):
            if not ctx.text[max(para[0], j - 3):j + 1].endswith(("M.", " M.")):
                return j + 1
        j -= 1
    return para[0]


def _right_boundary(ctx: _Ctx, pos: int) -> int:
    para = ctx.paragraphs[_paragraph_of(ctx, pos)] if ctx.paragraphs else (0, len(ctx.text))
    j = pos
    while j < para[1]:
        c = ctx.text[j]
        if c in ".!?" and not _inside_quote(ctx, j) and not ctx.text[max(0, j - 2):j + 1].endswith("M."):
            return j + 1
        if c in OPENERS and j > pos and c != '"':
            return j
        j += 1
    return para[1]


def find_quotes(article: AnalysedArticle, entities: EntityIndex, config: Config) -> list[Quote]:
    """All direct quotes, scare-quoted terms and indirect speech of one article, with speakers."""
    try:
        return _find_quotes(article, entities)
    except Exception:  # pragma: no cover - odd text must never stop the pipeline
        import logging

        logging.getLogger(__name__).exception("quote extraction failed on %s", article.id)
        return []


def _find_quotes(article: AnalysedArticle, entities: EntityIndex) -> list[Quote]:
    if not article.tokens or not article.article.text.strip():
        return []
    ctx = _build_ctx(article, entities)
    text = ctx.text
    marks = _split_at_incises(text, find_quote_marks(text, ctx.paragraphs))
    ctx.quoted = [(o, ce) for o, s, e, ce in marks]
    quotes: list[Quote] = []
    prev: tuple[int, Who | None, int] | None = None  # (close end, speaker, sentence) of the last direct quote
    orphans: list[tuple[int, int, int]] = []  # (index in quotes, open mark, close end) of lone quotes with no speaker
    for o, s, e, ce in marks:
        cs, cend = _trim(text, s, e)
        if cend <= cs or not WORD.search(text[cs:cend]):
            continue
        left = _left_boundary(ctx, o)
        right = _right_boundary(ctx, ce)
        before = text[left:o]
        q_toks = [t for t in ctx.tokens if cs <= t.start < cend]
        words = len(WORD.findall(text[cs:cend]))
        has_verb = any(t.pos in ("VERB", "AUX") for t in q_toks)
        after_colon = before.rstrip(SPACES + "\n").endswith(":")
        continuing = prev is not None and re.fullmatch(r"[\s\u00a0\u202f]*,[^.!?«»“”]{1,80},[\s\u00a0\u202f]*", text[prev[0]:o] or "") is not None
        embedded = bool(WORD.search(before)) and not after_colon and not continuing
        kind = "term" if embedded and (words <= 4 or not has_verb) else "direct"
        who: Who | None = None
        cue: str | None = None
        v = _incise_after(ctx, ce, right)
        if v is not None and kind == "direct" or v is not None and _speech_lemma(ctx.tokens[v]):
            who, cue = _speaker_of_verb(ctx, v, incise=True), _speech_lemma(ctx.tokens[v]) or ctx.tokens[v].lemma
        if who is None and continuing and prev is not None:
            who, cue = prev[1], "incise"
        vb = None
        if who is None and cue is None:
            vb = _verb_before(ctx, o, left, fr.TERM_VERBS if kind == "term" else fr.SPEECH_VERBS, colon=after_colon)
            if vb is not None:
                who, cue = _speaker_of_verb(ctx, vb, introduces=after_colon), _speech_lemma(ctx.tokens[vb]) or ctx.tokens[vb].lemma
                if who is not None and _thing_subject(ctx, vb):
                    # "Selon elle, la présence de ce mobilier témoigne d'une population « aisée »", "le
                    # ministre a estimé que l'opération relevait « d'une logique de marché »": the
                    # sentence's source or its verb of saying speaks, not the thing
                    src = _source_phrase(ctx, left, right)
                    outer = _verb_before(ctx, ctx.tokens[vb].start, left, fr.SPEECH_VERBS)
                    if src and src[0] is not None:
                        who, cue = src[0], src[1]
                    elif outer is not None and not _thing_subject(ctx, outer):
                        who, cue = _speaker_of_verb(ctx, outer), ctx.tokens[outer].lemma
            elif after_colon:
                # "Pour X : « ... »" or "X : « ... »"
                j = _tok_at(ctx, o) - 2
                m = ctx.mention_at.get(j)
                if m is not None and m.label == "PER":
                    who, cue = _who_of_mention(ctx, m), ":"
        if _written_text(ctx, who, o, left, after_colon):
            # "une affichette plastifiée prévient les promeneurs : « Eau non potable »": what a sign
            # says, nobody's words
            who, cue = None, "inscription"
        # no verb, or a passive one without its agent: "Selon elle, des cas ont été signalés, « ... »"
        if who is None and (cue is None or vb is not None and _passive(ctx, vb)):
            src = _source_phrase(ctx, left, right)
            if src and src[0] is not None:
                who, cue = src[0], src[1]
        if who is None and cue is None and kind == "direct" and not WORD.search(before) and prev is not None:
            # a quote standing alone right after another quote continues it
            if _sentence_of(ctx, o) - prev[2] <= 1 and _paragraph_of(ctx, o) - _paragraph_of(ctx, prev[0] - 1) <= 1:
                who, cue = prev[1], "continuation"
        if who is None and (cue is None or vb is not None and "VerbForm=Inf" in ctx.tokens[vb].morph) \
                and kind == "direct" and after_colon and prev is not None and prev[1] is not None \
                and _sentence_of(ctx, o) - prev[2] <= 1 and _paragraph_of(ctx, o) == _paragraph_of(ctx, prev[0] - 1) \
                and not any(prev[0] <= p < o for p, w, s in ctx.anchors if (w.entity or not w.person) and w.name != prev[1].name):
            # "« ... », prévient l'épidémiologiste. Avant de lancer un appel : « ... »": nobody else
            # named between, the colon (after no verb, or an infinitive without its subject) goes on
            # with the same speaker
            who, cue = prev[1], "continuation"
        if who is None and cue is None and kind == "direct" and not WORD.search(before):
            orphans.append((len(quotes), o, ce))
        quotes.append(_quote(ctx, cs, cend, kind, who, cue))
        if kind == "direct":
            prev = (ce, who, _sentence_of(ctx, ce - 1))
        if who is not None and who.start >= 0:
            ctx.anchors.append((who.start, who, True))
            if _sentence_of(ctx, ce) != _sentence_of(ctx, who.start):
                # the speaker of a quote is the topic of its sentence: a later "il" is them
                # ("« ... », a-t-il confié. Il assure que ...")
                ctx.anchors.append((ce, who, True))
            ctx.anchors.sort(key=lambda a: a[0])
    quotes.extend(_indirect(ctx))
    _continue_speakers(ctx, quotes, orphans)
    _terms_of_reported_speech(ctx, quotes)
    quotes.sort(key=lambda q: (q.span.start, q.span.end))
    for k, q in enumerate(quotes):
        q.id = f"{article.id}:q{k + 1}"
    return quotes


def _outside_quotes(ctx: _Ctx, start: int, end: int) -> str:
    """ctx.text[start:end] with every quote (marks included) blanked out."""
    chars = list(ctx.text[start:end])
    for qo, qe in ctx.quoted:
        for c in range(max(qo, start), min(qe, end)):
            chars[c - start] = " "
    return "".join(chars)


def _give_speaker(ctx: _Ctx, q: Quote, who: Who, cue: str) -> None:
    q.speaker, q.speaker_entity, q.cue = who.name, who.entity, cue
    q.speaker_span = ctx.article.article.span(who.start, who.end) if 0 <= who.start < who.end else None


def _same_speaker_as(q: Quote, other: Quote, cue: str) -> None:
    """``q`` is said by whoever said ``other``."""
    q.speaker, q.speaker_entity, q.speaker_span, q.cue = other.speaker, other.speaker_entity, other.speaker_span, cue


def _continue_speakers(ctx: _Ctx, quotes: list[Quote], orphans: list[tuple[int, int, int]]) -> None:
    """"Il reconnaît qu'il leur avait conseillé de renoncer. « Ils m'ont répondu ... »": a quote
    standing alone as a sentence continues the last quote of its paragraph, direct or indirect,
    when it is at most two sentences back and nobody else is named in between. A paragraph that
    is nothing but a quote may continue the paragraph before: its last quote, else the one person
    its last sentence is about ("X a lancé un appel à la vigilance. ¶ « Ne cliquez sur rien. »")."""
    for k, o, ce in orphans:
        here, para = _sentence_of(ctx, o), _paragraph_of(ctx, o)
        ps, pe = ctx.paragraphs[para] if ctx.paragraphs else (0, len(ctx.text))
        alone = not WORD.search(_outside_quotes(ctx, ps, pe))
        signed = fr.QUOTE_NOUNS_NEXT.match(ctx.text[ce:ce + 80])
        if signed:
            stop = _sentence_end(ctx, ce + signed.end())
            nxt = [w for p, w, s in ctx.anchors if ce <= p < stop and w.entity and not _inside_quote(ctx, p)]
            if nxt:  # "« Le patrimoine passe avant le béton. » La formule est signée Jean-Luc Berthelot"
                _give_speaker(ctx, quotes[k], nxt[0], "next sentence")
                continue
        paras = {para, para - 1} if alone else {para}
        # (two sentences after the END of that quote: a quote of several sentences counts as one)
        before = [q for q in quotes if q.speaker is not None and 0 <= q.sentence < here
                  and here - _sentence_of(ctx, ctx.article.article.clean_offset(q.span.end) - 1) <= 2
                  and _paragraph_of(ctx, ctx.sent_starts[q.sentence]) in paras]
        if before:
            last = max(before, key=lambda q: (q.sentence, q.span.start))
            others = {w.entity or w.name for p, w, _ in ctx.anchors
                      if ctx.sent_starts[last.sentence] <= p < o and not _inside_quote(ctx, p)}
            if not others - {last.speaker_entity or last.speaker}:
                _same_speaker_as(quotes[k], last, "continuation")
                continue
        if alone and here > 0 and _paragraph_of(ctx, ctx.sent_starts[here - 1]) == para - 1:
            prev_start = ctx.sent_starts[here - 1]
            named = {w.entity: (p, w) for p, w, s in ctx.anchors
                     if _sentence_of(ctx, p) == here - 1 and w.entity and not _inside_quote(ctx, p)}
            # its subject, or the name it opens with ("Agnès Morvan, elle, veut croire ..."), or a
            # pronoun subject standing for one person ("Elle était encore sous le choc.")
            subjects = [(p, w) for p, w, s in ctx.anchors if _sentence_of(ctx, p) == here - 1 and w.entity
                        and (s or not WORD.search(ctx.text[prev_start:p]))]
            if not named:
                t = ctx.tokens[_tok_at(ctx, prev_start)]
                low = _norm_tok(t)
                if t.pos == "PRON" and low in ("il", "elle") and t.dep.startswith("nsubj"):
                    got = _resolve_pronoun(ctx, t.start, fr.PRONOUN_GENDER[low])
                    if got is not None and got.entity:
                        named, subjects = {got.entity: (t.start, got)}, [(t.start, got)]
            if len(named) == 1 and subjects:
                _give_speaker(ctx, quotes[k], subjects[0][1], "continuation")
            continue
        if alone:
            continue
        after = WORD.search(ctx.text, ce, pe)
        nxt_sent = _sentence_of(ctx, after.start()) if after else len(ctx.sent_starts)
        if not WORD.search(_outside_quotes(ctx, ps, o)) and nxt_sent < len(ctx.sent_starts) \
                and _paragraph_of(ctx, ctx.sent_starts[nxt_sent]) == para:
            # a paragraph opening on a quote whose next sentence names one person: "« On a l'impression
            # d'être punis. » Au bout du fil, la voix de Kevin Mabiala se brise."
            named = {w.entity: w for p, w, s in ctx.anchors if w.entity and w.person and _sentence_of(ctx, p) == nxt_sent
                     and not _inside_quote(ctx, p)}
            if len(named) == 1:
                _give_speaker(ctx, quotes[k], next(iter(named.values())), "next sentence")
            continue
        if here > 0 and _paragraph_of(ctx, ctx.sent_starts[here - 1]) == para:
            # right after a sentence about one named person: "le prévenu s'est tourné vers les parties
            # civiles. « Je vous demande pardon. »"
            sent = ctx.article.sentences[here - 1]
            root = next((t.i for t in ctx.tokens[sent.tok_start:sent.tok_end] if t.dep == "ROOT" and t.pos in ("VERB", "AUX")), None)
            who = _speaker_of_verb(ctx, root) if root is not None else None
            if who is None:
                # a verbless sentence about her: "Une perspective qu'elle n'écarte pas. « Entraîner, ... »"
                pron = next((t for t in ctx.tokens[sent.tok_start:sent.tok_end] if t.dep.startswith("nsubj")
                             and _norm_tok(t) in ("il", "elle") and not _inside_quote(ctx, t.start)), None)
                who = _resolve_pronoun(ctx, pron.start, fr.PRONOUN_GENDER[_norm_tok(pron)]) if pron is not None else None
            if who is not None and who.entity and who.person:
                _give_speaker(ctx, quotes[k], who, "continuation")


def _terms_of_reported_speech(ctx: _Ctx, quotes: list[Quote]) -> None:
    """"on fait valoir que les enfants iront dans une école « parfaitement équipée »": a quoted term
    with no speaker of its own, inside reported speech, is the words of who reported it."""
    reported = [q for q in quotes if q.kind == "indirect" and q.speaker is not None]
    for q in quotes:
        if q.kind != "term" or q.speaker is not None and q.cue is None:
            continue
        r = next((r for r in reported if r.span.start <= q.span.start and q.span.end <= r.span.end and r.speaker != q.speaker), None)
        if r is None:
            continue
        # a term whose own verb is inside the reported clause keeps what that verb gave ("un projet
        # d'accord évoque une « transition »": nobody); one given by a verb outside it takes the
        # reporter's name (spans are original offsets, tokens clean ones)
        inside = range(_tok_at(ctx, ctx.article.article.clean_offset(r.span.start)), _tok_at(ctx, ctx.article.article.clean_offset(q.span.start)))
        if q.cue is not None and any((_speech_lemma(ctx.tokens[i]) or ctx.tokens[i].lemma.lower()) == q.cue for i in inside):
            continue
        _same_speaker_as(q, r, r.cue)


def _written_text(ctx: _Ctx, who: Who | None, o: int, left: int, after_colon: bool) -> bool:
    """The quote is the text of a sign, a banner, an inscription: its "speaker" is that thing, or a
    colon right after naming one ("les visiteurs découvraient une simple affichette : « ... »")."""
    if who is not None and who.entity is None and set(normalise_name(who.name).split()[:2]) & fr.INSCRIPTION_NOUNS:
        return True
    if after_colon:
        words = [w.lower() for w in WORD.findall(ctx.text[max(left, o - 60):o])[-6:]]
        return bool(set(words) & fr.INSCRIPTION_NOUNS)
    return False


def _quote(ctx: _Ctx, cs: int, ce: int, kind: str, who: Who | None, cue: str | None) -> Quote:
    a = ctx.article
    span = a.article.span(cs, ce)
    speaker_span = a.article.span(who.start, who.end) if who is not None and 0 <= who.start < who.end else None
    return Quote(
        text=span.text,
        speaker=who.name if who else None,
        speaker_entity=who.entity if who else None,
        kind=kind,  # type: ignore[arg-type]
        span=span,
        speaker_span=speaker_span,
        cue=cue,
        outlet=a.outlet,
        sentence=_sentence_of(ctx, cs),
    )


def _indirect(ctx: _Ctx) -> list[Quote]:
    """Indirect speech: verb of saying + que, selon/d'après/pour X, trailing incise."""
    toks, text = ctx.tokens, ctx.text
    out: list[Quote] = []
    taken: list[tuple[int, int]] = []

    def add(cs: int, ce: int, who: Who | None, cue: str) -> None:
        cs, ce = _trim(text, cs, ce)
        cs, ce = _strip_commas(text, cs, ce)
        if ce - cs < 3 or len(WORD.findall(text[cs:ce])) < 2:
            return
        # wholly a direct quote already: not a second quote
        for o, qe in ctx.quoted:
            if o <= cs + 1 and qe >= ce - 1:
                return
        if any(s < ce and cs < e for s, e in taken):
            return
        taken.append((cs, ce))
        out.append(_quote(ctx, cs, ce, "indirect", who, cue))

    for v, t in enumerate(toks):
        if not (_is_speech_verb(t) or _infinitive_locution(ctx, v) or _noun_verb(ctx, v) and _que_next(ctx, v)) \
                or _inside_quote(ctx, t.start):
            continue
        if _impersonal(ctx, v):  # "il est précisé que ...": nobody speaks
            continue
        # verb + que
        j = v + 1
        que = None
        while j < len(toks) and j - v <= 12 and toks[j].sent == t.sent and toks[j].text not in ".;«»“”\"!?:":
            # (past eight words only a conjunction: "a assuré la semaine dernière, devant le Bundestag,
            # que", not the relative "les villages de l'Atlas, que les éboulements rendent ...")
            if _norm_tok(toks[j]) in QUE and toks[j].pos in ("SCONJ", "PRON", "ADV") and (
                    j - v <= 8 or toks[j].pos == "SCONJ" and not any(toks[c].dep == "obj" and c < j for c in ctx.children.get(v, []))):
                que = j
                break
            if toks[j].pos == "VERB":
                break
            j += 1
        if que is not None and que + 1 < len(toks):
            h = toks[que].head
            # "a promis que « chaque candidat lésé » retrouverait sa place": a clause opening on a quote
            opens_on_quote = toks[que + 1].text in OPENERS
            if opens_on_quote:  # the clause's verb, not the quoted subject the parser hangs que on
                while toks[h].head != h and toks[h].head > que and toks[h].pos not in ("VERB", "AUX"):
                    h = toks[h].head
            lo, hi = (que + 1, _subtree(ctx, h)[1]) if h > que else (que + 1, (_clause_end_incl_quotes if opens_on_quote else _clause_end)(ctx, que))
            hi = min(hi, _clause_end_incl_quotes(ctx, que))
            out_len = len(out)
            add(toks[lo].start, toks[hi].end, _speaker_of_verb(ctx, v), _speech_lemma(t) or t.lemma)
            if len(out) > out_len:
                continue
        # trailing incise: "clause, a affirmé X" / "clause, affirment des analystes"
        prev = v - 1
        while prev >= 0 and (toks[prev].pos == "AUX" or toks[prev].text.startswith("-")) and toks[prev].sent == t.sent:
            prev -= 1
        if prev >= 0 and toks[prev].text == "," and toks[prev].sent == t.sent and not _present_participle(t):
            # ("Six kilomètres, c'est déjà trop, jugent les parents": neither "c'" nor "kilomètres", in
            # the clause before the comma with a verb of its own, is who judges)
            subj_before = [c for c in ctx.children.get(v, []) if toks[c].dep.startswith("nsubj") and c < v
                           and _norm_tok(toks[c]) not in ("c'", "ce", "cela", "ça")
                           and not (c < prev and any("VerbForm=Fin" in toks[x].morph for x in range(c + 1, prev)))]
            clitic = any(toks[c].text.startswith("-") for c in range(prev + 1, min(len(toks), v + 3)))
            if (subj_before and not clitic) or (v + 1 < len(toks) and _norm_tok(toks[v + 1]) in QUE):
                continue
            start = _left_boundary(ctx, toks[prev].start)
            bare = _outside_quotes(ctx, start, toks[prev].start)
            last = bare.rsplit(",", 1)[-1].strip().lower()
            if len(WORD.findall(bare)) < 2 or last.startswith(("qui ", "que ", "qu'", "dont ", "où ")):
                continue
            if not any(x.pos in ("VERB", "AUX") and not _inside_quote(ctx, x.start) for x in toks if start <= x.start < toks[prev].start):
                continue
            add(start, toks[prev].start, _speaker_of_verb(ctx, v, incise=True), t.lemma)
    # selon / d'après / pour
    for t in toks:
        if _norm_tok(t) not in ("selon", "d'", "pour", "aux", "de", "du") or _inside_quote(ctx, t.start):
            continue
        left, right = _left_boundary(ctx, t.start), _sentence_end(ctx, t.end)
        # "X a dénoncé une « imprudence » : d'après lui, ...": the source opens the clause after the colon
        for c in range(t.start - 1, left - 1, -1):
            if text[c] in ":;" and not _inside_quote(ctx, c):
                left = c + 1
                break
        src = _source_phrase(ctx, t.start, right)
        if not src or src[2] != t.start:
            continue
        who, cue, ps, pe = src
        if who is None:
            continue  # own reporting ("selon nos informations") or nothing found: provenance only
        head = text[left:ps]
        tail = text[pe:right]
        # (a quote before the source is a sentence of its own: « ... amateurs. » D'après lui, ...)
        if not _first_word(ctx, _tok_at(ctx, ps), left) and len(WORD.findall(_outside_quotes(ctx, left, ps))) >= 2:
            add(left, ps, who, cue)
        elif WORD.search(tail):
            add(pe, right, who, cue)
    return out


def _que_next(ctx: _Ctx, v: int) -> bool:
    """que right after token ``v``, adverbs aside ("juge toutefois que")."""
    j = v + 1
    while j < len(ctx.tokens) and ctx.tokens[j].pos == "ADV" and j - v <= 2:
        j += 1
    return j < len(ctx.tokens) and _norm_tok(ctx.tokens[j]) in QUE


def _sentence_end(ctx: _Ctx, pos: int) -> int:
    """End of the sentence holding ``pos`` (quote marks do not end it)."""
    para = ctx.paragraphs[_paragraph_of(ctx, pos)] if ctx.paragraphs else (0, len(ctx.text))
    j = pos
    while j < para[1]:
        if ctx.text[j] in ".!?" and not _inside_quote(ctx, j) and not ctx.text[max(0, j - 2):j + 1].endswith("M."):
            return j + 1
        j += 1
    return para[1]


def _clause_end_incl_quotes(ctx: _Ctx, i: int) -> int:
    toks = ctx.tokens
    j = i
    while j + 1 < len(toks) and toks[j + 1].sent == toks[i].sent and toks[j + 1].text not in ".;!?":
        j += 1
    return j


def _strip_commas(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in ", " + SPACES:
        s += 1
    while e > s and text[e - 1] in ", " + SPACES:
        e -= 1
    return s, e
