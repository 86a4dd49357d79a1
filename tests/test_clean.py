"""Cleaning: one test per rule, false positives, the offset map, and the example answer keys."""

from __future__ import annotations

import random
import re
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from recoupe.clean import clean
from recoupe.config import Config
from recoupe.model import Document
from recoupe.read import read_inputs

FIX = Path(__file__).parent / "fixtures" / "clean"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

BODY = (
    "Le conseil départemental a voté jeudi un budget de 1,2 milliard d'euros, en hausse de 3 % sur un an, "
    "malgré l'opposition de la minorité qui dénonce une dérive des dépenses de fonctionnement."
)
BODY2 = "Le président du département a défendu « un budget de responsabilité » devant les élus réunis en séance plénière."


def _clean(text: str, doc_id: str = "art", **meta) -> object:
    return clean(Document(id=doc_id, text=text, **meta), Config())


def _file(name: str):
    (doc,), notices = read_inputs([str(FIX / name)])
    assert not notices
    return clean(doc, Config())


def _removed(c, kind: str) -> list[str]:
    return [r.span.text for r in c.removed if r.kind == kind]


def _check_offsets(c) -> None:
    assert len(c.offsets) == len(c.text) + 1
    for i, ch in enumerate(c.text):
        assert c.doc.text[c.offsets[i]] == ch
    for r in c.removed:
        assert c.doc.text[r.span.start : r.span.end] == r.span.text


def test_caption_with_credit_removed():
    text = f"{BODY}\n\nOuvrir en mode plein écran Les élus en séance, jeudi à Nantes. Photo : AFP / Loïc Venance\n\n{BODY2}\n"
    c = _clean(text)
    assert _removed(c, "caption") == ["Ouvrir en mode plein écran Les élus en séance, jeudi à Nantes. Photo : AFP / Loïc Venance"]
    assert "Ouvrir" not in c.text and "Venance" not in c.text
    assert BODY in c.text and BODY2 in c.text
    _check_offsets(c)


def test_caption_glued_to_next_paragraph_is_split_off():
    c = _file("legende-collee.txt")
    caps = _removed(c, "caption")
    assert caps == ["Ouvrir en mode plein écran Une pharmacienne vérifie ses stocks dans une officine de Lille, le 12 janvier. Photo : AFP / Denis Charlet "]
    assert "Les antibiotiques pour enfants, comme l'amoxicilline" in c.text
    assert "Charlet" not in c.text
    _check_offsets(c)


def test_bare_credit_lines():
    c = _file("legende-collee.txt")
    assert "Photo : Reuters / Stéphane Mahé" in _removed(c, "credit")
    assert any(t.strip() == "(Photo AFP)" for t in _removed(c, "credit"))
    assert "conférence de presse" in c.text and "(Photo AFP)" not in c.text


def test_caption_ending_with_uppercase_credit():
    text = f"{BODY}\n\nLe port de Sévrier, lundi 17 juillet. MARC DURAND / AFP\n\n{BODY2}"
    c = _clean(text)
    assert _removed(c, "caption") == ["Le port de Sévrier, lundi 17 juillet. MARC DURAND / AFP"]


@pytest.mark.parametrize(
    "line, kind, removed",
    [
        # a caption whose credit chains agencies with "/" and "via" (the old reader stopped at "pool/")
        ("Les deux présidents se serrent la main sur le perron. Photo : pool/afp via getty images / Jane Doe", "caption", None),
        ("Ouvrir en mode plein écran Les deux présidents sur le perron. Photo : pool/afp via getty images / Jane Doe", "caption", None),
        ("Photo : pool/afp via getty images / Jane Doe", "credit", None),
        ("AFP PHOTO / LUDOVIC MARIN", "credit", None),  # was taken for a subhead
        ("Le président à sa descente d'avion. AFP PHOTO / LUDOVIC MARIN", "caption", None),
        ("Le président à sa descente d'avion. LUDOVIC MARIN / POOL / AFP", "caption", None),
        ("Le président à sa descente d'avion. Ludovic Marin/Pool via REUTERS", "caption", None),
        ("Le président à sa descente d'avion, le 13 mars. Photo Jane Doe / Hans Lucas", "caption", None),
        ("© Jane Doe", "credit", None),
        ("Le président à sa descente d'avion. © Jane Doe / AFP", "caption", None),
        ("/Photo prise le 17 octobre 2008/REUTERS/Jean-Paul Pélissier", "credit", None),
        ("(Maxppp)", "credit", None),
        ("Photo AFP.", "credit", None),
        # a bare agency closing a line may be a dispatch's mark: only it goes, the sentence stays
        ("Le président a été accueilli par le Premier ministre à sa descente d'avion. (Reuters)", "credit", " (Reuters)"),
    ],
)
def test_credit_shapes_removed_whole(line, kind, removed):
    c = _clean(f"{BODY}\n\n{line}\n\n{BODY2}\n")
    got = [(r.kind, r.span.text) for r in c.removed]
    assert got == [(kind, removed or line)]
    for word in ("afp", "getty", "Doe", "MARIN", "Reuters", "REUTERS", "Pélissier", "Maxppp", "Lucas"):
        assert word not in c.text
    assert BODY in c.text and BODY2 in c.text
    _check_offsets(c)


def test_credit_lines_inside_the_text_and_at_the_end_of_a_long_paragraph():
    long = " ".join([BODY] * 3)
    c = _clean(f"{BODY2}\n\n{long} Photo : pool/afp via getty images / Jane Doe\n\nLUDOVIC MARIN / POOL / AFP\n\n{BODY2}")
    assert [(r.kind, r.span.text) for r in c.removed] == [
        ("credit", " Photo : pool/afp via getty images / Jane Doe"), ("credit", "LUDOVIC MARIN / POOL / AFP")]
    assert long in c.text
    _check_offsets(c)


@pytest.mark.parametrize(
    "line",
    [
        "Photo de famille pour les dirigeants européens réunis à Bruxelles, avant le dîner de travail.",
        "Selon un sondage Ifop / Fiducial pour Sud Radio, 60 % des Français approuvent la réforme.",
        "Le ministre a confirmé l'information à l'AFP / Reuters, sans donner de détails sur le calendrier.",
        "Le maire, Jean-Marc Le Goff, a salué la réactivité des secours.",
        "Image : le président a choisi de ne pas répondre aux questions des journalistes sur ce sujet.",
        "Le sondage a été réalisé en ligne auprès de mille personnes par Harris Interactive pour Reuters / Ipsos",
    ],
)
def test_sentences_that_look_like_credits_are_kept(line):
    c = _clean(f"{BODY}\n\n{line}\n\n{BODY2}")
    assert line in c.text and not [r for r in c.removed if r.kind in ("credit", "caption")]


@given(st.lists(st.sampled_from(list("aA éÉ/().:,©-") + ["Photo", "AFP", "via", "pool", "Jane", "Le", " "]), max_size=30).map("".join))
@settings(max_examples=300, deadline=None)
def test_credit_reader_never_raises(line):
    from recoupe.clean import find_credit
    from recoupe.lang import rules_for

    c = find_credit(line, rules_for("fr"))
    assert c is None or 0 <= c.start < c.end <= len(line)


def test_bare_agency_on_the_last_line_stays_a_signature():
    c = _clean(f"{BODY}\n\n{BODY2}\n\n(Reuters)")
    assert _removed(c, "signature") == ["(Reuters)"] and not _removed(c, "credit")


@pytest.mark.parametrize(
    "dateline",
    ["SÉOUL, Corée, République de — ", "VLADIVOSTOK (AFP) — ", "NANTES, 5 mars (APO) — ", "Paris (AFP) - ", "SAINT-ÉTIENNE — "],
)
def test_datelines(dateline):
    c = _clean(f"{dateline}{BODY}\n\n{BODY2}")
    assert _removed(c, "dateline") == [dateline]
    assert c.text.startswith("Le conseil départemental")
    _check_offsets(c)


@pytest.mark.parametrize(
    "dateline, date, date_from, dateline_date",
    [
        ("NANTES, 5 mars (APO) — ", None, None, "--03-05"),  # no year: completed from the other articles
        ("Paris, 1er juin 2023 (AFP) - ", "2023-06-01", "dateline", "2023-06-01"),
        ("LYON, jeudi 12 octobre 2023 — ", "2023-10-12", "dateline", "2023-10-12"),
        ("BREST, 31 février 2024 (AFP) — ", None, None, None),  # no such day: no date rather than a wrong one
        ("SÉOUL, Corée, République de — ", None, None, None),
    ],
)
def test_dateline_date(dateline, date, date_from, dateline_date):
    c = _clean(f"{dateline}{BODY}\n\n{BODY2}")
    assert (c.date, c.date_from, c.dateline_date) == (date, date_from, dateline_date)


def test_metadata_date_wins_over_the_dateline():
    c = _clean(f"Paris, 1er juin 2023 (AFP) - {BODY}\n\n{BODY2}", date="2023-06-02")
    assert (c.date, c.date_from) == ("2023-06-02", "metadata")


def test_dateline_year_from_the_other_articles():
    from recoupe.pipeline import clean_all

    docs = [
        Document(id="a", text=f"NANTES, 5 mars (APO) — {BODY}\n\n{BODY2}", path="a.txt"),
        Document(id="b", text=f"{BODY2}\n\n{BODY}", date="2024-03-06"),
        Document(id="c", text=f"{BODY}\n\nLe vote a eu lieu tard dans la soirée, après six heures de débat.", date="2023-12-20"),
    ]
    cleaned, notices = clean_all(docs, Config())
    a = cleaned[0]
    assert (a.date, a.date_from) == ("2024-03-05", "dateline")  # 5 March closest to 6 March 2024, not 2023
    assert [n.line() for n in notices] == ["info: a.txt: dated 2024-03-05 from its dateline, the year from the other articles"]
    alone, notices = clean_all(docs[:1], Config())
    assert alone[0].date is None and "without a year" in notices[0].message


def test_dateline_after_title():
    c = _file("legende-collee.txt")
    assert _removed(c, "dateline") == ["PARIS (AFP) — "]
    assert c.text.startswith("Les pharmaciens français")


def test_uppercase_word_without_dash_is_not_a_dateline():
    c = _clean(f"PARIS reste la destination favorite des touristes étrangers, selon l'office du tourisme.\n\n{BODY}")
    assert not _removed(c, "dateline")
    assert c.text.startswith("PARIS reste")
    c = _clean(f"Paris — la capitale s'est réveillée sous la neige jeudi matin, une première depuis 2018.\n\n{BODY}")
    assert not _removed(c, "dateline")  # a capitalised place needs an agency to be a dateline


@pytest.mark.parametrize("signature,outlet", [("RFI", "RFI"), ("Ouest-Info", "Ouest-Info"), ("(AFP)", "AFP"), ("La Voix de la Loire (avec APO)", "La Voix de la Loire")])
def test_signature_on_last_line_gives_outlet(signature, outlet):
    c = _clean(f"{BODY}\n\n{BODY2}\n\n{signature}\n", doc_id="fichier")
    assert _removed(c, "signature") == [signature]
    assert c.outlet == outlet and c.outlet_from == "signature"
    assert signature not in c.text


def test_avec_afp_signature_is_not_an_outlet():
    c = _file("legende-collee.txt")
    assert _removed(c, "signature") == ["Avec AFP"]
    assert c.outlet == "legende-collee" and c.outlet_from == "filename"


def test_short_final_sentence_is_not_a_signature():
    c = _file("faux-positifs.txt")
    assert not _removed(c, "signature")
    assert c.text.rstrip().endswith("Le maire a salué une édition réussie.")


def test_outlet_from_metadata_wins():
    c = _clean(f"{BODY}\n\nRFI", outlet="Radio France Internationale")
    assert c.outlet == "Radio France Internationale" and c.outlet_from == "metadata"


def test_metadata_prefix_and_front_matter():
    c = _clean(f" date 2023-09 {BODY}\n\n{BODY2}", date="2023-09")
    assert _removed(c, "metadata") == [" date 2023-09 "]
    assert c.text.startswith("Le conseil départemental")
    (doc,), _ = read_inputs([str(Path(__file__).parent / "fixtures" / "read" / "article.md")])
    c = clean(doc)
    (meta,) = [r for r in c.removed if r.kind == "metadata"]
    assert meta.span.start == 0 and meta.span.text.startswith("---\ntitle:")
    assert c.title.startswith("Grève à la SNCF") and c.outlet == "Le Matin de Lyon" and c.date == "2024-02-08"
    assert c.text.startswith("Le trafic ferroviaire")


def test_boilerplate_lines():
    c = _file("legende-collee.txt")
    boiler = _removed(c, "boilerplate")
    assert "Lire aussi : Médicaments, pourquoi les pénuries se multiplient" in boiler
    assert "Publicité" in boiler
    c = _clean(f"{BODY}\n\nÀ lire aussi\n\nPartager\n\n{BODY2}")
    assert _removed(c, "boilerplate") == ["À lire aussi", "Partager"]
    assert BODY2 in c.text


def test_related_links_box_leaking_from_html():
    c = _clean(f"{BODY}\n{BODY2}\nLire aussi\nLubrizol, quatre ans après : les riverains toujours dans l’attente\nSites Seveso : les contrôles jugés insuffisants")
    assert len(_removed(c, "boilerplate")) == 3
    assert "Lubrizol" not in c.text and BODY2 in c.text


def test_title_first_line():
    c = _file("legende-collee.txt")
    assert c.title == "Pénurie de médicaments : les pharmacies face à des ruptures record"
    assert _removed(c, "title") == [c.title]
    c = _file("une-ligne-par-paragraphe.txt")  # no blank lines: one paragraph a line
    assert c.title == "La Banque centrale européenne relève ses taux pour la dixième fois"


def test_first_sentence_is_not_a_title():
    c = _file("faux-positifs.txt")
    assert c.title is None and not _removed(c, "title")
    assert c.text.startswith("Le marché de Noël")
    c = _clean("Une seule ligne sans point final")
    assert c.title is None and c.text == "Une seule ligne sans point final"  # no body follows


def test_title_matching_metadata_title_is_removed():
    c = _clean(f"Le budget du département adopté\n\n{BODY}", title="Le budget du département adopté")
    assert _removed(c, "title") == ["Le budget du département adopté"]


def test_subheads_kept_as_structure():
    c = _file("legende-collee.txt")
    assert [s.text for s in c.subheads] == ["Des plans de gestion des pénuries"]
    assert "Des plans de gestion" not in c.text
    c = _file("une-ligne-par-paragraphe.txt")
    assert [s.text for s in c.subheads] == ["Une pause attendue"]
    assert _removed(c, "subhead") == ["Une pause attendue"]


def test_one_line_paragraph_with_period_is_not_a_subhead():
    c = _file("faux-positifs.txt")
    assert not c.subheads
    assert "Les commerçants sont satisfaits." in c.text
    assert not c.removed


def test_hard_wrapped_text_is_not_cut_into_titles_or_subheads():
    text = (
        "Le conseil départemental a voté jeudi un budget de 1,2 milliard\n"
        "d'euros, en hausse de 3 % sur un an, malgré l'opposition de la\n"
        "minorité qui dénonce une dérive des dépenses.\n\n"
        "Le président du département a défendu un budget de\n"
        "responsabilité devant les élus.\n"
    )
    c = _clean(text)
    assert not c.removed and c.title is None
    assert len(c.paragraphs) == 2


def test_one_paragraph_a_line_with_a_blank_line_before_a_last_mark():
    """A blank line before a lone "|" at the end made the lines read as hard wraps: the whole article
    one paragraph, a subhead inside a fact (RPM2 T08_C2_10)."""
    text = (
        "Il avait, en revanche, confirmé sa présence au départ du Giro en 2009, un grand tour qu'il n'a jamais disputé.\n"
        "Antidopage : mêmes règles pour tous\n"
        "Interrogé sur ses propos de septembre dernier, le directeur du Tour est resté sur la même ligne.\n"
        "Armstrong, 37 ans, a prévu de reprendre sa place dans le peloton professionnel au Tour Down Under.\n\n|\n"
    )
    c = _clean(text)
    assert [s.text for s in c.subheads] == ["Antidopage : mêmes règles pour tous"]
    assert len(c.paragraphs) >= 3


def test_outlet_from_filename():
    c = _clean(f"{BODY}\n\n{BODY2}", doc_id="le-courrier")
    assert c.outlet == "le-courrier" and c.outlet_from == "filename"


def test_offsets_round_trip_random_ranges():
    rng = random.Random(7)
    raw = (FIX / "legende-collee.txt").read_text(encoding="utf-8").replace("\n", "\r\n")
    docs = [Document(id="crlf", text=raw)] + [read_inputs([str(p)])[0][0] for p in sorted(FIX.glob("*.txt"))]
    for doc in docs:
        c = clean(doc)
        _check_offsets(c)
        for _ in range(300):
            a = rng.randrange(0, len(c.text))
            b = rng.randrange(a, len(c.text) + 1)
            span = c.span(a, b)
            assert "".join(doc.text[c.offsets[i]] for i in range(a, b)) == c.text[a:b]
            inside = any(span.start < r.span.start < span.end for r in c.removed)
            if not inside:  # no removed piece in between: the original text is the clean text
                assert span.text.replace("\r", "") == c.text[a:b]
        for p0, p1 in c.paragraphs:
            assert c.text[p0:p1].strip() == c.text[p0:p1]


def test_odd_text_never_raises():
    from recoupe.clean import _Cleaner
    from recoupe.lang import rules_for

    odd = ["", "\n\n\n", "«", "Photo : ", "Photo : AFP /", "PARIS —", "31 février\n\n»»", "a" * 5000, "— — —\n\n(AFP)", "\r\r\n\r", " date 2023 ",
           "© ", "(", "/", "Photo : pool/", "()", "(Photo)", "AFP / ", "/ AFP /", "Photo : via / via"]
    for text in odd:
        _Cleaner(Document(id="x", text=text), rules_for("fr")).run()  # the rules themselves, no safety net
        _check_offsets(_clean(text))


# ----------------------------------------------------------------------------- example answer keys


def _fold(value: str) -> str:
    value = unicodedata.normalize("NFKD", value.replace("’", "'")).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", value)
    return " ".join(w for w in words if w not in {"le", "la", "les", "l", "de", "du", "des", "d"})


def _answer_articles():
    if not EXAMPLES.is_dir():
        return []
    out = []
    for answers in sorted(EXAMPLES.glob("*/answers.yaml")):
        data = yaml.safe_load(answers.read_text(encoding="utf-8")) or {}
        for article_id, expected in (data.get("articles") or {}).items():
            if "removed" in expected:
                out.append(pytest.param(answers.parent, article_id, expected, id=f"{answers.parent.name}/{article_id}"))
    return out


@pytest.fixture(scope="module")
def example_articles():
    cache = {}

    def get(folder: Path):
        if folder not in cache:
            docs, _ = read_inputs([str(folder)])
            cache[folder] = {d.id: clean(d) for d in docs}
        return cache[folder]

    return get


@pytest.mark.skipif(not EXAMPLES.is_dir(), reason="examples folder absent")
@pytest.mark.parametrize("folder,article_id,expected", _answer_articles())
def test_examples_answer_keys(example_articles, folder, article_id, expected):
    c = example_articles(folder)[article_id]
    _check_offsets(c)
    for item in expected["removed"]:
        want = item["text"].strip()
        found = [r.span.text.strip() for r in c.removed if r.kind == item["kind"]]
        # the removal holds the expected text and not much more (a whole byline line is fine)
        assert any(want in f and len(f) <= 2 * len(want) + 20 for f in found), (item, found)
        assert want not in c.text
    if "title" in expected:
        assert c.title == expected["title"]
    if c.outlet_from == "filename":  # no outlet in the file: the file name must name it
        assert _fold(c.outlet) == _fold(expected["outlet"])
    else:
        assert c.outlet == expected["outlet"]
    if c.date is not None or expected.get("date") is None:
        assert c.date == expected.get("date")
    else:  # a date only a dateline gives ("5 mars") is resolved later, with the other articles
        assert any(r.kind == "dateline" for r in c.removed)
