"""Values of the learned contradiction search: dates at the precision the text gives."""

from __future__ import annotations

import pytest

from recoupe.compare.slots import Value, compatible_values, date_key
from recoupe.model import DateMention, Span


def date_value(text: str, iso: str | None = None, precision: str | None = None) -> Value:
    span = Span(article="a", start=0, end=len(text), text=text)
    d = DateMention(text=text, date=iso, precision=precision, span=span)
    return Value("date", "date", 0, 0, 0, len(text), span, text, date=d)


def test_a_month_without_a_year_is_a_value():
    assert date_key(date_value("en août", None, "month")) == ("m", 8)
    assert date_key(date_value("fin décembre", None, "month")) == ("m", 12)


@pytest.mark.parametrize("a,b,agree", [
    (("en août", None, "month"), ("en août", None, "month"), True),
    (("en août", None, "month"), ("en septembre", None, "month"), False),
    (("en août", None, "month"), ("le 14 août", None, "day"), True),
    (("en août", None, "month"), ("le 2 septembre", None, "day"), False),
    (("en août", None, "month"), ("le 14 août 2008", "2008-08-14", "day"), True),
    (("en mars", None, "month"), ("en avril 2008", "2008-04", "month"), False),
    (("en mars", None, "month"), ("mercredi", None, None), True),
    (("en mars", None, "month"), ("en 2008", "2008", "year"), True),
])
def test_months_against_other_dates(a, b, agree):
    assert compatible_values(date_value(*a), date_value(*b)) is agree
    assert compatible_values(date_value(*b), date_value(*a)) is agree


def _in(article: int, v: Value) -> Value:
    v.art = article
    return v


def test_one_slot_per_article_drops_a_differing_value_answered_by_an_equal_one():
    """Article 1 gives "le 14 août" for what article 0 dates on the 14 too, and "le 2 septembre" for
    something else: the 2 September is no contradiction of article 0's 14 August, unless it matches
    article 0's value better than the equal one does."""
    import numpy as np

    from recoupe.compare.slots import assigned

    values = [_in(0, date_value("le 14 août")), _in(1, date_value("le 14 août")), _in(1, date_value("le 2 septembre"))]
    pairs = [(0, 1), (0, 2)]
    assert assigned(values, pairs, np.array([0.9, 0.8]), "").tolist() == [0.9, 0.8]
    assert assigned(values, pairs, np.array([0.9, 0.8]), "agree").tolist() == [0.9, 0.0]
    assert assigned(values, pairs, np.array([0.7, 0.8]), "agree").tolist() == [0.7, 0.8]
    assert assigned(values, pairs, np.array([0.9, 0.8]), "mutual").tolist() == [0.9, 0.0]
    with pytest.raises(ValueError):
        assigned(values, pairs, np.array([0.9, 0.8]), "best")
