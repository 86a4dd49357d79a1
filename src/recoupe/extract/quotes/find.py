"""One article's pass: direct quotes and quoted terms, indirect speech, and the quotes that go on
from another.

The order of the pass is part of the rules: each direct quote's speaker becomes an anchor that the
next quotes and pronouns point back to, indirect speech is read once the direct quotes are known,
and a lone quote takes the speaker of the last quote before it. So the whole pass is in one place.
"""

from __future__ import annotations

import re

from ...lang import fr
from ...model import AnalysedArticle, EntityIndex, Quote
from .anchors import _build_ctx
from .candidates import _source_phrase, _speaker_of_verb, _thing_subject
from .context import Who, _Ctx, _inside_quote, _norm_tok, _paragraph_of, _passive, _sentence_of, _subtree, _tok_at
from .cues import (
    _connective, _first_word, _impersonal, _infinitive_after_a, _incise_after, _infinitive_clause, _infinitive_locution, _is_speech_verb, _noun_verb,
    _present_participle, _que_next, _speech_lemma, _verb_before,
)
from .descriptions import _resolve_pronoun
from .resolve import _who_of_mention, normalise_name
from .spans import (
    OPENERS, SPACES, WORD, _clause_end, _clause_end_incl_quotes, _left_boundary, _outside_quotes,
    _right_boundary, _sentence_end, _split_at_incises, _strip_commas, _trim, find_quote_marks,
)


def _find_quotes(article: AnalysedArticle, entities: EntityIndex, infinitives: bool = False) -> list[Quote]:
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
    quotes.extend(_indirect(ctx, infinitives))
    _continue_speakers(ctx, quotes, orphans)
    _terms_of_reported_speech(ctx, quotes)
    quotes.sort(key=lambda q: (q.span.start, q.span.end))
    for k, q in enumerate(quotes):
        q.id = f"{article.id}:q{k + 1}"
    return quotes


def _indirect(ctx: _Ctx, infinitives: bool = False) -> list[Quote]:
    """Indirect speech: verb of saying + que, selon/d'après/pour X, trailing incise; with
    ``infinitives``, also verb of saying + infinitive clause (ExtractConfig.infinitive_speech)."""
    toks, text = ctx.tokens, ctx.text
    out: list[Quote] = []
    taken: list[tuple[int, int]] = []

    def add(cs: int, ce: int, who: Who | None, cue: str) -> bool:
        """Keep the clause as indirect speech unless it is too short, a direct quote already or taken."""
        cs, ce = _trim(text, cs, ce)
        cs, ce = _strip_commas(text, cs, ce)
        if ce - cs < 3 or len(WORD.findall(text[cs:ce])) < 2:
            return False
        # wholly a direct quote already: not a second quote
        for o, qe in ctx.quoted:
            if o <= cs + 1 and qe >= ce - 1:
                return False
        if any(s < ce and cs < e for s, e in taken):
            return False
        taken.append((cs, ce))
        out.append(_quote(ctx, cs, ce, "indirect", who, cue))
        return True

    def add_infinitive(v: int, cue: str) -> bool:
        """"a nié avoir trahi ses compagnons", "a exhorté les préfets à ...": the infinitive clause of verb ``v``."""
        inf = _infinitive_clause(ctx, v)
        return inf is not None and add(toks[inf[0]].start, toks[min(inf[1], _clause_end_incl_quotes(ctx, v))].end, _speaker_of_verb(ctx, v), cue)

    for v, t in enumerate(toks):
        if _inside_quote(ctx, t.start):
            continue
        if not (_is_speech_verb(t) or _infinitive_locution(ctx, v) or _noun_verb(ctx, v) and _que_next(ctx, v)):
            if infinitives and t.pos == "VERB":  # a verb that reports a request or a charge only with its infinitive
                add_infinitive(v, t.lemma.lower())
            continue
        if _impersonal(ctx, v) or _connective(ctx, v) or _infinitive_after_a(ctx, v):  # "il est précisé que ...", "autrement dit", "rien à dire": nobody speaks
            continue
        # verb + que
        j = v + 1
        que = None
        while j < len(toks) and j - v <= 12 and toks[j].sent == t.sent and toks[j].text not in ".;«»“”\"!?:":
            # (past eight words only a conjunction: "a assuré la semaine dernière, devant le Bundestag,
            # que", not the relative "les villages de l'Atlas, que les éboulements rendent ...")
            if _norm_tok(toks[j]) in fr.QUE_FORMS and toks[j].pos in ("SCONJ", "PRON", "ADV") and (
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
            hi = _unbroken_clause(ctx, hi, _clause_end_incl_quotes(ctx, que))
            if add(toks[lo].start, toks[hi].end, _speaker_of_verb(ctx, v), _speech_lemma(t) or t.lemma):
                continue
        if que is None and infinitives and add_infinitive(v, _speech_lemma(t) or t.lemma):
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
            if (subj_before and not clitic) or (v + 1 < len(toks) and _norm_tok(toks[v + 1]) in fr.QUE_FORMS):
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


def _unbroken_clause(ctx: _Ctx, hi: int, end: int) -> int:
    """The last token of a reported clause whose parse stops short, at ``end`` at most. The parser often
    hangs a quoted piece apart ("a estimé qu'il y avait « un lien entre ... »", "a souligné que le
    dalaï-lama était «un exemple pour la paix»"), so the subtree ends inside the clause, before a word
    or an opening mark: the clause then runs on to the next comma, semicolon or colon outside quotes."""
    toks = ctx.tokens
    hi = min(hi, end)
    nxt = hi + 1
    if nxt > end:
        return hi
    t = toks[nxt]
    opens = t.text in ("«", "“") or t.text == '"' and _inside_quote(ctx, t.end)
    if not (opens or WORD.fullmatch(t.text) or WORD.match(t.text) and t.text[0].isalnum()):
        return hi
    j = nxt
    while j <= end and not (toks[j].text in ",;:" and not _inside_quote(ctx, toks[j].start)):
        j += 1
    return j - 1


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


def _give_speaker(ctx: _Ctx, q: Quote, who: Who, cue: str) -> None:
    q.speaker, q.speaker_entity, q.cue = who.name, who.entity, cue
    q.speaker_span = ctx.article.article.span(who.start, who.end) if 0 <= who.start < who.end else None


def _same_speaker_as(q: Quote, other: Quote, cue: str) -> None:
    """``q`` is said by whoever said ``other``."""
    q.speaker, q.speaker_entity, q.speaker_span, q.cue = other.speaker, other.speaker_entity, other.speaker_span, cue
