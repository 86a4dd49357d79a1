"""Verbs of saying and the other words that tie a quote to someone: an incise after the closing
mark, a verb before the opening one, "que" after the verb.

The tagger often misreads a verb of saying ("soupire" as a noun, "martelé" as an adjective), so
whether a token says something is decided here once, for direct quotes, indirect speech and
provenance.py alike.
"""

from __future__ import annotations

import re

from ...lang import fr
from ...model import Token
from .context import _Ctx, _inside_quote, _norm_tok, _passive, _person_word, _subtree, _tok_at
from .spans import WORD, _left_boundary

OPEN_MARKS = {"«", "“", '"'}
INFINITIVE_LEMMAS = fr.SPEECH_INFINITIVE_VERBS | fr.SPEECH_PREP_INFINITIVE_VERBS.keys()  # verbs that may report an infinitive clause


def _is_speech_verb(t: Token, verbs=fr.SPEECH_VERBS) -> bool:
    # the tagger sometimes reads a participle as an adjective ("a-t-il martelé")
    return t.pos in ("VERB", "AUX", "ADJ") and (t.lemma.lower() in verbs or t.text.lower() in verbs or fr.speech_lemma(t.text) in verbs)


def _speech_lemma(t: Token) -> str | None:
    """The verb of saying a token is, from its lemma or, when the tagger misread it, its form."""
    if t.pos in ("VERB", "AUX", "ADJ") and t.lemma.lower() in fr.SPEECH_VERBS:
        return t.lemma.lower()
    return fr.speech_lemma(t.text)


def _present_participle(t: Token) -> bool:
    return "VerbForm=Part" in t.morph and "Tense=Pres" in t.morph and t.text.lower().endswith("ant")


def _infinitive_locution(ctx: _Ctx, v: int) -> bool:
    """"a fait savoir que", "laisse entendre que": an infinitive that says, after its light verb."""
    toks = ctx.tokens
    light = fr.SPEECH_INFINITIVES.get(toks[v].lemma.lower()) or fr.SPEECH_INFINITIVES.get(toks[v].text.lower())
    return bool(light) and v > 0 and toks[v - 1].lemma.lower() in light


def _impersonal(ctx: _Ctx, v: int) -> bool:
    """"il est précisé que", "il a été rappelé que": an impersonal passive of a verb of saying; "il faut
    dire que", "il convient de rappeler que": its infinitive under an impersonal verb. Nobody speaks
    there but the writer, and "il" must not be resolved to the last man named."""
    toks = ctx.tokens

    def has_il(i: int, deps: tuple[str, ...]) -> bool:
        return any(_norm_tok(toks[c]) == "il" and toks[c].dep.startswith(deps) for c in ctx.children.get(i, []))

    if _passive(ctx, v) and has_il(v, ("nsubj", "expl")):
        return True
    h = toks[v].head
    if "VerbForm=Inf" in toks[v].morph and h != v and 0 <= h < len(toks) and toks[h].text.lower() in fr.IMPERSONAL_HEADS:
        return has_il(h, ("nsubj", "expl"))
    return toks[v].text.lower() in fr.IMPERSONAL_HEADS and has_il(v, ("expl",))  # "il convient que ..."


def _infinitive_after_a(ctx: _Ctx, v: int) -> bool:
    """"quelqu'un qui n'a rien à se reprocher", "n'a pas grand-chose à dire": an infinitive after "à" and
    a word of quantity names what there is (or is not) to say, nobody's statement (while "a tenu à
    préciser que" reports one)."""
    toks = ctx.tokens
    if "VerbForm=Inf" not in toks[v].morph:
        return False
    k = v - 1
    while k >= 0 and _norm_tok(toks[k]) in fr.INFINITIVE_OPENERS:
        k -= 1
    return k >= 1 and _norm_tok(toks[k]) == "à" and _norm_tok(toks[k - 1]) in fr.QUANTITY_TO_SAY


def _connective(ctx: _Ctx, v: int) -> bool:
    """"Autrement dit, qu'elles ne soient ...", "cela dit": the writer's connective, nobody's speech."""
    t = ctx.tokens[v]
    return bool(fr.SAYING_CONNECTIVE.search(ctx.text[max(0, t.start - 24) : t.end].replace("’", "'")))


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


def _que_next(ctx: _Ctx, v: int) -> bool:
    """que right after token ``v``, adverbs aside ("juge toutefois que")."""
    j = v + 1
    while j < len(ctx.tokens) and ctx.tokens[j].pos == "ADV" and j - v <= 2:
        j += 1
    return j < len(ctx.tokens) and _norm_tok(ctx.tokens[j]) in fr.QUE_FORMS


def _first_word(ctx: _Ctx, j: int, left: int) -> bool:
    """Token j starts its sentence (or follows only a conjunction)."""
    pos = ctx.tokens[j].start
    before = ctx.text[_left_boundary(ctx, pos):pos]
    return not WORD.search(fr.LINKING_CONJUNCTIONS.sub(" ", before))


def _infinitive_clause(ctx: _Ctx, v: int) -> tuple[int, int] | None:
    """"a nié hier avoir trahi ses compagnons", "a indiqué à l'AFP n'avoir été informée que dimanche":
    the bare infinitive clause a verb of saying reports (token range). Read along the words rather than
    from the parse, which often hangs the infinitive on a complement ("annoncé sur France Inter avoir
    reçu"): the first infinitive (or its negation or clitic) within a few words, with no finite verb,
    comma or "que" before it and no preposition right before it ("a décidé de", "pour"), or the one
    the verb asks for when it reports a request, a promise or a charge ("a appelé les Farc à")."""
    toks = ctx.tokens
    lemma = toks[v].lemma.lower()
    lemma = lemma if lemma in INFINITIVE_LEMMAS else fr.speech_lemma(toks[v].text)
    preps = fr.SPEECH_PREP_INFINITIVE_VERBS.get(lemma or "", ())  # ("a appelé X à", "a promis de")
    if toks[v].pos not in ("VERB", "AUX") or lemma not in fr.SPEECH_INFINITIVE_VERBS and not preps or _passive(ctx, v):
        return None  # ("a été annoncé", "a été sommée de"): no words of the subject
    b = v - 1
    while b >= 0 and toks[b].pos == "AUX":
        b -= 1
    if b >= 0 and _norm_tok(toks[b]) in ("se", "s'"):
        return None  # "s'est dit prêt à": the subject's state, no reported clause
    start = inf = None
    k = v + 1
    while k < len(toks) and k - v <= 12 and toks[k].sent == toks[v].sent:
        t = toks[k]
        if t.text in ",;:.!?()" or "VerbForm=Fin" in t.morph or _norm_tok(t) in fr.QUE_FORMS:
            return None
        if "VerbForm=Inf" in t.morph or t.pos in ("PRON", "ADV") and _norm_tok(t) in fr.INFINITIVE_OPENERS:
            inf = next((x for x in range(k, min(len(toks), k + 4)) if "VerbForm=Inf" in toks[x].morph), None)
            if inf is not None and all(x == inf or toks[x].pos in ("PRON", "ADV") and _norm_tok(toks[x]) in fr.INFINITIVE_OPENERS
                                       for x in range(k, inf + 1)):
                start = k
                break
            if "VerbForm=Inf" in t.morph:
                return None
        k += 1
    if start is None or inf is None:
        return None
    before = start - 1
    while before > v and toks[before].text in OPEN_MARKS:
        before -= 1
    if preps and not (before > v and _norm_tok(toks[before]) in preps):
        return None
    if not preps and before > v and _norm_tok(toks[before]) in fr.INFINITIVE_PREPOSITIONS:
        return None
    # the infinitive's verb ("avoir trahi": trahi, "être la mère": mère), its words, and the verb of saying's complements after
    # it that the parser hung on the verb of saying ("avoir eu peur qu'on lui enlève ...")
    c = toks[inf].head if toks[inf].dep.startswith(("aux", "cop")) and toks[inf].head > inf else inf
    hi = _subtree(ctx, c)[1]
    for ch in ctx.children.get(v, []):
        lo_ch, hi_ch = _subtree(ctx, ch)
        if lo_ch > hi and toks[ch].dep not in ("punct", "conj", "cc", "parataxis") and toks[lo_ch].text not in ",;:" \
                and lo_ch == hi + 1:
            hi = hi_ch
    return start, max(hi, c)
