"""The quote rules' position lookups (sentence start, paragraph, inside a quote) are indexed once per
article; they must answer as the plain scans they replace, on text with the traps of real copy: a
period inside a quote, "M." before a name, quotes that end a sentence, paragraphs and the gaps
between them, and the quote list replaced during extraction."""

from __future__ import annotations

import re

from recoupe.extract.quotes.context import _Ctx, _inside_quote, _paragraph_of
from recoupe.extract.quotes.spans import SPACES, _left_boundary

TEXT = (
    "Selon M. Dupont, le site fermera. « Nous n'avons pas le choix. Vraiment pas », a-t-il dit! Puis il est parti.\n\n"
    "Le maire a répondu : « C'est faux. » La réunion a duré trois heures? Personne ne le sait.\n\n"
    "Mme Martin, présente, a parlé d'un « scandale »."
)


def _scan_left(ctx: _Ctx, pos: int) -> int:
    """The plain backward scan the index replaces (kept here as the reference)."""
    para = next(((s, e) for s, e in ctx.paragraphs if s <= pos < e), None) or [p for p in ctx.paragraphs if p[0] <= pos][-1]
    j = pos - 1
    while j >= para[0]:
        c = ctx.text[j]
        if c in ".!?" and not any(s < j < e for s, e in ctx.quoted) and (j + 1 >= len(ctx.text) or ctx.text[j + 1] in SPACES + "\n»”"):
            if not ctx.text[max(para[0], j - 3):j + 1].endswith(("M.", " M.")):
                return j + 1
        j -= 1
    return para[0]


def _ctx() -> _Ctx:
    paras, start = [], 0
    for m in re.finditer(r"\n\n", TEXT):
        paras.append((start, m.start()))
        start = m.end()
    paras.append((start, len(TEXT)))
    quoted = [(m.start(), m.end()) for m in re.finditer(r"«[^»]*»", TEXT)]
    return _Ctx(article=None, entities=None, text=TEXT, tokens=[], tok_starts=[], sent_starts=[], paragraphs=paras, quoted=quoted)


def test_indexed_lookups_answer_as_the_plain_scans_at_every_offset():
    ctx = _ctx()
    for pos in range(len(TEXT) + 1):
        assert _left_boundary(ctx, pos) == _scan_left(ctx, pos), pos
        assert _inside_quote(ctx, pos) == any(s < pos < e for s, e in ctx.quoted), pos
        inside = [k for k, (s, e) in enumerate(ctx.paragraphs) if s <= pos < e]
        before = max(k for k, (s, _) in enumerate(ctx.paragraphs) if s <= pos)  # a gap belongs to the paragraph before it
        assert _paragraph_of(ctx, pos) == (inside[0] if inside else before), pos
    # "M. Dupont" does not end a sentence; the period inside the quote does not either
    assert _left_boundary(ctx, TEXT.index("Dupont")) == 0
    assert _left_boundary(ctx, TEXT.index("a-t-il")) == TEXT.index("fermera.") + len("fermera.")


def test_replacing_the_quote_list_refreshes_the_index():
    ctx = _ctx()
    pos = TEXT.index("Vraiment")
    assert _inside_quote(ctx, pos) and _left_boundary(ctx, pos) == TEXT.index("fermera.") + len("fermera.")
    ctx.quoted = []  # the extraction sets its own list after splitting quotes at incises
    assert not _inside_quote(ctx, pos)
    assert _left_boundary(ctx, pos) == _scan_left(ctx, pos) == TEXT.index("choix.") + len("choix.")


def test_a_nationality_is_read_in_either_gender_and_number():
    from recoupe.lang import fr

    assert [fr.nationality(w) for w in ("Américaine", "Nord-Coréenne", "Turque", "Belges", "Françaises", "ministre")] == [
        "américain", "nord-coréen", "turc", "belge", "français", None]
