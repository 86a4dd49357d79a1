"""The per-article state every speaker rule reads, and the lookups they all make on it.

One pass over an article asks the same questions hundreds of times: which token is at this offset,
which sentence or paragraph holds it, is it inside a quote, what hangs on it in the parse, is this
word a noun for a person. Answering them in one place keeps the rules short and makes them agree.
Nothing here decides who spoke.
"""

from __future__ import annotations

import bisect
from operator import attrgetter
from dataclasses import dataclass, field

from ...lang import fr
from ...model import AnalysedArticle, EntityIndex, Mention, Token

# vocabularies united once (the lists live in lang/fr.py)
BODY_NOUNS = fr.ORG_ANAPHORS | fr.ADMINISTRATIONS  # nouns a fuller description of a body can head
BODY_SUBJECT_NOUNS = BODY_NOUNS | fr.GOVERNMENT_BODIES  # bodies a pronoun may stand for
NOT_PERSON_NOUNS = (BODY_SUBJECT_NOUNS | fr.ORG_NOUNS_BEFORE_NAME | fr.COMPANY_NOUNS | fr.INSCRIPTION_NOUNS
                    | fr.DOCUMENT_NOUNS | fr.SOURCE_NOUNS)


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
    para_starts: list[int] = field(init=False)  # of ``paragraphs`` (sorted, disjoint; set once per article)
    breaks: dict[int, list[int]] = field(default_factory=dict)  # paragraph -> sentence ends (spans._sentence_breaks)
    breaks_for: list | None = None  # the ``quoted`` list ``breaks`` were computed with
    quote_starts: list[int] | None = None  # of ``quoted`` when its quotes are in order and apart (``_inside_quote``)
    quote_starts_for: list | None = None  # the ``quoted`` list ``quote_starts`` belongs to
    full_names: dict | None = None  # surname -> entity of a person the article names in full (``resolve._full_name``, built once)

    def __post_init__(self) -> None:
        self.para_starts = [p[0] for p in self.paragraphs]


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
    """The paragraph holding ``pos`` (the one before it when ``pos`` falls between two)."""
    return max(0, bisect.bisect_right(ctx.para_starts, pos) - 1)


def _inside_quote(ctx: _Ctx, pos: int) -> bool:
    if ctx.quote_starts_for is not ctx.quoted:  # the quotes' starts, when they are in order and apart
        q = ctx.quoted
        apart = all(q[i][0] <= q[i + 1][0] and q[i][1] <= q[i + 1][0] for i in range(len(q) - 1))
        ctx.quote_starts, ctx.quote_starts_for = ([s for s, _ in q] if apart else None), q
    if ctx.quote_starts is None:
        return any(s < pos < e for s, e in ctx.quoted)
    i = bisect.bisect_left(ctx.quote_starts, pos) - 1  # the last quote opening before pos
    return i >= 0 and pos < ctx.quoted[i][1]


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


def _subject_chain(toks: list[Token], i: int) -> bool:
    """Token i is a subject, or in apposition to one, however deep ("Le lieutenant-colonel Éric
    Daniel": Éric -> appos of colonel -> appos of lieutenant, the subject)."""
    x, steps = i, 0
    while toks[x].dep in ("appos", "conj", "flat:name") and toks[x].head != x and steps < 4:
        x, steps = toks[x].head, steps + 1
    return toks[x].dep.startswith("nsubj")


def _passive_subject(ctx: _Ctx, i: int) -> bool:
    """Token ``i`` is the subject of a real passive ("Jean Morin a été condamné"; the parser also
    says nsubj:pass for "Il a assuré")."""
    t = ctx.tokens[i]
    return t.dep == "nsubj:pass" and _passive(ctx, t.head)


def _passive(ctx: _Ctx, v: int) -> bool:
    return any(ctx.tokens[c].dep == "aux:pass" for c in ctx.children.get(v, []))


def _gender_of_token(t: Token) -> str | None:
    if "Number=Plur" in t.morph:
        return "Plur"
    if "Gender=Fem" in t.morph:
        return "Fem"
    if "Gender=Masc" in t.morph:
        return "Masc"
    return None


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


SPEAKING_NOUNS = (NOT_PERSON_NOUNS | fr.PERSON_NOUNS | fr.ROLE_TITLES | frozenset(fr.ROLE_HYPERNYMS)
                  | frozenset().union(*fr.ROLE_HYPERNYMS.values()) | fr.MEDIA_WORDS | fr.GOVERNMENT_WORDS | fr.AUTHORED_NOUNS
                  | fr.REFERENT_PERSON_NOUNS | fr.REFERENT_BODY_NOUNS | fr.SPEAKING_NOUNS_MORE)
_BEFORE_HEAD = {"DET", "ADP", "ADJ", "NUM", "ADV", "PUNCT", "CCONJ"}
_START = attrgetter("start")


def names_a_speaker(article: AnalysedArticle, start: int, end: int) -> bool:
    """Whether the speaker phrase at clean offsets [start, end) names someone or something that can
    speak: a named entity, a pronoun, or a head noun of a person, a role, a body, a medium or a
    document. The rules take the subject of a verb of saying for its speaker, and a misread verb
    ("le retour ... s'annonce comme", "a confirmé sa présence") gives "son retour", "sa présence"."""
    lo = bisect.bisect_left(article.tokens, start, key=_START)
    toks = article.tokens[lo : bisect.bisect_left(article.tokens, end, key=_START)]
    k = next((i for i, t in enumerate(toks) if t.pos not in _BEFORE_HEAD), None)
    if k is None:
        return False
    head = toks[k]
    if head.ent or head.pos in ("PROPN", "PRON") and not head.text.islower() and head.text.lower() not in fr.RELATIVE_DAYS:
        return True  # a name (a place named further on, "autour de Nice", is not the speaker)
    if head.pos == "PRON":
        return True
    # the nouns of the head phrase, before its complement ("un bref communiqué": "bref" may be tagged a noun)
    nouns = []
    for t in toks[k:]:
        if t.pos not in ("NOUN", "ADJ"):
            break
        nouns.append(t)
    words = {w for t in nouns if t.pos == "NOUN" for w in (t.text.lower(), t.lemma.lower())}
    words |= {w.removeprefix("ex-") for w in words} | {w[:-1] for w in words if w.endswith("s")}
    return any(w in SPEAKING_NOUNS or _person_word(w) for w in words)


def _person_word(word: str) -> bool:
    w = word.lower()
    if w in fr.COMPANY_NOUNS:
        return False  # "le constructeur", "le fabricant": a company, whatever the ending
    return w in fr.PERSON_NOUNS or w in fr.ROLE_TITLES or w in fr.ROLE_HYPERNYMS or w.endswith(fr.AGENT_SUFFIXES)
