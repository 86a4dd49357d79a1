"""A description kept as the speaker -> the name the article gives it (extract/quotes/referents.py)."""

from __future__ import annotations

from conftest import analyse_texts
from recoupe.entities import link_entities
from recoupe.extract.quotes.referents import resolve_description


def resolved(text: str, description: str, entity: str | None = None) -> str | None:
    arts = analyse_texts({"a": text})
    index = link_entities(arts)
    got = resolve_description(arts[0], index, description, entity, len(text))
    return got[0] if got else None


def test_head_noun_given_to_one_body():
    text = ("Le groupe Natixis a publié ses comptes mardi à Paris. Les pertes dépassent les prévisions. "
            "Le groupe a indiqué que la crise financière pesait sur ses activités.")
    assert resolved(text, "le groupe") == "Natixis"


def test_role_in_apposition_resolves_to_the_person():
    text = ("Dmitri Medvedev, le président russe, a reçu mardi son homologue français au Kremlin. "
            "Le président russe a déclaré que la Russie respecterait le cessez-le-feu.")
    assert resolved(text, "le président russe") == "Dmitri Medvedev"


def test_name_apposed_inside_the_description():
    # (the NER may read "Économie Christine Lagarde" as one name: the person is named plainly elsewhere)
    text = ("Christine Lagarde recevra les banquiers mardi. "
            "La ministre de l'Économie Christine Lagarde a jugé la situation « sérieuse » lundi à Bercy.")
    assert resolved(text, "la ministre de l'Économie Christine Lagarde") == "Christine Lagarde"


def test_author_of_the_words():
    text = "Selon les mots de Christine Lagarde, la situation est « sérieuse » mais pas dramatique."
    assert resolved(text, "les mots de Christine Lagarde") == "Christine Lagarde"


def test_initialism_of_a_named_person():
    text = ("Patrick Poivre d'Arvor quittera TF1 en juillet, a annoncé la chaîne jeudi. "
            "PPDA a dit qu'il n'avait « aucune amertume » après vingt ans de journal.")
    arts = analyse_texts({"a": text})
    index = link_entities(arts)
    got = resolve_description(arts[0], index, "PPDA", None, len(text))
    assert got is not None and got[0] == "Patrick Poivre d'Arvor"


def test_unnamed_sources_and_named_complements_stay():
    text = ("Le groupe Natixis a publié ses comptes mardi. Patrick Poivre d'Arvor était absent. "
            "L'avocat de Patrick Poivre d'Arvor a refusé de commenter.")
    assert resolved(text, "un diplomate européen") is None
    assert resolved(text, "son entourage") is None
    assert resolved(text, "le ministère du Travail") is None
    assert resolved(text, "l'avocat de Patrick Poivre d'Arvor") is None  # the lawyer is not his client
    assert resolved(text, "les deux banques") is None  # a plural is not one named referent


def test_a_document_speaks_for_the_body_the_article_names_as_its_author():
    text = ("Un rapport préliminaire de l'Inspection générale des finances avait relevé une « dérive » dans la gestion. "
            "Le document souligne aussi « un nombre important de défaillances » au sein de la banque.")
    assert resolved(text, "le document") == "l'Inspection générale des finances"
    text = ("La société Valmont a démenti mercredi dans un communiqué avoir perdu un milliard d'euros. "
            "Ses pertes sont « limitées », ajoute le communiqué.")
    assert resolved(text, "le communiqué") == "Valmont"


def test_a_document_with_no_named_author_stays():
    text = ("Un rapport de treize pages a été remis mardi au ministre. "
            "Le rapport recommande la création d'un observatoire des pratiques.")
    assert resolved(text, "le rapport") is None
