"""A noun phrase or a pronoun as a speaker: a name inside it, the person or body it stands for, or
the words themselves as an unnamed source ("un riverain").

``_description`` is where every speaker rule hands the words it found. French news points at
people and bodies in many ways ("le porte-parole du Kremlin, Dmitri Peskov", "l'entraîneur
nantais", "la préfecture", "son homologue ivoirien"); the choice among them is made here.
Pronouns are resolved here too because "il" may stand for a body that only a description names.
"""

from __future__ import annotations

from ...entities import fold
from ...lang import fr
from ...model import Mention, Token
from .antecedents import (
    _epithet_person, _introduced_role, _last_person, _previous_body, _previous_subject, _qualified_person,
    _role_holder, _title_holder,
)
from .context import (
    BODY_NOUNS, BODY_SUBJECT_NOUNS, Who, _Ctx, _gender_of_token, _inside_quote, _norm_tok, _not_a_body_noun,
    _paragraph_of, _person_noun, _sentence_of, _sentence_outside_quotes, _subject_chain, _subtree,
)
from .cues import _noun_verb
from .resolve import (
    _as_body, _at_words, _body_mention, _compatible, _full_name, _is_person, _name_after_kind, _named_person,
    _resolve_role, _who_of_mention, normalise_name,
)
from .spans import WORD


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
        if toks[k].text in ",;:«»“”\"()" or low in ("qui", "que", "qu'", "dont") or low in fr.TIME_WORDS or low in fr.DESCRIPTION_STOPS:
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
        # (or a nationality whatever its ending: "le Belge", "le Russe")
        return ((t.text.lower().endswith(fr.DEMONYM_ENDINGS) or fr.nationality(t.text) is not None) and t.text not in fr.COUNTRY_DEMONYMS
                and _full_name(ctx, m) is None)
    return m is None or m.tok_end - m.tok_start == 1 and m.label in ("MISC", "PER") and _full_name(ctx, m) is None


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


def _past_adjectives(toks: list[Token], k: int) -> int:
    """The token after noun ``k`` and its adjectives ("le comité régional | des pêches")."""
    j = k + 1
    while j < len(toks) - 1 and toks[j].pos == "ADJ":
        j += 1
    return min(j, len(toks) - 1)


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
