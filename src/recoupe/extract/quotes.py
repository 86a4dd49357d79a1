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
from ..lang import fr
from ..model import AnalysedArticle, EntityIndex, Mention, Quote, Span, Token

OPENERS = {"«": "»", "“": "”", "‹": "›", '"': '"'}
SPACES = " \t\u00a0\u202f\u2009"
WORD = re.compile(r"\w+(?:['’-]\w+)*")
QUE = {"que", "qu'", "qu’"}


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
    roles: list[tuple[str, Who]] = field(default_factory=list)  # (normalised role phrase, person)
    quoted: list[tuple[int, int]] = field(default_factory=list)  # direct-quote ranges (with marks)


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


def _norm_tok(t: Token) -> str:
    return t.text.lower().replace("’", "'")


def _tok_at(ctx: _Ctx, pos: int) -> int:
    """Index of the token containing or following clean offset ``pos``."""
    return bisect.bisect_left(ctx.tok_starts, pos) if pos not in ctx.tok_starts else ctx.tok_starts.index(pos)


def _sentence_of(ctx: _Ctx, pos: int) -> int:
    return max(0, bisect.bisect_right(ctx.sent_starts, pos) - 1)


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
    persons = [m for m in article.mentions if m.label == "PER"]
    for m in persons:
        who = _who_of_mention(ctx, m)
        head = toks[m.tok_start] if m.tok_start < len(toks) else None
        subj = False
        for i in range(m.tok_start, m.tok_end):
            t = toks[i]
            if t.dep.startswith("nsubj") or (t.dep in ("appos", "conj", "flat:name") and toks[t.head].dep.startswith("nsubj")):
                subj = True
        ctx.anchors.append((m.start, who, subj))
        _collect_roles(ctx, m, who)
        del head
    return ctx


def _who_of_mention(ctx: _Ctx, m: Mention) -> Who:
    """Canonical name of a mention; a bare surname takes the fuller name used in the article."""
    ent = ctx.entities.entity_of(ctx.article.id, m.index)
    name = ent.name if ent else m.text
    eid = ent.id if ent else None
    bare = re.sub(r"^(?:M\.|Mme|Me|Dr|Pr|Mlle)\s+", "", name)
    if m.label == "PER" and len(bare.split()) == 1:
        for other in ctx.article.mentions:
            if other.label == "PER" and other.text != m.text and other.text.split()[-1] == bare and len(other.text.split()) > 1:
                if not re.match(r"^(?:M\.|Mme|Me)\s", other.text):
                    o = ctx.entities.entity_of(ctx.article.id, other.index)
                    name, eid = (o.name, o.id) if o else (other.text, None)
                    break
        else:
            name = bare if bare != name else name
    else:
        name = bare
    return Who(name=name, entity=eid, start=m.start, end=m.end, gender=_gender_of_person(ctx, m), person=m.label == "PER")


def _gender_of_person(ctx: _Ctx, m: Mention) -> str | None:
    toks = ctx.tokens
    # civil title or role just before ("Mme Kerloc'h", "la préfète ... , Anne")
    surname = m.text.split()[-1]
    for other in ctx.article.mentions:
        if other.label == "PER" and other.text.split()[-1] == surname:
            j = other.tok_start - 1
            if j >= 0:
                g = fr.PERSON_TITLES.get(toks[j].text.lower())
                if g:
                    return g
            if other.text.split()[0].lower() in ("m.", "mme"):
                return fr.PERSON_TITLES[other.text.split()[0].lower()]
    # a role noun in apposition: "La préfète de X, Anne..." -> the determiner's gender
    j = m.tok_start - 1
    steps = 0
    while j >= 0 and steps < 10 and toks[j].sent == toks[m.tok_start].sent:
        t = toks[j]
        if t.pos == "NOUN" and t.lemma.lower() in fr.ROLE_TITLES or t.text.lower() in fr.ROLE_TITLES:
            for k in range(j - 1, max(-1, j - 4), -1):  # "La Première ministre"
                d = toks[k].text.lower()
                if d in ("la", "une", "cette"):
                    return "Fem"
                if d in ("le", "un", "ce"):
                    return "Masc"
            g = _gender_of_token(t)
            return g if g != "Plur" else None
        if t.text in ".;:«»":
            break
        j -= 1
        steps += 1
    return _gender_of_token(toks[m.tok_start]) if m.tok_start < len(toks) else None


def _collect_roles(ctx: _Ctx, m: Mention, who: Who) -> None:
    """Role phrases naming this person: "le président russe Vladimir Poutine", "X, la préfète"."""
    toks = ctx.tokens
    # before the name: DET ROLE ... [,] NAME
    j = m.tok_start - 1
    if j >= 0 and toks[j].text == ",":
        j -= 1
    end = j
    steps = 0
    while j >= 0 and steps < 10 and toks[j].text not in ".;:«»()" and not (toks[j].text == "," and j != end):
        t = toks[j]
        if t.pos == "DET" and j + 1 <= end and (toks[j + 1].lemma.lower() in fr.ROLE_TITLES or toks[j + 1].text.lower() in fr.ROLE_TITLES):
            phrase = " ".join(x.text for x in toks[j:end + 1])
            ctx.roles.append((normalise_name(phrase), who))
            break
        j -= 1
        steps += 1
    # after the name: NAME, [DET] ROLE ... [,.]
    j = m.tok_end
    if j < len(toks) and toks[j].text == ",":
        k = j + 1
        if k < len(toks) and toks[k].pos == "DET":
            k += 1
        if k < len(toks) and (toks[k].lemma.lower() in fr.ROLE_TITLES or toks[k].text.lower() in fr.ROLE_TITLES):
            e = k
            while e + 1 < len(toks) and toks[e + 1].text not in ",.;:«»" and e - k < 8:
                e += 1
            ctx.roles.append((normalise_name(" ".join(x.text for x in toks[j + 1:e + 1])), who))


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


def _description(ctx: _Ctx, lo: int, head: int, hi: int) -> Who | None:
    """A noun phrase as a speaker: a named entity inside it, a role resolved to a person, or itself."""
    toks = ctx.tokens
    # cut at the first comma / relative pronoun / quote after the head
    end = head
    for k in range(head + 1, hi + 1):
        if toks[k].text in ",;:«»“”\"()" or toks[k].text.lower() in ("qui", "que", "qu'", "dont"):
            break
        end = k
    # a person named anywhere in the full phrase (apposition "le porte-parole du Kremlin, Dmitri Peskov")
    for k in range(lo, hi + 1):
        m = ctx.mention_at.get(k)
        if m is not None and m.label == "PER":
            return _who_of_mention(ctx, m)
    first = lo
    while first < head and toks[first].pos in ("PUNCT", "CCONJ"):
        first += 1
    words = toks[first:end + 1]
    if not words:
        return None
    text = ctx.text[words[0].start:words[-1].end]
    # the phrase is an organisation / place mention ("le SDIS", "Météo-France", "Washington")
    for k in range(first, end + 1):
        m = ctx.mention_at.get(k)
        if m is not None and normalise_name(text) == normalise_name(m.text):
            who = _who_of_mention(ctx, m)
            return who
    head_tok = toks[head]
    det = toks[first].text.lower().replace("’", "'") if toks[first].pos == "DET" else ""
    g = _gender_of_token(head_tok)
    if det in ("la", "une"):
        g = "Fem"
    elif det in ("les", "des") or "Number=Plur" in head_tok.morph:
        g = "Plur"
    person = head_tok.lemma.lower() in fr.ROLE_TITLES or head_tok.text.lower() in fr.ROLE_TITLES
    who = Who(name=text, start=words[0].start, end=words[-1].end, gender=g, person=True)
    if det in ("le", "la", "l'") and person:
        resolved = _resolve_role(ctx, normalise_name(text), words[0].start)
        if resolved:
            return Who(resolved.name, resolved.entity, who.start, who.end, resolved.gender)
        if normalise_name(text) in fr.ANAPHORIC_ROLES or " ".join(normalise_name(text).split()[-1:]) in fr.ANAPHORIC_ROLES and len(words) <= 3:
            got = _resolve_pronoun(ctx, words[0].start, g if g != "Plur" else None)
            if got:
                return Who(got.name, got.entity, who.start, who.end, got.gender)
    return who


def _resolve_role(ctx: _Ctx, role: str, pos: int) -> Who | None:
    """A definite role description -> the person the article names with that role or alias."""
    if not role:
        return None
    found: dict[str, Who] = {}
    for phrase, who in ctx.roles:
        if phrase == role or phrase.startswith(role + " ") or (role.startswith(phrase + " ") and len(phrase.split()) >= 2):
            found.setdefault(who.name, who)
    if len(found) == 1:
        return next(iter(found.values()))
    for ent in ctx.entities.entities:
        if ent.type == "PER" and any(normalise_name(a) == role for a in ent.aliases):
            return Who(ent.name, ent.id)
    return None


def _resolve_pronoun(ctx: _Ctx, pos: int, gender: str | None) -> Who | None:
    """Closest compatible person before ``pos``: a subject first, else any person just named."""
    sent = _sentence_of(ctx, pos)
    cands = [(p, w, s) for p, w, s in ctx.anchors if p < pos and _sentence_of(ctx, p) >= sent - 3 and not _inside_quote(ctx, p)]
    cands.sort(key=lambda x: -x[0])

    def ok(w: Who) -> bool:
        if gender == "Plur":
            return w.gender == "Plur"
        if w.gender == "Plur":
            return False
        return gender is None or w.gender is None or w.gender == gender

    for p, w, s in cands:
        if s and ok(w) and w.person:
            return w
    for p, w, s in cands:
        if ok(w) and w.person and _sentence_of(ctx, p) >= sent - 1:
            return w
    return None


def _speaker_of_verb(ctx: _Ctx, v: int) -> Who | None:
    """The subject of a verb of saying: preverbal nsubj, inverted subject, or -t-il."""
    toks = ctx.tokens
    k = v - 1
    while k >= 0 and (toks[k].pos == "AUX" or toks[k].text.startswith("-")) and v - k <= 4:
        k -= 1
    for j in range(k + 1, min(len(toks), v + 3)):
        low = toks[j].text.lower()
        if toks[j].text.startswith("-") and low in fr.PRONOUN_GENDER:
            return _resolve_pronoun(ctx, toks[j].start, fr.PRONOUN_GENDER[low])
    subj = [c for c in ctx.children.get(v, []) if toks[c].dep in ("nsubj", "expl:subj") and c < v and toks[c].text != "-t"]
    if not subj:  # the subject may hang on an auxiliary or a coordinated first verb
        if toks[v].dep == "conj" and toks[v].head < v:
            h = toks[v].head
            first = [c for c in ctx.children.get(h, []) if toks[c].dep == "nsubj"]
            between = ctx.text[toks[h].end:toks[v].start]
            if first and "," not in between.split(" et ")[0][-3:] and " et " in between:
                subj = first
    for s in subj:
        t = toks[s]
        low = t.text.lower().replace("’", "'")
        if t.pos == "PRON":
            if low in fr.PRONOUN_GENDER:
                return _resolve_pronoun(ctx, t.start, fr.PRONOUN_GENDER[low])
            if low in ("on", "je", "nous", "ce", "c'", "cela", "ça", "qui"):
                return None
            continue
        lo, hi = _subtree(ctx, s)
        sent = toks[s].sent
        while lo < s and toks[lo].sent != sent:
            lo += 1
        if s > v:  # inverted subject ends at the clause end
            hi = min(hi, _clause_end(ctx, s))
        else:
            hi = min(hi, v - 1)
        return _description(ctx, lo, s, hi)
    # no parsed subject: scan an inverted subject after the verb ("a affirmé à l'APO un responsable")
    got = _inverted_subject(ctx, v)
    if got is not None:
        return got
    # parse missed a preverbal subject: the first person named at the clause start, not after a preposition
    left = _left_boundary(ctx, toks[v].start)
    for j in range(_tok_at(ctx, left), v):
        m = ctx.mention_at.get(j)
        if m is not None and m.label == "PER" and not _inside_quote(ctx, toks[j].start):
            if m.tok_start == 0 or toks[m.tok_start - 1].pos != "ADP":
                return _who_of_mention(ctx, m)
    return None


def _clause_end(ctx: _Ctx, i: int) -> int:
    toks = ctx.tokens
    j = i
    while j + 1 < len(toks) and toks[j + 1].sent == toks[i].sent and toks[j + 1].text not in ".;!?«“":
        j += 1
    return j


def _inverted_subject(ctx: _Ctx, v: int) -> Who | None:
    toks = ctx.tokens
    end = _clause_end(ctx, v)
    j = v + 1
    while j <= end:
        t = toks[j]
        low = t.text.lower()
        if low.replace("’", "'") in QUE:
            return None
        if low in fr.PRONOUN_GENDER and t.pos == "PRON" and t.text.startswith("-"):
            return _resolve_pronoun(ctx, t.start, fr.PRONOUN_GENDER[low])
        if t.pos == "ADP" or low in ("à", "au", "aux", "devant", "sur", "sous", "lors", "dans", "après", "avant", "pendant", "par", "en", "depuis", "pour"):
            # skip the prepositional phrase (addressee, place, time)
            j += 1
            while j <= end and toks[j].pos in ("DET", "NOUN", "PROPN", "ADJ", "NUM") and toks[j].text != ",":
                if toks[j].pos == "DET" and j > v + 2 and toks[j - 1].pos in ("NOUN", "PROPN"):
                    break
                j += 1
            continue
        m = ctx.mention_at.get(j)
        if m is not None and m.label == "PER":
            return _who_of_mention(ctx, m)
        if t.pos in ("DET", "NOUN", "PROPN") and low not in ("jeudi", "lundi", "mardi", "mercredi", "vendredi", "samedi", "dimanche"):
            head = j
            while head <= end and toks[head].pos == "DET":
                head += 1
            if head > end:
                return None
            return _description(ctx, j, head, end)
        if t.text in ",":
            j += 1
            continue
        j += 1
    return None


def _is_speech_verb(t: Token, verbs=fr.SPEECH_VERBS) -> bool:
    # the tagger sometimes reads a participle as an adjective ("a-t-il martelé")
    return t.pos in ("VERB", "AUX", "ADJ") and (t.lemma.lower() in verbs or t.text.lower() in verbs)


# --------------------------------------------------------------------------- cues


def _incise_after(ctx: _Ctx, close_end: int, limit: int) -> int | None:
    """The verb of an incise right after a closing mark: « ... », a-t-il dit / estime X."""
    after = ctx.text[close_end:limit]
    m = re.match(r"[\s\u00a0\u202f]*[,!?…]?[\s\u00a0\u202f]*", after)
    if not m or "," not in after[: m.end() + 1] and not re.match(r"[\s\u00a0\u202f]*[!?…]", after):
        return None
    j = _tok_at(ctx, close_end + m.end())
    toks = ctx.tokens
    steps = 0
    while j < len(toks) and steps < 4 and toks[j].start < limit:
        t = toks[j]
        if t.pos == "VERB" or (_is_speech_verb(t) and t.pos in ("AUX", "ADJ") and not (j + 1 < len(toks) and toks[j + 1].pos == "VERB")):
            return j
        if t.pos not in ("AUX", "ADV", "PRON") or t.text == ",":
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
    j = _tok_at(ctx, pos) - 1
    while j >= 0 and toks[j].start >= left:
        t = toks[j]
        if not _inside_quote(ctx, t.start) and t.pos == "VERB" and (colon or _is_speech_verb(t, verbs)):
            return j
        j -= 1
    return None


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
        if cue and not _inside_quote(ctx, t.start):
            e = k
            while e < len(toks) and toks[e].start < right and toks[e].text not in ",;.«»“”\"!?:" and e - k < 12:
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


def _first_word(ctx: _Ctx, j: int, left: int) -> bool:
    """Token j starts its sentence (or follows only a conjunction)."""
    pos = ctx.tokens[j].start
    before = ctx.text[_left_boundary(ctx, pos):pos]
    return not WORD.search(re.sub(r"\b(?:mais|et|or|donc|ainsi)\b", " ", before, flags=re.I))


def _sourcey(ctx: _Ctx, lo: int, hi: int) -> bool:
    """"pour X,": X names a person/organisation or is a noun for people ("les hydrologues")."""
    toks = ctx.tokens
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
    marks = find_quote_marks(text, ctx.paragraphs)
    ctx.quoted = [(o, ce) for o, s, e, ce in marks]
    quotes: list[Quote] = []
    prev: tuple[int, Who | None, int] | None = None  # (close end, speaker, sentence) of the last direct quote
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
        if v is not None and kind == "direct" or v is not None and _is_speech_verb(ctx.tokens[v]):
            who, cue = _speaker_of_verb(ctx, v), ctx.tokens[v].lemma
        if who is None and continuing and prev is not None:
            who, cue = prev[1], "incise"
        if who is None and cue is None:
            vb = _verb_before(ctx, o, left, fr.TERM_VERBS if kind == "term" else fr.SPEECH_VERBS, colon=after_colon)
            if vb is not None:
                who, cue = _speaker_of_verb(ctx, vb), ctx.tokens[vb].lemma
            elif after_colon:
                # "Pour X : « ... »" or "X : « ... »"
                j = _tok_at(ctx, o) - 2
                m = ctx.mention_at.get(j)
                if m is not None and m.label == "PER":
                    who, cue = _who_of_mention(ctx, m), ":"
        if who is None and cue is None:
            src = _source_phrase(ctx, left, right)
            if src and src[0] is not None:
                who, cue = src[0], src[1]
        if who is None and cue is None and kind == "direct" and not WORD.search(before) and prev is not None:
            # a quote standing alone right after another quote continues it
            if _sentence_of(ctx, o) - prev[2] <= 1 and _paragraph_of(ctx, o) - _paragraph_of(ctx, prev[0] - 1) <= 1:
                who, cue = prev[1], "continuation"
        quotes.append(_quote(ctx, cs, cend, kind, who, cue))
        if kind == "direct":
            prev = (ce, who, _sentence_of(ctx, ce - 1))
        if who is not None and who.start >= 0:
            ctx.anchors.append((who.start, who, True))
            ctx.anchors.sort(key=lambda a: a[0])
    quotes.extend(_indirect(ctx))
    quotes.sort(key=lambda q: (q.span.start, q.span.end))
    for k, q in enumerate(quotes):
        q.id = f"{article.id}:q{k + 1}"
    return quotes


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
        if not _is_speech_verb(t) or _inside_quote(ctx, t.start):
            continue
        # verb + que
        j = v + 1
        que = None
        while j < len(toks) and j - v <= 8 and toks[j].sent == t.sent and toks[j].text not in ".;«»“”\"!?:":
            if _norm_tok(toks[j]) in QUE and toks[j].pos in ("SCONJ", "PRON", "ADV"):
                que = j
                break
            if toks[j].pos == "VERB":
                break
            j += 1
        if que is not None and que + 1 < len(toks):
            h = toks[que].head
            lo, hi = (que + 1, _subtree(ctx, h)[1]) if h > que else (que + 1, _clause_end(ctx, que))
            hi = min(hi, _clause_end_incl_quotes(ctx, que))
            out_len = len(out)
            add(toks[lo].start, toks[hi].end, _speaker_of_verb(ctx, v), t.lemma)
            if len(out) > out_len:
                continue
        # trailing incise: "clause, a affirmé X" / "clause, affirment des analystes"
        prev = v - 1
        while prev >= 0 and (toks[prev].pos == "AUX" or toks[prev].text.startswith("-")) and toks[prev].sent == t.sent:
            prev -= 1
        if prev >= 0 and toks[prev].text == "," and toks[prev].sent == t.sent:
            subj_before = [c for c in ctx.children.get(v, []) if toks[c].dep.startswith("nsubj") and c < v]
            clitic = any(toks[c].text.startswith("-") for c in range(prev + 1, min(len(toks), v + 3)))
            if (subj_before and not clitic) or (v + 1 < len(toks) and _norm_tok(toks[v + 1]) in QUE):
                continue
            start = _left_boundary(ctx, toks[prev].start)
            chars = list(text[start:toks[prev].start])
            for qo, qe in ctx.quoted:
                for c in range(max(qo, start), min(qe, toks[prev].start)):
                    chars[c - start] = " "
            bare = "".join(chars)
            last = bare.rsplit(",", 1)[-1].strip().lower()
            if len(WORD.findall(bare)) < 2 or last.startswith(("qui ", "que ", "qu'", "dont ", "où ")):
                continue
            if not any(x.pos in ("VERB", "AUX") and not _inside_quote(ctx, x.start) for x in toks if start <= x.start < toks[prev].start):
                continue
            add(start, toks[prev].start, _speaker_of_verb(ctx, v), t.lemma)
    # selon / d'après / pour
    for t in toks:
        if _norm_tok(t) not in ("selon", "d'", "pour") or _inside_quote(ctx, t.start):
            continue
        left, right = _left_boundary(ctx, t.start), _sentence_end(ctx, t.end)
        src = _source_phrase(ctx, t.start, right)
        if not src or src[2] != t.start:
            continue
        who, cue, ps, pe = src
        if who is None:
            continue  # own reporting ("selon nos informations") or nothing found: provenance only
        # ", Clément Beaune," after "pour le ministre des Transports": the apposition belongs to the source
        app = re.match(r"\s*,\s*[A-ZÉ][\w'’.-]*(?:\s+[A-ZÉ][\w'’-]*)*\s*(?=,)", text[pe:right])
        if app and ctx.mention_at.get(_tok_at(ctx, pe + app.group(0).index(app.group(0).strip(" ,")[0]))) is not None:
            pe += app.end()
        head = text[left:ps]
        tail = text[pe:right]
        if not _first_word(ctx, _tok_at(ctx, ps), left) and len(WORD.findall(head)) >= 2:
            add(left, ps, who, cue)
        elif WORD.search(tail):
            add(pe, right, who, cue)
    return out


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
