"""The rules that propose a speaker for a cue: the subject of a verb of saying, or X in "selon X",
"d'après X", "pour X,".

The parse gives the subject of a verb of saying most of the time; these rules cover where it does
not (an incise with an inverted subject, "-t-il", a verb read as a noun, a relative "qui", "on", a
passive and its agent, a participle with "par") and the source phrases that need no verb. They
find the words; descriptions.py says whom the words name.
"""

from __future__ import annotations

import re

from ...lang import fr
from .context import (
    Who, _Ctx, _inside_quote, _norm_tok, _passive_subject, _person_noun, _person_word, _subtree, _tok_at,
)
from .cues import _first_word, _is_speech_verb, _noun_verb, _present_participle, _speech_lemma
from .descriptions import _description, _resolve_pronoun
from .resolve import _named_person, _who_of_mention
from .spans import OPENERS, _clause_end, _left_boundary


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
                    _norm_tok(toks[c]) in fr.QUE_FORMS and toks[c].dep == "mark" for c in ctx.children.get(h, [])):
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
        when = comma is not None and all(_norm_tok(toks[k]) in fr.TIME_WORDS or toks[k].pos in ("DET", "ADJ", "NUM") for k in range(lo, comma))
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


def _inverted_subject(ctx: _Ctx, v: int, incise: bool = False) -> Who | None:
    """The subject after the verb: a person named next to it first, else the first noun phrase,
    skipping adverbs and prepositional phrases ("a affirmé à l'APO un responsable")."""
    toks = ctx.tokens
    end = _clause_end(ctx, v)
    j = v + 1
    while j <= end:
        t = toks[j]
        low = _norm_tok(t)
        if low in fr.QUE_FORMS or t.text in "«“:":
            return None
        if low in fr.PRONOUN_GENDER and t.pos == "PRON" and t.text.startswith("-"):
            return _resolve_pronoun(ctx, t.start, fr.PRONOUN_GENDER[low])
        m = ctx.mention_at.get(j)
        if _named_person(ctx, m):
            return _who_of_mention(ctx, m)
        if t.text.startswith("-") or t.pos == "ADV" or t.text == "," or low in fr.TIME_WORDS:
            j += 1
            continue
        if t.pos == "VERB" and "VerbForm=Inf" in t.morph and j > v and _norm_tok(toks[j - 1]) in ("à", "de", "d'"):
            j += 1  # "a tenu à préciser la ministre": the infinitive the verb governs
            continue
        if t.pos == "ADP" or low in fr.PREPOSITIONS_BEFORE_SUBJECT:
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
        elif (opener := fr.OPINION_OPENER.match(ctx.text, t.start)) and _first_word(ctx, j, left):
            # "Aux yeux de la chercheuse, ...", "De l'aveu même de la présidente, ...": read as "pour X,"
            cue, k = "pour", _tok_at(ctx, opener.end())
        if cue and not _inside_quote(ctx, t.start):
            e = k
            while e < len(toks) and toks[e].start < right and toks[e].text not in ",;.«»“”\"!?:" and e - k < 16:
                e += 1
            if e > k + 1 and toks[k].text.lower() in fr.PRONOUN_GENDER:
                e = k + 1  # "soucieux selon lui de la cause du Tibet": the source is the pronoun alone
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
