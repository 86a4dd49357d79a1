"""What every renderer shares: labels per language and the wording of values."""

from __future__ import annotations

import re

from ..model import Briefing, Conflict, Fact, Measurement, Quote, SharedQuote, Span

# Labels in the language of the briefing (fr by default). Adding a language = adding a dict.
LABELS: dict[str, dict[str, str]] = {
    "fr": {
        "briefing": "Synthèse croisée",
        "contents": "Sommaire",
        "contradictions": "Contradictions",
        "no_conflicts": "Aucune contradiction relevée entre les médias.",
        "summary": "Résumé",
        "facts": "Faits",
        "one_source": "une seule source : rien à recouper",
        "coverage": "Couverture",
        "coverage_help": "Faits (lignes) par média (colonnes) : ✓ = le média rapporte le fait.",
        "fact": "Fait",
        "status": "Statut",
        "status_all": "tous",
        "status_several": "plusieurs",
        "status_exclusive": "exclusif",
        "confirmations": "confirmations indépendantes",
        "exclusives": "Exclusivités",
        "omissions": "Omissions",
        "quotes": "Citations",
        "shared_quote": "Même citation, plusieurs versions",
        "match": "probabilité d'une même citation",
        "unknown_speaker": "Locuteur non identifié",
        "kind_direct": "directe",
        "kind_indirect": "indirecte",
        "kind_term": "terme",
        "measurements": "Chiffres et mesures",
        "value": "Valeur",
        "interval": "Intervalle",
        "unit": "Unité",
        "dimension": "Grandeur",
        "measures": "Ce qui est mesuré",
        "hedge": "Nuance",
        "timeline": "Chronologie",
        "anchored_by": "daté grâce à",
        "provenance": "Provenance",
        "primary": "Source première",
        "relay": "Relais",
        "according_to": "selon",
        "u_years": "ans", "u_months": "mois", "u_days": "jours", "u_hours": "h", "u_minutes": "min",
        "sources_differ": "sources différentes",
        "kind": "Type",
        "statements": "Énoncés",
        "entities": "Entités",
        "name": "Nom",
        "aliases": "Variantes",
        "mentions": "Mentions par média",
        "reuse": "Reprises de dépêche",
        "shared_words": "mots en commun",
        "articles": "Articles",
        "article_count": "articles",
        "story_count": "événements",
        "outlets": "médias",
        "words": "mots",
        "original": "article original",
        "not_analysed": "non analysé",
        "removed": "retiré",
        "back": "retour à l’usage",
        "notices": "Avertissements",
        "none": "Rien à signaler.",
        "update": "mise à jour au fil du temps",
        "one_surname": "même nom de famille : peut-être une seule personne, nommée de deux façons",
        "compressed": "phrase abrégée",
        "date": "Date",
        "event": "Événement",
        "outlet": "Média",
        "text": "Texte",
        "generated": "Synthèse produite par recoupe : chaque phrase est copiée d’un article et renvoie à sa source.",
        "lq": "« ",
        "rq": " »",
        "stories": "Sujets",
        "search": "Rechercher",
        "no_results": "Aucun résultat.",
        "all_stories": "Tous les sujets",
        "not_found": "Page introuvable",
        "not_found_text": "Aucun sujet ni article ne porte cet identifiant.",
        "story": "Sujet",
        "matching_articles": "Articles correspondants",
        "pending": "Synthèse en préparation",
        "pending_text": "La synthèse de ce sujet est en cours de préparation : recoupe lit et compare ses articles, "
                        "ce qui prend de quelques secondes à une minute.",
        "pending_refresh": "Cette page se recharge d’elle-même ; vous pouvez aussi revenir plus tard.",
        "busy": "Base occupée",
        "busy_text": "La base d’articles est occupée par une autre tâche (un import, une mise à jour). "
                     "Réessayez dans quelques secondes.",
        "failed": "Synthèse impossible",
        "failed_text": "La synthèse de ce sujet n’a pas pu être faite ; l’erreur est dans le journal du serveur. "
                       "Un nouvel essai aura lieu dans une minute.",
    },
    "en": {
        "briefing": "Cross-checked briefing",
        "contents": "Contents",
        "contradictions": "Contradictions",
        "no_conflicts": "No contradiction found between outlets.",
        "summary": "Summary",
        "facts": "Facts",
        "one_source": "only one source: nothing to cross-check",
        "coverage": "Coverage",
        "coverage_help": "Facts (rows) by outlet (columns): ✓ = the outlet reports the fact.",
        "fact": "Fact",
        "status": "Status",
        "status_all": "all",
        "status_several": "several",
        "status_exclusive": "exclusive",
        "confirmations": "independent confirmations",
        "exclusives": "Exclusives",
        "omissions": "Omissions",
        "quotes": "Quotes",
        "shared_quote": "Same quote, several wordings",
        "match": "probability of one quote",
        "unknown_speaker": "Unidentified speaker",
        "kind_direct": "direct",
        "kind_indirect": "indirect",
        "kind_term": "term",
        "measurements": "Figures and measurements",
        "value": "Value",
        "interval": "Interval",
        "unit": "Unit",
        "dimension": "Dimension",
        "measures": "What is measured",
        "hedge": "Hedge",
        "timeline": "Timeline",
        "anchored_by": "dated thanks to",
        "provenance": "Provenance",
        "primary": "Primary source",
        "relay": "Relay",
        "according_to": "according to",
        "u_years": "years", "u_months": "months", "u_days": "days", "u_hours": "h", "u_minutes": "min",
        "sources_differ": "different sources",
        "kind": "Kind",
        "statements": "Statements",
        "entities": "Entities",
        "name": "Name",
        "aliases": "Variants",
        "mentions": "Mentions per outlet",
        "reuse": "Reprinted wire copy",
        "shared_words": "shared words",
        "articles": "Articles",
        "article_count": "articles",
        "story_count": "events",
        "outlets": "outlets",
        "words": "words",
        "original": "original article",
        "not_analysed": "not analysed",
        "removed": "removed",
        "back": "back to where it is used",
        "notices": "Notices",
        "none": "Nothing found.",
        "update": "updated over time",
        "one_surname": "same surname: perhaps one person, named two ways",
        "compressed": "shortened sentence",
        "date": "Date",
        "event": "Event",
        "outlet": "Outlet",
        "text": "Text",
        "generated": "Briefing made by recoupe: every sentence is copied from an article and links to its source.",
        "lq": "“",
        "rq": "”",
        "stories": "Stories",
        "search": "Search",
        "no_results": "No results.",
        "all_stories": "All stories",
        "not_found": "Page not found",
        "not_found_text": "No story or article has this id.",
        "story": "Story",
        "matching_articles": "Matching articles",
        "pending": "Briefing being prepared",
        "pending_text": "The briefing of this story is being prepared: recoupe reads and compares its articles, "
                        "which takes from a few seconds to a minute.",
        "pending_refresh": "This page reloads itself; you may also come back later.",
        "busy": "Store busy",
        "busy_text": "The article store is busy with another task (an import, an update). Try again in a few seconds.",
        "failed": "Briefing failed",
        "failed_text": "The briefing of this story could not be made; the error is in the server's log. "
                       "It will be tried again in a minute.",
    },
}


def labels(language: str | None) -> dict[str, str]:
    """Labels for a language code ("fr", "en", "fr-CA"...); French when unknown."""
    return LABELS.get((language or "fr").split("-")[0].lower(), LABELS["fr"])




def number(x: float) -> str:
    return f"{x:g}" if abs(x) < 1e15 else f"{x:.3g}"


_DURATIONS = ((8766.0, "u_years"), (730.5, "u_months"), (24.0, "u_days"), (1.0, "u_hours"), (1 / 60, "u_minutes"))


def _duration_scale(m: Measurement) -> tuple[float, str | None]:
    """(hours per unit, label key) to show a duration in: they are compared in hours, but a reader reads
    "13 ans", not "113958 h": the largest unit down to the hour in which every bound is a whole or half
    number, else (a hedge's bounds: "près de deux semaines") the largest in which every bound is 1 or more."""
    bounds = [abs(x) for x in (m.low, m.high) if x]
    if m.dimension != "duration" or m.unit != "h" or not bounds:
        return 1.0, None
    for size, key in _DURATIONS[:-1]:
        if all(x >= size and abs(2 * x / size - round(2 * x / size)) < 0.02 for x in bounds):
            return size, key
    for size, key in _DURATIONS:
        if all(x >= size for x in bounds):
            return size, key
    return 1.0, None


def display_unit(m: Measurement, language: str | None = "fr") -> str:
    """The unit ``interval`` writes its bounds in (a duration in years, months, days...; else the measured unit)."""
    key = _duration_scale(m)[1]
    return labels(language)[key] if key else m.unit


def interval(m: Measurement, language: str | None = "fr", unit: bool = False) -> str:
    """The interval a hedge gives, in the notation of the language: ]4 ; +∞[ in French, (4, ∞) in English;
    durations in the unit a reader would use (``display_unit``)."""
    if m.low is None and m.high is None:
        return ""
    size = _duration_scale(m)[0]
    low = "−∞" if m.low is None else number(float(f"{m.low / size:.3g}") if size != 1 else m.low)
    high = "+∞" if m.high is None else number(float(f"{m.high / size:.3g}") if size != 1 else m.high)
    low_open, high_open = m.low_open or m.low is None, m.high_open or m.high is None
    if (language or "fr").startswith("fr"):
        text = f"{']' if low_open else '['}{low} ; {high}{'[' if high_open else ']'}"
    else:
        text = f"{'(' if low_open else '['}{low}, {high}{')' if high_open else ']'}"
    shown = display_unit(m, language)
    return text + (f" {shown}" if unit and shown else "")


def outlets_text(outlets: list[str]) -> str:
    return ", ".join(outlets)


def date_span(b: Briefing) -> str:
    if b.first_date and b.last_date and b.first_date != b.last_date:
        return f"{b.first_date} → {b.last_date}"
    return b.first_date or b.last_date or ""


_SENTENCE_MARK = ".!?\n"


def _ends_sentence(text: str, i: int) -> bool:
    """Whether the mark at ``i`` ends a sentence: not the period of an initial or a title ("M.",
    "Mme."), nor one inside a number or a word ("9.000", "Yahoo.fr"), which no space follows."""
    if text[i] != ".":
        return True
    if i + 1 < len(text) and not (text[i + 1].isspace() or text[i + 1] in "»”\"'’)"):
        return False
    return not re.search(r"(?:^|\W)(?:[A-Z]|Mme|Mgr|Dr|St)$", text[max(0, i - 4) : i])


def context(texts: dict[str, str], span: Span, width: int = 220) -> str:
    """The sentence around a span, from the article's original text: a value is read in context."""
    before, value, after = context_parts(texts, span, width)
    return before + value + after


def context_parts(texts: dict[str, str], span: Span, width: int = 220) -> tuple[str, str, str]:
    """``context`` cut in three: the words before the span, the span, the words after (white space
    folded, an ellipsis where the sentence was cut), so that a renderer can highlight the value."""
    text = texts.get(span.article)
    if text is None or not (0 <= span.start <= span.end <= len(text)):
        return "", span.text, ""
    lo = span.start
    while True:  # back to the previous sentence end, not to the period of "M." or "Mme." nor of "9.000"
        lo = max((text.rfind(ch, 0, lo) for ch in _SENTENCE_MARK), default=-1)
        if lo <= 0 or _ends_sentence(text, lo):
            break
    lo += 1
    hi = span.end
    while True:
        ends = [i for i in (text.find(ch, hi) for ch in _SENTENCE_MARK) if i != -1]
        hi = min(ends) + 1 if ends else len(text)
        if not ends or _ends_sentence(text, hi - 1):
            break
    cut_lo, cut_hi = span.start - width // 2 > lo, span.end + width // 2 < hi
    if cut_lo:  # cut at a word boundary, never inside a word
        lo = span.start - width // 2
        while lo < span.start and not text[lo - 1].isspace():
            lo += 1
    if cut_hi:
        hi = span.end + width // 2
        while hi > span.end and not text[hi].isspace():
            hi -= 1

    def fold(piece: str) -> str:  # white space folded, but a space next to the value is kept
        out = " ".join(piece.split())
        return (" " if piece[:1].isspace() and out else "") + out + (" " if piece[-1:].isspace() and out else "")

    before = fold(text[lo : span.start]).lstrip()
    after = fold(text[span.end : hi]).rstrip()
    if cut_lo or (lo > 0 and text[lo - 1] not in _SENTENCE_MARK):
        before = "…" + before
    return before, " ".join(span.text.split()), after + ("…" if cut_hi else "")


def speaker_label(q: Quote) -> str | None:
    """The quote's speaker as a reader is shown it: "(?)" after a guess (``Quote.unsure``), as for a
    fact's sources; None when nobody is named."""
    return None if q.speaker is None else q.speaker + (" (?)" if q.unsure else "")


def match_note(q: SharedQuote, L: dict) -> str:
    """' (probability of one quote 0.62)' when a learned matcher grouped the versions: a reader weighs
    a weak grouping differently from a verbatim one; nothing for the rules' matches."""
    return "" if q.confidence is None else f" ({L['match']} {q.confidence:.2f})"


def one_surname(c: Conflict) -> bool:
    """An attribution conflict between names that share their last word ("Jean-Louis Romero" / "Jean-Luc
    Romero", "Karine Dussourt" / "Khaldia Dussourt"): the outlets may name one person two ways, which a
    reader should weigh before reading two speakers."""
    if c.kind != "attribution" or len(c.groups) < 2:
        return False
    last = {g.value.split()[-1].lower() for g in c.groups if g.value.split()}
    return len(last) == 1 and all(len(g.value.split()) >= 2 for g in c.groups)


def conflicts_in_order(b: Briefing) -> list[Conflict]:
    """Disagreements first, then values that changed over time (a toll that grew)."""
    return sorted(b.conflicts, key=lambda c: c.update_over_time)


def outlet_of_articles(b: Briefing) -> dict[str, str]:
    return {a.id: a.outlet for a in b.articles}


def fact_sources(fact: Fact) -> list[tuple[str, list[str]]]:
    """Who a fact's claims come from, one entry per source (and relay) with its outlets:
    [("Dmitri Peskov", ["La Dépêche de l'Est", "Le Journal Quotidien"]), ("KCNA via AFP", ["RFI"])].
    Claims without a source (the outlet's own reporting) are not listed; an unsure source (the ranker's
    speaker under extract.source_min_confidence) is marked "(?)"."""
    out: dict[str, list[str]] = {}
    for s in fact.attributed_to:
        key = s.source + (f" via {s.relay}" if s.relay else "") + (" (?)" if s.unsure else "")
        outlets = out.setdefault(key, [])
        if s.outlet not in outlets:
            outlets.append(s.outlet)
    return list(out.items())


def sources_text(fact: Fact, language: str | None = "fr") -> str:
    """"selon Sophie Marchand (Le Petit Matin) ; Paul Lemoine (Gazette du Sud) — sources différentes",
    or "" for a fact no outlet attributes to anyone."""
    entries = fact_sources(fact)
    if not entries:
        return ""
    L = labels(language)
    text = f"{L['according_to']} " + " ; ".join(f"{src} ({outlets_text(outlets)})" for src, outlets in entries)
    if differing_sources(fact):
        text += f" — {L['sources_differ']}"
    return text


def _name_words(name: str) -> frozenset[str]:
    return frozenset(re.findall(r"\w+", name.lower())) - {"l", "le", "la", "les", "m", "mme"}


def differing_sources(fact: Fact) -> bool:
    """Two outlets give the fact's statement to different named sources (indirect speech and "selon");
    one name inside the other ("Peskov" / "Dmitri Peskov", "Kremlin" / "le Kremlin") is one source, and
    a description ("des révélations du journal", "le coureur") may be anyone, so it differs from no name."""
    by_outlet: dict[str, list[frozenset[str]]] = {}
    for s in fact.attributed_to:
        if s.kind == "indirect" and not s.unsure and s.source[:1].isupper() and (words := _name_words(s.source)):
            by_outlet.setdefault(s.outlet, []).append(words)
    seen = list(by_outlet.values())
    return any(not any(x <= y or y <= x for x in a for y in b) for i, a in enumerate(seen) for b in seen[i + 1 :])
